"""The whole timeline in memory: every record validated, then backlinks, indexes and order.

Nothing here reads files; it takes what the loader produced and never raises on bad content:
every broken reference becomes a ContentError with the line of the reference (references.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from timeweave.catalog.order import dates_overlap, order_pairs, relations_order_some, timeline_order
from timeweave.catalog.references import (
    Checker,
    check_actor,
    check_event,
    check_former_ids,
    check_place,
    check_raw_references,
    check_source,
)
from timeweave.catalog.statuses import check_status
from timeweave.content.loader import FileCache, load_content
from timeweave.content.models import (
    PRECISION_RADIUS_M,
    Actor,
    Affiliation,
    Event,
    Place,
    Record,
    Source,
    Vocabulary,
    build_record,
    build_vocabulary,
)
from timeweave.content.records import LoadResult, RawRecord
from timeweave.content.textchecks import own_problems
from timeweave.errors import ContentError, ErrorLog
from timeweave.kinds import ACTOR, EVENT, KINDS, PLACE, SOURCE
from timeweave.parallel.runner import paused_collector


@dataclass(frozen=True)
class Location:
    lat: float
    lon: float
    precision: str
    place: Place | None

    @property
    def radius_m(self) -> int:
        return PRECISION_RADIUS_M[self.precision]


@dataclass
class Catalog:
    vocabulary: Vocabulary
    events: dict[str, Event]
    actors: dict[str, Actor]
    places: dict[str, Place]
    sources: dict[str, Source]
    warnings: list[ContentError] = field(default_factory=list)
    timeline: list[Event] = field(default_factory=list)
    actor_events: dict[str, list[tuple[Event, str]]] = field(default_factory=dict)
    place_events: dict[str, list[Event]] = field(default_factory=dict)
    place_events_within: dict[str, list[Event]] = field(default_factory=dict)
    place_children: dict[str, list[Place]] = field(default_factory=dict)
    source_events: dict[str, list[Event]] = field(default_factory=dict)
    type_events: dict[str, list[Event]] = field(default_factory=dict)
    tag_events: dict[str, list[Event]] = field(default_factory=dict)
    month_events: dict[str, list[Event]] = field(default_factory=dict)
    related_in: dict[str, list[tuple[Event, str]]] = field(default_factory=dict)
    affiliations_in: dict[str, list[tuple[Actor, Affiliation]]] = field(default_factory=dict)
    merged_in: dict[str, list[Event]] = field(default_factory=dict)
    former_ids: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> former id -> id
    position: dict[str, int] = field(default_factory=dict)
    # (earlier id, later id): what the ordering relations say of two live events (catalog/order.py).
    order_pairs: set[tuple[str, str]] = field(default_factory=set)
    # Month key -> whether the relations order some of its events, for the months whose dates
    # cannot tell which of their events came first (the order notes; asked by every record page).
    unordered_months: dict[str, bool] = field(default_factory=dict)

    def records_by_kind(self) -> dict[str, dict[str, Any]]:
        """Each kind's records by id, in the order of kinds.KINDS."""
        return {EVENT.name: self.events, ACTOR.name: self.actors, PLACE.name: self.places,
                SOURCE.name: self.sources}

    def previous(self, event: Event) -> Event | None:
        index = self.position.get(event.id)
        return self.timeline[index - 1] if index else None

    def next(self, event: Event) -> Event | None:
        index = self.position.get(event.id)
        if index is None or index + 1 >= len(self.timeline):
            return None
        return self.timeline[index + 1]

    def location(self, event: Event) -> Location | None:
        """Where to put the event on a map: its own coordinates, else its place's (and their precision)."""
        place = self.places.get(event.place) if event.place else None
        if event.coordinates:
            return Location(event.coordinates[0], event.coordinates[1], event.location_precision or "exact", place)
        if place and place.coordinates:
            precision: str = event.location_precision or place.precision
            return Location(place.coordinates[0], place.coordinates[1], precision, place)
        return None

    def place_chain(self, place: Place) -> list[Place]:
        """The place and its parents, innermost first (cycles are caught by validation)."""
        chain, seen = [place], {place.id}
        while chain[-1].within and chain[-1].within in self.places and chain[-1].within not in seen:
            chain.append(self.places[chain[-1].within])
            seen.add(chain[-1].id)
        return chain


# id(raw record) -> (that raw record, all its own problems, its model, its schema problems): what
# build_catalog learned about a file the loader's cache handed back unchanged (generator/timeweave/site/incremental.py).
RecordCache = dict[int, tuple[RawRecord, list[ContentError], Record | None, list[ContentError]]]


def build_catalog(loaded: LoadResult, today: date | None = None,
                  cache: RecordCache | None = None, index: bool = True) -> tuple[Catalog | None, ErrorLog]:
    """Validate every record, cross-check references and index the timeline; never stops early.

    index=False leaves the indexes (timeline, backlinks...) empty: validation reports nothing
    from them, and on a large timeline they are a good part of its cost."""
    with paused_collector():
        return _build_catalog(loaded, today, cache, index)


