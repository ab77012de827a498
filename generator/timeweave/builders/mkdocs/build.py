"""One site build by MkDocs, for `timeweave build`: MkDocs' own `build()` inside the plugin's
`full_build()`, which lets the build use the second core and free memory early."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from timeweave.output.linkcheck import BrokenLink, PageReader, check_site, site_base
from timeweave.parallel.runner import Runner
from timeweave.project import Project, site_address


@dataclass
class Built:
    project: Project | None  # None for a site without the timeline plugin
    published_urls: list[str]
    site_url: str | None
    page_reader: PageReader | None

    def broken_links(self, site: Path, runner: Runner) -> list[BrokenLink]:
        if self.page_reader is not None:
            return self.page_reader.check(site, self.site_url)
        return check_site(site, runner, site_url=self.site_url)

    def close(self) -> None:
        if self.page_reader is not None:
            self.page_reader.close()


def build(config_file: str, site_dir: Path, scratch: Path, *, strict: bool, link_check: bool,
          runner: Runner) -> Built:
    """Build the site of config_file into site_dir; scratch: a folder the build may fill and the
    caller removes. Raises MkDocs' exceptions (content errors among them) as they come."""
    config = load_config(config_file, site_dir=str(site_dir), strict=strict)
    config.site_url = site_address(config.site_url)  # SITE_URL wins, for the link check's base too
    timeline = config.plugins.get("timeline")
    if timeline is None:
        mkdocs_build(config)
        return Built(None, [], config.site_url, None)
    with timeline.full_build(runner, scratch, site_base(config.site_url) if link_check else None) as full:
        try:
            mkdocs_build(config)
        except BaseException:
            if full.page_reader is not None:
                full.page_reader.close()
            raise
    return Built(timeline.project, full.published_urls, config.site_url, full.page_reader)
