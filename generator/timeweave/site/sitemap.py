"""sitemap.xml from the pipeline's own page list, so that every builder publishes the same one.

A theme template cannot do it for every builder: MkDocs' loops over `file.page`, which Zensical
does not have. Search engines accept only absolute <loc>s, so a site without site_url gets none
(the build says so once); <lastmod> comes from git, never from the clock (permanence.page_modified).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

from timeweave import urls
from timeweave.content.history import History
from timeweave.site.pages import GeneratedPage
from timeweave.site.permanence import doc_pages, page_modified

NO_SITE_URL = ("no site_url in the configuration: no sitemap.xml was written (search engines "
               "accept only absolute URLs in one)")


def sitemap_entries(pages: Iterable[GeneratedPage], doc_pages: Iterable[tuple[str, str]],
                    history: History | None) -> list[tuple[str, str | None]]:
    """(site-relative URL, last modified) of every page a reader may land on, in URL order.
    doc_pages: (src URI, path from the project root) of each hand-written page. Tombstones of
    withdrawn records are left out (they ask not to be indexed)."""
    entries = {page.url: page_modified(history, {"tl_modified": page.modified}, None)
               for page in pages if page.in_sitemap}
    for src_uri, path in doc_pages:
        entries[urls.doc_page_url(src_uri)] = page_modified(history, {}, path)
    return sorted(entries.items())


def sitemap_xml(site_url: str, entries: Iterable[tuple[str, str | None]]) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url, modified in entries:
        lastmod = f"<lastmod>{escape(modified)}</lastmod>" if modified else ""
        lines.append(f"<url><loc>{escape(urls.absolute(site_url, url))}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def sitemap_file(site_url: str | None, pages: Iterable[GeneratedPage], docs_dir: Path, root: Path,
                 history: History | None) -> bytes | None:
    """The site's sitemap.xml, or None for a site without an address (it cannot have one)."""
    if not site_url:
        return None
    docs = [(uri, (docs_dir / uri).relative_to(root).as_posix() if (docs_dir / uri).is_relative_to(root) else uri)
            for uri in doc_pages(docs_dir)]
    return sitemap_xml(site_url, sitemap_entries(pages, docs, history))
