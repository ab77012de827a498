"""Documentation of every field of every export, rendered on the Data page (a test checks it covers
every key the files hold).

Where an export field is a content model field, its description is the model's (models.py is the
one place fields are described); the text written here is for fields that exist only in the
exports, or that an export reshapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel

from timeweave.content.models import (
    Actor,
    Affiliation,
    Casualties,
    Event,
    Place,
    Source,
    SourceCitation,
    Term,
    Vocabulary,
)
from timeweave.content.schema import field_description
from timeweave.exports.jsonfiles import VOCABULARY_GROUPS


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


def from_model(name: str, field_type: str, model: type[BaseModel], attribute: str | None = None) -> FieldDoc:
    """An export field that is a model's field, documented by the model's own description. The model's
    attribute is the last part of the export field's name unless `attribute` names it."""
    return FieldDoc(name, field_type, field_description(model, attribute or name.rsplit(".", 1)[-1]))


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


def _common_record(key: str, model: type[BaseModel], what: str) -> list[FieldDoc]:
    return [
        FieldDoc(f"{key}[].id", "string", f"Id of the {what}; permanent, it is the page URL."),
        FieldDoc(f"{key}[].url", "string", f"Page of the {what}."),
        from_model(f"{key}[].former_ids", "array of strings", model),
        FieldDoc(f"{key}[].body", "string", "The Markdown text after the front matter."),
        FieldDoc(f"{key}[].file", "string", "The content file in the repository."),
    ]


