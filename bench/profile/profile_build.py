"""cProfile of one whole `timeweave build`, in one process, and a summary of where its time goes.

`python bench/profile/profile_build.py PROJECT OUT_PREFIX` builds PROJECT (a bench/corpus.py site)
with the serial runner, so that every step, the pipeline's page rendering included, runs in the
profiled process (the forked runner would hide half of it in children, which cProfile does not
follow; bench/profile/README.md says how the py-spy flame graph covers those). It writes
OUT_PREFIX.pstats (for `python -m pstats` or snakeviz) and OUT_PREFIX.txt: the functions by
cumulative and by own time, and the time under a few functions that name the build's parts.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

# Functions whose cumulative time names a part of the build (module path fragment, function).
PARTS = (
    ("timeweave/site/pages.py", "generate_pages"),
    ("timeweave/site/cslrender.py", "render"),
    ("timeweave/site/provenance.py", "event_meta"),
    ("jinja2/environment.py", "render"),
    ("mkdocs/commands/build.py", "_populate_page"),
    ("markdown/core.py", "convert"),
    ("mkdocs/commands/build.py", "_build_page"),
    ("mkdocs/structure/files.py", "copy_file"),
    ("timeweave/output/sanitize.py", "sanitize_html"),
    ("timeweave/output/search.py", "index_site"),
    ("timeweave/output/linkcheck.py", "read_page"),
    ("timeweave/output/linkcheck.py", "check_site"),
    ("timeweave/site/datapage.py", "open_data_files"),
)


def main(argv: list[str]) -> int:
    project, prefix = Path(argv[0]).resolve(), Path(argv[1]).resolve()
    os.chdir(project)
    from timeweave.cli.build import atomic_build
    from timeweave.parallel.runner import Runner

    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    atomic_build("mkdocs.yml", str(prefix.parent / (prefix.name + "-site")), runner=Runner())
    profiler.disable()
    wall = time.perf_counter() - started
    profiler.dump_stats(str(prefix) + ".pstats")
    stats = pstats.Stats(profiler)
    out = io.StringIO()
    out.write(f"whole build, serial runner, profiled: {wall:.1f} s wall\n\nparts (cumulative):\n")
    for fragment, name in PARTS:
        found = [(key, value) for key, value in stats.stats.items()  # type: ignore[attr-defined]
                 if key[0].endswith(fragment) and key[2] == name]
        cumulative = sum(value[3] for _key, value in found)
        calls = sum(value[1] for _key, value in found)
        out.write(f"  {fragment}:{name:<20} {cumulative:8.2f} s  {calls:7d} calls\n")
    for order in ("cumulative", "tottime"):
        out.write(f"\n--- by {order} ---\n")
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(45)
    Path(str(prefix) + ".txt").write_text(out.getvalue(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
