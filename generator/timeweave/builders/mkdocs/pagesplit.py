"""MkDocs' two loops over the pages, each split between the two cores, for `timeweave build`.

Reading: MkDocs converts each page's Markdown (`_populate_page`) one page after another, and the
sanitizer's helper takes only part of the second core. At the first page a forked child converts
every other page (`_reading_share`) while this process converts the rest; each sanitizes its own
(the helper stays idle), and the child sends back what converting set on each of its pages
(`_Read`: the fields MkDocs 1.6's `Page.read_source` and `Page.render` set, and what the plugin's
on_page_markdown adds). MkDocs' calls for the child's pages then return at once.

Writing: MkDocs renders each page's theme templates, runs on_post_page and writes the file one page after
another (`_build_page`), on one core, once every page's content is known (after on_env). In a
full build the second core is then little used, so at the first page part of the pages (`_share`)
is written by a forked child (the runner's split_in_two) while this process writes the rest; MkDocs' calls for
the pages already written then return at once. Each page's HTML is the same: the child has the
same navigation, environment and pages, forked when they were complete.

What the child's pages leave in this process comes back with its result: the records logged while
they were written, handed to the same handlers here (so that strict mode counts their warnings),
and what the link check read of them. The page cache keeps the files, whoever wrote them
(cached.py, keep_built). Used only where the site's one plugin is the timeline's (cached.usable):
another plugin may keep state in its per-page events, which the child's pages would not leave here.

This wraps MkDocs 1.6's module-level `_populate_page` and `_build_page`, which its build() calls
for each page (the version is pinned in pyproject.toml); both are put back when the build ends.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import mkdocs.commands.build as mkdocs_build
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page

from timeweave.builders.mkdocs.plugin import FullBuild
from timeweave.output.linkcheck import PageReader
from timeweave.parallel.runner import SERIAL


class _Collected:
    """In the child: the records each handler of the build process would have handled, by the
    handler's logger and place among its handlers."""

    def __init__(self) -> None:
        self.records: list[tuple[str, int, logging.LogRecord]] = []

    def catch(self, logger: str, index: int, record: logging.LogRecord) -> bool:
        record.msg, record.args, record.exc_info, record.exc_text = record.getMessage(), None, None, None
        self.records.append((logger, index, record))
        return True


def _loggers() -> list[logging.Logger]:
    found = [logging.getLogger()]
    found += [logger for logger in logging.Logger.manager.loggerDict.values()
              if isinstance(logger, logging.Logger) and logger.handlers]
    return found


def _collect_logs() -> _Collected:
    collected = _Collected()
    for logger in _loggers():
        for index, handler in enumerate(logger.handlers):
            handler.handle = (lambda name, at: lambda record: collected.catch(name, at, record))(  # type: ignore[method-assign]
                logger.name, index)
    return collected


def _replay(records: list[tuple[str, int, logging.LogRecord]]) -> None:
    for name, index, record in records:
        logger = logging.getLogger() if name == "root" else logging.getLogger(name)
        if index < len(logger.handlers):
            logger.handlers[index].handle(record)


def _share(files: list[Any], share: int, of: int) -> list[Any]:
    """The pages one process writes: all of them alone; two in five for the child (share 1) of
    two, which also reads each page for the link check itself, while this process hands its
    pages to the link reader's own process."""
    if of == 1:
        return files
    return [file for index, file in enumerate(files) if (index % 5 in (1, 3)) == (share == 1)]


@contextmanager
def split_pages(full: FullBuild) -> Iterator[None]:
    """Within: MkDocs' pages read and written by this process and a forked child, when the runner forks."""
    with split_page_reading(full), split_page_writing(full):
        yield


def _reading_share(files: list[Any], share: int, of: int) -> list[Any]:
    """The pages one process converts: all of them alone; every other page for each of two, the
    child's from the second (share 1)."""
    if of == 1:
        return files
    return [file for index, file in enumerate(files) if index % 2 == share]


@dataclass
class _Read:
    """What converting a page set on it, as the child sends it back: links_to_anchors by the
    src_uri of the page linked to (a File is this process's own)."""

    src_uri: str
    markdown: str | None
    meta: dict[str, Any]
    content: str | None
    toc: Any
    title_from_render: str | None
    present_anchor_ids: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None
    update_date: str

    @classmethod
    def of(cls, page: Page) -> _Read:
        links = ({file.src_uri: anchors for file, anchors in page.links_to_anchors.items()}
                 if page.links_to_anchors is not None else None)
        return cls(page.file.src_uri, page.markdown, dict(page.meta), page.content, page.toc,
                   page._title_from_render, page.present_anchor_ids, links, page.update_date)

    def put(self, page: Page, files: Files) -> None:
        page.markdown, page.meta, page.content, page.toc = self.markdown, self.meta, self.content, self.toc
        page._title_from_render, page.present_anchor_ids = self.title_from_render, self.present_anchor_ids
        page.update_date = self.update_date
        if self.links_to_anchors is not None:
            linked = {files.get_file_from_path(uri): anchors for uri, anchors in self.links_to_anchors.items()}
            page.links_to_anchors = {file: anchors for file, anchors in linked.items() if file is not None}