def event_fields() -> list[FieldDoc]:
    E = "events[]"
    return [
        *_collection_fields("events", "events (all of them, withdrawn and merged included), in date order"),
        *_common_record("events", Event, "event"),
        from_model(f"{E}.title", "string", Event),
        *_date_fields(f"{E}.date", "When it happened"),
        from_model(f"{E}.time", "string or null", Event),
        from_model(f"{E}.type", "object", Event),
        FieldDoc(f"{E}.type.id", "string", "Type id."),
        FieldDoc(f"{E}.type.label", "string", "Type label."),
        FieldDoc(f"{E}.type.url", "string", "Page listing the events of this type."),
        from_model(f"{E}.status", "object", Event),
        FieldDoc(f"{E}.status.id", "string", "Status id."),
        FieldDoc(f"{E}.status.label", "string", "Status label."),
        from_model(f"{E}.place", "object or null", Event),
        *_ref_fields(
            f"{E}.place",
            "place",
            [
                FieldDoc(f"{E}.place.name", "string", "Name of the place."),
                from_model(f"{E}.place.kind", "string", Place),
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
        from_model(f"{E}.location.precision", "string", Event, "location_precision"),
        FieldDoc(
            f"{E}.location.radius_m", "integer", "Radius in metres a reader should read into the point."
        ),
        FieldDoc(
            f"{E}.location.from", "string", "'event' when the event has its own coordinates, else 'place'."
        ),
        from_model(f"{E}.actors", "array", Event),
        *_ref_fields(
            f"{E}.actors[]",
            "actor",
            [
                FieldDoc(f"{E}.actors[].name", "string", "Name of the actor."),
                FieldDoc(f"{E}.actors[].role", "string", "Role id."),
                FieldDoc(f"{E}.actors[].role_label", "string", "Role label."),
            ],
        ),
        from_model(f"{E}.casualties", "array", Event),
        from_model(f"{E}.casualties[].who", "string", Casualties),
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
        from_model(f"{E}.casualties[].source", "object or null", Casualties),
        *_ref_fields(f"{E}.casualties[].source", "source"),
        FieldDoc(f"{E}.fatalities", "object or null", "People killed, all groups together (as in the CSV)."),
        FieldDoc(f"{E}.fatalities.min", "integer", "Sum of the lowest figures."),
        FieldDoc(f"{E}.fatalities.max", "integer or null", "Sum of the highest; null if any group has none."),
        FieldDoc(f"{E}.injured", "object or null", "People injured, all groups together."),
        FieldDoc(f"{E}.injured.min", "integer", "Sum of the lowest figures."),
        FieldDoc(f"{E}.injured.max", "integer or null", "Sum of the highest; null if any group has none."),
        from_model(f"{E}.sources", "array", Event),
        *_ref_fields(
            f"{E}.sources[]",
            "source",
            [
                FieldDoc(f"{E}.sources[].title", "string", "Title of the source."),
                from_model(f"{E}.sources[].quote", "string or null", SourceCitation),
                from_model(f"{E}.sources[].locator", "string or null", SourceCitation),
            ],
        ),
        from_model(f"{E}.related", "array", Event),
        *_ref_fields(
            f"{E}.related[]",
            "other event",
            [
                FieldDoc(f"{E}.related[].title", "string", "Title of the other event."),
                FieldDoc(f"{E}.related[].relation", "string", "Relation id."),
                FieldDoc(f"{E}.related[].relation_label", "string", "Relation label."),
            ],
        ),
        from_model(f"{E}.tags", "array", Event),
        FieldDoc(f"{E}.tags[].id", "string", "The tag."),
        FieldDoc(
            f"{E}.tags[].url", "string or null", "Page listing the tag's events (null if none is live)."
        ),
        from_model(f"{E}.annotations", "array", Event),
        FieldDoc(f"{E}.annotations[].kind", "string", "Annotation kind id."),
        FieldDoc(f"{E}.annotations[].kind_label", "string", "Annotation kind label."),
        FieldDoc(f"{E}.annotations[].text", "string", "The note."),
        from_model(f"{E}.withdrawn", "object or null", Event),
        FieldDoc(f"{E}.withdrawn.date", "date", "Day it was withdrawn."),
        FieldDoc(f"{E}.withdrawn.reason", "string", "Why."),
        from_model(f"{E}.merged_into", "object or null", Event),
        *_ref_fields(f"{E}.merged_into", "event it was merged into"),
        FieldDoc(
            f"{E}.first_published",
            "string or null",
            "When the event was first published (from git "
            "history, RFC 3339, UTC); null when history is not available.",
        ),
    ]


def actor_fields() -> list[FieldDoc]:
    A = "actors[]"
    return [
        *_collection_fields("actors", "actors, by id"),
        *_common_record("actors", Actor, "actor"),
        from_model(f"{A}.name", "string", Actor),
        from_model(f"{A}.kind", "string", Actor),
        from_model(f"{A}.aliases", "array", Actor),
        FieldDoc(f"{A}.aliases[].name", "string", "The name."),
        FieldDoc(f"{A}.aliases[].lang", "string", "Its language."),
        from_model(f"{A}.wikidata", "object or null", Actor),
        FieldDoc(f"{A}.wikidata.id", "string", "Item id."),
        FieldDoc(f"{A}.wikidata.url", "string", "Item page on Wikidata."),
        from_model(f"{A}.affiliations", "array", Actor),
        *_ref_fields(
            f"{A}.affiliations[]",
            "other actor",
            [
                FieldDoc(f"{A}.affiliations[].name", "string", "Name of the other actor."),
                from_model(f"{A}.affiliations[].relation", "string", Affiliation),
            ],
        ),
        *_date_fields(f"{A}.affiliations[].from", "Start"),
        *_date_fields(f"{A}.affiliations[].to", "End"),
        FieldDoc(f"{A}.events", "array", "Live events the actor takes part in, in date order."),
        *_ref_fields(
            f"{A}.events[]", "event", [FieldDoc(f"{A}.events[].role", "string", "The actor's role id.")]
        ),
    ]


def place_fields() -> list[FieldDoc]:
    P = "places[]"
    return [
        *_collection_fields("places", "places, by id"),
        *_common_record("places", Place, "place"),
        from_model(f"{P}.name", "string", Place),
        from_model(f"{P}.names", "object", Place),
        FieldDoc(f"{P}.names.<lang>", "string", "The name in that language."),
        from_model(f"{P}.kind", "string", Place),
        from_model(f"{P}.coordinates", "object or null", Place),
        FieldDoc(f"{P}.coordinates.latitude", "number", "Latitude (WGS 84)."),
        FieldDoc(f"{P}.coordinates.longitude", "number", "Longitude (WGS 84)."),
        FieldDoc(
            f"{P}.location_precision",
            "string",
            "How precise the coordinates are (the kind's default unless set).",
        ),
        FieldDoc(f"{P}.radius_m", "integer", "Radius in metres a reader should read into the point."),
        from_model(f"{P}.within", "object or null", Place),
        *_ref_fields(
            f"{P}.within",
            "parent place",
            [
                FieldDoc(f"{P}.within.name", "string", "Name."),
                FieldDoc(f"{P}.within.kind", "string", "Kind."),
            ],
        ),
        from_model(f"{P}.wikidata", "object or null", Place),
        FieldDoc(f"{P}.wikidata.id", "string", "Item id."),
        FieldDoc(f"{P}.wikidata.url", "string", "Item page on Wikidata."),
        FieldDoc(f"{P}.events", "array", "Live events at this place (not those of places within it)."),
        *_ref_fields(f"{P}.events[]", "event"),
    ]


def source_fields() -> list[FieldDoc]:
    S = "sources[]"
    return [
        *_collection_fields("sources", "sources, by id"),
        *_common_record("sources", Source, "source"),
        from_model(f"{S}.title", "string", Source),
        from_model(f"{S}.kind", "string", Source),
        from_model(f"{S}.publisher", "string or null", Source),
        from_model(f"{S}.author", "string or null", Source),
        *_date_fields(f"{S}.published", field_description(Source, "published").rstrip(".")),
        FieldDoc(
            f"{S}.external_url",
            "string or null",
            field_description(Source, "url") + " (the source's own `url` field)",
        ),
        from_model(f"{S}.archive_url", "string or null", Source),
        from_model(f"{S}.accessed", "date or null", Source),
        from_model(f"{S}.language", "string or null", Source),
        FieldDoc(f"{S}.events", "array", "Live events that cite the source."),
        *_ref_fields(f"{S}.events[]", "event"),
    ]


def vocabulary_fields() -> list[FieldDoc]:
    out = [
        FieldDoc("site_url", "string or null", "The site's address when configured, else null."),
        FieldDoc("url_base", "string", "Where the site root is as seen from this file."),
    ]
    for group in VOCABULARY_GROUPS:
        out.append(from_model(group, "object", Vocabulary))
        out.append(FieldDoc(f"{group}.<id>", "object", "One term, under its id."))
        out.append(from_model(f"{group}.<id>.label", "string", Term))
        out.append(from_model(f"{group}.<id>.definition", "string", Term))
        out.append(from_model(f"{group}.<id>.inverse", "string or null", Term))
    out.append(FieldDoc("event_types.<id>.url", "string", "Page listing the events of this type."))
    return out


def geojson_fields() -> list[FieldDoc]:
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


ICS_FIELDS = [
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
        "The date as the site shows it, the EDTF date, the status, the account's first paragraph "
        "and the page (its URL with site_url, else its path), which has the whole account.",
    ),
    FieldDoc("CATEGORIES", "text", "Event type label."),
    FieldDoc("URL", "uri", "Page of the event; only when site_url is set (the property must be absolute)."),
    FieldDoc("LOCATION", "text", "Place name."),
    FieldDoc("GEO", "float;float", "Latitude;longitude of the event or its place."),
]

ATOM_FIELDS = [
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
