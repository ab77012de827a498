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

The binary comes from the `pagefind_bin` wheel that the `pagefind` distribution's `bin` extra
installs (PAGEFIND_BINARY_PATH names another one).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

BUNDLE_DIR = "pagefind"  # below the site folder; the theme's header loads the UI from here


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
    # The sections the templates mark data-search-exclude (citations, versions, related and nearby
    # events, the map): the same words on every page, which only bloat the index and its fragments.
    done = subprocess.run([str(binary), "--site", str(site), "--output-subdir", BUNDLE_DIR, "--quiet",
                           "--exclude-selectors", "[data-search-exclude]"],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SearchIndexError(f"Pagefind could not index {site}:\n{done.stdout}{done.stderr}".rstrip())
