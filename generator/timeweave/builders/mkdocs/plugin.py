"""The MkDocs adapter: the `timeline` plugin. Each hook only hands over to the pipeline (build.py)
or to the builder-neutral steps around it; nothing here knows content.

Used two ways:
- inside any MkDocs build (`mkdocs build`, `mkdocs serve`): the plugin runs the pipeline in
  on_config and gives MkDocs the pages and files it made;
- by `timeweave build` (builders/mkdocs/build.py), which wraps MkDocs' build in `full_build()`: one
  build, then the process ends, so the build may use the second core (helpers) and keep what it
  made frozen for the collector. That context manager is the only thing the command line uses.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as opt
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from timeweave.build import BuildResult, build, write_out
from timeweave.builders.mkdocs import chrome, serving
from timeweave.builders.mkdocs.blocks import PageBlocks
from timeweave.builders.mkdocs.cached import CachedPages, usable
from timeweave.builders.mkdocs.searchindex import (
    ParsedPages,
    SearchPage,
    exclude_own_headings,
    sanitize_pages,
    search_plugin,
)
from timeweave.errors import ContentError, ContentErrors
from timeweave.output.assets import drop_unloaded_theme_files
from timeweave.output.compact import compact_html
from timeweave.output.linkcheck import PageReader
from timeweave.output.sanitize import sanitize_html
from timeweave.output.search import index_site
from timeweave.parallel.runner import ForkedRunner, Runner, Worker
from timeweave.project import Project, TimelineSettings
from timeweave.site.contributing import PAGE_SRC_URI
from timeweave.site.homepage import HomePageError
from timeweave.site.maps import SHARED_CSS, SHARED_SCRIPT
from timeweave.site.pages import GeneratedPage
from timeweave.site.permanence import page_modified
from timeweave.site.reader import PAGE_CSS
from timeweave.urls import SITEMAP_URL

# The theme templates every timeline needs (head metadata, reader scripts): a site's own
# custom_dir comes first, so any of them can be overridden there.
THEME_DIR = Path(__file__).parent / "theme"
_DEFAULTS = TimelineSettings()

# Outside the "mkdocs" logger on purpose: strict mode counts that one's warnings, and a checkout
# without git history (a tarball) must still build; it is not a content problem.
notices = logging.getLogger("timeline")


class TimelineConfig(base.Config):  # type: ignore[no-untyped-call]  # MkDocs' Config.__init_subclass__ is untyped
    """The plugin's options: TimelineSettings (project.py) documents each; the defaults are its."""

    content_dir = opt.Type(str, default=_DEFAULTS.content_dir)
    page_size = opt.Type(int, default=_DEFAULTS.page_size)
    contributing = opt.Type(str, default=_DEFAULTS.contributing)
    manifest = opt.Optional(opt.Type(str))
    version_url = opt.Optional(opt.Type(str))
    map_tiles = opt.Type(str, default=_DEFAULTS.map_tiles)
    map_attribution = opt.Type(str, default=_DEFAULTS.map_attribution)
    home_page = opt.Optional(opt.Type(str))
    feed_entries = opt.Type(int, default=_DEFAULTS.feed_entries)
    record_feed_entries = opt.Type(int, default=_DEFAULTS.record_feed_entries)
    data_license = opt.Optional(opt.Type(str))


def project_of(config: MkDocsConfig, options: TimelineConfig) -> Project:
    """The project as MkDocs has read it (paths resolved, the theme's custom_dir included)."""
    root = Path(config.config_file_path).parent.resolve()
    settings = TimelineSettings(
        content_dir=options.content_dir, page_size=options.page_size, contributing=options.contributing,
        manifest=options.manifest, version_url=options.version_url, map_tiles=options.map_tiles,
        map_attribution=options.map_attribution, home_page=options.home_page,
        feed_entries=options.feed_entries, record_feed_entries=options.record_feed_entries,
        data_license=options.data_license)
    docs = Path(config.docs_dir)
    return Project.make(root, settings, site_name=config.site_name, site_url=config.site_url,
                        repo_url=config.repo_url, description=config.site_description or "",
                        docs_dir=str(docs.relative_to(root)) if docs.is_relative_to(root) else str(docs),
                        custom_dir=config.theme.custom_dir)


