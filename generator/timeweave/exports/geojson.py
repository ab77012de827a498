"""events.geojson: a FeatureCollection (RFC 7946) of the live events that have a location, each a
Point with the event's fields, flat, as in the CSV."""

from __future__ import annotations

from typing import Any

from timeweave import urls
from timeweave.exports.context import DATA_DIR, ExportContext, to_json


def events_geojson(context: ExportContext) -> bytes:
    catalog, vocab = context.catalog, context.vocab
    features: list[dict[str, Any]] = []
    for event in catalog.timeline:
        location = context.location(event)
        if location is None:
            continue
        when = event.when
        features.append(
            {
                "type": "Feature",
                "id": event.id,
                # RFC 7946: longitude first.
                "geometry": {"type": "Point", "coordinates": [location.lon, location.lat]},
                "properties": {
                    "id": event.id,
                    "url": context.link(urls.event_url(event.id)),
                    "title": event.title,
                    "date": event.date,
                    "date_start": when.earliest.isoformat() if when.earliest else None,
                    "date_end": when.latest.isoformat() if when.latest else None,
                    "date_precision": when.precision,
                    "date_label": when.label(),
                    "type": event.type,
                    "type_label": vocab.event_types[event.type].label,
                    "status": event.status,
                    "place": event.place,
                    "place_name": catalog.places[event.place].name if event.place else None,
                    "location_precision": location.precision,
                    "radius_m": location.radius_m,
                },
            }
        )
    return to_json(
        {
            "type": "FeatureCollection",
            "site_url": context.options.site_url,
            "url_base": context.url_base(f"{DATA_DIR}/events.geojson"),
            "features": features,
        }
    )
