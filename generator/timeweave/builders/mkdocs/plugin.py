"""Thin MkDocs adapter: every hook delegates to the core (build.py); nothing here knows content."""

from __future__ import annotations

import dataclasses
import gc
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as opt
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from timeweave.builders.mkdocs import serving
from timeweave.build import BuildResult, build_site_pages, built_elsewhere
from timeweave.site.contributing import PAGE_SRC_URI, guide_page
from timeweave.site.contributing import PAGE_URL as CONTRIBUTING_URL
from timeweave.errors import ContentError, ContentErrors
from timeweave.output.linkcheck import PageReader
from timeweave.site.homepage import HomePageError, home_url
from timeweave.site.maps import SHARED_CSS, SHARED_SCRIPT
from timeweave.site.pages import SiteOptions
from timeweave.site.permanence import check_published, doc_pages, page_modified, published, update_manifest
from timeweave.output.sanitize import SanitizerPool, sanitize_html
from timeweave.builders.mkdocs.searchindex import ParsedPages, SearchPage, search_plugin

# The theme templates every timeline needs (head metadata, reader scripts, sitemap): a site's own
# custom_dir comes first, so any of them can be overridden there.
THEME_DIR = Path(__file__).parent / "theme"

log = logging.getLogger("mkdocs.plugins.timeline")
# Outside the "mkdocs" logger on purpose: strict mode counts that one's warnings, and a checkout
# without git history (a tarball) must still build; it is not a content problem.
notices = logging.getLogger("timeline")


class TimelineConfig(base.Config):
    """The plugin's options in mkdocs.yml (generator/README.md, "Plugin options")."""

    # The folder of events, actors, places, sources and vocabulary.yml, relative to mkdocs.yml.
    content_dir = opt.Type(str, default="content")
    # Entries on each page of the timeline, month, type and tag lists and of the record indexes.
    page_size = opt.Type(int, default=100)
    # A Markdown file relative to mkdocs.yml (e.g. CONTRIBUTING.md) published as /contributing/; "" for none.
    contributing = opt.Type(str, default="")
    # The published-URL manifest relative to mkdocs.yml (e.g. published-urls.txt): every URL in it must
    # still answer, and `timeweave build` adds the new ones. Unset: no URL is checked or recorded.
    manifest = opt.Optional(opt.Type(str))
    # The page of one version of a file at repo_url, from {repo}, {commit} and {path}, e.g.
    # "{repo}/blob/{commit}/{path}". Unset: guessed for GitHub, GitLab, Codeberg and Bitbucket.
    version_url = opt.Optional(opt.Type(str))
    # Map tile URL template ({z}, {x}, {y}); "" draws maps without tiles (no third-party requests).
    map_tiles = opt.Type(str, default=SiteOptions.map_tiles)
    # The tiles' attribution (HTML) shown on every map.
    map_attribution = opt.Type(str, default=SiteOptions.map_attribution)
    # The Markdown path below docs_dir of the timeline's overview page. Unset: index.md (the site's
    # home page), or timeline/overview.md when docs_dir has a home page of its own (site/homepage.py).
    home_page = opt.Optional(opt.Type(str))


