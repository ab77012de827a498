"""Thin MkDocs adapter: every hook delegates to the core (build.py); nothing here knows content."""

from __future__ import annotations

import logging
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

from . import serving
from .build import BuildResult, build_site_pages
from .contributing import PAGE_SRC_URI, guide_page
from .errors import ContentError, ContentErrors
from .pages import SiteOptions
from .sanitize import sanitize_html

log = logging.getLogger("mkdocs.plugins.timeline")


class TimelineConfig(base.Config):
    content_dir = opt.Type(str, default="content")
    page_size = opt.Type(int, default=100)
    contributing = opt.Type(str, default="")  # e.g. CONTRIBUTING.md: published as /contributing/


class TimelinePlugin(BasePlugin[TimelineConfig]):
    result: BuildResult | None = None
    serving = False                     # `mkdocs serve`: content errors must not stop the preview
    good = False                        # self.result comes from a build without content errors
    content_errors: Sequence[ContentError] = ()

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
        if self.config.page_size < 1:
            raise PluginError(f"timeline: page_size must be at least 1, not {self.config.page_size}")
        if not config.use_directory_urls:
            raise PluginError("timeline: use_directory_urls must stay true (published URLs are /events/<id>/)")
        root = Path(config.config_file_path).parent.resolve()
        options = SiteOptions(site_name=config.site_name, page_size=self.config.page_size,
                              repo_url=config.repo_url, site_url=config.site_url or None)
        override_dir = Path(config.theme.custom_dir) if config.theme.custom_dir else None
        try:
            self.result = build_site_pages(self._content_dir(config), options, override_dir, root)
        except ContentErrors as exc:
            if self.serving:
                self._keep_serving(config, exc.errors)
                return config
            raise PluginError(f"content is not valid:\n{exc}") from None
        self.good, self.content_errors = True, ()
        for warning in self.result.warnings:
            (serving.tell if self.serving else log.warning)(warning.format())
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Add the generated pages; record pages stay out of the navigation."""
        assert self.result is not None
        for page in self.result.pages:
            if files.get_file_from_path(page.src_uri) is not None:
                raise PluginError(f"timeline: docs/{page.src_uri} is written by hand and also generated; "
                                  "remove one")
            inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, page.src_uri, content=page.content, inclusion=inclusion))
        for generated in self.result.files:
            files.append(File.generated(config, generated.path, content=generated.content))
        if self.config.contributing:
            guide = Path(config.config_file_path).parent / self.config.contributing
            page = guide_page(guide.read_text(encoding="utf-8"))
            files.append(File.generated(config, page.src_uri, content=page.content))
        return files

    @event_priority(-100)  # last, so nothing another plugin adds escapes the sanitizer
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        html = sanitize_html(html)
        if self.content_errors:  # preview only: the errors on top of every page (escaped)
            html = serving.banner(self.content_errors) + html
        return html

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self._content_dir(config)))
        if self.config.contributing:
            server.watch(str(Path(config.config_file_path).parent / self.config.contributing))
        return server
