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
_SPACES = " \t\r\f"


# Kept whole, found without walking every tag: a comment, an element whose whitespace counts.
_KEPT = re.compile(r"""<!--.*?-->|<({})\b(?:[^>"']|"[^"]*"|'[^']*')*(?<!/)>.*?(?:</\1\s*>|\Z)""".format("|".join(_RAW)),
                   re.S | re.I)
# A tag that may hold a line break (between attributes, or in a quoted value): where one is, that
# part of the page is read tag by tag, so that the line break stays.
# Written as runs of plain characters between quoted values, each run one step of the matcher.
_TAG_WITH_LINE_BREAK = re.compile(r"""<[^<>"'\n]*+(?:(?:"[^"\n]*+"|'[^'\n]*+')[^<>"'\n]*+)*+[\n"']""")


def compact_html(html: str) -> str:
    """html with every whitespace run that holds a line break, outside raw elements, made one
    line break. The page renders the same."""
    out: list[str] = []
    position = 0
    for kept in _KEPT.finditer(html):
        out += [_compact_part(html[position:kept.start()]), kept.group(0)]
        position = kept.end()
    out.append(_compact_part(html[position:]))
    return "".join(out)


def _layout_out(text: str) -> str:
    """_LAYOUT.sub("\\n", text), line by line: each whitespace run with a line break in it is the
    spaces ending one line, the lines of nothing but spaces after it, and the next line's indent."""
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    inner = (line.strip(_SPACES) for line in lines[1:-1])
    return "\n".join([lines[0].rstrip(_SPACES), *(line for line in inner if line), lines[-1].lstrip(_SPACES)])


def _compact_part(html: str) -> str:
    """A part of a page that holds no comment and no raw element."""
    if _TAG_WITH_LINE_BREAK.search(html) is None:
        return _layout_out(html)  # no tag holds a line break: every one is layout
    out: list[str] = []
    position = 0
    while (match := _TAG.search(html, position)) is not None:
        out.append(_LAYOUT.sub("\n", html[position:match.start()]))
        out.append(match.group(0))
        position = match.end()
    out.append(_LAYOUT.sub("\n", html[position:]))
    return "".join(out)
