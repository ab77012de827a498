"""Catalog -> map data, map pages and map assets (pure: no MkDocs import).

Three kinds of map, none of which repeats the dataset in a page:
- `/map/` (global): its Leaflet setup (tiles, one marker cluster, an overlay per event type, the
  layer control that doubles as legend) is built with folium and written to one generated script;
  its points come from one shared GeoJSON file (`data/map.geojson`) fetched by the browser.
- event, actor and place pages: a container element and, next to it, the list of the places the
  map shows (the text alternative). Each list item carries its own coordinates in data-attributes,
  so the list *is* the map's data: one shared script (`assets/maps/timeline-maps.js`) reads it.
Precision is never hidden: an exact point is a marker; any coarser `location_precision` is drawn as
a circle of `PRECISION_RADIUS_M` metres and labelled approximate. Events that cannot be placed are
counted and listed beside every map.

Leaflet and Leaflet.markercluster are served from the site, copied from node_modules (npm, pinned
in package-lock.json); the only third-party requests a map makes are for tiles. Under the tiles,
every map draws the basemap shipped with the site (basemap.py, one shared file), so a map without
tiles still shows land, sea, borders and place names.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from timeweave import urls
from timeweave.catalog.catalog import Catalog, Location
from timeweave.content.models import PRECISION_RADIUS_M, Event, Place
from timeweave.site import basemap
from timeweave.site.reader import INDEX_NAME

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
MAX_ZOOM = 19

ASSETS = "assets/maps/"
SHARED_SCRIPT = ASSETS + "timeline-maps.js"
SHARED_CSS = ASSETS + "timeline-maps.css"
GLOBAL_SCRIPT = ASSETS + "global-map.js"
MAP_DATA = urls.data_url("map.geojson")
UNLOCATED_URL = urls.MAP_URL + "unlocated/"
GLOBAL_MAP_ID = "map_timeline"  # folium names the element "map_" + its id; the page holds that div

STATIC_DIR = Path(__file__).parent / "static" / "maps"
VENDOR_DIR = Path(__file__).parent / "vendor"
# Site path of each vendored file -> its path in VENDOR_DIR, laid out as in the npm package
# (`make vendor` copies them again from node_modules after a version change in package-lock.json).
VENDOR_FILES = {
    "assets/vendor/leaflet/leaflet.js": "leaflet/dist/leaflet.js",
    "assets/vendor/leaflet/leaflet.css": "leaflet/dist/leaflet.css",
    "assets/vendor/leaflet/images/layers.png": "leaflet/dist/images/layers.png",
    "assets/vendor/leaflet/images/layers-2x.png": "leaflet/dist/images/layers-2x.png",
    "assets/vendor/leaflet/images/marker-icon.png": "leaflet/dist/images/marker-icon.png",
    "assets/vendor/leaflet/images/marker-icon-2x.png": "leaflet/dist/images/marker-icon-2x.png",
    "assets/vendor/leaflet/images/marker-shadow.png": "leaflet/dist/images/marker-shadow.png",
    "assets/vendor/leaflet/LICENSE.txt": "leaflet/LICENSE",
    "assets/vendor/leaflet.markercluster/leaflet.markercluster.js":
        "leaflet.markercluster/dist/leaflet.markercluster.js",
    "assets/vendor/leaflet.markercluster/MarkerCluster.css": "leaflet.markercluster/dist/MarkerCluster.css",
    "assets/vendor/leaflet.markercluster/MarkerCluster.Default.css":
        "leaflet.markercluster/dist/MarkerCluster.Default.css",
    "assets/vendor/leaflet.markercluster/LICENSE.txt": "leaflet.markercluster/MIT-LICENCE.txt",
    "assets/vendor/world-atlas/LICENSE.txt": "world-atlas/LICENSE",  # the basemap's source (basemap.py)
}
# Space kept free around the fitted view (pixels: [left, top], [right, bottom]) so that no marker or
# 40-pixel cluster sits under a control: zoom buttons top left, type list top right, scale bottom left.
FIT_TOP_LEFT = (64, 74)
FIT_BOTTOM_RIGHT = (74, 50)
# How many places and unplaced events /map/ lists itself; the rest are on paginated pages, so the
# page stays the same size whatever the size of the site.
GLOBAL_LIST_LIMIT = 50
PALETTE_SIZE = 16  # colour classes tl-c0..tl-c15 in timeline-maps.css (Okabe-Ito + Tol muted)
COORDINATE_DIGITS = 5  # about 1 m: more digits only add bytes to the shared data file


# -- what a map shows -----------------------------------------------------------------------------

@dataclass(frozen=True)
class MapPoint:
    """One place on a map and the events located there (several events can share a point)."""

    lat: float
    lon: float
    precision: str
    place: Place | None
    events: tuple[Event, ...] = ()
    focus: bool = False  # the place a place page is about

    @property
    def radius_m(self) -> int:
        return PRECISION_RADIUS_M[self.precision]

    @property
    def exact(self) -> bool:
        return self.radius_m == 0

    @property
    def at_place_coordinates(self) -> bool:
        """False when an event gives its own coordinates, so the label must show them."""
        return self.place is not None and self.place.coordinates is not None and (
            _round(self.place.coordinates[0]), _round(self.place.coordinates[1])) == (self.lat, self.lon)

    @property
    def name(self) -> str:
        return self.place.name if self.place else coordinates_label(self.lat, self.lon)


@dataclass(frozen=True)
class MapSummary:
    """What a map of some events shows, and what it cannot show (listed beside it)."""

    points: list[MapPoint]
    unplaced: list[Event] = field(default_factory=list)  # no place and no coordinates
    no_coordinates: list[tuple[Place, list[Event]]] = field(default_factory=list)  # place lacks coordinates

    @property
    def located_count(self) -> int:
        return sum(len(p.events) for p in self.points)

    @property
    def unlocated_count(self) -> int:
        return len(self.unplaced) + sum(len(events) for _, events in self.no_coordinates)

    @property
    def unlocated(self) -> list[Event]:
        events = list(self.unplaced) + [e for _, events in self.no_coordinates for e in events]
        return sorted(events, key=lambda e: (*e.when.sort_key, e.id))


def _round(value: float) -> float:
    return round(value, COORDINATE_DIGITS)


def coordinates_label(lat: float, lon: float) -> str:
    return f"{abs(lat):.4f}° {'N' if lat >= 0 else 'S'}, {abs(lon):.4f}° {'E' if lon >= 0 else 'W'}"


def radius_label(radius_m: int) -> str:
    if radius_m >= 1000:
        return f"{radius_m / 1000:g} km"
    return f"{radius_m} m"


def precision_label(precision: str) -> str:
    """How a reader should read a point: the words every map and text alternative use."""
    if PRECISION_RADIUS_M[precision] == 0:
        return "exact location"
    level = "near a known point" if precision == "near" else f"{precision} level"
    return f"approximate location ({level}, within about {radius_label(PRECISION_RADIUS_M[precision])})"


def summarize(catalog: Catalog, events: Iterable[Event], focus: Place | None = None) -> MapSummary:
    """Group events by the point they are drawn at; list those that cannot be drawn.

    With `focus` (a place page) the place itself is a point even when no event is located there.
    """
    groups: dict[tuple[float, float, str, str], list[Event]] = {}
    places: dict[str, Place] = {}
    unplaced: list[Event] = []
    no_coordinates: dict[str, list[Event]] = {}
    seen: set[str] = set()
    for event in events:
        if event.id in seen:  # an actor with two roles in one event lists it twice
            continue
        seen.add(event.id)
        location: Location | None = catalog.location(event)
        if location is None:
            place = catalog.places.get(event.place) if event.place else None
            if place is None:
                unplaced.append(event)
            else:
                no_coordinates.setdefault(place.id, []).append(event)
            continue
        place_id = location.place.id if location.place else ""
        if location.place:
            places[place_id] = location.place
        key = (_round(location.lat), _round(location.lon), location.precision, place_id)
        groups.setdefault(key, []).append(event)
    focus_key = None
    if focus is not None and focus.coordinates is not None:
        focus_key = (_round(focus.coordinates[0]), _round(focus.coordinates[1]), focus.precision, focus.id)
        groups.setdefault(focus_key, [])
        places[focus.id] = focus
    points = [MapPoint(key[0], key[1], key[2], places.get(key[3]), tuple(found), focus=key == focus_key)
              for key, found in groups.items()]
    points.sort(key=lambda p: (not p.focus, -len(p.events), p.name.casefold(), p.lat, p.lon, p.precision))
    return MapSummary(
        points,
        unplaced,
        [(catalog.places[pid], found) for pid, found in
         sorted(no_coordinates.items(), key=lambda item: (-len(item[1]), item[0]))],
    )


def type_colours(counts: dict[str, int]) -> dict[str, int]:
    """Colour class of each event type that has located events (counts from type_counts), in sorted
    id order: types that are not on the map take no colour, so up to PALETTE_SIZE get distinct ones."""
    shown = [type_id for type_id in sorted(counts) if counts[type_id]]
    return {type_id: index % PALETTE_SIZE for index, type_id in enumerate(shown)}


def type_counts(catalog: Catalog, located: list[tuple[Event, Location]] | None = None) -> dict[str, int]:
    """Located live events per event type (every type of the vocabulary, zero included)."""
    counts = dict.fromkeys(sorted(catalog.vocabulary.event_types), 0)
    for event, _ in located if located is not None else located_events(catalog):
        counts[event.type] += 1
    return counts


# -- the shared data file -------------------------------------------------------------------------

def event_feature(event: Event, location: Location) -> dict[str, Any]:
    """One GeoJSON point (RFC 7946: [longitude, latitude]) with what its popup shows. URLs, place
    names and radii are not repeated per event: the script derives them (see shared_script)."""
    properties: dict[str, Any] = {
        "id": event.id,
        "title": event.title,
        "date": event.when.label() + (f", {event.time}" if event.time else ""),
        "type": event.type,
        "precision": location.precision,
    }
    if location.place is not None:
        properties["place"] = location.place.id
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [_round(location.lon), _round(location.lat)]},
        "properties": properties,
    }


def located_events(catalog: Catalog) -> list[tuple[Event, Location]]:
    """The live events that have a location, in timeline order."""
    return [(event, location) for event in catalog.timeline
            if (location := catalog.location(event)) is not None]


def map_geojson(catalog: Catalog, located: list[tuple[Event, Location]] | None = None) -> dict[str, Any]:
    """Every located event of the timeline, in timeline order, and the names of their places
    (a foreign member, as RFC 7946 allows: GeoJSON readers ignore it)."""
    features, places = [], {}
    for event, location in located if located is not None else located_events(catalog):
        features.append(event_feature(event, location))
        if location.place is not None:
            places[location.place.id] = location.place.name
    return {"type": "FeatureCollection", "features": features, "places": dict(sorted(places.items()))}


def dump_json(value: Any) -> str:
    """Compact JSON that is also safe inside HTML or a script: <, >, &, U+2028/9 escaped."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# -- the global map's Leaflet setup, built with folium --------------------------------------------

