"""URLs that never break: the published-URL manifest, redirects for renamed and merged records.

A committed manifest (`published-urls.txt`: one URL path a line, sorted) lists every permanent
URL the site has ever published. A real build adds its own URLs to it; validation fails when a URL
in it would no longer answer with a page or a redirect, and names the fix. Permanent URLs are the
home page, the section index pages and the Data page, every record page (events, actors, places, sources, including
withdrawn events' tombstones), every hand-written page under docs/, and every redirect. List pages
past the first, month, type and tag pages come and go with the content and are not listed.

Redirects are small standalone HTML files (meta refresh, canonical link, a visible link, and a
script that keeps the #fragment), written where the old page was: a former id (`former_ids`) of
any record, and every event merged into another (`merged_into`).
"""

from __future__ import annotations

import bisect
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from timeweave import urls
from timeweave.catalog.catalog import Catalog
from timeweave.catalog.order import event_sort_key
from timeweave.content.history import History
from timeweave.content.manifest_history import manifest_at, manifest_ever
from timeweave.errors import ContentError
from timeweave.kinds import KIND_BY_NAME
from timeweave.site.provenance import Provenance

if TYPE_CHECKING:
    from timeweave.site.pages import SiteOptions

MANIFEST_NAME = "published-urls.txt"
CITE_SCRIPT = Path(__file__).parent / "static" / "cite.js"


@dataclass(frozen=True)
class Redirect:
    url: str  # the old site-relative URL ("events/old-id/")
    target: str  # where it goes now
    title: str  # the target's title or name
    reason: str  # "renamed" or "merged"
    old_title: str = ""  # for a merged event: its own title


def _title(catalog: Catalog, kind: str, record_id: str) -> str:
    record = catalog.records_by_kind()[kind][record_id]
    return str(getattr(record, KIND_BY_NAME[kind].title_field))


def _final_event(catalog: Catalog, event_id: str) -> str:
    """Where an event lives now: itself, or the event it was merged into (validation keeps that one live)."""
    merged_into = catalog.events[event_id].merged_into
    return merged_into if merged_into is not None and merged_into in catalog.events else event_id


def redirects(catalog: Catalog) -> list[Redirect]:
    """Every redirect the site publishes, sorted by old URL."""
    found: list[Redirect] = []
    for event in catalog.events.values():
        if event.merged_into and event.merged_into in catalog.events:
            found.append(Redirect(urls.event_url(event.id), urls.event_url(event.merged_into),
                                  catalog.events[event.merged_into].title, "merged", event.title))
    for kind, mapping in catalog.former_ids.items():
        for old, new in mapping.items():
            target_id = _final_event(catalog, new) if kind == "event" else new
            found.append(Redirect(urls.record_url(kind, old), urls.record_url(kind, target_id),
                                  _title(catalog, kind, target_id), "renamed"))
    return sorted(found, key=lambda r: r.url)


