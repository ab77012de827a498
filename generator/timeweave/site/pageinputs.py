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

from timeweave import urls
from timeweave.catalog.catalog import Catalog
from timeweave.content.models import Record
from timeweave.site.pagereads import LazyContent, page_reads, site_facts
from timeweave.site.pages import GeneratedPage, Meta, PageRenderer


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

    def _read_catalog(self, catalog: Catalog) -> None:
        self._catalog, self._records = catalog, {}
        self._facts, self._tables = site_facts(catalog), catalog.records_by_kind()
        self._vocabulary = catalog.vocabulary.model_dump_json().encode("utf-8")

    def _record(self, record: Record, whole: bool) -> bytes:
        found = self._records.get(id(record))
        if found is None or found[0] is not record:
            found = (record, hashlib.sha256(record.model_dump_json().encode("utf-8")).digest(),
                     hashlib.sha256(record.model_dump_json(exclude={"body"}).encode("utf-8")).digest())
            self._records[id(record)] = found
        return found[1] if whole else found[2]

    def inputs(self, renderer: PageRenderer, template: str, url: str, title: str, meta: Meta,
               context: dict[str, Any]) -> str | None:
        if renderer.catalog is not self._catalog:
            self._read_catalog(renderer.catalog)
        found = page_reads(LazyContent(template, url, title, meta, context), renderer.catalog, self._facts)
        if found is None or any(type(value) is tuple and value[:1] == ("?",) for value in found.shape):
            return None
        hashed = hashlib.sha256()

        def add(part: str | bytes) -> None:  # each part delimited by its length: no two lists alike
            data = part.encode("utf-8") if isinstance(part, str) else part
            hashed.update(len(data).to_bytes(8, "little"))
            hashed.update(data)

        for part in (self.scope, self._vocabulary, url, repr(found.shape)):
            add(part)
        for key, record in found.shown.items():
            kind, _, record_id = key.partition(":")
            own = urls.record_url(kind, record_id) == url
            add(self._record(record, whole=own))
            if own:
                add(repr(renderer.provenance.file_history(record, kind)))
        for key in sorted(found.keys - found.shown.keys()):
            kind, _, record_id = key.partition(":")
            other = self._tables[kind].get(record_id)
            add(b"absent" if other is None else self._record(other, whole=False))
        return hashed.hexdigest()

    def page(self, inputs: str) -> GeneratedPage | None:
        return self.kept(inputs)
