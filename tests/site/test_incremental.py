"""Dirty rebuilds give exactly what a full build gives: after every kind of edit, the pages the
incremental site holds equal generate_pages() of the edited content, page for page."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from content_edits import EDITS, nth_event, substitute

from timeweave.catalog.catalog import load_catalog
from timeweave.content.loader import load_content
from timeweave.site.incremental import IncrementalSite
from timeweave.site.pages import PageRenderer, SiteOptions, generate_pages
from timeweave.site.reader import relative_order

from conftest import FIXTURES, ROOT

sys.path.insert(0, str(ROOT / "bench"))
import corpus

OPTIONS = SiteOptions(site_name="Scale", page_size=7, record_page_size=5)


def full_pages(content: Path) -> dict[str, str]:
    catalog, errors = load_catalog(content, content.parent)
    assert catalog is not None, errors.items
    return {page.src_uri: page.content for page in generate_pages(catalog, OPTIONS, ROOT / "site_overrides")}


@pytest.fixture
def site(tmp_path: Path) -> tuple[IncrementalSite, Path]:
    content = tmp_path / "content"
    corpus.write_content(content, 80, seed=3)
    incremental = IncrementalSite(content, OPTIONS, ROOT / "site_overrides", tmp_path)
    first = incremental.start()
    assert not first.errors and first.rendered == len(first.changed) == len(incremental.contents)
    return incremental, content


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_dirty_rebuild_equals_a_full_build(site: tuple[IncrementalSite, Path], edit: str) -> None:
    incremental, content = site
    before = dict(incremental.contents)
    EDITS[edit](content)
    update = incremental.update()
    assert not update.errors, update.errors
    expected = full_pages(content)
    assert incremental.contents == expected
    changed = {page.src_uri for page in update.changed}
    assert changed == {uri for uri in expected if before.get(uri) != expected[uri]}
    assert set(update.removed) == set(before) - set(expected)
    assert update.rendered < len(expected) or edit == "vocabulary label"


def test_successive_edits_each_equal_a_full_build(site: tuple[IncrementalSite, Path]) -> None:
    """Fingerprints kept from one update are reused by the next: each must still hold."""
    incremental, content = site
    for edit in ("event body", "event gains an actor", "actor name", "event title", "event deleted"):
        EDITS[edit](content)
        update = incremental.update()
        assert not update.errors, (edit, update.errors)
        assert incremental.contents == full_pages(content), edit
    again = incremental.update()
    assert again.changed == [] and again.removed == []


def test_an_edit_that_breaks_the_content_changes_nothing(site: tuple[IncrementalSite, Path]) -> None:
    incremental, content = site
    before = dict(incremental.contents)
    substitute(nth_event(content, 3), r'^type: ".*"$', 'type: "no-such-type"')
    update = incremental.update()
    assert update.errors and not update.changed
    assert incremental.contents == before


def test_nothing_changed_renders_only_the_pages_that_read_the_whole_catalog(
    site: tuple[IncrementalSite, Path],
) -> None:
    incremental, _ = site
    update = incremental.update()
    assert update.changed == [] and update.removed == []
    # only the pages that read the catalog as a whole (home, types, tags, map...)
    assert update.rendered == sum(1 for found in incremental.prints.values() if found is None) <= 10
    assert incremental.unchanged()


def test_the_loader_cache_reads_only_changed_files(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "small_site" / "content", content)
    cache: dict = {}
    first = load_content(content, tmp_path, cache)
    again = load_content(content, tmp_path, cache)
    assert [id(r) for r in first.records] == [id(r) for r in again.records]
    target = content / "events" / "2020" / "phone-call.md"
    target.write_text(target.read_text(encoding="utf-8").replace("agreed", "settled"), encoding="utf-8")
    third = load_content(content, tmp_path, cache)
    plain = load_content(content, tmp_path)
    changed = [r for r in third.records if r.path.endswith("phone-call.md")][0]
    assert "settled" in changed.body
    assert [(r.path, r.data, r.body) for r in third.records] == [
        (r.path, r.data, r.body) for r in plain.records
    ]
    assert sum(a is not b for a, b in zip(first.records, third.records, strict=True)) == 1
    target.unlink()
    assert len(load_content(content, tmp_path, cache).records) == len(first.records) - 1
    assert str(target) not in cache


def test_around_equals_a_scan_of_the_whole_timeline(tmp_path: Path) -> None:
    content = tmp_path / "content"
    corpus.write_content(content, 300, seed=5)
    catalog, _ = load_catalog(content, tmp_path)
    assert catalog is not None
    renderer = PageRenderer(catalog, OPTIONS)
    for event in catalog.events.values():
        actors = {a.actor for a in event.actors}
        others = [e for e in catalog.timeline if e.id != event.id and actors & {a.actor for a in e.actors}]
        position = catalog.position.get(event.id)
        before = [e for e in others if position is not None and catalog.position[e.id] < position][-3:]
        after = [e for e in others if position is not None and catalog.position[e.id] > position][:3]
        # Of these nearest, only what is certain is "before" or "after"; the rest is "about the same time".
        pairs = catalog.order_pairs
        nearest = [*before, *after]
        assert renderer.around(event) == (
            [e for e in nearest if relative_order(event, e, pairs) < 0],
            [e for e in nearest if relative_order(event, e, pairs) == 0],
            [e for e in nearest if relative_order(event, e, pairs) > 0]), event.id
