"""The maps in Debian's chromium, with every request that is not to the local server blocked."""

from __future__ import annotations

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
    # What a reader sees: every event is a marker or is counted in a cluster on screen (once the
    # clusters have faded in and out: markercluster animates the first layout).
    page.wait_for_function("""![...document.querySelectorAll('#map_timeline .leaflet-marker-icon')]
        .some(icon => icon.style.opacity === '0')""")
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
    places = page.locator(".tl-map-list li")
    assert places.count() == 9
    assert "North Town — 3 events · approximate location (town level, within about 5 km)" in places.all_inner_texts()
    assert "Not on the map: 2 events." in page.locator(".tl-map-missing").inner_text()
    page.locator(".tl-map-list a", has_text="West District").click()
    page.wait_for_url(f"{base}/places/west-district/")
    assert page.locator(".tl-map-list li[data-focus]").inner_text().startswith("West District (this place)")
    assert page.blocked == []


def test_maps_work_without_tiles(tmp_path: Path, serve, page):
    from conftest import FIXTURES, ROOT, copy_site, mkdocs_build

    project = copy_site(FIXTURES / "map_site", tmp_path / "project")
    config = (project / "mkdocs.yml").read_text()
    config = config.replace("      page_size: 5\n", '      page_size: 5\n      map_tiles: ""\n')
    (project / "mkdocs.yml").write_text(config.replace("../../../site_overrides", str(ROOT / "site_overrides")))
    base = serve(mkdocs_build(project, tmp_path / "site"))
    open_global_map(page, base)
    assert page.evaluate("timelineMap.cluster.getLayers().length") == LOCATED_LIVE
    open_popup(page, "town-airstrike")
    page.goto(f"{base}/events/post-shelled/")
    page.wait_for_selector(".tl-map .leaflet-marker-icon")
    assert page.blocked == []  # no tiles asked for, and nothing else leaves the server
    assert page.errors == []
