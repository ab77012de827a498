"""The site's search index (output/search.py): Pagefind over a real MkDocs build of the small
fixture site, read back through the files it writes and the attributes the theme gives it."""

from __future__ import annotations

import contextlib
import gzip
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from timeweave.output.search import (
    BUNDLE_DIR,
    MANIFEST,
    PARTS_FILE,
    UNUSED_IN_PARTS,
    SearchIndexError,
    index_site,
    site_parts,
)


def _parts(site: Path) -> list[str]:
    return [part["name"] for part in json.loads((site / BUNDLE_DIR / PARTS_FILE).read_text("utf-8"))["parts"]]


def _fragments(site: Path) -> list[Path]:
    return sorted(path for name in _parts(site) for path in (site / BUNDLE_DIR / name / "fragment").iterdir())


def test_the_build_writes_the_search_bundle_the_header_loads(small_site: Path) -> None:
    bundle = small_site / BUNDLE_DIR
    for name in ("pagefind-ui.js", "pagefind-ui.css", PARTS_FILE):
        assert (bundle / name).is_file(), name
    assert "mergeIndex" in (bundle / "pagefind.js").read_text("utf-8")  # the module the UI imports merges the parts
    parts = _parts(small_site)
    assert parts
    for name in parts:  # each part a whole Pagefind bundle: the first one's script runs the search
        for file in ("pagefind.js", "pagefind-entry.json", MANIFEST):
            assert (bundle / name / file).is_file(), (name, file)
        # Pagefind's UIs once, in the bundle, not again in every part.
        assert not [file for file in UNUSED_IN_PARTS if (bundle / name / file).exists()], name
        assert b"index.html" not in (bundle / name / MANIFEST).read_bytes()  # a hash of its pages, not their list
        # The wasm of each language its entry names, no other.
        entry = json.loads((bundle / name / "pagefind-entry.json").read_text("utf-8"))
        assert sorted(p.name for p in (bundle / name).glob("wasm.*")) == sorted(
            f"wasm.{language['wasm']}.pagefind" for language in entry["languages"].values())
    counts = [json.loads((bundle / name / "pagefind-entry.json").read_text("utf-8"))["languages"]["en"]["page_count"]
              for name in parts]
    assert sum(counts) == len(_fragments(small_site)) > 0
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


def test_indexing_again_in_place_keeps_every_unchanged_part(small_site: Path, tmp_path: Path) -> None:
    site = shutil.copytree(small_site, tmp_path / "site")
    before = _fragments(site)
    done = index_site(site)
    assert done.indexed == () and set(done.kept) == set(_parts(site))
    assert [p.name for p in _fragments(site)] == [p.name for p in before]
    ui = "pagefind-ui.js"  # from the earlier bundle: the parts it kept have no copy of their own
    assert (site / BUNDLE_DIR / ui).read_bytes() == (small_site / BUNDLE_DIR / ui).read_bytes()
    assert not [p for p in site.iterdir() if p.name.startswith(".")]  # no working folder left behind


def test_a_missing_binary_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with pytest.raises(SearchIndexError, match="Pagefind binary"):
        index_site(tmp_path)


def test_the_sections_marked_for_exclusion_are_not_indexed(small_site: Path) -> None:
    import gzip

    fragments = {}
    for path in _fragments(small_site):
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
    for fragment in _fragments(site):
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


def _fragment_pages(fragments: list[Path]) -> list[str]:
    pages = []
    for fragment in fragments:
        data = gzip.decompress(fragment.read_bytes())
        pages.append(json.loads(data[data.index(b"{"):])["url"])  # after Pagefind's signature
    return sorted(pages)


def test_the_parts_together_index_the_pages_one_pagefind_run_over_the_whole_site_would(
        small_site: Path, tmp_path: Path) -> None:
    site = shutil.copytree(small_site, tmp_path / "site")
    shutil.rmtree(site / BUNDLE_DIR)
    from pagefind.service import get_executable

    # Pagefind's own default (every HTML file read) gives the same results, page for page.
    subprocess.run([str(get_executable()), "--site", str(site), "--output-subdir", "everything", "--quiet",
                    "--exclude-selectors", "[data-search-exclude]"], check=True, capture_output=True)
    whole = _fragment_pages(list((site / "everything" / "fragment").iterdir()))
    assert _fragment_pages(_fragments(small_site)) == whole
    shutil.rmtree(site / "everything")
    index_site(site, part_pages=3)
    assert len(_parts(site)) > 3 and _fragment_pages(_fragments(site)) == whole


def test_without_a_marked_page_pagefind_reads_every_page(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("<html><body>words</body></html>", "utf-8")
    (tmp_path / "index.html").write_text("<html><body>home</body></html>", "utf-8")
    assert [(part.name, sorted(part.pages)) for part in site_parts(tmp_path)] == [
        ("pages-0", ["a/index.html", "index.html"])]
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "index.html").write_text("<main data-pagefind-body>x</main>", "utf-8")
    assert [sorted(part.pages) for part in site_parts(tmp_path)] == [["b/index.html"]]


