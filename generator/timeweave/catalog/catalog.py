"""The whole timeline in memory: records checked against each other, backlinks, indexes, order.

Nothing here reads files; it takes what the loader produced and never raises on bad content:
every broken reference becomes a ContentError with the line of the reference.
"""

from __future__ import annotations

import difflib
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from timeweave.content.dates import parse_date
from timeweave.errors import ContentError, ErrorLog
from timeweave.parallel.runner import paused_collector as gc_paused
from timeweave.content.loader import FileCache, load_content
from timeweave.content.records import LoadResult, RawRecord
from timeweave.content.yamlread import _dotted
from timeweave.content.models import (PRECISION_RADIUS_M, Actor, Affiliation, Event, Place, Record, Source, Vocabulary,
                     build_record, build_vocabulary)
from timeweave.content.textchecks import own_problems


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
            precision = event.location_precision or "exact"
            return Location(event.coordinates[0], event.coordinates[1], precision, place)
        if place and place.coordinates:
            precision = event.location_precision or place.precision
            return Location(place.coordinates[0], place.coordinates[1], precision, place)
        return None

    def place_chain(self, place: Place) -> list[Place]:
        """The place and its parents, innermost first (cycles are caught by validation)."""
        chain, seen = [place], {place.id}
        while chain[-1].within and chain[-1].within in self.places and chain[-1].within not in seen:
            chain.append(self.places[chain[-1].within])
            seen.add(chain[-1].id)
        return chain


def event_sort_key(event: Event) -> tuple[date, date, str]:
    earliest, latest = event.when.sort_key
    return (earliest, latest, event.id)


