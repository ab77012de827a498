"""The build, top to bottom, without MkDocs: content folder -> catalog -> pages (and, later, data).

Both adapters call this: the MkDocs plugin and the `pages` command that writes the same Markdown
to a folder for another builder.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from timeweave.catalog.catalog import Catalog, load_catalog
from timeweave.errors import ContentError, ContentErrors
from timeweave.content.history import History, load_history
from timeweave.content.loader import ForkedJob
from timeweave.site.datapage import data_page, open_data_files
from timeweave.site.maps import map_files
from timeweave.site.pages import GeneratedPage, SiteOptions, generate_pages
from timeweave.site.permanence import site_files
from timeweave.site.reader import reader_files


@dataclass(frozen=True)
class GeneratedFile:
    """A non-page output (data export, map data, vendored asset...) at a site-relative path."""

    path: str
    content: bytes


@dataclass
class BuildResult:
    catalog: Catalog
    pages: list[GeneratedPage]
    files: list[GeneratedFile] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)
    history: History | None = None
    notices: list[str] = field(default_factory=list)  # said once per build; not content problems
    # Set when the pages and files were written there instead of being held (see built_elsewhere):
    # their `content` is then empty, and `catalog` is None.
    folder: Path | None = None

    def source_of(self, path: str) -> Path | None:
        """Where a page's or file's content was written, when it was."""
        return self.folder / path if self.folder is not None else None


def build_site_pages(content_dir: Path, options: SiteOptions, override_dir: Path | None = None,
                     root: Path | None = None, today: date | None = None,
                     history: History | None = None) -> BuildResult:
    """Load, validate and render; raises ContentErrors with every problem if the content is bad.
    The git history is read from root unless given (golden tests give none, to stay stable)."""
    catalog, errors = load_catalog(content_dir, root, today)
    if catalog is None:
        raise ContentErrors(errors.items)
    if history is None:
        history = load_history(root or content_dir.parent)  # one git call for every file's versions
    pages = generate_pages(catalog, options, override_dir, history)
    files: list[GeneratedFile] = []
    # Each feature adds its pages and files here, one line each: maps, exports, permanence...
    published, updated = event_publication_dates(catalog, history)  # feeds order by first publication
    files.extend(GeneratedFile(path, data)
                 for path, data in open_data_files(catalog, options, published, updated).items())
    pages.append(data_page(catalog, options, override_dir, {f.path: f.content for f in files}))
    files += [GeneratedFile(path, data) for path, data in site_files(catalog, options, override_dir, history)]
    files.extend(GeneratedFile(path, content) for path, content in reader_files(catalog))
    files += [GeneratedFile(path, data) for path, data in map_files(
        catalog, options.map_tiles, options.map_attribution)]
    return BuildResult(catalog, pages, files, errors.warnings, history,
                       [history.notice] if history.notice else [])


def event_publication_dates(catalog: Catalog, history: History) -> tuple[dict[str, datetime], dict[str, datetime]]:
    """Event id -> when its file was first committed, and last changed (empty without git)."""
    published: dict[str, datetime] = {}
    updated: dict[str, datetime] = {}
    for event in catalog.events.values():
        versions = history.of(event.path)
        if versions is not None:
            published[event.id] = versions.first.moment
            updated[event.id] = versions.last.moment
    return published, updated


def write_out(result: BuildResult, folder: Path) -> BuildResult:
    """Write every page and file of result below folder; what is left holds none of their content."""
    made: set[Path] = set()
    pages = ((page.src_uri, page.content.encode("utf-8")) for page in result.pages)  # one at a time
    for path, content in itertools.chain(pages, ((f.path, f.content) for f in result.files)):
        target = folder / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(content)
    return BuildResult(
        None,  # type: ignore[arg-type]  # the catalog stays with the process that made it
        [dataclasses.replace(page, content="") for page in result.pages],
        [GeneratedFile(f.path, b"") for f in result.files],
        result.warnings, result.history, result.notices, folder)


def built_elsewhere(build: Callable[[], BuildResult], folder: Path,
                    also: Callable[[BuildResult], Any]) -> tuple[BuildResult, Any] | None:
    """Run build in a forked child that writes the pages and files to folder and returns the rest,
    with what `also` makes of the full result (it must pickle). None if the child failed (content
    errors included): the caller builds in its own process, which reports them.

    At 10,000 events the catalog, the pages and the data files take more than a gigabyte. Made in a
    child, that memory is handed back to the system when the child ends, before MkDocs, which
    holds every page of the site at once, needs as much again."""
    def job() -> tuple[BuildResult, Any]:
        result = build()
        extra = also(result)
        return write_out(result, folder), extra

    outcome = ForkedJob(job).result(timeout=None)
    return outcome if isinstance(outcome, tuple) else None
