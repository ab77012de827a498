"""Catalog -> open data files: JSON, CSV, GeoJSON, iCalendar, Atom feeds and a Frictionless data
package (pure: no MkDocs import, no file reads, no clock).

One module per format; context.py holds what they share (options, URLs, first-published dates)
and fields.py the documentation of every field. EXPORTS lists every file the Data page and the
data package describe.

Every file is deterministic: keys sorted, records in a fixed order, numbers written the same way,
and every timestamp taken from the content or from git history, never from the clock.

Withdrawn and merged events are in events.json (with their `withdrawn` / `merged_into` fields), so
reusers can follow corrections; the CSV, GeoJSON, iCalendar and feeds carry only live events, so
that counting rows never counts an event twice.
"""

from __future__ import annotations

from timeweave.catalog.catalog import Catalog
from timeweave.exports.acled import FIELDS as ACLED_FIELDS
from timeweave.exports.acled import events_acled_csv
from timeweave.exports.context import (
    DATA_DIR,
    FEED_LIMIT,
    RECORD_FEED_LIMIT,
    ExportContext,
    ExportOptions,
    left_out,
    stable_uuid,
    total,
)
from timeweave.exports.datapackage import datapackage_json
from timeweave.exports.feeds import feed_files
from timeweave.exports.fields import (
    ATOM_FIELDS,
    ICS_FIELDS,
    ExportDoc,
    FieldDoc,
    actor_fields,
    event_fields,
    geojson_fields,
    place_fields,
    source_fields,
    vocabulary_fields,
)
from timeweave.exports.geojson import events_geojson
from timeweave.exports.ical import events_ics
from timeweave.exports.jsonfiles import json_files
from timeweave.exports.table import (
    CSV_COLUMNS,
    FORMULA_TRIGGERS,
    events_csv,
    neutralize_cell,
    restore_cell,
    split_list,
)

__all__ = [
    "CSV_COLUMNS",
    "DATA_DIR",
    "EXPORTS",
    "FORMULA_TRIGGERS",
    "ExportDoc",
    "ExportOptions",
    "FieldDoc",
    "export_files",
    "export_notices",
    "neutralize_cell",
    "restore_cell",
    "split_list",
    "stable_uuid",
    "total",
]

EXPORTS: list[ExportDoc] = [
    ExportDoc(
        "events.json",
        "Events",
        "json",
        "application/json",
        "Every event with every field; dates with their bounds, references as id and URL.",
        event_fields(),
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
        "events-acled.csv",
        "Events in ACLED's layout (CSV)",
        "csv",
        "text/csv",
        "One row per live event dated in the years 1-9999, in the 31 columns of ACLED's CSV export, in "
        "its order, so the data goes into tools built for ACLED; timeweave import acled reads it back. "
        "Text cells are protected from spreadsheets as in events.csv.",
        ACLED_FIELDS,
    ),
    ExportDoc(
        "events.geojson",
        "Events on a map (GeoJSON)",
        "geojson",
        "application/geo+json",
        "A FeatureCollection of the live events that have a location.",
        geojson_fields(),
    ),
    ExportDoc(
        "events.ics",
        "Events (iCalendar)",
        "ics",
        "text/calendar",
        "One all-day VEVENT per live event, spanning its possible days.",
        ICS_FIELDS,
    ),
    ExportDoc("actors.json", "Actors", "json", "application/json", "Every actor.", actor_fields()),
    ExportDoc("places.json", "Places", "json", "application/json", "Every place.", place_fields()),
    ExportDoc("sources.json", "Sources", "json", "application/json", "Every source.", source_fields()),
    ExportDoc(
        "vocabulary.json",
        "Vocabulary",
        "json",
        "application/json",
        "Event types, actor roles, relations, annotation kinds and statuses.",
        vocabulary_fields(),
    ),
    ExportDoc(
        "feeds/events.atom",
        "Atom feed of the whole timeline",
        "atom",
        "application/atom+xml",
        f"The latest published events (the {FEED_LIMIT} newest by default: plugin option "
        "feed_entries), newest first, with a link to events.json, which holds them all; one feed per "
        f"actor at feeds/actors/<id>.atom and per place at feeds/places/<id>.atom (events at the place "
        f"or within it; {RECORD_FEED_LIMIT} entries by default, option record_feed_entries, each "
        "linking to its page instead of carrying the account).",
        ATOM_FIELDS,
    ),
    ExportDoc(
        "datapackage.json",
        "Data package (Frictionless)",
        "json",
        "application/json",
        "Describes the two CSV files (with their Table Schemas) and the JSON files, for Frictionless tools.",
    ),
]


def export_files(catalog: Catalog, options: ExportOptions | None = None) -> dict[str, bytes]:
    """Every open-data file of the site: site-relative path -> bytes, in a fixed order."""
    context = ExportContext(catalog, options or ExportOptions())
    data = json_files(context)
    data["events.csv"] = events_csv(context)
    data["events.geojson"] = events_geojson(context)
    data["events.ics"] = events_ics(context)
    data["events-acled.csv"] = events_acled_csv(context)  # issue 18a: ACLED's layout
    sizes = {name: len(content) for name, content in data.items()}
    data["datapackage.json"] = datapackage_json(context, sizes, EXPORTS)
    files = {f"{DATA_DIR}/{name}": content for name, content in data.items()}
    files.update(feed_files(context))
    return files


def export_notices(catalog: Catalog) -> list[str]:
    """What the build says once about the exports: the events a format had to leave out."""
    return left_out(catalog.timeline)
