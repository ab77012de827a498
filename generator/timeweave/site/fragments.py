"""A generated page's HTML blocks, handed to the builder finished instead of as Markdown.

Our pages are mostly HTML blocks that Jinja rendered (templates/*.md.j2), with a few Markdown
headings (the table of contents) and a record's Markdown body between them. A Markdown converter
passes each HTML block through as it is, but only after parsing all of it to find where it ends:
for our pages, most of what converting them costs. So each block that any converter would pass
through unchanged is found here, while the page is rendered, and a builder may give its
converter the page with a one-word paragraph in place of each block (`placeheld`), then put the
blocks back into the HTML it made (`put_back`): the same HTML, the same headings and anchors.

Which blocks: a text between blank lines that begins at the start of a line with a block-level
tag and ends with that tag's end, whose tag is closed nowhere before its end, and that holds
nothing a converter reads inside raw HTML (a tab, a line of spaces, a code fence, a comment, a
`markdown` attribute). A record's body is never one, whatever it holds: the templates' filter
marks where each body starts and ends (`BODY_MARK`), and only the text between bodies is read.
A page whose text holds the placeholder's word keeps every block as Markdown.

`source()` is the one text a builder reads for a page, the blocks after the Markdown (`unpack`
takes it apart); a builder that does not know it is given the page's Markdown as it is.
"""

from __future__ import annotations

import json
import re
from functools import cache

# Around a record's Markdown body in a rendered page: content never holds a NUL (the loader
# refuses a file with one), so each is the templates' filter's.
BODY_MARK = "\x00"
PLACEHOLDER_WORD = "tlfragment"
_PLACEHOLDER = PLACEHOLDER_WORD + "{}tl"
_PUT_BACK = re.compile("<p>" + PLACEHOLDER_WORD + r"(\d+)tl</p>")
# What separates the Markdown of a page's source from its blocks: a JSON text has no line break.
_SEPARATOR = "\n\n<!-- timeweave: the page's HTML blocks -->\n"

# Python-Markdown's block-level elements that our templates begin blocks with (any converter
# passes a block that one of them begins through as it is).
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "details", "div", "dl", "figure", "footer", "form",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "nav", "ol", "p", "pre", "section", "table", "ul",
})
_START = re.compile(r"<([a-z][a-z0-9]*)[ >]")
# Read inside raw HTML by Python-Markdown or its extensions' text preprocessors, or ends a block
# early: such a block stays Markdown.
_UNSAFE = re.compile(r"[\t\r\x02\x03]|<!|<\?|<(?:script|style|textarea|title)[\s>]|\smarkdown\s*=|\n(?:```|~~~| +\n)")


@cache
def _tag_re(tag: str) -> re.Pattern[str]:
    return re.compile(f"<(/?){tag}[\\s>/]")


def split_page(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The rendered page without its body marks, and where its HTML blocks are in that text."""
    pieces = text.split(BODY_MARK)
    clean = "".join(pieces)
    if len(pieces) % 2 == 0 or PLACEHOLDER_WORD in clean:
        return clean, ()
    spans: list[tuple[int, int]] = []
    offset = 0
    for number, piece in enumerate(pieces):
        if number % 2 == 0:
            spans += _blocks(piece, offset, first=number == 0, last=number == len(pieces) - 1)
        offset += len(piece)
    return clean, tuple(spans)


def _blocks(piece: str, offset: int, *, first: bool, last: bool) -> list[tuple[int, int]]:
    """The blocks of a text between bodies: only texts with a blank line (or the page's start or
    end) on both sides, so that none touches a body. A block may hold blank lines: a converter
    reads raw HTML up to its first tag's end."""
    found = []
    start = 0
    if first and piece.startswith("---\n"):  # the front matter
        end = piece.find("\n---\n", 4)
        start = end + 5 if end >= 0 else len(piece)
    elif not first:  # up to the first blank line: beside the body before
        start = piece.find("\n\n")
        start = len(piece) if start < 0 else start + 2
    limit = len(piece) if last else piece.rfind("\n\n")  # the text after it is beside the next body
    while 0 <= start < limit:
        while start < limit and piece[start] == "\n":
            start += 1
        block_end = _block_end(piece, start, limit)
        if block_end is not None:
            found.append((offset + start, offset + block_end))
            start = block_end
        next_blank = piece.find("\n\n", start)
        start = limit if next_blank < 0 else next_blank + 2
    return found


def _block_end(piece: str, start: int, limit: int) -> int | None:
    """Where the block beginning at start ends, if one does, a blank line (or limit) after it.
    Blocks on consecutive lines are one: a converter passes them through with the line break
    between them."""
    while True:
        tag_start = _START.match(piece, start)
        if tag_start is None or tag_start.group(1) not in BLOCK_TAGS:
            return None
        tag = tag_start.group(1)
        depth, end = 0, -1
        for found in _tag_re(tag).finditer(piece, start, limit):
            depth += -1 if found.group(1) else 1
            if depth == 0:
                end = piece.find(">", found.end() - 1) + 1
                break
        if end <= 0 or _UNSAFE.search(piece, start, end):
            return None
        if end == limit or piece.startswith("\n\n", end) or (end + 1 == limit and piece[end] == "\n"):
            return end
        if piece[end] != "\n":
            return None  # text after the tag's end, on its line
        start = end + 1


def source(content: str, spans: tuple[tuple[int, int], ...]) -> str:
    """A page's source for a builder that puts the blocks back: its Markdown with a placeholder
    paragraph for each block, then the blocks."""
    if not spans:
        return content
    parts, blocks, at = [], [], 0
    for number, (start, end) in enumerate(spans):
        parts += [content[at:start], _PLACEHOLDER.format(number)]
        blocks.append(content[start:end])
        at = end
    parts.append(content[at:])
    return "".join(parts) + _SEPARATOR + json.dumps(blocks, ensure_ascii=False)


def from_source(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """source()'s inverse, for a source made with blocks: the page's text and where its blocks are."""
    markdown, blocks = unpack(text)
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    at = length = 0
    for found in re.finditer(PLACEHOLDER_WORD + r"(\d+)tl", markdown):
        block = blocks[int(found.group(1))]
        parts += [markdown[at:found.start()], block]
        length += found.start() - at
        spans.append((length, length + len(block)))
        length += len(block)
        at = found.end()
    parts.append(markdown[at:])
    return "".join(parts), tuple(spans)


def unpack(text: str) -> tuple[str, list[str]]:
    """A page's source -> its Markdown with placeholders, and its blocks (none in plain Markdown)."""
    markdown, separator, blocks = text.rpartition(_SEPARATOR)
    if not separator:
        return text, []
    found = json.loads(blocks)
    return markdown, found if isinstance(found, list) else []


def inline(markdown: str, blocks: list[str]) -> str:
    """The page's Markdown as it was rendered, for a converter that should see all of it."""
    return re.sub(PLACEHOLDER_WORD + r"(\d+)tl", lambda m: blocks[int(m.group(1))], markdown) if blocks else markdown


def put_back(html: str, blocks: list[str]) -> str | None:
    """The converter's HTML with each block in place of its paragraph, as a converter would have
    passed it through; None unless each paragraph is there exactly once (then convert the page
    inlined instead)."""
    if not blocks:
        return html
    seen: list[int] = []

    def block(found: re.Match[str]) -> str:
        number = int(found.group(1))
        seen.append(number)
        return blocks[number] + "\n" if number < len(blocks) else found.group(0)

    done = _PUT_BACK.sub(block, html).rstrip("\n")  # a converter's HTML ends with no line break
    return done if sorted(seen) == list(range(len(blocks))) else None
