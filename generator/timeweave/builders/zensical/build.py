"""One site build by Zensical, for `timeweave build --builder zensical`. Zensical has no plugin
API, so it builds the builder-neutral source folder (builders/folder.py) as it is; what it made
then goes through the same steps as MkDocs' site (builders/publish.py).

Zensical runs in its own process, in the source folder: its `.cache/` stays there (beside docs/,
outside the site's repository files), and a crash of its native code is an exit code here, said
in one sentence, not a traceback.
"""

from __future__ import annotations

import html
import importlib.util
import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from timeweave.builders.folder import CONFIG, DOCS, SITE, write_site_source
from timeweave.builders.publish import Built
from timeweave.parallel.runner import Runner
from timeweave.project import Project
from timeweave.urls import SITEMAP_URL

# Where the source folder and Zensical's cache live, below the project: the folder `timeweave
# pages` also writes to, ignored by git.
SOURCE_DIR = "build/zensical"
INSTALL = "pip install 'timeweave[zensical]'"

notices = logging.getLogger("timeline")


class BuilderFailed(Exception):
    """Zensical is missing or failed: one sentence for the reader, no traceback."""


def available() -> bool:
    return importlib.util.find_spec("zensical") is not None


def build(project: Project, site_config: Mapping[str, Any], staging: Path, source: Path, *, strict: bool,
          runner: Runner, use_cache: bool = True) -> Built:
    """Write the source folder, run Zensical on it and move the site it made into staging (an
    empty folder). Raises ContentErrors as the pipeline does, BuilderFailed for Zensical.
    use_cache: the pipeline reuses what an earlier build made of the same inputs (build.py)."""
    if not available():
        raise BuilderFailed(f"Zensical is not installed; install it with: {INSTALL}")
    written = write_site_source(project, source, runner, site_config, use_cache=use_cache)
    for notice in written.notices:
        notices.warning("timeline: %s", notice)
    for warning in written.warnings:
        notices.warning(warning.format())
    made = source / SITE
    shutil.rmtree(made, ignore_errors=True)  # Zensical writes every page again from its cache
    command = [sys.executable, "-m", "zensical", "build", "--config-file", str(source / CONFIG)]
    if strict:
        command.append("--strict")
    done = subprocess.run(command, cwd=source, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not (made / "index.html").is_file():
        said = [line.strip() for line in (done.stderr + done.stdout).splitlines() if line.strip()]
        reason = said[-1] if said else "it wrote no site"
        raise BuilderFailed(f"Zensical failed (exit code {done.returncode}): {reason}")
    _own_sitemap(source / DOCS, made)
    _search_titles_once(made / "search.json")
    os.rmdir(staging)
    os.replace(made, staging)
    return Built(project, project.options.site_url, written.published_urls)


def _own_sitemap(docs: Path, made: Path) -> None:
    """Zensical always renders its theme's sitemap.xml over the one in docs/ (an empty list
    without `file.page`): the pipeline's, or none when the site has no site_url."""
    ours = docs / SITEMAP_URL
    if ours.is_file():
        shutil.copyfile(ours, made / SITEMAP_URL)
    else:
        (made / SITEMAP_URL).unlink(missing_ok=True)
    (made / (SITEMAP_URL + ".gz")).unlink(missing_ok=True)


def _search_titles_once(index: Path) -> None:
    """Titles reach the theme HTML-escaped, as the theme prints them into <title> as they are;
    Zensical's search shows an index entry's title as text, so there it must be plain."""
    if not index.is_file():
        return
    data = json.loads(index.read_text(encoding="utf-8"))
    for item in data.get("items", []):
        if isinstance(item.get("title"), str):
            item["title"] = html.unescape(item["title"])
        if isinstance(item.get("path"), list):
            item["path"] = [html.unescape(p) if isinstance(p, str) else p for p in item["path"]]
    index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
