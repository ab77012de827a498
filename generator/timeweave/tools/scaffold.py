"""`python -m timeweave new event|actor|place|source`: write a new content file that validates as it is.

The essentials come from options, or from questions when a person is at the terminal. References
(place, actors, source, the place a place is within) must name records that exist; a near miss
gets suggestions by id and by name ('idlib' -> idlib-governorate), and vocabulary terms are
checked against content/vocabulary.yml. Every optional field the file does not set is written as
a YAML comment with its description and an example, both taken from the models, so the scaffold
and the field reference in CONTRIBUTING.md never disagree. An existing file is never overwritten.
"""

from __future__ import annotations

import difflib
import re
import textwrap
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from timeweave.content import models as m
from timeweave.site.contributing import RECORD_FILES, FieldDoc, field_docs, yaml_scalar
from timeweave.content.dates import DateError, parse_date
from timeweave.errors import ErrorLog, format_errors
from timeweave.content.loader import load_content, split_front_matter
from timeweave.content.records import ID_PATTERN, KIND_FOLDERS, MAX_ID_LENGTH, RawRecord
from timeweave.content.yamlread import parse_yaml

Ask = Callable[[str], str]
FOLDERS = {kind: folder for folder, kind in KIND_FOLDERS.items()}
WIDTH = 100


