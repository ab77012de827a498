"""Scale without timing: pages stay the same size whatever the size of the site, lists paginate,
the navigation does not grow. Two synthetic sites (bench/corpus.py) of 50 and 500 events are built
by MkDocs (strict) and their HTML is read with a real parser."""

from __future__ import annotations

import collections
import json
import statistics
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from timeweave.catalog.catalog import Catalog, load_catalog
from timeweave.site import provenance
from timeweave.site.provenance import Provenance, cite_year

from conftest import ROOT, mkdocs_build

sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402

PAGE_SIZE = 20  # small, so that a 500-event site has many list pages


class _Html(HTMLParser):
    """Counts what the assertions need: timeline entries, pager links and primary navigation links."""

    def __init__(self) -> None:
        super().__init__()
        self.entries = 0
        self.nav_links = 0
        self._nav_depth = 0
        self._stack: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "li" and "tl-entry" in classes:
            self.entries += 1
        if tag in ("nav", "div", "ul", "li"):
            primary = "md-nav--primary" in classes
            self._stack.append(primary)
            self._nav_depth += primary
        if tag == "a" and self._nav_depth and "md-nav__link" in classes:
            self.nav_links += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("nav", "div", "ul", "li") and self._stack:
            self._nav_depth -= self._stack.pop()


def parse(path: Path) -> _Html:
    parser = _Html()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    built = {}
    for n in (50, 500):
        project = tmp_path_factory.mktemp(f"corpus{n}")
        corpus.write_project(project, n, seed=7, page_size=PAGE_SIZE)
        built[n] = mkdocs_build(project, project / "site")
    return built


def catalog_of(site: Path) -> Catalog:
    catalog, errors = load_catalog(site.parent / "content", site.parent)
    assert catalog is not None, errors.items
    return catalog


def event_pages(site: Path) -> dict[str, int]:
    """Page sizes of the events (not of the redirects that former ids and merged events leave)."""
    return {event_id: (site / "events" / event_id / "index.html").stat().st_size
            for event_id in catalog_of(site).events}


def test_an_event_page_does_not_grow_with_the_site(sites: dict[int, Path]) -> None:
    small, large = event_pages(sites[50]), event_pages(sites[500])
    assert len(small) == 50 and len(large) == 500
    median_small, median_large = statistics.median(small.values()), statistics.median(large.values())
    assert abs(median_large / median_small - 1) <= 0.10, (median_small, median_large)
    # The same event (its own text is the same at every size) has the same page size within 10%.
    same = sorted(set(small) & set(large))
    assert same, "the corpus gives event i the same id at every size"
    for event_id in same[:10]:
        assert abs(large[event_id] / small[event_id] - 1) <= 0.10, (
            event_id,
            small[event_id],
            large[event_id],
        )


def test_timeline_pages_hold_at_most_page_size_entries(sites: dict[int, Path]) -> None:
    site = sites[500]
    pages = [site / "timeline" / "index.html", *sorted((site / "timeline" / "page").glob("*/index.html"))]
    assert len(pages) >= 500 // PAGE_SIZE  # withdrawn and merged events are not in the timeline
    counts = [parse(page).entries for page in pages]
    assert max(counts) == PAGE_SIZE
    assert all(0 < count <= PAGE_SIZE for count in counts)
    assert sum(counts) == len(catalog_of(site).timeline)  # withdrawn and merged events are not listed


def test_record_pages_paginate_their_events(sites: dict[int, Path]) -> None:
    site = sites[500]
    size = corpus_record_page_size()
    biggest = max(
        (page for folder in ("actors", "places", "sources") for page in (site / folder).glob("*/index.html")),
        key=lambda p: parse(p).entries,
    )
    assert parse(biggest).entries <= size
    # The country at the top of the place hierarchy lists its own events, not each of its towns'
    # again (a place's page links the lists of the places within it).
    countries = [page for page in (site / "places").glob("country-*/index.html")]
    assert countries and all('class="tl-within-note"' in page.read_text("utf-8") for page in countries)
    for page in (site / "places").glob("*/page/*/index.html"):
        assert 0 < parse(page).entries <= size


def corpus_record_page_size() -> int:
    from timeweave.site.pages import SiteOptions

    return SiteOptions().record_page_size


