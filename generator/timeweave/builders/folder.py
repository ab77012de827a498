"""The builder-neutral source folder: every page and file the pipeline makes, the site's own pages
and theme templates, and a generated configuration, written to a folder that another builder
(Zensical, or MkDocs without the plugin) builds as it is:

    OUT/mkdocs.yml     site name, URL, theme, scripts and styles, search, Markdown extensions, nav
    OUT/docs/          the hand-written pages, then every generated page and file
    OUT/overrides/     the timeline's theme templates, then the site's own custom_dir over them

Generated pages are written as `x/index.md`, not `x.md`: their links are raw HTML, relative to the
page's URL, which only then is also the folder of its source (Zensical resolves them from there).
A file is rewritten only when its bytes change, and what is no longer made is removed, so a
builder's cache beside docs/ (Zensical's `.cache/`) stays valid across builds.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from timeweave.build import build
from timeweave.errors import ContentError
from timeweave.parallel.runner import SERIAL, Runner
from timeweave.project import PLUGIN_NAME, Project
from timeweave.site.maps import SHARED_CSS, SHARED_SCRIPT
from timeweave.site.pages import OVERRIDE_SUBDIR
from timeweave.site.reader import PAGE_CSS

CONFIG = "mkdocs.yml"
DOCS = "docs"
THEME = "overrides"
SITE = "site"  # where a builder run in the folder writes (Zensical wants it inside the folder)

# The timeline's theme templates (head metadata, reader scripts). They live with the MkDocs
# adapter, which puts the folder in MkDocs' theme path; Material's search dialog is Material's
# alone (Zensical's header search needs its own partial), and so is its base script, which
# Zensical writes differently, and so are the navigation and tabs wrappers, which need the MkDocs
# adapter's function and Material's templates by another name (builders/mkdocs/chrome.py).
THEME_DIR = Path(__file__).parent / "mkdocs" / "theme"
MATERIAL_ONLY = frozenset({"partials/search.html", "partials/javascripts/base.html", "partials/nav-item.html",
                           "partials/toc-item.html", "partials/nav.html", "partials/tabs.html"})
# What a custom_dir holds that is not a theme template: page templates and its own notes.
NOT_THEME = (OVERRIDE_SUBDIR + "/", "README.md")

# mkdocs.yml settings carried over as they are; the rest is the timeline plugin's or MkDocs' own.
CARRIED = ("site_description", "site_author", "repo_url", "repo_name", "copyright", "extra",
           "markdown_extensions")


@dataclass(frozen=True)
class Written:
    pages: int
    files: int
    published_urls: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)


def folder_src_uri(src_uri: str) -> str:
    """'events/x.md' -> 'events/x/index.md'; an index page stays where it is."""
    if src_uri == "index.md" or src_uri.endswith("/index.md"):
        return src_uri
    return src_uri.removesuffix(".md") + "/index.md"


def write_site_source(project: Project, out: Path, runner: Runner = SERIAL,
                      site_config: Mapping[str, Any] | None = None, use_cache: bool = False) -> Written:
    """Run the pipeline and write the folder below out; raises ContentErrors like build().
    site_config: the site's mkdocs.yml as data (theme, extensions, nav...), when it has one.
    use_cache: pages and citation texts an earlier build made of the same inputs are reused."""
    result = build(project, runner, use_cache=use_cache)
    skip = ("README.md", *excluded_folders((site_config or {}).get("exclude_docs")))
    wanted: dict[str, bytes] = dict(_tree(project.docs_dir, DOCS, skip=skip))
    generated = {page.src_uri: folder_src_uri(page.src_uri) for page in result.pages}
    for page in result.pages:
        wanted[f"{DOCS}/{generated[page.src_uri]}"] = page.content.encode("utf-8")
    for file in result.files:
        wanted[f"{DOCS}/{file.path}"] = file.content
    wanted.update(_tree(THEME_DIR, THEME, skip=MATERIAL_ONLY))
    if project.override_dir is not None:
        wanted.update(_tree(project.override_dir, THEME, skip=NOT_THEME))
    wanted[CONFIG] = yaml.safe_dump(generated_config(project, site_config or {}, generated),
                                    allow_unicode=True, sort_keys=False).encode("utf-8")
    sync(out, wanted, managed=(CONFIG, DOCS, THEME))
    return Written(len(result.pages), len(result.files), result.published_urls, result.notices, result.warnings)


def excluded_folders(exclude_docs: Any) -> list[str]:
    """The folders mkdocs.yml's exclude_docs leaves out of the site ('screenshots/'), so that the
    folder leaves them out too; its other patterns (gitignore-style) are not read here."""
    if not isinstance(exclude_docs, str):
        return []
    lines = (line.strip() for line in exclude_docs.splitlines())
    return [line.lstrip("/") for line in lines
            if line.endswith("/") and not line.startswith(("#", "!")) and not any(c in line for c in "*?[")]


def generated_config(project: Project, site: Mapping[str, Any], renamed: Mapping[str, str]) -> dict[str, Any]:
    """The folder's mkdocs.yml: what the site's says, with the timeline plugin's part done (its
    pages are in docs/, its scripts and styles named, its templates in overrides/)."""
    options = project.options
    config: dict[str, Any] = {"site_name": options.site_name}
    if options.site_url:
        config["site_url"] = options.site_url
    config.update({key: site[key] for key in CARRIED if site.get(key) is not None})
    theme = dict(site.get("theme") or {"name": "material"}) if not isinstance(site.get("theme"), str) \
        else {"name": site["theme"]}
    theme["custom_dir"] = THEME
    theme.setdefault("variant", "classic")  # Zensical's look of Material for MkDocs
    config["theme"] = theme
    config.update(docs_dir=DOCS, site_dir=SITE, use_directory_urls=True)
    plugins = [entry for entry in site.get("plugins") or ["search"]
               if entry != PLUGIN_NAME and not (isinstance(entry, Mapping) and PLUGIN_NAME in entry)]
    config["plugins"] = plugins
    config["extra_css"] = _with(site.get("extra_css"), PAGE_CSS, SHARED_CSS)
    config["extra_javascript"] = _with(site.get("extra_javascript"), SHARED_SCRIPT)
    if site.get("nav"):
        config["nav"] = _renamed_nav(site["nav"], renamed)
    return config


def _with(listed: Any, *names: str) -> list[Any]:
    entries = list(listed or [])
    return entries + [name for name in names if name not in entries]


def _renamed_nav(nav: Any, renamed: Mapping[str, str]) -> Any:
    if isinstance(nav, str):
        return renamed.get(nav, nav)
    if isinstance(nav, list):
        return [_renamed_nav(item, renamed) for item in nav]
    if isinstance(nav, Mapping):
        return {key: _renamed_nav(value, renamed) for key, value in nav.items()}
    return nav


def _tree(folder: Path, prefix: str, skip: frozenset[str] | tuple[str, ...] = ()) -> Iterator[tuple[str, bytes]]:
    """Every file below folder, as (prefix/relative path, bytes), dot files left out."""
    if not folder.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__")
        for name in sorted(filenames):
            relative = (Path(dirpath) / name).relative_to(folder).as_posix()
            if name.startswith(".") or relative in skip or any(relative.startswith(s) for s in skip if s.endswith("/")):
                continue
            yield f"{prefix}/{relative}", (Path(dirpath) / name).read_bytes()


def sync(out: Path, wanted: Mapping[str, bytes], managed: tuple[str, ...]) -> None:
    """Make the managed parts of out hold exactly wanted: a file is written only when its bytes
    differ (its time then says when it really changed), and what is not wanted is removed."""
    out.mkdir(parents=True, exist_ok=True)
    for top in managed:
        root = out / top
        if root.is_dir():
            for dirpath, _dirnames, filenames in os.walk(root, topdown=False):
                for name in filenames:
                    path = Path(dirpath) / name
                    if path.relative_to(out).as_posix() not in wanted:
                        path.unlink()
                if not os.listdir(dirpath):
                    os.rmdir(dirpath)
    made: set[Path] = set()
    for relative, content in wanted.items():
        target = out / relative
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        try:
            if target.read_bytes() == content:
                continue
        except FileNotFoundError:
            pass
        target.write_bytes(content)
