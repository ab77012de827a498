"""The benchmark: build synthetic timelines of 2,000 and 10,000 events and measure everything.

`python bench/run.py [--sizes 2000 10000] [--record bench/RESULTS.md]` (what `make bench` runs first).

For each size N it writes a project with bench/corpus.py into bench/out/nN/ and measures, each in
a fresh process (wall time, CPU time and peak memory from the kernel's rusage of that process):

1. `python -m timeweave validate`, five times (start-up included: what a contributor waits for; the
   median is the figure)
2. the whole build, `python -m timeweave build`, through bench/stages.py, which also times each
   stage of the pipeline (load + validate, page generation, and any stage added later such as
   maps or exports), the sanitizer, and MkDocs itself (the rest);
3. the same pages written as plain Markdown (`python -m timeweave pages`) and built by MkDocs with the
   same theme, extensions and navigation but without the timeline plugin: the ratio whole build ÷
   plain build is the generator's overhead;
4. the user's yardstick: a plain MkDocs + Material site of N simple pages with Material's search
   on (bench/yardstick.py), the floor a user compares the whole build with; at 2,000 events,
   three more cold builds (`python -m timeweave build`), each between two runs of the yardstick,
   give the target's ratio: the median of each build ÷ the mean of the yardstick runs beside it
   (the machine's speed drifts from minute to minute, and these runs are seconds apart);
5. sizes: the site, the largest event page, the largest page of any kind, the search index;
6. for the largest N, the preview: `python -m timeweave preview` is started, one event file is
   edited, and the served page is polled until it shows the edit (bounded; the loop gives up).

The figures, with the machine they came from, go into bench/out/results.json and .md, and with
--record into the generated block of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import yardstick  # noqa: E402
from measure import PY, Run, load, measured_rusage, record, tree_size  # noqa: E402

import corpus  # noqa: E402

BEGIN, END = "<!-- bench:begin (written by bench/run.py --record) -->", "<!-- bench:end -->"


VALIDATE_RUNS = 5
YARDSTICK_N = 2000  # the size issue 19's yardstick target is set at
PAIRS = 3  # builds between two yardstick runs, at YARDSTICK_N


def page_sizes(site: Path, section: str) -> dict[str, int]:
    folder = site / section
    if not folder.is_dir():
        return {}
    return {
        entry.name: (entry / "index.html").stat().st_size
        for entry in folder.iterdir()
        if (entry / "index.html").is_file()
    }


def largest_page(site: Path) -> tuple[str, int]:
    best = ("", 0)
    for dirpath, _, filenames in os.walk(site):
        if "index.html" in filenames:
            size = os.path.getsize(os.path.join(dirpath, "index.html"))
            if size > best[1]:
                best = (os.path.relpath(dirpath, site) + "/", size)
    return best


@dataclass
class SizeResult:
    n: int
    records: dict[str, int]
    corpus_seconds: float
    validate: Run  # the median run
    validate_walls: list[float]
    build: Run
    stages_wall: dict[str, float]
    stages_cpu: dict[str, float]
    write_pages: Run
    plain: Run
    yardstick: Run
    site_bytes: int
    site_files: int
    plain_site_bytes: int
    event_pages: int
    event_page_median: int
    event_page_max: int
    event_page_max_id: str
    largest_page: str
    largest_page_bytes: int
    search_index_bytes: int
    preview: dict[str, Any] = field(default_factory=dict)
    # At YARDSTICK_N: (yardstick before, whole build, yardstick after) wall times, run back to back.
    pairs: list[tuple[float, float, float]] = field(default_factory=list)
    # The same runs' system time and minor page faults: (build's, the yardstick runs' mean).
    pair_kernel: list[tuple[float, int, float, int]] = field(default_factory=list)

    def pair_ratios(self) -> list[float]:
        """Each paired build ÷ the mean of the yardstick runs on either side of it."""
        return [build / ((before + after) / 2) for before, build, after in self.pairs]


def mkdocs_share(stages: dict[str, float]) -> dict[str, float]:
    """Split the in-process build into our stages, the sanitizer and MkDocs' own work."""
    ours = {k.removeprefix("stage:"): v for k, v in stages.items() if k.startswith("stage:")}
    whole = stages.get("pipeline", 0.0)
    ours["pipeline (other)"] = max(0.0, whole - sum(ours.values()))
    ours["sanitize_html"] = stages.get("sanitize_html", 0.0)
    ours["mkdocs (markdown, theme, search, write)"] = max(
        0.0, stages.get("cli_build", 0.0) - whole - stages.get("sanitize_html", 0.0)
    )
    ours["python start-up and imports"] = stages.get("import", 0.0)
    return ours


