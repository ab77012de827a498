"""Pagefind's time and memory over a built site, the index made in parts (output/search.py):

    python bench/search_parts.py SITE_DIR WORK_DIR [--workers 1 2]

SITE_DIR is only read: it is copied (without its search bundle) into WORK_DIR. For each number of
runs at once: a cold index of the copy (wall time, CPU time of the Pagefind runs, the peak of the
resident memory of all Pagefind runs together, sampled every 50 ms, and the largest single run's
peak as the kernel counts it); then a rebuild after one edit, as `timeweave build` does it: a new
copy of the site with one event page changed, indexed against the first (the parts whose pages
did not change copied from it), with the parts it indexed again.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import threading
import time
from pathlib import Path

from timeweave.output.search import BUNDLE_DIR, index_site, site_parts


def _tree_rss() -> int:
    """Resident bytes of every process below this one (Pagefind's runs)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, parent = int(entry), int(fields[1])
        children.setdefault(parent, []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, list(children.get(os.getpid(), []))
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def measured(run: object) -> tuple[object, float, float, int]:
    """run() -> (its result, wall s, children's CPU s, peak resident bytes of all children)."""
    peak, stop = [0], threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss())
            time.sleep(0.05)

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.perf_counter()
    result = run()  # type: ignore[operator]
    wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result, wall, cpu, peak[0]


def copy_site(site: Path, target: Path) -> Path:
    shutil.rmtree(target, ignore_errors=True)
    return shutil.copytree(site, target, ignore=shutil.ignore_patterns(BUNDLE_DIR), copy_function=_link_or_copy)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)  # the copies only read the pages; the edited one is replaced
    except OSError:
        shutil.copy2(source, target)


def edit_one_event(site: Path) -> str:
    page = sorted((site / "events").glob("*/index.html"))[len(list((site / "events").iterdir())) // 2]
    text = page.read_text("utf-8")
    page.unlink()  # a hard link to the other copies: replaced, not written through
    page.write_text(text.replace("</h1>", " (edited)</h1>", 1), "utf-8")
    return page.relative_to(site).as_posix()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", type=Path)
    parser.add_argument("work", type=Path)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    parts = site_parts(args.site)
    print(f"{sum(len(p.pages) for p in parts)} pages in {len(parts)} parts: "
          + ", ".join(f"{p.name} {len(p.pages)}" for p in parts))
    for workers in args.workers:
        cold = copy_site(args.site, args.work / "cold")
        _, wall, cpu, peak = measured(lambda: index_site(cold, workers=workers))  # noqa: B023
        largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        print(f"workers {workers}: cold {wall:.1f} s wall, {cpu:.1f} s CPU, peak {peak / 2**20:.0f} MB together,"
              f" largest run so far {largest / 2**20:.0f} MB")
        again = copy_site(args.site, args.work / "again")
        edited = edit_one_event(again)
        done, wall, cpu, peak = measured(lambda: index_site(again, cold, workers=workers))  # noqa: B023
        print(f"workers {workers}: rebuild after editing {edited}: {wall:.1f} s wall, {cpu:.1f} s CPU,"
              f" peak {peak / 2**20:.0f} MB, indexed {done.indexed}, kept {len(done.kept)}")  # type: ignore[attr-defined]
        sys.stdout.flush()


if __name__ == "__main__":
    main()
