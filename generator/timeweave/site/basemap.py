"""The basemap shipped with the site: land, sea, country borders and place names, so that a map
still shows where things are when no tile can be loaded (offline, a tile outage, a blocked network).

Natural Earth's countries as TopoJSON, from the npm package world-atlas (pinned in
package-lock.json, vendored under site/vendor/world-atlas/ with its licence; the data itself is
public domain). Two layers go into one shared file, `assets/maps/basemap.json`, that every map fetches:
- "world": the 1:110m countries, small enough to ship whole, for views wider than the region;
- "region": the 1:50m countries, cut to the box around the site's places (with a margin), for
  the zoom levels at which the 110m outline is visibly coarse. The 1:10m release is left out: four
  times the bytes for detail a basemap under tiles does not need, and 3.6 MB more in the package.
The TopoJSON is decoded here, at build time, in a few lines of Python (the format is delta-encoded
integer arcs), so the browser needs no TopoJSON library; coordinates go out as integers in
hundredths of a degree (about 1 km), flat [lon, lat, lon, lat, ...] arrays, which the map script
divides back.

Pure: catalog -> bytes. No MkDocs import.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from timeweave.catalog.catalog import Catalog
from timeweave.content.models import PRECISION_RADIUS_M

VENDOR = Path(__file__).parent / "vendor" / "world-atlas"
WORLD, REGION = "countries-110m.json", "countries-50m.json"
# The package files the basemap is made from (`make vendor` copies them again from node_modules).
SOURCES = ("world-atlas/" + WORLD, "world-atlas/" + REGION, "world-atlas/package.json")
BASEMAP_DATA = "assets/maps/basemap.json"  # beside the map scripts: not one of the data sets of data/
SCALE = 100  # integer hundredths of a degree in the shared file
MARGIN_DEG = 6.0  # around the places: a view fitted to them lies inside the region (else the world is drawn)
# Below this zoom the world layer is drawn, from it the region's (timeline-maps.js reads it here).
REGION_ZOOM = 5

Ring = list[tuple[float, float]]  # (lon, lat)
Box = tuple[float, float, float, float]  # west, south, east, north


@functools.lru_cache(maxsize=2)
def topology(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((VENDOR / name).read_text(encoding="utf-8"))
    return data


def version() -> str:
    """The vendored world-atlas release (named in the file, for whoever reads it)."""
    return str(json.loads((VENDOR / "package.json").read_text(encoding="utf-8"))["version"])


def decode_arcs(topo: dict[str, Any]) -> list[Ring]:
    """Absolute (lon, lat) points of every arc: quantized arcs are deltas from the previous point."""
    (kx, ky), (dx, dy) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for step in arc:
            x, y = x + step[0], y + step[1]
            points.append((x * kx + dx, y * ky + dy))
        arcs.append(points)
    return arcs


def _arc(arcs: list[Ring], index: int) -> Ring:
    # A negative index is the one's complement of an arc walked backwards (TopoJSON spec 2.2.1.4).
    return arcs[index] if index >= 0 else arcs[~index][::-1]


def _ring(arcs: list[Ring], indexes: Sequence[int]) -> Ring:
    points: Ring = []
    for index in indexes:
        part = _arc(arcs, index)
        points.extend(part if not points else part[1:])  # consecutive arcs share an end point
    return points


def _polygons(geometry: dict[str, Any]) -> list[list[list[int]]]:
    if geometry.get("type") == "Polygon":
        return [geometry["arcs"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def land_rings(topo: dict[str, Any], arcs: list[Ring]) -> list[Ring]:
    """Every ring (outer and hole) of the land: drawn as one even-odd filled path."""
    return [_ring(arcs, ring) for geometry in topo["objects"]["land"]["geometries"]
            for polygon in _polygons(geometry) for ring in polygon]


def border_lines(topo: dict[str, Any], arcs: list[Ring]) -> list[Ring]:
    """The arcs two different countries share: land borders (coasts belong to one country only)."""
    users: dict[int, set[int]] = {}
    for number, geometry in enumerate(topo["objects"]["countries"]["geometries"]):
        for polygon in _polygons(geometry):
            for ring in polygon:
                for index in ring:
                    users.setdefault(index if index >= 0 else ~index, set()).add(number)
    return [arcs[index] for index in sorted(users) if len(users[index]) > 1]


# -- cutting to the region ------------------------------------------------------------------------

def _inside(point: tuple[float, float], edge: int, box: Box) -> bool:
    west, south, east, north = box
    return (point[0] >= west, point[1] >= south, point[0] <= east, point[1] <= north)[edge]


def _crossing(a: tuple[float, float], b: tuple[float, float], edge: int, box: Box) -> tuple[float, float]:
    limit = box[edge]
    if edge in (0, 2):  # a meridian
        t = (limit - a[0]) / (b[0] - a[0])
        return (limit, a[1] + t * (b[1] - a[1]))
    t = (limit - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), limit)


def clip_ring(ring: Ring, box: Box) -> Ring:
    """Sutherland-Hodgman against the box: the part of a filled ring inside it (edges along the box
    where a ring was cut enclose no area, so the even-odd fill is unchanged)."""
    points = ring
    for edge in range(4):
        if not points:
            break
        out: Ring = []
        previous = points[-1]
        for point in points:
            if _inside(point, edge, box):
                if not _inside(previous, edge, box):
                    out.append(_crossing(previous, point, edge, box))
                out.append(point)
            elif _inside(previous, edge, box):
                out.append(_crossing(previous, point, edge, box))
            previous = point
        points = out
    return points


def clip_line(line: Ring, box: Box) -> list[Ring]:
    """The runs of a line inside the box, each with one point beyond it on either side so that the
    line reaches the box's edge."""
    def within(p: tuple[float, float]) -> bool:
        return box[0] <= p[0] <= box[2] and box[1] <= p[1] <= box[3]

    runs: list[Ring] = []
    run: Ring = []
    for i, point in enumerate(line):
        near = within(point) or (i > 0 and within(line[i - 1])) or (i + 1 < len(line) and within(line[i + 1]))
        if near:
            run.append(point)
        elif run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return [r for r in runs if len(r) > 1]


