"""How far one machine goes: the cold build at 1,000, 10,000 and 30,000 events (time, peak memory,
disk, files, Pagefind's share), the rebuild after one edit, and a projection to 100,000 events
that says which limit of this machine is reached first.

    python bench/scale.py [--sizes 1000 10000 30000] [--warm-up-to 10000] [--record bench/RESULTS.md]

For each size N a project is written by bench/corpus.py into bench/out/scale-nN/ and built with
`python -m timeweave build --no-record-urls` in its own process (whatever the build does today: a
cache that a later build reuses is picked up as it is). Up to --warm-up-to events, one event file
is then edited and the same command run again: the rebuild after one edit. Pagefind is then run
alone on the built site, for its own time, memory and bundle. The machine's load average is taken
before and after every run; the figures are kept in bench/out/scale-nN.json as they are
measured, so a run stopped half-way keeps what it measured, and sizes run apart (or at once, on a
machine that has the cores) are reported together with --report-only. The sites stay for bench/search_transfer.py.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import site_sizes  # noqa: E402
from measure import PY, Run, load, measured_rusage, record, tree_size  # noqa: E402

import corpus  # noqa: E402

BEGIN, END = "<!-- bench-scale:begin (written by bench/scale.py --record) -->", "<!-- bench-scale:end -->"
TARGET = 100_000
CI_SECONDS = 5400  # one CI run's bound: a build that cannot finish in it cannot be checked


@dataclass
class Measured:
    run: Run
    load_before: str
    load_after: str


def measured(command: list[str], cwd: Path) -> Measured:
    before = load()
    run = measured_rusage(command, cwd)
    if run.exit != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{run.output}")
    return Measured(run, before, load())


def edit_one_event(project: Path) -> str:
    """Append a sentence to the middle event file (the same one at every N): the one edit."""
    files = sorted((project / "content" / "events").rglob("*.md"))
    target = files[len(files) // 2]
    target.write_text(target.read_text(encoding="utf-8") + "\nOne more sentence, for the rebuild.\n",
                      encoding="utf-8")
    return target.stem


def pagefind(site: Path) -> list[str]:
    from pagefind.service import get_executable

    # One run over every page, the way Pagefind indexes a site by itself (the build indexes in
    # parts), written beside the site: the site's own bundle stays what the build made.
    return [str(get_executable()), "--site", str(site), "--output-path", str(site.parent / "pagefind-alone"), "--quiet"]


def bench_size(n: int, out: Path, seed: int, warm: bool) -> dict[str, Any]:
    """Every figure at n events; bench/out/scale-nN.json holds them as each is measured."""
    project = out / f"scale-n{n}"
    shutil.rmtree(project, ignore_errors=True)
    sizes = corpus.write_project(project, n, seed)
    figures = out / f"scale-n{n}.json"
    result: dict[str, Any] = {"n": n, "records": asdict(sizes)}

    def keep(key: str, value: Any) -> None:
        result[key] = value
        figures.write_text(json.dumps(result, indent=1), encoding="utf-8")

    build = [PY, "-m", "timeweave", "build", "--no-record-urls"]
    keep("cold", asdict(measured(build, project)))
    print(f"[{n}] cold build: {result['cold']['run']['wall']:.1f} s", flush=True)
    site = project / "site"
    keep("site_bytes", tree_size(site)[0])
    keep("site_files", tree_size(site)[1])
    keep("pagefind_bytes", tree_size(site / "pagefind")[0])
    keep("pagefind_files", tree_size(site / "pagefind")[1])
    keep("sizes", site_sizes.report(site, n))
    stat = os.statvfs(project)
    keep("disk_free", stat.f_bavail * stat.f_frsize)
    keep("inodes_free", stat.f_favail)
    keep("pagefind", asdict(measured(pagefind(site), project)))
    if warm:
        keep("edited", edit_one_event(project))
        keep("warm", asdict(measured(build, project)))
        print(f"[{n}] rebuild after one edit: {result['warm']['run']['wall']:.1f} s", flush=True)
    return result


# -- projection -----------------------------------------------------------------------------------


def power_law(points: list[tuple[int, float]]) -> tuple[float, float]:
    """y = a·N^b through the two largest points: b says how the figure grows (1 is linear)."""
    (n1, y1), (n2, y2) = sorted(points)[-2:]
    b = math.log(y2 / y1) / math.log(n2 / n1) if y1 > 0 and y2 > 0 else 1.0
    return y2 / n2**b, b


def projection(results: list[dict[str, Any]]) -> list[str]:
    """Each figure at TARGET events, against the machine's limit for it; the first to break first."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    last = max(results, key=lambda r: r["n"])
    disk_limit = last["disk_free"] + last["site_bytes"]  # what this project could have used
    figures = [
        # (what, the figure of a result, unit divisor, unit, limit, why that limit)
        ("cold build time", lambda r: r["cold"]["run"]["wall"], 1, "s", CI_SECONDS, "one CI run's 90 minutes"),
        # Steadier than wall time on a shared machine; on 2 cores a build takes at least half of it.
        ("cold build CPU time", lambda r: r["cold"]["run"]["cpu"], 1, "s", CI_SECONDS * (os.cpu_count() or 1),
         "one CI run's 90 minutes on every core"),
        ("peak memory of the build", lambda r: r["cold"]["run"]["max_rss_mb"] * 1e6, 1e9, "GB", memory,
         "the machine's memory"),
        # The build writes the new site beside the old one and swaps them: twice the site at once.
        ("disk during a rebuild (2 × site)", lambda r: 2 * r["site_bytes"], 1e9, "GB", disk_limit,
         "the free disk"),
        ("files of the site (×2 during a rebuild)", lambda r: 2 * r["site_files"], 1, "files",
         last["inodes_free"] + last["site_files"], "the file system's free inodes"),
        ("Pagefind: time", lambda r: r["pagefind"]["run"]["wall"], 1, "s", CI_SECONDS, "one CI run's 90 minutes"),
        ("Pagefind: peak memory", lambda r: r["pagefind"]["run"]["max_rss_mb"] * 1e6, 1e9, "GB", memory,
         "the machine's memory"),
    ]
    # Wall time grows with the machine's other work: with more runnable tasks than cores before a
    # run, its wall time says more about the load than about the build, and names nothing.
    cores = os.cpu_count() or 1
    largest = sorted(results, key=lambda r: r["n"])[-2:]
    busy = any(float(r["cold"]["load_before"].split(",")[0]) > cores for r in largest)
    lines = [f"| figure | growth exponent | at {TARGET:,} events | limit | reached at |", "|---|---|---|---|---|"]
    first: tuple[float, str] = (math.inf, "")
    for name, value, scale, unit, limit, why in figures:
        if busy and name in ("cold build time", "Pagefind: time"):
            name += f" (load above {cores} before a run: not counted)"
            limit = math.inf
        try:
            a, b = power_law([(r["n"], value(r)) for r in results])
        except KeyError:  # a size whose run stopped before this figure
            continue
        at_target = a * TARGET**b
        reached = (limit / a) ** (1 / b) if b > 0 else math.inf
        if limit < math.inf:
            first = min(first, (reached, name))
        digits = 0 if scale == 1 else 1
        if limit == math.inf:
            lines.append(f"| {name} | {b:.2f} | {at_target / scale:,.{digits}f} {unit} | — | — |")
            continue
        lines.append(f"| {name} | {b:.2f} | {at_target / scale:,.{digits}f} {unit} | {limit / scale:,.{digits}f} "
                     f"{unit} ({why}) | {'beyond 10 million' if reached > 1e7 else f'{reached:,.0f} events'} |")
    lines += ["", f"First to break: **{first[1]}**, at about {first[0]:,.0f} events."
              if first[0] < 1e7 else "Nothing breaks before 10 million events on these trends."]
    return lines


