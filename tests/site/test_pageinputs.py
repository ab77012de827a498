"""A build that reuses the pages an earlier build kept (site/pageinputs.py, output/markdowncache.py)
gives exactly the pages of a full build, after every kind of edit, and renders only what changed."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import pytest
from content_edits import EDITS, nth_event

from timeweave.catalog.catalog import load_catalog
from timeweave.content.history import Change, History
from timeweave.output.markdowncache import MarkdownCache
from timeweave.site.pageinputs import PageInputs
from timeweave.site.pages import GeneratedPage, SiteOptions, generate_pages

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402

OPTIONS = SiteOptions(site_name="Scale", page_size=7, record_page_size=5)
OVERRIDES = ROOT / "site_overrides"


class Counted:
    """The cache, counting the pages it could not give (those the build rendered)."""

    def __init__(self, cache: MarkdownCache) -> None:
        self.cache, self.missed = cache, 0

    def page(self, inputs: str) -> GeneratedPage | None:
        found = self.cache.page(inputs)
        self.missed += found is None
        return found


def built(content: Path, cache: MarkdownCache, history: History | None = None) -> tuple[list[GeneratedPage], int]:
    """The pages of a build that reuses what the cache holds, and how many it rendered."""
    catalog, errors = load_catalog(content, content.parent)
    assert catalog is not None, errors.items
    counted = Counted(cache)
    pages = generate_pages(catalog, OPTIONS, OVERRIDES, history, reuse=PageInputs("scope", counted.page))
    cache.keep(pages)
    return pages, counted.missed


def full(content: Path, history: History | None = None) -> list[GeneratedPage]:
    catalog, errors = load_catalog(content, content.parent)
    assert catalog is not None, errors.items
    return generate_pages(catalog, OPTIONS, OVERRIDES, history)


def same(pages: list[GeneratedPage], expected: list[GeneratedPage]) -> bool:
    """The same pages in the same order, every field but the digest they were kept under."""
    return [dataclasses.replace(p, inputs=None) for p in pages] == expected


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    corpus.write_content(folder, 80, seed=3)
    return folder


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_build_after_an_edit_equals_a_full_build(content: Path, tmp_path: Path, edit: str) -> None:
    cache = MarkdownCache(tmp_path / "cache", None)
    first, rendered = built(content, cache)
    assert same(first, full(content)) and rendered == sum(p.inputs is not None for p in first)
    EDITS[edit](content)
    again, rendered = built(content, cache)
    assert same(again, full(content))
    assert 0 < rendered < len(again) or edit == "vocabulary label"


def test_nothing_changed_renders_only_the_pages_without_a_digest(content: Path, tmp_path: Path) -> None:
    cache = MarkdownCache(tmp_path / "cache", None)
    first, _ = built(content, cache)
    again, rendered = built(content, cache)
    assert rendered == 0 and same(again, [dataclasses.replace(p, inputs=None) for p in first])
    # Those that read the catalog as a whole: the home page, the lists of types and tags, the map.
    assert {p.src_uri for p in again if p.inputs is None} == {"index.md", "types/index.md", "tags/index.md",
                                                              "map.md"}


def test_the_cache_keeps_only_the_pages_of_the_last_build(content: Path, tmp_path: Path) -> None:
    cache = MarkdownCache(tmp_path / "cache", None)
    built(content, cache)
    EDITS["event title"](content)
    pages, _ = built(content, cache)
    kept = {entry.name.removesuffix(".md") for entry in cache.folder.rglob("*.md")}
    assert kept == {p.inputs for p in pages if p.inputs is not None}
    assert sorted(entry.name for entry in cache.folder.iterdir() if entry.is_file()) == ["fields.json"]
    assert set(json.loads((cache.folder / "fields.json").read_text("utf-8"))) == kept


def test_an_event_page_follows_its_file_history(content: Path, tmp_path: Path) -> None:
    cache = MarkdownCache(tmp_path / "cache", None)
    path = nth_event(content, 5).relative_to(content.parent).as_posix()
    first = Change("a" * 40, "2026-01-02T10:00:00+00:00", "Add the event", path)
    later = Change("b" * 40, "2026-02-03T11:00:00+00:00", "Correct the event", path)
    built(content, cache, History(True, files={path: (first,)}))
    history = History(True, files={path: (later, first)})
    pages, rendered = built(content, cache, history)
    assert same(pages, full(content, history)) and rendered >= 1
    page = next(p for p in pages if p.src_uri == f"events/{Path(path).stem}.md")
    assert "b" * 7 in page.content or "2026-02-03" in page.content


def test_another_scope_reuses_nothing(content: Path, tmp_path: Path) -> None:
    cache = MarkdownCache(tmp_path / "cache", None)
    built(content, cache)
    catalog, _ = load_catalog(content, content.parent)
    assert catalog is not None
    counted = Counted(cache)
    pages = generate_pages(catalog, OPTIONS, OVERRIDES, reuse=PageInputs("another scope", counted.page))
    assert counted.missed == sum(p.inputs is not None for p in pages)
