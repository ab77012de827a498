"""Importers: other tools' timelines -> content files (events, plus the stub records they need).

Every importer turns its input into Drafts on an ImportPlan, which
- maps terms to the existing vocabulary, or, in a folder that has none, writes a vocabulary.yml
  holding the terms the import uses (and the ones the validator requires);
- reuses existing actors, places and sources (by id, or by name) and writes stubs for the others;
- never overwrites a file: a record whose file exists is left alone and reported, so running the
  same import twice changes nothing;
- collects, in plain words, everything it could not map (columns, media, future dates...);
- validates the whole content folder afterwards, so the caller knows the result builds.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from timeweave.catalog.catalog import load_catalog
from timeweave.content.dates import DateError, parse_date
from timeweave.content.loader import load_content
from timeweave.content.models import PLACE_KIND_PRECISION
from timeweave.content.records import ID_PATTERN, MAX_ID_LENGTH, VOCABULARY_FILE
from timeweave.content.textchecks import _INVISIBLE
from timeweave.errors import ContentError
from timeweave.kinds import KIND_BY_NAME, KINDS
from timeweave.tools.slug import slugify as slugify

VOCABULARY_GROUPS = ("event_types", "actor_roles", "relations", "annotation_kinds", "statuses")

# Terms the validator requires in every vocabulary, with the wording a fresh import writes.
REQUIRED_TERMS: dict[str, dict[str, tuple[str, str]]] = {
    "statuses": {
        "confirmed": ("Confirmed", "Established by independent sources."),
        "reported": ("Reported", "Reported by a source but not independently confirmed."),
        "claimed": ("Claimed", "Asserted by an interested party."),
        "disputed": ("Disputed", "Contradicted by another source."),
    },
    "relations": {
        "response-to": ("In response to", "This event answers the other one."),
        "follows": ("Follows", "This event comes after the other and is connected with it."),
        "part-of": ("Part of", "This event is one episode of the other."),
        "contradicts": ("Contradicts", "This event's account contradicts the other's."),
    },
}
RELATION_INVERSES = {
    "response-to": "Answered by",
    "follows": "Followed by",
    "part-of": "Includes",
    "contradicts": "Contradicted by",
}


def humanize(term_id: str) -> str:
    return term_id.replace("-", " ").capitalize()


def clean_title(text: str) -> str:
    """One line, no invisible or direction-changing characters (the validator refuses them)."""
    text = _INVISIBLE.sub("", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Cc" or c == " ")
    return re.sub(r"\s+", " ", text).strip()


def edtf_from_parts(year: Any, month: Any = None, day: Any = None) -> str | None:
    """EDTF from separate year/month/day parts (TimelineJS); None when there is no usable year."""

    def number(value: Any) -> int | None:
        text = str(value if value is not None else "").strip()
        return int(text) if re.fullmatch(r"\d+", text) else None

    y, m, d = number(year), number(month), number(day)
    if y is None:
        return None
    text = f"{y:04d}"
    if m is not None:
        text += f"-{m:02d}"
        if d is not None:
            text += f"-{d:02d}"
    return text


@dataclass
class Draft:
    kind: str
    id: str
    data: dict[str, Any]
    body: str
    origin: str

    def relative_path(self) -> Path:
        kind = KIND_BY_NAME[self.kind]
        if kind.year_folders:
            year = str(parse_date(str(self.data["date"])).year)
            return Path(kind.content_folder) / year / f"{self.id}.md"
        return Path(kind.content_folder) / f"{self.id}.md"


@dataclass
class ImportReport:
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # files that existed and were left alone
    notes: list[str] = field(default_factory=list)  # what could not be mapped, in plain words
    errors: list[ContentError] = field(default_factory=list)  # validation of the result

    @property
    def ok(self) -> bool:
        return not any(e.severity == "error" for e in self.errors)

    def format(self) -> str:
        lines = [f"written: {len(self.written)} file(s)"]
        lines += [f"  {path}" for path in self.written]
        if self.kept:
            lines.append(f"left alone (file exists, never overwritten): {len(self.kept)}")
            lines += [f"  {path}" for path in self.kept]
        if self.notes:
            lines.append(f"not imported or changed on the way: {len(self.notes)}")
            lines += [f"  {note}" for note in self.notes]
        errors = [e for e in self.errors if e.severity == "error"]
        lines.append(f"validation: {len(errors)} error(s)" if errors else "validation: the content is valid")
        lines += [f"  {e.format()}" for e in errors]
        return "\n".join(lines)


class ImportPlan:
    """Drafts collected from one input file, checked against the content folder they go into."""

    def __init__(
        self,
        content_dir: Path,
        origin: str,
        event_type: str | None = None,
        status: str | None = None,
        today: date | None = None,
    ):
        self.content_dir = Path(content_dir)
        self.origin = origin  # the input file's name, for notes and stub texts
        self.today = today or date.today()
        self.drafts: dict[tuple[str, str], Draft] = {}
        self.notes: list[str] = []
        loaded = load_content(self.content_dir, self.content_dir.parent)
        self.existing: dict[str, dict[str, dict[str, Any]]] = {k.name: {} for k in KINDS}
        for raw in loaded.records:
            self.existing[raw.kind][raw.id] = raw.data
        self.has_vocabulary = (self.content_dir / VOCABULARY_FILE).is_file()
        self.vocabulary: dict[str, dict[str, Any]] = {g: {} for g in VOCABULARY_GROUPS}
        if loaded.vocabulary is not None:
            for group in VOCABULARY_GROUPS:
                terms = loaded.vocabulary.data.get(group)
                if isinstance(terms, dict):
                    self.vocabulary[group] = dict(terms)
        self.new_terms: dict[str, dict[str, dict[str, str]]] = {g: {} for g in VOCABULARY_GROUPS}
        self.event_type = event_type or "event"
        self.status = status or "reported"

    # -- notes ------------------------------------------------------------------------------

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)

    # -- vocabulary -------------------------------------------------------------------------

    def term(self, group: str, term_id: str, label: str | None, where: str) -> bool:
        """True when term_id can be used: it is in the vocabulary, or the import defines it."""
        if term_id in self.vocabulary[group] or term_id in self.new_terms[group]:
            return True
        if self.has_vocabulary:
            known = ", ".join(sorted(self.vocabulary[group])) or "none"
            option = {"event_types": " or pass --type", "statuses": " or pass --status"}.get(group, "")
            self.note(
                f"{where}: '{term_id}' is not in {group} of {VOCABULARY_FILE} (known: {known}); add it "
                f"there{option} and run the import again"
            )
            return False
        self.new_terms[group][term_id] = {
            "label": label or humanize(term_id),
            "definition": f"Imported from {self.origin}.",
        }
        return True

    # -- ids and records --------------------------------------------------------------------

    def exists(self, kind: str, record_id: str) -> bool:
        return record_id in self.existing[kind] or (kind, record_id) in self.drafts

    def find_by_name(self, kind: str, name: str) -> str | None:
        key = KIND_BY_NAME[kind].title_field
        wanted = name.strip().casefold()
        for record_id, data in self.existing[kind].items():
            if str(data.get(key, "")).strip().casefold() == wanted:
                return record_id
        for (draft_kind, record_id), draft in self.drafts.items():
            if draft_kind == kind and str(draft.data.get(key, "")).strip().casefold() == wanted:
                return record_id
        return None

    def new_id(self, kind: str, wanted: str, fallback: str) -> str:
        base = (
            wanted if ID_PATTERN.match(wanted) and len(wanted) <= MAX_ID_LENGTH else slugify(wanted, fallback)
        )
        candidate, number = base, 2
        while (kind, candidate) in self.drafts:
            suffix = f"-{number}"
            candidate = base[: MAX_ID_LENGTH - len(suffix)].rstrip("-") + suffix
            number += 1
        return candidate

    def add(self, draft: Draft) -> None:
        self.drafts[(draft.kind, draft.id)] = draft

    def actor(self, actor_id: str | None, name: str | None, where: str) -> str:
        """An actor id to cite: existing (by id, then name), else a stub written by the import."""
        if actor_id and self.exists("actor", actor_id):
            return actor_id
        if name and not actor_id and (found := self.find_by_name("actor", name)):
            return found
        record_id = actor_id or self.new_id("actor", slugify(name or "actor"), "actor")
        self.add(
            Draft(
                "actor",
                record_id,
                {"name": clean_title(name or humanize(record_id)), "kind": "organisation"},
                f"Stub created by importing {self.origin} ({where}). The kind is a guess: check it.",
                where,
            )
        )
        return record_id

    def place(
        self, place_id: str | None, name: str | None, kind: str | None, where: str, within: str | None = None
    ) -> str:
        if place_id and self.exists("place", place_id):
            return place_id
        if name and not place_id and (found := self.find_by_name("place", name)):
            return found
        record_id = place_id or self.new_id("place", slugify(name or "place"), "place")
        data: dict[str, Any] = {"name": clean_title(name or humanize(record_id))}
        guessed = kind not in PLACE_KIND_PRECISION
        data["kind"] = kind if not guessed else "site"
        if within and within != record_id:
            data["within"] = within
        note = " The kind is a guess: check it." if guessed else ""
        self.add(
            Draft(
                "place", record_id, data, f"Stub created by importing {self.origin} ({where}).{note}", where
            )
        )
        return record_id

    def source(self, source_id: str | None, data: dict[str, Any], body: str, where: str) -> str:
        if source_id and self.exists("source", source_id):
            return source_id
        record_id = source_id or self.new_id("source", slugify(str(data.get("title", "source"))), "source")
        if (kind_id := ("source", record_id)) not in self.drafts:
            self.add(Draft("source", record_id, data, body, where))
        return kind_id[1]

    def event(self, wanted_id: str, data: dict[str, Any], body: str, where: str) -> str | None:
        """Add an event draft after the checks every importer needs; None when it was skipped."""
        try:
            when = parse_date(str(data["date"]))
        except DateError as exc:
            self.note(f"{where}: skipped: the date '{data['date']}' is not usable ({exc.message})")
            return None
        if when.earliest and when.earliest > self.today:
            self.note(f"{where}: skipped: the date {data['date']} is in the future")
            return None
        if not data.get("title"):
            self.note(f"{where}: skipped: no title")
            return None
        record_id = (
            wanted_id
            if ID_PATTERN.match(wanted_id) and len(wanted_id) <= MAX_ID_LENGTH
            else slugify(wanted_id or str(data["title"]), "event")
        )
        if record_id in self.existing["event"]:
            self.note(f"{where}: event '{record_id}' already exists; left alone")
            return None
        record_id = self.new_id("event", record_id, "event")
        self.add(Draft("event", record_id, data, body, where))
        return record_id

    # -- writing ----------------------------------------------------------------------------

    def vocabulary_text(self) -> str:
        groups: dict[str, dict[str, dict[str, str]]] = {}
        for group in VOCABULARY_GROUPS:
            terms = dict(self.new_terms[group])
            for term_id, (label, definition) in REQUIRED_TERMS.get(group, {}).items():
                entry = {"label": label, "definition": definition}
                if group == "relations":
                    entry["inverse"] = RELATION_INVERSES[term_id]
                terms.setdefault(term_id, entry)
            groups[group] = dict(sorted(terms.items()))
        header = (
            f"# Controlled vocabulary, written by importing {self.origin}. Edit the labels and definitions.\n"
        )
        return header + _dump(groups)

    def write(self) -> ImportReport:
        report = ImportReport(notes=list(self.notes))
        self.content_dir.mkdir(parents=True, exist_ok=True)
        targets: list[tuple[Path, str]] = []
        if not self.has_vocabulary:
            targets.append((self.content_dir / VOCABULARY_FILE, self.vocabulary_text()))
        order = {"source": 0, "actor": 1, "place": 2, "event": 3}
        for draft in sorted(self.drafts.values(), key=lambda d: (order[d.kind], d.id)):
            targets.append((self.content_dir / draft.relative_path(), record_text(draft.data, draft.body)))
        for path, text in targets:
            shown = _shown(path, self.content_dir)
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                with open(path, "x", encoding="utf-8", newline="\n") as handle:
                    handle.write(text)
            except FileExistsError:
                report.kept.append(shown)
                continue
            report.written.append(shown)
        _, errors = load_catalog(self.content_dir, self.content_dir.parent, self.today)
        report.errors = errors.items
        return report


def _shown(path: Path, content_dir: Path) -> str:
    return (Path(content_dir.name) / path.relative_to(content_dir)).as_posix()


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Multi-line text as a literal block; everything else the safe dumper's way (it quotes what
    # would otherwise read as a number, a date or true/false).
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _dump(data: Any) -> str:
    return str(
        yaml.dump(
            data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
        )
    )


def record_text(data: dict[str, Any], body: str) -> str:
    return "---\n" + _dump(data) + "---\n" + (body.strip() + "\n" if body.strip() else "")


FORMATS = ("csv", "timelinejs")


def run_import(
    fmt: str,
    path: Path,
    content_dir: Path,
    event_type: str | None = None,
    status: str | None = None,
    today: date | None = None,
) -> ImportReport:
    """Import one file into content_dir, write what is new, validate, and say what happened."""
    from timeweave.tools.importers.spreadsheet import import_csv
    from timeweave.tools.importers.timelinejs import import_timelinejs

    plan = ImportPlan(content_dir, Path(path).name, event_type, status, today)
    if fmt == "csv":
        import_csv(plan, Path(path))
    elif fmt == "timelinejs":
        import_timelinejs(plan, Path(path))
    else:
        raise ValueError(f"unknown import format {fmt!r}; known: {', '.join(FORMATS)}")
    return plan.write()
