"""Command line: validate, build (atomic), pages (write Markdown to a folder), serve, new (scaffold a
content file), build-docs (the field reference in CONTRIBUTING.md), import (CSV, TimelineJS), schema.

Exit codes: 0 success; 1 content errors (all listed); 2 wrong usage; 3 the site builder failed;
4 broken internal links or anchors in the built site.
"""

from __future__ import annotations

import argparse
import gc
import logging
import shutil
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from timeweave import __version__
from timeweave.cli import init as init_command
from timeweave.content.changed import GitError, changed_paths, relative_content, select
from timeweave.errors import ContentError, errors_as_json, format_errors
from timeweave.content.loader import VOCABULARY_FILE, LoadResult, RawRecord, load_content
from timeweave.content.textchecks import own_problems

if TYPE_CHECKING:
    from timeweave.catalog.catalog import Catalog

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_BUILD = 0, 1, 2, 3
EXIT_LINKS = 4

VALIDATE_HELP = """Check every content file and list every problem as path:line: field: message.

exit codes:
  0  the content is valid (warnings may be listed)
  1  content errors, all of them listed
  2  wrong usage: unknown option, or --changed without git or without the --base branch
"""


def cmd_validate(args: argparse.Namespace) -> int:
    # One pass over the content, then the process ends: the cyclic collector would only walk the
    # records again (gc_paused turning it back on triggers a full collection), to find no garbage.
    gc.disable()
    content = Path(args.content)
    scope = ""
    if args.changed:
        try:
            items, scope, catalog = _changed_errors(content, Path.cwd(), args.base)
        except GitError as exc:
            print(f"validate --changed: {exc}", file=sys.stderr)
            return EXIT_USAGE
    else:
        from timeweave.catalog.catalog import build_catalog

        # No index: the manifest check does not need one.
        catalog, errors = build_catalog(_load(content, Path.cwd()), index=False)
        items = errors.items
    if catalog is not None:  # a deleted file shows here, whatever --changed selected
        items = items + _check_manifest(catalog, args)
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
        print(f"content is valid: {content}")
    return EXIT_OK


def _load(content: Path, root: Path) -> LoadResult:
    """load_content with the checks build_catalog reuses. The schema's models (pydantic, a quarter
    of a second to import) are imported by the first record this process validates, when the
    loader's second process is already reading files: it reads more of them meanwhile."""
    def build_record(raw: RawRecord) -> Any:
        from timeweave.content.models import build_record as build

        return build(raw)

    return load_content(content, root, check=own_problems, check_here=build_record)


def _changed_errors(content: Path, root: Path,
                    base: str) -> tuple[list[ContentError], str, Catalog | None]:
    """Validate everything (references need the whole catalog), report only what the change touches."""
    from timeweave.catalog.catalog import build_catalog

    loaded = _load(content, root)
    catalog, errors = build_catalog(loaded, index=False)
    content_rel = relative_content(content, root)
    selection = select(loaded, changed_paths(root, base), content_rel)
    # Without a valid vocabulary or content folder nothing else can be checked: always report those.
    always = {content_rel, f"{content_rel}/{VOCABULARY_FILE}"}
    items = [e for e in errors.items if selection.covers(e) or e.path in always]
    hidden = sum(1 for e in errors.errors if e not in items)
    if selection.everything:
        scope = f"the vocabulary changed: checked every file in {content_rel}/"
    else:
        scope = (f"checked {len(selection.changed)} changed file(s) since {base} and "
                 f"{len(selection.referrers)} that refer to them")
    if hidden:
        scope += f"; {hidden} error(s) in other files are not shown (run without --changed)"
    return items, scope, catalog


def _check_manifest(catalog: Catalog, args: argparse.Namespace) -> list[ContentError]:
    """Every URL in the published-URL manifest must still answer; git is read only to say how a
    missing file was deleted."""
    project = Path(args.content).parent  # the manifest and docs/ sit beside content/ by default
    manifest = Path(args.manifest) if args.manifest else project / "published-urls.txt"
    if not manifest.is_file():  # nothing to check (as check_published says), and no page modules to import
        return []
    from timeweave.urls import CONTRIBUTING_URL
    from timeweave.content.history import load_history
    from timeweave.site.permanence import check_published

    where = (manifest, Path(args.docs) if args.docs else project / "docs", Path.cwd(), Path(args.content))
    # The plugin publishes the guide as /contributing/ when mkdocs.yml names it; here its file says so.
    guide = [CONTRIBUTING_URL] if args.contributing and Path(args.contributing).is_file() else []
    problems = check_published(catalog, *where, feature_pages=guide)
    if not problems:
        return []
    return check_published(catalog, *where, history=load_history(Path.cwd()), feature_pages=guide)


