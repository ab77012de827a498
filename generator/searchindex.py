"""Material's search index, with each page's HTML parsed on the second core.

Material's search plugin parses every page's HTML with `html.parser` when the page is rendered
(`SearchIndex.add_entry_from_context`): about a third of MkDocs' time on our pages, all of it on
the one core MkDocs uses. The parse depends on nothing but the HTML, so the helper process that
sanitizes a page (sanitize.SanitizerPool) also runs Material's own `Parser` on the sanitized HTML
and sends the sections back; the entries are then made here, in page order, by Material's own
`create_entry_for_section`. The index is the same, byte for byte (tested). A page whose HTML
changed after it was parsed (by another plugin) is parsed here, as Material would.

Material 9 is the last version with this plugin API (end of life 2027-05-05); without it, or with
search disabled, nothing here changes anything.
"""

from __future__ import annotations

from typing import Any

try:  # Material's classes, so that the parse is theirs, not a copy of it
    from material.plugins.search.plugin import Parser, SearchPlugin
except ImportError:  # another theme, or Material without its search plugin
    Parser = SearchPlugin = None


def parse_sections(html: str) -> list[Any] | None:
    """Material's sections of a page's HTML (what add_entry_from_context parses), or None."""
    if Parser is None:
        return None
    parser = Parser()
    parser.feed(html)
    parser.close()
    for section in parser.data:
        # Held until the page is indexed: one string instead of hundreds of fragments. Material
        # joins them anyway; an empty list stays empty (it then uses the page title).
        section.title = ["".join(section.title)] if section.title else []
        section.text = ["".join(section.text)] if section.text else []
    return list(parser.data)


def search_plugin(plugins: Any) -> Any | None:
    """Material's enabled search plugin among MkDocs' plugins, if any."""
    if SearchPlugin is None:
        return None
    for plugin in plugins.values():
        if isinstance(plugin, SearchPlugin) and plugin.config.enabled:
            return plugin
    return None


class ParsedPages:
    """Sections parsed elsewhere, given to the search index instead of parsing the page again."""

    def __init__(self) -> None:
        # src_uri -> (the exact HTML string that was parsed, its sections)
        self._parsed: dict[str, tuple[str, list[Any]]] = {}

    def keep(self, src_uri: str, html: str, sections: list[Any] | None) -> None:
        if sections is not None:
            self._parsed[src_uri] = (html, sections)

    def install(self, plugin: Any) -> None:
        """Make plugin's search index take the parsed sections (call after its on_config)."""
        index = plugin.search_index
        parse_here = index.add_entry_from_context

        def add_entry_from_context(page: Any) -> None:
            parsed = self._parsed.pop(page.file.src_uri, None)
            # Identity, not equality: the string MkDocs holds is the one that was parsed.
            if parsed is None or parsed[0] is not page.content:
                return parse_here(page)
            # The rest of Material's add_entry_from_context, unchanged.
            search = page.meta.get("search") or {}
            if search.get("exclude"):
                return None
            for section in parsed[1]:
                if not section.is_excluded():
                    index.create_entry_for_section(section, page.toc, page.url, page)
            return None

        index.add_entry_from_context = add_entry_from_context