def suggest(wrong: str, records: dict[str, Any], name_attr: str = "name") -> str:
    """'did you mean' for an unknown id: by id part, by id similarity, then by name."""
    wrong_l = str(wrong).lower()
    parts = [rid for rid in records if wrong_l in rid.split("-") or rid.endswith("-" + wrong_l)]
    if len(parts) == 1:
        return f"did you mean '{parts[0]}'?"
    close = difflib.get_close_matches(wrong_l, list(records), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    names = {str(getattr(r, name_attr, "") or "").lower(): rid for rid, r in records.items()}
    close = difflib.get_close_matches(wrong_l.replace("-", " "), list(names), n=1, cutoff=0.5)
    if close:
        return f"did you mean '{names[close[0]]}'?"
    if parts:
        return f"did you mean one of {', '.join(repr(p) for p in parts[:3])}?"
    return ""


class _Checker:
    def __init__(self, raws: dict[tuple[str, str], RawRecord], errors: ErrorLog,
                 broken: set[tuple[str, str]] | None = None, check_terms: bool = True):
        self.raws, self.errors = raws, errors
        # (kind, id) of files that exist but failed to load or validate: they have their own error,
        # and a reference to them is not also "unknown" (one typo in an actor is not N errors).
        self.broken = broken or set()
        self.check_terms = check_terms  # False when the vocabulary itself is invalid

    def add(self, record: Record | RawRecord, kind: str, loc: tuple[Any, ...], message: str, hint: str = "",
            severity: str = "error") -> None:
        raw = record if isinstance(record, RawRecord) else self.raws[(kind, record.id)]
        field_name = ""
        for part in loc:
            field_name += f"[{part}]" if isinstance(part, int) else (f".{part}" if field_name else str(part))
        self.errors.add(raw.path, raw.line_of(loc), field_name, message, hint, severity)

    def ref(self, record: Record | RawRecord, kind: str, loc: tuple[Any, ...], value: str | None,
            targets: dict[str, Any], what: str, name_attr: str = "name") -> None:
        if value is not None and value not in targets and (what, value) not in self.broken:
            self.add(record, kind, loc, f"unknown {what} '{value}'", suggest(value, targets, name_attr))

    def term(self, record: Record | RawRecord, kind: str, loc: tuple[Any, ...], value: str,
             terms: dict[str, Any], group: str) -> None:
        if self.check_terms and value not in terms:
            hint = difflib.get_close_matches(value, list(terms), n=1, cutoff=0.6)
            text = f"did you mean '{hint[0]}'? " if hint else ""
            self.add(record, kind, loc, f"'{value}' is not in the vocabulary's {group}",
                     f"{text}known: {', '.join(sorted(terms))}; or add it to content/vocabulary.yml")


# id(raw record) -> (that raw record, all its own problems, its model, its schema problems): what
# build_catalog learned about a file the loader's cache handed back unchanged (generator/timeweave/site/incremental.py).
RecordCache = dict[int, tuple[RawRecord, list[ContentError], Record | None, list[ContentError]]]


def build_catalog(loaded: LoadResult, today: date | None = None,
                  cache: RecordCache | None = None, index: bool = True) -> tuple[Catalog | None, ErrorLog]:
    """Validate every record, cross-check references and index the timeline; never stops early.

    index=False leaves the indexes (timeline, backlinks...) empty: validation reports nothing
    from them, and at 10,000 events they cost a tenth of it."""
    with gc_paused():
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

    tables: dict[str, dict[str, Any]] = {"event": {}, "actor": {}, "place": {}, "source": {}}
    raws: dict[tuple[str, str], RawRecord] = {}
    failed: list[tuple[RawRecord, set[str]]] = []
    fresh: RecordCache = {}
    for raw in loaded.records:
        hit = cache.get(id(raw)) if cache is not None else None
        if hit is not None and hit[0] is raw:
            _, found, record, problems = hit
        else:
            found = loaded.checked_problems(raw)
            if found is None:
                found = own_problems(raw)
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

    events: dict[str, Event] = dict(sorted(tables["event"].items()))
    actors: dict[str, Actor] = dict(sorted(tables["actor"].items()))
    places: dict[str, Place] = dict(sorted(tables["place"].items()))
    sources: dict[str, Source] = dict(sorted(tables["source"].items()))
    broken = set(loaded.unreadable) | {(r.kind, r.id) for r in loaded.records if (r.kind, r.id) not in raws}
    check = _Checker(raws, errors, broken, check_terms=vocabulary is not None)

    # An invalid vocabulary (reported on its own) must not hide the events' other problems.
    vocab = vocabulary or Vocabulary.model_construct(event_types={}, actor_roles={}, relations={},
                                                     annotation_kinds={}, statuses={})
    for event in events.values():
        _check_event(event, check, vocab, events, actors, places, sources, today)
    tables_by_kind = {"event": events, "actor": actors, "place": places, "source": sources}
    for raw, bad_fields in failed:
        _check_raw_references(raw, bad_fields, check, tables_by_kind, vocab)
    for actor in actors.values():
        for i, aff in enumerate(actor.affiliations):
            check.ref(actor, "actor", ("affiliations", i, "actor"), aff.actor, actors, "actor")
            if aff.actor == actor.id:
                check.add(actor, "actor", ("affiliations", i, "actor"), "an actor cannot be affiliated with itself")
    for place in places.values():
        check.ref(place, "place", ("within",), place.within, places, "place")
        seen, current = {place.id}, place
        while current.within and current.within in places:
            if current.within in seen:
                check.add(place, "place", ("within",), f"'within' makes a loop through '{current.within}'",
                          "a place cannot be inside itself")
                break
            seen.add(current.within)
            current = places[current.within]
    for source in sources.values():
        for name in ("published", "accessed"):
            value = getattr(source, name)
            if value is not None and (parse_date(value).earliest or date.min) > today:
                check.add(source, "source", (name,), f"'{value}' is in the future",
                          f"a source cannot have been {name} after today")
    former = _check_former_ids(tables, check)
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


def _check_event(event: Event, check: _Checker, vocab: Vocabulary, events: dict[str, Event],
                 actors: dict[str, Actor], places: dict[str, Place], sources: dict[str, Source],
                 today: date) -> None:
    when = parse_date(event.date)
    if when.earliest and when.earliest > today:
        check.add(event, "event", ("date",), f"'{event.date}' is in the future",
                  "an event cannot have happened after today")
    elif when.end and when.end.earliest > today:
        check.add(event, "event", ("date",), f"'{event.date}' ends in the future",
                  "for an event still going on, leave the end open: e.g. 2020-02-08/..")
    folder = os.path.basename(os.path.dirname(event.path))  # Path(...).parent.name, without pathlib's parsing
    if folder != str(when.year):
        check.add(event, "event", ("date",), f"the file is in folder '{folder}' but the date is in {when.year}",
                  f"move it to content/events/{when.year}/")
    # Each reference is looked up here first and handed to check only when it is missing: building
    # the location and calling check for each of 150,000 valid references was half of this loop.
    if event.type not in vocab.event_types:
        check.term(event, "event", ("type",), event.type, vocab.event_types, "event_types")
    if event.status not in vocab.statuses:
        check.term(event, "event", ("status",), event.status, vocab.statuses, "statuses")
    if event.place is not None and event.place not in places:
        check.ref(event, "event", ("place",), event.place, places, "place")
    seen_roles = set()
    for i, item in enumerate(event.actors):
        if item.actor not in actors:
            check.ref(event, "event", ("actors", i, "actor"), item.actor, actors, "actor")
        if item.role not in vocab.actor_roles:
            check.term(event, "event", ("actors", i, "role"), item.role, vocab.actor_roles, "actor_roles")
        if (item.actor, item.role) in seen_roles:
            check.add(event, "event", ("actors", i), f"actor '{item.actor}' is listed twice as {item.role}")
        seen_roles.add((item.actor, item.role))
    for i, citation in enumerate(event.sources):
        if citation.source not in sources:
            check.ref(event, "event", ("sources", i, "source"), citation.source, sources, "source", "title")
    for i, casualty in enumerate(event.casualties):
        if casualty.source is not None and casualty.source not in sources:
            check.ref(event, "event", ("casualties", i, "source"), casualty.source, sources, "source", "title")
    for i, rel in enumerate(event.related):
        if rel.event not in events:
            check.ref(event, "event", ("related", i, "event"), rel.event, events, "event", "title")
        if rel.relation not in vocab.relations:
            check.term(event, "event", ("related", i, "relation"), rel.relation, vocab.relations, "relations")
        if rel.event == event.id:
            check.add(event, "event", ("related", i, "event"), "an event cannot be related to itself")
    for i, note in enumerate(event.annotations):
        if note.kind not in vocab.annotation_kinds:
            check.term(event, "event", ("annotations", i, "kind"), note.kind, vocab.annotation_kinds,
                       "annotation_kinds")
    if event.merged_into is not None:
        check.ref(event, "event", ("merged_into",), event.merged_into, events, "event", "title")
        target = events.get(event.merged_into)
        if event.merged_into == event.id:
            check.add(event, "event", ("merged_into",), "an event cannot be merged into itself")
        elif target is not None and not target.live:
            check.add(event, "event", ("merged_into",), f"'{event.merged_into}' is itself withdrawn or merged",
                      "merge into the event that absorbed it")
    if event.withdrawn is not None and event.merged_into is not None:
        check.add(event, "event", ("merged_into",), "an event is either withdrawn or merged, not both")


# The references of a record that failed validation are still checked, from its front matter, so
# a bad date does not hide a misspelt actor: (path to the value, the kind it names or a vocabulary group).
_RAW_REFERENCES: dict[str, list[tuple[tuple[str, ...], str]]] = {
    "event": [(("type",), "event_types"), (("place",), "place"), (("actors", "*", "actor"), "actor"),
              (("actors", "*", "role"), "actor_roles"), (("status",), "statuses"),
              (("casualties", "*", "source"), "source"), (("sources", "*", "source"), "source"),
              (("related", "*", "event"), "event"), (("related", "*", "relation"), "relations"),
              (("annotations", "*", "kind"), "annotation_kinds"), (("merged_into",), "event")],
    "actor": [(("affiliations", "*", "actor"), "actor")],
    "place": [(("within",), "place")],
}


def _raw_values(value: Any, pattern: tuple[str, ...],
                loc: tuple[Any, ...] = ()) -> Iterable[tuple[tuple[Any, ...], str]]:
    if not pattern:
        if isinstance(value, str):
            yield loc, value
    elif pattern[0] == "*":
        for i, item in enumerate(value if isinstance(value, list) else []):
            yield from _raw_values(item, pattern[1:], loc + (i,))
    elif isinstance(value, dict) and pattern[0] in value:
        yield from _raw_values(value[pattern[0]], pattern[1:], loc + (pattern[0],))


def _check_raw_references(raw: RawRecord, bad_fields: set[str], check: _Checker,
                          tables: dict[str, dict[str, Any]], vocab: Vocabulary) -> None:
    for pattern, target in _RAW_REFERENCES.get(raw.kind, []):
        for loc, value in _raw_values(raw.data, pattern):
            field_name = _dotted(loc)
            if any(field_name == bad or field_name.startswith((bad + ".", bad + "["))
                   for bad in bad_fields if bad):
                continue  # the model already reported this value
            if target in tables:
                check.ref(raw, raw.kind, loc, value, tables[target], target,
                          "name" if target in ("actor", "place") else "title")
            else:
                check.term(raw, raw.kind, loc, value, getattr(vocab, target), target)


def _check_former_ids(tables: dict[str, dict[str, Any]], check: _Checker) -> dict[str, dict[str, str]]:
    former: dict[str, dict[str, str]] = {}
    for kind, table in tables.items():
        mapping: dict[str, str] = {}
        for record in table.values():
            for i, old in enumerate(record.former_ids):
                if old in table:
                    check.add(record, kind, ("former_ids", i), f"'{old}' is still the id of a {kind}",
                              "a former id must not be in use")
                elif old in mapping:
                    check.add(record, kind, ("former_ids", i),
                              f"'{old}' is already a former id of '{mapping[old]}'")
                else:
                    mapping[old] = record.id
        former[kind] = dict(sorted(mapping.items()))
    return former


def _group(pairs: Iterable[tuple[str, Any]]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    for key, value in pairs:
        grouped[key].append(value)
    return dict(sorted(grouped.items()))


def _index(catalog: Catalog) -> None:
    live = [e for e in catalog.events.values() if e.live]
    catalog.timeline = sorted(live, key=event_sort_key)
    catalog.position = {e.id: i for i, e in enumerate(catalog.timeline)}
    timeline = catalog.timeline
    catalog.actor_events = _group((a.actor, (e, a.role)) for e in timeline for a in e.actors)
    catalog.place_events = _group((e.place, e) for e in timeline if e.place)
    catalog.source_events = _group(
        (s, e) for e in timeline for s in dict.fromkeys(c.source for c in e.sources))
    catalog.type_events = _group((e.type, e) for e in timeline)
    catalog.tag_events = _group((t, e) for e in timeline for t in dict.fromkeys(e.tags))
    catalog.month_events = _group((e.when.month_key, e) for e in timeline)
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
    with gc_paused():
        loaded = load_content(content_dir, root, cache[0] if cache else None, check=own_problems,
                              check_here=build_record)
        return build_catalog(loaded, today, cache[1] if cache else None, index)
