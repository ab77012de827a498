"""events.csv: one row per live event, flat columns in the spirit of conflict-event datasets.

One definition per column (CSV_COLUMNS) drives the writer, the data package's Table Schema, the
Data page and the spreadsheet importer, which reads our own CSV back. Withdrawn and merged events
are left out, so that counting rows never counts an event twice.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from timeweave import urls
from timeweave.content.models import Event, Place
from timeweave.exports.context import ExportContext, total

# Cells a spreadsheet would run as a formula (OWASP "CSV injection"), and the apostrophe itself so
# that the escape can be undone exactly.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "'")


def neutralize_cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def restore_cell(text: str) -> str:
    """Undo neutralize_cell (used when importing our own CSV)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS) else text


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema type: string, integer, number, boolean, date
    description: str
    value: Callable[[ExportContext, Event], Any]

    def cell(self, context: ExportContext, event: Event) -> str:
        value = self.value(context, event)
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


def _place(x: ExportContext, e: Event) -> Place | None:
    return x.catalog.places.get(e.place) if e.place else None


def _admin(kind: str) -> Callable[[ExportContext, Event], str | None]:
    def value(x: ExportContext, e: Event) -> str | None:
        place = _place(x, e)
        if place is None:
            return None
        return next((p.name for p in x.chain(place) if p.kind == kind), None)

    return value


def _location(attr: str) -> Callable[[ExportContext, Event], Any]:
    def value(x: ExportContext, e: Event) -> Any:
        location = x.location(e)
        return getattr(location, attr) if location else None

    return value


def _figure(which: str, bound: str) -> Callable[[ExportContext, Event], int | None]:
    def value(x: ExportContext, e: Event) -> int | None:
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


# What makes csv's minimal quoting quote a cell, and ';': spreadsheets in locales whose decimal
# comma makes ';' the list separator split an unquoted cell there, and the piece after it, which
# neutralize_cell never saw, may start a formula ('a; =HYPERLINK(...)' in a list column).
_QUOTED = re.compile(r'[,";\r\n]')


def csv_row(cells: Iterable[str]) -> str:
    """One CSV record as csv.writer writes it with minimal quoting, except that a cell holding ';'
    is quoted too: any CSV reader, ours included, reads the same cells back."""
    return ",".join('"' + cell.replace('"', '""') + '"' if _QUOTED.search(cell) else cell
                    for cell in cells) + "\r\n"


def events_csv(context: ExportContext) -> bytes:
    buffer = io.StringIO()
    buffer.write(csv_row(column.name for column in CSV_COLUMNS))
    for event in context.catalog.timeline:
        buffer.write(csv_row(column.cell(context, event) for column in CSV_COLUMNS))
    return buffer.getvalue().encode()
