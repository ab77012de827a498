"""Statuses that follow their definitions: `confirmed` needs two publishers or an official statement."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from timeweave.catalog.catalog import load_catalog
from timeweave.errors import ContentError

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "small_site" / "content"


def source_file(title: str, kind: str, publisher: str | None) -> str:
    lines = ["---", f"title: {title}", f"kind: {kind}", "url: https://example.org/other"]
    if publisher:
        lines.append(f"publisher: {publisher}")
    return "\n".join([*lines, "---", "A made-up source for the tests.", ""])


def event_file(status: str, *sources: str) -> str:
    lines = ["---", "title: A meeting", "date: 2020-02-12", "type: diplomacy", "actors:",
             "  - {actor: beta-leader, role: participant}", f"status: {status}", "sources:"]
    lines += [f"  - {{source: {source}, locator: paragraph {n}}}" for n, source in enumerate(sources, 1)]
    return "\n".join([*lines, "---", "An account.", ""])


def content_with(tmp_path: Path, event: str, sources: dict[str, str] | None = None) -> Path:
    content = tmp_path / "content"
    shutil.copytree(SMALL, content)
    (content / "events" / "2020" / "meeting.md").write_text(event, encoding="utf-8")
    for name, text in (sources or {}).items():
        (content / "sources" / f"{name}.md").write_text(text, encoding="utf-8")
    return content


def status_errors(content: Path) -> list[ContentError]:
    catalog, errors = load_catalog(content)
    assert (catalog is None) == bool(errors.errors)
    return [e for e in errors.errors if e.field == "status"]


def test_confirmed_on_one_source_is_refused_at_the_status_line(tmp_path: Path) -> None:
    (error,) = status_errors(content_with(tmp_path, event_file("confirmed", "fixture-report")))
    assert (error.path, error.line, error.field) == ("content/events/2020/meeting.md", 7, "status")
    assert "'confirmed' needs at least two independent sources (different publishers)" in error.message
    assert "this event has 1 publisher" in error.message
    assert "use 'reported'" in error.hint and "a second source from another publisher" in error.hint


def test_one_source_cited_twice_is_still_one_source(tmp_path: Path) -> None:
    event = event_file("confirmed", "fixture-report", "fixture-report")
    assert len(status_errors(content_with(tmp_path, event))) == 1


def test_two_sources_of_one_publisher_are_not_independent(tmp_path: Path) -> None:
    event = event_file("confirmed", "fixture-report", "press-follow-up")
    # The same publisher, written with other capitals and spaces, is still the same publisher.
    sources = {"press-follow-up": source_file("Follow-up", "news", "  fixture press ")}
    (error,) = status_errors(content_with(tmp_path, event, sources))
    assert "this event has 1 publisher" in error.message


def test_two_publishers_confirm(tmp_path: Path) -> None:
    event = event_file("confirmed", "fixture-report", "wire-story")
    sources = {"wire-story": source_file("Wire story", "news", "Other Wire")}
    assert status_errors(content_with(tmp_path, event, sources)) == []


def test_an_official_statement_confirms_on_its_own(tmp_path: Path) -> None:
    assert status_errors(content_with(tmp_path, event_file("confirmed", "alpha-statement"))) == []


def test_other_statuses_rest_on_one_source(tmp_path: Path) -> None:
    for status in ("reported", "claimed", "disputed"):
        assert status_errors(content_with(tmp_path / status, event_file(status, "fixture-report"))) == []


def test_validate_reports_what_the_build_refuses(tmp_path: Path) -> None:
    content = content_with(tmp_path, event_file("confirmed", "fixture-report"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "timeweave", "validate"], cwd=content.parent, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.startswith("content/events/2020/meeting.md:7: status: 'confirmed' needs")