def test_a_page_stays_in_its_part_whatever_pages_are_added(tmp_path: Path) -> None:
    def add(name: str) -> None:
        (tmp_path / "events" / name).mkdir(parents=True)
        (tmp_path / "events" / name / "index.html").write_text(f"<main data-pagefind-body>{name}</main>", "utf-8")

    for index in range(30):
        add(f"event-{index:02}")
    before = {page: part.name for part in site_parts(tmp_path, 10) for page in part.pages}
    assert sorted(set(before.values())) == ["events-0", "events-1", "events-2"]
    for index in range(30, 35):  # still three parts
        add(f"event-{index:02}")
    after = {page: part.name for part in site_parts(tmp_path, 16) for page in part.pages}
    assert {page: after[page] for page in before} == before
    # A folder with few marked pages goes with the site's own pages, not into a part of its own.
    (tmp_path / "about").mkdir()
    (tmp_path / "about" / "index.html").write_text("<main data-pagefind-body>about</main>", "utf-8")
    assert {part.name for part in site_parts(tmp_path, 16)} == {"events-0", "events-1", "events-2", "pages-0"}


def _cbor(data: bytes, at: int = 0) -> tuple[object, int]:
    """One CBOR item of Pagefind's filter and metadata files (integers, strings, arrays, maps)."""
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        value = info
    else:
        size = 1 << (info - 24)
        value, at = int.from_bytes(data[at:at + size], "big"), at + size
    if major == 0:
        return value, at
    if major in (2, 3):
        raw = data[at:at + value]
        return (raw.decode("utf-8") if major == 3 else raw), at + value
    items = []
    for _ in range(value * (2 if major == 5 else 1)):
        item, at = _cbor(data, at)
        items.append(item)
    if major == 4:
        return items, at
    return {repr(k): v for k, v in zip(items[::2], items[1::2], strict=True)}, at


