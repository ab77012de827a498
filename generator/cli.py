"""Command line: validate, build (atomic), pages (write Markdown to a folder), serve.

Exit codes: 0 success; 1 content errors (all listed); 2 wrong usage; 3 the site builder failed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from .catalog import load_catalog
from .errors import errors_as_json, format_errors

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_BUILD = 0, 1, 2, 3


def cmd_validate(args: argparse.Namespace) -> int:
    content = Path(args.content)
    _, errors = load_catalog(content, Path.cwd())
    items = errors.items
    if args.format == "github":
        for error in sorted(items):
            print(error.format_github())
    elif args.format == "json":
        print(errors_as_json(items))
    elif items:
        print(format_errors(items), file=sys.stderr if errors.errors else sys.stdout)
    if errors.errors:
        return EXIT_CONTENT
    if args.format == "text":
        print(f"content is valid: {content}")
    return EXIT_OK


def atomic_build(config_file: str, site_dir: str, strict: bool = True) -> None:
    """Build into a temporary sibling of site_dir and swap it in only when the build succeeded,
    so a failed build never destroys the last good site."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    target = Path(site_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{target.name}.tmp-", dir=target.parent))
    try:
        config = load_config(config_file, site_dir=str(staging), strict=strict)
        build(config)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f"{target.name}.old-", dir=target.parent))
        os.rename(target, old / "site")
    os.rename(staging, target)
    os.chmod(target, 0o755)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def cmd_build(args: argparse.Namespace) -> int:
    from mkdocs.exceptions import MkDocsException

    try:
        atomic_build(args.config_file, args.site_dir, strict=not args.no_strict)
    except MkDocsException as exc:
        print(f"build failed; the previous site in {args.site_dir}/ is untouched.\n{exc}", file=sys.stderr)
        return EXIT_BUILD
    print(f"site built in {args.site_dir}/")
    return EXIT_OK


def cmd_pages(args: argparse.Namespace) -> int:
    from .build import build_site_pages
    from .errors import ContentErrors
    from .pages import SiteOptions, write_pages

    try:
        result = build_site_pages(Path(args.content), SiteOptions(site_name=args.site_name),
                                  Path(args.overrides), Path.cwd())
    except ContentErrors as exc:
        print(exc, file=sys.stderr)
        return EXIT_CONTENT
    write_pages(result.pages, Path(args.out))
    print(f"{len(result.pages)} pages written to {args.out}/")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve

    serve(config_file=args.config_file, livereload=True, dev_addr=args.dev_addr)
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m generator", description=__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = top.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help="check the content and list every problem")
    validate.add_argument("--content", default="content")
    validate.add_argument("--format", choices=("text", "github", "json"), default="text")
    validate.set_defaults(func=cmd_validate)

    build = sub.add_parser("build", help="validate and build the site atomically (strict)")
    build.add_argument("-f", "--config-file", default="mkdocs.yml")
    build.add_argument("-d", "--site-dir", default="site")
    build.add_argument("--no-strict", action="store_true")
    build.set_defaults(func=cmd_build)

    pages = sub.add_parser("pages", help="write the generated Markdown pages to a folder")
    pages.add_argument("out")
    pages.add_argument("--content", default="content")
    pages.add_argument("--overrides", default="site_overrides")
    pages.add_argument("--site-name", default="Timeline")
    pages.set_defaults(func=cmd_pages)

    serve = sub.add_parser("serve", help="preview with live reload")
    serve.add_argument("-f", "--config-file", default="mkdocs.yml")
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000")
    serve.set_defaults(func=cmd_serve)
    return top


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    return int(args.func(args))