def doc_pages(docs_dir: Path) -> list[str]:
    """Hand-written Markdown pages below docs_dir, as src URIs ('about.md')."""
    if not docs_dir.is_dir():
        return []
    found = []
    for dirpath, dirnames, filenames in os.walk(docs_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if name.endswith(".md") and not name.startswith("."):
                found.append((Path(dirpath) / name).relative_to(docs_dir).as_posix())
    return sorted(found)


def permanent_urls(catalog: Catalog, doc_src_uris: Iterable[str] = (),
                   feature_pages: Iterable[str] = ()) -> set[str]:
    """Every permanent URL path this content publishes (pages and redirects).

    `feature_pages` are pages a configuration option adds (the contributor's guide); the map is
    always built, so it is here unconditionally. Paginated list pages (`timeline/page-2/`) are not
    permanent: what they show moves as events are added."""
    found = {urls.HOME_URL, *urls.SECTION_URLS, urls.DATA_PAGE_URL, urls.MAP_URL, *feature_pages}
    for kind, table in catalog.records_by_kind().items():
        found.update(urls.record_url(kind, record_id) for record_id in table)
    found.update(r.url for r in redirects(catalog))
    found.update(urls.doc_page_url(src) for src in doc_src_uris)
    return {urls.url_path(url) for url in found}


def read_manifest(text: str) -> list[tuple[int, str]]:
    """(line number, URL path) for every non-blank line."""
    return [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]


def format_manifest(paths: Iterable[str]) -> str:
    return "".join(f"{path}\n" for path in sorted(set(paths)))


def merge_manifest(text: str, published: Iterable[str]) -> str:
    """The manifest with this build's URLs added; nothing is ever removed."""
    return format_manifest([path for _, path in read_manifest(text)] + list(published))


def _restore_hint(kind: str, record_id: str, content_dir: str, history: History | None) -> str:
    record_kind = KIND_BY_NAME[kind]
    folder = f"{content_dir}/{record_kind.content_folder}"
    shown = f"{folder}/<year>/{record_id}.md" if record_kind.year_folders else f"{folder}/{record_id}.md"
    deleted = history.deleted(folder, record_id) if history is not None and history.available else None
    if deleted is not None:
        path, change = deleted
        shown = (f"{path} (deleted in commit {change.short} on {change.day}; "
                 f"`git checkout {change.short}^ -- {history.repo_path(path)}` brings it back)")  # type: ignore[union-attr]
    if kind == "event":
        return (f"restore {shown} and mark it `withdrawn: {{date, reason}}` or `merged_into: <event id>` "
                f"instead of deleting it; if the event was renamed, add '{record_id}' to `former_ids` "
                "of the event that replaced it")
    return (f"restore {shown}, or add '{record_id}' to `former_ids` of the {kind} that replaced it "
            "(the old URL then redirects there)")


_WHITESPACE = re.compile(r"\s")  # what str.isspace() finds, in one pass over each line


def check_manifest(manifest_shown: str, text: str, available: set[str], content_dir: str = "content",
                   history: History | None = None) -> list[ContentError]:
    """One error for each URL in the manifest that nothing answers any more, naming the fix."""
    errors = []
    for number, path in read_manifest(text):
        if not path.startswith("/") or _WHITESPACE.search(path) or "/../" in path + "/":
            errors.append(ContentError(manifest_shown, number, "url", f"'{path}' is not a URL path",
                                       "one URL path a line, starting with '/', e.g. /events/<id>/"))
            continue
        if path in available:
            continue
        record = urls.record_of_path(path)
        if record is not None:
            kind, record_id = record
            hint = _restore_hint(kind, record_id, content_dir, history)
            what = f"the {kind} '{record_id}'"
        else:
            hint = ("restore the page that published it (a hand-written page lives under docs/); "
                    "published URLs must keep working")
            what = "a page"
        errors.append(ContentError(
            manifest_shown, number, "url", f"published URL {path} ({what}) no longer resolves to a page or "
            "a redirect", hint))
    return errors


def check_published(catalog: Catalog, manifest: Path, docs_dir: Path, root: Path,
                    content_dir: Path, history: History | None = None,
                    feature_pages: Iterable[str] = ()) -> list[ContentError]:
    """The manifest check as validation and the build run it; no manifest file means nothing to check."""
    if not manifest.is_file():
        return []
    shown = _shown(manifest, root)
    available = permanent_urls(catalog, doc_pages(docs_dir), feature_pages)
    return check_manifest(shown, manifest.read_text(encoding="utf-8"), available,
                          _shown(content_dir, root), history)


KEEP_HINT = ("restore the lines; a published URL is kept for ever: a redirect or a tombstone replaces a "
             "deleted record")


def check_kept(manifest_shown: str, text: str, before: Mapping[str, str]) -> list[ContentError]:
    """One error for each URL the manifest had before (`before`: URL -> where it was seen) and lost,
    at the line where it belongs in the sorted file, so a deletion or a cut file cannot pass."""
    present = sorted(path for _, path in read_manifest(text))
    kept = set(present)
    errors = []
    for path, where in sorted(before.items()):
        if path in kept or _cut_off(path, before):
            continue
        line = bisect.bisect_left(present, path) + 1
        errors.append(ContentError(manifest_shown, line, "url", f"published URL {path} was removed from the "
                                   f"manifest (it is in {where})", KEEP_HINT))
    return errors


def check_grows(manifest: Path, root: Path, base: str | None = None) -> list[ContentError]:
    """The manifest lost no line: none that `base` has (a pull request), or without a base none
    that any commit of this history gave it. A missing manifest lost every line; without git,
    nothing to compare with."""
    before = manifest_at(manifest, base) if base is not None else manifest_ever(manifest)
    if before is None or not before.lines:
        return []
    text = manifest.read_text(encoding="utf-8", errors="replace") if manifest.is_file() else ""
    return check_kept(_shown(manifest, root), text, before.lines)


def _cut_off(path: str, before: Mapping[str, str]) -> bool:
    # A line once committed from a cut file ('/events/som') is a piece of a longer URL, not a URL
    # that was published: demanding it back would leave no fix.
    return not path.endswith("/") and any(other != path and other.startswith(path) for other in before)


def update_manifest(manifest: Path, published: Iterable[str]) -> bool:
    """Add this build's URLs; returns True when the file changed (it is rewritten only then).

    The new text goes to a temporary file in the same folder, is flushed to disk, and replaces the
    manifest by a rename: a full disk or a crash midway leaves the old manifest whole, never a cut one."""
    old = manifest.read_text(encoding="utf-8") if manifest.is_file() else ""
    new = merge_manifest(old, published)
    if new == old:
        return False
    _replace_atomically(manifest, new.encode("utf-8"))
    return True


def _replace_atomically(target: Path, content: bytes) -> None:
    mode = target.stat().st_mode & 0o7777 if target.exists() else _default_mode()
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)  # mkstemp's file is private; the manifest keeps its own mode
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    folder = os.open(target.parent, os.O_RDONLY)
    try:  # the rename itself is only durable once the folder is
        os.fsync(folder)
    finally:
        os.close(folder)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# -- outputs --------------------------------------------------------------------------------------

