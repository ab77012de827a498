"""The pipeline (timeweave/build.py) on real fixture sites: validate is its first half, both
runners give the same bytes, and running it leaves the process as it found it."""

from __future__ import annotations

import gc
import re
from pathlib import Path

import pytest

from timeweave.build import build, validate
from timeweave.cli import main as cli
from timeweave.errors import ContentErrors
from timeweave.output.markdowncache import MarkdownCache
from timeweave.output.pagecache import CACHE_DIR
from timeweave.parallel.runner import SERIAL, ForkedRunner
from timeweave.project import project_from_config_file

from conftest import FIXTURES, copy_site


@pytest.mark.parametrize("site", ["small_site", "map_site", "data_site", "hostile_site"])
def test_the_forked_runner_gives_the_serial_runners_pages_and_files(site: str) -> None:
    project = project_from_config_file(FIXTURES / site / "mkdocs.yml")
    serial = build(project, SERIAL)
    forked = build(project, ForkedRunner(fork_from=1, even_with_threads=True))
    assert [(p.src_uri, p.content, p.in_nav) for p in forked.pages] == \
        [(p.src_uri, p.content, p.in_nav) for p in serial.pages]
    assert forked.files == serial.files and len(serial.files) > 10
    assert forked.published_urls == serial.published_urls


def test_pages_kept_by_another_process_are_whole_for_the_next_build(tmp_path: Path) -> None:
    # The forked runner keeps the pages in the Markdown cache in another process, while the files are made.
    project = project_from_config_file(copy_site(FIXTURES / "small_site", tmp_path / "site") / "mkdocs.yml")
    result = build(project, ForkedRunner(fork_from=1, even_with_threads=True), use_cache=True)
    assert result.markdown is not None
    kept = [page for page in result.pages if page.inputs is not None]
    assert len(kept) > 10
    next_build = MarkdownCache(project.root / CACHE_DIR, project.options.site_url)  # as the next build reads it
    for page in kept:
        assert result.markdown.source_file(page.inputs).read_text(encoding="utf-8") == page.source
        assert next_build.page(page.inputs) is not None, page.src_uri
    again = build(project, SERIAL, use_cache=True)
    assert [(p.src_uri, p.source) for p in again.pages] == [(p.src_uri, p.source) for p in result.pages]


def test_validate_is_the_first_half_of_build(tmp_path: Path) -> None:
    project_dir = copy_site(FIXTURES / "small_site", tmp_path / "site")
    project = project_from_config_file(project_dir / "mkdocs.yml")
    validation = validate(project)
    assert validation.catalog is not None and not validation.errors
    assert validation.catalog.timeline == [], "validation alone makes no indexes"
    assert build(project).catalog is not None
    event = next((project_dir / "content" / "events").rglob("*.md"))
    event.write_text(re.sub(r"^type: .*$", "type: no-such-type", event.read_text(encoding="utf-8"),
                            count=1, flags=re.M), encoding="utf-8")
    broken = validate(project)
    assert broken.errors
    assert any("no-such-type" in e.message for e in broken.errors)
    with pytest.raises(ContentErrors) as failed:
        build(project)
    assert failed.value.errors == broken.problems


def test_validate_in_process_leaves_the_garbage_collector_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """`main(["validate"])` once turned the collector off for good (the command assumed the process
    would end with it)."""
    monkeypatch.chdir(FIXTURES / "small_site")
    assert gc.isenabled()
    assert cli.main(["validate"]) == cli.EXIT_OK
    assert gc.isenabled()


def test_feed_and_licence_options_reach_the_exports(tmp_path: Path) -> None:
    site = copy_site(FIXTURES / "early_site", tmp_path / "site")
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "      page_size: 50", "      page_size: 50\n      feed_entries: 2\n      record_feed_entries: 1\n"
        "      data_license: CC-BY-4.0"), encoding="utf-8")
    result = build(project_from_config_file(config))
    files = {f.path: f.content for f in result.files}
    assert files["data/feeds/events.atom"].count(b"<entry>") == 2
    assert files["data/feeds/actors/alpha-state.atom"].count(b"<entry>") == 1
    assert b'"licenses": [\n    {\n      "name": "CC-BY-4.0"' in files["data/datapackage.json"]
    # Years 9-2020 fit iCalendar and Atom; the one BCE event does not, and is listed once.
    assert [n for n in result.notices if "left out" in n] == [
        "1 event(s) left out of events.ics, feeds/*.atom, events-acled.csv, whose dates those formats "
        "cannot hold (years 1-9999 only): talks-in-501-bce"]
