"""The contributor's guide: a field reference generated from the models, kept in CONTRIBUTING.md and
published as a page of the site.

CONTRIBUTING.md is written by hand except for one block between two HTML comments, which
`python -m timeweave build-docs` rewrites from the pydantic models (field names, whether each is
required, its kind of value, its allowed values, its description and example), so a field is never
documented twice by hand. The site page is made from the same file at build time, with the block
generated afresh, so the site can never lag behind the models.
"""

from __future__ import annotations

import json
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from timeweave import urls
from timeweave.content import fields
from timeweave.content import models as m
from timeweave.errors import ContentError
from timeweave.kinds import KINDS
from timeweave.site.pages import GeneratedPage, front_matter

BEGIN = ("<!-- BEGIN field reference: generated from generator/timeweave/content/models.py "
         "by `python -m timeweave build-docs` -->")
END = "<!-- END field reference -->"
PAGE_SRC_URI = "contributing.md"
PAGE_URL = urls.CONTRIBUTING_URL

# The reusable value types of fields.py and models.py, in words a contributor understands.
_NAMED_TYPES: list[tuple[Any, str]] = [
    (fields.Id, "id"),
    (fields.Title, "text, one line"),
    (fields.Text, "text"),
    (fields.Edtf, "EDTF date"),
    (fields.Day, "day, YYYY-MM-DD"),
    (fields.Url, "http(s) URL"),
    (fields.Coordinates, "[latitude, longitude]"),
    (fields.Time, "time, HH:MM"),
    (fields.LanguageCode, "language code"),
    (fields.WikidataId, "Wikidata id, Q…"),
    (m.CasualtyCount, "number or {min, max}"),
    (fields.Count, "whole number"),
    (fields.Number, "number"),
]

# What the body of each kind's file holds, in the guide's words.
_BODY_NOTES = {
    "event": "The body is the account of the event, in Markdown.",
    "actor": "The body is a short profile, in Markdown.",
    "place": "The body is a short description, in Markdown.",
    "source": "The body describes the source; it is required when there is no url.",
}
# The files each record kind lives in, for headings; the order is the guide's order.
RECORD_FILES: list[tuple[str, type[BaseModel], str, str]] = [
    *((kind.label, m.MODELS[kind.name], f"content/{kind.file_pattern}", _BODY_NOTES[kind.name])
      for kind in KINDS),
    ("Vocabulary", m.Vocabulary, "content/vocabulary.yml",
     "A YAML file without body; each group maps an id to a term."),
]
# Set by the file itself, never in front matter.
_FROM_FILE = {"id", "path", "body"}


@dataclass(frozen=True)
class FieldDoc:
    name: str              # as written in YAML (the alias when there is one)
    required: bool
    value: str             # the kind of value, in words
    description: str
    example: Any           # the first example from the model, or None
    allowed: tuple[str, ...] = ()
    nested: type[BaseModel] | None = None
    is_list: bool = False


def _unwrap_optional(hint: Any) -> Any:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return hint


def _named(hint: Any) -> str | None:
    for alias, name in _NAMED_TYPES:
        if hint == alias:
            return name
    return None


def _allowed_values(hint: Any) -> tuple[str, ...]:
    hint = _unwrap_optional(hint)
    if typing.get_origin(hint) is Literal:
        return tuple(str(a) for a in typing.get_args(hint))
    if typing.get_origin(hint) is dict:  # a mapping whose keys are fixed values (the vocabulary's affiliations)
        return _allowed_values(typing.get_args(hint)[0])
    return ()


def describe_type(hint: Any) -> tuple[str, type[BaseModel] | None, bool]:
    """(value in words, the nested model if any, whether it is a list) for one annotation."""
    hint = _unwrap_optional(hint)
    named = _named(hint)
    if named:
        return named, None, False
    origin = typing.get_origin(hint)
    if origin is typing.Annotated:
        return describe_type(typing.get_args(hint)[0])
    if origin is Literal:
        return "one of the values listed", None, False
    if origin is list:
        inner, nested, _ = describe_type(typing.get_args(hint)[0])
        if nested is not None:
            keys = ", ".join(f.name for f in field_docs(nested))
            return f"list of {{{keys}}}", nested, True
        return f"list of {inner}", None, True
    if origin is dict:
        key, _, _ = describe_type(typing.get_args(hint)[0])
        value, nested, _ = describe_type(typing.get_args(hint)[1])
        return f"mapping: {key} → {value}", nested, False
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        keys = ", ".join(f.name for f in field_docs(hint))
        return f"{{{keys}}}", hint, False
    if hint is str:
        return "text", None, False
    if hint in (int, float):
        return "number", None, False
    return getattr(hint, "__name__", str(hint)), None, False


def field_docs(model: type[BaseModel]) -> list[FieldDoc]:
    """Every field a contributor writes for this model, in the model's order."""
    hints = typing.get_type_hints(model, include_extras=True)
    docs = []
    # A record's own fields first; the fields every record shares (former_ids) after them.
    shared = set(m.Record.model_fields) if issubclass(model, m.Record) else set()
    names = [n for n in model.model_fields if n not in shared] + [n for n in model.model_fields if n in shared]
    for name in names:
        info = model.model_fields[name]
        if name in _FROM_FILE:
            continue
        value, nested, is_list = describe_type(hints[name])
        docs.append(FieldDoc(
            name=info.alias or name,
            required=_required(info),
            value=value,
            description=info.description or "",
            example=info.examples[0] if info.examples else None,
            allowed=_allowed_values(hints[name]),
            nested=nested,
            is_list=is_list,
        ))
    return docs