def _unstable(site: Path) -> dict[str, object]:
    """Per part, what Pagefind's filter files hold, decoded: Pagefind writes each filter's values in
    no fixed order (so the files are named differently), what they say is what must match."""
    found: dict[str, object] = {}
    for name in _parts(site):
        filters = {}
        for path in (site / BUNDLE_DIR / name).glob("filter/*"):  # none in a part without filters
            decoded, _ = _cbor(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
            assert isinstance(decoded, list)  # [filter, [[value, [page, ...]], ...]]
            filters[decoded[0]] = sorted(map(repr, decoded[1]))
        found[name] = filters
    return found


def test_a_rebuild_indexes_only_the_changed_part_and_writes_what_a_cold_build_writes(
        small_site: Path, tmp_path: Path) -> None:
    from output_inspection import snapshot

    before = shutil.copytree(small_site, tmp_path / "before")
    index_site(before, part_pages=3)
    rebuilt = shutil.copytree(small_site, tmp_path / "rebuilt", ignore=shutil.ignore_patterns(BUNDLE_DIR))
    page = rebuilt / "events/shelling-of-post/index.html"
    page.write_text(page.read_text("utf-8").replace("observation post", "watchtower"), "utf-8")
    done = index_site(rebuilt, before, part_pages=3)
    changed = [part.name for part in site_parts(rebuilt, 3) if "events/shelling-of-post/index.html" in part.pages]
    assert list(done.indexed) == changed and len(done.kept) == len(_parts(rebuilt)) - 1
    assert "watchtower" in _indexed_text(rebuilt)["/events/shelling-of-post/"]
    cold = shutil.copytree(rebuilt, tmp_path / "cold", ignore=shutil.ignore_patterns(BUNDLE_DIR))
    assert index_site(cold, part_pages=3).kept == ()
    assert snapshot(rebuilt) == snapshot(cold)  # every file Pagefind writes the same way each time
    assert _unstable(rebuilt) == _unstable(cold)
    assert snapshot(before) != snapshot(rebuilt)


def test_a_part_made_by_another_pagefind_is_made_again(small_site: Path, tmp_path: Path) -> None:
    before = shutil.copytree(small_site, tmp_path / "before")
    index_site(before, part_pages=3)
    first = _parts(before)[0]
    manifest = before / BUNDLE_DIR / first / MANIFEST
    record = json.loads(manifest.read_text("utf-8"))
    manifest.write_text(json.dumps({**record, "tool": "another binary"}), "utf-8")  # as an older Pagefind left it
    again = shutil.copytree(small_site, tmp_path / "again", ignore=shutil.ignore_patterns(BUNDLE_DIR))
    done = index_site(again, before, part_pages=3)
    assert done.indexed == (first,) and first not in done.kept


def test_a_part_that_is_a_whole_folder_is_read_where_it_is(tmp_path: Path) -> None:
    """Pagefind reads such a part's pages in the site itself (its --glob); any other part gets a
    folder of its own pages, whatever a glob would take in besides them."""
    def page(relative: str, marked: bool = True) -> None:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(f"<main{' data-pagefind-body' if marked else ''}>{relative}</main>", "utf-8")

    for index in range(6):
        page(f"events/event-{index}/index.html")
        page(f"actors/actor-{index}/index.html")
    page("index.html")
    page("about/index.html")
    folders = {part.name: part.folder for part in site_parts(tmp_path, 10)}
    assert folders == {"events-0": "events", "actors-0": "actors", "pages-0": None}
    page("actors/withdrawn/index.html", marked=False)  # Pagefind leaves it out (test below)
    page("events/.hidden/index.html")
    assert {part.name: part.folder for part in site_parts(tmp_path, 10)} == {
        "events-0": None, "actors-0": "actors", "pages-0": None}
    assert {part.name: part.folder for part in site_parts(tmp_path, 4)}["actors-1"] is None  # one of two buckets


def test_a_part_read_where_it_is_indexes_what_one_pagefind_run_would(small_site: Path, tmp_path: Path) -> None:
    site = shutil.copytree(small_site, tmp_path / "site")
    shutil.rmtree(site / BUNDLE_DIR)
    events = [part for part in site_parts(site, 1) if part.name.startswith("events-")]
    marked = sum(len(part.pages) for part in events)
    parts = site_parts(site, marked)
    assert [part.folder for part in parts if part.name == "events-0"] == ["events"]
    # A page without the mark among them (a withdrawn event's): read by the glob, left out by Pagefind.
    withdrawn = site / "events" / "withdrawn-event" / "index.html"
    withdrawn.parent.mkdir()
    withdrawn.write_text("<html><body><main>unmarkedpageword</main></body></html>", "utf-8")
    index_site(site, part_pages=marked)
    assert _fragment_pages(_fragments(site)) == _fragment_pages(_fragments(small_site))
    assert "unmarkedpageword" not in json.dumps(_indexed_text(site))


def test_the_parts_are_the_same_written_through_memory_or_into_the_site(
        small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind writes into a folder on a RAM-backed file system where there is one, and the parts
    are copied into the site; without one (another system), into the site itself."""
    from timeweave.output import search

    from output_inspection import snapshot

    ram = tmp_path / "ram"
    ram.mkdir()
    monkeypatch.setattr(search, "RAM_DIR", ram)
    outputs: list[Path] = []
    start = search._start

    def noted(binary, site, part, tree, output):  # type: ignore[no-untyped-def]
        outputs.append(output)
        return start(binary, site, part, tree, output)

    monkeypatch.setattr(search, "_start", noted)
    through = shutil.copytree(small_site, tmp_path / "through", ignore=shutil.ignore_patterns(BUNDLE_DIR))
    index_site(through, part_pages=3)
    assert outputs and all(output.is_relative_to(ram) for output in outputs)
    assert list(ram.iterdir()) == [], "nothing is left behind in memory"
    monkeypatch.setattr(search, "RAM_DIR", tmp_path / "none")
    into = shutil.copytree(small_site, tmp_path / "into", ignore=shutil.ignore_patterns(BUNDLE_DIR))
    index_site(into, part_pages=3)
    assert len(_parts(into)) > 3
    assert snapshot(through) == snapshot(into) and _unstable(through) == _unstable(into)
    # Where Pagefind cannot write into memory (a file system too small; here a file, not a folder),
    # each part is made again in the site.
    (ram / "full").write_text("")
    monkeypatch.setattr(search, "_writing_folder", lambda: contextlib.nullcontext(ram / "full"))
    outputs.clear()
    retried = shutil.copytree(small_site, tmp_path / "retried", ignore=shutil.ignore_patterns(BUNDLE_DIR))
    index_site(retried, part_pages=3)
    assert any(output.is_relative_to(ram) for output in outputs) and any(output.is_relative_to(retried)
                                                                          for output in outputs)
    assert snapshot(retried) == snapshot(into) and _unstable(retried) == _unstable(into)


def test_the_writing_folders_of_killed_builds_are_removed_and_no_other(
        small_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build killed with SIGKILL leaves its folder in memory; the next build removes it, and
    leaves a running build's folder and anything else there alone."""
    import os
    import sys

    from timeweave.output import search

    ram = tmp_path / "ram"
    ram.mkdir()
    monkeypatch.setattr(search, "RAM_DIR", ram)
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    killed = ram / f"timeweave-pagefind-{ended.pid}-a1b2"
    running = ram / f"timeweave-pagefind-{os.getpid()}-c3d4"
    other = ram / "timeweave-pagefind-notes"
    for folder in (killed, running, other):
        (folder / "events-0").mkdir(parents=True)
        (folder / "events-0" / "pagefind-entry.json").write_text("{}")
    site = shutil.copytree(small_site, tmp_path / "site", ignore=shutil.ignore_patterns(BUNDLE_DIR))
    index_site(site, part_pages=3)
    assert sorted(path.name for path in ram.iterdir()) == sorted([running.name, other.name])
    assert _parts(site)
