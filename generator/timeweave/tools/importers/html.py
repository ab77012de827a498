"""HTML from other tools (TimelineJS slide text, captions) -> Markdown that our policy accepts.

Never passes HTML through: nh3 (the Ammonia sanitizer) first keeps only harmless structural tags
and http(s)/mailto links, dropping scripts, embeds, styles and event handlers with their content;
markdownify then turns what is left into Markdown with every stray '<' escaped, so the result holds
no raw HTML at all. Relative links cannot work on this site and are dropped; protocol-relative ones
('//host/x') become https. Whatever is dropped is reported to the caller.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable
from typing import Any

import markdownify
import nh3

from timeweave.content.policy import FORBIDDEN_ELEMENTS, body_problems, unsafe_url

IMPORT_TAGS = {
    "p",
    "br",
    "a",
    "em",
    "i",
    "strong",
    "b",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "q",
    "sub",
    "sup",
    "del",
    "s",
    "cite",
}
DROP_WITH_CONTENT = set(FORBIDDEN_ELEMENTS) - {"math", "svg"} | {"noscript"}
_TAG = re.compile(r"<\s*([a-zA-Z][a-zA-Z0-9-]*)")
_HREF = re.compile(r"""(?:href|src)\s*=\s*["']?\s*([^"'\s>]+)""", re.I)
_OPTIONS: dict[str, Any] = {
    "escape_misc": True,
    "escape_asterisks": True,
    "escape_underscores": True,
    "autolinks": False,
    "heading_style": "ATX",
    "bullets": "-",
    "newline_style": "backslash",
}
_BLANKS = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t\r\n]+")


def _relative(dropped: list[str]) -> Callable[[str], str | None]:
    def rewrite(url: str) -> str | None:
        if url.startswith("//"):
            return "https:" + url
        dropped.append(f"relative link '{url[:60]}'")
        return None

    return rewrite


def sanitize(fragment: str, dropped: list[str]) -> str:
    for match in _TAG.finditer(fragment):
        name = match.group(1).lower()
        if name in FORBIDDEN_ELEMENTS:
            dropped.append(f"<{name}>")
    for match in _HREF.finditer(fragment):
        if unsafe_url(match.group(1)):
            dropped.append(f"link '{match.group(1)[:60]}'")
    return nh3.clean(
        fragment,
        tags=IMPORT_TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
        url_relative=_relative(dropped),
    )


def html_to_markdown(fragment: str) -> tuple[str, list[str]]:
    """Markdown for an HTML fragment, and what was dropped on the way."""
    dropped: list[str] = []
    if not fragment or not fragment.strip():
        return "", dropped
    clean = sanitize(fragment, dropped)
    text = _markdown(clean)
    if any(True for _ in body_problems(text)):
        # Cannot happen with the options above; if a converter change ever lets something through,
        # fall back to the bare text rather than publish it.
        dropped.append("markup the policy refuses; kept as plain text")
        text = text_to_markdown(html_to_text(clean))
    return text, sorted(set(dropped))


_MD_LINK = re.compile(r"\[([^\]\n]+)\]\(((?:https?:)?//[^)\s]+|mailto:[^)\s]+)\)")
_MD_STRONG = re.compile(r"\*\*(?=\S)([^*\n]+?)(?<=\S)\*\*")


def markdown_to_html(cell: str) -> str:
    """A spreadsheet cell may mix HTML with Markdown (TimelineJS's sheet template shows both):
    its Markdown links and bold become HTML first, so the conversion keeps them instead of escaping
    their brackets."""
    def link(match: re.Match[str]) -> str:
        return f'<a href="{htmllib.escape(match.group(2))}">{match.group(1)}</a>'

    return _MD_STRONG.sub(r"<strong>\1</strong>", _MD_LINK.sub(link, cell))


def html_to_text(fragment: str) -> str:
    """One line of plain text (titles, names): tags removed, entities decoded, spaces collapsed."""
    fragment = re.sub(r"<\s*br\s*/?\s*>", " ", fragment or "", flags=re.I)
    text = htmllib.unescape(nh3.clean(fragment, tags=set(), clean_content_tags=DROP_WITH_CONTENT))
    return _SPACES.sub(" ", text).strip()


def text_to_markdown(text: str) -> str:
    """Plain text (a spreadsheet cell) as Markdown that shows exactly that text."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    if not paragraphs:
        return ""
    fragment = "".join(f"<p>{htmllib.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return _markdown(fragment)


def _markdown(clean_html: str) -> str:
    text = markdownify.markdownify(clean_html, **_OPTIONS)
    # A '<' of the text comes out as '\<': safe for Markdown, but '\<script' still reads as a tag
    # to the validator's policy, so write it as an entity, which shows the same character.
    text = text.replace("\\<", "&lt;")
    lines = [_readable(line.rstrip(" \t")) for line in text.strip().splitlines()]
    return _BLANKS.sub("\n\n", "\n".join(lines))


_LINE_START = re.compile(r"^\s*(?:>\s*)*$")
_NUMBER_START = re.compile(r"^\s*(?:>\s*)*\d+$")
_ESCAPE = re.compile(r"\\([-+#=~>.)_])")


def _readable(line: str) -> str:
    """markdownify escapes every character that could mean something somewhere; keep the escapes
    that matter (at the start of a line: headings, lists, quotes; '_' between letters stays plain)
    and drop the others, so that people can edit the imported text."""

    def repl(match: re.Match[str]) -> str:
        char, before = match.group(1), line[: match.start()]
        if char in ".)":
            return char if not _NUMBER_START.match(before) else match.group()
        if char == "_":
            after = line[match.end() : match.end() + 1]
            return char if before[-1:].isalnum() and after.isalnum() else match.group()
        return char if not _LINE_START.match(before) else match.group()

    return _ESCAPE.sub(repl, line)
