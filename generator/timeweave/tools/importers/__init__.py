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
from datetime import date
from pathlib import Path
from typing import Any

from timeweave.content.dates import DateError, parse_date
from timeweave.content.loader import load_content
from timeweave.content.models import PLACE_KIND_PRECISION
from timeweave.content.records import ID_PATTERN, MAX_ID_LENGTH, VOCABULARY_FILE
from timeweave.content.textchecks import _INVISIBLE
from timeweave.kinds import KIND_BY_NAME, KINDS
from timeweave.tools.importers.writing import WRITE_ORDER, Draft, dump, record_text, write_all
from timeweave.tools.importers.writing import ImportReport as ImportReport
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
# Annotation kinds an import into an empty folder defines when it needs them.
NEW_ANNOTATION_KINDS = {
    "context": ("Context", "Background that helps a reader understand the event or its sources."),
    "uncertainty": ("Uncertainty", "What the source leaves vague or unproven, including how the date was inferred."),
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
    """EDTF from separate year/month/day parts (TimelineJS); None when there is no usable year.
    Negative years are BCE, as EDTF writes them (-0500); years of more than four digits take EDTF's
    Y prefix (Y-13798000000), which holds a year only."""

    def number(value: Any) -> int | None:
        text = str(value if value is not None else "").strip()
        return int(text) if re.fullmatch(r"-?\d+", text, re.ASCII) else None

    y, m, d = number(year), number(month), number(day)
    if y is None:
        return None
    if not -9999 <= y <= 9999:
        return f"Y{y}"
    text = f"-{-y:04d}" if y < 0 else f"{y:04d}"
    if m is not None:
        text += f"-{m:02d}"
        if d is not None:
            text += f"-{d:02d}"
    return text


def first_sentence(text: str, limit: int = 120) -> str:
    """A title from an account: its first sentence, cut at a word boundary when it is long."""
    sentence = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0].strip()
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


