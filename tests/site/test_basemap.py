"""The shipped basemap (generator/timeweave/site/basemap.py): Natural Earth from world-atlas, decoded
and cut at build time, on the map fixture's real catalog and the vendored TopoJSON."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from timeweave.catalog.catalog import Catalog, load_catalog
from timeweave.site import basemap, maps

from conftest import FIXTURES, ROOT

MAP_SITE = FIXTURES / "map_site"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    loaded, errors = load_catalog(MAP_SITE / "content", MAP_SITE)
    assert loaded is not None, errors.items
    return loaded


def test_arcs_are_delta_decoded_and_walked_backwards_by_complement():
    topo = {"transform": {"scale": [0.5, 2.0], "translate": [10.0, -5.0]},
            "arcs": [[[0, 0], [2, 0], [0, 1]], [[2, 1], [-2, -1]]]}
    arcs = basemap.decode_arcs(topo)
    assert arcs[0] == [(10.0, -5.0), (11.0, -5.0), (11.0, -3.0)]
    assert arcs[1] == [(11.0, -3.0), (10.0, -5.0)]
    # Consecutive arcs share their end point, which the ring holds once; ~i is arc i walked backwards.
    assert basemap._ring(arcs, [0, 1]) == [(10.0, -5.0), (11.0, -5.0), (11.0, -3.0), (10.0, -5.0)]
    assert basemap._ring(arcs, [~1, ~0]) == [(10.0, -5.0), (11.0, -3.0), (11.0, -5.0), (10.0, -5.0)]


def test_a_ring_is_cut_to_the_box():
    square = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]
    cut = basemap.clip_ring(square, (5.0, -1.0, 20.0, 5.0))
    assert sorted(set(cut)) == [(5.0, 0.0), (5.0, 5.0), (10.0, 0.0), (10.0, 5.0)]
    assert basemap.clip_ring(square, (20.0, 20.0, 30.0, 30.0)) == []


def test_a_line_keeps_its_runs_inside_the_box_to_the_edge():
    line = [(-2.0, 0.0), (-1.0, 0.0), (1.0, 0.0), (2.0, 0.0), (5.0, 0.0), (6.0, 0.0)]
    assert basemap.clip_line(line, (0.0, -1.0, 3.0, 1.0)) == [[(-1.0, 0.0), (1.0, 0.0), (2.0, 0.0), (5.0, 0.0)]]


def test_the_region_is_the_places_with_a_margin(catalog):
    box = basemap.region_box([(36.0, 36.7), (34.0, 40.0)])
    assert box == (36.7 - basemap.MARGIN_DEG, 34.0 - basemap.MARGIN_DEG, 40.0 + basemap.MARGIN_DEG,
                   36.0 + basemap.MARGIN_DEG)
    assert basemap.region_box([(89.0, 179.0)]) == (179.0 - basemap.MARGIN_DEG, 89.0 - basemap.MARGIN_DEG, 180.0, 90.0)
    assert basemap.region_box([]) is None


def test_the_basemap_has_the_world_the_region_and_the_place_names(catalog):
    value = basemap.basemap(catalog)
    assert value["scale"] == basemap.SCALE and value["regionZoom"] == basemap.REGION_ZOOM
    world, region = value["world"], value["region"]
    assert len(world["land"]) > 100 and len(world["borders"]) > 100  # every continent and country
    west, south, east, north = region["box"]
    margin = basemap.MARGIN_DEG  # around the fixture's places, from Hostile Town (west) to Big Region
    assert (west, south, east, north) == (round(36.2 - margin, 2), round(34.0 - margin, 2),
                                          round(40.0 + margin, 2), round(36.05 + margin, 2))
    xs = [x for ring in region["land"] for x in ring[0::2]]
    ys = [y for ring in region["land"] for y in ring[1::2]]
    assert round(west * 100) <= min(xs) and max(xs) <= round(east * 100)
    assert round(south * 100) <= min(ys) and max(ys) <= round(north * 100)
    assert region["borders"], "Syria's and Turkey's borders cross the fixture's region"
    # Every place with coordinates is named, the widest first; the place without coordinates is not.
    names = [label[0] for label in value["places"]]
    assert names[:2] == ["Home Country", "Big Region"] and "Lost Village" not in names
    assert ["Hill Post", 36.05, 36.75] in value["places"]
    assert "Natural Earth" in value["source"] and basemap.version() in value["source"]


def test_the_basemap_file_is_small_and_deterministic(catalog):
    first = maps.dump_json(basemap.basemap(catalog)).encode()
    assert first == maps.dump_json(basemap.basemap(catalog)).encode()
    assert len(gzip.compress(first)) < 60_000


def test_the_real_sites_basemap_stays_small():
    """The real content spans Israel to Russia's centre: the 1:50m region cut to it stays small."""
    loaded, errors = load_catalog(ROOT / "content", ROOT)
    assert loaded is not None, errors.items
    raw = maps.dump_json(basemap.basemap(loaded)).encode()
    assert len(raw) < 200_000 and len(gzip.compress(raw)) < 80_000


def test_every_map_page_fetches_the_one_basemap_file(map_site: Path):
    assert json.loads((map_site / basemap.BASEMAP_DATA).read_text())["world"]["land"]
    script = (map_site / maps.SHARED_SCRIPT).read_text()
    config = json.loads(script.split("\n", 1)[0].removeprefix("var TL_MAP_CONFIG = ").removesuffix(";"))
    assert config["basemap"] == basemap.BASEMAP_DATA  # resolved against the site root by the one script
    assert (map_site / "assets/vendor/world-atlas/LICENSE.txt").read_text().startswith("Copyright")
