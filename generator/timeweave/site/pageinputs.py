"""What a generated page is made of, as one digest that holds from one build to the next.

A rebuild after one edit takes each page whose digest an earlier build kept from what that build
made (output/markdowncache.py keeps them), and renders only the others: at 10,000 events, making
every page's Markdown again to learn that it had not changed was most of a rebuild. The pages are
the same as rendering them all; tests/site/test_pageinputs.py edits a site in every way the
preview's tests do and compares with a full build.

The digest is what the page reads (pagereads.py: template, address, title, the shape of its
context, what its templates read of the catalog about its events), with each record it shows or
points to by value: its own record whole, any other without its body, which no other page shows.
To that are added the git history of its own record (its versions, its citation) and the scope
the caller gives: everything that does not come from the content (the generator and its
libraries, the site's templates and options, the history's own settings). A page whose context
holds no record, or a value the shape cannot tell apart from another (an unknown object), has no
digest and is always rendered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from timeweave.catalog.catalog import Catalog
from timeweave.content.models import Record
from timeweave.site.pagereads import LazyContent, events_of, page_reads, references, site_facts
from timeweave.site.pages import GeneratedPage, Meta, PageRenderer

_ABSENT = bytes(32)  # a record a page points to that does not exist


class PageInputs:
    """A Reuse (site/pages.py): digests pages, and hands back what `kept` holds for a digest."""

    def __init__(self, scope: str, kept: Callable[[str], GeneratedPage | None]) -> None:
        self.scope = scope
        self.kept = kept
        self._catalog: Catalog | None = None
        self._facts: dict[str, Any] = {}
        self._tables: dict[str, dict[str, Any]] = {}
        self._vocabulary = b""
        # id(record) -> (the record, its digest whole, its digest without the body)
        self._records: dict[int, tuple[Record, bytes, bytes]] = {}
        self._events: dict[tuple[str, str], bytes] = {}  # a record's events, with what they point to
        self._with_references: dict[int, tuple[Record, bytes, bytes]] = {}  # as _records, with what it points to

    def _read_catalog(self, catalog: Catalog) -> None:
        self._catalog, self._records, self._events, self._with_references = catalog, {}, {}, {}
        self._facts, self._tables = site_facts(catalog), catalog.records_by_kind()
        self._vocabulary = catalog.vocabulary.model_dump_json().encode("utf-8")

    def _record(self, record: Record, whole: bool) -> bytes:
        found = self._records.get(id(record))
        if found is None or found[0] is not record:
            found = (record, hashlib.sha256(record.model_dump_json().encode("utf-8")).digest(),
                     hashlib.sha256(record.model_dump_json(exclude={"body"}).encode("utf-8")).digest())
            self._records[id(record)] = found
        return found[1] if whole else found[2]

    def _pointed(self, key: str) -> bytes:
        kind, _, record_id = key.partition(":")
        other = self._tables[kind].get(record_id)
        return _ABSENT if other is None else self._record(other, whole=False)

    def _shown(self, record: Record, whole: bool) -> bytes:
        """A record the page shows, and what it points to (whose names and dates the page shows)."""
        found = self._with_references.get(id(record))
        if found is None or found[0] is not record:
            pointed = b"".join(key.encode("utf-8") + b"\0" + self._pointed(key) for key in references(record))
            found = (record, hashlib.sha256(self._record(record, whole=True) + pointed).digest(),
                     hashlib.sha256(self._record(record, whole=False) + pointed).digest())
            self._with_references[id(record)] = found
        return found[1] if whole else found[2]

    def _events_of(self, kind: str, record_id: str) -> bytes:
        """The events a record's own page sums up, each with what it points to: found once per
        record, as a page would find it for each of its events again."""
        found = self._events.get((kind, record_id))
        if found is None:
            assert self._catalog is not None
            hashed = hashlib.sha256()
            for item in events_of(self._catalog, kind, record_id):
                event = item[0] if isinstance(item, tuple) else item
                hashed.update(self._shown(event, whole=False))
                if isinstance(item, tuple):
                    hashed.update(hashlib.sha256(repr(item[1:]).encode("utf-8")).digest())
            found = self._events[(kind, record_id)] = hashed.digest()
        return found

    def inputs(self, renderer: PageRenderer, template: str, url: str, title: str, meta: Meta,
               context: dict[str, Any]) -> str | None:
        if renderer.catalog is not self._catalog:
            self._read_catalog(renderer.catalog)
        found = page_reads(LazyContent(template, url, title, meta, context), renderer.catalog, self._facts,
                           pointed=False)
        if found is None or found.opaque:
            return None
        hashed = hashlib.sha256()
        for part in (self.scope.encode("utf-8"), self._vocabulary, url.encode("utf-8"),
                     repr(found.shape).encode("utf-8")):
            hashed.update(len(part).to_bytes(8, "little"))  # delimited: no two lists of parts alike
            hashed.update(part)
        # From here every part is a digest of 32 bytes, in an order the shape fixes.
        for key, record in found.shown.items():
            kind, _, record_id = key.partition(":")
            own = (kind, record_id) in found.own
            hashed.update(self._shown(record, whole=own))
            if own:
                hashed.update(hashlib.sha256(repr(renderer.provenance.file_history(record, kind)).encode()).digest())
                hashed.update(self._events_of(kind, record_id))
        return hashed.hexdigest()

    def page(self, inputs: str) -> GeneratedPage | None:
        return self.kept(inputs)
