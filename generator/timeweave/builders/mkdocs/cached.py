"""The page cache (output/pagecache.py) inside one `timeweave build` by MkDocs.

In on_files, every generated page outside the navigation whose key the cache holds stays out of
MkDocs' files: MkDocs neither converts nor renders it, and the plugin writes the cached bytes to
its place after MkDocs wrote the rest (on_post_build), handing them to the link check as well.
Every other generated page is built, and the file MkDocs writes for it is kept, linked into the
cache once every page is written (on_post_build).

The cache is used only where a page's HTML depends on nothing but the scope and its source:
- only `timeweave build` (the preview serves its own pages, at its own address);
- only sites whose one plugin is the timeline's, without hooks: another plugin may read anything
  (the clock, other pages), and Material's search index needs every page parsed;
- never for a page in the navigation (mkdocs.yml's `nav` names pages the pipeline does not mark
  in_nav, the home page among them), and never for a page a hand-written page links to by its
  Markdown path: MkDocs checks those against its files.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel

from timeweave.build import BuildResult
from timeweave.builders.mkdocs.serving import nav_pages
from timeweave.output.atomic import link_or_copy
from timeweave.output.linkcheck import PageReader
from timeweave.output.pagecache import CACHE_DIR, PageCache, digest, folder_digest, generator_digest
from timeweave.site.pages import GeneratedPage

# A Markdown link or reference to a page by its file: '](x.md', '](x.md#a', ']: x.md'.
_MARKDOWN_TARGET = re.compile(r"[(:\s<]([^()\s<>:]+?\.md)(?:#[^)\s>]*)?[)\s>]")


def usable(config: MkDocsConfig) -> bool:
    """Whether this site's pages are functions of their source and the scope alone."""
    return set(config.plugins) == {"timeline"} and not config.hooks


def scope_of(config: MkDocsConfig, files: Files, result: BuildResult) -> str:
    """What every generated page's HTML depends on besides its own source (output/pagecache.py)."""
    # The file, and the values it may take from the environment (!ENV) that pages show.
    shown = {key: config.get(key) for key in ("site_url", "site_name", "site_description", "site_author",
                                              "repo_url", "repo_name", "edit_uri", "copyright", "extra")}
    parts: list[str | bytes] = [generator_digest(), Path(config.config_file_path).read_bytes(),
                                json.dumps(shown, sort_keys=True, default=str), str(config.theme.name)]
    if config.theme.custom_dir:
        parts.append(folder_digest(Path(config.theme.custom_dir)))
    for file in sorted(files, key=lambda f: f.src_uri):  # the hand-written pages and the theme's files
        parts.append(file.src_uri)
        if file.abs_src_path and file.src_uri.endswith(".md"):
            parts.append(Path(file.abs_src_path).read_bytes())
    for page in result.pages:  # every generated page's place and title (the navigation) and file
        parts += [page.src_uri, page.title, str(page.in_nav)]
    parts += [generated.path for generated in result.files]
    return digest(parts)


def linked_by_hand(files: Files) -> set[str]:
    """The pages hand-written pages link to by their Markdown path (as src_uris)."""
    linked = set()
    for file in files.documentation_pages():
        if file.abs_src_path is None or file.generated_by:
            continue
        text = Path(file.abs_src_path).read_text(encoding="utf-8", errors="replace")
        folder = posixpath.dirname(file.src_uri)
        for target in _MARKDOWN_TARGET.findall(text):
            linked.add(posixpath.normpath(target.lstrip("/") if target.startswith("/")
                                          else posixpath.join(folder, target)))
    return linked


@dataclass
class CachedPages:
    cache: PageCache
    found: list[tuple[str, str, Path]] = field(default_factory=list)  # dest_uri, key, entry: written at the end
    keys: dict[str, str] = field(default_factory=dict)  # src_uri -> key, of the pages MkDocs builds
    to_build: list[tuple[str, str]] = field(default_factory=list)  # their dest_uri, key

    @classmethod
    def open(cls, config: MkDocsConfig, files: Files, result: BuildResult) -> CachedPages:
        folder = Path(config.config_file_path).resolve().parent / CACHE_DIR
        return cls(PageCache(folder, scope_of(config, files, result)))

    def sort(self, config: MkDocsConfig, files: Files, pages: list[GeneratedPage],
             source: Callable[[GeneratedPage], bytes],
             make: Callable[[GeneratedPage, InclusionLevel], File], latest: str) -> Iterator[File]:
        """The files of the pages MkDocs has to build; the others are taken from the cache.
        latest: the date a page without its own shows (permanence.page_modified)."""
        linked = linked_by_hand(files) | set(nav_pages(config.nav))
        for page in pages:
            inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
            file = make(page, inclusion)
            if page.in_nav or page.src_uri in linked:
                yield file
                continue
            # A page whose record gives it no date shows the latest change to any content. A page
            # with the digest of its inputs (site/pageinputs.py) is keyed by it: its source is
            # what the generator makes of them, and need not be read.
            made_of = b"inputs " + page.inputs.encode("ascii") if page.inputs else source(page)
            key = self.cache.key(page.src_uri, made_of, "" if page.modified else latest)
            found = self.cache.find(key)
            if found is None:
                self.keys[page.src_uri] = key
                self.to_build.append((file.dest_uri, key))
                yield file
            else:
                self.found.append((file.dest_uri, key, found))

    def built(self, src_uri: str, output: str) -> Path | None:
        """Where what the link check reads of a page MkDocs is about to write is to be kept,
        for a page the cache will keep (keep_built)."""
        key = self.keys.get(src_uri)
        if key is None or not output.strip():
            return None
        return self.cache.links_file(key)

    def keep_built(self, site_dir: Path) -> None:
        """The pages MkDocs wrote (utils.write_file's bytes), each kept under its key, once every
        page is written: by this process or by the child that wrote part of them (pagesplit.py)."""
        for dest_uri, key in self.to_build:
            written = site_dir / dest_uri
            if written.is_file():  # MkDocs writes no empty page
                self.cache.put(key, written)

    def write(self, site_dir: Path, reader: PageReader | None) -> None:
        """The cached pages into the built site; the link check is handed what it read of each
        before (or reads it now, when that was not kept)."""
        made: set[Path] = set()
        for dest_uri, key, entry in self.found:
            target = site_dir / dest_uri
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            link_or_copy(entry, target)  # the same bytes, neither read nor written again
            if reader is not None:
                links = self.cache.get_links(key)
                if links is not None:
                    reader.add_read(dest_uri, links)
                else:
                    reader.add_page(dest_uri, entry.read_text(encoding="utf-8"), self.cache.links_file(key))
        self.found = []
