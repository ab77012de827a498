"""Map builders (generator/timeweave/site/maps.py) on the map fixture's real catalog, and a real MkDocs build of it."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import tarfile
from pathlib import Path

import pytest

from timeweave.catalog.catalog import Catalog, load_catalog
from timeweave.content.models import PRECISION_RADIUS_M
from timeweave.site import basemap, maps
from timeweave.site.pages import PageRenderer, SiteOptions, generate_pages

from conftest import FIXTURES, ROOT, copy_site, mkdocs_build

MAP_SITE = FIXTURES / "map_site"
HOSTILE = "<img src=x onerror=alert(1)>"
LOCATED_LIVE = 11  # 14 events: one withdrawn, one without a place, one at a place without coordinates


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    loaded, errors = load_catalog(MAP_SITE / "content", MAP_SITE)
    assert loaded is not None, errors.items
    return loaded


def point_for(summary: maps.MapSummary, place_id: str, precision: str | None = None) -> maps.MapPoint:
    found = [p for p in summary.points if p.place is not None and p.place.id == place_id
             and (precision is None or p.precision == precision)]
    assert len(found) == 1, found
    return found[0]


# -- what a map shows -----------------------------------------------------------------------------

def test_every_located_live_event_is_on_the_global_map_once(catalog):
    summary = maps.summarize(catalog, catalog.timeline)
    located = [e.id for p in summary.points for e in p.events]
    assert len(located) == len(set(located)) == LOCATED_LIVE == summary.located_count
    assert "withdrawn-strike" not in located
    assert summary.located_count + summary.unlocated_count == len(catalog.timeline)


def test_events_at_one_place_share_a_point(catalog):
    town = point_for(maps.summarize(catalog, catalog.timeline), "north-town", "town")
    assert {e.id for e in town.events} == {"town-shelled-1", "town-shelled-2", "town-airstrike"}


@pytest.mark.parametrize("place_id, precision", [
    ("hill-post", "exact"), ("north-town", "town"), ("west-district", "district"),
    ("east-governorate", "governorate"), ("big-region", "region"), ("home-country", "country"),
])
def test_radius_follows_the_precision(catalog, place_id, precision):
    point = point_for(maps.summarize(catalog, catalog.timeline), place_id, precision)
    assert point.radius_m == PRECISION_RADIUS_M[precision]
    assert point.exact is (precision == "exact")
    assert point.at_place_coordinates


def test_an_events_own_coordinates_and_precision_win_over_its_place(catalog):
    point = point_for(maps.summarize(catalog, [catalog.events["near-town"]]), "north-town")
    assert (point.lat, point.lon, point.precision, point.radius_m) == (36.02, 36.68, "near", 2_000)
    assert not point.at_place_coordinates  # so its label shows the coordinates
    field = maps.summarize(catalog, [catalog.events["field-strike"]]).points[0]
    assert field.place is None and field.exact and field.name == "35.6000° N, 36.4000° E"


def test_events_that_cannot_be_placed_are_listed_not_dropped(catalog):
    summary = maps.summarize(catalog, catalog.timeline)
    assert [e.id for e in summary.unplaced] == ["unplaced-call"]
    assert [(p.id, [e.id for e in events]) for p, events in summary.no_coordinates] == [
        ("lost-village", ["village-raid"])]
    assert [e.id for e in summary.unlocated] == ["village-raid", "unplaced-call"]


def test_a_place_map_shows_the_place_itself_first(catalog):
    place = catalog.places["west-district"]
    summary = maps.summarize(catalog, catalog.place_events_within["west-district"], place)
    assert summary.points[0].focus and summary.points[0].place == place
    assert sum(p.focus for p in summary.points) == 1
    empty = maps.summarize(catalog, [], catalog.places["hill-post"])
    assert [(p.place.id, p.events, p.focus) for p in empty.points] == [("hill-post", (), True)]


def test_an_event_listed_twice_for_an_actor_counts_once(catalog):
    event = catalog.events["post-shelled"]
    assert maps.summarize(catalog, [event, event]).located_count == 1


def test_precision_words():
    assert maps.precision_label("exact") == "exact location"
    assert maps.precision_label("town") == "approximate location (town level, within about 5 km)"
    assert maps.precision_label("near") == "approximate location (near a known point, within about 2 km)"
    assert maps.radius_label(300_000) == "300 km" and maps.radius_label(500) == "500 m"


# -- the shared data file -------------------------------------------------------------------------

def test_geojson_has_one_point_per_located_event_longitude_first(catalog):
    data = json.loads(maps.dump_json(maps.map_geojson(catalog)))
    features = {f["properties"]["id"]: f for f in data["features"]}
    assert len(features) == LOCATED_LIVE
    shelled = features["post-shelled"]
    assert shelled["geometry"] == {"type": "Point", "coordinates": [36.75, 36.05]}
    assert shelled["properties"] == {
        "id": "post-shelled", "title": "Shelling of the hill post", "date": "1 February 2020",
        "type": "shelling", "precision": "exact", "place": "hill-post"}
    assert features["district-shelling"]["properties"]["precision"] == "district"
    assert "place" not in features["field-strike"]["properties"]
    assert data["places"]["hill-post"] == "Hill Post"
    assert "lost-village" not in data["places"]  # only places that are on the map
    assert features["hostile-title"]["properties"]["title"] == HOSTILE  # text; the page escapes it


def test_json_is_safe_to_embed():
    text = maps.dump_json({"t": "</script><b>&\u2028\u2029"})
    assert not re.search("[<>&\u2028\u2029]", text)
    assert json.loads(text) == {"t": "</script><b>&\u2028\u2029"}


# -- the global map's script (folium) -------------------------------------------------------------

def test_global_script_is_deterministic_and_loads_nothing_from_a_cdn(catalog):
    script = maps.global_map_script(catalog)
    assert script == maps.global_map_script(catalog)
    urls_in_script = set(re.findall(r"https?://[^\"'\s\\]+", script))
    assert urls_in_script == {maps.OSM_TILES, "https://www.openstreetmap.org/copyright"}
    assert "chunkedLoading" in script and "L.markerClusterGroup" in script
    assert 'L.map(\n                "map_timeline"' in script
    assert "$(" not in script and "awesome" not in script.lower()


def test_global_script_escapes_type_labels_for_the_layer_control(catalog):
    script = maps.global_map_script(catalog)
    # Leaflet's layer control parses layer names as HTML: the label arrives entity-escaped...
    assert "\\u0026lt;img src=x onerror=alert(\\u0026#x27;type\\u0026#x27;)\\u0026gt;" in script
    # ...and nowhere as markup, even inside JSON strings.
    assert "<img" not in script and "\\u003cimg src=x onerror=alert(\\u0027type\\u0027)\\u003e" in script


def test_global_script_without_tiles(catalog):
    script = maps.global_map_script(catalog, tiles="")
    assert "tileLayer" not in script and "http" not in script


def test_shared_script_carries_the_tile_settings():
    script = maps.shared_script("https://tiles.example.org/{z}/{x}/{y}.png", "<b>Tiles</b> & co")
    config = json.loads(script.split("\n", 1)[0].removeprefix("var TL_MAP_CONFIG = ").removesuffix(";"))
    assert config["tiles"] == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert config["attribution"] == "<b>Tiles</b> & co"  # site configuration, not content
    assert config["eventUrl"] == "events/{id}/" and config["placeUrl"] == "places/{id}/"
    assert config["radii"] == PRECISION_RADIUS_M
    assert "<b>" not in script.split("\n", 1)[0]


def _npm_tarball(name: str, version: str, folder: Path) -> Path:
    """The package's tarball as the npm registry serves it (from npm's cache after `npm ci`)."""
    done = subprocess.run(["npm", "pack", f"{name}@{version}", "--prefer-offline", "--silent",
                           "--pack-destination", str(folder)], capture_output=True, text=True, check=True)
    return folder / done.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("name", ["leaflet", "leaflet.markercluster", "world-atlas"])
def test_shipped_map_libraries_are_the_locked_npm_releases(name: str, tmp_path: Path):
    """Every vendored file is, byte for byte, the file of the tarball whose sha512 the lock names
    (world-atlas: the Natural Earth TopoJSON the basemap is made from, and its licence)."""
    locked = json.loads((ROOT / "package-lock.json").read_text())["packages"][f"node_modules/{name}"]
    tarball = _npm_tarball(name, locked["version"], tmp_path)
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    assert digest == locked["integrity"]
    shipped = {package_path for package_path in (*maps.VENDOR_FILES.values(), *basemap.SOURCES)
               if package_path.startswith(name + "/")}
    assert shipped, name
    with tarfile.open(tarball) as archive:
        for package_path in sorted(shipped) + [f"{name}/package.json"]:
            member = archive.extractfile("package/" + package_path.removeprefix(name + "/"))
            assert member is not None, package_path
            assert (maps.VENDOR_DIR / package_path).read_bytes() == member.read(), package_path
    assert any("LICEN" in path for path in shipped), "the licence travels with the library"


def test_vendor_files_are_what_the_site_serves():
    files = dict(maps.vendor_files())
    assert set(files) == set(maps.VENDOR_FILES)
    assert b't.version="1.9.4"' in files["assets/vendor/leaflet/leaflet.js"]


# -- pages ----------------------------------------------------------------------------------------

def rendered(catalog: Catalog) -> dict[str, str]:
    return {page.url: page.content for page in generate_pages(catalog, SiteOptions(page_size=5))}


def test_record_pages_carry_only_their_own_points(catalog):
    pages = rendered(catalog)
    assert pages["events/post-shelled/"].count('class="tl-map-point"') == 1
    assert 'data-radius="0" data-precision="exact"' in pages["events/post-shelled/"]
    assert pages["events/town-shelled-1/"].count('data-radius="5000"') == 1
    assert "Not on the map: no place is recorded" in pages["events/unplaced-call/"]
    assert "Not on the map: no coordinates are recorded for" in pages["events/village-raid/"]
    actor = pages["actors/north-army/"]
    assert actor.count('class="tl-map-point"') == 9
    assert "data/map.geojson" not in actor
    militia = pages["actors/south-militia/"]
    assert 'data-tl-map="record"' not in militia and "Not on the map: 2 events." in militia
    assert 'data-focus="true"' in pages["places/west-district/"]


def test_hostile_text_is_escaped_on_every_map_page(catalog):
    pages = rendered(catalog)
    for url in ("map/", "events/hostile-title/", "places/hostile-town/", "places/home-country/"):
        assert "<img" not in pages[url].split("---\n", 2)[2], url
    assert "&lt;img src=x onerror=alert(1)&gt;" in pages["events/hostile-title/"]
    assert "&lt;img src=x onerror=alert(&#39;type&#39;)&gt;" in pages["map/"]


def test_the_map_page_lists_are_bounded(catalog, monkeypatch):
    monkeypatch.setattr(maps, "GLOBAL_LIST_LIMIT", 0)
    pages = rendered(catalog)
    assert pages["map/"].count('class="tl-map-point"') == 0
    assert "places index" in pages["map/"] and "Every event that is not on the map" in pages["map/"]
    assert pages["map/unlocated/"].count('class="tl-event-link"') == 2


def test_no_unlocated_pages_when_the_map_page_lists_them_all(catalog):
    pages = rendered(catalog)
    assert "map/unlocated/" not in pages
    assert [p.in_nav for p in generate_pages(catalog) if p.url == "map/"] == [True]


def test_templates_render_for_a_catalog_without_places(tmp_path, catalog):
    renderer = PageRenderer(catalog, SiteOptions())
    page = renderer.render("map.md.j2", "map/", "Map", summary=maps.MapSummary([]), legend=[],
                           map_id="m", limit=5, data_url="data/map.geojson", unlocated_url="map/unlocated/",
                           total=0, more_unlocated=False)
    assert "No event has a location yet." in page.content


# -- a real MkDocs build --------------------------------------------------------------------------

def test_build_writes_the_map_files(map_site: Path):
    data = json.loads((map_site / "data/map.geojson").read_text())
    assert len(data["features"]) == LOCATED_LIVE
    for path in [*maps.VENDOR_FILES, maps.GLOBAL_SCRIPT, maps.SHARED_SCRIPT, maps.SHARED_CSS, basemap.BASEMAP_DATA]:
        assert (map_site / path).is_file(), path
    page = (map_site / "map/index.html").read_text()
    assert '<div id="map_timeline" class="tl-map tl-map--global" data-tl-map="global"' in page
    assert 'href="../assets/maps/timeline-maps.js"' in page or 'src="../assets/maps/timeline-maps.js"' in page
    # Leaflet is loaded by the shared script only where there is a map: no page links it.
    assert "leaflet.js" not in page


def test_built_pages_reference_nothing_outside_the_site(map_site: Path):
    for html in map_site.rglob("*.html"):
        text = html.read_text()
        for match in re.findall(r'<(?:script|link)\b[^>]*(?:src|href)="([^"]+)"', text):
            assert not re.match(r"(https?:)?//", match), (html, match)


def test_tile_settings_come_from_mkdocs_yml(tmp_path: Path):
    project = copy_site(MAP_SITE, tmp_path / "project")
    config = (project / "mkdocs.yml").read_text().replace(
        "      page_size: 5\n", '      page_size: 5\n      map_tiles: ""\n').replace(
        "../../../site_overrides", str(ROOT / "site_overrides"))
    (project / "mkdocs.yml").write_text(config)
    site = mkdocs_build(project, tmp_path / "site")
    assert "tileLayer" not in (site / maps.GLOBAL_SCRIPT).read_text()
    assert '"tiles":""' in (site / maps.SHARED_SCRIPT).read_text()


def test_types_on_the_map_get_distinct_colours(catalog):
    counts = maps.type_counts(catalog)
    assert counts == {"airstrike": 3, "hostile": 1, "shelling": 5, "statement": 2}
    assert maps.type_colours(counts) == {"airstrike": 0, "hostile": 1, "shelling": 2, "statement": 3}
    many = {f"type-{i:02d}": 1 for i in range(maps.PALETTE_SIZE)} | {"unused": 0}
    colours = maps.type_colours(many)
    assert "unused" not in colours and len(set(colours.values())) == maps.PALETTE_SIZE
    css = (maps.STATIC_DIR / "timeline-maps.css").read_text()
    assert all(f".tl-c{i} {{" in css for i in range(maps.PALETTE_SIZE))
