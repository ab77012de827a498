"""What every export format shares: the options, the catalog with what is worked out once per
build, URLs and first-published dates.

URLs. Without `site_url` (the site does not know where it will be served from, and we do not
invent a domain) every URL is a path relative to the site's root ("events/<id>/"); the JSON files
say so in `url_base` (the root as seen from the file), the Atom feeds set `xml:base` so that feed
readers resolve them, and the iCalendar file, whose URL property must be absolute, names the
page path in the description instead. With `site_url` set every URL is absolute.

First-published dates. Feeds are ordered by when each event was first published. That date comes
from git history, which this package does not read: the caller passes `published` (event id ->
aware datetime of the first commit of its file) and, optionally, `updated` (last change). Where an
event has no entry (no history: a tarball, a file not committed yet) the event's own date bounds
stand in: the latest possible day of the event (the earliest for an open end), at 00:00 UTC.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin

from timeweave import urls
from timeweave.catalog.catalog import Catalog, Location
from timeweave.content.dates import EventDate
from timeweave.content.models import CountRange, Event, Place

DATA_DIR = "data"
FEEDS_DIR = f"{DATA_DIR}/feeds"
FEED_LIMIT = 100  # entries of the site's feed: a feed says what is new; the whole dataset is in events.json
# Entries of each actor's and place's feed, which carry no account (a link to the page instead):
# those feeds are most of data/'s weight, one per record. A feed reader polls for what is new since
# it last looked, so the latest four are enough; the record's page lists every event.
RECORD_FEED_LIMIT = 4
UUID_NAMESPACE = uuid.UUID("6f1d3c2e-9b4a-5e0f-8a7d-2c4b6e8f0a13")  # fixed: ids must never change


@dataclass(frozen=True)
class ExportOptions:
    site_name: str = "Timeline"
    site_url: str | None = None
    published: Mapping[str, datetime] = field(default_factory=dict)
    updated: Mapping[str, datetime] = field(default_factory=dict)
    feed_limit: int = FEED_LIMIT
    record_feed_limit: int = RECORD_FEED_LIMIT
    # The licence of the data (an SPDX identifier such as CC-BY-4.0) for datapackage.json; None
    # leaves the field out rather than claim a licence the site never declared.
    data_license: str | None = None


def to_json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode()


# A line with nothing but spaces ends a Markdown paragraph.
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def first_paragraph(body: str) -> str:
    """The account's first paragraph, as Markdown: what the formats whose readers expect a short
    note (a calendar's description, ACLED's notes) carry. The whole account is in events.json,
    events.csv and on the event's page, which those formats link to."""
    return _BLANK_LINE.split(body.strip(), maxsplit=1)[0].strip()


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
    # isoformat, not strftime('%Y'), which writes year 609 as '609' instead of '0609'.
    return moment.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


# The formats whose dates are calendar days of years 1-9999 (iCalendar DATE, RFC 3339): an event
# dated outside them is left out of these files, and the build lists it once (left_out).
CALENDAR_FORMATS = ("events.ics", "feeds/*.atom", "events-acled.csv")


def calendar_date(when: EventDate) -> bool:
    """Whether iCalendar and Atom can hold the date: every known bound in years 1-9999."""
    return when.representable


def left_out(events: Iterable[Event]) -> list[str]:
    """The build's notice, once, of the events the calendar formats cannot hold; [] when none."""
    ids = sorted(event.id for event in events if not calendar_date(event.when))
    if not ids:
        return []
    return [f"{len(ids)} event(s) left out of {', '.join(CALENDAR_FORMATS)}, whose dates those formats "
            f"cannot hold (years 1-9999 only): {', '.join(ids)}"]


class ExportContext:
    """The catalog and options of one export run; every format module reads through it."""

    def __init__(self, catalog: Catalog, options: ExportOptions):
        self.catalog = catalog
        self.options = options
        self.vocab = catalog.vocabulary
        # An event appears in many feeds and many CSV columns: work each thing out once.
        self._locations: dict[str, Location | None] = {}
        self._chains: dict[str, list[Place]] = {}
        self._published: dict[str, datetime] = {}

    def location(self, event: Event) -> Location | None:
        if event.id not in self._locations:
            self._locations[event.id] = self.catalog.location(event)
        return self._locations[event.id]

    def chain(self, place: Place) -> list[Place]:
        if place.id not in self._chains:
            self._chains[place.id] = self.catalog.place_chain(place)
        return self._chains[place.id]

    def calendar_events(self, events: Iterable[Event]) -> list[Event]:
        """The events iCalendar, Atom and ACLED's layout can hold (left_out lists the others once per build)."""
        return [event for event in events if calendar_date(event.when)]

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
