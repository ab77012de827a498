"""Dirty rebuilds for the preview: after an edit, re-read only the changed files and re-render only
the pages whose inputs changed. Pure: no MkDocs import (generator/timeweave/builders/mkdocs/preview.py is the adapter).

How a page is known to be clean without rendering it:
- Loading goes through the loader's per-file cache and the catalog's per-record cache, so a record
  whose file did not change is the *same object* as before; a changed file gives a new object.
- Every page is first produced lazily (PageRenderer.render records its template and context
  instead of rendering), by the same `all_pages()` as a full build, so titles, pagination and page
  kinds can never drift from the real build.
- A page's fingerprint is the shape of its context (ids, numbers, texts, in order) plus the record
  objects it shows or points to: the records in its context and the records they reference
  (an event's actors, place, sources, related and merged events; an actor's affiliations; a place's
  parent), and the vocabulary. Same shape and the same objects: the page is clean. A record page's
  metadata (description, JSON-LD) is deferred to rendering; it reads only what the fingerprint holds.
- Walking every page's context after every edit cost seconds on a large timeline, so each fingerprint also
  keeps the keys of every record it depends on (`Fingerprint.reads`, the reverse index read page
  by page): a page whose keys miss every record added, removed or re-read by this load, and whose
  new layout holds the same values and record objects as the previous one (`same_layout`, a
  shallow comparison), keeps its fingerprint unwalked. A change in which pages show a record (an
  event gains an actor, moves in the timeline) changes some page's layout, so it is walked too.
- Pages whose context holds no record at all (home, types, tags...) read the catalog as a whole:
  they are always re-rendered. Every re-rendered page is compared with its previous Markdown, and
  only pages whose Markdown changed go back to MkDocs.

Limits: a template that reads from the catalog something its context does not lead to (neither a
record in the context nor one of their references) would not be refreshed by an edit of that
record; tests/site/test_incremental.py compares dirty rebuilds with full builds to catch that. Non-page
outputs (data files, exports) are left as the first build wrote them.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from timeweave import urls
from timeweave.catalog.catalog import Catalog, Location, RecordCache, load_catalog
from timeweave.content.loader import FileCache
from timeweave.content.models import MODELS, Actor, Event, Place, Record
from timeweave.errors import ContentError
from timeweave.parallel.runner import paused_collector
from timeweave.site.pages import GeneratedPage, Meta, PageRenderer, SiteOptions


@dataclass(frozen=True)
class LazyContent:
    """What render() would have rendered: enough to render it later, or to fingerprint it."""

    template: str
    url: str
    title: str
    meta: Meta
    context: dict[str, Any]


class LazyRenderer(PageRenderer):
    """The real renderer, except that render() defers: page.content is a LazyContent."""

    def render(self, template: str, url: str, title: str, meta: Meta = None, **context: Any) -> GeneratedPage:
        lazy = LazyContent(template, url, title, meta, context)
        return GeneratedPage(urls.src_uri(url), url, title, lazy)  # type: ignore[arg-type]

    def realize(self, page: GeneratedPage) -> GeneratedPage:
        lazy = page.content
        if not isinstance(lazy, LazyContent):
            return page
        real = PageRenderer.render(self, lazy.template, lazy.url, lazy.title, lazy.meta, **lazy.context)
        return dataclasses.replace(real, in_nav=page.in_nav)


def references(record: Record) -> Iterator[str]:
    """Keys ("kind:id") of the records this record shows the name, title or date of."""
    if isinstance(record, Event):
        for item in record.actors:
            yield f"actor:{item.actor}"
        if record.place:
            yield f"place:{record.place}"
        for citation in record.sources:
            yield f"source:{citation.source}"
        for casualty in record.casualties:
            if casualty.source:
                yield f"source:{casualty.source}"
        for relation in record.related:
            yield f"event:{relation.event}"
        if record.merged_into:
            yield f"event:{record.merged_into}"
    elif isinstance(record, Actor):
        for affiliation in record.affiliations:
            yield f"actor:{affiliation.actor}"
    elif isinstance(record, Place) and record.within:
        yield f"place:{record.within}"


def _key(record: Record) -> str:
    for kind, cls in MODELS.items():
        if isinstance(record, cls):
            return f"{kind}:{record.id}"
    return f"{type(record).__name__}:{record.id}"


@dataclass
class Fingerprint:
    shape: list[Any] = field(default_factory=list)
    shown: dict[str, Record] = field(default_factory=dict)  # records in the context
    keys: set[str] = field(default_factory=set)  # records the page points to
    objects: list[Any] = field(default_factory=list)  # resolved once the catalog is known
    reads: frozenset[str] = frozenset()  # every record key the page depends on: shown or pointed to

    def same_as(self, other: Fingerprint) -> bool:
        return (
            self.shape == other.shape
            and len(self.objects) == len(other.objects)
            and all(a is b or (type(a) is tuple and a == b) for a, b in zip(self.objects, other.objects, strict=True))
        )


def _events_of(catalog: Catalog, kind: str, record_id: str) -> list[Any]:
    lists: dict[str, Mapping[str, Sequence[Any]]] = {
        "actor": catalog.actor_events,
        "place": catalog.place_events_within,
        "source": catalog.source_events,
    }
    return list(lists[kind].get(record_id, [])) if kind in lists else []


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
) -> Fingerprint | None:
    """None for a page that reads the catalog as a whole (no record in its context)."""
    # Metadata computed at render time reads only the page's own record, the records it references
    # and the record's event count, all of which the fingerprint holds below.
    meta = "deferred" if callable(lazy.meta) else json.dumps(lazy.meta, sort_keys=True, default=str)
    found = Fingerprint([lazy.template, lazy.title, meta])

    def walk(value: Any) -> None:
        if isinstance(value, Record):
            key = _key(value)
            found.shape.append(key)
            if key not in found.shown:
                found.shown[key] = value
                found.keys.update(references(value))
        elif isinstance(value, (str, int, float, bool, date)) or value is None:
            found.shape.append(value)
        elif isinstance(value, (list, tuple)):
            found.shape.append(len(value))
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            found.shape.append(len(value))
            for name, item in value.items():
                found.shape.append(name)
                walk(item)
        elif isinstance(value, Location):
            found.shape.append((value.lat, value.lon, value.precision))
            walk(value.place)
        elif isinstance(value, BaseModel):
            found.shape.append(repr(value))  # a part of a record (an affiliation...)
        elif callable(value):
            found.shape.append(getattr(value, "__name__", "callable"))
        else:
            found.shape.append(("?", id(value)))  # unknown: never equal to a later build's

    for name in sorted(lazy.context):
        found.shape.append(name)
        walk(lazy.context[name])
    if not found.shown:
        return None
    tables = catalog.records_by_kind()
    # A record's own page may sum up all of its events, not only those listed on it (its map does):
    # those events and what they point to count too.
    for key in list(found.shown):
        kind, _, record_id = key.partition(":")
        if urls.record_url(kind, record_id) == lazy.url:
            events = _events_of(catalog, kind, record_id)
            found.shape.append(len(events))  # the page's metadata counts them
            for item in events:
                event = item[0] if isinstance(item, tuple) else item
                found.keys.add(f"event:{event.id}")
                found.keys.update(references(event))
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
    found.shape.append(sorted(found.keys))
    found.reads = frozenset(found.keys | found.shown.keys())
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
    """Keys of the records added, removed or read again (a new object) between two loads."""
    found: set[str] = set()
    before_tables = before.records_by_kind()
    for kind, table in after.records_by_kind().items():
        before_table = before_tables[kind]
        found.update(f"{kind}:{record_id}" for record_id, record in table.items()
                     if before_table.get(record_id) is not record)
        found.update(f"{kind}:{record_id}" for record_id in before_table.keys() - table.keys())
    return found


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
        self.content_dir, self.options, self.override_dir, self.root = (
            content_dir,
            options,
            override_dir,
            root,
        )
        self.cache: tuple[FileCache, RecordCache] = ({}, {})
        self.catalog: Catalog | None = None
        self.contents: dict[str, str] = {}  # src_uri -> Markdown last handed out
        self.prints: dict[str, Fingerprint | None] = {}
        self.layouts: dict[str, LazyContent] = {}  # src_uri -> the page's layout at the last update
        self.env: Any = None  # the Jinja environment, kept so that templates are compiled once
        self.vocabulary: Any = None
        self.snapshot: dict[str, tuple[int, ...]] = {}
        self.digests: dict[int, tuple[Record, tuple[Any, ...]]] = {}  # record without body, by object

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
        # The site holds millions of objects on a large timeline; the layouts made here would set the
        # cyclic collector walking all of them again (seconds an edit). They make no cycles.
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
                    found = fingerprint(content, catalog, self.vocabulary, self.digests)
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
