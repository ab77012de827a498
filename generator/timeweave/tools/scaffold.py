"""`python -m timeweave new event|actor|place|source`: write a new content file that validates as it is.

The essentials come from options, or from questions when a person is at the terminal. References
(place, actors, source, the place a place is within) must name records that exist; a near miss
gets suggestions by id and by name ('idlib' -> idlib-governorate), and vocabulary terms are
checked against content/vocabulary.yml. scaffold_file.py writes the file itself.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from timeweave.content import fields
from timeweave.content.dates import DateError, parse_date
from timeweave.content.loader import load_content
from timeweave.content.records import ID_PATTERN, MAX_ID_LENGTH
from timeweave.content.textchecks import find_invisible
from timeweave.kinds import KIND_BY_NAME, KINDS

# "as" re-exports them: the cli catches scaffold.ScaffoldError and gets a scaffold.Written back.
from timeweave.tools.scaffold_file import ScaffoldError as ScaffoldError
from timeweave.tools.scaffold_file import Written as Written
from timeweave.tools.scaffold_file import write_record
from timeweave.tools.slug import slugify as slugify

Ask = Callable[[str], str]


@dataclass
class Existing:
    """What the content folder already holds: names for suggestions, ids and paths for collisions."""

    names: dict[str, dict[str, str]] = field(default_factory=lambda: {k.name: {} for k in KINDS})
    paths: dict[str, dict[str, str]] = field(default_factory=lambda: {k.name: {} for k in KINDS})
    former: dict[str, dict[str, str]] = field(default_factory=lambda: {k.name: {} for k in KINDS})
    vocabulary: dict[str, list[str]] = field(default_factory=dict)


def load_existing(content_dir: Path, root: Path) -> Existing:
    """Read what is there without requiring it to be valid: a broken file elsewhere must not stop
    anyone from adding a new one."""
    loaded = load_content(content_dir, root)
    existing = Existing()
    for raw in loaded.records:
        label = raw.data.get("name") or raw.data.get("title") or raw.id
        existing.names[raw.kind][raw.id] = str(label)
        existing.paths[raw.kind][raw.id] = raw.path
        former = raw.data.get("former_ids")
        for old in former if isinstance(former, list) else []:
            existing.former[raw.kind][str(old)] = raw.id
    if loaded.vocabulary is not None:
        for group, terms in loaded.vocabulary.data.items():
            if isinstance(terms, dict):
                existing.vocabulary[group] = sorted(str(t) for t in terms)
    return existing


def suggest(query: str, names: dict[str, str], limit: int = 5) -> list[str]:
    """Ids whose id or name is closest to the query, best first: a word of the id or name matching
    the query beats a merely similar spelling."""
    wanted = query.strip().lower()
    slug = slugify(query)
    scored: list[tuple[float, str]] = []
    for record_id, name in names.items():
        name_l = name.lower()
        words = set(record_id.split("-")) | set(re.findall(r"\w+", name_l))
        score = max(difflib.SequenceMatcher(None, slug, record_id).ratio(),
                    difflib.SequenceMatcher(None, wanted, name_l).ratio())
        if slug and (slug in record_id or wanted in name_l):
            score += 1.0
        if slug and set(slug.split("-")) <= words:
            score += 0.5
        if score >= 0.6:
            scored.append((score, record_id))
    return [record_id for _, record_id in sorted(scored, key=lambda s: (-s[0], s[1]))[:limit]]


def _choices(ids: list[str], names: dict[str, str]) -> str:
    return ", ".join(f"{i} ({names[i]})" if names.get(i, i) != i else i for i in ids)


class Asker:
    """Questions at the terminal; without one (ask is None), a missing essential is an error that
    names the option to pass."""

    def __init__(self, ask: Ask | None, say: Callable[[str], None]):
        self.ask, self.say = ask, say

    def value(self, current: str | None, option: str, question: str,
              check: Callable[[str], str | None], optional: bool = False) -> str | None:
        value = current.strip() if current else ""
        while True:
            if value:
                problem = check(value)
                if problem is None:
                    return value
                if self.ask is None:
                    raise ScaffoldError(f"{option}: {problem}")
                self.say(problem)
            elif self.ask is None:
                if optional:
                    return None
                raise ScaffoldError(f"{option} is required (or run this in a terminal to be asked)")
            value = self.ask(f"{question}{' (empty to skip)' if optional else ''}: ").strip()
            if not value and optional:
                return None

    def reference(self, current: str | None, option: str, question: str, kind: str, existing: Existing,
                  optional: bool = False) -> str | None:
        names = existing.names[kind]

        def check(value: str) -> str | None:
            if value in names:
                return None
            close = suggest(value, names)
            if not close:
                folder = KIND_BY_NAME[kind].content_folder
                return (f"there is no {kind} '{value}' in content/{folder}/; add it first with "
                        f"`python -m timeweave new {kind}`")
            return f"there is no {kind} '{value}'; did you mean {_choices(close, names)}?"

        value = current
        while True:
            picked = self.value(value, option, question, lambda v: None, optional)
            if picked is None:
                return None
            problem = check(picked)
            if problem is None:
                return picked
            close = suggest(picked, names)
            if self.ask is None:
                raise ScaffoldError(f"{option}: {problem}")
            if close:
                self.say(f"no {kind} has the id '{picked}'. Did you mean:")
                for number, record_id in enumerate(close, start=1):
                    self.say(f"  {number}. {record_id}  ({names[record_id]})")
                answer = self.ask("number, or another id: ").strip()
                if answer.isdigit() and 1 <= int(answer) <= len(close):
                    return close[int(answer) - 1]
                value = answer
            else:
                self.say(problem)
                value = None

    def term(self, current: str | None, option: str, question: str, group: str, existing: Existing,
             default: str | None = None) -> str:
        terms = existing.vocabulary.get(group, [])

        def check(value: str) -> str | None:
            if value in terms:
                return None
            close = difflib.get_close_matches(value, terms, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'? " if close else ""
            return f"'{value}' is not in the vocabulary's {group}; {hint}known: {', '.join(terms)}"

        if not current and default is not None:
            if self.ask is None:
                current = default
            else:
                answer = self.ask(f"{question} [{', '.join(terms)}] (empty for {default}): ").strip()
                current = answer or default
        found = self.value(current, option, f"{question} [{', '.join(terms)}]", check)
        assert found is not None
        return found


def _check_title(value: str) -> str | None:
    found = find_invisible(value)
    return f"contains an invisible or direction-changing character ({found})" if found else None


def _check_event_date(value: str, today: date) -> str | None:
    try:
        when = parse_date(value)
    except DateError as exc:
        return exc.message + (f" ({exc.hint})" if exc.hint else "")
    if when.earliest and when.earliest > today:
        return f"'{value}' is in the future"
    return None


def _check_edtf(value: str) -> str | None:
    try:
        parse_date(value)
    except DateError as exc:
        return exc.message + (f" ({exc.hint})" if exc.hint else "")
    return None


def _check_id(value: str) -> str | None:
    if len(value) > MAX_ID_LENGTH or not ID_PATTERN.match(value):
        return f"'{value}' is not a valid id: lowercase ASCII letters, digits and single hyphens"
    return None


def _choose_id(kind: str, given: str | None, label: str, existing: Existing, asker: Asker) -> str:
    record_id = asker.value(given or slugify(label) or None, "--id",
                            f"file name (id) for this {kind}, e.g. {slugify('Idlib offensive')}", _check_id)
    assert record_id is not None
    if record_id in existing.paths[kind]:
        raise ScaffoldError(f"{_article(kind)} {kind} with the id '{record_id}' already exists: "
                            f"{existing.paths[kind][record_id]}; "
                            "edit that file, or choose another id with --id", code=1)
    if record_id in existing.former[kind]:
        raise ScaffoldError(f"'{record_id}' is a former id of the {kind} '{existing.former[kind][record_id]}' "
                            "(its old URL redirects there); choose another id with --id", code=1)
    return record_id


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


# -- the four kinds ---------------------------------------------------------------------------------


def new_event(content_dir: Path, root: Path, asker: Asker, *, title: str | None = None,
              date_text: str | None = None, place: str | None = None, type_: str | None = None,
              status: str | None = None, source: str | None = None, actors: list[str] | None = None,
              record_id: str | None = None, today: date | None = None) -> Written:
    today = today or date.today()
    existing = load_existing(content_dir, root)
    title = asker.value(title, "--title", "title (what happened, in one line)", _check_title)
    assert title is not None
    date_text = asker.value(date_text, "--date", "date (EDTF: 2020-02-10, 2020-02, 2020-02-10~, "
                            "2020-02-03/2020-02-05)", lambda v: _check_event_date(v, today))
    assert date_text is not None
    type_ = asker.term(type_, "--type", "type", "event_types", existing)
    place = asker.reference(place, "--place", "place id or name", "place", existing, optional=True)
    source = asker.reference(source, "--source", "source id or title (add one first with "
                             "`python -m timeweave new source`)", "source", existing)
    status = asker.term(status, "--status", "status", "statuses", existing, default="reported")
    roles: list[dict[str, str]] = []
    for spec in actors or []:
        actor, _, role = spec.partition(":")
        roles.append(_actor_role(asker, existing, actor, role or None))
    if actors is None and asker.ask is not None:
        while True:
            actor_id = asker.reference(None, "--actor", "an actor (id or name; empty when done)", "actor",
                                       existing, optional=True)
            if actor_id is None:
                break
            roles.append(_actor_role(asker, existing, actor_id, None))
    record_id = _choose_id("event", record_id, title, existing, asker)
    values: dict[str, Any] = {"title": title, "date": date_text, "type": type_, "status": status}
    if place:
        values["place"] = place
    if roles:
        values["actors"] = roles
    values["sources"] = [{"source": source}]
    return write_record(content_dir, root, "event", record_id, str(parse_date(date_text).year), values)


def _actor_role(asker: Asker, existing: Existing, actor: str, role: str | None) -> dict[str, str]:
    actor_id = asker.reference(actor, "--actor", "actor id or name", "actor", existing)
    role_id = asker.term(role, "--actor ACTOR:ROLE", f"role of {actor_id}", "actor_roles", existing)
    return {"actor": str(actor_id), "role": role_id}


def new_actor(content_dir: Path, root: Path, asker: Asker, *, name: str | None = None,
              kind: str | None = None, record_id: str | None = None) -> Written:
    existing = load_existing(content_dir, root)
    kinds = [str(k) for k in fields.ActorKind.__args__]  # type: ignore[attr-defined]
    name = asker.value(name, "--name", "name (as readers know it, in English)", _check_title)
    assert name is not None
    kind = asker.value(kind, "--kind", f"kind [{', '.join(kinds)}]",
                       lambda v: None if v in kinds else f"'{v}' is not one of {', '.join(kinds)}")
    record_id = _choose_id("actor", record_id, name, existing, asker)
    return write_record(content_dir, root, "actor", record_id, None, {"name": name, "kind": kind})


def _check_coordinates(value: str) -> str | None:
    parts = [p.strip() for p in value.strip("[] ").split(",")]
    try:
        lat, lon = (float(p) for p in parts)
    except ValueError:
        return f"'{value}' is not 'latitude, longitude', e.g. 35.93, 36.63"
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return f"'{value}' is out of range: latitude -90..90, longitude -180..180 (latitude first)"
    return None


def new_place(content_dir: Path, root: Path, asker: Asker, *, name: str | None = None,
              kind: str | None = None, within: str | None = None, coordinates: str | None = None,
              record_id: str | None = None) -> Written:
    existing = load_existing(content_dir, root)
    kinds = [str(k) for k in fields.PlaceKind.__args__]  # type: ignore[attr-defined]
    name = asker.value(name, "--name", "name (as readers know it, in English)", _check_title)
    assert name is not None
    kind = asker.value(kind, "--kind", f"kind [{', '.join(kinds)}]",
                       lambda v: None if v in kinds else f"'{v}' is not one of {', '.join(kinds)}")
    within = asker.reference(within, "--within", "the larger place it is in (id or name)", "place", existing,
                             optional=True)
    coordinates = asker.value(coordinates, "--coordinates", "latitude, longitude", _check_coordinates,
                              optional=True)
    record_id = _choose_id("place", record_id, name, existing, asker)
    values: dict[str, Any] = {"name": name, "kind": kind}
    if coordinates:
        values["coordinates"] = [float(p) for p in coordinates.strip("[] ").split(",")]
    if within:
        values["within"] = within
    return write_record(content_dir, root, "place", record_id, None, values)


def new_source(content_dir: Path, root: Path, asker: Asker, *, title: str | None = None,
               kind: str | None = None, url: str | None = None, publisher: str | None = None,
               published: str | None = None, note: str | None = None,
               record_id: str | None = None) -> Written:
    existing = load_existing(content_dir, root)
    kinds = [str(k) for k in fields.SourceKind.__args__]  # type: ignore[attr-defined]
    title = asker.value(title, "--title", "title (as published)", _check_title)
    assert title is not None
    kind = asker.value(kind, "--kind", f"kind [{', '.join(kinds)}]",
                       lambda v: None if v in kinds else f"'{v}' is not one of {', '.join(kinds)}")

    def check_url(value: str) -> str | None:
        try:
            fields._check_url(value)
        except ValueError as exc:
            return str(exc)
        return None

    url = asker.value(url, "--url", "URL", check_url, optional=True)
    publisher = asker.value(publisher, "--publisher", "publisher", _check_title, optional=True)
    published = asker.value(published, "--published", "publication date (EDTF)", _check_edtf, optional=True)
    if not url:
        note = asker.value(note, "--note", "where can a reader find this source? (there is no URL)",
                           lambda v: None)
    record_id = _choose_id("source", record_id, title, existing, asker)
    values: dict[str, Any] = {"title": title, "kind": kind}
    for key, value in (("publisher", publisher), ("published", published), ("url", url)):
        if value:
            values[key] = value
    return write_record(content_dir, root, "source", record_id, None, values, body=note or "")
