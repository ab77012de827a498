"""Catalog -> open data files: JSON, CSV, GeoJSON, iCalendar, Atom feeds and a Frictionless data
package (pure: no MkDocs import, no file reads, no clock).

Every file is deterministic: keys sorted, records in a fixed order, numbers written the same way,
and every timestamp taken from the content or from git history, never from the clock.

URLs. Without `site_url` (the site does not know where it will be served from, and we do not
invent a domain) every URL is a path relative to the site's root ("events/<id>/"); the JSON files
say so in `url_base` (the root as seen from the file), the Atom feeds set `xml:base` so that feed
readers resolve them, and the iCalendar file, whose URL property must be absolute, names the
page path in the description instead. With `site_url` set every URL is absolute.

First-published dates. Feeds are ordered by when each event was first published. That date comes
from git history, which this module does not read: the caller passes `published` (event id ->
aware datetime of the first commit of its file) and, optionally, `updated` (last change). Where an
event has no entry (no history: a tarball, a file not committed yet) the event's own date bounds
stand in: the latest possible day of the event (the earliest for an open end), at 00:00 UTC.

Withdrawn and merged events are in events.json (with their `withdrawn` / `merged_into` fields), so
reusers can follow corrections; the CSV, GeoJSON, iCalendar and feeds carry only live events, so
that counting rows never counts an event twice.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin

from timeweave import urls
from timeweave.catalog.catalog import Catalog, Location, event_sort_key
from timeweave.content.dates import parse_date
from timeweave.content.models import PRECISION_RADIUS_M, Actor, CountRange, Event, Place, Source

DATA_DIR = "data"
FEEDS_DIR = f"{DATA_DIR}/feeds"
FEED_LIMIT = 100  # entries per feed: a feed says what is new; the whole dataset is in events.json
UUID_NAMESPACE = uuid.UUID("6f1d3c2e-9b4a-5e0f-8a7d-2c4b6e8f0a13")  # fixed: ids must never change


@dataclass(frozen=True)
class ExportOptions:
    site_name: str = "Timeline"
    site_url: str | None = None
    published: Mapping[str, datetime] = field(default_factory=dict)
    updated: Mapping[str, datetime] = field(default_factory=dict)
    feed_limit: int = FEED_LIMIT


# -- small helpers ---------------------------------------------------------------------------------


def to_json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode()


def date_object(text: str | None) -> dict[str, Any] | None:
    """An EDTF value with its bounds: what every export says about a date."""
    if text is None:
        return None
    when = parse_date(text)
    return {
        "edtf": when.text,
        "earliest": when.earliest.isoformat() if when.earliest else None,
        "latest": when.latest.isoformat() if when.latest else None,
        "precision": when.precision,
        "approximate": when.approximate,
        "uncertain": when.uncertain,
        "label": when.label(),
    }


def total(ranges: Iterable[CountRange | None]) -> dict[str, int | None] | None:
    """Sum of several figures: min adds up the known minimums; max is unknown if any max is."""
    given = [r for r in ranges if r is not None]
    if not given:
        return None
    low = sum(r.min or 0 for r in given)
    high = None if any(r.max is None for r in given) else sum(r.max for r in given)  # type: ignore[misc]
    return {"min": low, "max": high}


@lru_cache(maxsize=65536)
def stable_uuid(site_name: str, path: str) -> str:
    """A UUID that depends only on the site's name and a published path: feed and calendar ids."""
    return str(uuid.uuid5(UUID_NAMESPACE, f"{site_name}\n{path}"))


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# Cells a spreadsheet would run as a formula (OWASP "CSV injection"), and the apostrophe itself so
# that the escape can be undone exactly.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "'")