class ImportUsageError(ValueError):
    """The import cannot start as asked (an option is missing or wrong); nothing was written."""


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
        self.given = {"event_types": event_type, "statuses": status}
        self.records = 0  # records the input holds, counted by the importer

    # -- defaults ---------------------------------------------------------------------------

    def default(self, group: str) -> str:
        """The event type or status for records that name none: the option's value, else the
        vocabulary's own (its only term, or the usual one), else ImportUsageError, before anything
        is written, with the one sentence that says which option to pass."""
        option, usual = {"event_types": ("--type", "event"), "statuses": ("--status", "reported")}[group]
        known = self.vocabulary[group]
        choices = ", ".join(sorted(known)) or "none"
        given = self.given[group]
        if given:
            if self.has_vocabulary and given not in known:
                raise ImportUsageError(
                    f"'{given}' is not in {group} of {self._vocabulary_path()}: pass {option} with one of "
                    f"{choices}, or add it to the vocabulary"
                )
            return given
        if not self.has_vocabulary or usual in known:
            return usual
        if len(known) == 1:
            return next(iter(known))
        raise ImportUsageError(
            f"{self._vocabulary_path()} has no '{usual}' in {group}: pass {option} with one of {choices}"
        )

    @property
    def event_type(self) -> str:
        return self.default("event_types")

    @property
    def status(self) -> str:
        return self.default("statuses")

    def _vocabulary_path(self) -> str:
        return (Path(self.content_dir.name) / VOCABULARY_FILE).as_posix()

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

    def annotation(self, what: str, where: str, kinds: tuple[str, ...] = ("context", "uncertainty")
                   ) -> list[dict[str, str]]:
        """An annotation holding what the import must say about a record (a title it derived, codes
        of the source tool with no field of their own; of kind 'context', or the first of kinds the
        vocabulary has), so readers and editors can tell it from the source's own words."""
        known = self.vocabulary["annotation_kinds"]
        kind = next((k for k in kinds if k in known or k in self.new_terms["annotation_kinds"]), None)
        if kind is None and not self.has_vocabulary:
            kind = kinds[0]
            self.new_terms["annotation_kinds"][kind] = dict(zip(("label", "definition"), NEW_ANNOTATION_KINDS[kind],
                                                                strict=True))
        if kind is None:
            self.note(f"{where}: {what}; no annotation says so (the vocabulary has no '{kinds[0]}' kind)")
            return []
        return [{"kind": kind, "text": what}]

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
        self,
        place_id: str | None,
        name: str | None,
        kind: str | None,
        where: str,
        within: str | None = None,
        coordinates: list[float] | None = None,
    ) -> str:
        if place_id and self.exists("place", place_id):
            return place_id
        if name and not place_id and (found := self.find_by_name("place", name)):
            return found
        if name and not place_id and coordinates and (found := self.find_place_near(name, coordinates)):
            self.note(f"{where}: place '{name}' taken to be '{found}' (same name before the comma, "
                      "same coordinates)")
            return found
        record_id = place_id or self.new_id("place", slugify(name or "place"), "place")
        data: dict[str, Any] = {"name": clean_title(name or humanize(record_id))}
        guessed = kind not in PLACE_KIND_PRECISION
        data["kind"] = kind if not guessed else "site"
        if within and within != record_id:
            data["within"] = within
        if coordinates:
            data["coordinates"] = coordinates
        note = " The kind is a guess: check it." if guessed else ""
        self.add(
            Draft(
                "place", record_id, data, f"Stub created by importing {self.origin} ({where}).{note}", where
            )
        )
        return record_id

    def find_place_near(self, name: str, coordinates: list[float]) -> str | None:
        """A place written another way ('Moscow, ID' for 'Moscow, Idaho'): the same name up to its
        first comma, and coordinates within a hundredth of a degree (about a kilometre)."""
        stem = name.split(",")[0].strip().casefold()
        candidates = [*self.existing["place"].items()] + [
            (record_id, draft.data) for (kind, record_id), draft in self.drafts.items() if kind == "place"
        ]
        for record_id, data in candidates:
            there = data.get("coordinates")
            if (
                str(data.get("name", "")).split(",")[0].strip().casefold() == stem
                and isinstance(there, list)
                and len(there) == 2
                and all(isinstance(v, (int, float)) for v in there)
                and abs(there[0] - coordinates[0]) <= 0.01
                and abs(there[1] - coordinates[1]) <= 0.01
            ):
                return record_id
        return None

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
        return header + dump(groups)

    def write(self, dry_run: bool = False) -> ImportReport:
        """Validate everything with the existing content; write it all, or (failed, dry run) nothing."""
        events = sum(1 for d in self.drafts.values() if d.kind == "event")
        report = ImportReport(notes=list(self.notes), records=self.records, events=events, dry_run=dry_run)
        targets: list[tuple[Path, str]] = []
        if not self.has_vocabulary and self.drafts:
            targets.append((self.content_dir / VOCABULARY_FILE, self.vocabulary_text()))
        for draft in sorted(self.drafts.values(), key=lambda d: (WRITE_ORDER[d.kind], d.id)):
            targets.append((self.content_dir / draft.relative_path(), record_text(draft.data, draft.body)))
        write_all(self.content_dir, targets, report, self.today)
        return report


FORMATS = ("csv", "timelinejs", "acled")


def run_import(
    fmt: str,
    path: Path,
    content_dir: Path,
    event_type: str | None = None,
    status: str | None = None,
    today: date | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import one file into content_dir: validate all of it with the existing content, then write
    it all (unless dry_run) or nothing, and say what happened. ImportUsageError, before anything is
    read or written, when an option is needed."""
    from timeweave.tools.importers.acled import import_acled
    from timeweave.tools.importers.spreadsheet import import_csv
    from timeweave.tools.importers.timelinejs import import_timelinejs

    readers = {"csv": import_csv, "timelinejs": import_timelinejs, "acled": import_acled}
    if fmt not in readers:
        raise ValueError(f"unknown import format {fmt!r}; known: {', '.join(FORMATS)}")
    plan = ImportPlan(content_dir, Path(path).name, event_type, status, today)
    readers[fmt](plan, Path(path))
    return plan.write(dry_run)
