"""events.ics: one all-day VEVENT (RFC 5545) per live event, spanning its possible days.

Written with the `icalendar` library, which escapes TEXT values, folds lines at 75 octets and
writes dates of every year 1-9999 with four digits (strftime('%Y') writes year 609 as '609').
Events whose dates iCalendar cannot hold are left out (context.calendar_events) and the build says
so once.

Named ical rather than calendar so that it is never mistaken for the standard library's module.
"""

from __future__ import annotations

import re
from datetime import UTC, timedelta

import icalendar

from timeweave import urls
from timeweave.content.models import Event
from timeweave.exports.context import ExportContext, first_paragraph, stable_uuid

# C0 controls other than the line break: not allowed in a TEXT value, dropped rather than escaped.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def ical_text(text: str) -> str:
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def events_ics(context: ExportContext) -> bytes:
    name = ical_text(context.options.site_name)
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", "-//timeline-generator//open data//EN")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    for event in context.calendar_events(context.catalog.timeline):
        calendar.add_component(vevent(context, event))
    return bytes(calendar.to_ical())


def vevent(context: ExportContext, event: Event) -> icalendar.Event:
    vocab, site_url = context.vocab, context.options.site_url
    when = event.when
    first = when.earliest or when.latest
    last = when.latest or when.earliest
    assert first is not None and last is not None
    path = urls.event_url(event.id)
    description = [f"{when.label()} ({event.date})", f"Status: {vocab.statuses[event.status].label}"]
    # A calendar shows the description as a note: the first paragraph, and the page for the rest
    # (also with site_url, since not every calendar app shows the URL property).
    if event.body:
        description.append(first_paragraph(event.body))
    description.append(f"Page: {context.link(path)}" if site_url else f"Page: {path} (path on the site)")
    item = icalendar.Event()
    item.add("uid", stable_uuid(context.options.site_name, path))
    item.add("dtstamp", context.updated(event).astimezone(UTC))
    item.add("dtstart", first)
    # DTEND of an all-day event is exclusive: the day after the latest possible day.
    item.add("dtend", last + timedelta(days=1))
    item.add("summary", ical_text(event.title))
    item.add("description", ical_text("\n".join(description)))
    item.add("categories", [ical_text(vocab.event_types[event.type].label)])
    item.add("transp", "TRANSPARENT")
    if site_url:
        item.add("url", context.link(path))
    if event.place:
        item.add("location", ical_text(context.catalog.places[event.place].name))
    location = context.location(event)
    if location is not None:
        item.add("geo", (location.lat, location.lon))
    return item
