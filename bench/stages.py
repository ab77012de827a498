"""One instrumented `python -m timeweave build`, timed stage by stage from the outside.

`python bench/stages.py CONFIG SITE_DIR STAGES_JSON` runs the same code as `python -m timeweave build
-f CONFIG -d SITE_DIR` and writes the time of each stage to STAGES_JSON:

- every function the pipeline (`timeweave.build`) calls by name (load_content, build_catalog,
  generate_pages, and whatever other step is added later: maps, exports...) is wrapped with a
  timer, so a new stage shows up under its function's name without changing this file;
- the sanitizer (on_page_content) is timed the same way;
- `python -m timeweave build` runs the pipeline in a forked child (the runner's `apart`): the
  stages are then timed in the child, which writes its figures to STAGES_JSON.child when it has
  written the pages, and this process reads them back; `pipeline` is then the child's wall time
  as this process waited for it;
- what is left of the MkDocs build is MkDocs itself (Markdown, theme, search, writing).

The wrappers add a few microseconds per call; the whole build's wall time is measured by run.py
around this process.
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any

STARTED = time.perf_counter()
CPU_STARTED = time.process_time()

wall: dict[str, float] = {}
cpu: dict[str, float] = {}
calls: dict[str, int] = {}
_depth = [0]
MAIN_PID = os.getpid()
CHILD_FIGURES = ""  # set by main(): where a forked child leaves its stage figures


def timed(name: str, function: Callable[..., Any], outermost_only: bool = True) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if outermost_only and _depth[0]:
            return function(*args, **kwargs)  # a stage called from another stage counts once
        _depth[0] += outermost_only
        start, cpu_start = time.perf_counter(), time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            _depth[0] -= outermost_only
            wall[name] = wall.get(name, 0.0) + time.perf_counter() - start
            cpu[name] = cpu.get(name, 0.0) + time.process_time() - cpu_start
            calls[name] = calls.get(name, 0) + 1

    return wrapper


def instrument() -> list[str]:
    """Wrap what the pipeline calls, the pipeline itself and the sanitizer."""
    import timeweave.build as build
    import timeweave.builders.mkdocs.plugin as plugin
    from timeweave.parallel.runner import ForkedRunner

    stages = []
    for name, value in list(vars(build).items()):
        # validate is the first half of the pipeline: its own steps are timed instead.
        if name.startswith("_") or name in ("build", "validate", "write_out"):
            continue
        if inspect.isfunction(value) and value.__module__.startswith("timeweave"):
            setattr(build, name, timed(f"stage:{name}", value))
            stages.append(name)
    plugin.build = timed("pipeline", build.build, outermost_only=False)
    ForkedRunner.apart = timed("apart", ForkedRunner.apart, outermost_only=False)  # type: ignore[method-assign]
    plugin.write_out = _leaving_figures(build.write_out)
    if hasattr(plugin, "sanitize_html"):
        plugin.sanitize_html = timed("sanitize_html", plugin.sanitize_html, outermost_only=False)
    return stages


def _leaving_figures(write_out: Callable[..., Any]) -> Callable[..., Any]:
    """write_out is the forked child's last step: its figures are written then."""
    @functools.wraps(write_out)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start, cpu_start = time.perf_counter(), time.process_time()
        try:
            return write_out(*args, **kwargs)
        finally:
            if os.getpid() != MAIN_PID and CHILD_FIGURES:
                wall["stage:write_out"] = time.perf_counter() - start
                cpu["stage:write_out"] = time.process_time() - cpu_start
                with open(CHILD_FIGURES, "w", encoding="utf-8") as handle:
                    json.dump({"wall": wall, "cpu": cpu, "calls": calls}, handle)

    return wrapper


def _read_child_figures() -> None:
    """The child's stage figures; the pipeline's time is the wall time this process waited."""
    try:
        with open(CHILD_FIGURES, encoding="utf-8") as handle:
            child = json.load(handle)
    except (OSError, ValueError):
        return
    for name in child["wall"]:
        if name.startswith("stage:"):
            wall[name], cpu[name] = child["wall"][name], child["cpu"][name]
            calls[name] = child["calls"].get(name, 1)
    if "apart" in wall:
        wall["pipeline"] = wall.pop("apart")
        cpu["pipeline"] = cpu.pop("apart")  # this process's share: it waited
        calls["pipeline"] = calls.pop("apart")


def main(argv: list[str]) -> int:
    global CHILD_FIGURES
    config_file, site_dir, out = argv
    CHILD_FIGURES = out + ".child"
    stages = instrument()
    from timeweave.cli.main import main as cli_main

    wall["import"] = time.perf_counter() - STARTED
    cpu["import"] = time.process_time() - CPU_STARTED
    start, cpu_start = time.perf_counter(), time.process_time()
    code = cli_main(["build", "-f", config_file, "-d", site_dir])
    wall["cli_build"] = time.perf_counter() - start
    cpu["cli_build"] = time.process_time() - cpu_start
    _read_child_figures()
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(
            {"wall": wall, "cpu": cpu, "calls": calls, "stages": stages, "exit": code},
            handle,
            indent=1,
            sort_keys=True,
        )
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
