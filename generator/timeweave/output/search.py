"""The site's search: a Pagefind index made over the built HTML, whatever builder wrote it, in parts.

Material's search made one index of every page, which the browser downloaded whole before it
answered a query. Pagefind splits its index into fragments and the browser fetches only the
ones a query needs, so what a reader downloads stays small however large the timeline grows.

Pagefind reads what the theme marks in each page: `data-pagefind-body` around the page's own
content (list pages and withdrawn events leave it out, so they are not offered as results),
`data-pagefind-filter` (kind, type, status) and `data-pagefind-meta` (date, status) on empty
elements. Each language of the site (`<html lang>`) gets its own index with its stemmer; words in
other scripts (Arabic or Russian names in an English page) are indexed as written.

Parts. One Pagefind run keeps what it read of every page until it has seen them all, so one run
over a large timeline holds the whole site in memory, and it has to read every page again after
one edit. The marked pages are therefore indexed in parts, one Pagefind run and one bundle
(`pagefind/<part>/`, its own index per language) each; the header's search merges them at query
time (Pagefind's `mergeIndex`, results ranked together, filters counted together). A part is:
- a top folder of the site (`events`, `actors`, ...) that holds more than half of PART_PAGES
  marked pages, or `pages` for all the other folders together (the site's own pages, and on a
  timeline of 10,000 events its actors, places and sources): each part costs a reader a few small
  requests per query (its entry, metadata, filters and index chunks), so small folders share one;
- within it, one of K buckets by a hash of the page's path, K = ceil(pages / PART_PAGES). A page
  stays in its part whatever other pages are added or removed while K holds, so an edit changes
  one part (and the parts of the pages whose HTML changes with it: those that list or link it).
  When K changes (the folder crossed a multiple of PART_PAGES) the folder's parts are made again.
PART_PAGES is a few thousand: a Pagefind run's memory grows with every page it holds until it
writes, and a part that size keeps a run to a few hundred MB, two runs at once on two cores well
within the build's memory, while the parts stay few (six at 10,000 events) for the reader.
Each part's folder holds MANIFEST, a hash of its pages and their content hashes (and the binary's
and its options'): a later build whose part has the same pages with the same bytes copies the previous
site's part instead of running Pagefind. Pagefind indexes the same pages into the same files
(its filter and metadata files aside, whose order varies from run to run in any build), so that
is what a cold build writes.
Pagefind reads a part that is a whole top folder where it is (--glob); any other part, from a
folder of links to its pages made inside the bundle's folder. Each run writes into a folder in
memory where the system has one (RAM_DIR), copied into the site after; where that fails, it writes
into the site.
`pagefind/parts.json` names the parts (and a hash of each one's pages, which changes with them);
`pagefind/pagefind.js` (static/pagefind.js), the module Pagefind's UI imports, reads it and merges
the parts; the UI's own script and style are copied to `pagefind/`, where every page loads them,
and the scripts and styles no page loads from a part are removed from each (UNUSED_IN_PARTS).

The binary comes from the `pagefind_bin` wheel that the `pagefind` distribution's `bin` extra
installs (PAGEFIND_BINARY_PATH names another one).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from timeweave.output.atomic import link_or_copy

BUNDLE_DIR = "pagefind"  # below the site folder; the theme's header loads the UI from here
PARTS_FILE = "parts.json"  # in BUNDLE_DIR: the parts the header's script merges
MANIFEST = "timeweave-pages.json"  # in each part's folder: its pages and their hashes
BODY_MARK = b"data-pagefind-body"
PART_PAGES = 2000
SMALL_GROUP = "pages"
UI_FILES = ("pagefind-ui.js", "pagefind-ui.css")  # loaded by every page from BUNDLE_DIR itself
# What Pagefind writes into every part for a page to load and no page here loads from a part: its
# UIs (the one the header uses is in BUNDLE_DIR once) and its highlighting script. A part keeps
# its entry, index, wasm and worker, which the merging module fetches from the part's own folder.
UNUSED_IN_PARTS = (*UI_FILES, "pagefind-component-ui.js", "pagefind-component-ui.css",
                   "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
MERGING_MODULE = Path(__file__).parent / "static" / "pagefind.js"  # what the UI imports: merges the parts
# The sections the templates mark data-search-exclude (citations, versions, related and nearby
# events, the map): the same words on every page, which only bloat the index and its fragments.
OPTIONS = ("--quiet", "--exclude-selectors", "[data-search-exclude]")
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_-]+")  # a folder name that means itself in a glob
# Pagefind writes thousands of small files, far faster to memory than to a disk's file system
# (bench/RESULTS.md, "Thirteenth stop"); copying them into the site afterwards costs much less.
RAM_DIR = Path("/dev/shm")
_WRITING = "timeweave-pagefind-"  # a writing folder's name: this, the build's process id, "-", a suffix
WORKERS = 2  # Pagefind runs at once: the machine's cores; each run uses about one


class SearchIndexError(RuntimeError):
    """Pagefind is missing or failed; the message says which, with its own output."""


@dataclass
class Part:
    name: str
    pages: dict[str, str] = field(default_factory=dict)  # site-relative path -> sha256 of its bytes
    # Set when the part is every HTML file below this top folder of the site: Pagefind then reads
    # them where they are (--glob), without a folder of links made for it (_part_tree).
    folder: str | None = None

    def manifest(self, tool: str) -> bytes:
        """What the part's index is made from: `tool` (the binary and its options) and one hash of
        its pages' paths and hashes (the list itself would be a line per page in the published site)."""
        pages = hashlib.sha256(json.dumps(sorted(self.pages.items()), ensure_ascii=False).encode("utf-8"))
        return json.dumps({"tool": tool, "pages": len(self.pages), "hash": pages.hexdigest()}).encode("utf-8")