class TimelinePlugin(BasePlugin[TimelineConfig]):
    result: BuildResult | None = None
    serving = False                     # `mkdocs serve`: content errors must not stop the preview
    good = False                        # self.result comes from a build without content errors
    content_errors: Sequence[ContentError] = ()
    record_urls = False  # add this build's URLs to the manifest: set by `python -m timeweave build`
    # Set by `python -m timeweave build` (one full build, then the process ends): use the second
    # core for the sanitizer and, when link_base is set, for the link check's reading of pages.
    helper_processes = False
    link_base: str | None = None
    page_reader: PageReader | None = None
    sanitizer_pool: SanitizerPool | None = None
    search: Any = None  # Material's search plugin, when the sanitizer pool makes its entries
    # Where a full build's child process writes the pages and files (set by cli.atomic_build, which
    # also removes it, or the next build does if this one was killed).
    pages_folder: Path | None = None
    published_urls: list[str] | None = None  # worked out by that child, which kept the catalog
    home_url = ""  # where this build publishes the overview (the home_page option)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remember whether this is a preview. Having this hook also makes MkDocs keep the plugin
        across rebuilds, which is what lets a preview keep its last good pages."""
        self.serving = command == "serve"
        self.result, self.good, self.content_errors = None, False, ()

    def _keep_serving(self, config: MkDocsConfig, errors: Sequence[ContentError]) -> None:
        serving.tell(serving.report(errors, kept=self.good))
        self.content_errors = errors
        if not self.good:
            docs = Path(config.docs_dir)
            missing = [uri for uri in ["index.md", *serving.nav_pages(config.nav)]
                       if not (docs / uri).exists() and uri != PAGE_SRC_URI]
            self.result = BuildResult(None, serving.error_pages(errors, missing))  # type: ignore[arg-type]

    def _content_dir(self, config: MkDocsConfig) -> Path:
        return (Path(config.config_file_path).parent / self.config.content_dir).resolve()

    @event_priority(50)  # before other plugins read config, after theme setup
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Load and validate the content; a bad file stops the build with every error listed."""
        self._unsanitized: dict[str, Page] = {}
        self._parsed = ParsedPages()
        if self.config.page_size < 1:
            raise PluginError(f"timeline: page_size must be at least 1, not {self.config.page_size}")
        if not config.use_directory_urls:
            raise PluginError("timeline: use_directory_urls must stay true (published URLs are /events/<id>/)")
        root = Path(config.config_file_path).parent.resolve()
        options = SiteOptions(site_name=config.site_name, page_size=self.config.page_size,
                              repo_url=config.repo_url, site_url=config.site_url or None,
                              description=config.site_description or "")
        options = dataclasses.replace(options, version_url=self.config.version_url)
        options = dataclasses.replace(options, map_tiles=self.config.map_tiles,
                                      map_attribution=self.config.map_attribution)
        try:
            self.home_url = home_url(self.config.home_page, doc_pages(Path(config.docs_dir)))
        except HomePageError as exc:
            raise PluginError(f"timeline: {exc}") from None
        options = dataclasses.replace(options, home_url=self.home_url)
        override_dir = Path(config.theme.custom_dir) if config.theme.custom_dir else None
        if str(THEME_DIR) not in config.theme.dirs:  # after the site's custom_dir, before Material's
            config.theme.dirs.insert(1 if override_dir else 0, str(THEME_DIR))
        content_dir = self._content_dir(config)

        def build() -> BuildResult:
            return build_site_pages(content_dir, options, override_dir, root)

        broken: list[ContentError] | None = None
        self.published_urls = None
        try:
            elsewhere = None
            if self.helper_processes and self.pages_folder is not None and hasattr(os, "fork"):
                # One full build, then the process ends: the pages are made by a child process, so
                # that the memory they took is free again before MkDocs needs as much (build.py).
                elsewhere = built_elsewhere(build, self.pages_folder, lambda result: (
                    self._check_manifest(config, result), self._published(config, result)))
            if elsewhere is not None:
                self.result, (broken, self.published_urls) = elsewhere
            else:
                self.result = build()  # a failed child ends here too, which reports its errors
        except ContentErrors as exc:
            if self.serving:
                self._keep_serving(config, exc.errors)
                return config
            raise PluginError(f"content is not valid:\n{exc}") from None
        for notice in self.result.notices:
            notices.warning("timeline: %s", notice)
        if broken is None:
            broken = self._check_manifest(config, self.result)
        if broken:
            if self.serving:
                self._keep_serving(config, broken)
                return config
            raise PluginError(f"content is not valid:\n{ContentErrors(broken)}")
        self.good, self.content_errors = True, ()
        if self.helper_processes:
            # What this process holds now (the build's result, MkDocs' configuration, every module)
            # lives until this one build ends: the cyclic collector need not walk it again at every
            # full collection MkDocs triggers, nor touch its pages in the forked helpers.
            gc.freeze()
            # Started only now: page generation forks only while this process has no other thread.
            self.sanitizer_pool = SanitizerPool()
            self.search = search_plugin(config.plugins)
            if self.link_base is not None:
                self.page_reader = PageReader(self.link_base)
        # The map script is on every page; it loads Leaflet only where a page has a map.
        if SHARED_SCRIPT not in [str(s) for s in config.extra_javascript]:
            config.extra_javascript.append(SHARED_SCRIPT)
        if SHARED_CSS not in config.extra_css:
            config.extra_css.append(SHARED_CSS)
        for warning in self.result.warnings:
            (serving.tell if self.serving else log.warning)(warning.format())
        return config

    def _manifest(self, config: MkDocsConfig) -> Path | None:
        if not self.config.manifest:
            return None
        return Path(config.config_file_path).parent.resolve() / self.config.manifest

    def _feature_pages(self) -> list[str]:
        return ([CONTRIBUTING_URL] if self.config.contributing else []) + [self.home_url]

    def _check_manifest(self, config: MkDocsConfig, result: BuildResult) -> list[ContentError]:
        manifest = self._manifest(config)
        if manifest is None:
            return []
        return check_published(result.catalog, manifest, Path(config.docs_dir),
                               Path(config.config_file_path).parent.resolve(), self._content_dir(config),
                               result.history, self._feature_pages())

    def _published(self, config: MkDocsConfig, result: BuildResult) -> list[str]:
        return published(result.catalog, doc_pages(Path(config.docs_dir)), self._feature_pages())

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Add the generated pages; record pages stay out of the navigation."""
        assert self.result is not None
        for page in self.result.pages:
            if files.get_file_from_path(page.src_uri) is not None:
                raise PluginError(f"timeline: docs/{page.src_uri} is written by hand and also generated; "
                                  "remove one")
            inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(self._generated(config, page.src_uri, page.content, inclusion))
        for generated in self.result.files:
            files.append(self._generated(config, generated.path, generated.content))
        if self.config.contributing:
            guide = Path(config.config_file_path).parent / self.config.contributing
            page = guide_page(guide.read_text(encoding="utf-8"))
            files.append(File.generated(config, page.src_uri, content=page.content))
        return files

    def _generated(self, config: MkDocsConfig, path: str, content: str | bytes,
                   inclusion: InclusionLevel = InclusionLevel.UNDEFINED) -> File:
        """A generated file, read by MkDocs from where the build's child wrote it, if it did."""
        assert self.result is not None
        written = self.result.source_of(path)
        if written is not None:
            return File.generated(config, path, abs_src_path=str(written), inclusion=inclusion)
        return File.generated(config, path, content=content, inclusion=inclusion)

    @event_priority(-100)  # last: this is the HTML MkDocs writes
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if self.page_reader is not None:
            self.page_reader.add_page(page.file.dest_uri, output)
        if self.helper_processes:
            # MkDocs writes `output` and never reads this page's Markdown or HTML again, yet keeps
            # both to the end: at 10,000 events, a third of a gigabyte freed page by page.
            page.markdown, page.content = None, None
        return output

    @event_priority(-100)  # last, so nothing another plugin adds escapes the sanitizer
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.sanitizer_pool is not None:  # sanitized in the pool; put back as soon as done
            self._unsanitized[page.file.src_uri] = page
            indexed = self.search is not None and not (page.meta.get("search") or {}).get("exclude")
            search_page = SearchPage.of(page) if indexed else None
            for src_uri, sanitized, entries in self.sanitizer_pool.add((page.file.src_uri, html, search_page)):
                self._put_back(src_uri, sanitized, entries)
            # MkDocs assigns what this returns: this page's sanitized HTML if it already came back.
            return html if page.file.src_uri in self._unsanitized else str(page.content)
        return self._with_banner(sanitize_html(html))

    def _put_back(self, src_uri: str, sanitized: str, entries: list[Any] | None) -> None:
        page = self._unsanitized.pop(src_uri)
        page.content = self._with_banner(sanitized)
        self._parsed.keep(src_uri, page.content, entries)

    def _with_banner(self, html: str) -> str:
        if self.content_errors:  # preview only: the errors on top of every page (escaped)
            html = serving.banner(self.content_errors) + html
        return html

    @event_priority(100)  # first: no other plugin may see a page before it is sanitized
    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        if self.sanitizer_pool is not None:
            for src_uri, sanitized, entries in self.sanitizer_pool.results():
                self._put_back(src_uri, sanitized, entries)
            for page in self._unsanitized.values():  # none should be left; never written as it was
                page.content = self._with_banner(sanitize_html(page.content or ""))
            self._unsanitized = {}
            if self.search is not None:  # its index exists now (made in its on_config)
                self._parsed.install(self.search)
            # Every page's Markdown, HTML and table of contents now live until the build ends too
            # (collected first, so that no garbage is frozen with them).
            gc.collect()
            gc.freeze()
        return env

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Dates from git, never the clock: the sitemap's lastmod and MkDocs' own update_date."""
        root = Path(config.config_file_path).parent.resolve()
        # A generated page has no file of its own in git (the child build writes it to a folder).
        source = (Path(page.file.abs_src_path).resolve()
                  if page.file.abs_src_path and not page.file.generated_by else None)
        doc_path = source.relative_to(root).as_posix() if source and source.is_relative_to(root) else None
        modified = page_modified(self.result.history if self.result else None, page.meta, doc_path)
        if modified:
            page.meta["tl_modified"] = modified
            page.update_date = modified[:10]
        return markdown

    def on_post_build(self, config: MkDocsConfig) -> None:
        """Record this build's permanent URLs in the manifest (only for a real build, see cli.py)."""
        manifest = self._manifest(config)
        if not (self.record_urls and manifest is not None and self.result is not None and self.good):
            return
        urls = self.published_urls if self.published_urls is not None else self._published(config, self.result)
        if update_manifest(manifest, urls):
            log.info(f"timeline: new published URLs recorded in {manifest.name}")

    def end_full_build(self) -> PageReader | None:
        """After `python -m timeweave build`: stop the helper processes and hand over the link check's reader (see cli.atomic_build)."""
        reader = self.page_reader
        if self.sanitizer_pool is not None:
            self.sanitizer_pool.close()
        self.helper_processes, self.link_base, self.pages_folder = False, None, None
        self.page_reader = self.sanitizer_pool = self.search = None
        gc.unfreeze()  # what on_config and on_env froze for this build may be collected again
        return reader

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self._content_dir(config)))
        if self.config.contributing:
            server.watch(str(Path(config.config_file_path).parent / self.config.contributing))
        return server
