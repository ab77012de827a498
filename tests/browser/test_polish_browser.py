"""What a reader trips on (issue 16, item 6), in Debian's chromium: the skip link on every page kind,
the 404 page served at a missing address under a sub-path, the sidebar, the casualties table, the
home page's title and the hints shown without JavaScript."""

from __future__ import annotations

import functools
import threading
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import expect

from conftest import FIXTURES, _QuietHandler, _Server, copy_site, mkdocs_build

pytestmark = pytest.mark.browser

PAGE_KINDS = ["/", "/timeline/", "/timeline/2020-02/", "/events/shelling-of-post/", "/actors/alpha-army/",
              "/places/beta-province/", "/sources/fixture-report/", "/types/", "/tags/", "/map/"]


class _NotFoundHandler(_QuietHandler):
    """As GitHub Pages does: a missing address gets the site's 404.html, with status 404."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "sub" / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def sub_path_site(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The small site built for https://example.org/sub/ with the header's tabs, served at /sub/ of a
    local server."""
    project = copy_site(FIXTURES / "small_site", tmp_path_factory.mktemp("sub") / "project")
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_url"] = "https://example.org/sub/"
    config["theme"]["features"] = ["navigation.tabs"]  # as the real site: the tabs hold the navigation
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    root = tmp_path_factory.mktemp("served")
    mkdocs_build(project, root / "sub")
    server = _Server(("127.0.0.1", 0), functools.partial(_NotFoundHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_missing_address_under_a_sub_path_gets_a_working_404_page(sub_path_site: str, page: Any) -> None:
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 and r.request.resource_type != "document"
            else None)
    answer = page.goto(sub_path_site + "/sub/events/no/such/page/")
    assert answer is not None and answer.status == 404
    page.wait_for_load_state("networkidle")
    assert page.locator("article h1").inner_text() == "Page not found"
    assert page.title() == "Page not found - Fixture timeline"
    assert failed == []  # every stylesheet, script and the search bundle load from /sub/
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"  # themed
    links = dict(zip(page.locator(".tl-notfound a").all_inner_texts(),
                     page.locator(".tl-notfound a").evaluate_all("els => els.map(a => a.href)"), strict=True))
    assert links["The timeline"] == sub_path_site + "/sub/timeline/"
    assert {"Actors", "Places", "Sources", "The home page"} <= set(links)
    for href in links.values():
        assert page.request.get(href).status == 200, href
    # Its search link opens the header's search, with the reader in its box.
    page.get_by_role("link", name="Search the timeline").click()
    assert page.evaluate("document.getElementById('__search').checked")
    assert page.evaluate("document.activeElement.classList.contains('pagefind-ui__search-input')")
    assert page.errors == []


def test_the_404_page_without_javascript_offers_the_links_not_the_search(sub_path_site: str, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(sub_path_site + "/sub/missing/")
        assert tab.locator("[data-tl-search-open]").is_hidden()  # it needs the script
        assert tab.locator(".tl-notfound a").count() == 5
    finally:
        context.close()


@pytest.mark.parametrize("path", PAGE_KINDS + ["/404.html"])
def test_the_first_tab_reaches_a_skip_link_to_the_content(small_site: Path, serve: Any, page: Any,
                                                         path: str) -> None:
    base = serve(small_site)
    page.goto(base + path)
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.classList.contains('md-skip'),"
                            " document.activeElement.getAttribute('href'), document.activeElement.textContent.trim()]")
    # Ours, not Material's (to the first Markdown heading, before ours in the page, hidden by reader.css).
    assert focused == [True, "#tl-content", "Skip to content"]
    assert page.locator("a.md-skip:focus").is_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # the next stop is inside the page's content, past header, tabs and search
    assert page.evaluate("!!document.activeElement.closest('.md-content')"), path


def test_the_home_page_title_names_the_site_once(small_site: Path, serve: Any, page: Any) -> None:
    base = serve(small_site)
    page.goto(base + "/")
    assert page.title() == "Fixture timeline"
    page.goto(base + "/timeline/")
    assert page.title() == "Timeline - Fixture timeline"


def test_with_tabs_no_sidebar_of_one_link_on_a_desktop_and_the_drawer_on_a_phone(sub_path_site: str,
                                                                                 browser: Any) -> None:
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 800})
        try:
            tab = context.new_page()
            for path in ("/sub/events/shelling-of-post/", "/sub/timeline/", "/sub/missing/"):
                tab.goto(sub_path_site + path)
                sidebar = tab.locator(".md-sidebar--primary")
                if width == 1280:
                    assert sidebar.is_hidden(), path
                    assert tab.locator(".md-tabs").is_visible()
                else:  # the phone's menu button opens the drawer with every section
                    tab.locator("label.md-header__button[for='__drawer']").click()
                    link = tab.locator(".md-sidebar--primary .md-nav__link", has_text="Timeline").first
                    link.wait_for(state="visible")
        finally:
            context.close()


