"""`timeweave build` (the site, atomically), `timeweave pages` (the builder-neutral source folder)
and `timeweave linkcheck` (a built site's internal links)."""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from timeweave.cli.common import EXIT_BUILD, EXIT_CONTENT, EXIT_LINKS, EXIT_OK, EXIT_USAGE, exit_on_terminate
from timeweave.parallel.runner import ForkedRunner, Runner

if TYPE_CHECKING:
    from timeweave.builders.publish import Built

BUILDERS = ("mkdocs", "zensical")


def add_parsers(sub: Any) -> None:
    build = sub.add_parser("build", help="validate and build the site atomically (strict)")
    build.add_argument("-f", "--config-file", default="mkdocs.yml")
    build.add_argument("-d", "--site-dir", default="site")
    build.add_argument("--no-strict", action="store_true")
    build.add_argument("--no-record-urls", action="store_true",
                       help="do not add this build's URLs to the published-URL manifest")
    build.add_argument("--no-linkcheck", action="store_true", help="skip the internal link and anchor check")
    build.add_argument("--no-cache", action="store_true",
                       help="build every page, without the pages earlier builds kept in .cache/timeweave/")
    build.add_argument("--builder", choices=BUILDERS, default="mkdocs",
                       help="the site builder: MkDocs with the timeline plugin (default), or Zensical on the "
                            "builder-neutral source folder (build/zensical/)")
    build.add_argument("--source-dir", help="with --builder zensical: where the source folder and Zensical's "
                                            "cache go (default: build/zensical/ beside the configuration)")
    build.add_argument("--publish", action="store_true",
                       help="a build for publication: fails unless the site's address is known "
                            "(SITE_URL, or site_url in the configuration)")
    build.set_defaults(func=run_build)

    linkcheck = sub.add_parser("linkcheck", help="check every internal link and anchor of a built site")
    linkcheck.add_argument("site_dir", nargs="?", default="site")
    linkcheck.add_argument("-f", "--config-file", default="mkdocs.yml", help="for site_url, if the file exists")
    linkcheck.set_defaults(func=run_linkcheck)

    pages = sub.add_parser("pages", help="write the generated pages and files to a folder for another builder")
    pages.add_argument("out")
    pages.add_argument("-f", "--config-file", default="mkdocs.yml",
                       help="the site's configuration (site name, URL, timeline options), if the file exists")
    pages.add_argument("--content", help="content folder (default: the configuration's, or content/)")
    pages.add_argument("--overrides", help="theme custom_dir with timeline/ page templates (default: the "
                                           "configuration's)")
    pages.add_argument("--site-name", help="default: the configuration's site_name")
    pages.add_argument("--contributing", help="the contributor's guide, written as contributing.md "
                                              "(default: the configuration's; '' for none)")
    pages.set_defaults(func=run_pages)


def atomic_build(config_file: str, site_dir: str, strict: bool = True, linkcheck: bool = True,
                 record_urls: bool = False, runner: Runner | None = None, builder: str = "mkdocs",
                 source_dir: str | None = None, use_cache: bool = True) -> None:
    """Build into a staging folder beside site_dir, run the steps after any build (sanitizer, search
    index, link check, URLs recorded: builders/publish.py), and swap it in only when all of that succeeded, so
    a failed or interrupted build never damages the last good site (output/atomic.py).
    Timestamps come from git through SOURCE_DATE_EPOCH (reproducible builds). One build of site_dir
    at a time: a second one raises SiteLocked at once, without waiting, while the first holds
    `site.lock` beside it (output/lock.py). use_cache: pages an earlier build made from the same
    inputs come from .cache/timeweave/ (output/pagecache.py), byte for byte what building them gives."""
    from timeweave.builders.publish import Publishing, after_build
    from timeweave.output import atomic
    from timeweave.output.lock import site_lock

    runner = runner if runner is not None else ForkedRunner()
    target = Path(site_dir).resolve()
    with site_lock(target):  # from before staging to the swap: one build of site_dir at a time
        staging = atomic.staging_dir(target)
        # Beside the staging folder, named like it: removed below, or by the next build if this one is killed.
        scratch = atomic.staging_dir(target)
        try:
            with atomic.build_epoch(Path(config_file).resolve().parent):
                built = _run_builder(builder, config_file, staging, scratch, strict=strict, linkcheck=linkcheck,
                                     runner=runner, source_dir=source_dir, use_cache=use_cache)
            after_build(built, Publishing(staging, target, runner, linkcheck=linkcheck, record_urls=record_urls))
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        finally:
            atomic.remove_in_background(scratch, target)
        try:
            atomic.swap_into_place(staging, target)
        except atomic.SwapError:
            shutil.rmtree(staging, ignore_errors=True)
            raise


def _run_builder(builder: str, config_file: str, staging: Path, scratch: Path, *, strict: bool, linkcheck: bool,
                 runner: Runner, source_dir: str | None, use_cache: bool = True) -> Built:
    if builder == "zensical":
        from timeweave.builders.zensical import build as zensical
        from timeweave.project import project_from_config_file, read_config

        config = Path(config_file).resolve()
        project = project_from_config_file(config)
        source = Path(source_dir).resolve() if source_dir else project.root / zensical.SOURCE_DIR
        return zensical.build(project, read_config(config), staging, source, strict=strict, runner=runner,
                              use_cache=use_cache)
    from timeweave.builders.mkdocs import build as mkdocs

    return mkdocs.build(config_file, staging, scratch, strict=strict, link_check=linkcheck, runner=runner,
                        use_cache=use_cache)


