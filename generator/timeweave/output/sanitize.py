"""Second line of defence: rendered page HTML goes through nh3 (Ammonia) with an allow-list.

The validator already refuses unsafe Markdown with a clear error; this catches whatever a future
Markdown extension, a template override or a parser quirk lets through. Our own templates only
emit markup in this allow-list, so a page's HTML is unchanged by it unless something is wrong.
"""

from __future__ import annotations

import re
from typing import Any

import nh3

from timeweave.parallel.worker import BatchedWorker

ALLOWED_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "nav", "ol", "p", "pre", "q", "s",
    "samp", "section", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "time", "tr", "u", "ul", "article", "aside", "header", "footer",
}
_COMMON = {"class", "id", "lang", "dir", "title", "role", "aria-label", "aria-hidden", "aria-describedby",
           "aria-labelledby", "tabindex"}
ALLOWED_ATTRIBUTES = {
    "*": _COMMON,
    "a": {"href", "rel", "hreflang", "download"},
    "img": {"src", "alt", "width", "height", "loading"},
    "time": {"datetime"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "reversed"},
    "li": {"value"},
    "details": {"open"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
DATA_ATTRIBUTE_PREFIX = "data-"


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    # Material looks its own elements up by id (its configuration is read from `#__config`, which
    # decides where the search index is fetched from); an id starting with '__' in the content
    # would come first in the document and be found instead.
    if attribute in ("id", "for") and value.startswith("__"):
        return None
    # An image from another host makes every reader's browser report to that host.
    if element == "img" and attribute == "src" and _EXTERNAL.match(value):
        return None
    return value


_EXTERNAL = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|\\\\)")


# Conservative: any id/for whose value could start with '__' (an entity could spell it), any image.
_NEEDS_FILTER = re.compile(r"""<\s*img|\b(?:id|for)\s*=\s*["']?\s*(?:_|&)""", re.I)


def sanitize_html(html: str) -> str:
    # The filter is a Python call per attribute; only pages that could need it pay for it.
    needs_filter = _NEEDS_FILTER.search(html) is not None
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter if needs_filter else None,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
        generic_attribute_prefixes={DATA_ATTRIBUTE_PREFIX},
    )


# What the helper process sends back for a page: its key, its sanitized HTML, and, when asked for
# (a searchindex.SearchPage given), Material's search index entries for that HTML.
Sanitized = tuple[str, str, list[Any] | None]


def _sanitize_many(pages: list[tuple[str, str, Any]]) -> list[Sanitized]:
    from timeweave.builders.mkdocs.searchindex import page_entries  # Material and MkDocs: not for the validator's start-up

    done = []
    for key, html, search_page in pages:
        clean = sanitize_html(html)
        done.append((key, clean, page_entries(clean, search_page) if search_page is not None else None))
    return done


class SanitizerPool(BatchedWorker):
    """Sanitizes in a second process while MkDocs renders the next pages: nh3 holds the GIL, and
    MkDocs uses one core. The same process makes each sanitized page's search index entries when
    asked (see searchindex.py). Only for a full build (`python -m timeweave build`), where the plugin
    puts each page's sanitized HTML back as soon as it comes (TimelinePlugin.on_page_content) and
    the rest before anything reads them (on_env); a page whose result is missing is sanitized in
    this process, never left as it was."""

    def __init__(self) -> None:
        super().__init__(_sanitize_many, batch=32)

    def results(self) -> list[Sanitized]:
        """The pages add() has not returned yet."""
        try:
            return self.finish()
        finally:
            self.close()