def neutralize_cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def restore_cell(text: str) -> str:
    """Undo neutralize_cell (used when importing our own CSV)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS) else text


# Characters XML 1.0 cannot carry at all: dropped from feeds rather than breaking them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    text = _XML_INVALID.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_attr(text: str) -> str:
    return '"' + xml_text(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;") + '"'


def ical_text(text: str) -> str:
    """TEXT value escaping of RFC 5545 section 3.3.11."""
    text = re.sub("[\x00-\x08\x0b-\x1f\x7f]", "", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ical_fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 section 3.1) without splitting a UTF-8 character."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:  # a continuation byte: step back
            end -= 1
        parts.append(data[start:end])
        start, limit = end, 74  # continuation lines begin with a space
    return b"\r\n ".join(parts).decode()


# -- the exporter ------------------------------------------------------------------------------------


class Exporter:
    def __init__(self, catalog: Catalog, options: ExportOptions):
        self.catalog = catalog
        self.options = options
        self.vocab = catalog.vocabulary
        # An event appears in many feeds and many CSV columns: work each thing out once.
        self._locations: dict[str, Location | None] = {}
        self._chains: dict[str, list[Place]] = {}
        self._published: dict[str, datetime] = {}
        self._entries: dict[str, list[str]] = {}

    def location(self, event: Event) -> Location | None:
        if event.id not in self._locations:
            self._locations[event.id] = self.catalog.location(event)
        return self._locations[event.id]

    def chain(self, place: Place) -> list[Place]:
        if place.id not in self._chains:
            self._chains[place.id] = self.catalog.place_chain(place)
        return self._chains[place.id]

    # URLs
    def link(self, path: str) -> str:
        """A published path as exports write it: absolute with site_url, else site-root-relative."""
        if self.options.site_url:
            return urljoin(self.options.site_url.rstrip("/") + "/", path)
        return path

    def url_base(self, file_path: str) -> str:
        """The site root as seen from a file at file_path ('../' from data/events.json)."""
        if self.options.site_url:
            return self.options.site_url.rstrip("/") + "/"
        return "../" * file_path.count("/") or "./"

    def ref(self, kind: str, record_id: str) -> dict[str, Any]:
        return {"id": record_id, "url": self.link(urls.record_url(kind, record_id))}

    # dates for feeds and calendars
    def fallback_moment(self, event: Event) -> datetime:
        when = event.when
        day = when.latest or when.earliest or date(1970, 1, 1)
        return datetime.combine(day, time(0, 0), tzinfo=UTC)

    def published(self, event: Event) -> datetime:
        if event.id not in self._published:
            self._published[event.id] = self.options.published.get(event.id) or self.fallback_moment(event)
        return self._published[event.id]

    def updated(self, event: Event) -> datetime:
        return self.options.updated.get(event.id) or self.published(event)

    # -- records -------------------------------------------------------------------------------

    def place_object(self, place: Place) -> dict[str, Any]:
        return {**self.ref("place", place.id), "name": place.name, "kind": place.kind}

    def location_object(self, event: Event) -> dict[str, Any] | None:
        location = self.location(event)
        if location is None:
            return None
        return {
            "latitude": location.lat,
            "longitude": location.lon,
            "precision": location.precision,
            "radius_m": location.radius_m,
            "from": "event" if event.coordinates else "place",
        }

    def event_record(self, event: Event) -> dict[str, Any]:
        c, vocab = self.catalog, self.vocab
        place = c.places.get(event.place) if event.place else None
        published = self.options.published.get(event.id)
        return {
            **self.ref("event", event.id),
            "title": event.title,
            "date": date_object(event.date),
            "time": event.time,
            "type": {
                "id": event.type,
                "label": vocab.event_types[event.type].label,
                "url": self.link(urls.type_url(event.type)),
            },
            "status": {"id": event.status, "label": vocab.statuses[event.status].label},
            "place": self.place_object(place) if place else None,
            "place_hierarchy": [self.place_object(p) for p in self.chain(place)] if place else [],
            "location": self.location_object(event),
            "actors": [
                {
                    **self.ref("actor", a.actor),
                    "name": c.actors[a.actor].name,
                    "role": a.role,
                    "role_label": vocab.actor_roles[a.role].label,
                }
                for a in event.actors
            ],
            "casualties": [
                {
                    "who": k.who,
                    "killed": _count(k.killed),
                    "injured": _count(k.injured),
                    "source": self.ref("source", k.source) if k.source else None,
                }
                for k in event.casualties
            ],
            "fatalities": total(k.killed for k in event.casualties),
            "injured": total(k.injured for k in event.casualties),
            "sources": [
                {
                    **self.ref("source", s.source),
                    "title": c.sources[s.source].title,
                    "quote": s.quote,
                    "locator": s.locator,
                }
                for s in event.sources
            ],
            "related": [
                {
                    **self.ref("event", r.event),
                    "title": c.events[r.event].title,
                    "relation": r.relation,
                    "relation_label": vocab.relations[r.relation].label,
                }
                for r in event.related
            ],
            "tags": [
                {"id": t, "url": self.link(urls.tag_url(t)) if t in c.tag_events else None}
                for t in event.tags
            ],
            "annotations": [
                {"kind": n.kind, "kind_label": vocab.annotation_kinds[n.kind].label, "text": n.text}
                for n in event.annotations
            ],
            "withdrawn": {"date": event.withdrawn.date, "reason": event.withdrawn.reason}
            if event.withdrawn
            else None,
            "merged_into": self.ref("event", event.merged_into) if event.merged_into else None,
            "former_ids": list(event.former_ids),
            "first_published": rfc3339(published) if published else None,
            "body": event.body,
            "file": event.path,
        }

    def actor_record(self, actor: Actor) -> dict[str, Any]:
        c = self.catalog
        return {
            **self.ref("actor", actor.id),
            "name": actor.name,
            "kind": actor.kind,
            "aliases": [{"name": a.name, "lang": a.lang} for a in actor.aliases],
            "wikidata": _wikidata(actor.wikidata),
            "affiliations": [
                {
                    **self.ref("actor", a.actor),
                    "name": c.actors[a.actor].name,
                    "relation": a.relation,
                    "from": date_object(a.from_),
                    "to": date_object(a.to),
                }
                for a in actor.affiliations
            ],
            "events": [
                {**self.ref("event", e.id), "role": role} for e, role in c.actor_events.get(actor.id, [])
            ],
            "former_ids": list(actor.former_ids),
            "body": actor.body,
            "file": actor.path,
        }

    def place_record(self, place: Place) -> dict[str, Any]:
        c = self.catalog
        parent = c.places.get(place.within) if place.within else None
        return {
            **self.ref("place", place.id),
            "name": place.name,
            "names": dict(sorted(place.names.items())),
            "kind": place.kind,
            "coordinates": {"latitude": place.coordinates[0], "longitude": place.coordinates[1]}
            if place.coordinates
            else None,
            "location_precision": place.precision,
            "radius_m": PRECISION_RADIUS_M[place.precision],
            "within": self.place_object(parent) if parent else None,
            "wikidata": _wikidata(place.wikidata),
            "events": [self.ref("event", e.id) for e in c.place_events.get(place.id, [])],
            "former_ids": list(place.former_ids),
            "body": place.body,
            "file": place.path,
        }

    def source_record(self, source: Source) -> dict[str, Any]:
        return {
            **self.ref("source", source.id),
            "title": source.title,
            "kind": source.kind,
            "publisher": source.publisher,
            "author": source.author,
            "published": date_object(source.published),
            "external_url": source.url,
            "archive_url": source.archive_url,
            "accessed": source.accessed,
            "language": source.language,
            "events": [self.ref("event", e.id) for e in self.catalog.source_events.get(source.id, [])],
            "former_ids": list(source.former_ids),
            "body": source.body,
            "file": source.path,
        }

    def vocabulary_record(self) -> dict[str, Any]:
        groups: dict[str, Any] = {}
        for group in ("event_types", "actor_roles", "relations", "annotation_kinds", "statuses"):
            terms = getattr(self.vocab, group)
            groups[group] = {
                term_id: {
                    "label": term.label,
                    "definition": term.definition,
                    "inverse": term.inverse,
                    **({"url": self.link(urls.type_url(term_id))} if group == "event_types" else {}),
                }
                for term_id, term in terms.items()
            }
        return groups

    def all_events(self) -> list[Event]:
        return sorted(self.catalog.events.values(), key=event_sort_key)

    def collection(self, file_path: str, key: str, records: list[dict[str, Any]]) -> bytes:
        return to_json(
            {
                "count": len(records),
                "site_url": self.options.site_url,
                "url_base": self.url_base(file_path),
                key: records,
            }
        )

    # -- files -----------------------------------------------------------------------------------

    def events_json(self) -> bytes:
        return self.collection(
            f"{DATA_DIR}/events.json", "events", [self.event_record(e) for e in self.all_events()]
        )

    def actors_json(self) -> bytes:
        return self.collection(
            f"{DATA_DIR}/actors.json", "actors", [self.actor_record(a) for a in self.catalog.actors.values()]
        )

    def places_json(self) -> bytes:
        return self.collection(
            f"{DATA_DIR}/places.json", "places", [self.place_record(p) for p in self.catalog.places.values()]
        )

    def sources_json(self) -> bytes:
        return self.collection(
            f"{DATA_DIR}/sources.json",
            "sources",
            [self.source_record(s) for s in self.catalog.sources.values()],
        )

    def vocabulary_json(self) -> bytes:
        return to_json(
            {
                "site_url": self.options.site_url,
                "url_base": self.url_base(f"{DATA_DIR}/vocabulary.json"),
                **self.vocabulary_record(),
            }
        )

    def csv_row(self, event: Event) -> list[str]:
        return [column.cell(self, event) for column in CSV_COLUMNS]

    def events_csv(self) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([column.name for column in CSV_COLUMNS])
        for event in self.catalog.timeline:
            writer.writerow(self.csv_row(event))
        return buffer.getvalue().encode()

    def events_geojson(self) -> bytes:
        features = []
        for event in self.catalog.timeline:
            location = self.location(event)
            if location is None:
                continue
            when = event.when
            features.append(
                {
                    "type": "Feature",
                    "id": event.id,
                    # RFC 7946: longitude first.
                    "geometry": {"type": "Point", "coordinates": [location.lon, location.lat]},
                    "properties": {
                        "id": event.id,
                        "url": self.link(urls.event_url(event.id)),
                        "title": event.title,
                        "date": event.date,
                        "date_start": when.earliest.isoformat() if when.earliest else None,
                        "date_end": when.latest.isoformat() if when.latest else None,
                        "date_precision": when.precision,
                        "date_label": when.label(),
                        "type": event.type,
                        "type_label": self.vocab.event_types[event.type].label,
                        "status": event.status,
                        "place": event.place,
                        "place_name": self.catalog.places[event.place].name if event.place else None,
                        "location_precision": location.precision,
                        "radius_m": location.radius_m,
                    },
                }
            )
        return to_json(
            {
                "type": "FeatureCollection",
                "site_url": self.options.site_url,
                "url_base": self.url_base(f"{DATA_DIR}/events.geojson"),
                "features": features,
            }
        )

    def events_ics(self) -> bytes:
        name = self.options.site_name
        lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//timeline-generator//open data//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            f"NAME:{ical_text(name)}",
            f"X-WR-CALNAME:{ical_text(name)}",
        ]
        for event in self.catalog.timeline:
            lines.extend(self.vevent(event))
        lines.append("END:VCALENDAR")
        return ("\r\n".join(ical_fold(line) for line in lines) + "\r\n").encode()

    def vevent(self, event: Event) -> list[str]:
        when = event.when
        first = when.earliest or when.latest
        last = when.latest or when.earliest
        assert first is not None and last is not None
        path = urls.event_url(event.id)
        description = [f"{when.label()} ({event.date})", f"Status: {self.vocab.statuses[event.status].label}"]
        if event.body:
            description.append(event.body)
        if not self.options.site_url:
            description.append(f"Page: {path} (path on the site)")
        lines = [
            "BEGIN:VEVENT",
            f"UID:{stable_uuid(self.options.site_name, path)}",
            f"DTSTAMP:{self.updated(event).astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}",
            f"DTSTART;VALUE=DATE:{first.strftime('%Y%m%d')}",
            # DTEND of an all-day event is exclusive: the day after the latest possible day.
            f"DTEND;VALUE=DATE:{(last + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{ical_text(event.title)}",
            f"DESCRIPTION:{ical_text(chr(10).join(description))}",
            f"CATEGORIES:{ical_text(self.vocab.event_types[event.type].label)}",
            "TRANSP:TRANSPARENT",
        ]
        if self.options.site_url:
            lines.append(f"URL;VALUE=URI:{self.link(path)}")
        location = self.location(event)
        if event.place:
            lines.append(f"LOCATION:{ical_text(self.catalog.places[event.place].name)}")
        if location is not None:
            lines.append(f"GEO:{location.lat!r};{location.lon!r}")
        lines.append("END:VEVENT")
        return lines

    # -- Atom ---------------------------------------------------------------------------------------

    def feed_order(self, events: Iterable[Event]) -> list[Event]:
        """Newest first by first publication; ties by id, so the order never changes."""
        return sorted(events, key=lambda e: (-self.published(e).timestamp(), e.id))[: self.options.feed_limit]

    def atom(self, feed_path: str, title: str, page_path: str, events: Sequence[Event]) -> bytes:
        entries = self.feed_order(events)
        updated = max((self.updated(e) for e in entries), default=datetime(1970, 1, 1, tzinfo=UTC))
        base = self.url_base(feed_path)
        out = [
            '<?xml version="1.0" encoding="utf-8"?>',
            f'<feed xmlns="http://www.w3.org/2005/Atom" xml:base={xml_attr(base)}>',
            f"<id>urn:uuid:{stable_uuid(self.options.site_name, feed_path)}</id>",
            f'<title type="text">{xml_text(title)}</title>',
            f"<updated>{rfc3339(updated)}</updated>",
            f"<author><name>{xml_text(self.options.site_name)}</name></author>",
            f'<link rel="self" type="application/atom+xml" href={xml_attr(self.feed_link(feed_path))}/>',
            f'<link rel="alternate" type="text/html" href={xml_attr(self.feed_link(page_path))}/>',
            "<generator>timeline-generator</generator>",
        ]
        for event in entries:
            out.extend(self.atom_entry(event))
        out.append("</feed>")
        return ("\n".join(out) + "\n").encode()

    def feed_link(self, path: str) -> str:
        # Relative hrefs resolve against xml:base (the site root); an empty path is the root itself.
        return self.link(path) if self.options.site_url else (path or "./")

    def atom_entry(self, event: Event) -> list[str]:
        if event.id not in self._entries:
            self._entries[event.id] = self._atom_entry(event)
        return self._entries[event.id]

    def _atom_entry(self, event: Event) -> list[str]:
        path = urls.event_url(event.id)
        type_label = self.vocab.event_types[event.type].label
        summary = f"{event.when.label()} · {type_label} · {self.vocab.statuses[event.status].label}"
        if event.body:
            summary += "\n\n" + event.body
        return [
            "<entry>",
            f"<id>urn:uuid:{stable_uuid(self.options.site_name, path)}</id>",
            f'<title type="text">{xml_text(event.title)}</title>',
            f'<link rel="alternate" type="text/html" href={xml_attr(self.feed_link(path))}/>',
            f"<published>{rfc3339(self.published(event))}</published>",
            f"<updated>{rfc3339(self.updated(event))}</updated>",
            f"<category term={xml_attr(event.type)} label={xml_attr(type_label)}/>",
            f'<summary type="text">{xml_text(summary)}</summary>',
            "</entry>",
        ]

    def feeds(self) -> dict[str, bytes]:
        c = self.catalog
        name = self.options.site_name
        files = {
            f"{FEEDS_DIR}/events.atom": self.atom(
                f"{FEEDS_DIR}/events.atom", name, urls.timeline_url(), c.timeline
            )
        }
        for actor_id, entries in c.actor_events.items():
            path = feed_path("actor", actor_id)
            events = list({e.id: e for e, _ in entries}.values())  # an actor with two roles: one entry
            files[path] = self.atom(
                path, f"{name}: {c.actors[actor_id].name}", urls.actor_url(actor_id), events
            )
        for place_id, events in c.place_events_within.items():
            path = feed_path("place", place_id)
            files[path] = self.atom(
                path, f"{name}: {c.places[place_id].name}", urls.place_url(place_id), events
            )
        return files

    # -- Frictionless -----------------------------------------------------------------------------

    def datapackage(self, sizes: Mapping[str, int]) -> bytes:
        resources: list[dict[str, Any]] = [
            {
                "name": "events-csv",
                "path": "events.csv",
                "profile": "tabular-data-resource",
                "title": "Events, one row per event",
                "description": "Live events only (withdrawn and merged events are in events.json). Text "
                "cells that begin with = + - @, a tab, a carriage return or an apostrophe carry a leading "
                "apostrophe so spreadsheets do not run them as formulas.",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": sizes["events.csv"],
                "dialect": {
                    "delimiter": ",",
                    "lineTerminator": "\r\n",
                    "quoteChar": '"',
                    "doubleQuote": True,
                    "header": True,
                },
                "schema": {
                    "fields": [column.table_field() for column in CSV_COLUMNS],
                    "primaryKey": ["id"],
                    "missingValues": [""],
                },
            }
        ]
        for doc in EXPORTS:
            if doc.path in ("events.csv", "datapackage.json") or doc.path.startswith("feeds/"):
                continue
            resources.append(
                {
                    "name": doc.path.replace(".", "-").replace("/", "-"),
                    "path": doc.path,
                    "profile": "data-resource",
                    "title": doc.title,
                    "description": doc.description,
                    "format": doc.format,
                    "mediatype": doc.mediatype,
                    "encoding": "utf-8",
                    "bytes": sizes[doc.path],
                }
            )
        package: dict[str, Any] = {
            "profile": "data-package",
            "name": _package_name(self.options.site_name),
            "title": self.options.site_name,
            "description": "Every event, actor, place and source of the timeline. The Data page of the site "
            "documents every field.",
            "resources": resources,
        }
        if self.options.site_url:
            package["homepage"] = self.link("")
        return (json.dumps(package, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()

    def files(self) -> dict[str, bytes]:
        """Site-relative path -> bytes of every export, in a fixed order."""
        data = {
            "events.json": self.events_json(),
            "actors.json": self.actors_json(),
            "places.json": self.places_json(),
            "sources.json": self.sources_json(),
            "vocabulary.json": self.vocabulary_json(),
            "events.csv": self.events_csv(),
            "events.geojson": self.events_geojson(),
            "events.ics": self.events_ics(),
        }
        data["datapackage.json"] = self.datapackage({k: len(v) for k, v in data.items()})
        out = {f"{DATA_DIR}/{name}": content for name, content in data.items()}
        out.update(self.feeds())
        return out


def feed_path(kind: str, record_id: str) -> str:
    return f"{FEEDS_DIR}/{urls.PAGE_FOLDERS[kind]}/{record_id}.atom"


def _count(value: CountRange | None) -> dict[str, int | None] | None:
    return {"min": value.min, "max": value.max} if value is not None else None


def _wikidata(item: str | None) -> dict[str, str] | None:
    return {"id": item, "url": f"https://www.wikidata.org/wiki/{item}"} if item else None


def _package_name(site_name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", site_name.lower()).strip("-")
    return slug or "timeline"


def export_files(catalog: Catalog, options: ExportOptions | None = None) -> dict[str, bytes]:
    """Every open-data file of the site: site-relative path -> bytes."""
    return Exporter(catalog, options or ExportOptions()).files()


# -- CSV columns: one definition drives the writer, the data package's Table Schema and the docs --


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema type: string, integer, number, boolean, date
    description: str
    value: Callable[[Exporter, Event], Any]

    def cell(self, exporter: Exporter, event: Event) -> str:
        value = self.value(exporter, event)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float):
            return repr(value)
        if isinstance(value, int):
            return str(value)
        # Only free text can start with a formula character; numbers above are written by us.
        return neutralize_cell(str(value)) if self.type == "string" else str(value)

    def table_field(self) -> dict[str, Any]:
        spec: dict[str, Any] = {"name": self.name, "type": self.type, "description": self.description}
        if self.type == "boolean":
            spec["trueValues"], spec["falseValues"] = ["true"], ["false"]
        if self.name in ("id", "title", "date", "type", "status"):
            spec["constraints"] = {"required": True}
        return spec


LIST_SEPARATOR = "; "


def join_list(items: Iterable[str]) -> str:
    """Free-text items in one cell: '; ' between them, and a ';' or '\\' inside an item escaped."""
    return LIST_SEPARATOR.join(i.replace("\\", "\\\\").replace(";", "\\;") for i in items)


def split_list(cell: str) -> list[str]:
    """The inverse of join_list."""
    items, current, chars = [], "", iter(cell)
    for char in chars:
        if char == "\\":
            current += next(chars, "")
        elif char == ";":
            items.append(current.strip())
            current = ""
        else:
            current += char
    items.append(current.strip())
    return [i for i in items if i]


def _place(x: Exporter, e: Event) -> Place | None:
    return x.catalog.places.get(e.place) if e.place else None


def _admin(kind: str) -> Callable[[Exporter, Event], str | None]:
    def value(x: Exporter, e: Event) -> str | None:
        place = _place(x, e)
        if place is None:
            return None
        return next((p.name for p in x.chain(place) if p.kind == kind), None)

    return value


def _location(attr: str) -> Callable[[Exporter, Event], Any]:
    def value(x: Exporter, e: Event) -> Any:
        location = x.location(e)
        return getattr(location, attr) if location else None

    return value


def _figure(which: str, bound: str) -> Callable[[Exporter, Event], int | None]:
    def value(x: Exporter, e: Event) -> int | None:
        summed = total(getattr(k, which) for k in e.casualties)
        return summed[bound] if summed else None

    return value


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


CSV_COLUMNS: list[Column] = [
    Column("id", "string", "Event id; permanent, it is the page URL.", lambda x, e: e.id),
    Column(
        "url",
        "string",
        "Page of the event (site-root-relative path without site_url, else absolute).",
        lambda x, e: x.link(urls.event_url(e.id)),
    ),
    Column("title", "string", "One-line headline.", lambda x, e: e.title),
    Column(
        "date",
        "string",
        "The date as written, EDTF (e.g. 2020-02-10, 2020-02~, 2020-02-03/2020-02-05).",
        lambda x, e: e.date,
    ),
    Column(
        "date_start",
        "date",
        "Earliest possible day (empty for an open or unknown start).",
        lambda x, e: _iso(e.when.earliest),
    ),
    Column(
        "date_end",
        "date",
        "Latest possible day (empty for an open or unknown end).",
        lambda x, e: _iso(e.when.latest),
    ),
    Column(
        "date_precision",
        "string",
        "day, month or year for a single date; interval for a range.",
        lambda x, e: e.when.precision,
    ),
    Column(
        "date_approximate",
        "boolean",
        "true when the date is approximate (EDTF ~ or %).",
        lambda x, e: e.when.approximate,
    ),
    Column(
        "date_uncertain",
        "boolean",
        "true when the date is uncertain (EDTF ? or %).",
        lambda x, e: e.when.uncertain,
    ),
    Column("time", "string", "Local time of day, HH:MM, when known.", lambda x, e: e.time),
    Column("type", "string", "Event type id.", lambda x, e: e.type),
    Column("type_label", "string", "Event type label.", lambda x, e: x.vocab.event_types[e.type].label),
    Column("status", "string", "Status id: how established the account is.", lambda x, e: e.status),
    Column("status_label", "string", "Status label.", lambda x, e: x.vocab.statuses[e.status].label),
    Column(
        "actors",
        "string",
        "Actors with roles, 'actor-id:role-id' separated by '; '.",
        lambda x, e: LIST_SEPARATOR.join(f"{a.actor}:{a.role}" for a in e.actors),
    ),
    Column(
        "actor_names",
        "string",
        "Names of the same actors, in the same order, separated by '; ' (a ';' or "
        "'\\' inside a name is written '\\;' or '\\\\').",
        lambda x, e: join_list(x.catalog.actors[a.actor].name for a in e.actors),
    ),
    Column("place", "string", "Place id.", lambda x, e: e.place),
    Column("place_name", "string", "Place name.", lambda x, e: p.name if (p := _place(x, e)) else None),
    Column(
        "place_kind",
        "string",
        "Kind of place: site, town, district, governorate, region or country.",
        lambda x, e: p.kind if (p := _place(x, e)) else None,
    ),
    Column("country", "string", "Country containing the place (name).", _admin("country")),
    Column(
        "admin1",
        "string",
        "First-level division (governorate) containing the place (name).",
        _admin("governorate"),
    ),
    Column(
        "admin2",
        "string",
        "Second-level division (district) containing the place (name).",
        _admin("district"),
    ),
    Column("latitude", "number", "Latitude (WGS 84) of the event, else of its place.", _location("lat")),
    Column("longitude", "number", "Longitude (WGS 84) of the event, else of its place.", _location("lon")),
    Column(
        "location_precision",
        "string",
        "How precise the point is: exact, near, town, district, governorate, region, country.",
        _location("precision"),
    ),
    Column(
        "fatalities_min",
        "integer",
        "People killed, lowest total over all groups (sum of minimums).",
        _figure("killed", "min"),
    ),
    Column(
        "fatalities_max",
        "integer",
        "People killed, highest total; empty when any group has no upper bound.",
        _figure("killed", "max"),
    ),
    Column("injured_min", "integer", "People injured, lowest total.", _figure("injured", "min")),
    Column(
        "injured_max",
        "integer",
        "People injured, highest total; empty when unbounded.",
        _figure("injured", "max"),
    ),
    Column(
        "sources",
        "string",
        "Source ids, separated by '; '.",
        lambda x, e: LIST_SEPARATOR.join(dict.fromkeys(s.source for s in e.sources)),
    ),
    Column("tags", "string", "Tags, separated by '; '.", lambda x, e: LIST_SEPARATOR.join(e.tags)),
    Column("notes", "string", "The account (Markdown).", lambda x, e: e.body),
]


# -- documentation of every export (rendered on the Data page; a test checks it covers every key) --


@dataclass(frozen=True)
class FieldDoc:
    name: str
    type: str
    description: str


@dataclass(frozen=True)
class ExportDoc:
    path: str  # relative to data/
    title: str
    format: str
    mediatype: str
    description: str
    fields: list[FieldDoc] = field(default_factory=list)


def _model_doc(model: type, name: str) -> str:
    from timeweave.content.schema import field_description

    return field_description(model, name)


def _date_fields(prefix: str, what: str) -> list[FieldDoc]:
    return [
        FieldDoc(prefix, "object or null", f"{what}: the EDTF value and its bounds."),
        FieldDoc(f"{prefix}.edtf", "string", "The date as written (EDTF)."),
        FieldDoc(
            f"{prefix}.earliest",
            "date or null",
            "Earliest possible day, YYYY-MM-DD (null: open or unknown start).",
        ),
        FieldDoc(f"{prefix}.latest", "date or null", "Latest possible day (null: open or unknown end)."),
        FieldDoc(
            f"{prefix}.precision", "string", "day, month or year for a single date; interval for a range."
        ),
        FieldDoc(f"{prefix}.approximate", "boolean", "The date is approximate (EDTF ~ or %)."),
        FieldDoc(f"{prefix}.uncertain", "boolean", "The date is uncertain (EDTF ? or %)."),
        FieldDoc(f"{prefix}.label", "string", "The date as the site shows it, e.g. 'about February 2020'."),
    ]


def _ref_fields(prefix: str, what: str, extra: Sequence[FieldDoc] = ()) -> list[FieldDoc]:
    return [
        FieldDoc(f"{prefix}.id", "string", f"Id of the {what}."),
        FieldDoc(f"{prefix}.url", "string", f"Page of the {what}."),
        *extra,
    ]


def _collection_fields(key: str, what: str) -> list[FieldDoc]:
    return [
        FieldDoc("count", "integer", f"Number of {what}."),
        FieldDoc("site_url", "string or null", "The site's address when configured (site_url), else null."),
        FieldDoc(
            "url_base",
            "string",
            "Where the site root is as seen from this file; every relative url in it resolves against this.",
        ),
        FieldDoc(key, "array", f"The {what}, one object each."),
    ]


def _common_record(key: str, model: type, what: str) -> list[FieldDoc]:
    return [
        FieldDoc(f"{key}[].id", "string", f"Id of the {what}; permanent, it is the page URL."),
        FieldDoc(f"{key}[].url", "string", f"Page of the {what}."),
        FieldDoc(f"{key}[].former_ids", "array of strings", _model_doc(model, "former_ids")),
        FieldDoc(f"{key}[].body", "string", "The Markdown text after the front matter."),
        FieldDoc(f"{key}[].file", "string", "The content file in the repository."),
    ]


def _event_fields() -> list[FieldDoc]:
    E = "events[]"

    def doc(name: str) -> str:
        return _model_doc(Event, name)

    from timeweave.content.models import Casualties, SourceCitation

    return [
        *_collection_fields("events", "events (all of them, withdrawn and merged included), in date order"),
        *_common_record("events", Event, "event"),
        FieldDoc(f"{E}.title", "string", doc("title")),
        *_date_fields(f"{E}.date", "When it happened"),
        FieldDoc(f"{E}.time", "string or null", doc("time")),
        FieldDoc(f"{E}.type", "object", doc("type")),
        FieldDoc(f"{E}.type.id", "string", "Type id."),
        FieldDoc(f"{E}.type.label", "string", "Type label."),
        FieldDoc(f"{E}.type.url", "string", "Page listing the events of this type."),
        FieldDoc(f"{E}.status", "object", doc("status")),
        FieldDoc(f"{E}.status.id", "string", "Status id."),
        FieldDoc(f"{E}.status.label", "string", "Status label."),
        FieldDoc(f"{E}.place", "object or null", doc("place")),
        *_ref_fields(
            f"{E}.place",
            "place",
            [
                FieldDoc(f"{E}.place.name", "string", "Name of the place."),
                FieldDoc(f"{E}.place.kind", "string", _model_doc(Place, "kind")),
            ],
        ),
        FieldDoc(
            f"{E}.place_hierarchy", "array", "The place and the places it lies within, innermost first."
        ),
        *_ref_fields(
            f"{E}.place_hierarchy[]",
            "place",
            [
                FieldDoc(f"{E}.place_hierarchy[].name", "string", "Name."),
                FieldDoc(f"{E}.place_hierarchy[].kind", "string", "Kind of place."),
            ],
        ),
        FieldDoc(
            f"{E}.location",
            "object or null",
            "Where to put the event on a map: its own coordinates, else its place's.",
        ),
        FieldDoc(f"{E}.location.latitude", "number", "Latitude (WGS 84)."),
        FieldDoc(f"{E}.location.longitude", "number", "Longitude (WGS 84)."),
        FieldDoc(f"{E}.location.precision", "string", doc("location_precision")),
        FieldDoc(
            f"{E}.location.radius_m", "integer", "Radius in metres a reader should read into the point."
        ),
        FieldDoc(
            f"{E}.location.from", "string", "'event' when the event has its own coordinates, else 'place'."
        ),
        FieldDoc(f"{E}.actors", "array", doc("actors")),
        *_ref_fields(
            f"{E}.actors[]",
            "actor",
            [
                FieldDoc(f"{E}.actors[].name", "string", "Name of the actor."),
                FieldDoc(f"{E}.actors[].role", "string", "Role id."),
                FieldDoc(f"{E}.actors[].role_label", "string", "Role label."),
            ],
        ),
        FieldDoc(f"{E}.casualties", "array", doc("casualties")),
        FieldDoc(f"{E}.casualties[].who", "string", _model_doc(Casualties, "who")),
        FieldDoc(
            f"{E}.casualties[].killed",
            "object or null",
            "People killed: {min, max}; a bound is null when the source gives none.",
        ),
        FieldDoc(f"{E}.casualties[].killed.min", "integer or null", "Lowest figure."),
        FieldDoc(f"{E}.casualties[].killed.max", "integer or null", "Highest figure."),
        FieldDoc(f"{E}.casualties[].injured", "object or null", "People injured: {min, max}."),
        FieldDoc(f"{E}.casualties[].injured.min", "integer or null", "Lowest figure."),
        FieldDoc(f"{E}.casualties[].injured.max", "integer or null", "Highest figure."),
        FieldDoc(f"{E}.casualties[].source", "object or null", _model_doc(Casualties, "source")),
        *_ref_fields(f"{E}.casualties[].source", "source"),
        FieldDoc(f"{E}.fatalities", "object or null", "People killed, all groups together (as in the CSV)."),
        FieldDoc(f"{E}.fatalities.min", "integer", "Sum of the lowest figures."),
        FieldDoc(f"{E}.fatalities.max", "integer or null", "Sum of the highest; null if any group has none."),
        FieldDoc(f"{E}.injured", "object or null", "People injured, all groups together."),
        FieldDoc(f"{E}.injured.min", "integer", "Sum of the lowest figures."),
        FieldDoc(f"{E}.injured.max", "integer or null", "Sum of the highest; null if any group has none."),
        FieldDoc(f"{E}.sources", "array", doc("sources")),
        *_ref_fields(
            f"{E}.sources[]",
            "source",
            [
                FieldDoc(f"{E}.sources[].title", "string", "Title of the source."),
                FieldDoc(f"{E}.sources[].quote", "string or null", _model_doc(SourceCitation, "quote")),
                FieldDoc(f"{E}.sources[].locator", "string or null", _model_doc(SourceCitation, "locator")),
            ],
        ),
        FieldDoc(f"{E}.related", "array", doc("related")),
        *_ref_fields(
            f"{E}.related[]",
            "other event",
            [
                FieldDoc(f"{E}.related[].title", "string", "Title of the other event."),
                FieldDoc(f"{E}.related[].relation", "string", "Relation id."),
                FieldDoc(f"{E}.related[].relation_label", "string", "Relation label."),
            ],
        ),
        FieldDoc(f"{E}.tags", "array", doc("tags")),
        FieldDoc(f"{E}.tags[].id", "string", "The tag."),
        FieldDoc(
            f"{E}.tags[].url", "string or null", "Page listing the tag's events (null if none is live)."
        ),
        FieldDoc(f"{E}.annotations", "array", doc("annotations")),
        FieldDoc(f"{E}.annotations[].kind", "string", "Annotation kind id."),
        FieldDoc(f"{E}.annotations[].kind_label", "string", "Annotation kind label."),
        FieldDoc(f"{E}.annotations[].text", "string", "The note."),
        FieldDoc(f"{E}.withdrawn", "object or null", doc("withdrawn")),
        FieldDoc(f"{E}.withdrawn.date", "date", "Day it was withdrawn."),
        FieldDoc(f"{E}.withdrawn.reason", "string", "Why."),
        FieldDoc(f"{E}.merged_into", "object or null", doc("merged_into")),
        *_ref_fields(f"{E}.merged_into", "event it was merged into"),
        FieldDoc(
            f"{E}.first_published",
            "string or null",
            "When the event was first published (from git "
            "history, RFC 3339, UTC); null when history is not available.",
        ),
    ]


def _actor_fields() -> list[FieldDoc]:
    A = "actors[]"
    from timeweave.content.models import Affiliation

    return [
        *_collection_fields("actors", "actors, by id"),
        *_common_record("actors", Actor, "actor"),
        FieldDoc(f"{A}.name", "string", _model_doc(Actor, "name")),
        FieldDoc(f"{A}.kind", "string", _model_doc(Actor, "kind")),
        FieldDoc(f"{A}.aliases", "array", _model_doc(Actor, "aliases")),
        FieldDoc(f"{A}.aliases[].name", "string", "The name."),
        FieldDoc(f"{A}.aliases[].lang", "string", "Its language."),
        FieldDoc(f"{A}.wikidata", "object or null", _model_doc(Actor, "wikidata")),
        FieldDoc(f"{A}.wikidata.id", "string", "Item id."),
        FieldDoc(f"{A}.wikidata.url", "string", "Item page on Wikidata."),
        FieldDoc(f"{A}.affiliations", "array", _model_doc(Actor, "affiliations")),
        *_ref_fields(
            f"{A}.affiliations[]",
            "other actor",
            [
                FieldDoc(f"{A}.affiliations[].name", "string", "Name of the other actor."),
                FieldDoc(f"{A}.affiliations[].relation", "string", _model_doc(Affiliation, "relation")),
            ],
        ),
        *_date_fields(f"{A}.affiliations[].from", "Start"),
        *_date_fields(f"{A}.affiliations[].to", "End"),
        FieldDoc(f"{A}.events", "array", "Live events the actor takes part in, in date order."),
        *_ref_fields(
            f"{A}.events[]", "event", [FieldDoc(f"{A}.events[].role", "string", "The actor's role id.")]
        ),
    ]


def _place_fields() -> list[FieldDoc]:
    P = "places[]"

    def doc(name: str) -> str:
        return _model_doc(Place, name)

    return [
        *_collection_fields("places", "places, by id"),
        *_common_record("places", Place, "place"),
        FieldDoc(f"{P}.name", "string", doc("name")),
        FieldDoc(f"{P}.names", "object", doc("names")),
        FieldDoc(f"{P}.names.<lang>", "string", "The name in that language."),
        FieldDoc(f"{P}.kind", "string", doc("kind")),
        FieldDoc(f"{P}.coordinates", "object or null", doc("coordinates")),
        FieldDoc(f"{P}.coordinates.latitude", "number", "Latitude (WGS 84)."),
        FieldDoc(f"{P}.coordinates.longitude", "number", "Longitude (WGS 84)."),
        FieldDoc(
            f"{P}.location_precision",
            "string",
            "How precise the coordinates are (the kind's default unless set).",
        ),
        FieldDoc(f"{P}.radius_m", "integer", "Radius in metres a reader should read into the point."),
        FieldDoc(f"{P}.within", "object or null", doc("within")),
        *_ref_fields(
            f"{P}.within",
            "parent place",
            [
                FieldDoc(f"{P}.within.name", "string", "Name."),
                FieldDoc(f"{P}.within.kind", "string", "Kind."),
            ],
        ),
        FieldDoc(f"{P}.wikidata", "object or null", doc("wikidata")),
        FieldDoc(f"{P}.wikidata.id", "string", "Item id."),
        FieldDoc(f"{P}.wikidata.url", "string", "Item page on Wikidata."),
        FieldDoc(f"{P}.events", "array", "Live events at this place (not those of places within it)."),
        *_ref_fields(f"{P}.events[]", "event"),
    ]


def _source_fields() -> list[FieldDoc]:
    S = "sources[]"

    def doc(name: str) -> str:
        return _model_doc(Source, name)

    return [
        *_collection_fields("sources", "sources, by id"),
        *_common_record("sources", Source, "source"),
        FieldDoc(f"{S}.title", "string", doc("title")),
        FieldDoc(f"{S}.kind", "string", doc("kind")),
        FieldDoc(f"{S}.publisher", "string or null", doc("publisher")),
        FieldDoc(f"{S}.author", "string or null", doc("author")),
        *_date_fields(f"{S}.published", doc("published").rstrip(".")),
        FieldDoc(f"{S}.external_url", "string or null", doc("url") + " (the source's own `url` field)"),
        FieldDoc(f"{S}.archive_url", "string or null", doc("archive_url")),
        FieldDoc(f"{S}.accessed", "date or null", doc("accessed")),
        FieldDoc(f"{S}.language", "string or null", doc("language")),
        FieldDoc(f"{S}.events", "array", "Live events that cite the source."),
        *_ref_fields(f"{S}.events[]", "event"),
    ]


def _vocabulary_fields() -> list[FieldDoc]:
    from timeweave.content.models import Term, Vocabulary

    out = [
        FieldDoc("site_url", "string or null", "The site's address when configured, else null."),
        FieldDoc("url_base", "string", "Where the site root is as seen from this file."),
    ]
    for group in ("event_types", "actor_roles", "relations", "annotation_kinds", "statuses"):
        out.append(FieldDoc(group, "object", _model_doc(Vocabulary, group)))
        out.append(FieldDoc(f"{group}.<id>", "object", "One term, under its id."))
        out.append(FieldDoc(f"{group}.<id>.label", "string", _model_doc(Term, "label")))
        out.append(FieldDoc(f"{group}.<id>.definition", "string", _model_doc(Term, "definition")))
        out.append(FieldDoc(f"{group}.<id>.inverse", "string or null", _model_doc(Term, "inverse")))
    out.append(FieldDoc("event_types.<id>.url", "string", "Page listing the events of this type."))
    return out


def _geojson_fields() -> list[FieldDoc]:
    F = "features[]"
    return [
        FieldDoc("type", "string", "Always FeatureCollection (RFC 7946)."),
        FieldDoc("site_url", "string or null", "The site's address when configured, else null."),
        FieldDoc("url_base", "string", "Where the site root is as seen from this file."),
        FieldDoc("features", "array", "One Point feature per live event that has a location."),
        FieldDoc(f"{F}.type", "string", "Always Feature."),
        FieldDoc(f"{F}.id", "string", "Event id."),
        FieldDoc(f"{F}.geometry", "object", "A Point."),
        FieldDoc(f"{F}.geometry.type", "string", "Always Point."),
        FieldDoc(
            f"{F}.geometry.coordinates",
            "array",
            "[longitude, latitude] (WGS 84; longitude first, as GeoJSON requires).",
        ),
        FieldDoc(f"{F}.properties", "object", "The event, flat, as in the CSV."),
        FieldDoc(f"{F}.properties.id", "string", "Event id."),
        FieldDoc(f"{F}.properties.url", "string", "Page of the event."),
        FieldDoc(f"{F}.properties.title", "string", "Headline."),
        FieldDoc(f"{F}.properties.date", "string", "EDTF date."),
        FieldDoc(f"{F}.properties.date_start", "date or null", "Earliest possible day."),
        FieldDoc(f"{F}.properties.date_end", "date or null", "Latest possible day."),
        FieldDoc(f"{F}.properties.date_precision", "string", "day, month, year or interval."),
        FieldDoc(f"{F}.properties.date_label", "string", "The date as the site shows it."),
        FieldDoc(f"{F}.properties.type", "string", "Event type id."),
        FieldDoc(f"{F}.properties.type_label", "string", "Event type label."),
        FieldDoc(f"{F}.properties.status", "string", "Status id."),
        FieldDoc(f"{F}.properties.place", "string or null", "Place id."),
        FieldDoc(f"{F}.properties.place_name", "string or null", "Place name."),
        FieldDoc(f"{F}.properties.location_precision", "string", "How precise the point is."),
        FieldDoc(
            f"{F}.properties.radius_m", "integer", "Radius in metres a reader should read into the point."
        ),
    ]


_ICS_FIELDS = [
    FieldDoc("UID", "text", "Stable id of the event (a UUID made from the site name and the event's path)."),
    FieldDoc("DTSTAMP", "date-time", "When the event was last changed (git history), else its latest day."),
    FieldDoc("DTSTART", "date", "Earliest possible day (all-day); the latest one for an open start."),
    FieldDoc(
        "DTEND",
        "date",
        "The day after the latest possible day (RFC 5545: DTEND is exclusive); for an "
        "open end, the day after the start.",
    ),
    FieldDoc("SUMMARY", "text", "Headline."),
    FieldDoc(
        "DESCRIPTION",
        "text",
        "The date as the site shows it, the EDTF date, the status and the account; "
        "without site_url also the page's path.",
    ),
    FieldDoc("CATEGORIES", "text", "Event type label."),
    FieldDoc("URL", "uri", "Page of the event; only when site_url is set (the property must be absolute)."),
    FieldDoc("LOCATION", "text", "Place name."),
    FieldDoc("GEO", "float;float", "Latitude;longitude of the event or its place."),
]

_ATOM_FIELDS = [
    FieldDoc(
        "feed/@xml:base", "IRI", "The site root (relative to the feed without site_url, else absolute)."
    ),
    FieldDoc("feed/id", "IRI", "urn:uuid: made from the site name and the feed's path; never changes."),
    FieldDoc("feed/updated", "date-time", "The latest entry's updated time."),
    FieldDoc(
        "entry/id",
        "IRI",
        "urn:uuid: made from the site name and the event's path (the same UUID as the calendar's UID).",
    ),
    FieldDoc("entry/title", "text", "Headline."),
    FieldDoc("entry/link", "IRI", "Page of the event."),
    FieldDoc(
        "entry/published",
        "date-time",
        "First published: the first git commit of the event's file; "
        "without history, the latest possible day of the event at 00:00 UTC.",
    ),
    FieldDoc("entry/updated", "date-time", "Last change (git history), else the same as published."),
    FieldDoc("entry/category", "term", "Event type id (term) and label."),
    FieldDoc("entry/summary", "text", "Date, type and status, then the account (Markdown, as text)."),
]

EXPORTS: list[ExportDoc] = [
    ExportDoc(
        "events.json",
        "Events",
        "json",
        "application/json",
        "Every event with every field; dates with their bounds, references as id and URL.",
        _event_fields(),
    ),
    ExportDoc(
        "events.csv",
        "Events (CSV)",
        "csv",
        "text/csv",
        "One row per live event, flat columns in the spirit of conflict-event datasets. UTF-8, comma, "
        "CRLF, quoted where needed. Text cells that begin with =, +, -, @, a tab, a carriage return or an "
        "apostrophe get a leading apostrophe, so a spreadsheet shows them instead of running them as "
        "formulas; the importer removes it again. Numbers are never prefixed.",
        [FieldDoc(c.name, c.type, c.description) for c in CSV_COLUMNS],
    ),
    ExportDoc(
        "events.geojson",
        "Events on a map (GeoJSON)",
        "geojson",
        "application/geo+json",
        "A FeatureCollection of the live events that have a location.",
        _geojson_fields(),
    ),
    ExportDoc(
        "events.ics",
        "Events (iCalendar)",
        "ics",
        "text/calendar",
        "One all-day VEVENT per live event, spanning its possible days.",
        _ICS_FIELDS,
    ),
    ExportDoc("actors.json", "Actors", "json", "application/json", "Every actor.", _actor_fields()),
    ExportDoc("places.json", "Places", "json", "application/json", "Every place.", _place_fields()),
    ExportDoc("sources.json", "Sources", "json", "application/json", "Every source.", _source_fields()),
    ExportDoc(
        "vocabulary.json",
        "Vocabulary",
        "json",
        "application/json",
        "Event types, actor roles, relations, annotation kinds and statuses.",
        _vocabulary_fields(),
    ),
    ExportDoc(
        "feeds/events.atom",
        "Atom feed of the whole timeline",
        "atom",
        "application/atom+xml",
        f"The {FEED_LIMIT} most recently published events, newest first; one feed per actor at "
        "feeds/actors/<id>.atom and per place at feeds/places/<id>.atom (events at the place or "
        "within it).",
        _ATOM_FIELDS,
    ),
    ExportDoc(
        "datapackage.json",
        "Data package (Frictionless)",
        "json",
        "application/json",
        "Describes the CSV (with its Table Schema) and the JSON files, for Frictionless tools.",
    ),
]
