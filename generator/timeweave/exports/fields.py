"""Documentation of every field of every export, rendered on the Data page (a test checks it covers
every key the files hold).

Where an export field is a content model field, its description is the model's (models.py is the
one place fields are described); the text written here is for fields that exist only in the
exports, or that an export reshapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from timeweave.content.models import Actor, Event, Place, Source


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


def event_fields() -> list[FieldDoc]:
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


def actor_fields() -> list[FieldDoc]:
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


def place_fields() -> list[FieldDoc]:
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


def source_fields() -> list[FieldDoc]:
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


def vocabulary_fields() -> list[FieldDoc]:
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
        "The date as the site shows it, the EDTF date, the status and the account; "
        "without site_url also the page's path.",
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
