"""citeproc-py's text of a CSL-JSON record, rendered once per shape of record and filled in.

The records of a site's pages (citation.csl_item) differ in a few strings (id, title, URL, note,
keyword, the archived copy) while the rest, their shape (the type, the author, the dates, which
keys exist), repeats over thousands of pages. A shape is rendered once with a private-use stand-in
for each such string, and each page's strings are put in place of the stand-ins in that text.

That gives citeproc-py's own text only where the processor passes the string through, so the
template render watches what citeproc-py 0.11.1 (model.py) does with each stand-in:
- a condition or label that reads the string's value (is-numeric, a label's plural, cs:number)
  decides by what the value is: that shape is always rendered by citeproc-py itself;
- every text-case or strip-periods that reaches a stand-in must be the variable's own cs:text
  acting on the value alone; that element's own case() is then applied to the page's value (Chicago
  title-cases a title). One set on a longer text (a macro's) would read the words around the value;
- citeproc-py drops a character where two pieces meet with the same space or punctuation mark
  (string.normalize_seam): the characters next to the stand-in in the template are those the
  value meets, and a value that starts or ends with the same one is rendered by citeproc-py.
A string shown twice, shown with no cs:text of its own, or a record that is not of the usual make
(a string that is empty, not a string, or holds a private-use character) is rendered by citeproc-py
too. tests/site/test_cslshapes.py holds the texts to citeproc-py's over the real content, the
fixtures and thousands of generated records.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from citeproc import model
from citeproc.source.json import CiteProcJSON
from citeproc.string import SEAM_PUNCTUATION

# The strings csl_item() varies between pages, each with its own stand-in; the archived copy's
# (`custom`, not a CSL variable: citeproc-py holds it as one string) take the next ones.
_VARIABLES = {"id": "\ue010", "title": "\ue011", "URL": "\ue012", "note": "\ue013", "keyword": "\ue014"}
_CUSTOM, _CUSTOM_FIRST, _CUSTOM_MOST = "custom", 0xE020, 16
# Private use: the stand-ins, and the markers of cslrender.py.
_PRIVATE = re.compile("[\ue000-\ue0ff]")
# What normalize_seam drops a duplicate of where two pieces meet.
_SEAMS = frozenset(SEAM_PUNCTUATION) | {" "}
_PARSER = CiteProcJSON([])  # the same parse of a string (nocase spans) as the record's


def _transforms(element: Any) -> bool:
    """Whether a cs:text (or number, label, date-part) changes the text it is given by its content."""
    return element.get("text-case") is not None or element.get("strip-periods", "false").lower() == "true"


def _own(call: tuple[Any, str, str | None], stand_in: str, variable: str) -> bool:
    """Whether a case() call was the variable's own cs:text given its value alone."""
    element, given, _language = call
    return (given == stand_in and isinstance(element, model.Text)
            and element.get("variable", "").replace("-", "_") == variable)


@dataclass(frozen=True)
class _Shown:
    """A string the template shows once: how its element cases it, and its neighbours there."""

    element: Any  # the variable's cs:text
    language: str | None
    before: str  # the character before the stand-in in the text ("" at the start)
    after: str

    def text(self, value: str) -> str | None:
        """What the template shows for value; None when citeproc-py may join it otherwise."""
        parsed = _PARSER.parse_string(value)
        if not parsed:
            return None
        shown = str(self.element.case(self.element.strip_periods(parsed), self.language))
        if not shown or _PRIVATE.search(shown):
            return None
        if (shown[0] == self.before and self.before in _SEAMS) or (shown[-1] == self.after and self.after in _SEAMS):
            return None
        return shown


@dataclass(frozen=True)
class _Template:
    text: str  # citeproc-py's text of the shape, stand-ins in it
    shown: dict[str, _Shown]  # by stand-in; the strings not shown change nothing


@dataclass
class _Seen:
    """What citeproc-py did with the stand-ins during one render."""

    cased: list[tuple[Any, str, str | None]] = field(default_factory=list)  # element, text given, language
    read: set[str] = field(default_factory=set)  # variables whose value a condition, label or number read


