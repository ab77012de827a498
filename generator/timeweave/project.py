"""A timeline project: where its files are and how its site is set up, from any builder's config.

Every entry point makes one `Project` and hands it to the pipeline (build.py): the MkDocs plugin
from MkDocs' own configuration, `pages` and other builders from `mkdocs.yml` read as plain YAML,
`validate` from its command-line options. The site's options (`SiteOptions`) are assembled here
and nowhere else, so a preview, a build and a folder for another builder render the same pages.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from timeweave.site.contributing import PAGE_URL as CONTRIBUTING_URL
from timeweave.site.homepage import home_url
from timeweave.site.maps import OSM_ATTRIBUTION, OSM_TILES
from timeweave.site.pages import SiteOptions
from timeweave.site.permanence import doc_pages

CONFIG_FILE = "mkdocs.yml"
PLUGIN_NAME = "timeline"
# The environment variable that gives the site's address, over mkdocs.yml's site_url: the publish
# workflow learns the address from GitHub Pages (actions/configure-pages) only when it runs.
SITE_URL_VARIABLE = "SITE_URL"


def site_address(configured: str | None, environ: Mapping[str, str] | None = None) -> str | None:
    """The site's address: SITE_URL when set and not empty, else mkdocs.yml's site_url, else None.
    Always ends with "/", so a path joins under it (https://example.org/timeline/ + events/x/)."""
    environ = os.environ if environ is None else environ
    value = (environ.get(SITE_URL_VARIABLE) or "").strip() or (configured or "").strip()
    if not value:
        return None
    return value if value.endswith("/") else value + "/"


@dataclass(frozen=True)
class TimelineSettings:
    """The timeline's own options (the `timeline` plugin's in mkdocs.yml), with their defaults.
    Paths are relative to the folder of mkdocs.yml."""

    # The folder of events, actors, places, sources and vocabulary.yml.
    content_dir: str = "content"
    # Entries on each page of the timeline, month, type and tag lists and of the record indexes.
    page_size: int = 100
    # A Markdown file (e.g. CONTRIBUTING.md) published as /contributing/; "" for none.
    contributing: str = ""
    # The published-URL manifest (e.g. published-urls.txt): every URL in it must still answer, and
    # `timeweave build` adds the new ones. None: no URL is checked or recorded.
    manifest: str | None = None
    # The page of one version of a file at repo_url, from {repo}, {commit} and {path}, e.g.
    # "{repo}/blob/{commit}/{path}". None: guessed for GitHub, GitLab, Codeberg and Bitbucket.
    version_url: str | None = None
    # Map tile URL template ({z}, {x}, {y}); "" draws maps without tiles (no third-party requests).
    map_tiles: str = OSM_TILES
    # The tiles' attribution (HTML) shown on every map.
    map_attribution: str = OSM_ATTRIBUTION
    # The Markdown path below docs_dir of the timeline's overview page. None: index.md (the site's
    # home page), or timeline/overview.md when docs_dir has a home page of its own (site/homepage.py).
    home_page: str | None = None
    # Entries of the site's Atom feed, and of each actor's and place's (data/feeds/): the latest
    # published; every event stays in data/events.json, which each feed links to.
    feed_entries: int = 100
    record_feed_entries: int = 4
    # The licence of the site's data, as an SPDX identifier (e.g. CC-BY-4.0), for datapackage.json.
    # None: no licence is claimed, since only the site's authors can choose one.
    data_license: str | None = None

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> TimelineSettings:
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown timeline option(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return cls(**values)


@dataclass(frozen=True)
class Project:
    root: Path  # the folder of mkdocs.yml: git history, the manifest and paths in errors start here
    content_dir: Path
    docs_dir: Path  # hand-written pages
    override_dir: Path | None  # the theme's custom_dir: page templates under its timeline/ folder
    manifest: Path | None
    contributing: Path | None
    options: SiteOptions

    @classmethod
    def make(cls, root: Path, settings: TimelineSettings, *, site_name: str, site_url: str | None = None,
             repo_url: str | None = None, description: str = "", docs_dir: str = "docs",
             custom_dir: str | None = None) -> Project:
        """HomePageError when settings.home_page cannot be published."""
        root = root.resolve()
        docs = root / docs_dir
        options = SiteOptions(site_name=site_name, page_size=settings.page_size, repo_url=repo_url or None,
                              site_url=site_address(site_url), version_url=settings.version_url,
                              description=description or "", map_tiles=settings.map_tiles,
                              map_attribution=settings.map_attribution,
                              home_url=home_url(settings.home_page, doc_pages(docs)),
                              feed_entries=settings.feed_entries,
                              record_feed_entries=settings.record_feed_entries,
                              data_license=settings.data_license)
        # Not resolved: a content folder that is a link must stay one for validate to refuse it.
        return cls(root=root, content_dir=Path(os.path.normpath(root / settings.content_dir)), docs_dir=docs,
                   override_dir=root / custom_dir if custom_dir else None,
                   manifest=root / settings.manifest if settings.manifest else None,
                   contributing=root / settings.contributing if settings.contributing else None,
                   options=options)

    @property
    def sources(self) -> list[Path]:
        """What the site is made of, for the dates its pages show: the content, the hand-written
        pages and the guide (a commit touching only the README or the tests changes no page)."""
        return [path for path in (self.content_dir, self.docs_dir, self.contributing) if path is not None]

    @property
    def feature_pages(self) -> list[str]:
        """Pages the site publishes beyond the records and the docs: the contributor's guide, and
        the overview when it is not the home page."""
        return ([CONTRIBUTING_URL] if self.contributing is not None else []) + [self.options.home_url]


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as data: MkDocs' own tags (!ENV, !relative, !!python/name:...) are read as the
    text they hold, which is all the pipeline needs of them."""


def _as_text(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]  # the only node kind left


_ConfigLoader.add_multi_constructor("!", _as_text)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _as_text)


def read_config(config_file: Path) -> dict[str, Any]:
    with open(config_file, encoding="utf-8") as stream:
        config = yaml.load(stream, Loader=_ConfigLoader)  # noqa: S506 (a SafeLoader)
    return config if isinstance(config, dict) else {}


def plugin_settings(config: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The timeline plugin's options in a plain mkdocs.yml, or None when the plugin is not named."""
    for entry in config.get("plugins") or []:
        if entry == PLUGIN_NAME:
            return {}
        if isinstance(entry, Mapping) and PLUGIN_NAME in entry:
            return entry[PLUGIN_NAME] or {}
    return None


def project_from_config_file(config_file: Path) -> Project:
    """The project an mkdocs.yml describes, read without MkDocs (for builders other than MkDocs)."""
    config = read_config(config_file)
    theme = config.get("theme") or {}
    return Project.make(config_file.parent, TimelineSettings.from_mapping(plugin_settings(config) or {}),
                        site_name=str(config.get("site_name") or "Timeline"),
                        site_url=config.get("site_url"), repo_url=config.get("repo_url"),
                        description=str(config.get("site_description") or ""),
                        docs_dir=str(config.get("docs_dir") or "docs"),
                        custom_dir=theme.get("custom_dir") if isinstance(theme, Mapping) else None)