def redirect_html(redirect: Redirect, provenance: Provenance, env: Any) -> str:
    return str(env.get_template("redirect.html.j2").render(
        redirect=redirect, target=urls.relative(redirect.url, redirect.target),
        canonical=(provenance.permalink(redirect.target) if provenance.absolute
                   else urls.relative(redirect.url, redirect.target)),
        site_name=provenance.site_name,
    ))


def site_files(catalog: Catalog, options: SiteOptions, override_dir: Path | None = None,
               history: History | None = None, env: Any = None) -> list[tuple[str, bytes]]:
    """Redirect pages, the citation files of each month (data/citations/), and the citation script. env: the
    build's Jinja environment (made from override_dir when not given)."""
    provenance = Provenance(catalog, options.site_name, options.site_url, options.repo_url,
                            options.version_url, history)
    if env is None:
        from timeweave.site.pages import (
            make_environment,  # here: validation checks the manifest without the page templates
        )

        env = make_environment(override_dir)
    files: list[tuple[str, bytes]] = []
    for redirect in redirects(catalog):
        files.append((urls.redirect_file(redirect.url), redirect_html(redirect, provenance, env).encode()))
    live = sorted((e for e in catalog.events.values() if e.merged_into is None),
                  key=event_sort_key)
    files.extend((path, text.encode()) for path, text in provenance.cite_files(live))
    files.append((urls.CITE_SCRIPT_URL, CITE_SCRIPT.read_bytes()))
    return sorted(files)


def page_modified(history: History | None, meta: Mapping[str, Any], doc_path: str | None) -> str | None:
    """When a page last changed: its record's file (already in its front matter), its own file for a
    hand-written page, else the latest change to any content (list pages show a bit of everything)."""
    if meta.get("tl_modified"):
        return str(meta["tl_modified"])
    if history is None or not history.available:
        return None
    if doc_path is not None:
        found = history.of(doc_path)
        if found is not None:
            return found.last.date
    return history.latest.date if history.latest else None