class ScaffoldError(Exception):
    """The file cannot be written as asked; `code` is the command's exit code."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.message, self.code = message, code


@dataclass
class Existing:
    """What the content folder already holds: names for suggestions, ids and paths for collisions."""

    names: dict[str, dict[str, str]] = field(default_factory=lambda: {k: {} for k in FOLDERS})
    paths: dict[str, dict[str, str]] = field(default_factory=lambda: {k: {} for k in FOLDERS})
    former: dict[str, dict[str, str]] = field(default_factory=lambda: {k: {} for k in FOLDERS})
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


def slugify(text: str) -> str:
    """An id from a title: ASCII letters and digits joined by single hyphens, at most 80 characters,
    cut at a word boundary."""
    # Apostrophes join ("Turkey's" -> turkeys); any other punctuation, dashes included, separates.
    text = re.sub(r"[\W_]+", " ", text.replace("'", "").replace("\u2019", ""))
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_ID_LENGTH:
            break
        slug = candidate
    return slug or (words[0][:MAX_ID_LENGTH] if words else "")


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
                return (f"there is no {kind} '{value}' in content/{FOLDERS[kind]}/; add it first with "
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
    found = m.find_invisible(value)
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
        raise ScaffoldError(f"{_article(kind)} {kind} with the id '{record_id}' already exists: {existing.paths[kind][record_id]}; "
                            "edit that file, or choose another id with --id", code=1)
    if record_id in existing.former[kind]:
        raise ScaffoldError(f"'{record_id}' is a former id of the {kind} '{existing.former[kind][record_id]}' "
                            "(its old URL redirects there); choose another id with --id", code=1)
    return record_id


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


# -- rendering -------------------------------------------------------------------------------------


def _comment(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH - len(indent) - 2, initial_indent=f"{indent}# ",
                         subsequent_indent=f"{indent}# ", break_on_hyphens=False)


def _placeholder(doc: FieldDoc) -> str:
    if doc.example is not None:
        return yaml_scalar(doc.example)
    if doc.allowed:
        return doc.allowed[0]
    if doc.is_list:
        return f"[<{doc.value.removeprefix('list of ')}>]"
    return f"<{doc.value}>"


def _example_item(model: type[BaseModel]) -> str:
    docs = [d for d in field_docs(model) if d.required or d.example is not None]
    return "{" + ", ".join(f"{d.name}: {_placeholder(d)}" for d in docs) + "}"


def _explain(doc: FieldDoc) -> str:
    text = doc.description
    if doc.allowed:
        text += f" One of: {', '.join(doc.allowed)}."
    return text


def _unset_field(doc: FieldDoc, indent: str) -> list[str]:
    lines = _comment(_explain(doc), indent)
    if doc.nested is not None and doc.is_list:
        lines.append(f"{indent}# {doc.name}:")
        lines.append(f"{indent}#   - {_example_item(doc.nested)}")
    elif doc.nested is not None:
        lines.append(f"{indent}# {doc.name}: {_example_item(doc.nested)}")
    else:
        lines.append(f"{indent}# {doc.name}: {_placeholder(doc)}")
    return lines


def _set_field(doc: FieldDoc, value: Any, indent: str) -> list[str]:
    lines = _comment(_explain(doc), indent)
    if doc.nested is not None and isinstance(value, list):
        lines.append(f"{indent}{doc.name}:")
        for item in value:
            lines.extend(_item(doc.nested, item, indent + "  "))
    else:
        lines.append(f"{indent}{doc.name}: {yaml_scalar(value)}")
    return lines


def _item(model: type[BaseModel], values: dict[str, Any], indent: str) -> list[str]:
    """One list item in block style: set keys first, then the other keys of the item as comments."""
    lines: list[str] = []
    docs = field_docs(model)
    first = True
    for doc in docs:
        if doc.name in values:
            prefix = f"{indent}- " if first else f"{indent}  "
            lines.append(f"{prefix}{doc.name}: {yaml_scalar(values[doc.name])}")
            first = False
    for doc in docs:
        if doc.name not in values:
            lines.append(f"{indent}  # {doc.name}: {_placeholder(doc)}    # {_explain(doc)}")
    return lines


def render(kind: str, values: dict[str, Any], body: str = "") -> str:
    """The whole file: front matter with the given values, every other field as a comment."""
    model = m.MODELS[kind]
    body_note = next(note for _, model_, _, note in RECORD_FILES if model_ is model)
    lines = [
        "---",
        *_comment(f"A new {kind}, written by `python -m timeweave new {kind}`. "
                  "Lines starting with # are comments: to use an optional field, remove the '# ' in front "
                  "of it; delete what you do not need. CONTRIBUTING.md describes every field, under "
                  f"'Field reference'. {body_note} It goes after the closing --- line.", ""),
        "",
    ]
    docs = field_docs(model)
    for doc in docs:
        if doc.name in values:
            lines.extend(_set_field(doc, values[doc.name], ""))
    lines.append("")
    lines.append("# Optional fields")
    for doc in docs:
        if doc.name not in values:
            lines.append("")
            lines.extend(_unset_field(doc, ""))
    lines.append("---")
    lines.append(body.strip())
    return "\n".join(lines).rstrip("\n") + "\n"


def _self_check(kind: str, record_id: str, shown: str, text: str) -> None:
    """The file must validate as written; anything else is a bug here or a bad value that slipped
    through, and either way nothing is written."""
    errors = ErrorLog()
    parts = split_front_matter(text, shown, errors)
    parsed = parse_yaml(parts[0], shown, errors, offset=1) if parts else None
    if parsed is not None and parts is not None:
        data, lines = parsed
        _, problems = m.build_record(RawRecord(kind, record_id, shown, data, lines, parts[1], parts[2]))
        errors.extend(problems)
    if errors.errors:
        raise ScaffoldError(f"the new file would not be valid:\n{format_errors(errors.items)}")


@dataclass
class Written:
    path: Path
    shown: str
    record_id: str


def _write(content_dir: Path, root: Path, kind: str, record_id: str, subfolder: str | None,
           values: dict[str, Any], body: str = "") -> Written:
    folder = content_dir / FOLDERS[kind] / (subfolder or "")
    path = folder / f"{record_id}.md"
    try:
        shown = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        shown = path.as_posix()
    text = render(kind, values, body)
    _self_check(kind, record_id, shown, text)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{shown} already exists; it was not changed", code=1) from None
    return Written(path, shown, record_id)


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
    return _write(content_dir, root, "event", record_id, str(parse_date(date_text).year), values)


def _actor_role(asker: Asker, existing: Existing, actor: str, role: str | None) -> dict[str, str]:
    actor_id = asker.reference(actor, "--actor", "actor id or name", "actor", existing)
    role_id = asker.term(role, "--actor ACTOR:ROLE", f"role of {actor_id}", "actor_roles", existing)
    return {"actor": str(actor_id), "role": role_id}


def new_actor(content_dir: Path, root: Path, asker: Asker, *, name: str | None = None,
              kind: str | None = None, record_id: str | None = None) -> Written:
    existing = load_existing(content_dir, root)
    kinds = [str(k) for k in m.ActorKind.__args__]  # type: ignore[attr-defined]
    name = asker.value(name, "--name", "name (as readers know it, in English)", _check_title)
    assert name is not None
    kind = asker.value(kind, "--kind", f"kind [{', '.join(kinds)}]",
                       lambda v: None if v in kinds else f"'{v}' is not one of {', '.join(kinds)}")
    record_id = _choose_id("actor", record_id, name, existing, asker)
    return _write(content_dir, root, "actor", record_id, None, {"name": name, "kind": kind})


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
    kinds = [str(k) for k in m.PlaceKind.__args__]  # type: ignore[attr-defined]
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
    return _write(content_dir, root, "place", record_id, None, values)


def new_source(content_dir: Path, root: Path, asker: Asker, *, title: str | None = None,
               kind: str | None = None, url: str | None = None, publisher: str | None = None,
               published: str | None = None, note: str | None = None,
               record_id: str | None = None) -> Written:
    existing = load_existing(content_dir, root)
    kinds = [str(k) for k in m.SourceKind.__args__]  # type: ignore[attr-defined]
    title = asker.value(title, "--title", "title (as published)", _check_title)
    assert title is not None
    kind = asker.value(kind, "--kind", f"kind [{', '.join(kinds)}]",
                       lambda v: None if v in kinds else f"'{v}' is not one of {', '.join(kinds)}")

    def check_url(value: str) -> str | None:
        try:
            m._check_url(value)
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
    return _write(content_dir, root, "source", record_id, None, values, body=note or "")
