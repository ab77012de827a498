"""The build, top to bottom, without MkDocs: content folder -> catalog -> pages (and, later, data).

Both adapters call this: the MkDocs plugin and the `pages` command that writes the same Markdown
to a folder for another builder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .catalog import Catalog, load_catalog
from .errors import ContentError, ContentErrors
from .pages import GeneratedPage, SiteOptions, generate_pages


@dataclass
class BuildResult:
    catalog: Catalog
    pages: list[GeneratedPage]
    warnings: list[ContentError] = field(default_factory=list)


def build_site_pages(content_dir: Path, options: SiteOptions, override_dir: Path | None = None,
                     root: Path | None = None, today: date | None = None) -> BuildResult:
    """Load, validate and render; raises ContentErrors with every problem if the content is bad."""
    catalog, errors = load_catalog(content_dir, root, today)
    if catalog is None:
        raise ContentErrors(errors.items)
    pages = generate_pages(catalog, options, override_dir)
    return BuildResult(catalog, pages, errors.warnings)
