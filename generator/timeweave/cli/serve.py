"""`timeweave serve` (MkDocs' live-reload server) and `timeweave preview` (fast on big timelines)."""

from __future__ import annotations

import argparse
from typing import Any

from timeweave.cli.common import EXIT_OK, exit_on_terminate


def add_parsers(sub: Any) -> None:
    serve = sub.add_parser("serve", help="preview with live reload")
    serve.add_argument("-f", "--config-file", default="mkdocs.yml")
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000")
    serve.set_defaults(func=run_serve)

    preview = sub.add_parser("preview", help="fast preview: one full build, then only the pages an edit changes")
    preview.add_argument("-f", "--config-file", default="mkdocs.yml")
    preview.add_argument("-a", "--dev-addr", default="127.0.0.1:8000")
    preview.set_defaults(func=run_preview)


def run_serve(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve

    exit_on_terminate()  # MkDocs removes its copy of the site in a `finally`
    serve(config_file=args.config_file, livereload=True, dev_addr=args.dev_addr)
    return EXIT_OK


def run_preview(args: argparse.Namespace) -> int:
    from timeweave.builders.mkdocs.preview import serve

    exit_on_terminate()
    serve(config_file=args.config_file, dev_addr=args.dev_addr)
    return EXIT_OK
