"""The same generated timeline built by MkDocs and by Zensical (`timeweave build --builder
zensical`): wall and CPU time of a cold build (no source folder, no Zensical cache) and of a warm
one after one event is edited (Zensical's cache in the source folder kept). The machine's load
before and after is recorded with the figures: the machine is shared, so they are only as good as
that load.

    python bench/zensical.py [--size 1000] [--record bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from measure import PY, Run, load, measured_rusage, record  # noqa: E402

import corpus  # noqa: E402

BEGIN, END = "<!-- bench-zensical:begin (written by bench/zensical.py --record) -->", "<!-- bench-zensical:end -->"


def _build(project: Path, *args: str) -> Run:
    run = measured_rusage([PY, "-m", "timeweave", "build", "--no-record-urls", *args], project)
    if run.exit != 0:
        raise SystemExit(f"build failed:\n{run.output}")
    return run


def _edit_one_event(project: Path) -> None:
    event = sorted((project / "content" / "events").rglob("*.md"))[0]
    event.write_text(event.read_text(encoding="utf-8") + "\nOne more sentence, for the warm build.\n",
                     encoding="utf-8")


def bench(n: int, out: Path, seed: int) -> str:
    project = out / f"zensical-n{n}"
    shutil.rmtree(project, ignore_errors=True)
    corpus.write_project(project, n, seed)
    before = load()
    rows = [("MkDocs, cold", _build(project, "-d", "site-mkdocs"))]
    rows.append(("Zensical, cold", _build(project, "-d", "site-zensical", "--builder", "zensical")))
    _edit_one_event(project)
    rows.append(("MkDocs, after one edit", _build(project, "-d", "site-mkdocs")))
    rows.append(("Zensical, after one edit (its cache kept)",
                 _build(project, "-d", "site-zensical", "--builder", "zensical")))
    after = load()
    lines = [f"Zensical beside MkDocs, {n:,} events (`timeweave build`, whole command: pipeline, builder, "
             "sanitizer, link check, swap). Load average (1, 5, 15 min) before: "
             f"{before}; after: {after}.", "", "| build | wall (s) | CPU (s) | peak RSS (MB) |", "|---|---|---|---|"]
    lines += [f"| {name} | {run.wall:.1f} | {run.cpu:.1f} | {run.max_rss_mb:.0f} |" for name, run in rows]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--record", type=Path, default=None)
    args = parser.parse_args(argv)
    text = bench(args.size, args.out, args.seed)
    print(text)
    if args.record is not None:
        record(args.record, text, BEGIN, END)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
