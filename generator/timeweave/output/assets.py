"""The theme's files that a built site carries and no page of it loads, left out of the site.

Material copies into every site its own search (the lunr language files and the search worker)
and the source maps of its minified scripts and styles. The header's search is Pagefind's, and
the theme's configuration block (builders/mkdocs/theme/main.html) no longer names Material's
worker, so no page starts it; a source map is fetched only by a browser's developer tools.
"""

from __future__ import annotations

import shutil
from pathlib import Path

UNLOADED_ASSETS = ("assets/javascripts/lunr", "assets/javascripts/workers/search.*", "assets/javascripts/*.map",
                   "assets/stylesheets/*.map")


def drop_unloaded_theme_files(site: Path) -> None:
    """Remove the files of UNLOADED_ASSETS from the built site in `site`."""
    for pattern in UNLOADED_ASSETS:
        for path in sorted(site.glob(pattern)):
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
