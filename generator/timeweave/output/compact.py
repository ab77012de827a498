"""Page HTML without its layout whitespace: the theme's templates indent every element on its own
line, and on an event page that indentation is about a sixth of the bytes.

Only whitespace that the browser collapses anyway goes: a run of whitespace that holds a line break,
between or around tags, becomes one line break (still whitespace, so text on either side stays
apart). Tags and their attribute values are left as they are, and so is everything inside the
elements whose whitespace is shown or executed (pre, textarea, code, kbd, whose CSS keeps spaces
(`white-space: pre-wrap` in the theme), and script, style).
"""

from __future__ import annotations

import re

# A tag, a comment or a doctype, with quoted attribute values that may hold '>'.
_TAG = re.compile(r"""<!--.*?-->|<(?:[^>"']|"[^"]*"|'[^']*')*>""", re.S)
_RAW = ("pre", "textarea", "code", "kbd", "script", "style")
_OPEN_RAW = re.compile(r"<({})\b".format("|".join(_RAW)), re.I)
_CLOSE_RAW = {name: re.compile(rf"</{name}\s*>", re.I) for name in _RAW}
# HTML's own whitespace only: a no-break or other Unicode space is text (`\s` would take it too).
_LAYOUT = re.compile(r"[ \t\r\f]*\n[ \t\r\n\f]*")


def compact_html(html: str) -> str:
    """html with every whitespace run that holds a line break, outside raw elements, made one
    line break. The page renders the same."""
    out: list[str] = []
    position = 0
    while (match := _TAG.search(html, position)) is not None:
        out.append(_LAYOUT.sub("\n", html[position:match.start()]))
        out.append(match.group(0))
        position = match.end()
        opened = _OPEN_RAW.match(match.group(0))
        if opened and not match.group(0).endswith("/>"):
            # Verbatim up to the element's end tag (its text is not parsed for tags: a script's '<').
            closing = _CLOSE_RAW[opened.group(1).lower()].search(html, position)
            end = closing.end() if closing else len(html)
            out.append(html[position:end])
            position = end
    out.append(_LAYOUT.sub("\n", html[position:]))
    return "".join(out)
