"""The pipeline, top to bottom: content files -> validated catalog -> pages and files -> a builder.

`validate` is its first half (what `timeweave validate` runs); `build` calls it and goes on to the
site. Every entry point calls these two: the MkDocs plugin (builders/mkdocs), the folder for other
builders (builders/folder.py, `timeweave pages`), the preview's first build and the command line.
None of it knows about a builder or about processes: the runner decides where heavy steps run
(parallel/runner.py), and both runners give the same bytes.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from timeweave.catalog.body_links import body_link_problems, listed_pages, record_pages
from timeweave.catalog.catalog import Catalog, build_catalog
from timeweave.content.history import History, load_history
from timeweave.content.loader import load_content
from timeweave.content.published_files import published_file_problems
from timeweave.content.records import LoadResult, RawRecord
from timeweave.content.textchecks import own_problems
from timeweave.errors import ContentError, ContentErrors
from timeweave.exports import export_notices
from timeweave.output.markdowncache import MarkdownCache, markdown_scope
from timeweave.output.pagecache import CACHE_DIR
from timeweave.output.textcache import load_texts, save_texts
from timeweave.parallel.runner import SERIAL, Runner, paused_collector
from timeweave.project import Project
from timeweave.site.contributing import guide_page, guide_problems
from timeweave.site.datapage import data_page, open_data_files
from timeweave.site.maps import map_files
from timeweave.site.pageinputs import PageInputs
from timeweave.site.pages import GeneratedPage, generate_pages, make_environment
from timeweave.site.permanence import check_grows, check_published, doc_pages, permanent_urls, site_files
from timeweave.site.reader import reader_files
from timeweave.site.sitemap import NO_SITE_URL, sitemap_file
from timeweave.urls import SITEMAP_URL


@dataclass
class Validation:
    loaded: LoadResult
    catalog: Catalog | None  # None when the content is too broken to cross-check (the problems say why)
    content_problems: list[ContentError]  # errors and warnings of the files, in file and line order
    # The site's own files: published URLs that would no longer answer, a guide it cannot publish.
    manifest_problems: list[ContentError]
    site_urls: set[str] = field(default_factory=set)  # every permanent URL the content publishes

    @property
    def problems(self) -> list[ContentError]:
        return self.content_problems + self.manifest_problems

    @property
    def errors(self) -> list[ContentError]:
        return [problem for problem in self.problems if problem.severity == "error"]


def validate(project: Project, runner: Runner = SERIAL, *, for_site: bool = False,
             today: date | None = None, base: str | None = None) -> Validation:
    """Every problem of the content, all at once. for_site also makes the catalog's indexes (the
    timeline, backlinks...), which pages need and validation alone does not. today: the date
    checks compare with (default: the clock's; tests pin it). base: the branch the manifest must
    keep every line of (default: every line of its git history)."""
    with paused_collector():
        loaded = load_content(project.content_dir, project.root, check=own_problems,
                              check_here=_model_of, runner=runner)          # files -> raw records
        catalog, log = build_catalog(loaded, today, index=for_site)             # models, cross-references
    published = manifest_problems(catalog, project, base) if catalog is not None else []  # URLs still answer
    if project.contributing is not None:  # the guide the site publishes, which the build would refuse
        published += guide_problems(project.contributing, project.root)
    site_urls = permanent_urls(catalog, doc_pages(project.docs_dir), project.feature_pages) if catalog else set()
    problems = list(log.items) + body_link_problems_of(loaded, catalog, site_urls)  # links inside the site
    problems += published_file_problems(project.root, (project.content_dir, project.contributing, project.manifest),
                                        (project.docs_dir, project.override_dir))  # what MkDocs copies as it is
    return Validation(loaded, catalog, problems, published, site_urls)


def build(project: Project, runner: Runner = SERIAL, *, today: date | None = None,
          history: History | None = None, use_cache: bool = False) -> BuildResult:
    """Validate, then every page and file of the site; raises ContentErrors with every problem.
    history: the git history to use instead of the project's (golden tests give an empty one).
    use_cache: the pages and citation texts an earlier build made of the same inputs are reused,
    and this build's kept, in .cache/timeweave/ (output/markdowncache.py, output/textcache.py)."""
    validation = validate(project, runner, for_site=True, today=today)
    if validation.errors or validation.catalog is None:
        raise ContentErrors(validation.problems)
    catalog, options = validation.catalog, project.options
    history = history or load_history(project.root, project.sources)  # one git call: every file's versions
    env = make_environment(project.override_dir, auto_reload=False)  # one for every page and file
    if runner.forks:  # compiled here once, not again in each process that renders a share of the pages
        for name in env.list_templates(extensions=["j2"]):
            env.get_template(name)
    kept = MarkdownCache(project.root / CACHE_DIR, options.site_url) if use_cache else None
    if kept is not None:
        load_texts(project.root / CACHE_DIR, options.site_url)
    reuse = PageInputs(markdown_scope(options, project.override_dir, history), kept.page) if kept else None
    published_at, updated_at = event_publication_dates(catalog, history)
    data_files = runner.meanwhile(lambda: open_data_files(catalog, options, published_at, updated_at),
                                  size=len(catalog.events))    # exports: while pages are rendered
    pages = generate_pages(catalog, options, project.override_dir, history, runner, env, reuse)
    kept_all = _keeping(kept, list(pages), runner)  # thousands of small files: while the rest is made
    if kept is not None:
        save_texts(project.root / CACHE_DIR, options.site_url)
    data = data_files()
    pages.append(data_page(catalog, options, project.override_dir, data, env))
    if project.contributing is not None:
        pages.append(guide_page(project.contributing.read_text(encoding="utf-8")))
    files = [GeneratedFile(path, content) for path, content in itertools.chain(
        data.items(),
        site_files(catalog, options, project.override_dir, history, env),  # redirects, citations
        reader_files(catalog),                                              # filters, reader assets
        map_files(catalog, options.map_tiles, options.map_attribution),     # map data and libraries
    )]
    sitemap = sitemap_file(options.site_url, pages, project.docs_dir, project.root, history)  # every builder's
    if sitemap is not None:
        files.append(GeneratedFile(SITEMAP_URL, sitemap))
    kept_all()  # the builder may link the pages' sources from there (write_out)
    notices = [history.notice] if history.notice else []
    notices += ([] if sitemap else [NO_SITE_URL]) + export_notices(catalog)
    return BuildResult(catalog, pages, files, [p for p in validation.problems if p.severity != "error"],
                       history, notices, sorted(validation.site_urls), markdown=kept)


def _keeping(kept: MarkdownCache | None, pages: list[GeneratedPage], runner: Runner) -> Callable[[], bool]:
    """The pages kept in the Markdown cache, maybe elsewhere meanwhile; call the result to wait."""
    if kept is None:
        return lambda: True

    def keep() -> bool:
        kept.keep(pages)
        return True  # not None: the runner takes None for a job that failed, and does it again here

    return runner.meanwhile(keep, size=len(pages))


def manifest_problems(catalog: Catalog, project: Project, base: str | None = None) -> list[ContentError]:
    """The published-URL manifest lost no line (since base, or in its git history), and every URL
    in it still answers. The content's history is read only when one does not, to say how its
    file was deleted."""
    if project.manifest is None:
        return []
    lost = check_grows(project.manifest, project.root, base)
    if not project.manifest.is_file():
        return lost
    where = (project.manifest, project.docs_dir, project.root, project.content_dir)
    problems = check_published(catalog, *where, feature_pages=project.feature_pages)
    if not problems:
        return lost
    return lost + check_published(catalog, *where, history=load_history(project.root, project.sources),
                                  feature_pages=project.feature_pages)


def body_link_problems_of(loaded: LoadResult, catalog: Catalog | None, site_urls: set[str]) -> list[ContentError]:
    """What the built site's link check would refuse in the accounts, with the content's line.
    Without a catalog, links to records only, so that fixing the other errors reveals no new ones."""
    if catalog is None:
        return body_link_problems(loaded.records, record_pages(loaded), only_records=True)
    return body_link_problems(loaded.records, site_urls | listed_pages(catalog))


def _model_of(raw: RawRecord) -> object:
    # Imported by the first record validated, when the loader's second process is already reading:
    # the schema's models take a quarter of a second to import.
    from timeweave.content.models import build_record

    return build_record(raw)


@dataclass(frozen=True)
class GeneratedFile:
    """A non-page output (data export, map data, vendored asset...) at a site-relative path."""

    path: str
    content: bytes


@dataclass
class BuildResult:
    catalog: Catalog | None  # None once written out (write_out): the catalog stays where it was made
    pages: list[GeneratedPage]
    files: list[GeneratedFile] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)
    history: History | None = None
    notices: list[str] = field(default_factory=list)  # said once per build; not content problems
    published_urls: list[str] = field(default_factory=list)  # every permanent URL this site has
    # Set when the pages and files were written there instead of being held (write_out): their
    # `content` is then empty.
    folder: Path | None = None
    markdown: MarkdownCache | None = None  # where the pages with inputs were kept, when they were

    def source_of(self, path: str) -> Path | None:
        """Where a page's or file's content was written, when it was."""
        return self.folder / path if self.folder is not None else None


