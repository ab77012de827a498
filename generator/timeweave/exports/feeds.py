"""Atom feeds (RFC 4287): the whole timeline at feeds/events.atom, one feed per actor and one per
place (events at the place or within it), newest first by first publication.

Relative links resolve against xml:base, the site root, when no site_url is configured.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from timeweave import urls
from timeweave.content.models import Event
from timeweave.exports.context import DATA_DIR, FEEDS_DIR, ExportContext, rfc3339, stable_uuid

ATOM = "http://www.w3.org/2005/Atom"
DATA_FILE = f"{DATA_DIR}/events.json"

# Characters XML 1.0 cannot carry at all: dropped from feeds rather than breaking them (the
# serializer escapes markup but would write these as they are).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_clean(text: str) -> str:
    return _XML_INVALID.sub("", text)


def _child(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_clean(v) for k, v in attributes.items()})
    if text is not None:
        element.text = xml_clean(text)
    return element


def feed_path(kind: str, record_id: str) -> str:
    return f"{FEEDS_DIR}/{urls.PAGE_FOLDERS[kind]}/{record_id}.atom"


class AtomFeeds:
    def __init__(self, context: ExportContext):
        self.context = context
        # An event is an entry of each of its actors' feeds and of each enclosing place's.
        self._entries: dict[tuple[str, bool], ET.Element] = {}

    def files(self) -> dict[str, bytes]:
        """Site-relative path -> bytes of every feed."""
        c = self.context.catalog
        name = self.context.options.site_name
        files = {
            f"{FEEDS_DIR}/events.atom": self.atom(
                f"{FEEDS_DIR}/events.atom", name, urls.timeline_url(), c.timeline, full=True
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

    def feed_order(self, events: Iterable[Event], limit: int) -> list[Event]:
        """The latest `limit`, newest first by first publication; ties by id, so the order never changes."""
        published = self.context.published
        return sorted(self.context.calendar_events(events), key=lambda e: (-published(e).timestamp(), e.id))[:limit]

    def atom(self, feed_path: str, title: str, page_path: str, events: Sequence[Event], full: bool = False) -> bytes:
        """full: the site's feed, with the accounts; an actor's or place's feed links to them."""
        context, site_name = self.context, self.context.options.site_name
        options = context.options
        entries = self.feed_order(events, options.feed_limit if full else options.record_feed_limit)
        updated = max((context.updated(e) for e in entries), default=datetime(1970, 1, 1, tzinfo=UTC))
        # The Atom namespace as the default one, written as a plain attribute, so that elements keep
        # their short names; ElementTree escapes every text and attribute.
        feed = ET.Element("feed", {"xmlns": ATOM, "xml:base": xml_clean(context.url_base(feed_path))})
        _child(feed, "id", f"urn:uuid:{stable_uuid(site_name, feed_path)}")
        # Titles and summaries are plain text, Atom's default type (RFC 4287, 3.1.1): no type attribute.
        _child(feed, "title", title)
        _child(feed, "updated", rfc3339(updated))
        _child(_child(feed, "author"), "name", site_name)
        _child(feed, "link", rel="self", type="application/atom+xml", href=self.feed_link(feed_path))
        _child(feed, "link", rel="alternate", type="text/html", href=self.feed_link(page_path))
        # A feed holds the latest entries only: every event is in the data file.
        _child(feed, "link", rel="related", type="application/json", href=self.feed_link(DATA_FILE))
        _child(feed, "generator", "timeweave")
        feed.extend(self.entry(event, full) for event in entries)
        # Not indented: feed readers parse it, and with a feed per actor and per place the layout
        # spaces were a tenth of data/feeds/.
        xml: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
        return xml + b"\n"

    def feed_link(self, path: str) -> str:
        # Relative hrefs resolve against xml:base (the site root); an empty path is the root itself.
        return self.context.link(path) if self.context.options.site_url else (path or "./")

    def entry(self, event: Event, full: bool) -> ET.Element:
        # An element may sit in several trees: each is serialized on its own.
        if (event.id, full) not in self._entries:
            self._entries[event.id, full] = self._entry(event, full)
        return self._entries[event.id, full]

    def _entry(self, event: Event, full: bool) -> ET.Element:
        context, vocab = self.context, self.context.vocab
        path = urls.event_url(event.id)
        type_label = vocab.event_types[event.type].label
        summary = f"{event.when.label()} · {type_label} · {vocab.statuses[event.status].label}"
        if event.body and full:
            summary += "\n\n" + event.body
        entry = ET.Element("entry")
        _child(entry, "id", f"urn:uuid:{stable_uuid(context.options.site_name, path)}")
        _child(entry, "title", event.title)
        _child(entry, "link", rel="alternate", type="text/html", href=self.feed_link(path))
        _child(entry, "published", rfc3339(context.published(event)))
        _child(entry, "updated", rfc3339(context.updated(event)))
        _child(entry, "category", term=event.type, label=type_label)
        _child(entry, "summary", summary)
        return entry


def feed_files(context: ExportContext) -> dict[str, bytes]:
    return AtomFeeds(context).files()
