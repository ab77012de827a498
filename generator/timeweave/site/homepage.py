"""Where the timeline's home page goes: its overview (figures, latest events, most involved actors).

A timeline site has the overview as its home page. A MkDocs project that already has a home page
of its own keeps it, and the overview is published beside the timeline's list of events instead,
so that adding the plugin to an existing project changes none of its pages. Every other page of
the timeline keeps its URL either way.
"""

from __future__ import annotations

from collections.abc import Collection

from timeweave import urls
from timeweave.catalog.catalog import Catalog

SITE_HOME = "index.md"
BESIDE_OWN_HOME = "timeline/overview.md"
# MkDocs publishes docs/README.md as the home page when there is no docs/index.md.
OWN_HOME_PAGES = ("index.md", "README.md")
OVERVIEW_TITLE = "Timeline overview"  # the site's name would be the title of the project's own home


class HomePageError(ValueError):
    pass


def home_page(configured: str | None, doc_src_uris: Collection[str]) -> str:
    """The Markdown path of the overview: the configured one, else the site's home unless the
    hand-written pages (src URIs below docs_dir) have a home page of their own."""
    if configured is not None:
        return configured
    return BESIDE_OWN_HOME if any(name in doc_src_uris for name in OWN_HOME_PAGES) else SITE_HOME


def home_url(configured: str | None, doc_src_uris: Collection[str]) -> str:
    """The site-relative URL of the overview ("" for the site's home); HomePageError for a path
    it cannot be published at."""
    src = home_page(configured, doc_src_uris)
    parts = src.split("/")
    if not src.endswith(".md") or src.startswith("/") or "" in parts or ".." in parts or "." in parts:
        raise HomePageError(f"home_page must be a Markdown path below docs_dir such as "
                            f"{BESIDE_OWN_HOME}, not '{src}'")
    url = urls.doc_page_url(src)
    # Every generated page's file is named after its URL; a folder's index.md would not be.
    if urls.src_uri(url) != src:
        raise HomePageError(f"home_page '{src}': name the page '{urls.src_uri(url)}' instead")
    if src in doc_src_uris:
        raise HomePageError(f"home_page '{src}' is a hand-written page of docs_dir already; "
                            "choose another path")
    return url


def top_actors(catalog: Catalog, limit: int) -> list[tuple[str, int]]:
    """Actors with the most events; ties broken by id so the order never changes between builds."""
    counts = [(actor_id, len(entries)) for actor_id, entries in catalog.actor_events.items()]
    return sorted(counts, key=lambda item: (-item[1], item[0]))[:limit]