def bench_size(n: int, out: Path, seed: int, preview: bool) -> SizeResult:
    project = out / f"n{n}"
    if project.exists():
        shutil.rmtree(project)
    start = time.perf_counter()
    sizes = corpus.write_project(project, n, seed)
    corpus_seconds = time.perf_counter() - start
    print(f"[{n}] corpus written in {corpus_seconds:.1f} s: {sizes}", flush=True)

    # A few seconds each on a virtual machine whose speed drifts by a quarter from minute to
    # minute: the median of several runs is the figure, with the range beside it.
    validations = []
    for _ in range(VALIDATE_RUNS):
        run = measured_rusage([PY, "-m", "timeweave", "validate", "--content", "content"], project)
        if run.exit != 0:
            raise SystemExit(f"validation failed:\n{run.output}")
        validations.append(run)
    validate = sorted(validations, key=lambda r: r.wall)[len(validations) // 2]
    print(
        f"[{n}] validate: {validate.wall:.2f} s wall, {validate.cpu:.2f} s CPU (median of {len(validations)}: "
        f"{', '.join(f'{r.wall:.2f}' for r in validations)})",
        flush=True,
    )

    stages_file = project / "stages.json"
    build = measured_rusage(
        [PY, str(BENCH / "stages.py"), str(project / "mkdocs.yml"), str(project / "site"), str(stages_file)],
        project,
    )
    print(
        f"[{n}] build: {build.wall:.1f} s wall, {build.cpu:.1f} s CPU, {build.max_rss_mb:.0f} MB", flush=True
    )
    if build.exit != 0:
        raise SystemExit(f"build failed:\n{build.output}")
    stages = json.loads(stages_file.read_text(encoding="utf-8"))

    pages_dir = project / "plain-docs"
    write_pages = measured_rusage(
        [
            PY,
            "-m",
            "timeweave",
            "pages",
            str(pages_dir),
            "--content",
            "content",
            "--overrides",
            str(REPO / "site_overrides"),
        ],
        project,
    )
    for item in (project / "docs").iterdir():
        target = pages_dir / item.name
        if item.is_dir():
            shutil.copytree(item, target, dirs_exist_ok=True)
        elif not target.exists():
            shutil.copy2(item, target)
    plain_config = corpus.plain_config(project, pages_dir, project / "plain-site")
    plain = measured_rusage([PY, "-m", "mkdocs", "build", "-q", "-f", str(plain_config)], project)
    print(f"[{n}] plain MkDocs build: {plain.wall:.1f} s wall, {plain.cpu:.1f} s CPU", flush=True)
    if plain.exit != 0:
        raise SystemExit(f"plain build failed:\n{plain.output}")

    floor = yardstick.write_project(project / "yardstick", n)
    simple = measured_rusage([PY, "-m", "mkdocs", "build", "-q", "-f", str(floor)], floor.parent)
    print(f"[{n}] plain Material build of {n:,} simple pages: {simple.wall:.1f} s wall", flush=True)
    if simple.exit != 0:
        raise SystemExit(f"the yardstick's build failed:\n{simple.output}")

    site = project / "site"
    site_bytes, site_files = tree_size(site)
    plain_bytes, _ = tree_size(project / "plain-site")
    events = page_sizes(site, "events")
    largest_id = max(events, key=lambda k: (events[k], k)) if events else ""
    biggest = largest_page(site)
    result = SizeResult(
        n=n,
        records=asdict(sizes),
        corpus_seconds=corpus_seconds,
        validate=validate,
        validate_walls=[r.wall for r in validations],
        build=build,
        stages_wall=mkdocs_share(stages["wall"]),
        stages_cpu=mkdocs_share(stages["cpu"]),
        write_pages=write_pages,
        plain=plain,
        yardstick=simple,
        site_bytes=site_bytes,
        site_files=site_files,
        plain_site_bytes=plain_bytes,
        event_pages=len(events),
        event_page_median=int(statistics.median(events.values())) if events else 0,
        event_page_max=events.get(largest_id, 0),
        event_page_max_id=largest_id,
        largest_page=biggest[0],
        largest_page_bytes=biggest[1],
        search_index_bytes=tree_size(site / "pagefind")[0],
    )
    if n == YARDSTICK_N:
        result.pairs, result.pair_kernel = bench_pairs(project, floor, PAIRS)
    if preview:
        result.preview = bench_preview(project)
    shutil.rmtree(project / "plain-site", ignore_errors=True)
    shutil.rmtree(floor.parent, ignore_errors=True)
    shutil.rmtree(pages_dir, ignore_errors=True)
    return result


def bench_pairs(project: Path, floor: Path, count: int
                ) -> tuple[list[tuple[float, float, float]], list[tuple[float, int, float, int]]]:
    """The whole cold build between two runs of the yardstick, `count` times: the machine's speed
    drifts from minute to minute, so the ratio is taken between runs seconds apart. Also each
    build's system time and minor faults beside the mean of its two yardstick runs'."""
    def yardstick() -> Run:
        shutil.rmtree(floor.parent / "site", ignore_errors=True)
        os.sync()  # what an earlier run wrote is not written back during this one
        run = measured_rusage([PY, "-m", "mkdocs", "build", "-q", "-f", str(floor)], floor.parent)
        if run.exit != 0:
            raise SystemExit(f"the yardstick's build failed:\n{run.output}")
        return run

    pairs = []
    kernel = []
    after = yardstick()
    for index in range(count):
        before = after
        for made in (project / "site", project / ".cache"):
            shutil.rmtree(made, ignore_errors=True)
        os.sync()
        build = measured_rusage([PY, "-m", "timeweave", "build", "--no-record-urls"], project)
        if build.exit != 0:
            raise SystemExit(f"build failed:\n{build.output}")
        after = yardstick()
        pairs.append((before.wall, build.wall, after.wall))
        kernel.append((build.system, build.minor_faults, (before.system + after.system) / 2,
                       (before.minor_faults + after.minor_faults) // 2))
        print(f"[pair {index + 1}] yardstick {before.wall:.1f} s, build {build.wall:.1f} s "
              f"(system {build.system:.1f} s, {build.minor_faults:,} faults), yardstick {after.wall:.1f} s: "
              f"{build.wall / ((before.wall + after.wall) / 2):.2f}×", flush=True)
    return pairs, kernel


# -- preview --------------------------------------------------------------------------------------


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (127.0.0.1 only)
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bench_preview(project: Path, ready_timeout: float = 1800, edit_timeout: float = 60) -> dict[str, Any]:
    """Start the preview, edit events, and poll the served pages until they change (bounded)."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(project / "preview.log", "wb")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [PY, "-m", "timeweave", "preview", "-f", str(project / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    result: dict[str, Any] = {}
    try:
        start = time.perf_counter()
        while time.perf_counter() - start < ready_timeout:
            if process.poll() is not None:
                raise RuntimeError(f"preview exited with {process.returncode}")
            if _get(f"{base}/") is not None:
                break
            time.sleep(0.2)
        else:
            raise TimeoutError("preview did not start")
        result["first_build_s"] = round(time.perf_counter() - start, 2)
        files = sorted((project / "content" / "events").rglob("*.md"))
        target = files[len(files) // 2]
        event_id = target.stem
        edits = [
            ("body", lambda text: text.rstrip("\n") + "\n\nAn added sentence, marker-body.\n", "marker-body"),
            (
                "title",
                lambda text: re.sub(
                    r'^title: "(.*)"$', r'title: "\1 marker-title"', text, count=1, flags=re.M
                ),
                "marker-title",
            ),
        ]
        for name, change, marker in edits:
            text = target.read_text(encoding="utf-8")
            written = time.perf_counter()
            target.write_text(change(text), encoding="utf-8")
            seen = None
            while time.perf_counter() - written < edit_timeout:
                page = _get(f"{base}/events/{event_id}/")
                if page is not None and marker in page:
                    seen = time.perf_counter() - written
                    break
                time.sleep(0.05)
            result[f"edit_{name}_s"] = round(seen, 2) if seen is not None else None
        result["event"] = event_id
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
    return result


# -- report ---------------------------------------------------------------------------------------


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "-"


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GB"
    except (OSError, ValueError, IndexError):
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "memory": memory,
        "python": platform.python_version(),
        "os": platform.platform(terse=True),
        "commit": commit,
        "versions": {
            p: _version(p)
            for p in ("mkdocs", "mkdocs-material", "markdown", "jinja2", "pydantic", "pyyaml", "nh3")
        },
    }


def _mb(size: float) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.1f} KB"


def report(results: list[SizeResult], info: dict[str, Any]) -> str:
    lines = [
        f"Machine: {info['nproc']} cores, {info['cpu']}, {info['memory']}; Python {info['python']}; "
        f"{info['os']}; commit {info['commit']}.",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in info["versions"].items()) + ".",
        f"Load average before / after: {info['load_before']} / {info['load_after']} "
        "(other work on the machine inflates wall times; CPU times are steadier).",
        "",
        "| | " + " | ".join(f"{r.n:,} events" for r in results) + " |",
        "|---|" + "---|" * len(results),
    ]

    def row(label: str, cells: list[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    row(
        "records (events / actors / places / sources)",
        [
            " / ".join(f"{r.records[kind]:,}" for kind in ("events", "actors", "places", "sources"))
            for r in results
        ],
    )
    row(
        f"`timeweave validate` (wall / CPU; median of {VALIDATE_RUNS}, wall range)",
        [f"{r.validate.wall:.2f} s / {r.validate.cpu:.2f} s ({min(r.validate_walls):.2f}–{max(r.validate_walls):.2f} s)"
         for r in results],
    )
    stage_names: list[str] = []
    for r in results:
        for name in r.stages_wall:
            if name not in stage_names:
                stage_names.append(name)
    for name in stage_names:
        row(
            f"build stage: {name} (wall / CPU)",
            [f"{r.stages_wall.get(name, 0):.2f} s / {r.stages_cpu.get(name, 0):.2f} s" for r in results],
        )
    row(
        "**whole build** `timeweave build` (wall / CPU)",
        [f"**{r.build.wall:.1f} s** / {r.build.cpu:.1f} s" for r in results],
    )
    row(
        "plain MkDocs build of the same pages (wall / CPU)",
        [f"{r.plain.wall:.1f} s / {r.plain.cpu:.1f} s" for r in results],
    )
    row(
        "**ratio whole ÷ plain** (wall / CPU)",
        [f"**{r.build.wall / r.plain.wall:.2f}** / {r.build.cpu / r.plain.cpu:.2f}" for r in results],
    )
    row(
        "plain MkDocs + Material build of as many simple pages, search on: the yardstick (wall / CPU)",
        [f"{r.yardstick.wall:.1f} s / {r.yardstick.cpu:.1f} s" for r in results],
    )
    row(
        "**ratio whole ÷ yardstick** (wall / CPU)",
        [f"**{r.build.wall / r.yardstick.wall:.2f}** / {r.build.cpu / r.yardstick.cpu:.2f}" for r in results],
    )
    row("peak memory (RSS) of the build", [f"{r.build.max_rss_mb:.0f} MB" for r in results])
    row("site size (files)", [f"{_mb(r.site_bytes)} ({r.site_files:,})" for r in results])
    row(
        "event page HTML: median / largest",
        [f"{_mb(r.event_page_median)} / {_mb(r.event_page_max)}" for r in results],
    )
    row("largest page of any kind", [f"{_mb(r.largest_page_bytes)} (`{r.largest_page}`)" for r in results])
    row("search index on disk (Pagefind's bundle; a query fetches a few fragments of it)",
        [f"{_mb(r.search_index_bytes)}" for r in results])
    for key, label in (
        ("first_build_s", "preview: first full build until served"),
        ("edit_body_s", "preview: edit an event's body → page served"),
        ("edit_title_s", "preview: edit an event's title → page served"),
    ):
        row(
            label,
            [
                (
                    f"{r.preview[key]} s"
                    if r.preview.get(key) is not None
                    else ("gave up" if r.preview else "not run")
                )
                for r in results
            ],
        )

    lines.append("")
    lines.append("Targets:")
    lines.extend(f"- {line}" for line in targets(results))
    return "\n".join(lines) + "\n"


def targets(results: list[SizeResult]) -> list[str]:
    out = []
    big = max(results, key=lambda r: r.n)
    small = min(results, key=lambda r: r.n)

    def mark(ok: bool) -> str:
        return "met" if ok else "**missed**"

    out.append(
        f"validation of {big.n:,} events under 3 s: {big.validate.wall:.2f} s — {mark(big.validate.wall < 3)}"
    )
    ratio = big.build.wall / big.plain.wall
    out.append(
        f"whole build ≤ 1.25 × plain MkDocs build at {big.n:,}: {ratio:.2f} (CPU "
        f"{big.build.cpu / big.plain.cpu:.2f}) — {mark(ratio <= 1.25)}"
    )
    for r in results:
        if r.n == YARDSTICK_N:
            ratio = r.build.wall / r.yardstick.wall
            paired = statistics.median(r.pair_ratios()) if r.pairs else ratio
            out.append(f"whole build ≤ 3 × the plain Material build of {r.n:,} simple pages: {paired:.2f}, the median "
                       f"of {len(r.pairs)} builds each between two yardstick runs "
                       f"({', '.join(f'{x:.2f}' for x in r.pair_ratios())}; the table's runs: {ratio:.2f}, CPU "
                       f"{r.build.cpu / r.yardstick.cpu:.2f}) — {mark(paired <= 3)}")
            if r.pair_kernel:
                out.append("the paired builds' system time and minor page faults, beside their yardstick runs': "
                           + "; ".join(f"{bs:.1f} s, {bf / 1000:.0f}k against {ys:.1f} s, {yf / 1000:.0f}k"
                                       for bs, bf, ys, yf in r.pair_kernel))
    out.append(f"memory under 2 GB: {big.build.max_rss_mb:.0f} MB — {mark(big.build.max_rss_mb < 2048)}")
    if small is not big:
        growth = big.build.wall / small.build.wall
        factor = big.n / small.n
        out.append(
            f"linear growth ({big.n:,} ≤ {factor * 1.1:.0f} × {small.n:,}): {growth:.1f}× wall, "
            f"{big.build.cpu / small.build.cpu:.1f}× CPU — {mark(growth <= factor * 1.1)}"
        )
        change = big.event_page_median / small.event_page_median - 1
        out.append(
            f"event page size independent of N (±10%): median {_mb(small.event_page_median)} → "
            f"{_mb(big.event_page_median)} ({change:+.1%}) — {mark(abs(change) <= 0.10)}"
        )
    latency = big.preview.get("edit_body_s")
    if big.preview:
        out.append(
            f"preview after one edit within 5 s: {latency} s — {mark(latency is not None and latency <= 5)}"
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-preview", action="store_true", help="skip the preview latency measurement")
    parser.add_argument("--record", type=Path, default=None, help="write the figures into this Markdown file")
    args = parser.parse_args(argv)

    args.out.mkdir(parents=True, exist_ok=True)
    # Python writes the package's bytecode on a first run, except where PYTHONDONTWRITEBYTECODE is
    # set (as on the machine these figures come from): compiled here, every run measures what a
    # contributor's second run does, not the compiling of the generator's sources.
    compileall.compile_dir(str(REPO / "generator"), quiet=1)
    info = machine()
    info["load_before"] = load()
    results = []
    for index, n in enumerate(sorted(args.sizes)):
        results.append(
            bench_size(
                n, args.out.resolve(), args.seed, preview=not args.no_preview and index == len(args.sizes) - 1
            )
        )
    info["load_after"] = load()
    text = report(results, info)
    print("\n" + text)
    (args.out / "results.md").write_text(text, encoding="utf-8")
    (args.out / "results.json").write_text(
        json.dumps({"machine": info, "results": [asdict(r) for r in results]}, indent=1, default=str),
        encoding="utf-8",
    )
    if args.record:
        record(args.record, text, BEGIN, END)
        print(f"recorded in {args.record}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
