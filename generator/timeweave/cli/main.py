"""The command line: `timeweave COMMAND` (or `python -m timeweave COMMAND`); one module per command.

Exit codes: 0 success; 1 content errors (all listed); 2 wrong usage; 3 the site builder failed;
4 broken internal links or anchors in the built site.
"""

from __future__ import annotations

import argparse
import os
import sys

from timeweave import __version__
from timeweave.cli import build, contributor, new, serve, validate
from timeweave.cli import init as init_command
from timeweave.cli.common import EXIT_BUILD, EXIT_CONTENT, EXIT_LINKS, EXIT_OK, EXIT_USAGE

__all__ = ["EXIT_BUILD", "EXIT_CONTENT", "EXIT_LINKS", "EXIT_OK", "EXIT_USAGE", "main", "parser", "run"]

COMMANDS = """commands: init, validate, build, pages, linkcheck, serve, preview, new, import, schema, build-docs

Exit codes: 0 success; 1 content errors (all listed); 2 wrong usage; 3 the site builder failed;
4 broken internal links or anchors in the built site."""


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="timeweave", description="Annotated, cross-linked timelines: "
                                  "validate the content, build the site, scaffold and import records.",
                                  epilog=COMMANDS, formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("--version", action="version", version=f"timeweave {__version__}")
    sub = top.add_subparsers(dest="command", required=True)
    validate.add_parser(sub)
    build.add_parsers(sub)
    serve.add_parsers(sub)
    new.add_parser(sub)
    contributor.add_parsers(sub)
    init_command.add_parser(sub)
    return top


_QUICK_EXIT = {"validate"}  # commands that leave no thread, helper process or temporary file behind
_last_command: str | None = None


def main(argv: list[str] | None = None) -> int:
    """Run one command in this process; returns its exit code."""
    global _last_command
    _last_command = None
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    _last_command = args.command
    return int(args.func(args))


def run() -> None:
    """The console script: the command's exit code becomes the process's."""
    code = main()
    if _last_command in _QUICK_EXIT:
        # Nothing is left to clean up, and the interpreter would free every record and model one
        # by one: flush what was printed and leave.
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except OSError:  # a reader that went away (`validate | head`): nothing more to tell it
                pass
        os._exit(code)
    sys.exit(code)
