"""events.ics: one all-day VEVENT (RFC 5545) per live event, spanning its possible days.

Named ical rather than calendar so that it is never mistaken for the standard library's module.
"""

from __future__ import annotations

import re
from datetime import UTC, timedelta

from timeweave import urls
from timeweave.content.models import Event
from timeweave.exports.context import ExportContext, stable_uuid


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


def events_ics(context: ExportContext) -> bytes:
    name = context.options.site_name
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//timeline-generator//open data//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"NAME:{ical_text(name)}",
        f"X-WR-CALNAME:{ical_text(name)}",
    ]
    for event in context.catalog.timeline:
        if event.when.representable:  # iCalendar dates are days of the years 1-9999
            lines.extend(vevent(context, event))
    lines.append("END:VCALENDAR")
    return ("\r\n".join(ical_fold(line) for line in lines) + "\r\n").encode()


def vevent(context: ExportContext, event: Event) -> list[str]:
    vocab, site_url = context.vocab, context.options.site_url
    when = event.when
    first = when.earliest or when.latest
    last = when.latest or when.earliest
    assert first is not None and last is not None
    path = urls.event_url(event.id)
    description = [f"{when.label()} ({event.date})", f"Status: {vocab.statuses[event.status].label}"]
    if event.body:
        description.append(event.body)
    if not site_url:
        description.append(f"Page: {path} (path on the site)")
    lines = [
        "BEGIN:VEVENT",
        f"UID:{stable_uuid(context.options.site_name, path)}",
        f"DTSTAMP:{context.updated(event).astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}",
        f"DTSTART;VALUE=DATE:{first.strftime('%Y%m%d')}",
        # DTEND of an all-day event is exclusive: the day after the latest possible day.
        f"DTEND;VALUE=DATE:{(last + timedelta(days=1)).strftime('%Y%m%d')}",
        f"SUMMARY:{ical_text(event.title)}",
        f"DESCRIPTION:{ical_text(chr(10).join(description))}",
        f"CATEGORIES:{ical_text(vocab.event_types[event.type].label)}",
        "TRANSP:TRANSPARENT",
    ]
    if site_url:
        lines.append(f"URL;VALUE=URI:{context.link(path)}")
    location = context.location(event)
    if event.place:
        lines.append(f"LOCATION:{ical_text(context.catalog.places[event.place].name)}")
    if location is not None:
        lines.append(f"GEO:{location.lat!r};{location.lon!r}")
    lines.append("END:VEVENT")
    return lines
