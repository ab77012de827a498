"""events-acled.csv: the live events in ACLED's CSV export layout (its 31 columns, in its order), so a
site's data goes into tools built for ACLED; `timeweave import acled` reads it back. generator/README.md
documents each column: how our uncertain dates and precisions map onto ACLED's codes."""

from __future__ import annotations

import csv
import io

from timeweave.catalog.catalog import Catalog
from timeweave.content.models import Event
from timeweave.exports.context import ExportContext, first_paragraph
from timeweave.exports.fields import FieldDoc
from timeweave.exports.table import neutralize_cell

COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)  # fmt: skip
CODING_PREFIX = "ACLED coding: "  # the annotation `timeweave import acled` keeps ACLED's other codes in
CODED = ("disorder_type", "sub_event_type", "inter1", "inter2", "interaction", "civilian_targeting",
         "iso", "region", "source_scale", "tags", "timestamp")
NUMBERS = {"year", "time_precision", "inter1", "inter2", "interaction", "iso", "latitude", "longitude",
           "geo_precision", "fatalities", "timestamp"}
GEO_PRECISION = {"exact": "1", "town": "1", "near": "2"}  # district and wider: 3
ADMIN_KINDS = {"country": "country", "governorate": "admin1", "district": "admin2"}
_CODED_DOC = "ACLED's code, kept word for word in the event's \"ACLED coding: ...\" annotation; empty without one."
# The Data page's and datapackage.json's description of each column (generator/README.md has the
# full mapping). Integer and number types only where this module writes the digits itself: the
# coded columns are passed through as imported, and ACLED's newer exports write inter1 and
# interaction as words.
FIELDS = [
    FieldDoc("event_id_cnty", "string", "The locator of the event's citation of an ACLED file, else the event's id."),
    FieldDoc("event_date", "date", "A single day: that day; a week (day-precise ends at most 7 days apart): its "
             "middle day; anything vaguer: the 15th of its first month, or 1 July of a year-only date."),
    FieldDoc("year", "integer", "The year of event_date."),
    FieldDoc("time_precision", "integer", "1 a day, 2 a week, 3 anything less precise (approximate and uncertain "
             "qualifiers have no ACLED code)."),
    FieldDoc("disorder_type", "string", _CODED_DOC),
    FieldDoc("event_type", "string", "The label of the event's type."),
    FieldDoc("sub_event_type", "string", _CODED_DOC),
    FieldDoc("actor1", "string", "The first actor with role initiator (else of a role ACLED has no column for)."),
    FieldDoc("assoc_actor_1", "string", "The other such actors and those with role associate-of-initiator, "
             "joined by '; '."),
    FieldDoc("inter1", "string", _CODED_DOC),
    FieldDoc("actor2", "string", "The first actor with role target or victim."),
    FieldDoc("assoc_actor_2", "string", "The other targets and victims and those with role associate-of-target, "
             "joined by '; '."),
    FieldDoc("inter2", "string", _CODED_DOC),
    FieldDoc("interaction", "string", _CODED_DOC),
    FieldDoc("civilian_targeting", "string", _CODED_DOC),
    FieldDoc("iso", "string", _CODED_DOC),
    FieldDoc("region", "string", _CODED_DOC),
    FieldDoc("country", "string", "The place of kind country the event's place lies within."),
    FieldDoc("admin1", "string", "The place of kind governorate the event's place lies within."),
    FieldDoc("admin2", "string", "The place of kind district the event's place lies within."),
    FieldDoc("admin3", "string", "An inner district, when two districts contain the event's place."),
    FieldDoc("location", "string", "The name of the event's place."),
    FieldDoc("latitude", "number", "The event's location (its own coordinates, else its place's), 4 decimals."),
    FieldDoc("longitude", "number", "As latitude."),
    FieldDoc("geo_precision", "integer", "1 exact or town, 2 near, 3 district and wider."),
    FieldDoc("source", "string", "The titles of the sources the event cites, except ACLED files, joined by '; '."),
    FieldDoc("source_scale", "string", _CODED_DOC),
    FieldDoc("notes", "string", "The account's first paragraph, on one line (ACLED's notes are a short "
             "description; events.csv and events.json carry the whole account)."),
    FieldDoc("fatalities", "integer", "The sum of the lowest killed figure of each casualty group."),
    FieldDoc("tags", "string", _CODED_DOC),
    FieldDoc("timestamp", "string", _CODED_DOC),
]
assert tuple(f.name for f in FIELDS) == COLUMNS
INITIATOR = ("initiator",)
TARGET = ("target", "victim")
ASSOC_INITIATOR = ("associate-of-initiator",)
ASSOC_TARGET = ("associate-of-target",)


