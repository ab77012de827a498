"""events-acled.csv: the live events in ACLED's CSV export layout (its 31 columns, in its order), so a
site's data goes into tools built for ACLED; `timeweave import acled` reads it back. generator/README.md
documents each column: how our uncertain dates and precisions map onto ACLED's codes."""

from __future__ import annotations

import csv
import io

from timeweave.catalog.catalog import Catalog
from timeweave.content.models import Event
from timeweave.exports.context import ExportContext
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
    row["notes"] = " ".join(event.body.split())
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



