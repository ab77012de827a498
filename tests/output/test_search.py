"""The site's search index (output/search.py): Pagefind over a real MkDocs build of the small
fixture site, read back through the files it writes and the attributes the theme gives it."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from timeweave.output.search import BUNDLE_DIR, SearchIndexError, index_site, pages_glob


def test_the_build_writes_the_search_bundle_the_header_loads(small_site: Path) -> None:
    bundle = small_site / BUNDLE_DIR
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-entry.json"):
        assert (bundle / name).is_file(), name
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    assert "en" in entry["languages"]
    assert entry["languages"]["en"]["page_count"] > 0
    home = (small_site / "index.html").read_text("utf-8")
    assert 'href="pagefind/pagefind-ui.css"' in home and 'src="pagefind/pagefind-ui.js"' in home
    assert 'data-tl-search="pagefind/"' in home


def test_record_pages_carry_their_filters_and_lists_are_left_out(small_site: Path) -> None:
    event = (small_site / "events/shelling-of-post/index.html").read_text("utf-8")
    assert "data-pagefind-body" in event
    filters = re.findall(r'data-pagefind-filter="([^"]*)"', event)
    assert filters == ["kind:event", "type:shelling", "status:reported"]
    meta = dict(m.split(":", 1) for m in re.findall(r'data-pagefind-meta="([^"]*)"', event))
    assert set(meta) == {"date", "status_label"} and meta["status_label"] == "Reported"
    actor = (small_site / "actors/alpha-army/index.html").read_text("utf-8")
    assert re.findall(r'data-pagefind-filter="(kind:[^"]*)"', actor) == ["kind:actor"]
    timeline = (small_site / "timeline/index.html").read_text("utf-8")
    assert "data-pagefind-body" not in timeline  # a list is not offered as a result
    # Without JavaScript, the header's search offers the index pages.
    assert re.search(r'<noscript>\s*<nav class="tl-search__browse"[\s\S]*?href="\.\./\.\./actors/"', event)


def test_indexing_again_replaces_the_index(small_site: Path, tmp_path: Path) -> None:
    site = shutil.copytree(small_site, tmp_path / "site")
    stale = site / BUNDLE_DIR / "fragment" / "stale.pf_fragment"
    stale.write_bytes(b"old")
    before = sorted(p.name for p in (site / BUNDLE_DIR / "fragment").iterdir() if p != stale)
    index_site(site)
    assert not stale.exists()
    assert sorted(p.name for p in (site / BUNDLE_DIR / "fragment").iterdir()) == before  # same content, same files


def test_a_missing_binary_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with pytest.raises(SearchIndexError, match="Pagefind binary"):
        index_site(tmp_path)


def test_the_sections_marked_for_exclusion_are_not_indexed(small_site: Path) -> None:
    import gzip

    fragments = {}
    for path in sorted((small_site / BUNDLE_DIR / "fragment").glob("*.pf_fragment")):
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
        record = json.loads(text[text.index("{"):])  # after Pagefind's own header
        fragments[record["url"]] = record["content"]
    content = fragments["/events/shelling-of-post/"]
    assert "observation post" in content  # the account
    for excluded in ("Cite this event", "Permanent link", "APA", "Versions", "|access-date"):
        assert excluded not in content, excluded


def _indexed_text(site: Path) -> dict[str, str]:
    """url -> the text Pagefind indexed for it, from its fragments (gzip, then a signature, then JSON)."""
    import gzip

    found = {}
    for fragment in (site / BUNDLE_DIR / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        record = json.loads(data)
        found[record["url"]] = record["content"]
    return found


def test_excerpts_keep_each_label_apart_from_its_value(small_site: Path) -> None:
    text = _indexed_text(small_site)
    event = text["/events/shelling-of-post/"]
    assert "Date: about 10 February 2020" in event and "Type: Shelling" in event and "Status: Reported" in event
    assert "Dateabout" not in event and "TypeShelling" not in event
    assert "about 10 February 2020 Approximate:" in event  # the date apart from the sentence after it
    assert "2020The" not in text["/events/phone-call/"] and "2020 The day is not known" in text["/events/phone-call/"]
    # Other events' titles (related, before and after), the bar's month and the cite link are not this page's words.
    assert "Phone call between the leaders" not in event and "Cite this event" not in event.split("Account")[0]
    assert "Machine-readable" not in event
    assert "Kind: Armed force" in text["/actors/alpha-army/"]


def _fragment_pages(bundle: Path) -> list[str]:
    pages = []
    for fragment in (bundle / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes())
        pages.append(json.loads(data[data.index(b"{"):])["url"])  # after Pagefind's signature
    return sorted(pages)


def test_pagefind_reads_only_the_folders_that_hold_results_and_indexes_the_same_pages(
        small_site: Path, tmp_path: Path) -> None:
    glob = pages_glob(small_site)
    assert glob is not None
    assert "events/**/*.html" in glob and "actors/**/*.html" in glob
    assert "timeline" not in glob  # the list pages, never results, are not read at all
    site = shutil.copytree(small_site, tmp_path / "site")
    shutil.rmtree(site / BUNDLE_DIR)
    from pagefind.service import get_executable

    # Pagefind's own default (every HTML file read) gives the same results, page for page.
    subprocess.run([str(get_executable()), "--site", str(site), "--output-subdir", "everything", "--quiet",
                    "--exclude-selectors", "[data-search-exclude]"], check=True, capture_output=True)
    assert _fragment_pages(small_site / BUNDLE_DIR) == _fragment_pages(site / "everything")


def test_without_a_marked_page_pagefind_reads_every_page(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("<html><body>words</body></html>", "utf-8")
    assert pages_glob(tmp_path) is None
    (tmp_path / "b{1}").mkdir()
    (tmp_path / "b{1}" / "index.html").write_text("<main data-pagefind-body>x</main>", "utf-8")
    assert pages_glob(tmp_path) == "b[{]1[}]/**/*.html"