def acled_row(catalog: Catalog, context: ExportContext, event: Event) -> dict[str, str]:
    row = dict.fromkeys(COLUMNS, "")
    row.update(_coding(event))
    acled_locator = next((c.locator for c in event.sources
                          if c.locator and catalog.sources[c.source].publisher == "ACLED"), None)
    row["event_id_cnty"] = acled_locator or event.id
    when = event.when
    point = when.start or when.end
    assert point is not None
    # ACLED's time_precision: 1 a day, 2 a week (dated on its middle day), 3 a month or longer.
    if not when.interval and point.precision == "day":
        day, precision = point.first, "1"
    elif when.start and when.end and when.start.precision == when.end.precision == "day" and (
        (when.end.latest - when.start.earliest).days <= 6 if when.representable else False
    ):
        middle = when.start.earliest + (when.end.latest - when.start.earliest) / 2
        day, precision = (middle.year, middle.month, middle.day), "2"
    else:
        day = (point.year, point.month or 7, 15 if point.month else 1)
        precision = "3"
    row["event_date"] = f"{day[0]:04d}-{day[1]:02d}-{day[2]:02d}"
    row["year"] = str(day[0])
    row["time_precision"] = precision
    row["event_type"] = context.vocab.event_types[event.type].label
    names = {role: [catalog.actors[a.actor].name for a in event.actors if a.role in role]
             for role in (INITIATOR, TARGET, ASSOC_INITIATOR, ASSOC_TARGET)}
    others = [catalog.actors[a.actor].name for a in event.actors
              if a.role not in INITIATOR + TARGET + ASSOC_INITIATOR + ASSOC_TARGET]
    first, *more = names[INITIATOR] + others or [""]
    row["actor1"], row["assoc_actor_1"] = first, "; ".join(more + names[ASSOC_INITIATOR])
    second, *more_targets = names[TARGET] or [""]
    row["actor2"], row["assoc_actor_2"] = second, "; ".join(more_targets + names[ASSOC_TARGET])
    place = catalog.places.get(event.place) if event.place else None
    if place is not None:
        row["location"] = place.name
        parent = place.within
        while parent and parent in catalog.places:
            column = ADMIN_KINDS.get(catalog.places[parent].kind)
            if column and not row[column]:
                row[column] = catalog.places[parent].name
            elif catalog.places[parent].kind == "district" and not row["admin3"] and row["admin2"]:
                row["admin3"], row["admin2"] = row["admin2"], catalog.places[parent].name
            parent = catalog.places[parent].within
    location = context.location(event)
    if location is not None:
        row["latitude"], row["longitude"] = f"{location.lat:.4f}", f"{location.lon:.4f}"
        row["geo_precision"] = GEO_PRECISION.get(location.precision, "3")
    row["source"] = "; ".join(catalog.sources[c.source].title for c in event.sources
                              if catalog.sources[c.source].publisher != "ACLED")
    # ACLED's notes column is a short description of the event, which its importers read as one.
    row["notes"] = " ".join(first_paragraph(event.body).split())
    killed = 0
    for group in event.casualties:
        if group.killed is not None:  # ACLED codes the lowest figure a source gives
            killed += group.killed.min or 0
    row["fatalities"] = str(killed)
    return row


def _coding(event: Event) -> dict[str, str]:
    for note in event.annotations:
        if note.text.startswith(CODING_PREFIX):
            out = {}
            for part in note.text[len(CODING_PREFIX):].rstrip(".").split("; "):
                key, _, value = part.partition(" ")
                if key in CODED:
                    out[key] = value
            return out
    return {}


def events_acled_csv(context: ExportContext) -> bytes:
    """Events outside the years 1-9999 are left out: ACLED's event_date is a calendar day."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for event in context.calendar_events(context.catalog.timeline):
        row = acled_row(context.catalog, context, event)
        # As in events.csv: a text cell that a spreadsheet would run as a formula gets a leading
        # apostrophe (the importer removes it); numbers are never prefixed.
        writer.writerow({k: v if k in NUMBERS else neutralize_cell(v) for k, v in row.items()})
    return out.getvalue().encode("utf-8")



