"""datapackage.json: a Frictionless data package describing the CSV (with its Table Schema) and the
JSON files, so that Frictionless tools can read and validate them."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from timeweave.exports.context import ExportContext
from timeweave.exports.fields import ExportDoc
from timeweave.exports.table import CSV_COLUMNS


def datapackage_json(context: ExportContext, sizes: Mapping[str, int], exports: Sequence[ExportDoc]) -> bytes:
    """The package; sizes are the bytes of every file it describes, by path relative to data/."""
    resources: list[dict[str, Any]] = [
        {
            "name": "events-csv",
            "path": "events.csv",
            "profile": "tabular-data-resource",
            "title": "Events, one row per event",
            "description": "Live events only (withdrawn and merged events are in events.json). Text "
            "cells that begin with = + - @, a tab, a carriage return or an apostrophe carry a leading "
            "apostrophe so spreadsheets do not run them as formulas.",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": sizes["events.csv"],
            "dialect": {
                "delimiter": ",",
                "lineTerminator": "\r\n",
                "quoteChar": '"',
                "doubleQuote": True,
                "header": True,
            },
            "schema": {
                "fields": [column.table_field() for column in CSV_COLUMNS],
                "primaryKey": ["id"],
                "missingValues": [""],
            },
        }
    ]
    for doc in exports:
        if doc.path in ("events.csv", "datapackage.json") or doc.path.startswith("feeds/"):
            continue
        if doc.format == "csv":  # events-acled.csv: a table too, described by its columns' docs
            resources.append(_table_resource(doc, sizes[doc.path]))
            continue
        resources.append(
            {
                "name": doc.path.replace(".", "-").replace("/", "-"),
                "path": doc.path,
                "profile": "data-resource",
                "title": doc.title,
                "description": doc.description,
                "format": doc.format,
                "mediatype": doc.mediatype,
                "encoding": "utf-8",
                "bytes": sizes[doc.path],
            }
        )
    package: dict[str, Any] = {
        "profile": "data-package",
        "name": package_name(context.options.site_name),
        "title": context.options.site_name,
        "description": "Every event, actor, place and source of the timeline. The Data page of the site "
        "documents every field.",
        "resources": resources,
    }
    if context.options.data_license:
        package["licenses"] = [{"name": context.options.data_license}]
    if context.options.site_url:
        package["homepage"] = context.link("")
    return (json.dumps(package, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()


def _table_resource(doc: ExportDoc, size: int) -> dict[str, Any]:
    return {
        "name": doc.path.replace(".", "-").replace("/", "-"),
        "path": doc.path,
        "profile": "tabular-data-resource",
        "title": doc.title,
        "description": doc.description,
        "format": "csv",
        "mediatype": doc.mediatype,
        "encoding": "utf-8",
        "bytes": size,
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True,
                    "header": True},
        "schema": {"fields": [{"name": f.name, "type": f.type, "description": f.description} for f in doc.fields],
                   "missingValues": [""]},
    }


def package_name(site_name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", site_name.lower()).strip("-")
    return slug or "timeline"
