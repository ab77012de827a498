"""events.json, actors.json, places.json, sources.json and vocabulary.json: every record with every
field, dates with their bounds, references as id and URL.

Withdrawn and merged events are in events.json (with their `withdrawn` / `merged_into` fields), so
reusers can follow corrections.
"""

from __future__ import annotations

from typing import Any

from timeweave import urls
from timeweave.catalog.order import event_sort_key
from timeweave.content.dates import parse_date
from timeweave.content.models import PRECISION_RADIUS_M, Actor, CountRange, Event, Place, Source
from timeweave.exports.context import DATA_DIR, ExportContext, rfc3339, to_json, total


def date_object(text: str | None) -> dict[str, Any] | None:
    """An EDTF value with its bounds: what every export says about a date."""
    if text is None:
        return None
    when = parse_date(text)
    return {
        "edtf": when.text,
        "earliest": when.earliest.isoformat() if when.earliest else None,
        "latest": when.latest.isoformat() if when.latest else None,
        "precision": when.precision,
        "approximate": when.approximate,
        "uncertain": when.uncertain,
        "label": when.label(),
    }


def count_object(value: CountRange | None) -> dict[str, int | None] | None:
    return {"min": value.min, "max": value.max} if value is not None else None


def wikidata_object(item: str | None) -> dict[str, str] | None:
    return {"id": item, "url": f"https://www.wikidata.org/wiki/{item}"} if item else None


def place_object(context: ExportContext, place: Place) -> dict[str, Any]:
    return {**context.ref("place", place.id), "name": place.name, "kind": place.kind}


def location_object(context: ExportContext, event: Event) -> dict[str, Any] | None:
    location = context.location(event)
    if location is None:
        return None
    return {
        "latitude": location.lat,
        "longitude": location.lon,
        "precision": location.precision,
        "radius_m": location.radius_m,
        "from": "event" if event.coordinates else "place",
    }


def event_record(context: ExportContext, event: Event) -> dict[str, Any]:
    c, vocab = context.catalog, context.vocab
    place = c.places.get(event.place) if event.place else None
    published = context.options.published.get(event.id)
    return {
        **context.ref("event", event.id),
        "title": event.title,
        "date": date_object(event.date),
        "time": event.time,
        "type": {
            "id": event.type,
            "label": vocab.event_types[event.type].label,
            "url": context.link(urls.type_url(event.type)),
        },
        "status": {"id": event.status, "label": vocab.statuses[event.status].label},
        "place": place_object(context, place) if place else None,
        "place_hierarchy": [place_object(context, p) for p in context.chain(place)] if place else [],
        "location": location_object(context, event),
        "actors": [
            {
                **context.ref("actor", a.actor),
                "name": c.actors[a.actor].name,
                "role": a.role,
                "role_label": vocab.actor_roles[a.role].label,
            }
            for a in event.actors
        ],
        "casualties": [
            {
                "who": k.who,
                "killed": count_object(k.killed),
                "injured": count_object(k.injured),
                "source": context.ref("source", k.source) if k.source else None,
            }
            for k in event.casualties
        ],
        "fatalities": total(k.killed for k in event.casualties),
        "injured": total(k.injured for k in event.casualties),
        "sources": [
            {
                **context.ref("source", s.source),
                "title": c.sources[s.source].title,
                "quote": s.quote,
                "locator": s.locator,
            }
            for s in event.sources
        ],
        "related": [
            {
                **context.ref("event", r.event),
                "title": c.events[r.event].title,
                "relation": r.relation,
                "relation_label": vocab.relations[r.relation].label,
            }
            for r in event.related
        ],
        "tags": [
            {"id": t, "url": context.link(urls.tag_url(t)) if t in c.tag_events else None} for t in event.tags
        ],
        "annotations": [
            {"kind": n.kind, "kind_label": vocab.annotation_kinds[n.kind].label, "text": n.text}
            for n in event.annotations
        ],
        "withdrawn": {"date": event.withdrawn.date, "reason": event.withdrawn.reason}
        if event.withdrawn
        else None,
        "merged_into": context.ref("event", event.merged_into) if event.merged_into else None,
        "former_ids": list(event.former_ids),
        "first_published": rfc3339(published) if published else None,
        "body": event.body,
        "file": event.path,
    }


