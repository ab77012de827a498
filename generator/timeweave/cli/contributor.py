"""Contributor tools: `timeweave build-docs` (the guide's field reference), `timeweave schema` (the
JSON Schemas editors check front matter with) and `timeweave import` (other tools' timelines)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from timeweave.cli.common import EXIT_CONTENT, EXIT_OK, EXIT_USAGE


def add_parsers(sub: Any) -> None:
    docs = sub.add_parser("build-docs", help="rewrite the field reference in CONTRIBUTING.md from the models")
    docs.add_argument("--guide", default="CONTRIBUTING.md")
    docs.add_argument("--check", action="store_true", help="only check; exit 1 when it is out of date")
    docs.set_defaults(func=run_build_docs)
    importer = sub.add_parser("import", help="import a CSV, TimelineJS or ACLED file into content/: all of "
                              "it, validated, or nothing")
    importer.add_argument("format", choices=("csv", "timelinejs", "acled"))
    importer.add_argument("file")
    importer.add_argument("--content", default="content")
    importer.add_argument("--type", help="event type id for events without one (default: 'event' if the "
                          "vocabulary has it or there is none, else its only type)")
    importer.add_argument("--status", help="status id for events without one (default: 'reported' if the "
                          "vocabulary has it or there is none, else its only status)")
    importer.add_argument("--dry-run", action="store_true",
                          help="validate and list what would be written, and write nothing")
    importer.set_defaults(func=run_importer)

    schema = sub.add_parser("schema", help="write the JSON Schemas of the content types (schema/)")
    schema.add_argument("--out", default="schema")
    schema.add_argument("--check", action="store_true", help="only check that the files are up to date")
    schema.set_defaults(func=run_schema)


def run_build_docs(args: argparse.Namespace) -> int:
    from timeweave.site.contributing import GuideError, sync_guide

    path = Path(args.guide)
    try:
        current = sync_guide(path, check=args.check)
    except (GuideError, OSError) as exc:
        print(f"build-docs: {path}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if current:
        print(f"{path}: the field reference is up to date")
        return EXIT_OK
    if args.check:
        print(f"{path}: the field reference is out of date; run `python -m timeweave build-docs`",
              file=sys.stderr)
        return EXIT_CONTENT
    print(f"{path}: field reference rewritten from generator/timeweave/content/models.py")
    return EXIT_OK


def run_importer(args: argparse.Namespace) -> int:
    from timeweave.tools.importers import ImportUsageError, run_import

    source = Path(args.file)
    if not source.is_file():
        print(f"{source}: file not found", file=sys.stderr)
        return EXIT_USAGE
    try:
        report = run_import(args.format, source, Path(args.content), args.type, args.status,
                            dry_run=args.dry_run)
    except ImportUsageError as exc:
        print(f"import: {exc}; nothing was written", file=sys.stderr)
        return EXIT_USAGE
    print(report.format())
    return EXIT_OK if report.ok else EXIT_CONTENT


def run_schema(args: argparse.Namespace) -> int:
    from timeweave.content.schema import schema_files

    out = Path(args.out)
    stale = []
    for name, content in schema_files().items():
        target = out / name
        if args.check:
            if not target.is_file() or target.read_bytes() != content:
                stale.append(str(target))
            continue
        out.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    if stale:
        print("out of date (run `python -m timeweave schema`): " + ", ".join(stale), file=sys.stderr)
        return EXIT_CONTENT
    print(f"JSON Schemas {'are up to date' if args.check else 'written'} in {out}/")
    return EXIT_OK