@dataclass(frozen=True)
class Indexed:
    """What index_site did: the parts Pagefind indexed and those copied from the previous site."""

    indexed: tuple[str, ...]
    kept: tuple[str, ...]


def index_site(site: Path, previous: Path | None = None, *, part_pages: int = PART_PAGES,
               workers: int = WORKERS) -> Indexed:
    """Write the search index of the built site in `site` into `site/pagefind/`, replacing any
    earlier one. The parts whose pages are unchanged since `previous` (a site built before; by
    default `site` itself, indexed in place) are copied from it rather than indexed again.
    Raises SearchIndexError when the binary is missing or fails."""
    from pagefind.service import get_executable

    binary = get_executable()
    if binary is None or not Path(binary).is_file():
        raise SearchIndexError("the search index needs the Pagefind binary: pip install 'pagefind[bin]'")
    tool = _tool(Path(binary))
    bundle = site / BUNDLE_DIR
    old = (previous or site) / BUNDLE_DIR
    aside: Path | None = None
    if previous is None or previous.resolve() == site.resolve():
        if bundle.is_dir():  # the earlier index, moved out of the way and read from there
            aside = Path(tempfile.mkdtemp(prefix=".pagefind-previous-", dir=site))
            bundle.rename(aside / BUNDLE_DIR)
            old = aside / BUNDLE_DIR
    else:
        shutil.rmtree(bundle, ignore_errors=True)  # no fragment of an earlier index stays
    try:
        parts = site_parts(site, part_pages)
        bundle.mkdir(parents=True, exist_ok=True)
        todo: list[Part] = []
        kept: list[str] = []
        # A part copied from the previous site has no UI of its own: the previous bundle's is used.
        ui_kept = all((old / name).is_file() for name in UI_FILES)
        for part in parts:
            if ui_kept and _same_part(old / part.name, part, tool):
                _copy_tree(old / part.name, bundle / part.name)
                kept.append(part.name)
            else:
                todo.append(part)
        with _writing_folder() as writing:
            _run_all(str(binary), tool, site, todo, max(1, workers), writing)
        _write_entry(bundle, parts, tool, [bundle / part.name for part in todo] + [old])
    finally:
        if aside is not None:
            shutil.rmtree(aside, ignore_errors=True)
    return Indexed(tuple(part.name for part in todo), tuple(kept))