def _build_catalog(loaded: LoadResult, today: date | None,
                   cache: RecordCache | None, index: bool = True) -> tuple[Catalog | None, ErrorLog]:
    errors = ErrorLog()
    errors.extend(loaded.errors.items)
    today = today or date.today()
    vocabulary = None
    if loaded.vocabulary is not None:
        vocabulary, problems = build_vocabulary(loaded.vocabulary)
        errors.extend(problems)

    tables: dict[str, dict[str, Any]] = {kind.name: {} for kind in KINDS}
    raws: dict[tuple[str, str], RawRecord] = {}
    failed: list[tuple[RawRecord, set[str]]] = []
    fresh: RecordCache = {}
    for raw in loaded.records:
        hit = cache.get(id(raw)) if cache is not None else None
        if hit is not None and hit[0] is raw:
            _, found, record, problems = hit
        else:
            checked = loaded.checked_problems(raw)
            found = checked if checked is not None else own_problems(raw)
            built = loaded.kept_for(raw)
            record, problems = built if built is not None else build_record(raw)
            found.extend(problems)
        errors.extend(found)
        if cache is not None:
            fresh[id(raw)] = (raw, found, record, problems)
        if record is None:
            failed.append((raw, {p.field for p in problems}))
            continue
        if record.id in tables[raw.kind]:
            first = raws[(raw.kind, record.id)].path
            errors.add(raw.path, 1, "id", f"duplicate {raw.kind} id '{record.id}', also {first}",
                       "ids must be unique: rename one file")
            continue
        tables[raw.kind][record.id] = record
        raws[(raw.kind, record.id)] = raw

    sorted_tables = {kind: dict(sorted(table.items())) for kind, table in tables.items()}
    events: dict[str, Event] = sorted_tables["event"]
    actors: dict[str, Actor] = sorted_tables["actor"]
    places: dict[str, Place] = sorted_tables["place"]
    sources: dict[str, Source] = sorted_tables["source"]
    broken = set(loaded.unreadable) | {(r.kind, r.id) for r in loaded.records if (r.kind, r.id) not in raws}
    check = Checker(raws, errors, broken, check_terms=vocabulary is not None)

    # An invalid vocabulary (reported on its own) must not hide the events' other problems.
    vocab = vocabulary or Vocabulary.model_construct(event_types={}, actor_roles={}, relations={},
                                                     annotation_kinds={}, statuses={})
    for event in events.values():
        check_event(event, check, vocab, events, actors, places, sources, today)
        check_status(event, check, sources)
    for raw, bad_fields in failed:
        check_raw_references(raw, bad_fields, check, sorted_tables, vocab)
    for actor in actors.values():
        check_actor(actor, check, actors)
    for place in places.values():
        check_place(place, check, places)
    for source in sources.values():
        check_source(source, check, today)
    former = check_former_ids(tables, check)
    if cache is not None:
        cache.clear()
        cache.update(fresh)

    if vocabulary is None or errors.errors:
        return None, errors
    catalog = Catalog(vocabulary, events, actors, places, sources, warnings=errors.warnings,
                      former_ids=former)
    if index:
        _index(catalog)
    return catalog, errors


def _group(pairs: Iterable[tuple[str, Any]]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    for key, value in pairs:
        grouped[key].append(value)
    return dict(sorted(grouped.items()))


def _index(catalog: Catalog) -> None:
    live = [e for e in catalog.events.values() if e.live]
    catalog.order_pairs = order_pairs(live, catalog.vocabulary.relations)
    catalog.timeline = timeline_order(live, catalog.order_pairs)
    catalog.position = {e.id: i for i, e in enumerate(catalog.timeline)}
    timeline = catalog.timeline
    catalog.actor_events = _group((a.actor, (e, a.role)) for e in timeline for a in e.actors)
    catalog.place_events = _group((e.place, e) for e in timeline if e.place)
    catalog.source_events = _group(
        (s, e) for e in timeline for s in dict.fromkeys(c.source for c in e.sources))
    catalog.type_events = _group((e.type, e) for e in timeline)
    catalog.tag_events = _group((t, e) for e in timeline for t in dict.fromkeys(e.tags))
    catalog.month_events = _group((e.when.month_key, e) for e in timeline)
    catalog.unordered_months = {key: relations_order_some(events, catalog.order_pairs)
                                for key, events in catalog.month_events.items() if dates_overlap(events)}
    catalog.related_in = _group((r.event, (e, r.relation)) for e in timeline for r in e.related)
    catalog.affiliations_in = _group(
        (aff.actor, (a, aff)) for a in catalog.actors.values() for aff in a.affiliations)
    catalog.merged_in = _group((e.merged_into, e) for e in catalog.events.values() if e.merged_into)
    catalog.place_children = _group(
        (p.within, p) for p in catalog.places.values() if p.within)
    within: dict[str, list[Event]] = defaultdict(list)
    for event in timeline:
        if event.place and event.place in catalog.places:
            for place in catalog.place_chain(catalog.places[event.place]):
                within[place.id].append(event)
    catalog.place_events_within = dict(sorted(within.items()))


def load_catalog(content_dir: Path, root: Path | None = None, today: date | None = None,
                 cache: tuple[FileCache, RecordCache] | None = None,
                 index: bool = True) -> tuple[Catalog | None, ErrorLog]:
    """Load and validate; with a (file cache, record cache) pair only changed files are read again."""
    with paused_collector():
        loaded = load_content(content_dir, root, cache[0] if cache else None, check=own_problems,
                              check_here=build_record)
        return build_catalog(loaded, today, cache[1] if cache else None, index)
