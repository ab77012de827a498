"""The maps in Debian's chromium, with every request that is not to the local server blocked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from timeweave.site import maps

pytestmark = pytest.mark.browser

TILE_HOST = maps.OSM_TILES.split("{", 1)[0]  # https://tile.openstreetmap.org/
LOCATED_LIVE = 11
HOSTILE = "<img src=x onerror=alert(1)>"


def only_tiles_blocked(page) -> bool:
    return all(url.startswith(TILE_HOST) for url in page.blocked)


def open_global_map(page, base: str) -> None:
    page.goto(f"{base}/map/")
    page.wait_for_selector("#map_timeline[data-tl-loaded]")


def assert_clean(page) -> None:
    assert page.errors == []
    assert page.dialogs == []
    assert only_tiles_blocked(page), page.blocked


def open_popup(page, event_id: str) -> None:
    """Bring the event's marker out of its cluster, then open its popup as a click would.

    Not markercluster's zoomToShowLayer: its callback waits for a `moveend` that never fires when
    the map is already centred on the marker, and an in-page Promise has no timeout. Each step
    here is a Playwright wait, which fails after its timeout instead of hanging the suite."""
    # Leaflet drops a setView made during a zoom animation (the first fitBounds may still run), so
    # the zoom is asked for again until it holds. Then the marker is on the map, or still in a
    # cluster of markers at the same point.
    page.wait_for_function("""id => {
        const s = window.timelineMap, marker = s.byId[id], zoom = Math.min(18, s.map.getMaxZoom());
        if (s.map._animatingZoom || s.cluster._inZoomAnimation) { return false; }
        if (s.map.getZoom() !== zoom) { s.map.setView(marker.getLatLng(), zoom, {animate: false}); return false; }
        return !!s.cluster.getVisibleParent(marker);
    }""", arg=event_id)
    page.evaluate("""id => {
        const s = window.timelineMap, marker = s.byId[id], shown = s.cluster.getVisibleParent(marker);
        if (shown !== marker) { shown.spiderfy(); }
    }""", event_id)
    page.wait_for_function("id => window.timelineMap.map.hasLayer(window.timelineMap.byId[id])", arg=event_id)
    page.evaluate("id => window.timelineMap.byId[id].openPopup()", event_id)
    page.wait_for_selector(".leaflet-popup-content .tl-popup")


def test_global_map_shows_every_located_event(map_site, serve, page):
    base = serve(map_site)
    open_global_map(page, base)
    assert page.evaluate("timelineMap.cluster.getLayers().length") == LOCATED_LIVE
    # What a reader sees: every event is a marker or is counted in a cluster on screen, once the
    # clusters have faded in and out (markercluster animates each layout; a layout can follow the
    # first when the page around the map settles, and mid-animation both generations are there).
    settled = """() => {
        const icons = [...document.querySelectorAll('#map_timeline .leaflet-marker-icon')];
        const state = JSON.stringify([icons.length, icons.map(icon => icon.textContent.trim()).join()]);
        const still = state === window.__lastIcons && !icons.some(icon => icon.style.opacity === '0')
            && !document.querySelector('#map_timeline .leaflet-cluster-anim');
        window.__lastIcons = state;
        return still;
    }"""
    page.wait_for_function(settled, polling=300)
    in_clusters = page.evaluate("""[...document.querySelectorAll('#map_timeline .marker-cluster')]
        .reduce((sum, icon) => sum + Number(icon.textContent.trim()), 0)""")
    single = page.locator("#map_timeline .leaflet-marker-icon.tl-pin").count()
    assert in_clusters + single == LOCATED_LIVE
    assert page.get_attribute("#map_timeline", "data-tl-loaded") == str(LOCATED_LIVE)
    assert page.locator("#map_timeline .tl-pin--approximate").count() + page.locator(
        "#map_timeline .tl-pin:not(.tl-pin--approximate)").count() == single
    assert page.blocked, "the map asks for tiles"
    assert_clean(page)


def test_popup_link_opens_the_event_page(map_site, serve, page):
    base = serve(map_site)
    open_global_map(page, base)
    open_popup(page, "post-shelled")
    popup = page.locator(".leaflet-popup-content")
    assert "1 February 2020" in popup.inner_text()
    assert "Hill Post" in popup.inner_text() and "Exact location" in popup.inner_text()
    popup.locator("a.tl-event-link").click()
    page.wait_for_url(f"{base}/events/post-shelled/")
    assert page.locator("h1").first.inner_text() == "Shelling of the hill post"
    assert_clean(page)


def test_an_approximate_popup_draws_its_area(map_site, serve, page):
    base = serve(map_site)
    open_global_map(page, base)
    open_popup(page, "district-shelling")
    assert "within about 20 km" in page.locator(".leaflet-popup-content").inner_text()
    assert page.evaluate("timelineMap.area && timelineMap.area.getRadius()") == 20_000
    assert page.locator("#map_timeline path.tl-area").count() == 1


def test_hostile_text_shows_as_text(map_site, serve, page):
    base = serve(map_site)
    open_global_map(page, base)
    open_popup(page, "hostile-title")
    popup = page.locator(".leaflet-popup-content")
    assert HOSTILE in popup.inner_text()
    assert "<img src=x onerror=alert('place')>" in popup.inner_text()
    assert "<img src=x onerror=alert('type')>" in popup.inner_text()
    assert popup.locator("img").count() == 0
    control = page.locator("#map_timeline .leaflet-control-layers")
    assert "<img src=x onerror=alert('type')>" in control.text_content()
    assert page.locator("#map_timeline img:not(.leaflet-tile)").count() == 0
    page.goto(f"{base}/events/hostile-title/")
    page.wait_for_selector(".tl-map .leaflet-interactive")
    page.locator(".tl-map path.leaflet-interactive").click(force=True)
    assert "<img src=x onerror=alert('place')>" in page.locator(".leaflet-popup-content").inner_text()
    assert page.locator("article img:not(.leaflet-tile)").count() == 0
    assert_clean(page)


def test_layer_control_hides_and_shows_a_type(map_site, serve, page):
    base = serve(map_site)
    open_global_map(page, base)
    page.hover("#map_timeline .leaflet-control-layers")  # the control opens like a menu
    shelling = page.locator("#map_timeline .leaflet-control-layers label", has_text="Shelling")
    shelling.locator("input").uncheck()
    assert page.evaluate("timelineMap.cluster.getLayers().length") == LOCATED_LIVE - 5
    shelling.locator("input").check()
    assert page.evaluate("timelineMap.cluster.getLayers().length") == LOCATED_LIVE
    assert_clean(page)


@pytest.mark.parametrize("event_id, markers, circles", [
    ("post-shelled", 1, 0), ("field-strike", 1, 0), ("town-shelled-1", 0, 1), ("region-airstrikes", 0, 1),
])
def test_an_event_page_shows_one_marker_or_one_circle(map_site, serve, page, event_id, markers, circles):
    base = serve(map_site)
    page.goto(f"{base}/events/{event_id}/")
    page.wait_for_selector(".tl-map .leaflet-interactive")
    assert page.locator(".tl-map .leaflet-marker-icon").count() == markers
    assert page.locator(".tl-map path.tl-area").count() == circles
    assert page.locator(".tl-map-list li").count() == 1
    assert_clean(page)


def test_an_event_without_a_place_says_so(map_site, serve, page):
    base = serve(map_site)
    page.goto(f"{base}/events/unplaced-call/")
    assert "Not on the map: no place is recorded" in page.locator("article").inner_text()
    assert page.locator(".tl-map").count() == 0
    assert page.blocked == [] and page.errors == []


def test_actor_and_place_maps_draw_their_list(map_site, serve, page):
    base = serve(map_site)
    for path in ("actors/north-army/", "places/west-district/"):
        page.goto(f"{base}/{path}")
        page.wait_for_selector(".tl-map .leaflet-interactive")
        items = page.locator(".tl-map-list li").count()
        assert items > 1
        assert page.evaluate("timelineMaps[0].layers.length") == items
        assert page.locator(".tl-map .leaflet-marker-icon").count() + page.locator(
            ".tl-map path.tl-area").count() == items
    page.locator(".tl-map .leaflet-marker-icon").first.click()
    popup = page.locator(".leaflet-popup-content")
    assert "Hill Post" in popup.inner_text()
    popup.locator("a.tl-place").click()
    page.wait_for_url(f"{base}/places/hill-post/")
    assert_clean(page)


@pytest.fixture
def no_script_page(browser) -> Iterator[object]:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.blocked = []

    def route(route) -> None:
        if route.request.url.startswith("http://127.0.0.1:"):
            route.continue_()
        else:
            tab.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    yield tab
    context.close()


def test_without_javascript_the_places_list_is_the_map(map_site, serve, no_script_page):
    page = no_script_page
    base = serve(map_site)
    page.goto(f"{base}/map/")
    assert not page.locator("#map_timeline").is_visible()
    # No map to zoom: the page points to the lists, and says nothing of clusters.
    article = page.locator("article").inner_text()
    assert "zoom in or open a cluster" not in article
    assert page.locator(".tl-map-nojs a", has_text="places index").get_attribute("href") == "../places/"
    places = page.locator(".tl-map-list li")
    assert places.count() == 9
    assert "North Town — 3 events · approximate location (town level, within about 5 km)" in places.all_inner_texts()
    assert "Not on the map: 2 events." in page.locator(".tl-map-missing").inner_text()
    page.locator(".tl-map-list a", has_text="West District").click()
    page.wait_for_url(f"{base}/places/west-district/")
    assert page.locator(".tl-map-list li[data-focus]").inner_text().startswith("West District (this place)")
    assert page.blocked == []


def test_with_javascript_the_map_page_speaks_of_the_drawn_map(map_site, serve, page):
    base = serve(map_site)
    open_global_map(page, base)
    assert page.locator(".tl-map-js").is_visible() and not page.locator(".tl-map-nojs").is_visible()
    assert "zoom in or open a cluster" in page.locator("article").inner_text()


def test_maps_work_without_tiles(tmp_path: Path, serve, page):
    from conftest import FIXTURES, ROOT, copy_site, mkdocs_build

    project = copy_site(FIXTURES / "map_site", tmp_path / "project")
    config = (project / "mkdocs.yml").read_text()
    config = config.replace("      page_size: 5\n", '      page_size: 5\n      map_tiles: ""\n')
    (project / "mkdocs.yml").write_text(config.replace("../../../site_overrides", str(ROOT / "site_overrides")))
    base = serve(mkdocs_build(project, tmp_path / "site"))
    open_global_map(page, base)
    assert page.evaluate("timelineMap.cluster.getLayers().length") == LOCATED_LIVE
    # The shipped basemap is the whole map, and there is no failure to excuse.
    page.wait_for_selector("#map_timeline[data-tl-basemap] path.tl-land")
    assert page.locator(".tl-map-notice").inner_text() == ""
    open_popup(page, "town-airstrike")
    page.goto(f"{base}/events/post-shelled/")
    page.wait_for_selector(".tl-map .leaflet-marker-icon")
    assert page.blocked == []  # no tiles asked for, and nothing else leaves the server
    assert page.errors == []


# -- without tiles: the shipped basemap, the notice ------------------------------------------------

def basemap_requests(page) -> list[str]:
    found: list[str] = []
    page.on("request", lambda request: found.append(request.url) if "basemap" in request.url else None)
    return found


def test_with_tiles_blocked_every_map_shows_the_shipped_basemap_and_says_so(map_site, serve, page):
    base = serve(map_site)
    requested = basemap_requests(page)
    for path, container in (("map/", "#map_timeline"), ("events/post-shelled/", ".tl-map"),
                            ("places/west-district/", ".tl-map")):
        page.goto(f"{base}/{path}")
        page.wait_for_selector(f"{container}[data-tl-basemap] path.tl-land")
        assert page.locator(f"{container} path.tl-border").count() == 1
        if path == "map/":  # zoomed in further, Leaflet clips the land to the view
            assert page.locator(f"{container} path.tl-land").get_attribute("d").count("L") > 50
        names = page.locator(f"{container} .tl-basemap-name:visible")
        assert names.count() >= 1
        # The notice, once a tile has failed, in a status region screen readers announce.
        notice = page.locator(".tl-map-notice[role=status]")
        notice.filter(has_text="Map tiles could not be loaded").wait_for()
        assert notice.inner_text() == "Map tiles could not be loaded; showing the built-in outline map."
        assert notice.is_visible()
    page.goto(f"{base}/map/")
    page.wait_for_selector("#map_timeline[data-tl-basemap]")
    assert "Hill Post" in page.locator("#map_timeline .tl-basemap-name:visible").all_inner_texts()
    # One shared file, the same address from every page (so the browser's cache serves it).
    assert len(requested) >= 4 and set(requested) == {f"{base}/assets/maps/basemap.json"}
    assert_clean(page)


def test_the_basemap_lies_under_the_tiles(map_site, serve, page):
    base = serve(map_site)
    open_global_map(page, base)
    page.wait_for_selector("#map_timeline[data-tl-basemap]")
    z = page.evaluate("""() => ['tl-basemap', 'tl-basemap-names', 'tile'].map(name =>
        Number(getComputedStyle(timelineMap.map.getPane(name + (name === 'tile' ? 'Pane' : ''))).zIndex))""")
    assert z[0] < z[2] and z[1] < z[2]


# -- clusters, padding, touch ---------------------------------------------------------------------

def settled(page) -> None:
    page.wait_for_function("""() => { const s = window.timelineMap;
        return s && s.loaded && !s.map._animatingZoom && !s.cluster._inZoomAnimation
            && document.querySelectorAll('#map_timeline .marker-cluster, #map_timeline .tl-pin').length > 0; }""")


def test_clusters_are_named_for_screen_readers(map_site, serve, page):
    base = serve(map_site)
    open_global_map(page, base)
    settled(page)
    clusters = page.locator("#map_timeline .marker-cluster")
    assert clusters.count() >= 1
    labels = [clusters.nth(i).get_attribute("aria-label") for i in range(clusters.count())]
    for index, label in enumerate(labels):
        count = clusters.nth(index).inner_text().strip()
        assert re.fullmatch(count + r" events near [^:]+: zoom in or open to see them", label), label
        assert clusters.nth(index).get_attribute("role") == "button"
    assert any("near West District" in label or "near North Town" in label for label in labels), labels
    assert page.get_by_role("button", name=re.compile(r"^\d+ events near ")).count() == len(labels)


@pytest.mark.parametrize("width", [1280, 390])
def test_no_marker_or_cluster_sits_under_a_control(map_site, serve, browser, width):
    base = serve(map_site)
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        tab = context.new_page()
        tab.route(re.compile(r"^(?!http://127\.0\.0\.1:)"), lambda route: route.abort())
        for path, container in (("map/", "#map_timeline"), ("places/west-district/", ".tl-map")):
            tab.goto(f"{base}/{path}")
            tab.wait_for_selector(f"{container} .leaflet-marker-icon, {container} path.tl-area")
            if path == "map/":
                settled(tab)
            overlaps = tab.evaluate("""container => {
                const box = n => n.getBoundingClientRect();
                const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
                const controls = [...document.querySelectorAll(container + ' .leaflet-control')].map(box);
                return [...document.querySelectorAll(container + ' .leaflet-marker-icon')]
                    .filter(icon => icon.style.opacity !== '0')
                    .filter(icon => controls.some(c => hit(box(icon), c))).map(icon => icon.outerHTML.slice(0, 80));
            }""", container)
            assert overlaps == [], (path, overlaps)
    finally:
        context.close()


def test_on_a_touch_screen_one_finger_scrolls_the_page(map_site, serve, browser):
    base = serve(map_site)
    context = browser.new_context(viewport={"width": 390, "height": 800}, is_mobile=True, has_touch=True)
    try:
        tab = context.new_page()
        tab.route(re.compile(r"^(?!http://127\.0\.0\.1:)"), lambda route: route.abort())
        tab.goto(f"{base}/map/")
        tab.wait_for_selector("#map_timeline[data-tl-loaded]")
        assert tab.evaluate("timelineMap.map.dragging.enabled()") is False
        assert tab.evaluate("timelineMap.map.touchZoom.enabled()") is True  # two fingers move and zoom
        assert tab.evaluate("getComputedStyle(document.querySelector('#map_timeline')).touchAction") == "pan-x pan-y"
        hint = tab.locator(".tl-map-hint")
        assert hint.is_visible() and "two fingers" in hint.inner_text()
    finally:
        context.close()


def test_with_a_mouse_the_map_drags(map_site, serve, page):
    base = serve(map_site)
    open_global_map(page, base)
    assert page.evaluate("timelineMap.map.dragging.enabled()") is True
    assert page.locator(".tl-map-hint").count() == 0


# -- the timeline's filters on /map/ ----------------------------------------------------------------

def timeline_ids(page, base: str, query: str) -> set[str]:
    page.goto(f"{base}/timeline/?{query}")
    page.wait_for_selector(".tl-filters__status")
    page.wait_for_function("!document.querySelector('.tl-listing').classList.contains('tl-loading')")
    return set(page.eval_on_selector_all(".tl-results li.tl-entry", "items => items.map(li => li.dataset.id)"))


def map_ids(page) -> set[str]:
    return set(page.evaluate("timelineMap.cluster.getLayers().map(m => m.tlEvent.id)"))


@pytest.mark.parametrize("query, expected", [
    ("type=shelling", {"post-shelled", "town-shelled-1", "town-shelled-2", "district-shelling", "near-town"}),
    ("place=north-town", {"town-shelled-1", "town-shelled-2", "town-airstrike", "near-town"}),
    ("from=2020-02-03&to=2020-02-07", {"town-shelled-2", "town-airstrike", "district-shelling",
                                        "governorate-statement", "region-airstrikes"}),
    ("type=airstrike&from=2020-02-05", {"region-airstrikes", "field-strike"}),
])
def test_the_map_shows_what_the_timeline_shows_for_the_same_address(map_site, serve, page, query, expected):
    base = serve(map_site)
    on_timeline = timeline_ids(page, base, query)
    page.goto(f"{base}/map/?{query}")
    page.wait_for_selector("#map_timeline[data-tl-loaded]")
    assert map_ids(page) == expected
    assert expected <= on_timeline  # the rest of the timeline's have no location
    assert page.get_attribute("#map_timeline", "data-tl-shown") == str(len(expected))
    note = page.locator(".tl-map-filter[role=status]")
    assert note.inner_text().startswith(f"Showing {len(expected)} of {LOCATED_LIVE} events on the map")
    assert note.locator("a", has_text="Open these filters on the timeline").get_attribute("href").endswith(
        f"/timeline/?{query}")
    # The type list on the map still works within the filter.
    assert_clean(page)


def test_the_timelines_filter_bar_links_to_the_map_with_its_filters(map_site, serve, page):
    base = serve(map_site)
    page.goto(f"{base}/timeline/?type=shelling")
    link = page.locator(".tl-filters a.tl-filters__map")
    assert link.get_attribute("href") == f"{base}/map/?type=shelling"
    page.select_option("#tl-filter-type", "airstrike")
    assert link.get_attribute("href") == f"{base}/map/?type=airstrike"
    link.click()
    page.wait_for_selector("#map_timeline[data-tl-loaded]")
    assert map_ids(page) == {"town-airstrike", "region-airstrikes", "field-strike"}
    page.locator(".tl-map-filter a", has_text="Show every event").click()
    page.wait_for_selector("#map_timeline[data-tl-loaded]")
    assert len(map_ids(page)) == LOCATED_LIVE and page.locator(".tl-map-filter").count() == 0
    assert_clean(page)


def test_other_scripts_can_show_a_set_of_events_and_follow_selections(map_site, serve, page):
    """The hooks the time axis uses: TimelineMaps.showOnly(ids) and `timeline:select` events."""
    base = serve(map_site)
    open_global_map(page, base)
    assert page.evaluate("TimelineMaps.showOnly(['post-shelled', 'near-town'])") == 2
    assert map_ids(page) == {"post-shelled", "near-town"}
    assert page.evaluate("TimelineMaps.showOnly(null)") == LOCATED_LIVE
    page.evaluate("""() => { window.selected = [];
        document.addEventListener('timeline:select', e => window.selected.push(e.detail)); }""")
    open_popup(page, "district-shelling")
    assert page.evaluate("window.selected") == [{"id": "district-shelling", "source": "map"}]
    page.evaluate("timelineMap.map.closePopup()")
    page.evaluate("""document.dispatchEvent(new CustomEvent('timeline:select',
        {detail: {id: 'post-shelled', source: 'axis'}}))""")
    page.wait_for_function("timelineMap.map.hasLayer(timelineMap.byId['post-shelled']) "
                           "&& timelineMap.byId['post-shelled'].isPopupOpen()")
    assert page.evaluate("window.selected.length") == 2  # its own event, not echoed as the map's
    assert_clean(page)


# -- accessibility with tiles blocked ------------------------------------------------------------

@pytest.mark.parametrize("width", [1280, 390])
def test_map_pages_have_no_serious_accessibility_violations_without_tiles(map_site, serve, browser, width):
    from test_reader_browser import axe_violations

    base = serve(map_site)
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        tab = context.new_page()
        tab.route(re.compile(r"^(?!http://127\.0\.0\.1:)"), lambda route: route.abort())
        problems = {}
        for path in ("map/", "map/?type=shelling", "events/post-shelled/", "places/west-district/"):
            tab.goto(f"{base}/{path}")
            tab.wait_for_selector(".tl-map[data-tl-basemap]")
            tab.locator(".tl-map-notice", has_text="could not be loaded").first.wait_for()
            found = axe_violations(tab)
            if found:
                problems[path] = found
        assert problems == {}
    finally:
        context.close()
