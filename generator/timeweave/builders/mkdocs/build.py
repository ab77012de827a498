"""One site build by MkDocs, for `timeweave build`: MkDocs' own `build()` inside the plugin's
`full_build()`, which lets the build use the second core and free memory early. What it returns
goes through the same steps as any builder's site (builders/publish.py)."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from timeweave.builders.mkdocs.cached import usable
from timeweave.builders.mkdocs.pagesplit import split_pages
from timeweave.builders.publish import Built
from timeweave.output.linkcheck import site_base
from timeweave.parallel.runner import Runner
from timeweave.project import site_address


def build(config_file: str, site_dir: Path, scratch: Path, *, strict: bool, link_check: bool,
          runner: Runner, use_cache: bool = True) -> Built:
    """Build the site of config_file into site_dir; scratch: a folder the build may fill and the
    caller removes. Raises MkDocs' exceptions (content errors among them) as they come.
    use_cache: take the pages an earlier build made from the same inputs from the page cache
    (builders/mkdocs/cached.py), and keep this build's for the next one."""
    config = load_config(config_file, site_dir=str(site_dir), strict=strict)
    config.site_url = site_address(config.site_url)  # SITE_URL wins, for the link check's base too
    timeline = config.plugins.get("timeline")
    if timeline is None:
        mkdocs_build(config)
        return Built(None, config.site_url, sanitized=True)  # no timeline content to sanitize
    with timeline.full_build(runner, scratch, site_base(config.site_url) if link_check else None,
                             use_cache) as full:
        try:
            with split_pages(full) if usable(config) else nullcontext():
                mkdocs_build(config)
        except BaseException:
            if full.page_reader is not None:
                full.page_reader.close()
            if full.cached is not None:
                full.cached.cache.discard()
            raise
        if full.cached is not None:  # MkDocs' strict mode passed: what it built may be reused
            if full.page_reader is not None:
                full.page_reader.wait()  # what it read of the new pages is kept with them
            full.cached.cache.commit()
    # The plugin sanitized every page's content as MkDocs rendered it (on_page_content).
    return Built(timeline.project, config.site_url, full.published_urls, sanitized=True,
                 page_reader=full.page_reader)
