"""Dirty rebuilds for the preview: after an edit, re-read only the changed files and re-render only
the pages whose inputs changed. Pure: no MkDocs import (generator/timeweave/builders/mkdocs/preview.py is the adapter).

How a page is known to be clean without rendering it:
- Loading goes through the loader's per-file cache and the catalog's per-record cache, so a record
  whose file did not change is the *same object* as before; a changed file gives a new object.
- Every page is laid out lazily and what it reads is found as pagereads.py says. A page's
  fingerprint is that shape plus the record objects it shows or points to, and the vocabulary.
  Same shape and the same objects: the page is clean. A record page's metadata (description,
  JSON-LD) is deferred to rendering; it reads only what the fingerprint holds.
- Walking every page's context after every edit cost seconds on a large timeline, so each fingerprint also
  keeps the keys of every record it depends on (`Fingerprint.reads`, the reverse index read page
  by page): a page whose keys miss every record added, removed or re-read by this load (and every
  fact of `site_facts` that changed), and whose new layout holds the same values and record
  objects as the previous one (`same_layout`, a shallow comparison), keeps its fingerprint
  unwalked. A change in which pages show a record (an event gains an actor, moves in the
  timeline) changes some page's layout, so it is walked too.
- Pages whose context holds no record at all (home, types, tags...) read the catalog as a whole:
  they are always re-rendered. Every re-rendered page is compared with its previous Markdown, and
  only pages whose Markdown changed go back to MkDocs.

Limits: a template that reads from the catalog something its context does not lead to (neither a
record in the context nor one of their references) would not be refreshed by an edit of that
record; tests/site/test_incremental.py compares dirty rebuilds with full builds to catch that. Non-page
outputs (data files, exports) are left as the first build wrote them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from timeweave import urls
from timeweave.catalog.catalog import Catalog, Location, RecordCache, load_catalog
from timeweave.content.loader import FileCache
from timeweave.content.models import Record
from timeweave.errors import ContentError
from timeweave.parallel.runner import paused_collector
from timeweave.site.pagereads import (
    LISTED_KINDS,
    Fingerprint,
    LazyContent,
    LazyRenderer,
    events_of,
    page_reads,
    site_facts,
)
from timeweave.site.pages import GeneratedPage, SiteOptions


def _digest(record: Record, digests: dict[int, tuple[Record, tuple[Any, ...]]] | None) -> tuple[Any, ...]:
    """The record without its body, as a tuple compared by value (cached per record object)."""
    hit = digests.get(id(record)) if digests is not None else None
    if hit is not None and hit[0] is record:
        return hit[1]
    digest = tuple((name, value) for name, value in record if name != "body")
    if digests is not None:
        digests[id(record)] = (record, digest)
    return digest


def fingerprint(
    lazy: LazyContent,
    catalog: Catalog,
    vocabulary: Any = None,
    digests: dict[int, tuple[Record, tuple[Any, ...]]] | None = None,
    facts: Mapping[str, Any] | None = None,
) -> Fingerprint | None:
    """None for a page that reads the catalog as a whole (no record in its context). facts:
    site_facts(catalog), found once for every page."""
    found = page_reads(lazy, catalog, facts)
    if found is None:
        return None
    tables = catalog.records_by_kind()
    # The page's own record counts whole; any other record only by what a list or a link can show
    # of it, which is everything but its body: editing an account re-renders its own page only.
    found.objects = [vocabulary or catalog.vocabulary]
    for key, record in found.shown.items():
        found.objects.append(
            record if urls.record_url(*key.split(":", 1)) == lazy.url else _digest(record, digests)
        )
    for key in sorted(found.keys - set(found.shown)):
        kind, _, record_id = key.partition(":")
        other = tables[kind].get(record_id)
        found.objects.append(other if other is None else _digest(other, digests))
    return found


def _same(a: Any, b: Any) -> bool:
    """Whether two layouts' context values would walk to the same fingerprint, given that none of
    the records involved changed: records and anything unknown by identity, the rest by value."""
    if a is b:
        return True
    kind = type(a)
    if kind is not type(b):
        return False
    if kind in (str, int, float, bool, date):
        return bool(a == b)
    if kind in (list, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if kind is dict:
        return list(a) == list(b) and all(_same(a[name], b[name]) for name in a)
    if kind is Location:
        return (a.lat, a.lon, a.precision) == (b.lat, b.lon, b.precision) and a.place is b.place
    if isinstance(a, Record):
        return False
    if isinstance(a, BaseModel):
        return repr(a) == repr(b)
    return False  # functions, unknown objects: the page is fingerprinted in full


def same_layout(lazy: LazyContent, before: LazyContent) -> bool:
    """The same template, title, metadata and context as the previous layout of the page."""
    if (lazy.template, lazy.title) != (before.template, before.title):
        return False
    if callable(lazy.meta) or callable(before.meta):
        # Deferred metadata reads only records the fingerprint holds (see fingerprint()).
        if not (callable(lazy.meta) and callable(before.meta)):
            return False
    elif lazy.meta != before.meta:
        return False
    return list(lazy.context) == list(before.context) and all(
        _same(lazy.context[name], before.context[name]) for name in lazy.context
    )


def changed_keys(before: Catalog, after: Catalog) -> set[str]:
    """Keys of the records added, removed or read again (a new object) between two loads, and of
    those whose list of events changed (a country's page counts the events of its towns)."""
    found: set[str] = set()
    before_tables = before.records_by_kind()
    for kind, table in after.records_by_kind().items():
        before_table = before_tables[kind]
        found.update(f"{kind}:{record_id}" for record_id, record in table.items()
                     if before_table.get(record_id) is not record
                     or (kind in LISTED_KINDS and _listed(before, kind, record_id) != _listed(after, kind, record_id)))
        found.update(f"{kind}:{record_id}" for record_id in before_table.keys() - table.keys())
    return found


def _listed(catalog: Catalog, kind: str, record_id: str) -> list[Any]:
    return [(item[0].id, item[1]) if isinstance(item, tuple) else item.id
            for item in events_of(catalog, kind, record_id)]


def _snapshot(folder: Path) -> dict[str, tuple[int, ...]]:
    found: dict[str, tuple[int, ...]] = {}
    for dirpath, _, filenames in os.walk(folder):
        for name in filenames:
            path = os.path.join(dirpath, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue
            found[path] = (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)
    return found


@dataclass
class Update:
    changed: list[GeneratedPage] = field(default_factory=list)  # new or different Markdown
    removed: list[str] = field(default_factory=list)  # src_uris that no longer exist
    rendered: int = 0  # pages re-rendered to find them
    edited: set[str] = field(default_factory=set)  # src_uris of records whose file changed
    errors: list[ContentError] = field(default_factory=list)  # content errors: nothing changed
    warnings: list[ContentError] = field(default_factory=list)


class IncrementalSite:
    """The generated pages of a content folder, kept up to date one edit at a time."""

    def __init__(
        self,
        content_dir: Path,
        options: SiteOptions,
        override_dir: Path | None = None,
        root: Path | None = None,
        history: Any = None,
    ):
        self.history = history  # the git history the first build read: an edit does not change it
        self.content_dir, self.options, self.override_dir, self.root = content_dir, options, override_dir, root
        self.cache: tuple[FileCache, RecordCache] = ({}, {})
        self.catalog: Catalog | None = None
        self.contents: dict[str, str] = {}  # src_uri -> Markdown last handed out
        self.prints: dict[str, Fingerprint | None] = {}
        self.layouts: dict[str, LazyContent] = {}  # src_uri -> the page's layout at the last update
        self.env: Any = None  # the Jinja environment, kept so that templates are compiled once
        self.vocabulary: Any = None
        self.snapshot: dict[str, tuple[int, ...]] = {}
        self.digests: dict[int, tuple[Record, tuple[Any, ...]]] = {}  # record without body, by object
        self.facts: dict[str, Any] = {}  # site_facts of the last update

    def start(self, known: dict[str, str] | None = None) -> Update:
        """The first load. `known` maps src_uri to the Markdown a full build already produced for
        this content (the preview's first MkDocs build): those pages are not rendered twice."""
        return self.update(known or {}, initial=True)

    def unchanged(self) -> bool:
        """True when no content file was added, removed or touched since the last load."""
        snapshot = _snapshot(self.content_dir)
        if snapshot == self.snapshot:
            return True
        self.snapshot = snapshot
        return False

    def update(self, known: dict[str, str] | None = None, initial: bool = False) -> Update:
        # The layouts made here make no cycles, and the collector would walk millions of objects.
        with paused_collector():
            return self._update(known, initial)

    def _update(self, known: dict[str, str] | None, initial: bool) -> Update:
        self.snapshot = _snapshot(self.content_dir)
        catalog, log = load_catalog(self.content_dir, self.root, cache=self.cache)
        result = Update(warnings=log.warnings)
        if catalog is None:
            result.errors = log.items
            return result
        # The vocabulary is read again on every load; an unchanged one keeps its identity here.
        catalog_vocabulary = self.vocabulary
        if self.vocabulary is None or self.vocabulary != catalog.vocabulary:
            self.vocabulary = catalog.vocabulary
        if self.catalog is not None:
            before_tables = self.catalog.records_by_kind()
            for kind, table in catalog.records_by_kind().items():
                before_table = before_tables[kind]
                result.edited.update(
                    urls.src_uri(urls.record_url(kind, record_id))
                    for record_id, record in table.items()
                    if before_table.get(record_id) is not record
                )
        renderer = LazyRenderer(catalog, self.options, self.override_dir, self.history, self.env)
        self.env = renderer.env
        # The reverse index: a page whose recorded dependencies (`Fingerprint.reads`) miss every
        # record that changed, and whose layout is the same as last time, keeps its fingerprint
        # without a walk of its context (walking them all cost most of an edit on a large timeline).
        dirty = None
        if self.catalog is not None and self.vocabulary is catalog_vocabulary:
            dirty = changed_keys(self.catalog, catalog)
        facts = site_facts(catalog)
        if dirty is not None:
            dirty |= {key for key in facts.keys() | self.facts.keys() if facts.get(key) != self.facts.get(key)}
        self.facts = facts
        seen: set[str] = set()
        prints: dict[str, Fingerprint | None] = {}
        layouts: dict[str, LazyContent] = {}
        for page in renderer.all_pages():
            if page.src_uri in seen:
                raise ValueError(f"two pages at {page.src_uri}")
            seen.add(page.src_uri)
            content = page.content
            found = None
            if isinstance(content, LazyContent):
                layouts[page.src_uri] = content
                earlier, layout = self.prints.get(page.src_uri), self.layouts.get(page.src_uri)
                if (
                    dirty is not None
                    and earlier is not None
                    and layout is not None
                    and earlier.reads.isdisjoint(dirty)
                    and same_layout(content, layout)
                ):
                    found = earlier
                else:
                    found = fingerprint(content, catalog, self.vocabulary, self.digests, facts)
            prints[page.src_uri] = found
            if known and page.src_uri in known:
                self.contents[page.src_uri] = known[page.src_uri]
                continue
            before = self.prints.get(page.src_uri)
            if (
                not initial
                and found is not None
                and before is not None
                and (found is before or found.same_as(before))
                and page.src_uri in self.contents
            ):
                continue
            real = renderer.realize(page)
            result.rendered += 1
            if self.contents.get(page.src_uri) != real.content:
                self.contents[page.src_uri] = real.content
                result.changed.append(real)
        result.removed = sorted(set(self.contents) - seen)
        for src_uri in result.removed:
            del self.contents[src_uri]
        self.prints, self.layouts, self.catalog = prints, layouts, catalog
        live = {
            id(r)
            for table in (catalog.events, catalog.actors, catalog.places, catalog.sources)
            for r in table.values()
        }
        for stale in [key for key in self.digests if key not in live]:
            del self.digests[stale]
        return result

    def pages(self) -> Iterable[str]:
        return self.contents.keys()
