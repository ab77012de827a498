"""The steps every built site goes through (builders/publish.py), over a real MkDocs build of the
small fixture site."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from timeweave.builders.publish import UNLOADED_ASSETS, Built, Publishing, drop_unloaded_assets
from timeweave.parallel.runner import SERIAL


def test_the_themes_files_that_no_page_loads_are_left_out(small_site: Path, tmp_path: Path) -> None:
    # Material's own search (lunr, its worker) and the source maps: nothing of them stays, and
    # every script and stylesheet a page names does.
    site = shutil.copytree(small_site, tmp_path / "site")
    assert [path for pattern in UNLOADED_ASSETS for path in site.glob(pattern)]  # the theme copied them
    drop_unloaded_assets(Built(None, None), Publishing(site, site, SERIAL))
    assert not [path for pattern in UNLOADED_ASSETS for path in site.glob(pattern)]
    for page in (site / "index.html", site / "events/shelling-of-post/index.html"):
        html = page.read_text("utf-8")
        named = re.findall(r'<(?:script src|link rel="stylesheet" href)="([^"]+)"', html)
        assert named and all((page.parent / href).resolve().is_file() for href in named), page
        assert "lunr" not in html and "workers/search" not in html
