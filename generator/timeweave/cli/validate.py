"""`timeweave validate`: the pipeline's first half, every problem listed at once."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from timeweave.build import Validation, validate
from timeweave.cli.common import EXIT_CONTENT, EXIT_OK, EXIT_USAGE
from timeweave.content.changed import GitError, changed_paths, relative_content, select
from timeweave.content.published_files import REFUSED
from timeweave.content.records import VOCABULARY_FILE
from timeweave.errors import ContentError, errors_as_json, format_errors
from timeweave.parallel.runner import ForkedRunner
from timeweave.project import CONFIG_FILE, Project, TimelineSettings, read_config

HELP = """Check every content file and list every problem as path:line: field: message.

exit codes:
  0  the content is valid (warnings may be listed)
  1  content errors, all of them listed
  2  wrong usage: unknown option, or --changed without git or without the --base branch
"""


def add_parser(sub: Any) -> None:
    validate = sub.add_parser("validate", help="check the content and list every problem",
                              description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    validate.add_argument("--content", default="content")
    validate.add_argument("--format", choices=("text", "github", "json"), default="text",
                          help="text: path:line: field: message; github: workflow annotations "
                               "(::error file=...,line=...::); json: a list of objects for tools")
    validate.add_argument("--manifest", help="published-URL manifest to check, if it exists "
                          "(default: published-urls.txt beside the content folder)")
    validate.add_argument("--docs", help="hand-written pages (default: docs/ beside the content folder)")
    validate.add_argument("--contributing", default="CONTRIBUTING.md",
                          help="the contributor's guide the site publishes as /contributing/ ('' for none)")
    validate.add_argument("--overrides", help="the theme's custom_dir, checked for links (default: mkdocs.yml's "
                                              "beside the content folder, if any)")
    validate.add_argument("--changed", action="store_true",
                          help="report only files that differ from --base (committed, staged, unstaged "
                               "or untracked) and the records that refer to them")
    validate.add_argument("--base", default="main", help="branch or commit --changed compares with; the "
                          "manifest must keep every line it has there (default: main; without --changed, "
                          "every line of the manifest's git history)")
    validate.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    project = _project(args)
    root = Path.cwd()
    if args.changed:  # fail early, before reading anything, when git cannot answer
        try:
            changed = changed_paths(root, args.base)
        except GitError as exc:
            print(f"validate --changed: {exc}", file=sys.stderr)
            return EXIT_USAGE
    # --changed compares the manifest with the base too: a change must not drop a published URL.
    validation = validate(project, ForkedRunner(), base=args.base if args.changed else None)
    items, scope = validation.problems, ""
    if args.changed:
        items, scope = _only_changed(validation, changed, Path(args.content), root, args.base)
    failed = any(e.severity == "error" for e in items)
    if args.format == "github":
        for error in sorted(items):
            print(error.format_github())
    elif args.format == "json":
        print(errors_as_json(items))
    elif items:
        print(format_errors(items), file=sys.stderr if failed else sys.stdout)
    if scope and args.format == "text":
        print(scope, file=sys.stderr if failed else sys.stdout)
    if failed:
        return EXIT_CONTENT
    if args.format == "text":
        print(f"content is valid: {args.content}")
    return EXIT_OK


def _project(args: argparse.Namespace) -> Project:
    """The project validate checks: the content folder, and beside it by default the manifest,
    the hand-written pages and the guide (of mkdocs.yml, validate reads only the theme's custom_dir)."""
    beside = Path(args.content).parent
    guide = Path(args.contributing) if args.contributing else None
    settings = TimelineSettings(
        content_dir=args.content,
        manifest=args.manifest or str(beside / "published-urls.txt"),
        contributing=str(guide) if guide is not None and guide.is_file() else "")
    overrides = args.overrides
    if overrides is None and (beside / CONFIG_FILE).is_file():  # only its custom_dir: its files are published
        theme = read_config(beside / CONFIG_FILE).get("theme")
        custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
        overrides = str(beside / custom_dir) if isinstance(custom_dir, str) and custom_dir else None
    return Project.make(Path.cwd(), settings, site_name="", docs_dir=args.docs or str(beside / "docs"),
                        custom_dir=overrides or None)


def _only_changed(validation: Validation, changed: set[str], content: Path, root: Path,
                  base: str) -> tuple[list[ContentError], str]:
    """Everything was validated (references need the whole catalog); report only what the change
    touches, and the manifest, whatever it selected (a deleted file shows there)."""
    content_rel = relative_content(content, root)
    selection = select(validation.loaded, changed, content_rel)
    # Without a valid vocabulary or content folder nothing else can be checked: always report those.
    always = {content_rel, f"{content_rel}/{VOCABULARY_FILE}"}
    # A link where the site publishes files is refused whatever changed: it is not a record's problem.
    items = [e for e in validation.content_problems
             if selection.covers(e) or e.path in always or e.message.endswith(REFUSED)]
    hidden = sum(1 for e in validation.content_problems if e.severity == "error" and e not in items)
    items += validation.manifest_problems
    if selection.everything:
        scope = f"the vocabulary changed: checked every file in {content_rel}/"
    else:
        scope = (f"checked {len(selection.changed)} changed file(s) since {base} and "
                 f"{len(selection.referrers)} that refer to them")
    if hidden:
        scope += f"; {hidden} error(s) in other files are not shown (run without --changed)"
    return items, scope
