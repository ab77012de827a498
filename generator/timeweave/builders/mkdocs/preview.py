"""`python -m timeweave preview`: a live preview that stays fast on a 10,000-event timeline.

`mkdocs serve` rebuilds the whole site after every edit (minutes at that size). This preview builds
the site once with MkDocs' own build, keeping MkDocs' files, navigation and theme environment; then,
after an edit under content/, it:

1. reloads the content through the loader's and catalog's caches (only changed files are parsed),
2. finds the pages whose inputs changed and re-renders only those (generator/timeweave/site/incremental.py),
3. runs MkDocs' per-page steps (`_populate_page`, `_build_page`: Markdown, plugins, theme) for the
   pages whose Markdown changed, adds or deletes pages that appeared or disappeared, and updates
   the search index entries of those pages,
4. tells the browser to reload (MkDocs' live-reload server).

Limits (documented in the README): an edit of mkdocs.yml, docs/, the theme overrides or the
contributing guide triggers a full rebuild; data files and exports written by build_site_pages'
other stages keep their first-build state until the next full build; MkDocs' private per-page
functions are pinned with MkDocs 1.6.1. With content errors the preview keeps the last good pages
and prints the errors (generator/timeweave/builders/mkdocs/serving.py), as `make serve` does.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import watchdog.events
import watchdog.observers
from mkdocs.commands.build import _build_page, _populate_page, build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer, _serve_url
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from timeweave.builders.mkdocs import serving
from timeweave.builders.mkdocs.plugin import TimelinePlugin, project_of
from timeweave.builders.mkdocs.searchindex import search_plugin
from timeweave.output.search import index_site
from timeweave.parallel.runner import ForkedRunner
from timeweave.site.incremental import IncrementalSite, Update
from timeweave.site.pages import GeneratedPage

log = logging.getLogger("mkdocs.plugins.timeline.preview")


class _Capture(BasePlugin):  # type: ignore[type-arg, no-untyped-call]  # MkDocs' BasePlugin: no config class here, and its __init_subclass__ is untyped
    """Keeps what MkDocs' build() computes and throws away: files, navigation, theme environment."""

    files: Files | None = None
    nav: Navigation | None = None
    env: Any = None

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        return nav

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        self.env, self.files = env, files
        return env


def _snapshot(paths: list[Path]) -> dict[str, tuple[int, int]]:
    """mtime and size of every file under the paths that are not content (those need a full build)."""
    found: dict[str, tuple[int, int]] = {}
    for path in paths:
        if path.is_file():
            stat = path.stat()
            found[str(path)] = (stat.st_mtime_ns, stat.st_size)
            continue
        for dirpath, _, filenames in os.walk(path):
            for name in filenames:
                full = os.path.join(dirpath, name)
                try:
                    stat = os.stat(full)
                except OSError:
                    continue
                found[full] = (stat.st_mtime_ns, stat.st_size)
    return found


