"""`timeweave init DIR`: write a new timeline project (timeweave/tools/init.py).

Exit codes: 0 written; 2 DIR is not a new or empty folder, the title is not one line, or a file
could not be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_USAGE = 0, 2

DESCRIPTION = """Write a new timeline project into DIR: mkdocs.yml, content/ with one example event,
actor, place and source, docs/, a Makefile (build, validate, serve), a GitHub workflow and a README.
It validates, builds and serves as it is.

exit codes:
  0  the project is written
  2  DIR exists and is not an empty folder, or the title is not one line
"""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    init = sub.add_parser("init", help="write a new timeline project that builds as it is",
                          description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    init.add_argument("dir", metavar="DIR", help="a new or empty folder")
    init.add_argument("--title", help="the site's name (default: New timeline); mkdocs.yml's site_name")
    init.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: every command builds the whole parser, and only this one needs the template.
    from timeweave.tools.init import InitError, init_project

    target = Path(args.dir)
    try:
        written = init_project(target, args.title)
    except (InitError, OSError) as exc:
        print(f"init: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote a new timeline project of {len(written)} files in {target}/")
    print(f"next: cd {target} && make serve (installs timeweave into .venv, then previews the site), "
          "or run `timeweave validate`, `timeweave build` and `timeweave serve` there")
    return EXIT_OK
