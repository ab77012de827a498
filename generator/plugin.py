"""Thin MkDocs adapter: every hook delegates to the core (build.py); nothing here knows content."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as opt
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from .build import BuildResult, build_site_pages
from .errors import ContentErrors
from .pages import SiteOptions
from .sanitize import sanitize_html

log = logging.getLogger("mkdocs.plugins.timeline")


class TimelineConfig(base.Config):
    content_dir = opt.Type(str, default="content")
    page_size = opt.Type(int, default=100)


class TimelinePlugin(BasePlugin[TimelineConfig]):
    result: BuildResult | None = None

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
                              repo_url=config.repo_url)
        override_dir = Path(config.theme.custom_dir) if config.theme.custom_dir else None
        try:
            self.result = build_site_pages(self._content_dir(config), options, override_dir, root)
        except ContentErrors as exc:
            raise PluginError(f"content is not valid:\n{exc}") from None
        for warning in self.result.warnings:
            log.warning(warning.format())
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
        return files

    @event_priority(-100)  # last, so nothing another plugin adds escapes the sanitizer
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        return sanitize_html(html)

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self._content_dir(config)))
        return server
