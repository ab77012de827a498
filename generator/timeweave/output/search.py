"""The site's search: a Pagefind index made over the built HTML, whatever builder wrote it.

Material's search made one index of every page, which the browser downloaded whole before it
answered a query. Pagefind splits its index into fragments and the browser fetches only the
ones a query needs, so what a reader downloads stays small however large the timeline grows.

Pagefind reads what the theme marks in each page: `data-pagefind-body` around the page's own
content (list pages and withdrawn events leave it out, so they are not offered as results),
`data-pagefind-filter` (kind, type, status) and `data-pagefind-meta` (date, status) on empty
elements. It writes its index, its search script and its UI bundle into `pagefind/` of the site;
the theme's header loads the UI from there. Each language of the site (`<html lang>`) gets its
own index with its stemmer; words in other scripts (Arabic or Russian names in an English page)
are indexed as written.

Pagefind reads and parses every HTML file its glob names, and keeps what it read of every page
until it has seen them all, whether or not the page carries `data-pagefind-body`: on a large
timeline the list pages (timeline, months, types, tags), which are never results, are most of
its memory. So the glob names only the pages that carry the mark (`pages_glob`).

The binary comes from the `pagefind_bin` wheel that the `pagefind` distribution's `bin` extra
installs (PAGEFIND_BINARY_PATH names another one).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

BUNDLE_DIR = "pagefind"  # below the site folder; the theme's header loads the UI from here
BODY_MARK = b"data-pagefind-body"
# A top folder whose pages are mostly unmarked (the list pages of timeline/, tags/, types/) has its
# marked pages named one by one, up to this many; past it the folder is globbed whole, its unmarked
# pages read for nothing, so that the glob stays a short argument.
NAMED_PER_FOLDER = 40


class SearchIndexError(RuntimeError):
    """Pagefind is missing or failed; the message says which, with its own output."""


def index_site(site: Path) -> None:
    """Write the search index of the built site in `site` into `site/pagefind/`, replacing any
    earlier one. Raises SearchIndexError when the binary is missing or fails."""
    from pagefind.service import get_executable

    binary = get_executable()
    if binary is None or not Path(binary).is_file():
        raise SearchIndexError("the search index needs the Pagefind binary: pip install 'pagefind[bin]'")
    shutil.rmtree(site / BUNDLE_DIR, ignore_errors=True)  # no fragment of an earlier index stays
    glob = pages_glob(site)
    # The sections the templates mark data-search-exclude (citations, versions, related and nearby
    # events, the map): the same words on every page, which only bloat the index and its fragments.
    done = subprocess.run([str(binary), "--site", str(site), "--output-subdir", BUNDLE_DIR, "--quiet",
                           "--exclude-selectors", "[data-search-exclude]", *(["--glob", glob] if glob else [])],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SearchIndexError(f"Pagefind could not index {site}:\n{done.stdout}{done.stderr}".rstrip())


def pages_glob(site: Path) -> str | None:
    """A Pagefind glob (relative to `site`) that names every HTML page carrying `data-pagefind-body`
    and as few others as it can; None when no page carries it (Pagefind then indexes every page)."""
    marked: dict[str, list[str]] = {}  # top folder ("" for the site's own files) -> marked pages
    pages: dict[str, int] = {}
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative.startswith(BUNDLE_DIR + "/"):
            continue
        top = relative.split("/", 1)[0] if "/" in relative else ""
        pages[top] = pages.get(top, 0) + 1
        if BODY_MARK in path.read_bytes():
            marked.setdefault(top, []).append(relative)
    if not marked:
        return None
    parts: list[str] = []
    for top, files in sorted(marked.items()):
        if top and (2 * len(files) >= pages[top] or len(files) > NAMED_PER_FOLDER):
            parts.append(f"{_escaped(top)}/**/*.html")
        else:
            parts.extend(_escaped(name) for name in files)
    return "{" + ",".join(parts) + "}" if len(parts) > 1 else parts[0]


def _escaped(name: str) -> str:
    """A path as a literal in Pagefind's glob (Rust's globset): its metacharacters escaped."""
    return "".join(f"[{c}]" if c in "*?[]{}," else c for c in name)