class Preview:
    def __init__(self, config_file: str, site_dir: str, serve_url: str):
        self.config_file, self.site_dir, self.serve_url = config_file, site_dir, serve_url
        self.config: MkDocsConfig | None = None
        self.capture = _Capture()
        self.site: IncrementalSite | None = None
        self.watched: list[Path] = []
        self.others: dict[str, tuple[int, int]] = {}
        self.pending: list[GeneratedPage] = []
        self.index_stale = False  # the search index file lags behind its entries in memory
        self.server: LiveReloadServer | None = None
        # Its threads keep page rendering in this process; it is used for freezing what lives long.
        self.runner = ForkedRunner()

    def _load_config(self) -> MkDocsConfig:
        config = load_config(config_file=self.config_file, site_dir=self.site_dir)
        config.site_url = self.serve_url
        return config

    def full_build(self) -> None:
        """MkDocs' own build, with the plugin in serve mode; then the incremental state."""
        start = time.perf_counter()
        self.runner.thaw()  # the previous full build's objects may be collected again (see below)
        config = self._load_config()
        config.plugins["timeline-preview-capture"] = self.capture
        config.plugins.on_startup(command="serve", dirty=False)
        build(config, serve_url=self.serve_url)
        self.config, self.index_stale = config, False  # the build wrote the search index
        plugin = _timeline(config)
        self.watched = [Path(config.config_file_path), Path(config.docs_dir)]
        if config.theme.custom_dir:
            self.watched.append(Path(config.theme.custom_dir))
        # The project the plugin's build used: re-rendered pages get the very same options.
        project = plugin.project if plugin.project is not None else project_of(config, plugin.config)
        if project.contributing is not None:
            self.watched.append(project.contributing)
        self.others = _snapshot(self.watched)
        history = plugin.result.history if plugin.result is not None else None
        self.site, self.pending = (
            IncrementalSite(project.content_dir, project.options, project.override_dir, project.root, history),
            [],
        )
        known = {page.src_uri: page.content for page in (plugin.result.pages if plugin.good and plugin.result else [])}
        update = self.site.start(known)
        if update.changed:  # the first build had content errors: put the real pages in
            self.apply(update)
        # MkDocs' pages, files and navigation and the first catalog live until the next full build.
        # Frozen, the collector's full collections skip them: on a large timeline they are millions of
        # objects, and a full collection that fell during an edit added seconds to it at random.
        self.runner.freeze(collect=True)
        serving.tell(f"preview: full build in {time.perf_counter() - start:.1f} s")

    def rebuild(self) -> None:
        """Called by the live-reload server after a change under a watched path."""
        if self.config is None or self.site is None or _snapshot(self.watched) != self.others:
            self.full_build()
            return
        start = time.perf_counter()
        if self.index_stale and not self.pending and self.site.unchanged():
            # Last round of an edit: the search index, after the pages are served.
            self.write_index()
            serving.tell(f"preview: search index written in {time.perf_counter() - start:.2f} s")
            return
        if self.pending and self.site.unchanged():
            # Second round of the last edit: the pages that mention the edited records.
            update, self.pending = Update(changed=self.pending), []
            self.apply(update, write_index=False)
            self.another_round()
            serving.tell(
                f"preview: {len(update.changed)} more page(s) rebuilt in {time.perf_counter() - start:.2f} s"
            )
            return
        update = self.site.update()
        if update.errors:
            serving.tell(serving.report(update.errors, kept=True))
            return
        # The edited records' own pages are built and shown at once; the pages that only mention
        # them (neighbours, lists) follow in a second round that the server runs straight after.
        first = [page for page in update.changed if page.src_uri in update.edited]
        later = [page for page in update.changed if page.src_uri not in update.edited]
        self.pending = [
            page
            for page in self.pending
            if page.src_uri not in {p.src_uri for p in update.changed} | set(update.removed)
        ] + later
        # The search index (every page read again to find the parts that changed, Pagefind run over
        # those) takes longer than the pages on a large timeline: it gets a round of its own, once
        # the pages are served.
        self.apply(Update(changed=first, removed=update.removed), write_index=False)
        self.another_round()
        serving.tell(
            f"preview: {len(first)} page(s) rebuilt ({len(later)} more next), "
            f"{len(update.removed)} removed, {update.rendered} re-rendered to find them, "
            f"in {time.perf_counter() - start:.2f} s"
        )

    def another_round(self) -> None:
        """Have the live-reload server call rebuild() again straight away, for what an edit left
        to do (the pages that mention the edited records, then the search index)."""
        if (self.pending or self.index_stale) and self.server is not None:
            with self.server._rebuild_cond:
                self.server._want_rebuild = True
                self.server._rebuild_cond.notify_all()

    def write_index(self) -> None:
        assert self.config is not None
        search = search_plugin(self.config.plugins)
        if search is not None:
            search.on_post_build(config=self.config)
        index_site(Path(self.config.site_dir))  # in place: the parts whose pages did not change are kept
        self.index_stale = False

    def apply(self, update: Update, write_index: bool = True) -> None:
        """Run MkDocs' per-page steps for the changed pages only; `write_index=False` replaces the
        pages' search entries in memory and leaves the file to the next apply()."""
        config, files, nav, env = self.config, self.capture.files, self.capture.nav, self.capture.env
        assert config is not None and files is not None and nav is not None
        plugin = _timeline(config)
        plugin.content_errors = ()
        pages: list[Page] = []
        for generated in update.changed:
            pages.append(self._page(config, files, generated))
        for src_uri in update.removed:
            file = files.get_file_from_path(src_uri)
            if file is not None:
                files.remove(file)
                shutil.rmtree(os.path.dirname(file.abs_dest_path), ignore_errors=True)
        search = search_plugin(config.plugins)
        if search is not None:
            gone = {page.url for page in pages} | {src.removesuffix(".md") + "/" for src in update.removed}
            search.search_index.entries = [
                entry for entry in search.search_index.entries if entry["location"].split("#")[0] not in gone
            ]
        for page in pages:
            _populate_page(page, config, files)
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        for page in pages:
            _build_page(page, config, doc_files, nav, env)
        if not write_index:
            self.index_stale = self.index_stale or bool(pages or update.removed)
        elif pages or update.removed or self.index_stale:
            self.write_index()

    @staticmethod
    def _page(config: MkDocsConfig, files: Files, generated: GeneratedPage) -> Page:
        file = files.get_file_from_path(generated.src_uri)
        if file is None:
            inclusion = InclusionLevel.INCLUDED if generated.in_nav else InclusionLevel.NOT_IN_NAV
            file = File.generated(config, generated.src_uri, content=generated.content, inclusion=inclusion)
            files.append(file)
        else:
            file.content_string = generated.content
        if file.page is None:
            Page(None, file, config)
        assert file.page is not None
        return file.page