def _required(info: FieldInfo) -> bool:
    return info.is_required()


_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`~](?:[^,\[\]{}\n:#]|:(?=\S)|(?<=\S)#)*(?<!\s)$")


def _reads_back(text: str) -> bool:
    from timeweave.content.yamlread import parse_yaml
    from timeweave.errors import ErrorLog

    parsed = parse_yaml(f"v: [{text}]", "", ErrorLog())
    return parsed is not None and parsed[0] == {"v": [text]}


def yaml_scalar(value: Any) -> str:
    """A value as a contributor would write it in YAML flow style: plain when that reads back as
    the same text, double-quoted (JSON, which YAML accepts) when it would not."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(yaml_scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{yaml_scalar(str(k))}: {yaml_scalar(v)}" for k, v in value.items()) + "}"
    text = str(value)
    if _PLAIN.match(text) and _reads_back(text):
        return text
    return json.dumps(text, ensure_ascii=False)


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _table(model: type[BaseModel], where: str) -> Iterator[str]:
    yield "| Field | Needed | Value | What it holds |"
    yield "|---|---|---|---|"
    nested: dict[type[BaseModel], list[str]] = {}
    for doc in field_docs(model):
        what = doc.description
        if doc.allowed:
            what += (" " if what else "") + "One of: " + ", ".join(_code(a) for a in doc.allowed) + "."
        if doc.example is not None:
            what += (" " if what else "") + "Example: " + _code(yaml_scalar(doc.example))
        need = "required" if doc.required else "optional"
        yield f"| {_code(doc.name)} | {need} | {_cell(doc.value)} | {_cell(what)} |"
        if doc.nested is not None:
            nested.setdefault(doc.nested, []).append(where + doc.name)
    # One table per structure, however many fields share it (every vocabulary group holds terms).
    for model_, paths in nested.items():
        yield ""
        yield f"Each entry of {', '.join(_code(p) for p in paths)}:"
        yield ""
        yield from _table(model_, (paths[0] + ".") if len(paths) == 1 else "")


def field_reference() -> str:
    """The generated Markdown block: one table per record kind, and one per nested structure."""
    lines: list[str] = []
    for title, model, path, note in RECORD_FILES:
        lines.append(f"### {title} fields")
        lines.append("")
        lines.append(f"File: {_code(path)}. {note}")
        lines.append("")
        lines.extend(_table(model, ""))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


class GuideError(ValueError):
    pass


def _split(text: str) -> tuple[str, str]:
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise GuideError(f"the field reference markers are missing; the guide needs the lines\n{BEGIN}\n{END}")
    return text[: start + len(BEGIN)], text[end:]


def guide_problems(path: Path, root: Path) -> list[ContentError]:
    """What stops the guide at path from being published, as content errors: validate runs this
    so that the build does not fail on it after every page was made."""
    try:
        shown = path.relative_to(root).as_posix()
    except ValueError:
        shown = path.as_posix()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [ContentError(shown, 1, "", f"cannot read the contributor's guide: {exc}",
                             "save it as UTF-8, or remove `contributing` from the timeline plugin's options")]
    start, end = text.find(BEGIN), text.find(END)
    regenerate = "then run `python -m timeweave build-docs` to fill the block"
    if start < 0 and end < 0:
        return [ContentError(shown, 1, "", "the field reference markers are missing",
                             f"add the two lines {BEGIN} and {END} where the reference goes; {regenerate}")]
    if start < 0:
        return [ContentError(shown, text.count("\n", 0, end) + 1, "", "the field reference has no begin marker",
                             f"add the line {BEGIN} before the block; {regenerate}")]
    if end < 0:
        return [ContentError(shown, text.count("\n", 0, start) + 1, "", "the field reference has no end marker",
                             f"add the line {END} after the block; {regenerate}")]
    if end < start:
        return [ContentError(shown, text.count("\n", 0, end) + 1, "", "the field reference ends before it begins",
                             f"put {END} after {BEGIN}; {regenerate}")]
    return []


def with_reference(text: str) -> str:
    """The guide with its generated block rewritten from the models."""
    head, tail = _split(text)
    return f"{head}\n\n{field_reference()}\n{tail}"


def sync_guide(path: Path, check: bool = False) -> bool:
    """Rewrite the generated block of the guide at path; returns whether it was already current.
    With check, only compare."""
    current = path.read_text(encoding="utf-8")
    fresh = with_reference(current)
    if fresh == current:
        return True
    if not check:
        path.write_text(fresh, encoding="utf-8")
    return False


def guide_page(text: str) -> GeneratedPage:
    """The guide as a site page: same text, block generated afresh, markers removed."""
    body = with_reference(text).replace(BEGIN + "\n", "").replace(END + "\n", "")
    body = body.replace(BEGIN, "").replace(END, "")
    heading = re.search(r"^# (.+)$", body, re.M)
    title = heading.group(1).strip() if heading else "Contributing"
    return GeneratedPage(PAGE_SRC_URI, PAGE_URL, title, front_matter(title) + "\n" + body, in_nav=True)