def atomic_build(config_file: str, site_dir: str, strict: bool = True, linkcheck: bool = True,
                 record_urls: bool = False) -> None:
    """Build into a staging folder beside site_dir, check its links, and swap it in only when all
    of that succeeded, so a failed or interrupted build never damages the last good site
    (publish.py). Timestamps come from git through SOURCE_DATE_EPOCH (reproducible builds)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from timeweave.output import atomic
    from timeweave.output.linkcheck import BrokenLinks, PageReader, check_site, site_base

    target = Path(site_dir).resolve()
    staging = atomic.staging_dir(target)
    reader: PageReader | None = None
    try:
        with atomic.build_epoch(Path(config_file).resolve().parent):
            config = load_config(config_file, site_dir=str(staging), strict=strict)
            timeline = config.plugins.get("timeline")
            if timeline is not None:
                # MkDocs uses one core. On the second: the sanitizer, while MkDocs renders Markdown,
                # then the link check, reading each page as MkDocs writes it (plugin.on_config).
                timeline.helper_processes = True
                timeline.link_base = site_base(config.site_url) if linkcheck else None
                # Beside the staging folder, named like it: removed below, or by the next build
                # if this one is killed.
                pages_folder = timeline.pages_folder = atomic.staging_dir(target)
            try:
                build(config)
            finally:
                if timeline is not None:
                    reader = timeline.end_full_build()
                    shutil.rmtree(pages_folder, ignore_errors=True)
        if linkcheck:
            broken = (reader.check(staging, config.site_url) if reader is not None
                      else check_site(staging, site_url=config.site_url))
            if broken:
                raise BrokenLinks(broken, target)
        if timeline is not None and record_urls:
            # The real site: its URLs are kept for ever. Recorded only now, once the build will be
            # published, so a build stopped by its link check adds nothing to the manifest.
            timeline.record_urls = True
            try:
                timeline.on_post_build(config=config)
            finally:  # MkDocs may reuse the plugin instance in this process
                timeline.record_urls = False
    except BaseException:
        if reader is not None:
            reader.close()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    atomic.swap_into_place(staging, target)


def _terminate_as_exit(signum: int, frame: object) -> None:
    # SIGTERM (CI cancelling a job) becomes SystemExit, so atomic_build's cleanup runs.
    raise SystemExit(128 + signum)


def cmd_build(args: argparse.Namespace) -> int:
    from mkdocs.exceptions import MkDocsException

    from timeweave.output.linkcheck import BrokenLinks

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate_as_exit)
    # MkDocs only prints through handlers its own command line installs; without one, a failed
    # build would say "Aborted with a BuildError!" and hide every content error and warning.
    shown = logging.StreamHandler(sys.stderr)
    shown.setLevel(logging.WARNING)
    shown.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logging.getLogger("mkdocs").addHandler(shown)
    try:
        atomic_build(args.config_file, args.site_dir, strict=not args.no_strict,
                     record_urls=not args.no_record_urls,
                     linkcheck=not args.no_linkcheck)
    except MkDocsException as exc:
        print(f"build failed; the previous site in {args.site_dir}/ is untouched.\n{exc}", file=sys.stderr)
        return EXIT_BUILD
    except BrokenLinks as exc:
        print(f"build failed; the previous site in {args.site_dir}/ is untouched.\n{exc}", file=sys.stderr)
        return EXIT_LINKS
    print(f"site built in {args.site_dir}/")
    return EXIT_OK


def cmd_linkcheck(args: argparse.Namespace) -> int:
    from timeweave.output.linkcheck import check_site, format_report

    site = Path(args.site_dir)
    if not (site / "index.html").is_file():
        print(f"no built site in {site}/ (run `python -m timeweave build` first)", file=sys.stderr)
        return EXIT_USAGE
    site_url = None
    if Path(args.config_file).is_file():  # the path the site is served under, for 404.html's links
        from mkdocs.config import load_config

        site_url = load_config(args.config_file).site_url
    broken = check_site(site, site_url=site_url)
    print(format_report(broken, site), file=sys.stderr if broken else sys.stdout)
    return EXIT_LINKS if broken else EXIT_OK


def cmd_pages(args: argparse.Namespace) -> int:
    from timeweave.build import build_site_pages
    from timeweave.errors import ContentErrors
    from timeweave.site.pages import SiteOptions, write_pages

    try:
        result = build_site_pages(Path(args.content), SiteOptions(site_name=args.site_name),
                                  Path(args.overrides), Path.cwd())
    except ContentErrors as exc:
        print(exc, file=sys.stderr)
        return EXIT_CONTENT
    write_pages(result.pages, Path(args.out))
    guide = Path(args.contributing) if args.contributing else None
    if guide is not None and guide.is_file():  # the same /contributing/ page the plugin publishes
        from timeweave.site.contributing import guide_page
        write_pages([guide_page(guide.read_text(encoding="utf-8"))], Path(args.out))
    print(f"{len(result.pages)} pages written to {args.out}/")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve

    serve(config_file=args.config_file, livereload=True, dev_addr=args.dev_addr)
    return EXIT_OK


def cmd_preview(args: argparse.Namespace) -> int:
    from timeweave.builders.mkdocs.preview import serve

    serve(config_file=args.config_file, dev_addr=args.dev_addr)
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from timeweave.tools import scaffold

    interactive = sys.stdin.isatty() and not args.no_input
    asker = scaffold.Asker(input if interactive else None, print)
    content, root = Path(args.content), Path.cwd()
    try:
        if args.kind == "event":
            written = scaffold.new_event(content, root, asker, title=args.title, date_text=args.date,
                                         place=args.place, type_=args.type, status=args.status,
                                         source=args.source, actors=args.actor, record_id=args.id)
        elif args.kind == "actor":
            written = scaffold.new_actor(content, root, asker, name=args.name, kind=args.actor_kind,
                                         record_id=args.id)
        elif args.kind == "place":
            written = scaffold.new_place(content, root, asker, name=args.name, kind=args.place_kind,
                                         within=args.within, coordinates=args.coordinates, record_id=args.id)
        else:
            written = scaffold.new_source(content, root, asker, title=args.title, kind=args.source_kind,
                                          url=args.url, publisher=args.publisher, published=args.published,
                                          note=args.note, record_id=args.id)
    except scaffold.ScaffoldError as exc:
        print(f"new {args.kind}: {exc.message}", file=sys.stderr)
        return exc.code
    except (EOFError, KeyboardInterrupt):
        print(f"\nnew {args.kind}: stopped; nothing was written", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {written.shown}")
    print("next: fill it in (the comments explain each field), then run `make validate`")
    return EXIT_OK


def cmd_build_docs(args: argparse.Namespace) -> int:
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


def _new_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    new = sub.add_parser("new", help="write a new content file that validates as it is",
                         description="Write a new event, actor, place or source file. Options give the "
                                     "essentials; in a terminal, whatever is missing is asked for. "
                                     "Existing files are never overwritten.\n\nexit codes: 0 written; "
                                     "1 a file or id already exists; 2 a missing or invalid option",
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    kinds = new.add_subparsers(dest="kind", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--content", default="content")
    common.add_argument("--id", help="the file name without .md (default: made from the title or name)")
    common.add_argument("--no-input", action="store_true", help="never ask; fail when an option is missing")
    event = kinds.add_parser("event", parents=[common], help="content/events/<year>/<id>.md")
    event.add_argument("--title")
    event.add_argument("--date", help="EDTF: 2020-02-10, 2020-02, 2020-02-10~, 2020-02-03/2020-02-05")
    event.add_argument("--type", help="an event type from content/vocabulary.yml")
    event.add_argument("--place", help="a place id (a near miss gets suggestions)")
    event.add_argument("--source", help="a source id (add it first with `new source`)")
    event.add_argument("--status", help="a status from content/vocabulary.yml (default: reported)")
    event.add_argument("--actor", action="append", metavar="ACTOR:ROLE",
                       help="an actor id and its role, e.g. turkey:initiator (repeatable)")
    actor = kinds.add_parser("actor", parents=[common], help="content/actors/<id>.md")
    actor.add_argument("--name")
    actor.add_argument("--kind", dest="actor_kind")
    place = kinds.add_parser("place", parents=[common], help="content/places/<id>.md")
    place.add_argument("--name")
    place.add_argument("--kind", dest="place_kind")
    place.add_argument("--within", help="the id of the larger place it is in")
    place.add_argument("--coordinates", help="'latitude, longitude', e.g. '35.93, 36.63'")
    source = kinds.add_parser("source", parents=[common], help="content/sources/<id>.md")
    source.add_argument("--title")
    source.add_argument("--kind", dest="source_kind")
    source.add_argument("--url")
    source.add_argument("--publisher")
    source.add_argument("--published", help="EDTF date")
    source.add_argument("--note", help="where to find it, when it has no URL (becomes the body)")
    new.set_defaults(func=cmd_new)


def cmd_import(args: argparse.Namespace) -> int:
    from timeweave.tools.importers import run_import

    source = Path(args.file)
    if not source.is_file():
        print(f"{source}: file not found", file=sys.stderr)
        return EXIT_USAGE
    report = run_import(args.format, source, Path(args.content), args.type, args.status)
    print(report.format())
    return EXIT_OK if report.ok else EXIT_CONTENT


def cmd_schema(args: argparse.Namespace) -> int:
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


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m timeweave", description=__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("--version", action="version", version=f"timeweave {__version__}")
    sub = top.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help="check the content and list every problem",
                              description=VALIDATE_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    validate.add_argument("--content", default="content")
    validate.add_argument("--format", choices=("text", "github", "json"), default="text",
                          help="text: path:line: field: message; github: workflow annotations "
                               "(::error file=...,line=...::); json: a list of objects for tools")
    validate.add_argument("--manifest", help="published-URL manifest to check, if it exists "
                          "(default: published-urls.txt beside the content folder)")
    validate.add_argument("--docs", help="hand-written pages (default: docs/ beside the content folder)")
    validate.add_argument("--contributing", default="CONTRIBUTING.md",
                          help="the contributor's guide the site publishes as /contributing/ ('' for none)")
    validate.add_argument("--changed", action="store_true",
                          help="report only files that differ from --base (committed, staged, unstaged "
                               "or untracked) and the records that refer to them")
    validate.add_argument("--base", default="main", help="branch or commit --changed compares with "
                                                         "(default: main)")
    validate.set_defaults(func=cmd_validate)

    build = sub.add_parser("build", help="validate and build the site atomically (strict)")
    build.add_argument("-f", "--config-file", default="mkdocs.yml")
    build.add_argument("-d", "--site-dir", default="site")
    build.add_argument("--no-strict", action="store_true")
    build.add_argument("--no-record-urls", action="store_true",
                       help="do not add this build's URLs to the published-URL manifest")
    build.add_argument("--no-linkcheck", action="store_true", help="skip the internal link and anchor check")
    build.set_defaults(func=cmd_build)

    linkcheck = sub.add_parser("linkcheck", help="check every internal link and anchor of a built site")
    linkcheck.add_argument("site_dir", nargs="?", default="site")
    linkcheck.add_argument("-f", "--config-file", default="mkdocs.yml", help="for site_url, if the file exists")
    linkcheck.set_defaults(func=cmd_linkcheck)

    pages = sub.add_parser("pages", help="write the generated Markdown pages to a folder")
    pages.add_argument("out")
    pages.add_argument("--content", default="content")
    pages.add_argument("--overrides", default="site_overrides")
    pages.add_argument("--site-name", default="Timeline")
    pages.add_argument("--contributing", default="CONTRIBUTING.md",
                       help="the contributor's guide, written as contributing.md ('' for none)")
    pages.set_defaults(func=cmd_pages)

    serve = sub.add_parser("serve", help="preview with live reload")
    serve.add_argument("-f", "--config-file", default="mkdocs.yml")
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000")
    serve.set_defaults(func=cmd_serve)

    preview = sub.add_parser("preview", help="fast preview: one full build, then only the pages an edit changes")
    preview.add_argument("-f", "--config-file", default="mkdocs.yml")
    preview.add_argument("-a", "--dev-addr", default="127.0.0.1:8000")
    preview.set_defaults(func=cmd_preview)

    _new_parser(sub)
    docs = sub.add_parser("build-docs", help="rewrite the field reference in CONTRIBUTING.md from the models")
    docs.add_argument("--guide", default="CONTRIBUTING.md")
    docs.add_argument("--check", action="store_true", help="only check; exit 1 when it is out of date")
    docs.set_defaults(func=cmd_build_docs)
    importer = sub.add_parser("import", help="import a CSV or TimelineJS file into content/ (never overwrites)")
    importer.add_argument("format", choices=("csv", "timelinejs"))
    importer.add_argument("file")
    importer.add_argument("--content", default="content")
    importer.add_argument("--type", help="event type id for events without one (default in a new folder: event)")
    importer.add_argument("--status", help="status id for events without one (default: reported)")
    importer.set_defaults(func=cmd_import)

    schema = sub.add_parser("schema", help="write the JSON Schemas of the content types (schema/)")
    schema.add_argument("--out", default="schema")
    schema.add_argument("--check", action="store_true", help="only check that the files are up to date")
    schema.set_defaults(func=cmd_schema)
    init_command.add_parser(sub)
    return top


_QUICK_EXIT = {"validate"}  # commands that leave no thread, helper process or temporary file behind
_last_command: str | None = None


def wants_quick_exit() -> bool:
    """Whether the command main() just ran may end the process without the interpreter's teardown."""
    return _last_command in _QUICK_EXIT


def main(argv: list[str] | None = None) -> int:
    global _last_command
    _last_command = None
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    _last_command = args.command
    return int(args.func(args))