def report(results: list[dict[str, Any]]) -> str:
    sizes = ", ".join(f"{r['n']:,}" for r in results)
    lines = [f"Scale: `timeweave build --no-record-urls` of the corpus at {sizes} events, one process "
             "each, figures from the kernel; load average (1, 5, 15 min) before / after each run.", "",
             "| events | run | wall | CPU | peak memory | load before / after |", "|---|---|---|---|---|---|"]
    for r in results:
        for key, label in (("cold", "cold build"), ("warm", "rebuild after one edit"),
                           ("pagefind", "Pagefind alone")):
            if key in r:
                run, m = r[key]["run"], r[key]
                lines.append(f"| {r['n']:,} | {label} | {run['wall']:.1f} s | {run['cpu']:.1f} s | "
                             f"{run['max_rss_mb']:,.0f} MB | {m['load_before']} / {m['load_after']} |")
    lines += ["", "| events | site | files | per event | Pagefind bundle |", "|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['n']:,} | {r['site_bytes'] / 1e6:,.1f} MB | {r['site_files']:,} | "
                     f"{r['site_bytes'] / r['n'] / 1e3:.1f} KB, {r['site_files'] / r['n']:.2f} files | "
                     f"{r['pagefind_bytes'] / 1e6:,.1f} MB in {r['pagefind_files']:,} files |")
    for r in results:
        lines += ["", f"At {r['n']:,} events (bench/site_sizes.py):", *(f"- {line}" for line in r["sizes"])]
    if len(results) >= 2:
        lines += ["", f"Projection to {TARGET:,} events (a power law through the two largest sizes):", "",
                  *projection(results)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 30000])
    parser.add_argument("--warm-up-to", type=int, default=10000, help="rebuild after one edit up to this size")
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--record", type=Path, default=None)
    parser.add_argument("--report-only", action="store_true", help="write the report from bench/out/scale-nN.json")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    results = []
    for n in sorted(args.sizes):
        if args.report_only:
            results.append(json.loads((args.out / f"scale-n{n}.json").read_text(encoding="utf-8")))
            continue
        started = time.perf_counter()
        results.append(bench_size(n, args.out.resolve(), args.seed, warm=n <= args.warm_up_to))
        print(f"[{n}] done in {time.perf_counter() - started:.0f} s", flush=True)
    text = report(results)
    print(text)
    if args.record is not None:
        record(args.record, text, BEGIN, END)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