def test_without_tabs_the_sidebar_is_the_navigation_and_stays(small_site: Path, serve: Any, page: Any) -> None:
    base = serve(small_site)
    for path in ("/events/shelling-of-post/", "/timeline/", "/404.html"):
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(base + path)
        assert page.locator(".md-sidebar--primary .md-nav__link", has_text="Timeline").first.is_visible(), path


def test_the_casualties_table_is_styled(small_site: Path, serve: Any, page: Any) -> None:
    base = serve(small_site)
    page.goto(base + "/events/shelling-of-post/")
    header = page.locator(".tl-casualties th").first
    cell = page.locator(".tl-casualties td").first
    assert header.evaluate("th => getComputedStyle(th).fontWeight") == "700"
    assert cell.evaluate("td => parseFloat(getComputedStyle(td).paddingLeft)") >= 10
    assert cell.evaluate("td => getComputedStyle(td).borderTopStyle") == "solid"
    # The cells do not run together ("KilledInjured"): each header cell stands apart from the next.
    boxes = [h.bounding_box() for h in page.locator(".tl-casualties th").all()]
    assert all(a["x"] + a["width"] <= b["x"] for a, b in pairwise(boxes))  # type: ignore[index]


def test_without_javascript_the_pages_point_to_the_static_index_pages(small_site: Path, serve: Any,
                                                                     browser: Any) -> None:
    base = serve(small_site)
    for enabled in (False, True):
        context = browser.new_context(java_script_enabled=enabled)
        try:
            tab = context.new_page()
            tab.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1")
                      else route.abort())
            tab.goto(base + "/timeline/")
            hint = tab.locator(".tl-nojs")
            assert hint.is_visible() is not enabled
            if not enabled:
                assert {"actor", "place", "type", "tag"} <= set(hint.locator("a").all_inner_texts())
            tab.goto(base + "/map/")
            assert tab.locator(".tl-nojs").is_visible() is not enabled
            assert tab.get_by_text("zoom in or open a cluster").is_visible() is enabled
        finally:
            context.close()


def _search_open(page: Any) -> bool:
    return bool(page.evaluate("document.getElementById('__search').checked"))


def test_the_search_box_closes_when_focus_leaves_it_or_on_escape(small_site: Path, serve: Any, page: Any) -> None:
    """Keys only: Tab into the header's search opens it; tabbing on past its results, or Escape from a
    result, closes it (it stayed open over the page, focus elsewhere)."""
    base = serve(small_site)
    page.goto(base + "/events/shelling-of-post/")
    in_box = "!!document.activeElement.closest('.md-search')"
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('pagefind-ui__search-input')"):
            break
    assert _search_open(page)
    assert page.locator(".md-search__overlay").is_visible()
    page.keyboard.type("Alpha")
    page.locator(".pagefind-ui__result-link").first.wait_for()
    drawer = page.locator(".pagefind-ui__drawer")
    assert drawer.is_visible()
    for _ in range(60):  # through the box's buttons, filters and results, and out of it
        page.keyboard.press("Tab")
        if not page.evaluate(in_box):
            break
    assert not page.evaluate(in_box)
    assert not _search_open(page)
    assert drawer.is_hidden()
    expect(page.locator(".md-search__overlay")).to_be_hidden()  # after Material's fade
    # Shift+Tab comes back into the box, which opens again, with the results kept.
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(in_box) and _search_open(page) and drawer.is_visible()
    page.keyboard.press("Escape")  # from a result link, not only from the input
    assert not _search_open(page) and drawer.is_hidden()
    assert not page.evaluate(in_box)
    assert page.errors == []