def region_box(points: Iterable[tuple[float, float]]) -> Box | None:
    """(west, south, east, north) around the (lat, lon) points, with MARGIN_DEG, within the world."""
    found = list(points)
    if not found:
        return None
    lats, lons = [p[0] for p in found], [p[1] for p in found]
    return (max(-180.0, min(lons) - MARGIN_DEG), max(-90.0, min(lats) - MARGIN_DEG),
            min(180.0, max(lons) + MARGIN_DEG), min(90.0, max(lats) + MARGIN_DEG))


# -- the shared file ------------------------------------------------------------------------------

def _flat(ring: Ring, closed: bool) -> list[int]:
    """[lon, lat, ...] in integer hundredths, repeated points dropped."""
    out: list[int] = []
    for lon, lat in ring:
        x, y = round(lon * SCALE), round(lat * SCALE)
        if len(out) >= 2 and out[-2] == x and out[-1] == y:
            continue
        out += [x, y]
    if closed and len(out) >= 4 and out[:2] == out[-2:]:
        out = out[:-2]  # Leaflet closes polygons itself
    return out if len(out) >= (6 if closed else 4) else []


def layer(name: str, box: Box | None = None) -> dict[str, Any]:
    topo = topology(name)
    arcs = decode_arcs(topo)
    land, borders = land_rings(topo, arcs), border_lines(topo, arcs)
    if box is not None:
        land = [clip_ring(ring, box) for ring in land]
        borders = [part for line in borders for part in clip_line(line, box)]
    return {"land": [r for r in (_flat(ring, True) for ring in land) if r],
            "borders": [r for r in (_flat(line, False) for line in borders) if r]}


def place_labels(catalog: Catalog) -> list[list[Any]]:
    """[name, lat, lon] of every place with coordinates, widest first (a country's name wins over
    a town at the same point when labels would collide), then by name."""
    found = [(-PRECISION_RADIUS_M[place.precision], place.name.casefold(), place.id, place)
             for place in catalog.places.values() if place.coordinates is not None]
    return [[place.name, round(place.coordinates[0], 4), round(place.coordinates[1], 4)]
            for *_, place in sorted(found, key=lambda item: item[:3]) if place.coordinates is not None]


def basemap(catalog: Catalog) -> dict[str, Any]:
    """What assets/maps/basemap.json holds: the world, the region around the places, the place names."""
    points = [place.coordinates for place in catalog.places.values() if place.coordinates is not None]
    points += [(location.lat, location.lon) for event in catalog.timeline
               if (location := catalog.location(event)) is not None]
    box = region_box(points)
    value: dict[str, Any] = {"scale": SCALE, "regionZoom": REGION_ZOOM, "world": layer(WORLD),
                             "places": place_labels(catalog),
                             "source": f"Natural Earth (public domain), via world-atlas {version()}"}
    if box is not None:
        value["region"] = {"box": [round(v, 2) for v in box], **layer(REGION, box)}
    return value
