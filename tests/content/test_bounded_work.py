"""No single file can stall validation or the build: every body check costs time linear in the
body's size within the limits of content/policy.py, and what Python-Markdown would make quadratic
(the number of headings, the length of a line) is refused with a pointed error."""

from __future__ import annotations

import re
import shutil
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeweave.catalog.catalog import load_catalog
from timeweave.content.htmlscan import event_attributes
from timeweave.content.policy import (
    MAX_HEADINGS,
    MAX_LINE,
    body_problems,
)
from timeweave.content.textchecks import find_invisible

from conftest import FIXTURES, ROOT, mkdocs_build

sys.path.insert(0, str(ROOT / "bench"))
from pathological import SHAPES, repeat  # noqa: E402  (the benchmark's shapes, one home for both)

# A linear check costs 25 times more on the large body than on the small one; the budget, 50 times,
# leaves room for the machine's noise, and a quadratic one (625 times) fails it.
SMALL, LARGE = 40_000, 1_000_000
# The patterns the linear searches replace, as they were
_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.M)
_EVENT_ATTR = re.compile(r"""<[^>]*?[\s/"'](on[a-z]+|style)\s*=""", re.I | re.S)


def _validate(body: str) -> None:
    list(body_problems(body))
    find_invisible(body)


def _cpu(body: str, repetitions: int = 3) -> float:
    best = float("inf")
    for _ in range(repetitions):
        start = time.process_time()
        _validate(body)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_validating_a_pathological_body_costs_time_linear_in_its_size(shape: str) -> None:
    small, large = SHAPES[shape](SMALL), SHAPES[shape](LARGE)
    # A floor for the small one: a body checked in a few milliseconds makes the ratio only noise.
    budget = 50 * max(_cpu(small), 0.005)
    assert _cpu(large) <= budget, f"{shape}: {_cpu(large):.3f} s for 1 MB, budget {budget:.3f} s"


@settings(max_examples=25, deadline=None)
@given(unit=st.text(alphabet="#_ \t<>[]()*`=-!&:/\n>ax", min_size=1, max_size=12))
def test_any_repeated_unit_costs_time_linear_in_the_size(unit: str) -> None:
    small, large = repeat(unit)(SMALL // 4), repeat(unit)(LARGE // 4)
    assert _cpu(large, 2) <= 50 * max(_cpu(small, 2), 0.005), repr(unit)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="#_ \t<>\"'/=onclickstyle\nax", max_size=80))
def test_the_linear_search_finds_what_the_pattern_found(text: str) -> None:
    assert list(event_attributes(text)) == [(m.start(1), m.group(1)) for m in _EVENT_ATTR.finditer(text)]


FRONT_MATTER = (FIXTURES / "hostile" / "event-body-script.md").read_text().split("---\n", 2)[1]


def _place(tmp_path: Path, name: str, body: str) -> tuple[Path, str]:
    """The small site's content with one more event of this body (its first line is line 8)."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "small_site" / "content", content)
    (content / "events" / "2020" / name).write_text(f"---\n{FRONT_MATTER}---\n{body}")
    return content, f"content/events/2020/{name}"


def _errors(content: Path) -> list[str]:
    catalog, log = load_catalog(content, content.parent, date(2026, 1, 1))
    assert catalog is None
    return [e.format() for e in log.errors]


def test_a_line_over_the_limit_is_refused_with_its_line(tmp_path: Path) -> None:
    """The input that broke it: one line of an account long enough for the heading check to run for minutes."""
    content, shown = _place(tmp_path, "event-long-line.md", "Intro.\n\n# _a" + " " * (MAX_LINE + 10) + "x\n")
    assert f"{shown}:10: body: more than {MAX_LINE} characters in one line ({MAX_LINE + 15})" \
           " (hint: break the line: a paragraph can go on over several lines)" in _errors(content)


def test_too_many_headings_are_refused(tmp_path: Path) -> None:
    """The input that broke it: tens of thousands of short headings passed, and the build took minutes."""
    content, shown = _place(tmp_path, "event-many-headings.md", "## h\n\n" * (MAX_HEADINGS + 1))
    errors = _errors(content)
    assert any(e.startswith(f"{shown}:8: body: more than {MAX_HEADINGS} headings") for e in errors), errors


def test_a_body_at_the_heading_limit_builds(tmp_path: Path) -> None:
    """A real MkDocs build of a site whose event has as many identical headings as allowed."""
    site = tmp_path / "site_src"
    shutil.copytree(FIXTURES / "small_site", site)
    event = min((site / "content" / "events").rglob("*.md"))
    text = event.read_text()
    event.write_text(text.rstrip("\n") + "\n\n" + "## Same heading\n\nText.\n\n" * (MAX_HEADINGS - 10))
    built = mkdocs_build(site, tmp_path / "site")
    assert any("same-heading_900" in page.read_text() for page in built.rglob("index.html"))