def test_the_search_filters_show_labels_not_ids(small_site: Path, serve: Any, page: Any) -> None:
    base = serve(small_site)
    page.goto(base + "/")
    page.fill(".pagefind-ui__search-input", "Alpha")
    page.locator(".pagefind-ui__result-link").first.wait_for()
    # The UI may add a filter's block after the first results (seconds later on a busy machine):
    # every block this test reads is there before it opens them, or one would stay closed.
    page.wait_for_function("() => document.querySelector(\".pagefind-ui__filter-checkbox[name='kind']\") && "
                           "['Armed force (', 'Shelling (', 'Reported ('].every(label => "
                           "[...document.querySelectorAll('.pagefind-ui__filter-label')]"
                           ".some(l => l.textContent.startsWith(label)))")
    for block in page.locator(".pagefind-ui__filter-block").all():
        if block.get_attribute("open") is None:
            block.locator("summary").click()
    labels = page.locator(".pagefind-ui__filter-label")
    page.wait_for_function("() => [...document.querySelectorAll('.pagefind-ui__filter-label')]"
                           ".some(l => l.textContent.startsWith('Armed force ('))")
    shown = labels.all_inner_texts()
    assert any(text.startswith("Armed force (") for text in shown), shown  # an actor's kind
    assert any(text.startswith("Shelling (") for text in shown) and any(t.startswith("Reported (") for t in shown)
    assert not [text for text in shown if text[:1].islower()], shown
    legends = page.locator(".pagefind-ui__filter-group-label").all_text_contents()
    assert legends and all(name[:1].isupper() for name in legends)
    # The filters still filter, and their counts still follow the results.
    page.locator(".pagefind-ui__filter-checkbox[name='kind'][value='actor']").check()
    page.wait_for_function("() => [...document.querySelectorAll('.pagefind-ui__result-link')]"
                           ".every(a => a.pathname.startsWith('/actors/'))")
    assert page.errors == []


def _filter_labels_after_search(page: Any, url: str) -> list[str]:
    page.goto(url)
    page.fill(".pagefind-ui__search-input", "Alpha")
    page.locator(".pagefind-ui__result-link").first.wait_for()
    page.wait_for_function("() => ['Armed force (', 'Shelling (', 'Reported ('].every(label => "
                           "[...document.querySelectorAll('.pagefind-ui__filter-label')]"
                           ".some(l => l.textContent.startsWith(label)))")
    return list(page.locator(".pagefind-ui__filter-label").all_text_contents())


def test_filter_files_that_arrive_late_still_give_every_filter_with_the_results_counts(
        small_site: Path, serve: Any, page: Any) -> None:
    # A search counts only the filters whose files have arrived, and Pagefind's UI keeps the first
    # search's filters: on a slow line a filter was missing, or counted the whole site, until the
    # reader typed again. The bundle's module loads every part's filters before answering.
    on_time = _filter_labels_after_search(page, serve(small_site) + "/")
    late = _filter_labels_after_search(page, serve(small_site, slow_paths="/filter/", slow_seconds=1.5) + "/")
    assert late == on_time
    assert "Place (0)" in late  # the query's counts, not the site's
    assert page.errors == []


def test_search_answers_when_the_filter_files_fail(small_site: Path, serve: Any, page: Any) -> None:
    page.goto(serve(small_site, failing_paths="/filter/") + "/")
    page.fill(".pagefind-ui__search-input", "Alpha")
    page.wait_for_function("() => [...document.querySelectorAll('.pagefind-ui__result-link')]"
                           ".some(a => a.pathname === '/actors/alpha-army/')")

# -- every page kind, axe-core and keys only ------------------------------------------------------

EVERY_KIND = {  # one page of each kind of the real site, with its axis and its maps
    "home": "/", "timeline": "/timeline/", "month": "/timeline/2020-02/", "type": "/types/shelling/",
    "tag": "/tags/idlib-offensive/", "event": "/events/five-turkish-soldiers-killed-by-shelling-in-idlib/",
    "actor": "/actors/turkey/", "place": "/places/idlib-governorate/",
    "source": "/sources/idlib-feb-2020-news-analysis/", "map": "/map/", "vocabulary": "/types/",
    "tags": "/tags/", "actors": "/actors/", "places": "/places/", "sources": "/sources/", "404": "/404.html",
    "search results": "/?search",
}


@pytest.mark.parametrize("width", [1280, 390])
def test_axe_finds_no_serious_violation_on_any_page_kind(real_site: Path, serve: Any, browser: Any,
                                                        width: int) -> None:
    from test_reader_browser import axe_violations

    base = serve(real_site)
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        tab = context.new_page()
        tab.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
            ("http://127.0.0.1:", "data:")) else route.abort())  # no tiles: the basemap and its notice
        problems = {}
        for kind, path in EVERY_KIND.items():
            tab.goto(base + path.removesuffix("?search"))
            tab.wait_for_load_state("networkidle")
            if tab.locator("[data-timeline-axis]").count():
                tab.locator("[data-timeline-axis] [data-event]").first.wait_for()
            if tab.locator(".tl-map").count():  # drawn: markers on /map/, areas and points on a record's
                tab.locator(".tl-map .leaflet-interactive").first.wait_for()
            if kind == "search results":  # the header's search open on a query, its results showing
                if width < 1000:
                    tab.locator("label.md-header__button[for='__search']").click()
                tab.locator(".pagefind-ui__search-input").fill("Turkish soldiers")
                tab.locator(".pagefind-ui__result-link").first.wait_for()
            found = axe_violations(tab)
            if found:
                problems[kind] = found
        assert problems == {}
    finally:
        context.close()