def event_publication_dates(catalog: Catalog, history: History) -> tuple[dict[str, datetime], dict[str, datetime]]:
    """Event id -> when its file was first committed, and last changed (empty without git)."""
    published_at: dict[str, datetime] = {}
    updated_at: dict[str, datetime] = {}
    for event in catalog.events.values():
        versions = history.of(event.path)
        if versions is not None:
            published_at[event.id] = versions.first.moment
            updated_at[event.id] = versions.last.moment
    return published_at, updated_at


def write_out(result: BuildResult, folder: Path) -> BuildResult:
    """Write every page and file of result below folder; what is left holds none of their content.
    A page is written as its source with its HTML blocks apart (GeneratedPage.source), which the
    builder that reads the folder puts back; one the Markdown cache holds is linked from there."""
    made: set[Path] = set()

    def target(path: str) -> Path:
        found = folder / path
        if found.parent not in made:
            found.parent.mkdir(parents=True, exist_ok=True)
            made.add(found.parent)
        return found

    for page in result.pages:
        if result.markdown is not None and page.inputs is not None:
            try:  # the same bytes, neither encoded nor written again
                os.link(result.markdown.source_file(page.inputs), target(page.src_uri))
                continue
            except OSError:
                pass
        target(page.src_uri).write_bytes(page.source.encode("utf-8"))
    for file in result.files:
        target(file.path).write_bytes(file.content)
    return dataclasses.replace(result, catalog=None,
                               pages=[dataclasses.replace(page, content="", html_blocks=()) for page in result.pages],
                               files=[GeneratedFile(f.path, b"") for f in result.files], folder=folder)
