"""An import's files: drafts as Markdown with front matter, validated together with the existing
content in a staging copy, then written all at once, or not at all.

Nothing touches the content folder until everything the import would write has been validated with
what is already there: a failed import (or a dry run) leaves the folder, and `git status`, as it was.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from timeweave.catalog.catalog import load_catalog
from timeweave.content.dates import parse_date
from timeweave.content.yamlread import yaml12_number
from timeweave.errors import ContentError
from timeweave.kinds import KIND_BY_NAME

WRITE_ORDER = {"source": 0, "actor": 1, "place": 2, "event": 3}


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
    written: list[str] = field(default_factory=list)  # or, in a dry run or a failed one, would have been
    kept: list[str] = field(default_factory=list)  # files that existed and were left alone
    notes: list[str] = field(default_factory=list)  # what could not be mapped, per record and field
    errors: list[ContentError] = field(default_factory=list)  # validation of the result
    records: int = 0  # records the input holds (slides, rows)
    events: int = 0  # events the import adds
    dry_run: bool = False

    @property
    def valid(self) -> bool:
        return not any(e.severity == "error" for e in self.errors)

    @property
    def ok(self) -> bool:
        """Valid, and at least one event imported: otherwise the command exits non-zero."""
        return self.valid and self.events > 0

    @property
    def applied(self) -> bool:
        return self.ok and not self.dry_run

    def format(self) -> str:
        verb = "written" if self.applied else "would be written" if self.ok else "would have been written"
        lines = [f"records read: {self.records}; events imported: {self.events}",
                 f"{verb}: {len(self.written)} file(s)"]
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
        if not self.valid:
            lines.append("nothing was written: correct the input (or the content) and run the import again")
        elif self.events == 0:
            lines.append("nothing was written: no event could be imported")
        elif self.dry_run:
            lines.append("dry run: nothing was written")
        return "\n".join(lines)


def write_all(content_dir: Path, targets: list[tuple[Path, str]], report: ImportReport, today: date) -> None:
    """Validate targets with the existing content in a staging copy; write them only if all is valid."""
    new = []
    for path, text in targets:
        (report.kept if path.exists() else report.written).append(_shown(path, content_dir))
        if not path.exists():
            new.append((path, text))
    with tempfile.TemporaryDirectory(prefix="timeweave-import-") as tmp:
        staged = Path(tmp) / content_dir.name
        if content_dir.is_dir():
            shutil.copytree(content_dir, staged, symlinks=True)
        for path, text in new:
            _create(staged / path.relative_to(content_dir), text)
        # Paths in errors are relative to the staging folder's parent: content/events/..., as in place.
        _, errors = load_catalog(staged, Path(tmp), today)
    report.errors = errors.items
    if not report.applied:
        return
    for path, text in new:
        _create(path, text)


def _create(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def _shown(path: Path, content_dir: Path) -> str:
    return (Path(content_dir.name) / path.relative_to(content_dir)).as_posix()


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Multi-line text as a literal block; everything else the safe dumper's way (it quotes what
    # would otherwise read as a number, a date or true/false to YAML 1.1), and in quotes what only
    # YAML 1.2 reads as a number: the date "0668" of a year before 1000, which the loader refuses plain.
    style = "|" if "\n" in value else "'" if yaml12_number(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(data: Any) -> str:
    return str(
        yaml.dump(
            data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
        )
    )


def record_text(data: dict[str, Any], body: str) -> str:
    return "---\n" + dump(data) + "---\n" + (body.strip() + "\n" if body.strip() else "")
