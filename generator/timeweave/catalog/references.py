"""Records checked against each other: every id a record names must be a record of that kind, every
term a term of the vocabulary, and dates must not lie in the future.

Each problem becomes a ContentError at the line of the value, with a 'did you mean' when a record's
id or title is close; nothing here raises on bad content.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from datetime import date
from typing import Any

from timeweave.content.dates import parse_date
from timeweave.content.models import Actor, Event, Place, Record, Source, Vocabulary
from timeweave.content.records import RawRecord
from timeweave.content.yamlread import _dotted
from timeweave.errors import ErrorLog
from timeweave.kinds import KIND_BY_NAME


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


class Checker:
    """Adds an error at the line of the value, with a 'did you mean' when one is close."""

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
            targets: dict[str, Any], what: str) -> None:
        if value is not None and value not in targets and (what, value) not in self.broken:
            hint = suggest(value, targets, KIND_BY_NAME[what].title_field)
            self.add(record, kind, loc, f"unknown {what} '{value}'", hint)

    def term(self, record: Record | RawRecord, kind: str, loc: tuple[Any, ...], value: str,
             terms: dict[str, Any], group: str) -> None:
        if self.check_terms and value not in terms:
            hint = difflib.get_close_matches(value, list(terms), n=1, cutoff=0.6)
            text = f"did you mean '{hint[0]}'? " if hint else ""
            self.add(record, kind, loc, f"'{value}' is not in the vocabulary's {group}",
                     f"{text}known: {', '.join(sorted(terms))}; or add it to content/vocabulary.yml")


def check_event(event: Event, check: Checker, vocab: Vocabulary, events: dict[str, Event],
                actors: dict[str, Actor], places: dict[str, Place], sources: dict[str, Source],
                today: date) -> None:
    when = parse_date(event.date)
    if when.start and when.start.first > (today.year, today.month, today.day):
        check.add(event, "event", ("date",), f"'{event.date}' is in the future",
                  "an event cannot have happened after today")
    elif when.end and when.end.first > (today.year, today.month, today.day):
        check.add(event, "event", ("date",), f"'{event.date}' ends in the future",
                  "for an event still going on, leave the end open: e.g. 2020-02-08/..")
    folder = os.path.basename(os.path.dirname(event.path))  # Path(...).parent.name, without pathlib's parsing
    if folder != str(when.year):
        check.add(event, "event", ("date",),
                  f"the file is in folder '{folder}' but the date is in {when.year}",
                  f"move it to content/events/{when.year}/")
    # Each reference is looked up here first and handed to check only when it is missing: building
    # the location and calling check for every valid reference dominated this loop.
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
            check.ref(event, "event", ("sources", i, "source"), citation.source, sources, "source")
    for i, casualty in enumerate(event.casualties):
        if casualty.source is not None and casualty.source not in sources:
            check.ref(event, "event", ("casualties", i, "source"), casualty.source, sources, "source")
    for i, rel in enumerate(event.related):
        if rel.event not in events:
            check.ref(event, "event", ("related", i, "event"), rel.event, events, "event")
        if rel.relation not in vocab.relations:
            check.term(event, "event", ("related", i, "relation"), rel.relation, vocab.relations, "relations")
        if rel.event == event.id:
            check.add(event, "event", ("related", i, "event"), "an event cannot be related to itself")
    for i, note in enumerate(event.annotations):
        if note.kind not in vocab.annotation_kinds:
            check.term(event, "event", ("annotations", i, "kind"), note.kind, vocab.annotation_kinds,
                       "annotation_kinds")
    if event.merged_into is not None:
        check.ref(event, "event", ("merged_into",), event.merged_into, events, "event")
        target = events.get(event.merged_into)
        if event.merged_into == event.id:
            check.add(event, "event", ("merged_into",), "an event cannot be merged into itself")
        elif target is not None and not target.live:
            check.add(event, "event", ("merged_into",),
                      f"'{event.merged_into}' is itself withdrawn or merged",
                      "merge into the event that absorbed it")
    if event.withdrawn is not None and event.merged_into is not None:
        check.add(event, "event", ("merged_into",), "an event is either withdrawn or merged, not both")


def check_actor(actor: Actor, check: Checker, actors: dict[str, Actor]) -> None:
    for i, aff in enumerate(actor.affiliations):
        check.ref(actor, "actor", ("affiliations", i, "actor"), aff.actor, actors, "actor")
        if aff.actor == actor.id:
            check.add(actor, "actor", ("affiliations", i, "actor"),
                      "an actor cannot be affiliated with itself")
        if aff.from_ is not None and aff.to is not None:
            began, ended = parse_date(aff.from_).earliest, parse_date(aff.to).latest
            # Compared as a reader would: '2020' to '2020-03' is one period, even if both are vague.
            if began is not None and ended is not None and ended < began:
                check.add(actor, "actor", ("affiliations", i, "to"),
                          f"the affiliation ends ({aff.to}) before it begins ({aff.from_})",
                          "swap `from` and `to`, or correct the year")


def check_place(place: Place, check: Checker, places: dict[str, Place]) -> None:
    check.ref(place, "place", ("within",), place.within, places, "place")
    seen, current = {place.id}, place
    while current.within and current.within in places:
        if current.within in seen:
            check.add(place, "place", ("within",), f"'within' makes a loop through '{current.within}'",
                      "a place cannot be inside itself")
            break
        seen.add(current.within)
        current = places[current.within]


def check_source(source: Source, check: Checker, today: date) -> None:
    for name in ("published", "accessed"):
        value = getattr(source, name)
        if value is not None and (parse_date(value).earliest or date.min) > today:
            check.add(source, "source", (name,), f"'{value}' is in the future",
                      f"a source cannot have been {name} after today")


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


def check_raw_references(raw: RawRecord, bad_fields: set[str], check: Checker,
                         tables: dict[str, dict[str, Any]], vocab: Vocabulary) -> None:
    for pattern, target in _RAW_REFERENCES.get(raw.kind, []):
        for loc, value in _raw_values(raw.data, pattern):
            field_name = _dotted(loc)
            if any(field_name == bad or field_name.startswith((bad + ".", bad + "["))
                   for bad in bad_fields if bad):
                continue  # the model already reported this value
            if target in tables:
                check.ref(raw, raw.kind, loc, value, tables[target], target)
            else:
                check.term(raw, raw.kind, loc, value, getattr(vocab, target), target)


def check_former_ids(tables: dict[str, dict[str, Any]], check: Checker) -> dict[str, dict[str, str]]:
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