def _tab_to(page: Any, condition: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(condition):
            return
    raise AssertionError(f"Tab never reached: {condition}")


def test_keys_alone_reach_and_operate_the_filters_the_axis_and_the_map(map_site: Path, serve: Any,
                                                                      page: Any) -> None:
    """Only key presses, no click, no script calls that act: the timeline's filters and axis, then
    the map: pan and zoom it, open a cluster, open an event's popup and follow its link."""
    base = serve(map_site)
    page.goto(base + "/timeline/")
    page.locator("[data-timeline-axis] [data-event]").first.wait_for()
    _tab_to(page, "document.activeElement.id === 'tl-filter-status'")
    page.keyboard.press("ArrowDown")  # a closed <select> changes on the arrow keys
    assert page.input_value("#tl-filter-status") != ""
    shown = page.locator(".tl-results li.tl-entry:visible").count()
    drawn = page.locator("[data-timeline-axis] [data-event]").count()
    assert 0 < shown and 0 < drawn
    _tab_to(page, "!!document.activeElement.closest('[data-timeline-axis]')"
                  " && document.activeElement.hasAttribute('data-event')")
    first = page.evaluate("document.activeElement.getAttribute('data-event')")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.getAttribute('data-event')") not in (None, first) or drawn == 1

    page.goto(base + "/map/")
    page.wait_for_selector("#map_timeline[data-tl-loaded]")
    zoom = "window.timelineMap.map.getZoom()"
    _tab_to(page, "document.activeElement.classList.contains('leaflet-container')")
    still = "!window.timelineMap.map._animatingZoom"
    # The map opens with a short zoom to its markers; Leaflet drops a zoom asked for during one.
    page.wait_for_function(still)
    before, center = page.evaluate(zoom), page.evaluate("window.timelineMap.map.getCenter().lng")
    page.keyboard.press("+")
    page.wait_for_function(f"{zoom} > {before} && {still}")
    page.keyboard.press("-")
    page.wait_for_function(f"{zoom} === {before} && {still}")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"window.timelineMap.map.getCenter().lng > {center}")
    # Tab goes on to the clusters and markers; Enter opens a cluster (it zooms in) or a popup.
    for _ in range(12):
        _tab_to(page, "document.activeElement.classList.contains('leaflet-marker-icon')")
        level = page.evaluate(zoom)
        page.keyboard.press("Enter")
        page.wait_for_function(  # a popup, or a cluster opened: zoomed in, or spread out at the last zoom
            f"z => document.querySelector('.leaflet-popup') || ({zoom} !== z && !window.timelineMap.map._animatingZoom)"
            " || window.timelineMap.cluster._spiderfied", arg=level)
        if page.locator(".leaflet-popup-content .tl-popup").count():
            break
    popup = page.locator(".leaflet-popup-content .tl-popup")
    assert popup.count() == 1
    link = popup.locator("a").first
    href = link.get_attribute("href")
    _tab_to(page, "!!document.activeElement.closest('.leaflet-popup')"
                  " && document.activeElement.matches('.tl-popup a')", limit=40)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/events/" in url)
    assert href is not None and href.rstrip("/").split("/")[-1] in page.url
    assert page.errors == []


def test_the_themes_icons_are_drawn_at_the_themes_sizes(small_site: Path, serve: Any, page: Any) -> None:
    # partials/timeline-icon.html: a masked element where the theme had an inline SVG, as large.
    def drawn(selector: str) -> dict[str, Any]:
        return page.locator(selector).first.evaluate("""e => { const s = getComputedStyle(e);
            const box = e.getBoundingClientRect();
            return {mask: s.maskImage.startsWith('url("data:image/svg+xml'),
                    width: box.width, height: box.height}; }""")

    base = serve(small_site)
    page.set_viewport_size({"width": 1400, "height": 800})
    page.goto(base + "/events/shelling-of-post/")
    assert drawn(".md-header__button.md-logo .tl-glyph") == {"mask": True, "width": 24, "height": 24}
    page.set_viewport_size({"width": 390, "height": 800})  # the menu and search buttons are a phone's
    for button in ("__drawer", "__search"):
        assert drawn(f"label.md-header__button[for={button}] .tl-glyph") == {"mask": True, "width": 24, "height": 24}
    page.locator("label.md-header__button[for=__drawer]").click()
    assert drawn(".md-nav__title .md-logo .tl-glyph") == {"mask": True, "width": 48, "height": 48}
