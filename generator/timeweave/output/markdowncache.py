"""Generated pages' Markdown kept between builds, by the digest of what each was made of.

site/pageinputs.py says what goes into a page's digest; here the pages live, by digest in
`.cache/timeweave/markdown/<site address>/` beside the page cache (output/pagecache.py), whose scope covers
the generator the same way. A page is written once, under a digest that names its inputs, so a
build that fails later leaves nothing wrong behind; each build removes the pages it did not use,
so the folder holds one site's pages and no more. Deleting it, or `--no-cache`, gives a cold build.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from timeweave.content.history import History
from timeweave.output.pagecache import digest, folder_digest, generator_digest
from timeweave.site import fragments
from timeweave.site.pages import OVERRIDE_SUBDIR, GeneratedPage, SiteOptions

_FOLDER = "markdown"
_FIELDS = "fields.json"  # in the folder: every kept page's fields but its source, by digest


def markdown_scope(options: SiteOptions, override_dir: Path | None, history: History) -> str:
    """What every generated page's Markdown depends on besides the content."""
    templates = override_dir / OVERRIDE_SUBDIR if override_dir is not None else None
    return digest([generator_digest(), repr(options),
                   folder_digest(templates) if templates is not None and templates.is_dir() else "",
                   repr((history.available, history.prefix, history.shallow))])


class MarkdownCache:
    """Each page's source as a builder reads it (`<digest>.md`, linked into the folder a builder
    reads instead of written again), and one file (FIELDS) with every kept page's other fields by
    digest, written after the sources: a page whose fields are there is there whole. One file, not
    one per page: a file's creation costs more than its bytes."""

    def __init__(self, cache_dir: Path, site_url: str | None) -> None:
        """One folder per site address: the preview's pages (at its local address) and the
        published site's are both kept, each pruned by its own builds. The fields are read now,
        before pages are rendered in other processes that would each read them again."""
        self.folder = cache_dir / _FOLDER / digest([site_url or ""])[:16]
        try:
            fields = json.loads((self.folder / _FIELDS).read_bytes())
            self._fields: dict[str, dict[str, Any]] = fields if isinstance(fields, dict) else {}
        except (OSError, ValueError):
            self._fields = {}

    def source_file(self, inputs: str) -> Path:
        """Where the page's source is kept (GeneratedPage.source), once keep() wrote it."""
        return self.folder / inputs[:2] / f"{inputs}.md"

    def page(self, inputs: str) -> GeneratedPage | None:
        """The page made of these inputs by an earlier build, if one was kept whole."""
        try:
            kept = self._fields[inputs]
            source = self.source_file(inputs).read_text(encoding="utf-8")
            blocks = tuple((start, end) for start, end in kept["html_blocks"])
            content, found = fragments.from_source(source) if blocks else (source, ())
            if found != blocks:
                return None
            return GeneratedPage(kept["src_uri"], kept["url"], kept["title"], content, modified=kept["modified"],
                                 in_sitemap=kept["in_sitemap"], html_blocks=blocks, inputs=inputs)
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None

    def keep(self, pages: list[GeneratedPage]) -> None:
        """This build's pages for the next build: those it made are written, the others removed."""
        fields: dict[str, dict[str, Any]] = {}
        shards: set[Path] = set()
        for page in pages:
            if page.inputs is None or page.inputs in fields:
                continue
            fields[page.inputs] = {"src_uri": page.src_uri, "url": page.url, "title": page.title,
                                   "modified": page.modified, "in_sitemap": page.in_sitemap,
                                   "html_blocks": [list(block) for block in page.html_blocks]}
            source = self.source_file(page.inputs)
            if page.inputs not in self._fields or not source.exists():
                if source.parent not in shards:
                    source.parent.mkdir(parents=True, exist_ok=True)
                    shards.add(source.parent)
                _replace(source, page.source.encode("utf-8"))
        self.folder.mkdir(parents=True, exist_ok=True)
        _replace(self.folder / _FIELDS, json.dumps(fields, sort_keys=True).encode("utf-8"))
        self._fields = fields
        for shard in self.folder.iterdir():
            if not shard.is_dir():
                continue
            for entry in shard.iterdir():
                kept = entry.name.split(".", 1)[0] in fields or entry.name.endswith(".part")  # or another build's
                if not kept:
                    entry.unlink(missing_ok=True)


def _replace(target: Path, data: bytes) -> None:
    """target holding data, whole or not at all, should two builds write it."""
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")
    partial.write_bytes(data)
    try:
        os.replace(partial, target)
    except OSError:  # another build's pruning took it: the next build renders the page
        partial.unlink(missing_ok=True)