def publication_address(config_file: str) -> str | None:
    """The address a build of config_file would publish under (project.site_address)."""
    from timeweave.project import read_config, site_address

    config = Path(config_file)
    return site_address(read_config(config).get("site_url") if config.is_file() else None)


def run_build(args: argparse.Namespace) -> int:
    from mkdocs.exceptions import MkDocsException

    from timeweave.builders.zensical.build import BuilderFailed
    from timeweave.errors import ContentErrors
    from timeweave.output.atomic import SwapError
    from timeweave.output.linkcheck import BrokenLinks
    from timeweave.output.lock import SiteLocked

    exit_on_terminate()
    # MkDocs only prints through handlers its own command line installs; without one, a failed
    # build would say "Aborted with a BuildError!" and hide every content error and warning.
    shown = logging.StreamHandler(sys.stderr)
    shown.setLevel(logging.WARNING)
    shown.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logging.getLogger("mkdocs").addHandler(shown)
    if args.publish and publication_address(args.config_file) is None:
        print("build refused: a build for publication needs the site's address; set SITE_URL or "
              f"site_url in {args.config_file}, so that permanent links and citations are complete.",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        atomic_build(args.config_file, args.site_dir, strict=not args.no_strict,
                     record_urls=not args.no_record_urls, linkcheck=not args.no_linkcheck, builder=args.builder,
                     source_dir=args.source_dir, use_cache=not args.no_cache)
    except MkDocsException as exc:
        print(f"build failed; the previous site in {args.site_dir}/ is untouched.\n{exc}", file=sys.stderr)
        return EXIT_BUILD
    except ContentErrors as exc:  # as the MkDocs plugin says it (a PluginError above)
        print(f"build failed; the previous site in {args.site_dir}/ is untouched.\ncontent is not valid:\n{exc}",
              file=sys.stderr)
        return EXIT_BUILD
    except BuilderFailed as exc:
        print(f"build failed: {exc}; the previous site in {args.site_dir}/ is untouched.", file=sys.stderr)
        return EXIT_BUILD
    except BrokenLinks as exc:
        print(f"build failed; the previous site in {args.site_dir}/ is untouched.\n{exc}", file=sys.stderr)
        return EXIT_LINKS
    except SiteLocked as exc:
        print(f"build refused: {exc}", file=sys.stderr)
        return EXIT_BUILD
    except SwapError as exc:
        print(f"build failed: {exc}; the previous site in {args.site_dir}/ is untouched.", file=sys.stderr)
        return EXIT_BUILD
    except OSError as exc:  # a full disk, a folder that cannot be written: the staging folder is gone
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"build failed: {exc.strerror or exc}{where}; the previous site in {args.site_dir}/ is untouched.",
              file=sys.stderr)
        return EXIT_BUILD
    finally:
        logging.getLogger("mkdocs").removeHandler(shown)
    print(f"site built in {args.site_dir}/")
    return EXIT_OK


def run_linkcheck(args: argparse.Namespace) -> int:
    from timeweave.output.linkcheck import check_site, format_report

    site = Path(args.site_dir)
    if not (site / "index.html").is_file():
        print(f"no built site in {site}/ (run `timeweave build` first)", file=sys.stderr)
        return EXIT_USAGE
    site_url = publication_address(args.config_file)  # the path the site is served under, for 404.html
    broken = check_site(site, ForkedRunner(), site_url=site_url)
    print(format_report(broken, site), file=sys.stderr if broken else sys.stdout)
    return EXIT_LINKS if broken else EXIT_OK


def run_pages(args: argparse.Namespace) -> int:
    import dataclasses

    from timeweave.builders.folder import write_site_source
    from timeweave.errors import ContentErrors
    from timeweave.project import Project, TimelineSettings, project_from_config_file, read_config

    config = Path(args.config_file)
    site_config = read_config(config) if config.is_file() else {}
    if config.is_file():
        project = project_from_config_file(config)
    else:
        project = Project.make(Path.cwd(), TimelineSettings(contributing="CONTRIBUTING.md"), site_name="Timeline",
                               custom_dir="site_overrides")
    if args.content:
        project = dataclasses.replace(project, content_dir=Path(args.content).resolve())
    if args.overrides:
        project = dataclasses.replace(project, override_dir=Path(args.overrides).resolve())
    if args.contributing is not None:
        guide = Path(args.contributing) if args.contributing else None
        project = dataclasses.replace(project, contributing=guide if guide and guide.is_file() else None)
    if args.site_name:
        project = dataclasses.replace(project, options=dataclasses.replace(project.options,
                                                                           site_name=args.site_name))
    try:
        written = write_site_source(project, Path(args.out), ForkedRunner(), site_config)
    except ContentErrors as exc:
        print(exc, file=sys.stderr)
        return EXIT_CONTENT
    print(f"{written.pages} pages and {written.files} files written to {args.out}/")
    return EXIT_OK