def bounds_of(points: Sequence[tuple[float, float]]) -> list[list[float]] | None:
    if not points:
        return None
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def global_map_script(catalog: Catalog, tiles: str = OSM_TILES, attribution: str = OSM_ATTRIBUTION,
                      located: list[tuple[Event, Location]] | None = None) -> str:
    """The /map/ page's script: folium's Leaflet setup, wrapped so the shared script can run it
    after Leaflet has loaded. Deterministic: every folium element gets a fixed id."""
    import folium  # slow to import: only the build of the global map pays for it
    from branca.element import MacroElement
    from folium.plugins import MarkerCluster
    from folium.template import Template

    class EventLoader(MacroElement):
        """Hands the folium-made layers to TimelineMaps.loadEvents, which fetches the GeoJSON."""

        _template = Template("""
            {% macro script(this, kwargs) %}
            return TimelineMaps.loadEvents({
                map: {{ this._parent.get_name() }},
                cluster: {{ this.cluster.get_name() }},
                groups: { {%- for type_id, group in this.groups %}
                    {{ type_id|tojson }}: {{ group.get_name() }},{% endfor %}
                },
                types: {{ this.types|tojson }},
                data: {{ this.data|tojson }}
            });
            {% endmacro %}
        """)

        def __init__(self, cluster: Any, groups: list[tuple[str, Any]], types: dict[str, Any]) -> None:
            super().__init__()  # type: ignore[no-untyped-call]  # branca has no annotations
            self._name = "EventLoader"
            self.cluster, self.groups, self.types, self.data = cluster, groups, types, MAP_DATA

    def fixed(element: Any, name: str) -> Any:
        element._id = name
        return element

    located = located if located is not None else located_events(catalog)
    bounds = bounds_of([(location.lat, location.lon) for _, location in located])
    centre = ([_round((bounds[0][0] + bounds[1][0]) / 2), _round((bounds[0][1] + bounds[1][1]) / 2)]
              if bounds else [20.0, 0.0])
    fmap = fixed(folium.Map(location=centre, zoom_start=6 if bounds else 2, tiles=None, max_zoom=MAX_ZOOM,
                            control_scale=True), GLOBAL_MAP_ID.removeprefix("map_"))
    fmap.options["max_zoom"] = MAX_ZOOM  # markercluster needs it on the map, also when there are no tiles
    # folium's defaults load Leaflet, jQuery, Bootstrap and Font Awesome from CDNs; this map needs
    # only Leaflet and markercluster, served from the site (the shared script loads them).
    fmap.default_js = [("leaflet", "../" + "assets/vendor/leaflet/leaflet.js")]
    fmap.default_css = [("leaflet_css", "../" + "assets/vendor/leaflet/leaflet.css")]
    if tiles:
        fixed(folium.TileLayer(tiles=tiles, attr=attribution, name="tiles", control=False,
                               max_zoom=MAX_ZOOM), "base").add_to(fmap)
    cluster = fixed(MarkerCluster(  # type: ignore[no-untyped-call]  # folium has no annotations
        name="events", control=False, options={"chunkedLoading": True, "showCoverageOnHover": False}), "events")
    cluster.default_js = [("markerclusterjs", "../assets/vendor/leaflet.markercluster/leaflet.markercluster.js")]
    cluster.default_css = [
        ("markerclustercss", "../assets/vendor/leaflet.markercluster/MarkerCluster.css"),
        ("markerclusterdefaultcss", "../assets/vendor/leaflet.markercluster/MarkerCluster.Default.css"),
    ]
    cluster.add_to(fmap)
    counts = type_counts(catalog, located)
    colours = type_colours(counts)
    groups = []
    types: dict[str, Any] = {}
    for index, type_id in enumerate(colours):
        term = catalog.vocabulary.event_types[type_id]
        # Leaflet's layer control sets a layer's name with innerHTML: escape the label here; the
        # swatch and count are our own markup.
        name = (f'<span class="tl-swatch tl-c{colours[type_id]}"></span> {html.escape(term.label)} '
                f'<span class="tl-n">({counts[type_id]})</span>')
        group = fixed(folium.FeatureGroup(name=name, show=True), f"type{index}")
        group.add_to(fmap)
        groups.append((type_id, group))
        types[type_id] = {"label": term.label, "colour": colours[type_id]}
    # Collapsed: open, it would hide popups under it; the legend below the map is always visible.
    fixed(folium.LayerControl(collapsed=True, position="topright"), "types").add_to(fmap)
    if bounds:
        fixed(folium.FitBounds(bounds, padding_top_left=FIT_TOP_LEFT, padding_bottom_right=FIT_BOTTOM_RIGHT,
                               max_zoom=12), "bounds").add_to(fmap)
    fixed(EventLoader(cluster, groups, types), "loader").add_to(fmap)
    figure = fmap.get_root()
    figure.render()
    body = "\n".join(line.rstrip() for line in figure.script.render().splitlines() if line.strip())
    return (
        "// The global map (/map/): generated by generator/timeweave/site/maps.py with folium from the catalog; "
        "do not edit.\n"
        "// Leaflet and markercluster are loaded from the site by timeline-maps.js before this runs.\n"
        f"TimelineMaps.register({json.dumps(GLOBAL_MAP_ID)}, function () {{\n{body}\n}});\n"
    )


