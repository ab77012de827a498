"""The one slug function of the tool: ids (file names, permanent URLs) from text in any script.

The scaffold and every importer call it, so the same title gives the same id whichever way a record
is written. Non-Latin text is transliterated with anyascii (see generator/pyproject.toml for why that
library), so "Россия наносит удар" and "قصف إدلب" give readable, distinct ASCII ids instead of
nothing. Existing ids are file names and never go through here again, so they cannot change.
"""

from __future__ import annotations

import re

from anyascii import anyascii

from timeweave.content.records import MAX_ID_LENGTH

_JOINERS = re.compile(r"['\u2019\u02bc]")  # apostrophes join ("Turkey's" -> turkeys)
_WORDS = re.compile(r"[a-z0-9]+")


def slugify(text: str, fallback: str = "") -> str:
    """An id from any text: ASCII letters and digits joined by single hyphens, at most 80
    characters, cut at a word boundary; `fallback` when the text holds no letter or digit."""
    # Transliterate first: anyascii writes some letters with an apostrophe (Arabic ayn), which then
    # joins like the apostrophes of the text.
    words = _WORDS.findall(_JOINERS.sub("", anyascii(_JOINERS.sub("", text))).lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_ID_LENGTH:
            break
        slug = candidate
    return slug or (words[0][:MAX_ID_LENGTH] if words else fallback)
