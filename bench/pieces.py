"""What each piece of the forked runner buys: one `timeweave build` of a project with one piece
done serially, against the whole forked runner, whole-process figures from the kernel.

    .venv/bin/python bench/pieces.py PROJECT_DIR [--runs N]

The pieces (parallel/runner.py): `share` (content files read by two processes), `split_in_two`
(pages rendered by two), `apart` (the pipeline in a child that frees its memory before MkDocs
starts), `helper` (the sanitizer, Material's search parse and the link check's reading on the
second core), `freeze` (long-lived objects frozen for the collector). Each build runs in its own
process, so its wall time, CPU time and peak memory (the largest process) come from wait4.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import load  # noqa: E402

PIECES = ["share", "split_in_two", "apart", "helper", "freeze"]


def build_once(project: Path, serial_piece: str | None) -> None:
    """In a forked child: one atomic build of project with serial_piece done by the serial runner."""
    from timeweave.cli.build import atomic_build
    from timeweave.parallel.runner import ForkedRunner, Runner

    class OnePieceSerial(ForkedRunner):
        pass

    if serial_piece == "all":
        runner: Runner = Runner()
    else:
        runner = OnePieceSerial()
        if serial_piece is not None:
            setattr(OnePieceSerial, serial_piece, getattr(Runner, serial_piece))
            if serial_piece == "freeze":
                OnePieceSerial.thaw = Runner.thaw  # type: ignore[method-assign]
    os.chdir(project)
    site = project / "site-pieces"
    atomic_build(str(project / "mkdocs.yml"), str(site), record_urls=False, runner=runner)
    shutil.rmtree(site, ignore_errors=True)


def measure(project: Path, serial_piece: str | None) -> tuple[float, float, float]:
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            build_once(project, serial_piece)
            code = 0
        finally:
            os._exit(code)
    _, status, usage = os.wait4(pid, 0)
    if status != 0:
        raise SystemExit(f"the build with {serial_piece} serial failed")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"load average before: {load()}")
    variants: list[str | None] = [None, *PIECES, "all"]
    figures: dict[str | None, list[tuple[float, float, float]]] = {v: [] for v in variants}
    for _ in range(args.runs):  # interleaved, so a drift of the machine's speed touches every variant
        for variant in variants:
            figures[variant].append(measure(args.project.resolve(), variant))
    print(f"load average after: {load()}")
    print("| serial piece | wall (median) | CPU (median) | peak memory (max) |")
    print("|---|---|---|---|")
    for variant, runs in figures.items():
        name = {None: "none (the forked runner)", "all": "all (the serial runner)"}.get(variant, f"`{variant}`")
        print(f"| {name} | {statistics.median(r[0] for r in runs):.1f} s | "
              f"{statistics.median(r[1] for r in runs):.1f} s | {max(r[2] for r in runs):.0f} MB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
