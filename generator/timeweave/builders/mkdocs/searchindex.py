"""Material's search index, with each page's entries made on the second core.

Material's search plugin parses every page's HTML with `html.parser` when the page is rendered
(`SearchIndex.add_entry_from_context`): a large share of MkDocs' time on our pages, all of it on
the one core MkDocs uses. The entries depend on nothing but the page's HTML, address, title, tags
and table of contents, all known once its Markdown is converted; so the helper process that
sanitizes a page (`sanitize_pages`, run by the runner's helper) also runs Material's own `Parser` and
`create_entry_for_section` on the sanitized HTML and sends the entries back, and the index takes
them, in page order, when MkDocs renders the page. The index is the same, byte for byte (tested).
A page whose HTML changed after it was parsed (by another plugin) is parsed here, as Material would.

The build process holds nothing more than the entries the index would hold anyway: at 10,000
events, keeping Material's parsed sections instead cost a hundred megabytes until the pages were
rendered.

Material 9 is the last version with this plugin API (end of life 2027-05-05); without it, or with
search disabled, nothing here changes anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from timeweave.output.sanitize import sanitize_html

try:  # Material's classes, so that the parse and the entries are theirs, not a copy of them
    from material.plugins.search.plugin import Parser, SearchIndex, SearchPlugin  # type: ignore[import-untyped]  # Material ships no types
except ImportError:  # another theme, or Material without its search plugin
    Parser = SearchIndex = SearchPlugin = None


# Headings of an event page's own sections (templates/_permanence.md.j2) that are Markdown, so that
# the page's table of contents lists them, but that the search index leaves out, as the sections
# under them: Markdown without attr_list cannot mark a heading, so it is marked here. Their ids are
# reserved (content/markup.py): a contributor's body cannot make a heading with one of them.
EXCLUDED_HEADINGS = tuple(f'<h2 id="{anchor}">' for anchor in ("cite-this-event", "versions"))


def exclude_own_headings(html: str) -> str:
    """The page's HTML with those headings marked data-search-exclude (Material's search reads it)."""
    for heading in EXCLUDED_HEADINGS:
        if heading in html:
            html = html.replace(heading, heading[:-1] + " data-search-exclude>", 1)
    return html


@dataclass(frozen=True)
class SearchPage:
    """What Material's create_entry_for_section reads of a page, to send to another process."""

    url: str
    title: Any
    meta: dict[str, Any]  # only the keys it reads: title, tags, search
    toc: Any  # MkDocs' TableOfContents (pickles: plain objects)

    @classmethod
    def of(cls, page: Any) -> SearchPage:
        meta = {key: page.meta[key] for key in ("title", "tags", "search") if key in page.meta}
        return cls(page.url, page.title, meta, page.toc)


def page_entries(html: str, page: SearchPage) -> list[dict[str, Any]] | None:
    """Material's index entries for a page with this HTML (what add_entry_from_context adds)."""
    if Parser is None:
        return None
    if (page.meta.get("search") or {}).get("exclude"):
        return []
    parser = Parser()
    parser.feed(html)
    parser.close()
    index = SearchIndex()
    for section in parser.data:
        if not section.is_excluded():
            index.create_entry_for_section(section, page.toc, page.url, page)
    return list(index.entries)


def search_plugin(plugins: Any) -> Any | None:
    """Material's enabled search plugin among MkDocs' plugins, if any (the build and the preview)."""
    if SearchPlugin is None:
        return None
    for plugin in plugins.values():
        if isinstance(plugin, SearchPlugin) and plugin.config.enabled:
            return plugin
    return None


class ParsedPages:
    """Entries made elsewhere, given to the search index instead of parsing the page again."""

    def __init__(self) -> None:
        # src_uri -> (the exact HTML string the entries were made from, the entries)
        self._made: dict[str, tuple[str, list[dict[str, Any]]]] = {}

    def keep(self, src_uri: str, html: str, entries: list[dict[str, Any]] | None) -> None:
        if entries is not None:
            self._made[src_uri] = (html, entries)

    def install(self, plugin: Any) -> None:
        """Make plugin's search index take the entries made elsewhere (call after its on_config)."""
        index = plugin.search_index
        parse_here = index.add_entry_from_context

        def add_entry_from_context(page: Any) -> None:
            made = self._made.pop(page.file.src_uri, None)
            # Identity, not equality: the string MkDocs holds is the one the entries came from.
            if made is None or made[0] is not page.content:
                parse_here(page)
                return
            index.entries.extend(made[1])
            return None

        index.add_entry_from_context = add_entry_from_context


# What the helper sends back for a page: its key, its sanitized HTML, and, when asked for (a
# SearchPage given), Material's search index entries for that HTML.
Sanitized = tuple[str, str, list[Any] | None]


def sanitize_pages(pages: list[tuple[str, str, SearchPage | None]]) -> list[Sanitized]:
    """The sanitizer's job, for a batch of (key, HTML, what the search index needs of the page)."""
    done = []
    for key, html, search_page in pages:
        clean = sanitize_html(html)
        done.append((key, clean, page_entries(clean, search_page) if search_page is not None else None))
    return done