@contextmanager
def _watching(stand_ins: re.Pattern[str]) -> Iterator[_Seen]:
    """citeproc-py's methods that act on a variable's content, recording while they run."""
    seen = _Seen()
    kept = [(model.TextCased, "case"), (model.If, "_is_numeric"), (model.Label, "_is_plural"),
            (model.Number, "process")]
    originals = [getattr(kind, name) for kind, name in kept]
    case, is_numeric, is_plural, number = originals

    def cased(element: Any, text: Any, language: str | None = None) -> Any:
        given = str(text)
        if stand_ins.search(given):
            seen.cased.append((element, given, language))
        return case(element, text, language)

    def numeric(element: Any, item: Any) -> Any:
        seen.read.update(name.replace("-", "_") for name in element.get("is-numeric").split())
        return is_numeric(element, item)

    def plural(element: Any, item: Any) -> Any:
        seen.read.add(element.get("variable").replace("-", "_"))
        return is_plural(element, item)

    def numbered(element: Any, item: Any, *args: Any, **kwargs: Any) -> Any:
        seen.read.add(element.get("variable").replace("-", "_"))
        return number(element, item, *args, **kwargs)

    for (kind, name), method in zip(kept, (cased, numeric, plural, numbered), strict=True):
        setattr(kind, name, method)
    try:
        yield seen
    finally:
        for (kind, name), method in zip(kept, originals, strict=True):
            setattr(kind, name, method)


def _split(record: dict[str, Any]) -> tuple[dict[str, Any], dict[str, tuple[str, str]]] | None:
    """The record's shape, and by stand-in the variable and its value; None if not of the usual make."""
    shape = dict(record)
    values: dict[str, tuple[str, str]] = {}
    for variable, stand_in in _VARIABLES.items():
        if variable in record:
            values[stand_in] = (variable, record[variable])
            shape[variable] = stand_in
    custom = record.get(_CUSTOM)
    if custom is not None:
        if not isinstance(custom, dict) or len(custom) > _CUSTOM_MOST:
            return None
        shape[_CUSTOM] = {}
        for number, key in enumerate(sorted(custom)):
            stand_in = chr(_CUSTOM_FIRST + number)
            values[stand_in] = (_CUSTOM, custom[key])
            shape[_CUSTOM][key] = stand_in
    for _variable, value in values.values():
        # A value citeproc-py parses to nothing (an empty nocase span) is a missing one to it,
        # shown or not: a group or a substitute may then render otherwise.
        if (not isinstance(value, str) or not value or _PRIVATE.search(value)
                or ("<" in value and not _PARSER.parse_string(value))):
            return None
    return (shape, values) if values else None  # no string of a page's own: nothing to share


class Shapes:
    """The texts citeproc(record, style) gives, from one render of each shape of record."""

    def __init__(self, citeproc: Callable[[dict[str, Any], str], str]):
        self._citeproc = citeproc
        self._templates: dict[str, _Template | None] = {}

    def text(self, record: dict[str, Any], style: str) -> str | None:
        """citeproc(record, style); None when the template cannot be shown to give it."""
        split = _split(record)
        if split is None:
            return None
        shape, values = split
        key = style + "\n" + json.dumps(shape, ensure_ascii=False, sort_keys=True)
        try:
            template = self._templates[key]
        except KeyError:
            template = self._templates[key] = self._template(shape, values, style)
        if template is None:
            return None
        text = template.text
        for stand_in, shown in template.shown.items():
            value = shown.text(values[stand_in][1])
            if value is None:
                return None
            text = text.replace(stand_in, value)
        return text

    def _template(self, shape: dict[str, Any], values: dict[str, tuple[str, str]], style: str) -> _Template | None:
        """The shape's text, if every string in it is passed through (the module's docstring)."""
        stand_ins = re.compile("[" + "".join(values) + "]")
        try:
            with _watching(stand_ins) as seen:
                text = self._citeproc(shape, style)
        except Exception:  # noqa: BLE001 (citeproc-py fails on the record itself: render_afresh will say so)
            return None
        if seen.read & {variable for variable, _value in values.values()}:
            return None
        shown = {}
        for stand_in, (variable, _value) in values.items():
            calls = [call for call in seen.cased if stand_in in call[1]]
            own = [call for call in calls if _own(call, stand_in, variable)]
            if any(_transforms(call[0]) for call in calls if not _own(call, stand_in, variable)):
                return None
            count = text.count(stand_in)
            if count == 0:
                continue
            elements = {id(element): element for element, _given, _language in own}
            languages = {language for _element, _given, language in own}
            if count > 1 or not own or len(languages) > 1 or (
                    len(elements) > 1 and any(map(_transforms, elements.values()))):
                return None
            at = text.index(stand_in)
            shown[stand_in] = _Shown(own[0][0], own[0][2], text[at - 1:at], text[at + 1:at + 2])
        return _Template(text, shown)
