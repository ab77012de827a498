"""Open data for the build: the export files, the JSON Schemas and the Data page that documents them.

Pure (no MkDocs import). build.py calls `open_data_files` and `data_page`; everything they publish
is described from the same definitions that produce it (exports.CSV_COLUMNS, exports.EXPORTS,
schema.CONTENT_TYPES), so the documentation cannot drift from the files.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import jinja2

from timeweave import urls
from timeweave.catalog.catalog import Catalog
from timeweave.content.schema import CONTENT_TYPES, SCHEMA_DIR, schema_files
from timeweave.exports import DATA_DIR, EXPORTS, ExportOptions, export_files
from timeweave.site.pages import GeneratedPage, PageRenderer, SiteOptions

DATA_PAGE_URL = urls.DATA_PAGE_URL


def export_options(
    options: SiteOptions,
    published: Mapping[str, datetime] | None = None,
    updated: Mapping[str, datetime] | None = None,
) -> ExportOptions:
    return ExportOptions(
        site_name=options.site_name,
        site_url=options.site_url,
        published=published or {},
        updated=updated or {},
        feed_limit=options.feed_entries,
        record_feed_limit=options.record_feed_entries,
        data_license=options.data_license,
    )


def open_data_files(
    catalog: Catalog,
    options: SiteOptions,
    published: Mapping[str, datetime] | None = None,
    updated: Mapping[str, datetime] | None = None,
) -> dict[str, bytes]:
    """Site-relative path -> bytes: data/* exports and schema/*.schema.json."""
    files = export_files(catalog, export_options(options, published, updated))
    files.update({f"{SCHEMA_DIR}/{name}": content for name, content in schema_files().items()})
    return files


def data_page(
    catalog: Catalog,
    options: SiteOptions,
    override_dir: Path | None = None,
    files: Mapping[str, bytes] | None = None,
    env: jinja2.Environment | None = None,
) -> GeneratedPage:
    """The Data page (in the navigation): every download, every field, and the schemas."""
    renderer = PageRenderer(catalog, options, override_dir, None, env)
    sizes = {path: len(content) for path, content in (files or {}).items()}
    schemas = [
        (kind, f"{SCHEMA_DIR}/{kind}.schema.json", where, about)
        for kind, (_, where, about) in CONTENT_TYPES.items()
    ]
    page = renderer.render(
        "data.md.j2",
        DATA_PAGE_URL,
        "Open data",
        exports=EXPORTS,
        data_dir=DATA_DIR,
        sizes=sizes,
        schemas=schemas,
        site_url=options.site_url,
        feed=urls.data_url("feeds/events.atom"),
    )
    return dataclasses.replace(page, in_nav=True)