def site_parts(site: Path, part_pages: int = PART_PAGES) -> list[Part]:
    """The parts of the site's search index, in name order, each with its pages: the HTML pages
    that carry `data-pagefind-body` (every page when none does: Pagefind then indexes them all)."""
    marked: dict[str, str] = {}
    every: dict[str, str] = {}
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative.startswith((BUNDLE_DIR + "/", ".")):
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        every[relative] = digest
        if BODY_MARK in data:
            marked[relative] = digest
    pages = marked or every
    folders: dict[str, list[str]] = {}
    for relative in pages:
        folders.setdefault(relative.split("/", 1)[0] if "/" in relative else "", []).append(relative)
    groups: dict[str, list[str]] = {}
    for folder, names in folders.items():
        own = folder and 2 * len(names) > part_pages and folder != SMALL_GROUP
        groups.setdefault(folder if own else SMALL_GROUP, []).extend(names)
    parts: list[Part] = []
    for group, names in sorted(groups.items()):
        count = math.ceil(len(names) / part_pages)
        buckets = [Part(f"{group}-{index}") for index in range(count)]
        for name in sorted(names):
            buckets[_bucket(name, count)].pages[name] = pages[name]
        # The folder's pages are the part's, but for unmarked ones where pages are marked, which
        # Pagefind leaves out itself as a tree would (it indexes only marked pages once one is);
        # a hidden file is left to a tree, whatever a glob's `*` makes of a leading dot.
        if count == 1 and group != SMALL_GROUP and _PLAIN_NAME.fullmatch(group):
            if not any(relative.startswith(group + "/") and "/." in relative for relative in every):
                buckets[0].folder = group
        parts.extend(bucket for bucket in buckets if bucket.pages)
    return parts


def _bucket(relative: str, count: int) -> int:
    """A page's bucket among `count`: from its path alone, so it does not move when others change."""
    return int.from_bytes(hashlib.sha256(relative.encode("utf-8")).digest()[:8], "big") % count


def _tool(binary: Path) -> str:
    """The Pagefind binary (by its content: another version indexes differently) and its options."""
    return hashlib.sha256(binary.read_bytes()).hexdigest()[:16] + " " + " ".join(OPTIONS)


def _same_part(folder: Path, part: Part, tool: str) -> bool:
    try:
        return (folder / MANIFEST).read_bytes() == part.manifest(tool) and (folder / "pagefind-entry.json").is_file()
    except OSError:
        return False


@contextmanager
def _writing_folder() -> Iterator[Path | None]:
    """A folder for Pagefind to write the parts into, on a RAM-backed file system (RAM_DIR), or
    None where there is none: each part is then written into the site itself."""
    try:
        if RAM_DIR.is_dir():
            _remove_abandoned_writing_folders()
            folder: Path | None = Path(tempfile.mkdtemp(prefix=f"{_WRITING}{os.getpid()}-", dir=RAM_DIR))
        else:
            folder = None
    except OSError:  # not writable, or full
        folder = None
    try:
        yield folder
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def _remove_abandoned_writing_folders() -> None:
    """The writing folders of builds that were killed (SIGKILL, a lost container) before they could
    remove theirs: memory until the machine restarts, and a container's /dev/shm is small."""
    for folder in RAM_DIR.glob(f"{_WRITING}*-*"):
        pid = folder.name.removeprefix(_WRITING).split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _run_all(binary: str, tool: str, site: Path, parts: list[Part], workers: int, writing: Path | None) -> None:
    """Pagefind over each part, `workers` runs at a time, each writing into `writing` (then copied
    into the site) or the site's bundle; the first failure is raised once all started runs have ended."""
    waiting = list(parts)
    running: list[tuple[Part, Path | None, subprocess.Popen[str]]] = []
    failures: list[str] = []
    try:
        while waiting or running:
            while waiting and len(running) < workers and not failures:
                part = waiting.pop(0)
                tree = _part_tree(site, part) if part.folder is None else None
                output = (writing or site / BUNDLE_DIR) / part.name
                running.append((part, tree, _start(binary, site, part, tree, output)))
            part, tree, process = running.pop(0)
            out, err = process.communicate()
            written = writing
            if process.returncode != 0 and writing is not None:
                # The memory's file system may be small (a container's): the part is made again in the site.
                shutil.rmtree(writing / part.name, ignore_errors=True)
                written, retry = None, _start(binary, site, part, tree, site / BUNDLE_DIR / part.name)
                out, err = retry.communicate()
                process = retry
            if tree is not None:
                shutil.rmtree(tree, ignore_errors=True)
            if process.returncode != 0:
                failures.append(f"Pagefind could not index {site} ({part.name}):\n{out}{err}".rstrip())
            else:
                if written is not None:
                    shutil.copytree(written / part.name, site / BUNDLE_DIR / part.name, copy_function=shutil.copyfile)
                    shutil.rmtree(written / part.name, ignore_errors=True)
                (site / BUNDLE_DIR / part.name / MANIFEST).write_bytes(part.manifest(tool))
            if failures:
                waiting.clear()
    finally:
        for _part, tree, process in running:
            process.kill()
            process.wait()
            if tree is not None:
                shutil.rmtree(tree, ignore_errors=True)
    if failures:
        raise SearchIndexError(failures[0])