@contextmanager
def split_page_reading(full: FullBuild) -> Iterator[None]:
    """Within: MkDocs' pages converted by this process and a forked child, when the runner forks."""
    populate_page = mkdocs_build._populate_page
    read: set[str] = set()
    parent = os.getpid()

    def read_pages(files: list[Any], config: Any, all_files: Files, dirty: bool) -> None:
        for file in files:
            populate_page(file.page, config, all_files, dirty)

    def split(page: Page, config: Any, files: Files, dirty: bool = False) -> None:
        if read:
            if page.file.src_uri not in read:
                populate_page(page, config, files, dirty)
            return
        # The pages of MkDocs' reading loop (a `mkdocs build`'s; `mkdocs serve` never gets here).
        todo = list(files.documentation_pages(inclusion=InclusionLevel.is_included))
        if page.file not in todo:
            populate_page(page, config, files, dirty)
            return
        for file in todo:
            if file.page is None:  # as MkDocs' loop makes the page of a file outside the navigation
                Page(None, file, config)
        read.update(file.src_uri for file in todo)
        shares: list[int] = []

        def job(share: int, of: int) -> dict[str, Any] | None:
            shares.append(of)
            mine = _reading_share(todo, share, of)
            if os.getpid() == parent:
                # Beside the child, the sanitizer's helper would be a third process on two cores,
                # and each page would cross to it and back: these pages are sanitized here too.
                helper = full.sanitizer
                if of == 2:
                    full.sanitizer = None
                try:
                    read_pages(mine, config, files, dirty)
                finally:
                    full.sanitizer = helper
                return None
            collected = _collect_logs()
            full.sanitizer = None  # the build process's helper is that process's: sanitized here
            read_pages(mine, config, files, dirty)
            return {"records": collected.records, "pages": [_Read.of(file.page) for file in mine]}

        _, theirs = full.runner.split_in_two(job, len(todo), beside_threads=True)
        if theirs is None:
            if shares == [2]:  # the child failed: its share is read here, errors and all
                read_pages(_reading_share(todo, 1, 2), config, files, dirty)
            return
        _replay(theirs["records"])
        for done in theirs["pages"]:
            page_read = files.get_file_from_path(done.src_uri)
            assert page_read is not None and page_read.page is not None
            done.put(page_read.page, files)

    mkdocs_build._populate_page = split
    try:
        yield
    finally:
        mkdocs_build._populate_page = populate_page


@contextmanager
def split_page_writing(full: FullBuild) -> Iterator[None]:
    """Within: MkDocs' pages written by this process and a forked child, when the runner forks."""
    build_page = mkdocs_build._build_page
    written: set[str] = set()
    parent = os.getpid()

    def write_pages(files: list[Any], config: Any, doc_files: Any, nav: Any, env: Any, dirty: bool) -> None:
        for file in files:
            build_page(file.page, config, doc_files, nav, env, dirty, excluded=file.inclusion.is_excluded())

    def split(page: Any, config: Any, doc_files: Any, nav: Any, env: Any, dirty: bool = False,
              excluded: bool = False) -> None:
        if written or page.file not in doc_files:
            if page.file.src_uri not in written:
                build_page(page, config, doc_files, nav, env, dirty, excluded)
            return
        files = list(doc_files)
        written.update(file.src_uri for file in files)
        shares: list[int] = []

        def job(share: int, of: int) -> dict[str, Any] | None:
            shares.append(of)
            mine = _share(files, share, of)
            if os.getpid() == parent:
                write_pages(mine, config, doc_files, nav, env, dirty)
                return None
            # The child: its handlers and link reader are its own; the build process's helpers
            # belong to that process.
            collected = _collect_logs()
            if full.page_reader is not None:
                full.page_reader = PageReader(SERIAL, full.link_base or "/")
            write_pages(mine, config, doc_files, nav, env, dirty)
            reads = full.page_reader.texts([file.dest_uri for file in mine]) if full.page_reader else {}
            return {"records": collected.records, "reads": reads}

        _, theirs = full.runner.split_in_two(job, len(files), beside_threads=True)
        if theirs is None:
            if shares == [2]:  # the child failed: its share is written here, errors and all
                write_pages(_share(files, 1, 2), config, doc_files, nav, env, dirty)
            return
        _replay(theirs["records"])
        for file in _share(files, 1, 2):
            if full.page_reader is not None and file.dest_uri in theirs["reads"]:
                full.page_reader.add_read(file.dest_uri, theirs["reads"][file.dest_uri])
            file.page.markdown, file.page.content = None, None  # as on_post_page does for this process's

    mkdocs_build._build_page = split
    try:
        yield
    finally:
        mkdocs_build._build_page = build_page