@dataclass
class FullBuild:
    """What one `timeweave build` sets up around MkDocs' build, and what it learns from it."""

    runner: Runner
    scratch: Path  # where the pipeline's child writes pages and files for MkDocs to read
    link_base: str | None  # the site's base path when the link check reads pages as they are written
    page_reader: PageReader | None = None
    sanitizer: Worker | None = None
    search: Any = None  # Material's search plugin, when the sanitizer makes its entries
    published_urls: list[str] = field(default_factory=list)
    use_cache: bool = True  # pages built before are taken from the page cache (cached.py)
    cached: CachedPages | None = None


class _WrittenFile(File):
    """A file the pipeline's child wrote to the scratch folder, linked into the new site (a fresh
    folder; neither file is written again) instead of copied, where links can go."""

    def copy_file(self, dirty: bool = False) -> None:
        if dirty or self.abs_src_path is None:
            super().copy_file(dirty)
            return
        os.makedirs(os.path.dirname(self.abs_dest_path), exist_ok=True)
        try:
            os.link(self.abs_src_path, self.abs_dest_path)
        except OSError:
            super().copy_file(dirty)


class TimelinePlugin(BasePlugin[TimelineConfig]):  # type: ignore[no-untyped-call]  # likewise BasePlugin's
    result: BuildResult | None = None
    serving = False                     # `mkdocs serve`: content errors must not stop the preview
    good = False                        # self.result comes from a build without content errors
    content_errors: Sequence[ContentError] = ()
    project: Project | None = None
    runner: Runner = ForkedRunner()     # reading files and rendering pages may use the second core
    full: FullBuild | None = None

    @contextmanager
    def full_build(self, runner: Runner, scratch: Path, link_base: str | None,
                   use_cache: bool = True) -> Iterator[FullBuild]:
        """Around one MkDocs build in a process that ends after it: the pipeline runs apart and
        writes its pages to scratch, pages are sanitized (and parsed for search) by a helper, the
        link check reads pages as MkDocs writes them (when link_base is given), pages built before
        come from the page cache (unless use_cache is False)."""
        self.full = FullBuild(runner, scratch, link_base, use_cache=use_cache)
        try:
            yield self.full
        finally:
            if self.full.sanitizer is not None:
                self.full.sanitizer.close()
            self.full.runner.thaw()  # what on_config and on_env froze may be collected again
            self.full = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remember whether this is a preview. Having this hook also makes MkDocs keep the plugin
        across rebuilds, which is what lets a preview keep its last good pages."""
        self.serving = command == "serve"
        self.result, self.good, self.content_errors = None, False, ()

    @event_priority(50)  # before other plugins read config, after theme setup
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Run the pipeline; a bad file stops the build with every error listed."""
        self._unsanitized: dict[str, Page] = {}
        self._parsed = ParsedPages()
        self._blocks = PageBlocks()
        self._refused: list[Path] = []  # preview only: the links validation refused, never read
        if self.config.page_size < 1:
            raise PluginError(f"timeline: page_size must be at least 1, not {self.config.page_size}")
        if not config.use_directory_urls:
            raise PluginError("timeline: use_directory_urls must stay true (published URLs are /events/<id>/)")
        if str(THEME_DIR) not in config.theme.dirs:  # after the site's custom_dir, before Material's
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
        # The pipeline writes sitemap.xml (site/sitemap.py), the same for every builder; MkDocs' own
        # template would replace it, from file.page and the clock.
        config.theme.static_templates.discard(SITEMAP_URL)
        try:
            project = self.project = project_of(config, self.config)
        except HomePageError as exc:
            raise PluginError(f"timeline: {exc}") from None
        if not self.serving:
            # SITE_URL over mkdocs.yml (project.py): the theme's canonical link and og:url follow
            # the same address as the citations. A preview keeps the local address MkDocs gave it.
            config.site_url = project.options.site_url
        try:
            if self.full is not None:
                # The pages are made by a child process, so that the memory they took is free again
                # before MkDocs needs as much; a child that failed leaves it to this process.
                full = self.full
                self.result = full.runner.apart(lambda: build(project, full.runner, use_cache=full.use_cache),
                                                lambda result: write_out(result, full.scratch))
            else:  # the preview keeps citation texts too: its first build is the slow one
                self.result = build(project, self.runner, use_cache=self.serving)
        except ContentErrors as exc:
            if self.serving:
                self._keep_serving(config, exc.errors)
                return config
            raise PluginError(f"content is not valid:\n{exc}") from None
        for notice in self.result.notices:
            notices.warning("timeline: %s", notice)
        self.good, self.content_errors = True, ()
        if self.full is not None:
            self.full.published_urls = self.result.published_urls
            # What this process holds now lives until this one build ends.
            self.full.runner.freeze()
            # Started only now: page generation forks only while this process has no other thread.
            self.full.sanitizer = self.full.runner.helper(sanitize_pages, 32)
            self.full.search = search_plugin(config.plugins) if self.full.runner.forks else None
            if self.full.link_base is not None:
                self.full.page_reader = PageReader(self.full.runner, self.full.link_base)
        # The map script is on every page; it loads Leaflet only where a page has a map.
        if SHARED_SCRIPT not in [str(s) for s in config.extra_javascript]:
            config.extra_javascript.append(SHARED_SCRIPT)
        for stylesheet in (PAGE_CSS, SHARED_CSS):
            if stylesheet not in config.extra_css:
                config.extra_css.append(stylesheet)
        # Content warnings are advice (an invisible character may be a Persian name's joiner), as in
        # `timeweave validate`: outside the "mkdocs" logger, so that strict mode does not refuse a
        # site that validate calls valid.
        for warning in self.result.warnings:
            (serving.tell if self.serving else notices.warning)(warning.format())
        return config

    def _keep_serving(self, config: MkDocsConfig, errors: Sequence[ContentError]) -> None:
        serving.tell(serving.report(errors, kept=self.good))
        self.content_errors = errors
        if self.project is not None:
            # Below the folder of mkdocs.yml as MkDocs names it (not resolved), as MkDocs' files are.
            self._refused = serving.refused_paths(errors, Path(config.config_file_path).parent)
            custom = config.theme.custom_dir
            if custom and (serving.is_refused(custom, self._refused)
                           or any(link.is_relative_to(custom) for link in self._refused)):
                config.theme.dirs.remove(custom)  # none of its templates or files until it is fixed
        if not self.good:
            docs = Path(config.docs_dir)
            guide = {PAGE_SRC_URI} if self.project is not None and self.project.contributing else set()
            missing = [uri for uri in ["index.md", *serving.nav_pages(config.nav)]
                       if not (docs / uri).exists() and uri not in guide]
            self.result = BuildResult(None, serving.error_pages(errors, missing))

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Add the generated pages; record pages stay out of the navigation."""
        assert self.result is not None
        for file in [f for f in files if f.abs_src_path and serving.is_refused(f.abs_src_path, self._refused)]:
            files.remove(file)
        theme_sitemap = files.get_file_from_path(SITEMAP_URL)  # Material's template, copied as it is
        if theme_sitemap is not None and any(Path(theme_sitemap.src_dir or "") == Path(d) for d in config.theme.dirs):
            files.remove(theme_sitemap)
        for page in self.result.pages:
            if files.get_file_from_path(page.src_uri) is not None:
                raise PluginError(f"timeline: docs/{page.src_uri} is written by hand and also generated; "
                                  "remove one")
        for file in self._page_files(config, files):
            files.append(file)
        for generated in self.result.files:
            files.append(self._generated(config, generated.path, generated.content))
        return files

    def _page_files(self, config: MkDocsConfig, files: Files) -> Iterator[File]:
        """The generated pages MkDocs builds: all of them, or those the page cache lacks."""
        assert self.result is not None
        result = self.result

        def make(page: GeneratedPage, inclusion: InclusionLevel) -> File:
            return self._generated(config, page.src_uri, page.source, inclusion)

        full = self.full
        if full is None or not (full.use_cache and self.good and usable(config)):
            yield from (make(page, InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV)
                        for page in result.pages)
            return

        def source(page: GeneratedPage) -> bytes:
            written = result.source_of(page.src_uri)
            return written.read_bytes() if written is not None else page.source.encode("utf-8")

        full.cached = CachedPages.open(config, files, result)
        yield from full.cached.sort(config, files, result.pages, source, make,
                                    page_modified(result.history, {}, None) or "")

    def _generated(self, config: MkDocsConfig, path: str, content: str | bytes,
                   inclusion: InclusionLevel = InclusionLevel.UNDEFINED) -> File:
        """A generated file, read by MkDocs from where the pipeline's child wrote it, if it did."""
        assert self.result is not None
        written = self.result.source_of(path)
        if written is not None:
            return _WrittenFile.generated(config, path, abs_src_path=str(written), inclusion=inclusion)
        return File.generated(config, path, content=content, inclusion=inclusion)

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Dates from git, never the clock: the sitemap's lastmod and MkDocs' own update_date."""
        root = Path(config.config_file_path).parent.resolve()
        # A generated page has no file of its own in git (the pipeline's child writes it to a folder).
        source = (Path(page.file.abs_src_path).resolve()
                  if page.file.abs_src_path and not page.file.generated_by else None)
        doc_path = source.relative_to(root).as_posix() if source and source.is_relative_to(root) else None
        modified = page_modified(self.result.history if self.result else None, page.meta, doc_path)
        if modified:
            page.meta["tl_modified"] = modified
            page.update_date = modified[:10]
        return self._blocks.markdown(markdown, page, config, self)

    @event_priority(100)  # first: other plugins see the page's HTML whole
    def _put_back_blocks(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self._blocks.content(html, page, config, files)

    @event_priority(-100)  # last, so nothing another plugin adds escapes the sanitizer
    def _sanitize(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        html = exclude_own_headings(html)
        if self.full is None or self.full.sanitizer is None:
            return self._with_banner(sanitize_html(html))
        # Sanitized by the helper; each page put back as soon as it is done.
        self._unsanitized[page.file.src_uri] = page
        indexed = self.full.search is not None and not (page.meta.get("search") or {}).get("exclude")
        search_page = SearchPage.of(page) if indexed else None
        for src_uri, sanitized, entries in self.full.sanitizer.add((page.file.src_uri, html, search_page)):
            self._put_back(src_uri, sanitized, entries)
        # MkDocs assigns what this returns: this page's sanitized HTML if it already came back.
        return html if page.file.src_uri in self._unsanitized else str(page.content)

    on_page_content = CombinedEvent(_put_back_blocks, _sanitize)

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
        env = chrome.install(env)
        if self.full is None or self.full.sanitizer is None:
            return env
        for src_uri, sanitized, entries in self.full.sanitizer.finish():
            self._put_back(src_uri, sanitized, entries)
        for page in self._unsanitized.values():  # none should be left; never written as it was
            page.content = self._with_banner(sanitize_html(page.content or ""))
        self._unsanitized = {}
        if self.full.search is not None:  # its index exists now (made in its on_config)
            self._parsed.install(self.full.search)
        # Every page's Markdown, HTML and table of contents now live until the build ends too.
        self.full.runner.freeze(collect=True)
        return env

    @event_priority(-100)  # last: this is the HTML MkDocs writes
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        output = compact_html(output)
        if self.full is not None:
            keep = self.full.cached.built(page.file.src_uri, output) if self.full.cached is not None else None
            if self.full.page_reader is not None:
                self.full.page_reader.add_page(page.file.dest_uri, output, keep)
            # MkDocs writes `output` and never reads this page's Markdown or HTML again, yet keeps
            # both to the end: freed page by page.
            page.markdown, page.content = None, None
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """The search index of a plain `mkdocs build` or `serve`, without the theme's files no page
        loads; `timeweave build` does both in its own post-build sequence instead (cli/build.py),
        once the staging folder is complete."""
        if self.full is None:
            drop_unloaded_theme_files(Path(config.site_dir))
            index_site(Path(config.site_dir))
        elif self.full.cached is not None:
            self.full.cached.keep_built(Path(config.site_dir))
            self.full.cached.write(Path(config.site_dir), self.full.page_reader)

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        serving.refuse_unopenable(server)
        if config.theme.custom_dir:  # MkDocs watches theme.dirs, which a refused link takes it out of
            server.watch(config.theme.custom_dir)
        if self.project is not None:
            server.watch(str(self.project.content_dir))
            if self.project.contributing is not None:
                server.watch(str(self.project.contributing))
        return server