def shared_script(tiles: str = OSM_TILES, attribution: str = OSM_ATTRIBUTION) -> str:
    """The site's one map script: the tile settings from mkdocs.yml, then the static code."""
    config = {"tiles": tiles, "attribution": attribution, "maxZoom": MAX_ZOOM,
              "globalScript": GLOBAL_SCRIPT.removeprefix(ASSETS), "data": MAP_DATA,
              "eventUrl": urls.event_url("{id}"), "placeUrl": urls.place_url("{id}"),
              "radii": PRECISION_RADIUS_M, "basemap": basemap.BASEMAP_DATA,
              "index": urls.data_url(INDEX_NAME), "timeline": urls.timeline_url(), "mapUrl": urls.MAP_URL,
              "fit": [FIT_TOP_LEFT, FIT_BOTTOM_RIGHT]}
    code = (STATIC_DIR / "timeline-maps.js").read_text(encoding="utf-8")
    return f"var TL_MAP_CONFIG = {dump_json(config)};\n{code}"


# -- files ----------------------------------------------------------------------------------------

def vendor_files() -> list[tuple[str, bytes]]:
    """Leaflet and markercluster as the package ships them (site/vendor/, the npm releases named in
    package-lock.json, byte for byte, with their licences): a build needs no npm."""
    return [(site_path, (VENDOR_DIR / package_path).read_bytes())
            for site_path, package_path in VENDOR_FILES.items()]


def map_files(catalog: Catalog, tiles: str = OSM_TILES,
              attribution: str = OSM_ATTRIBUTION) -> list[tuple[str, bytes]]:
    """Every non-page file the maps need, as (site path, bytes)."""
    located = located_events(catalog)
    return [
        (MAP_DATA, dump_json(map_geojson(catalog, located)).encode("utf-8")),
        (basemap.BASEMAP_DATA, dump_json(basemap.basemap(catalog)).encode("utf-8")),
        (GLOBAL_SCRIPT, global_map_script(catalog, tiles, attribution, located).encode("utf-8")),
        (SHARED_SCRIPT, shared_script(tiles, attribution).encode("utf-8")),
        (SHARED_CSS, (STATIC_DIR / "timeline-maps.css").read_bytes()),
        *vendor_files(),
    ]


def template_globals(catalog: Catalog) -> dict[str, Any]:
    """What the map templates (_map.md.j2, map.md.j2) call."""
    return {
        "map_summary": lambda events, focus=None: summarize(catalog, events, focus),
        "precision_label": precision_label,
        "coordinates_label": coordinates_label,
    }
