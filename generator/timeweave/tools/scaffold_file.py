"""The file `python -m timeweave new` writes: front matter that validates as it is, then the body.

Every optional field the file does not set is written as a YAML comment with its description and
an example, both taken from the models, so the scaffold and the field reference in CONTRIBUTING.md
never disagree. The file is validated before it is written, and an existing file is never
overwritten.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from timeweave.content import models as m
from timeweave.content.loader import split_front_matter
from timeweave.content.records import RawRecord
from timeweave.content.yamlread import parse_yaml
from timeweave.errors import ErrorLog, format_errors
from timeweave.kinds import KIND_BY_NAME
from timeweave.site.contributing import RECORD_FILES, FieldDoc, field_docs, yaml_scalar

WIDTH = 100


class ScaffoldError(Exception):
    """The file cannot be written as asked; `code` is the command's exit code."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.message, self.code = message, code


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


def write_record(content_dir: Path, root: Path, kind: str, record_id: str, subfolder: str | None,
                 values: dict[str, Any], body: str = "") -> Written:
    """Write the file, checked first; `subfolder` is the year folder of an event."""
    folder = content_dir / KIND_BY_NAME[kind].content_folder / (subfolder or "")
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
