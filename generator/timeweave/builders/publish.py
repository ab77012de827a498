"""After any builder: the steps a built site goes through before it replaces the published one.

Both builders end here (builders/mkdocs/build.py, builders/zensical/build.py), and `timeweave
build` runs `after_build` and then swaps the staging folder in (cli/build.py). A new step over the
built site is one more function in POST_BUILD.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from timeweave.output.assets import drop_unloaded_theme_files
from timeweave.output.linkcheck import BrokenLink, BrokenLinks, PageReader, Unfinished, check_site, check_unfinished
from timeweave.output.sanitize import sanitize_built_page
from timeweave.output.search import BUNDLE_DIR, index_site
from timeweave.parallel.runner import Runner
from timeweave.project import Project
from timeweave.site.permanence import update_manifest

log = logging.getLogger("mkdocs.plugins.timeline")


@dataclass
class Built:
    """What a builder made in its staging folder, and what the steps after it need to know."""

    project: Project | None  # None for a site without the timeline plugin
    site_url: str | None
    published_urls: list[str] = field(default_factory=list)
    # True when the builder sanitized each page's content as it rendered it (the MkDocs plugin
    # does, on the second core); False: the sanitizer reads the built pages.
    sanitized: bool = False
    page_reader: PageReader | None = None  # a link check that read the pages as they were written
    # The link check of everything but the search index's bundle, begun before the index (index_search).
    checking: Callable[[], tuple[list[BrokenLink], Unfinished]] | None = None

    def broken_links(self, site: Path, runner: Runner) -> list[BrokenLink]:
        if self.checking is not None:
            broken, later = self.checking()
            into_bundle = check_unfinished(site, BUNDLE_DIR, later)
            if into_bundle is not None:
                return sorted(broken + into_bundle)
            return check_site(site, runner, site_url=self.site_url)
        if self.page_reader is not None:
            return self.page_reader.check(site, self.site_url)
        return check_site(site, runner, site_url=self.site_url)

    def close(self) -> None:
        if self.page_reader is not None:
            self.page_reader.close()


@dataclass(frozen=True)
class Publishing:
    staging: Path  # the built site, not yet published
    target: Path  # where it will be published (for messages)
    runner: Runner
    linkcheck: bool = True
    record_urls: bool = False


def sanitize_pages(built: Built, how: Publishing) -> None:
    """Every built page's content through the sanitizer, unless the builder did it already."""
    if built.sanitized:
        return
    for dirpath, _dirnames, filenames in os.walk(how.staging):
        for name in filenames:
            if name.endswith(".html"):
                path = Path(dirpath) / name
                document = path.read_text(encoding="utf-8")
                clean = sanitize_built_page(document)
                if clean != document:  # a new file, never the old one rewritten: it may be a link
                    partial = path.with_name(f".{name}.part")  # into the page cache (mkdocs/cached.py)
                    partial.write_text(clean, encoding="utf-8")
                    os.replace(partial, path)


def drop_unloaded_assets(built: Built, how: Publishing) -> None:
    """The theme's files that no page loads (output/assets.py), out of the site."""
    drop_unloaded_theme_files(how.staging)


def index_search(built: Built, how: Publishing) -> None:
    """The Pagefind index over the sanitized pages, before the link check: pages link to its bundle.
    Where a process of its own read the pages (built.page_reader), it checks every other link
    meanwhile: Pagefind runs in processes of its own, and leaves part of a core free."""
    if how.linkcheck and built.page_reader is not None:
        built.checking = built.page_reader.check_but(how.staging, BUNDLE_DIR, built.site_url)
    index_site(how.staging, how.target)  # the parts whose pages did not change are the published ones


def check_links(built: Built, how: Publishing) -> None:
    """Every internal link and anchor answers (raises BrokenLinks)."""
    if how.linkcheck:
        broken = built.broken_links(how.staging, how.runner)
        if broken:
            raise BrokenLinks(broken, how.target)


def record_urls(built: Built, how: Publishing) -> None:
    """The real site's URLs are kept for ever: recorded only now, once the build will be published,
    so a build stopped by a step before adds nothing to the manifest."""
    manifest = built.project.manifest if built.project is not None else None
    if how.record_urls and manifest is not None and update_manifest(manifest, built.published_urls):
        log.info(f"timeline: new published URLs recorded in {manifest.name}")


POST_BUILD: tuple[Callable[[Built, Publishing], None], ...] = (sanitize_pages, drop_unloaded_assets, index_search,
                                                                 check_links, record_urls)


def after_build(built: Built, how: Publishing) -> None:
    """Run every step, in order; the first that raises stops the site from being published."""
    for step in POST_BUILD:
        step(built, how)
