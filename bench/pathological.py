"""CPU time of validation and of the build on pathological account bodies.

`python bench/pathological.py [--sizes 20000 200000] [--validate-only 1000000]` prints a Markdown
table: for each shape (the tests use the same ones, from here) and body size, the CPU
time of the body checks (content/policy.py and content/textchecks.py, in this process, best of
three) and of a real build of tests/fixtures/small_site with one more event of that body
(`python -m mkdocs build` in a child process, CPU time from its rusage). A body over a limit is
refused by validation, and the build stops there: its build time is that of the refusal.
Bodies over the 256 KB file limit are only validated.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from timeweave.content.loader import MAX_FILE_BYTES
from timeweave.content.policy import MAX_HEADINGS, body_problems
from timeweave.content.textchecks import find_invisible

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "small_site"
FRONT_MATTER = (ROOT / "tests" / "fixtures" / "hostile" / "event-body-script.md").read_text().split("---\n", 2)[1]


def repeat(unit: str) -> Callable[[int], str]:
    """A body of `size` characters made of copies of unit (cut to size)."""
    return lambda size: (unit * (size // len(unit) + 1))[:size]


# Each shape is one pathological input (tests/content/test_bounded_work.py holds validation of each to
# a CPU-time budget), grown by repeating what made it slow (lines kept under
# MAX_LINE, so that every check still runs instead of the limits' early answer).
SHAPES: dict[str, Callable[[int], str]] = {
    "one long line": lambda size: "a" * size,
    "heading, spaces inside": repeat("# _a" + " " * 15_000 + "x\n"),
    "heading, '#' inside": repeat("# _a" + " #" * 7_000 + "x\n"),
    "many headings": repeat("## _h\n\n"),
    "setext headings": repeat("_" + "a" * 40 + "\n===\n"),
    "'<' without '>'": lambda size: "<b " * 400 + repeat("x onclick=\n")(size),
    "'<' and handlers": repeat("<b " + "x onclick=" * 20 + "\n"),
    "run of '['": lambda size: "[" * 400 + repeat("a](http://e.org/)\n")(size),
    "run of '*' and '_'": repeat("*" * 30 + "_" * 30 + "a\n"),
    "backticks": repeat("`" * 50 + "a\n"),
    "nested lists": repeat("".join("  " * depth + "- x\n" for depth in range(30))),
    "nested quotes": repeat("> " * 30 + "x\n"),
    "reference definitions": repeat("[r]: http://example.org/a\n[r] "),
    "long URL": repeat("<http://example.org/" + "a" * 15_000 + ">\n"),
    "entities in a heading": repeat("# &#95;" + "&amp;" * 2_000 + "\n"),
    "joiners between letters": repeat("\u0628\u200d\u0628 \u0915\u200c\u0915 "),
    "link text like an address": lambda size: "[" + repeat("a.")(min(size, 15_000)) + "](http://e.org/)\n" +
                                                repeat("text\n")(size),
}

# For the build column: an account at the heading limit, which Python-Markdown's ids make slowest.
BENCH_SHAPES: dict[str, Callable[[int], str]] = {
    **SHAPES, "headings at the limit": lambda size: "## Same heading\n\n" * MAX_HEADINGS}


def validate_cpu(body: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        list(body_problems(body))
        find_invisible(body)
        best = min(best, time.process_time() - start)
    return best


def build_cpu(body: str) -> tuple[float, bool]:
    """CPU time of a child's MkDocs build of the fixture site with this body, and whether it built."""
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "src"
        shutil.copytree(FIXTURE, site)
        (site / "content" / "events" / "2020" / "pathological.md").write_text(f"---\n{FRONT_MATTER}---\n{body}")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(site / "mkdocs.yml"),
                              "-d", str(Path(tmp) / "site")], capture_output=True, text=True, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, run.returncode == 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 200_000])
    parser.add_argument("--validate-only", type=int, nargs="*", default=[1_000_000])
    parser.add_argument("--shapes", nargs="*", default=list(BENCH_SHAPES))
    args = parser.parse_args(argv)
    print("| shape | body size | validate CPU | build CPU |")
    print("|---|---|---|---|")
    for name in args.shapes:
        sizes = [*args.sizes, *args.validate_only]
        for size in sizes[:1] if name == "headings at the limit" else sizes:  # its size is fixed
            body = BENCH_SHAPES[name](size)
            check = validate_cpu(body)
            if size in args.validate_only or len(body.encode()) > MAX_FILE_BYTES - 1024:
                built = "over the file limit"
            else:
                seconds, ok = build_cpu(body)
                built = f"{seconds:.2f} s" + ("" if ok else " (refused)")
            print(f"| {name} | {len(body):,} | {check:.4f} s | {built} |", flush=True)


if __name__ == "__main__":
    main()