def test_the_navigation_is_the_same_size_at_50_and_500_events(sites: dict[int, Path]) -> None:
    def nav_links(site: Path) -> set[int]:
        pages = [
            site / "index.html",
            site / "timeline" / "index.html",
            *sorted((site / "events").glob("*/index.html"))[:5],
            *sorted((site / "actors").glob("*/index.html"))[:3],
        ]
        return {parse(page).nav_links for page in pages}

    small, large = nav_links(sites[50]), nav_links(sites[500])
    assert small == large
    assert max(large) <= 20


# -- weight: what a reader downloads and what the site puts on disk, per event --------------------

# Bytes of HTML, median over the event pages: the target, 25 KB.
EVENT_PAGE_BUDGET = 25_000
FILES_PER_EVENT = 3  # files on disk that each event adds
BYTES_PER_EVENT = 61_000  # bytes on disk that each event adds (see the test)


def test_an_event_page_stays_within_its_budget(sites: dict[int, Path]) -> None:
    site = sites[500]
    sizes = event_pages(site)
    # Whole pages, not stubs: each has its account, its sources and its citations.
    for event_id in sorted(sizes)[:20]:
        html = (site / "events" / event_id / "index.html").read_text("utf-8")
        if 'http-equiv="refresh"' in html:  # a merged event's page sends the reader on
            continue
        for part in ('<h2 id="account">', '<h2 id="sources">', 'tl-cite-apa', 'tl-cite-bibtex',
                     'class="md-tabs"', "data-pagefind-body"):
            assert part in html, (event_id, part)
    assert statistics.median(sizes.values()) <= EVENT_PAGE_BUDGET, statistics.median(sizes.values())


def test_each_event_adds_at_most_3_files(sites: dict[int, Path]) -> None:
    """Every file on disk counts (pages, search fragments and index, data, feeds, lists); what a
    site holds whatever its size (theme assets, the search bundle, the data files) is in both
    sites, so the difference is what 450 more events cost."""
    def files(n: int) -> int:
        return sum(1 for path in sites[n].rglob("*") if path.is_file())

    site = sites[500]
    assert (site / "pagefind" / "parts.json").is_file()  # the search index is counted too
    per_event = (files(500) - files(50)) / 450
    assert 2 <= per_event <= FILES_PER_EVENT, per_event  # at least its page and its search fragment
    # The citation files are one per year and format, not three beside each event page.
    assert not [path for path in (site / "events").rglob("*") if path.is_file() and path.name != "index.html"]
    periods = {path.name.split(".")[0] for path in (site / "data" / "citations").iterdir()}
    years = {cite_year(event.when.month_key) for event in catalog_of(site).events.values()}
    assert periods == years and len(list((site / "data" / "citations").iterdir())) == 3 * len(years)


def test_each_event_adds_at_most_its_share_of_bytes(sites: dict[int, Path]) -> None:
    """Bytes on disk, every file counted, as files per event above: what 450 more events cost. The
    issue's target is 50 KB per event at 2,000 events of the benchmark's corpus; this corpus has
    shorter list pages (PAGE_SIZE), so more of them, and the guard is at today's figure."""
    def size(n: int) -> int:
        return sum(path.stat().st_size for path in sites[n].rglob("*") if path.is_file())

    per_event = (size(500) - size(50)) / 450
    assert per_event <= BYTES_PER_EVENT, per_event


def test_a_busy_year_has_its_citations_in_a_file_per_month(sites: dict[int, Path],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = catalog_of(sites[500])
    live = [event for event in catalog.events.values() if event.merged_into is None]
    sizes = collections.Counter(cite_year(event.when.month_key) for event in live)
    limit = sorted(sizes.values())[len(sizes) // 2]  # some years are busier than that, some not
    assert min(sizes.values()) <= limit < max(sizes.values())
    monkeypatch.setattr(provenance, "CITE_FILE_EVENTS", limit)
    cited = Provenance(catalog, "Site")
    for event in live:
        busy = sizes[cite_year(event.when.month_key)] > limit
        assert cited.cite_period(event) == (event.when.month_key if busy else cite_year(event.when.month_key))
    files = dict(cited.cite_files(live))
    every = sorted(event.id for event in live)
    assert sorted(item["id"] for path, text in files.items() if path.endswith(".csl.json")
                  for item in json.loads(text)) == every