def _start(binary: str, site: Path, part: Part, tree: Path | None, output: Path) -> subprocess.Popen[str]:
    """Pagefind over the part's pages: those of its tree, or the HTML files below its folder."""
    if tree is not None:
        where = ["--site", str(tree)]
    else:
        assert part.folder is not None
        where = ["--site", str(site), "--glob", f"{part.folder}/**/*.html"]
    return subprocess.Popen([binary, *where, "--output-path", str(output), *OPTIONS],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _part_tree(site: Path, part: Part) -> Path:
    """A folder holding only the part's pages, at their paths in the site (hard links where the
    file system allows): Pagefind reads that folder alone, and names each page as the site does."""
    # In the bundle's folder, which the link check leaves for last (builders/publish.py).
    tree = Path(tempfile.mkdtemp(prefix=f".tree-{part.name}-", dir=site / BUNDLE_DIR))
    for relative in part.pages:
        target = tree / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(site / relative, target)
    return tree


def _copy_tree(source: Path, target: Path) -> None:
    """A previous part into the new site: linked, since neither site writes into a part once made."""
    shutil.copytree(source, target, copy_function=link_or_copy)


def _write_entry(bundle: Path, parts: list[Part], tool: str, ui_from: list[Path]) -> None:
    """parts.json for the header's script, the UI's script and style where every page loads them
    (from the first folder of `ui_from` that has them), and each part without the files of
    UNUSED_IN_PARTS, which would otherwise be the same bytes once per part."""
    # Each part's hash is of its pages, not Pagefind's own (which changes from run to run, its
    # filters written in no fixed order): the same site lists the same parts.
    listed = [{"name": part.name, "pages": len(part.pages),
               "hash": hashlib.sha256(part.manifest(tool)).hexdigest()[:16]} for part in parts]
    (bundle / PARTS_FILE).write_text(json.dumps({"parts": listed}, indent=1) + "\n", "utf-8")
    if parts:
        for name in UI_FILES:
            source = next(folder / name for folder in ui_from if (folder / name).is_file())
            shutil.copyfile(source, bundle / name)
    for part in parts:
        for name in UNUSED_IN_PARTS:
            (bundle / part.name / name).unlink(missing_ok=True)
        _drop_unused_wasm(bundle / part.name)
    shutil.copyfile(MERGING_MODULE, bundle / "pagefind.js")


def _drop_unused_wasm(part: Path) -> None:
    """Pagefind writes the wasm of every language it has (one with a stemmer, and "unknown" for
    any other); a part's search loads those its entry names, one per language of its pages."""
    entry = json.loads((part / "pagefind-entry.json").read_text("utf-8"))
    wanted = {f"wasm.{language['wasm']}.pagefind" for language in entry["languages"].values()}
    for wasm in part.glob("wasm.*.pagefind"):
        if wasm.name not in wanted:
            wasm.unlink()
