"""The headings and admonitions a body may have (the rest of the body policy is in policy.py).

The page draws its own sections around a body (Sources, Cite this event, Versions on an event
page), and Python-Markdown's toc extension gives every heading on the page an id from its text,
the first one written taking the plain id: a body heading 'Sources' would take 'sources' and push
the real section to 'sources_1', out from under every link to it. The page's title is its only
level 1 heading. An admonition's words after its type are classes, and the theme's classes
(md-dialog, drawn over every page) and the page's own (tl-withdrawn, the withdrawal notice) are
among them: a body writes one type from a list and no classes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator

# What comes before a block's text on its line: a reference definition, heading or admonition
# inside a quote or a list item is one too. Possessive, so a long run of spaces is tried one way.
BLOCK_PREFIX = r"(?:[ \t>]|[*+-][ \t]|\d{1,9}[.)][ \t])*+"
_SETEXT_HEADING = re.compile(r"^ {0,3}(\S[^\n]*)\n {0,3}(?:=+|-+)[ \t]*$", re.M)
# Python-Markdown needs no space after the '#' ('#Sources' is a heading) and finds headings in
# quotes and list items as well.
_ANY_ATX = re.compile(rf"^{BLOCK_PREFIX}(#{{1,6}})([^#\n][^\n]*|)$", re.M)
_ADMONITION = re.compile(rf"^{BLOCK_PREFIX}!!! ?([\w-]+(?: +[\w-]+)*)(?: +\"[^\n]*?\")? *$", re.M)

# Material's standard admonition types (the ones CONTRIBUTING.md names). The annotation kinds of a
# site's vocabulary are drawn by the event template from its annotations field, mapped onto these:
# a body is checked before the vocabulary is read, and the kinds' classes (tl-annotation--...)
# belong to the template.
ADMONITION_TYPES = ("note", "abstract", "info", "tip", "success", "question", "warning", "failure",
                    "danger", "bug", "example", "quote")
# The ids the record templates give their own sections (site/templates/event.md.j2,
# _permanence.md.j2, actor.md.j2, place.md.j2, source.md.j2), as the toc extension slugifies them;
# a body heading with the same slug would take the id and push the section's to '_1'.
SECTION_IDS = frozenset({"account", "annotations", "casualties", "sources", "related-events",
                         "before-and-after-same-actors", "cite-this-event", "versions", "profile", "map",
                         "about", "note-on-the-source"})
# Sections whose heading ends with a count: 'Events (12)' is 'events-12'.
_COUNTED_SECTION_ID = re.compile(r"^(?:events|events-here|events-citing-this-source)-\d+$")


def _heading_slugs(text: str) -> set[str]:
    """The anchors the toc extension may make of a heading's text: emphasis and link syntax are
    not in the rendered text it slugifies, so both readings are tried."""
    from markdown.extensions.toc import slugify  # here: validate need not import Markdown otherwise

    text = re.sub(r"<[^>]*>", "", html.unescape(text))
    plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    plain = re.sub(r"[*_`~]", "", plain)
    return {slugify(text, "-"), slugify(plain, "-")}


def heading_problems(body: str, line_at: Callable[[int], int]) -> Iterator[tuple[int, str, str]]:
    if "#" not in body and "\n=" not in body and "\n-" not in body and "\n " not in body:
        return
    headings: list[tuple[int, int, str]] = []  # position, level, text
    for match in _ANY_ATX.finditer(body) if "#" in body else ():
        prefix = body[match.start():match.start(1)]
        # Indentation alone may be a code block, where '# ' starts a comment: such a line is held to
        # the rules of a heading in a list item (its anchor), not to the level a code block has not.
        code = prefix.strip(" \t") == "" and len(prefix.expandtabs(4)) >= 4
        level = 2 if code else len(match.group(1))
        headings.append((match.start(1), level, match.group(2).strip().rstrip("#").strip()))
    for match in _SETEXT_HEADING.finditer(body):
        underline = body[match.end(1):match.end()].strip()
        headings.append((match.start(1), 1 if underline.startswith("=") else 2, match.group(1).strip()))
    for start, level, text in headings:
        if level == 1:
            yield (line_at(start), "a heading of level 1 ('#' or a '=' underline) is not allowed in an account",
                   "the page's title is its only level 1 heading; start headings at '##'")
        slugs = _heading_slugs(text)
        if any(slug.startswith("_") for slug in slugs) or re.sub(r"[^\w\s-]", "", text).lstrip().startswith("_"):
            yield (line_at(start), "a heading cannot start with '_'",
                   "its anchor would start with '_', like the theme's own element ids")
        taken = sorted(slug for slug in slugs if slug in SECTION_IDS or _COUNTED_SECTION_ID.match(slug))
        if taken:
            yield (line_at(start), f"the heading '{text[:60]}' would take the id '{taken[0]}' of the page's own "
                   "section", f"rename the heading; '#{taken[0]}' is a section the page draws itself "
                   "(e.g. 'Sources consulted' instead of 'Sources')")


def admonition_problems(body: str, line_at: Callable[[int], int]) -> Iterator[tuple[int, str, str]]:
    if "!!!" not in body:
        return
    hint = "write '!!! type' or '!!! type \"Title\"' with one of: " + ", ".join(ADMONITION_TYPES)
    for match in _ADMONITION.finditer(body):
        kind, *extra = match.group(1).split()
        if kind.lower() not in ADMONITION_TYPES:
            yield (line_at(match.start(1)), f"admonition type '{kind[:40]}' is not allowed", hint)
        if extra:
            yield (line_at(match.start(1)), f"an admonition takes no extra classes ('{' '.join(extra)[:60]}')",
                   hint)
