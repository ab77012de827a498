"""What a generated page reads, found without rendering it: the preview's dirty rebuilds
(incremental.py) and a build's reuse of Markdown an earlier build made (pageinputs.py) both ask it.

Every page is first produced lazily (LazyRenderer.render records its template and context instead
of rendering), by the same `all_pages()` as a full build, so titles, pagination and page kinds can
never drift from the real build. What the page reads is then the shape of its context (ids,
numbers, texts, in order), the records in its context and the records they reference (an event's
actors, place, sources, related and merged events; an actor's affiliations; a place's parent),
and what its templates read of the catalog as a whole about the events it shows (`site_facts`).
A page with no record in its context reads the catalog as a whole: it has no such reads.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from timeweave import urls
from timeweave.catalog.catalog import Catalog, Location
from timeweave.content.models import MODELS, Actor, Event, Place, Record
from timeweave.site.pages import GeneratedPage, Meta, PageRenderer
from timeweave.site.provenance import cite_year, monthly_years


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
    own: list[tuple[str, str]] = field(default_factory=list)  # (kind, id) of the record whose page this is
    opaque: bool = False  # the context holds a value the shape can tell apart only by its identity

    def same_as(self, other: Fingerprint) -> bool:
        return (
            self.shape == other.shape
            and len(self.objects) == len(other.objects)
            and all(a is b or (type(a) is tuple and a == b) for a, b in zip(self.objects, other.objects, strict=True))
        )


# The kinds whose own page sums up a list of events, and the catalog's index that holds it.
LISTED_KINDS = {"actor": "actor_events", "place": "place_events_within", "source": "source_events"}


def events_of(catalog: Catalog, kind: str, record_id: str) -> Sequence[Any]:
    index = LISTED_KINDS.get(kind)
    return getattr(catalog, index).get(record_id, ()) if index else ()


def page_reads(lazy: LazyContent, catalog: Catalog, facts: Mapping[str, Any] | None = None,
               pointed: bool = True) -> Fingerprint | None:
    """What the page reads: the shape of its context, the records in it and the keys of those they
    point to, its objects not yet resolved. None for a page that reads the catalog as a whole (no
    record in its context). pointed=False: no keys, for a caller that reads what each record
    points to itself, and the events of a record's own page (`Fingerprint.own` names it)."""
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
                if pointed:
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
            found.opaque = True

    for name in sorted(lazy.context):
        found.shape.append(name)
        walk(lazy.context[name])
    if not found.shown:
        return None
    # A record's own page may sum up all of its events, not only those listed on it (its map does):
    # those events and what they point to count too.
    for key in list(found.shown):
        kind, _, record_id = key.partition(":")
        if urls.record_url(kind, record_id) == lazy.url:
            events = events_of(catalog, kind, record_id)
            found.shape.append(len(events))  # the page's metadata counts them
            found.own.append((kind, record_id))
            for item in events if pointed else ():
                event = item[0] if isinstance(item, tuple) else item
                found.keys.add(f"event:{event.id}")
                found.keys.update(references(event))
    found.shape.append(sorted(found.keys))
    facts = site_facts(catalog) if facts is None else facts
    read = sorted({key for record in found.shown.values() if isinstance(record, Event) for key in _fact_keys(record)})
    found.shape.append([(key, facts.get(key)) for key in read])
    found.reads = frozenset(found.keys | found.shown.keys() | set(read))
    return found


def site_facts(catalog: Catalog) -> dict[str, Any]:
    """What a page may read of the catalog as a whole about the events it shows: whether their
    month has a list and whether its dates cannot order its events (the order notes), whether
    their tags have a list, whether their year's citations are filed by month. Keyed like
    records ("month:2020-02"), so that a change of one is a dirty key like a record's."""
    facts: dict[str, Any] = {f"month:{month}": catalog.unordered_months.get(month, "ordered")
                             for month in catalog.month_events}
    facts.update((f"tag:{tag}", True) for tag in catalog.tag_events)
    facts.update((f"year:{year}", True) for year in monthly_years(catalog))
    return facts


def _fact_keys(event: Event) -> tuple[str, ...]:
    return _facts_of(event.when.month_key, tuple(event.tags))


@lru_cache(maxsize=65536)  # a month and its tags: the same few hundred for thousands of events
def _facts_of(month: str, tags: tuple[str, ...]) -> tuple[str, ...]:
    return (f"month:{month}", f"year:{cite_year(month)}", *(f"tag:{tag}" for tag in tags))
