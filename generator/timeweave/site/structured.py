"""Structured data about records (pure): schema.org JSON-LD and the page descriptions Open Graph uses.

JSON-LD is serialized here by `script_json`, which writes <, >, &, U+2028 and U+2029 as \\u escapes,
so a title containing `</script>` cannot leave its block, and the generated Markdown (whose front
matter carries it to the theme as page.meta.tl_jsonld) holds no markup at all. The theme
(site_overrides/partials/timeline-head.html) prints it inside <script type="application/ld+json">.
Nothing here escapes HTML; page.meta.description is escaped by the caller because Material prints
it unescaped.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from timeweave import urls
from timeweave.catalog.catalog import Catalog
from timeweave.content.dates import DateError, parse_date
from timeweave.content.models import Actor, Event, Place, Source
from timeweave.exports.context import calendar_date

SCHEMA = "https://schema.org"
Permalink = Callable[[str], str]

_SOURCE_TYPES = {"news": "NewsArticle", "analysis": "AnalysisNewsArticle", "report": "Report",
                 "book": "Book", "social-media": "SocialMediaPosting"}


_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                              "\u2029": "\\u2029"})


def script_json(data: Any) -> str:
    """JSON that can sit inside a <script> element: no character of it can end the element or,
    read as JavaScript, end a line. The escapes are JSON's own, so parsers read the same data."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).translate(_SCRIPT_SAFE)


def actor_type(actor: Actor) -> str:
    # schema.org has no type for an informal group of people: Organization, its collective type,
    # is the nearest (a group is not one Person).
    return "Person" if actor.kind == "person" else "Organization"


def _iso_day(edtf: str | None) -> str | None:
    """A schema.org date for an EDTF value that names one plain day, month or year; else None."""
    if not edtf:
        return None
    try:
        when = parse_date(edtf)
    except DateError:
        return None
    if when.interval or when.approximate or when.uncertain or when.start is None:
        return None
    return when.start.iso()


def event_description(event: Event, catalog: Catalog) -> str:
    vocab = catalog.vocabulary
    parts = [f"{vocab.event_types[event.type].label}, {event.when.label()}"]
    if event.place and event.place in catalog.places:
        parts.append(catalog.places[event.place].name)
    text = ", ".join(parts) + f". Status: {vocab.statuses[event.status].label.lower()}."
    if event.withdrawn:
        text = f"Withdrawn on {event.withdrawn.date}. " + text
    return text


def actor_ref(actor: Actor, permalink: Permalink | None) -> dict[str, Any]:
    """permalink None: without the actor page's address (an event names its actors; the actor's
    own page says the rest)."""
    node: dict[str, Any] = {"@type": actor_type(actor), "name": actor.name}
    if permalink is not None:
        node["url"] = permalink(urls.actor_url(actor.id))
    if actor.wikidata:
        node["sameAs"] = urls.wikidata_url(actor.wikidata)
    return node


def place_ref(place: Place | None, lat_lon: tuple[float, float] | None, permalink: Permalink,
              name: str | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "Place"}
    if place is not None:
        node["name"] = place.name
        node["url"] = permalink(urls.place_url(place.id))
        if place.wikidata:
            node["sameAs"] = urls.wikidata_url(place.wikidata)
    elif name:
        node["name"] = name
    if lat_lon is not None:
        node["geo"] = {"@type": "GeoCoordinates", "latitude": lat_lon[0], "longitude": lat_lon[1]}
    return node


def source_ref(source: Source, permalink: Permalink) -> dict[str, Any]:
    """A source as an event page cites it: what it is, where it is and its archived copy. The rest
    (publisher, author, date, language) is on the source's own page (source_jsonld)."""
    node: dict[str, Any] = {"@type": _SOURCE_TYPES.get(source.kind, "CreativeWork"), "name": source.title,
                            "url": source.url or permalink(urls.source_url(source.id))}
    if source.archive_url:
        node["archivedAt"] = source.archive_url
    return node


def source_jsonld(source: Source, permalink: Permalink) -> dict[str, Any]:
    node: dict[str, Any] = {"@context": SCHEMA, **source_ref(source, permalink)}
    if source.publisher:
        node["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.author:
        node["author"] = {"@type": "Person", "name": source.author}
    published = _iso_day(source.published)
    if published:
        node["datePublished"] = published
    if source.language:
        node["inLanguage"] = source.language
    return node


def event_jsonld(event: Event, catalog: Catalog, permalink: Permalink,
                 modified: str | None = None) -> dict[str, Any]:
    """schema.org Event: the date bounds, where, who, on which sources, and when the page changed."""
    when = event.when
    node: dict[str, Any] = {"@context": SCHEMA, "@type": "Event", "name": event.title,
                            "url": permalink(urls.event_url(event.id)),
                            "description": event_description(event, catalog)}
    exact_day = not when.is_fuzzy
    if not calendar_date(when):  # schema.org dates are ISO 8601 days of years 1-9999
        pass
    elif when.earliest:
        node["startDate"] = when.earliest.isoformat() + (f"T{event.time}" if exact_day and event.time else "")
    if when.latest and calendar_date(when):
        node["endDate"] = when.latest.isoformat()
    location = catalog.location(event)
    place = catalog.places.get(event.place) if event.place else None
    if location is not None or place is not None:
        node["location"] = place_ref(place, (location.lat, location.lon) if location else None, permalink,
                                     name=event.title)
    actors = list(dict.fromkeys(a.actor for a in event.actors))
    if actors:
        node["actor"] = [actor_ref(catalog.actors[a], None) for a in actors if a in catalog.actors]
    # citation, dateModified and keywords belong to creative works, not to Event (schema.org
    # domains, checked in tests/site/test_structured.py): they describe the page, the account of
    # the event, which is the event's subjectOf. Tags are that account's index terms.
    sources = list(dict.fromkeys(c.source for c in event.sources))
    page: dict[str, Any] = {"@type": "WebPage", "url": node["url"], "citation": [
        source_ref(catalog.sources[s], permalink) for s in sources if s in catalog.sources]}
    if event.tags:
        page["keywords"] = ", ".join(event.tags)
    if modified:
        page["dateModified"] = modified
    node["subjectOf"] = page
    return node


def actor_jsonld(actor: Actor, permalink: Permalink, modified: str | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"@context": SCHEMA, **actor_ref(actor, permalink)}
    if actor.aliases:
        node["alternateName"] = [alias.name for alias in actor.aliases]
    if modified:  # dateModified is a creative work's: the actor's page, not the actor
        node["subjectOf"] = {"@type": "ProfilePage", "url": node["url"], "dateModified": modified}
    return node


def place_jsonld(place: Place, permalink: Permalink) -> dict[str, Any]:
    coordinates = tuple(place.coordinates) if place.coordinates else None
    node = place_ref(place, coordinates, permalink)  # type: ignore[arg-type]
    node["@context"] = SCHEMA
    if place.names:
        node["alternateName"] = [place.names[lang] for lang in sorted(place.names)]
    return node
