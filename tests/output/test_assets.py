"""The theme's files that no page loads, left out of the site (output/assets.py), on a real MkDocs
build of the small fixture site."""

from __future__ import annotations

import re
from pathlib import Path

from timeweave.output.assets import UNLOADED_ASSETS


def test_the_themes_files_that_no_page_loads_are_left_out(small_site: Path) -> None:
    # Material's own search (lunr, its worker) and the source maps: nothing of them is in the site,
    # and every script and stylesheet a page names is.
    assert not [path for pattern in UNLOADED_ASSETS for path in small_site.glob(pattern)]
    assert (small_site / "assets/javascripts").is_dir() and (small_site / "assets/stylesheets").is_dir()
    for page in (small_site / "index.html", small_site / "events/shelling-of-post/index.html"):
        html = page.read_text("utf-8")
        named = re.findall(r'<(?:script src|link rel="stylesheet" href)="([^"]+)"', html)
        assert named and all((page.parent / href).resolve().is_file() for href in named), page
        assert "lunr" not in html and "workers/search" not in html
