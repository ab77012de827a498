"""Dirty rebuilds give exactly what a full build gives: after every kind of edit, the pages the
incremental site holds equal generate_pages() of the edited content, page for page."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from timeweave.catalog.catalog import load_catalog
from timeweave.content.loader import load_content
from timeweave.site.incremental import IncrementalSite
from timeweave.site.pages import PageRenderer, SiteOptions, generate_pages
from timeweave.site.reader import relative_order

from conftest import FIXTURES, ROOT

sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402

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


def _sub(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed = re.sub(pattern, replacement, text, count=1, flags=re.M)
    assert changed != text, pattern
    path.write_text(changed, encoding="utf-8")


def _event(content: Path, index: int) -> Path:
    return sorted((content / "events").rglob("*.md"))[index]


def _dated_event(content: Path) -> Path:
    """An event in the middle of the timeline whose date starts with its year (not '../')."""
    events = sorted((content / "events").rglob("*.md"))
    return next(p for p in events[20:] if re.search(r'^date: "\d{4}', p.read_text(encoding="utf-8"), re.M))


def _record(content: Path, folder: str, index: int) -> Path:
    return sorted((content / folder).glob("*.md"))[index]


def _gain_actor(content: Path) -> None:
    """An event gets an actor it did not have: that actor's page must list it though the page
    never depended on the event before."""
    event = _event(content, 18)
    text = event.read_text(encoding="utf-8")
    actor = next(p.stem for p in sorted((content / "actors").glob("*.md")) if f'"{p.stem}"' not in text)
    _sub(event, r"^actors: \[", f'actors: [{{"actor": "{actor}", "role": "commander"}}, ')


def _move_to_new_month(content: Path) -> None:
    """An event moves to a year folder and a month no event had: a month page appears, one goes
    if it was alone, and the timeline's pages shift."""
    events = sorted((content / "events").rglob("*.md"))
    dated = re.compile(r'^date: "(\d{4}-\d{2})', re.M)
    taken = {m for p in events for m in dated.findall(p.read_text(encoding="utf-8"))}
    months = (f"{year}-{month:02d}" for year in range(2011, 2023) for month in range(1, 13))
    month = next(m for m in months if m not in taken)
    source = next(
        p for p in events[20:]
        if p.parent.name != month[:4] and re.search(r'^date: "\d{4}', p.read_text(encoding="utf-8"), re.M)
    )
    target = content / "events" / month[:4] / source.name
    text = source.read_text(encoding="utf-8")
    text = re.sub(r'^date: ".*"$', f'date: "{month}-15"', text, count=1, flags=re.M)
    target.parent.mkdir(exist_ok=True)
    source.unlink()
    target.write_text(text, encoding="utf-8")


EDITS: dict[str, Callable[[Path], None]] = {
    "event gains an actor": _gain_actor,
    "event gains a new tag": lambda c: _sub(
        _event(c, 19), r"^tags: \[(.*)\]$", r'tags: ["brand-new-tag", \1]'
    ),
    "event moves to another year and a new month": _move_to_new_month,
    "event body": lambda c: _event(c, 10).write_text(_event(c, 10).read_text() + "\nOne more sentence.\n"),
    "event title": lambda c: _sub(_event(c, 11), r'^title: "(.*)"$', r'title: "\1, renamed"'),
    "event date moves it": lambda c: _sub(_dated_event(c), r'^date: "(\d{4})[^"]*"$', r'date: "\1-01-01"'),
    "event status": lambda c: _sub(_event(c, 13), r'^status: ".*"$', 'status: "disputed"'),
    "event loses its actors but one": lambda c: _sub(
        _event(c, 14), r"^actors: \[(\{[^}]*\}).*\]$", r"actors: [\1]"
    ),
    "actor name": lambda c: _sub(_record(c, "actors", 0), r'^name: "(.*)"$', r'name: "\1 Renamed"'),
    "place name": lambda c: _sub(_record(c, "places", 0), r'^name: "(.*)"$', r'name: "\1 Renamed"'),
    "source title": lambda c: _sub(_record(c, "sources", 0), r'^title: "(.*)"$', r'title: "\1 renamed"'),
    "event withdrawn": lambda c: _sub(
        _event(c, 15),
        r'^status: (".*")$',
        r'status: \1\nwithdrawn: {"date": "2023-02-01", "reason": "A duplicate."}',
    ),
    "event deleted": lambda c: _event(c, 16).unlink(),
    "event added": lambda c: _event(c, 17)
    .with_name("a-copied-event.md")
    .write_text(re.sub(r"^former_ids: .*\n", "", _event(c, 17).read_text(), flags=re.M)),
    "vocabulary label": lambda c: _sub(
        c / "vocabulary.yml", r"^    label: Shelling$", "    label: Shellfire"
    ),
}


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
    _sub(_event(content, 3), r'^type: ".*"$', 'type: "no-such-type"')
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