def actor_record(context: ExportContext, actor: Actor) -> dict[str, Any]:
    c = context.catalog
    return {
        **context.ref("actor", actor.id),
        "name": actor.name,
        "kind": actor.kind,
        "aliases": [{"name": a.name, "lang": a.lang} for a in actor.aliases],
        "wikidata": wikidata_object(actor.wikidata),
        "affiliations": [
            {
                **context.ref("actor", a.actor),
                "name": c.actors[a.actor].name,
                "relation": a.relation,
                "from": date_object(a.from_),
                "to": date_object(a.to),
            }
            for a in actor.affiliations
        ],
        "events": [
            {**context.ref("event", e.id), "role": role} for e, role in c.actor_events.get(actor.id, [])
        ],
        "former_ids": list(actor.former_ids),
        "body": actor.body,
        "file": actor.path,
    }


def place_record(context: ExportContext, place: Place) -> dict[str, Any]:
    c = context.catalog
    parent = c.places.get(place.within) if place.within else None
    return {
        **context.ref("place", place.id),
        "name": place.name,
        "names": dict(sorted(place.names.items())),
        "kind": place.kind,
        "coordinates": {"latitude": place.coordinates[0], "longitude": place.coordinates[1]}
        if place.coordinates
        else None,
        "location_precision": place.precision,
        "radius_m": PRECISION_RADIUS_M[place.precision],
        "within": place_object(context, parent) if parent else None,
        "wikidata": wikidata_object(place.wikidata),
        "events": [context.ref("event", e.id) for e in c.place_events.get(place.id, [])],
        "former_ids": list(place.former_ids),
        "body": place.body,
        "file": place.path,
    }


def source_record(context: ExportContext, source: Source) -> dict[str, Any]:
    return {
        **context.ref("source", source.id),
        "title": source.title,
        "kind": source.kind,
        "publisher": source.publisher,
        "author": source.author,
        "published": date_object(source.published),
        "external_url": source.url,
        "archive_url": source.archive_url,
        "accessed": source.accessed,
        "language": source.language,
        "events": [context.ref("event", e.id) for e in context.catalog.source_events.get(source.id, [])],
        "former_ids": list(source.former_ids),
        "body": source.body,
        "file": source.path,
    }


VOCABULARY_GROUPS = ("event_types", "actor_roles", "relations", "annotation_kinds", "statuses")


def vocabulary_record(context: ExportContext) -> dict[str, Any]:
    groups: dict[str, Any] = {}
    for group in VOCABULARY_GROUPS:
        terms = getattr(context.vocab, group)
        groups[group] = {
            term_id: {
                "label": term.label,
                "definition": term.definition,
                "inverse": term.inverse,
                **({"url": context.link(urls.type_url(term_id))} if group == "event_types" else {}),
            }
            for term_id, term in terms.items()
        }
    return groups


def collection(context: ExportContext, file_path: str, key: str, records: list[dict[str, Any]]) -> bytes:
    return to_json(
        {
            "count": len(records),
            "site_url": context.options.site_url,
            "url_base": context.url_base(file_path),
            key: records,
        }
    )


def json_files(context: ExportContext) -> dict[str, bytes]:
    """Path relative to data/ -> bytes of each JSON file."""
    c = context.catalog
    events = sorted(c.events.values(), key=event_sort_key)
    return {
        "events.json": collection(
            context, f"{DATA_DIR}/events.json", "events", [event_record(context, e) for e in events]
        ),
        "actors.json": collection(
            context,
            f"{DATA_DIR}/actors.json",
            "actors",
            [actor_record(context, a) for a in c.actors.values()],
        ),
        "places.json": collection(
            context,
            f"{DATA_DIR}/places.json",
            "places",
            [place_record(context, p) for p in c.places.values()],
        ),
        "sources.json": collection(
            context,
            f"{DATA_DIR}/sources.json",
            "sources",
            [source_record(context, s) for s in c.sources.values()],
        ),
        "vocabulary.json": to_json(
            {
                "site_url": context.options.site_url,
                "url_base": context.url_base(f"{DATA_DIR}/vocabulary.json"),
                **vocabulary_record(context),
            }
        ),
    }