def serve(config_file: str = "mkdocs.yml", dev_addr: str = "127.0.0.1:8000") -> None:
    host, _, port = dev_addr.rpartition(":")
    site_dir = tempfile.mkdtemp(prefix="timeline-preview-")
    probe = load_config(config_file=config_file, site_dir=site_dir)
    mount_path = urlsplit(probe.site_url or "/").path
    serve_url = _serve_url(host, int(port), mount_path)
    preview = Preview(config_file, site_dir, serve_url)
    server: LiveReloadServer = serving.refuse_unopenable(LiveReloadServer(
        builder=preview.rebuild, host=host, port=int(port), root=site_dir, mount_path=mount_path
    ))

    def error_page(code: int) -> bytes | None:
        path = Path(site_dir) / f"{code}.html"
        return path.read_bytes() if code in (404, 500) and path.is_file() else None

    server.error_handler = error_page
    preview.server = server
    try:
        preview.full_build()
        assert preview.site is not None
        _watch(server, [str(preview.site.content_dir)] + [str(p) for p in preview.watched if p.exists()])
        try:
            server.serve()  # type: ignore[no-untyped-call]  # MkDocs' LiveReloadServer has no annotations
        except KeyboardInterrupt:
            serving.tell("preview: shutting down")
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)


# What an edit can do to a file. Not opening or reading one: the rebuild reads the edited file, and
# those events would start a second, useless rebuild of a few seconds after every edit.
_CHANGES: list[type[watchdog.events.FileSystemEvent]] = [
    watchdog.events.FileCreatedEvent, watchdog.events.FileDeletedEvent, watchdog.events.FileModifiedEvent,
    watchdog.events.FileMovedEvent, watchdog.events.FileClosedEvent, watchdog.events.FileAttribEvent,
    watchdog.events.DirCreatedEvent, watchdog.events.DirDeletedEvent, watchdog.events.DirMovedEvent,
]


class _ChangeObserver(watchdog.observers.Observer):  # type: ignore[misc, valid-type]
    """The system's file-event observer, reporting only changes (MkDocs' watch() sets no filter)."""

    def schedule(self, event_handler: Any, path: Any, *, recursive: bool = False,
                 event_filter: Any = None, follow_symlink: bool = False) -> Any:
        return super().schedule(event_handler, path, recursive=recursive,
                                event_filter=event_filter or _CHANGES, follow_symlink=follow_symlink)


def _watch(server: LiveReloadServer, paths: list[str]) -> None:
    """Watch paths with the system's file events (inotify on Linux), else by polling as MkDocs does.

    MkDocs polls every half second: on a large timeline each poll stats every file in a thread of
    this process, which takes the interpreter from the rebuild for a good part of every second,
    and an edit waits a quarter of a second on average before it is even seen. File events cost
    nothing until something changes. Where they cannot be had (a file system without them, the
    system's limit of watches reached), the polling observer MkDocs made is kept."""
    polling = server.observer
    try:
        server.observer = _ChangeObserver()
        for path in paths:
            server.watch(path)
        return
    except OSError as exc:
        serving.tell(f"preview: file events unavailable ({exc}); checking for changes every 0.5 s")
    # MkDocs keeps no public way to move its watches to another observer: start again.
    server._watched_paths.clear()
    server._watch_refs.clear()
    server.observer = polling
    for path in paths:
        server.watch(path)


def _timeline(config: MkDocsConfig) -> TimelinePlugin:
    plugin = config.plugins.get("timeline")
    if not isinstance(plugin, TimelinePlugin):
        raise SystemExit("preview: mkdocs.yml does not use the timeline plugin")
    return plugin
