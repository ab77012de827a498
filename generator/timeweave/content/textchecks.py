"""What a record's own text shows, without its model or the other records: invisible and
direction-changing characters, and the body policy (own_problems).

Free of pydantic and of the schema's models: validation starts its second process, which runs
own_problems on the files it reads, before this process has imported the schema.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from timeweave.content.policy import body_problems
from timeweave.content.records import RawRecord
from timeweave.errors import ContentError, ErrorLog

# Characters that change text direction or are invisible: a title or id containing them can show
# a reader something other than what reviewers saw in the pull request.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad\u180e]")
# Also hidden, found by category rather than listed: every other format character (Cf: the Arabic
# letter mark U+061C, interlinear annotations, the tag characters U+E0000-E007F that smuggle ASCII
# text invisibly). And blanks that render as nothing but are letters or symbols, so neither
# category nor whitespace tests catch them: Hangul fillers, braille blank, combining grapheme
# joiner, and the variation selectors that can hide data after any character.
_BLANK_LOOKALIKES = re.compile("[\u034f\u115f\u1160\u2800\u3164\uffa0\ufe00-\ufe0f\U000e0100-\U000e01ef]")
# Every character of category Cf in Python's Unicode database (14.0), listed rather than computed
# at import, which validation's start-up would pay; tests/content/test_hostile_input.py checks the
# list against unicodedata.
_FORMAT = re.compile("[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
                     "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
                     "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
                     "\U000e0020-\U000e007f]")


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # category Cc, less tab and newline
_JOINERS = "\u200c\u200d"


def _joining(text: str, index: int) -> bool:
    """ZWNJ/ZWJ between two non-Latin letters is correct spelling (Persian, Indic scripts),
    not a trick; anywhere else it only hides something."""
    before, after = text[index - 1 : index], text[index + 1 : index + 2]
    return all(c and c.isalpha() and ord(c) > 0x24F for c in (before, after))


def _emoji_part(text: str, index: int) -> bool:
    """ZWJ between two symbols joins an emoji sequence; VS15/VS16 after a symbol or keycap digit
    chooses text or emoji style. Both are how emoji are spelled, not a way to hide anything."""
    before, after = text[index - 1 : index], text[index + 1 : index + 2]
    if text[index] == "\u200d":
        return all(c and unicodedata.category(c) == "So" for c in (before, after))
    return text[index] in "\ufe0e\ufe0f" and bool(before) and (
        unicodedata.category(before) == "So" or before in "0123456789#*")


# Any character one of the patterns above could report: one search settles most non-ASCII strings
# instead of a search and three scans.
_SUSPECT = re.compile(
    "[" + "".join(p.pattern[1:-1] for p in (_INVISIBLE, _CONTROL, _FORMAT, _BLANK_LOOKALIKES)) + "]")


def might_hide(text: str) -> bool:
    """False when text has none of the characters find_invisible reports (nearly every string):
    ASCII text can only hide a control character, which str.isprintable() finds in C."""
    if text.isascii():
        return not text.replace("\n", " ").replace("\t", " ").isprintable()
    return _SUSPECT.search(text) is not None


def find_invisible(text: str) -> str | None:
    if not might_hide(text):
        return None
    for match in _INVISIBLE.finditer(text):
        if match.group() in _JOINERS and (_joining(text, match.start()) or _emoji_part(text, match.start())):
            continue
        return f"U+{ord(match.group()):04X} {unicodedata.name(match.group(), 'invisible character')}"
    # One regex pass instead of unicodedata.category() per character: this runs over every string
    # of every record, and the per-character loop dominated validation at 10,000 events.
    control = _CONTROL.search(text)
    if control:
        return f"control character U+{ord(control.group()):04X}"
    for pattern in (_FORMAT, _BLANK_LOOKALIKES):
        for found in pattern.finditer(text):
            char, index = found.group(), found.start()
            if (char in _JOINERS and _joining(text, index)) or _emoji_part(text, index):
                continue
            return f"U+{ord(char):04X} {unicodedata.name(char, 'invisible character')}"
    return None


def _flag_invisible(raw: RawRecord, errors: ErrorLog) -> None:
    # One test of all of a record's text clears almost every file; only the others are walked value
    # by value, for the field and line of each finding. The text is the YAML as written (a value
    # holds no character its YAML does not, but for escapes: any backslash sends the record to the
    # walk), or, for a record made without it, the JSON of its data, which escapes control
    # characters with a backslash too.
    text = raw.front_matter
    if not text:
        try:
            text = json.dumps(raw.data, ensure_ascii=False)
        except (ValueError, TypeError, RecursionError):  # e.g. a hexadecimal integer too long to write
            text = "\\"
    if "\\" in text or might_hide(text):
        _flag_invisible_values(raw, errors)
    found = find_invisible(raw.body)
    if found:
        errors.add(raw.path, raw.body_line, "body", f"contains an invisible or direction-changing "
                   f"character ({found})", "check that the text reads as intended", severity="warning")


def _flag_invisible_values(raw: RawRecord, errors: ErrorLog) -> None:
    def walk(value: Any, loc: tuple[Any, ...]) -> None:
        if isinstance(value, str):
            found = find_invisible(value)
            if found and loc[-1:] not in (("title",), ("name",)):
                errors.add(raw.path, raw.line_of(loc), ".".join(map(str, loc)),
                           f"contains an invisible or direction-changing character ({found})",
                           "check that the text reads as intended", severity="warning")
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, loc + (key,))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, loc + (index,))
    walk(raw.data, ())


def own_problems(raw: RawRecord) -> list[ContentError]:
    """What a record's text shows without its model or the other records: hidden characters and
    the body policy (load_catalog has the loader run it in the process that read the file)."""
    own = ErrorLog()
    _flag_invisible(raw, own)
    for offset, message, hint in body_problems(raw.body):
        own.add(raw.path, raw.body_line + offset, "body", message, hint)
    return own.items


