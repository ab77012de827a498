/* The site's maps (generator/timeweave/site/maps.py prepends `var TL_MAP_CONFIG = {...}` from mkdocs.yml).
 *
 * On a page with a [data-tl-map] element it loads Leaflet (and markercluster for /map/) from the
 * site itself, then draws:
 * - "record" maps (event, actor and place pages): the points are the items of the list beside the
 *   map (li[data-lat]), so the text alternative is the map's data; a popup is a copy of that item.
 * - the "global" map (/map/): runs the folium-generated global-map.js, which calls loadEvents; the
 *   events come from the shared GeoJSON file.
 * Under the tiles of every map lies the basemap shipped with the site (config.basemap: land, borders
 * and place names, from Natural Earth; generator/timeweave/site/basemap.py), so that a map whose tiles
 * cannot be loaded still shows where things are.
 * Content text only ever reaches the page through textContent or copies of already-rendered nodes:
 * nothing from the content is parsed as HTML here.
 */
(function () {
  "use strict";

  var config = TL_MAP_CONFIG;
  var here = document.currentScript ? document.currentScript.src : document.baseURI;
  var assets = new URL(".", here);       // <site>/assets/maps/
  var root = new URL("../../", assets);  // the site root, under whatever base path it is served
  var vendor = new URL("../vendor/", assets);
  var loading = {};
  var builders = {};

  function load(kind, path, base) {
    var href = new URL(path, base || vendor).href;
    if (!loading[href]) {
      loading[href] = new Promise(function (resolve, reject) {
        var node;
        if (kind === "css") {
          node = document.createElement("link");
          node.rel = "stylesheet";
        } else {
          node = document.createElement("script");
          node.async = false;
        }
        node.onload = function () { resolve(); };
        node.onerror = function () {
          delete loading[href];
          reject(new Error("could not load " + href));
        };
        if (kind === "css") { node.href = href; } else { node.src = href; }
        document.head.appendChild(node);
      });
    }
    return loading[href];
  }

  function leaflet() {
    return Promise.all([load("css", "leaflet/leaflet.css"), load("js", "leaflet/leaflet.js")]);
  }

  // Scripts inserted with async = false run in insertion order, so Leaflet, markercluster and the
  // global map's script download together and still run one after the other.
  function markercluster() {
    return Promise.all([
      leaflet(),
      load("css", "leaflet.markercluster/MarkerCluster.css"),
      load("css", "leaflet.markercluster/MarkerCluster.Default.css"),
      load("js", "leaflet.markercluster/leaflet.markercluster.js"),
    ]);
  }

  var fetches = {};

  function fetchJson(path) {
    var href = new URL(path, root).href;
    if (!fetches[href]) {
      fetches[href] = fetch(href, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) { throw new Error("map data: HTTP " + response.status); }
        return response.json();
      });
    }
    return fetches[href];
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function link(className, path, text) {
    var node = element("a", className, text);
    node.href = new URL(path, root).href;
    return node;
  }

  function distance(metres) {
    return metres >= 1000 ? (metres / 1000) + " km" : metres + " m";
  }

  function precisionText(precision, radius) {
    if (!radius) { return "Exact location"; }
    var level = precision === "near" ? "near a known point" : precision + " level";
    return "Approximate location (" + level + ", within about " + distance(radius) + ")";
  }

  function addTiles(map) {
    if (config.tiles) {
      L.tileLayer(config.tiles, { attribution: config.attribution, maxZoom: config.maxZoom }).addTo(map);
    }
  }

  // -- the shipped basemap, under the tiles ---------------------------------------------------------

  function latLngs(flat, scale) {
    var out = [];
    for (var i = 0; i + 1 < flat.length; i += 2) { out.push([flat[i + 1] / scale, flat[i] / scale]); }
    return out;
  }

  // One layer of the shared file as two paths: the land (every ring in one even-odd filled path)
  // and the borders between countries.
  function outline(part, scale, renderer) {
    var common = { renderer: renderer, interactive: false, smoothFactor: 1.5 };
    return L.layerGroup([
      L.polygon(part.land.map(function (r) { return latLngs(r, scale); }),
        L.extend({ className: "tl-land", stroke: false, fillOpacity: 1 }, common)),
      L.polyline(part.borders.map(function (r) { return latLngs(r, scale); }),
        L.extend({ className: "tl-border", weight: 1, dashArray: "4 3", fill: false }, common)),
    ]);
  }

  // Names are hidden where they would overlap a name already shown; the widest places come first in
  // the file, so a country keeps its name and its towns show theirs once zoomed in.
  function placeNames(map, labels) {
    var shown = [];
    labels.forEach(function (label) {
      var at = map.latLngToLayerPoint(label.latlng);
      var w = label.node.offsetWidth || label.node.textContent.length * 7, h = label.node.offsetHeight || 16;
      var box = [at.x + 14, at.y - h / 2 - 2, at.x + 20 + w, at.y + h / 2 + 2];  // right of the point, clear of a cluster
      var free = shown.every(function (b) { return box[2] < b[0] || box[0] > b[2] || box[3] < b[1] || box[1] > b[3]; });
      label.node.style.visibility = free ? "" : "hidden";
      if (free) { shown.push(box); }
    });
  }

  function drawBasemap(map) {
    if (!config.basemap) { return Promise.resolve(null); }
    return fetchJson(config.basemap).then(function (data) {
      var pane = map.createPane("tl-basemap"), names = map.createPane("tl-basemap-names");
      pane.style.zIndex = 150;  // under Leaflet's tile pane (200): tiles, once loaded, cover it
      names.style.zIndex = 160;
      pane.style.pointerEvents = names.style.pointerEvents = "none";
      names.setAttribute("aria-hidden", "true");  // the list of places beside the map says it in words
      var renderer = L.svg({ pane: "tl-basemap", padding: 0.5 });
      var world = outline(data.world, data.scale, renderer);
      var region = data.region ? outline(data.region, data.scale, renderer) : null;
      var box = data.region ? L.latLngBounds([data.region.box[1], data.region.box[0]], [data.region.box[3], data.region.box[2]]) : null;
      var labels = data.places.map(function (place) {
        var node = element("span", "tl-basemap-name", place[0]);
        var latlng = L.latLng(place[1], place[2]);
        L.tooltip({ pane: "tl-basemap-names", className: "tl-basemap-label", direction: "right", offset: [16, 0],
          permanent: true, interactive: false }).setLatLng(latlng).setContent(node).addTo(map);
        return { node: node, latlng: latlng };
      });
      // The region's finer outline when the whole view lies in it, the world's otherwise (never
      // both: their coasts differ by kilometres; nor the region alone: outside it there is no land).
      function update() {
        var fine = region && map.getZoom() >= data.regionZoom && box.contains(map.getBounds());
        if (fine) { map.removeLayer(world); region.addTo(map); } else { if (region) { map.removeLayer(region); } world.addTo(map); }
        placeNames(map, labels);
      }
      map.on("moveend", update);
      update();
      map.getContainer().setAttribute("data-tl-basemap", "");
      return data;
    });
  }

  // A polite notice when tiles fail, in a status region that exists (empty) before it is filled,
  // so that screen readers announce it.
  function watchTiles(map) {
    var container = map.getContainer();
    var notice = element("p", "tl-map-notice");
    notice.setAttribute("role", "status");
    container.parentNode.insertBefore(notice, container);
    map.eachLayer(function (layer) {
      if (!(layer instanceof L.TileLayer)) { return; }
      layer.once("tileerror", function () {
        notice.textContent = config.basemap ? "Map tiles could not be loaded; showing the built-in outline map." :
          "Map tiles could not be loaded.";
        container.setAttribute("data-tl-tiles-failed", "");
      });
    });
  }

  // On a touch screen one finger scrolls the page, as everywhere else on it; two fingers move and
  // zoom the map (Leaflet's pinch also pans). Without dragging Leaflet drops its touch-action: none.
  function touchFriendly(map) {
    var coarse = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
    if (!coarse || !L.Browser.touch) { return; }
    map.dragging.disable();
    var container = map.getContainer();
    var hint = element("p", "tl-map-hint", "Move and zoom the map with two fingers; one finger scrolls the page.");
    container.parentNode.insertBefore(hint, container.nextSibling);
    container.setAttribute("data-tl-touch", "two-fingers");
  }

  function fit(map, bounds) {
    map.fitBounds(bounds, { paddingTopLeft: config.fit[0], paddingBottomRight: config.fit[1], maxZoom: 12, animate: false });
  }

  function decorate(map) {
    watchTiles(map);
    touchFriendly(map);
    return drawBasemap(map).catch(function (error) {
      if (window.console) { console.error(error); }  // the map works without it, as before
    });
  }

  function failed(container, error) {
    container.classList.add("tl-map--failed");
    var note = element("p", "tl-map-error",
      "The map could not be drawn (" + error.message + "); the list beside it shows the same places.");
    container.parentNode.insertBefore(note, container.nextSibling);
    if (window.console) { console.error(error); }
  }

  // -- event, actor and place pages ---------------------------------------------------------------

  function itemPopup(item) {
    var box = element("div", "tl-popup");
    Array.prototype.forEach.call(item.childNodes, function (node) { box.appendChild(node.cloneNode(true)); });
    return box;
  }

  function recordMap(container) {
    var figure = container.closest("figure") || container.parentNode;
    // Widest first, so a smaller circle or a marker inside a wider one stays clickable on top.
    var items = Array.prototype.slice.call(figure.querySelectorAll("li[data-lat]"))
      .sort(function (a, b) { return (Number(b.dataset.radius) || 0) - (Number(a.dataset.radius) || 0); });
    var map = L.map(container, { scrollWheelZoom: false, maxZoom: config.maxZoom });
    addTiles(map);
    L.control.scale({ imperial: false }).addTo(map);
    decorate(map);
    var bounds = L.latLngBounds([]);
    var layers = [];
    items.forEach(function (item) {
      var lat = Number(item.dataset.lat), lon = Number(item.dataset.lon);
      var radius = Number(item.dataset.radius) || 0;
      if (!isFinite(lat) || !isFinite(lon)) { return; }
      var at = L.latLng(lat, lon);
      var label = item.textContent.replace(/\s+/g, " ").trim();
      var layer;
      if (radius > 0) {
        layer = L.circle(at, {
          radius: radius, weight: 2, dashArray: "6 4", fillOpacity: 0.15,
          className: "tl-area" + (item.dataset.focus ? " tl-area--focus" : ""),
        });
        bounds.extend(at.toBounds(radius * 2));
      } else {
        layer = L.marker(at, { title: label, alt: label, keyboard: true });
        bounds.extend(at);
      }
      layer.bindPopup(function () { return itemPopup(item); });
      layer.addTo(map);
      layers.push(layer);
    });
    if (bounds.isValid()) {
      fit(map, bounds);
    } else {
      map.setView([20, 0], 2);
    }
    var state = { map: map, layers: layers, container: container };
    (window.timelineMaps = window.timelineMaps || []).push(state);
    return state;
  }

  // -- the global map ------------------------------------------------------------------------------

  function fill(template, id) {
    return template.replace("{id}", encodeURIComponent(id));
  }

  // What a popup shows, from a feature of the shared file (which does not repeat URLs or names).
  function eventInfo(feature, places) {
    var p = feature.properties, xy = feature.geometry.coordinates;
    return {
      id: p.id, title: p.title, date: p.date, type: p.type, precision: p.precision,
      radius: config.radii[p.precision] || 0, url: fill(config.eventUrl, p.id),
      place: p.place ? places[p.place] || p.place : null, placeUrl: p.place ? fill(config.placeUrl, p.place) : null,
      latlng: [xy[1], xy[0]],
    };
  }

  function eventPopup(info, types) {
    var box = element("div", "tl-popup");
    box.appendChild(element("div", "tl-popup__date", info.date));
    var title = box.appendChild(element("div", "tl-popup__title"));
    title.appendChild(link("tl-event-link", info.url, info.title));
    var type = types[info.type] || { label: info.type, colour: 0 };
    var kind = box.appendChild(element("div", "tl-popup__type"));
    kind.appendChild(element("span", "tl-swatch tl-c" + type.colour));
    kind.appendChild(document.createTextNode(" " + type.label));
    if (info.place) {
      var place = box.appendChild(element("div", "tl-popup__place"));
      place.appendChild(link("tl-place", info.placeUrl, info.place));
    }
    box.appendChild(element("div", "tl-popup__precision", precisionText(info.precision, info.radius)));
    return box;
  }

  function eventMarker(info, types) {
    var type = types[info.type] || { colour: 0 };
    var icon = L.divIcon({
      className: "tl-pin tl-c" + type.colour + (info.radius ? " tl-pin--approximate" : ""),
      iconSize: [16, 16],
    });
    var marker = L.marker(info.latlng, { icon: icon, title: info.title, keyboard: true });
    marker.tlEvent = info;
    marker.bindPopup(function () { return eventPopup(info, types); });
    return marker;
  }

  // "8 events near Idlib Governorate": what a screen reader (and a mouse's tooltip) says of a
  // cluster, named for the place of its event nearest to its centre.
  function clusterIcon(cluster) {
    var count = cluster.getChildCount(), centre = cluster.getLatLng(), near = null, best = Infinity;
    cluster.getAllChildMarkers().forEach(function (marker) {
      var info = marker.tlEvent, d = info && info.place ? centre.distanceTo(marker.getLatLng()) : Infinity;
      if (d < best) { best = d; near = info.place; }
    });
    var label = count + " events" + (near ? " near " + near : "") + ": zoom in or open to see them";
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    var html = element("div");
    html.appendChild(element("span", null, count));
    return new NamedIcon({ html: html, className: "marker-cluster marker-cluster-" + size,
      iconSize: L.point(40, 40), label: label });
  }

  var NamedIcon = null;

  function namedIconClass() {
    return L.DivIcon.extend({
      createIcon: function (old) {
        var node = L.DivIcon.prototype.createIcon.call(this, old);
        node.setAttribute("aria-label", this.options.label);
        node.title = this.options.label;
        return node;
      },
    });
  }

  function select(id, source) {
    document.dispatchEvent(new CustomEvent("timeline:select", { detail: { id: id, source: source } }));
  }

  function loadEvents(options) {
    var map = options.map, cluster = options.cluster, types = options.types, groups = options.groups;
    var state = { map: map, cluster: cluster, markers: [], byType: {}, byId: {}, area: null, only: null };
    NamedIcon = NamedIcon || namedIconClass();
    cluster.options.iconCreateFunction = clusterIcon;
    Object.keys(groups).forEach(function (typeId) {
      groups[typeId].tlType = typeId;
      state.byType[typeId] = [];
    });
    window.timelineMap = state;
    decorate(map);

    function shown(marker) {
      var group = groups[marker.tlEvent.type];
      return (!state.only || state.only.has(marker.tlEvent.id)) && (!group || map.hasLayer(group));
    }

    // An approximate event shows the area it may lie in while its popup is open.
    map.on("popupopen", function (e) {
      var source = e.popup._source, info = source && source.tlEvent;
      if (info && info.radius) {
        state.area = L.circle(source.getLatLng(), {
          radius: info.radius, weight: 2, dashArray: "6 4", fillOpacity: 0.1, interactive: false, className: "tl-area",
        }).addTo(map);
      }
      if (info && !state.selecting) { select(info.id, "map"); }
    });
    map.on("popupclose", function () {
      if (state.area) { map.removeLayer(state.area); state.area = null; }
    });
    map.on("overlayadd", function (e) {
      if (e.layer.tlType) { cluster.addLayers(state.byType[e.layer.tlType].filter(shown)); }
    });
    map.on("overlayremove", function (e) {
      if (e.layer.tlType) { cluster.removeLayers(state.byType[e.layer.tlType]); }
    });

    // Only the events whose ids are given (null: every event), the view fitted to them.
    state.showOnly = function (ids) {
      state.only = ids ? new Set(ids) : null;
      cluster.clearLayers();
      var visible = state.markers.filter(shown);
      cluster.addLayers(visible);
      var bounds = L.latLngBounds(visible.map(function (m) { return m.getLatLng(); }));
      if (bounds.isValid()) { fit(map, bounds); }
      map.getContainer().setAttribute("data-tl-shown", String(visible.length));
      return visible.length;
    };

    // Another view (the time axis) selected an event: bring its marker out of its cluster, open it.
    state.select = function (id) {
      var marker = state.byId[id];
      if (!marker || !cluster.hasLayer(marker)) { return false; }
      var open = function () {
        state.selecting = true;
        marker.openPopup();
        state.selecting = false;
      };
      // zoomToShowLayer waits for a moveend that never comes when the map need not move.
      if (map.hasLayer(marker)) { open(); } else { cluster.zoomToShowLayer(marker, open); }
      return true;
    };
    document.addEventListener("timeline:select", function (e) {
      if (e.detail && e.detail.source !== "map" && state.loaded) { state.select(e.detail.id); }
    });

    state.ready = fetchJson(options.data)
      .then(function (data) {
        var places = data.places || {};
        data.features.forEach(function (feature) {
          var info = eventInfo(feature, places);
          var marker = eventMarker(info, types);
          state.markers.push(marker);
          state.byId[info.id] = marker;
          (state.byType[info.type] = state.byType[info.type] || []).push(marker);
        });
        return filterFromAddress(state);
      })
      .then(function () {
        var visible = state.markers.filter(shown);
        return new Promise(function (resolve) {
          if (!visible.length) { resolve(state); return; }
          cluster.options.chunkProgress = function (done, total) {
            if (done >= total) { resolve(state); }
          };
          cluster.addLayers(visible);
          if (state.only) {
            fit(map, L.latLngBounds(visible.map(function (m) { return m.getLatLng(); })));
          }
        });
      })
      .then(function () {
        state.loaded = true;
        var container = map.getContainer();
        container.setAttribute("data-tl-shown", String(state.markers.filter(shown).length));
        container.setAttribute("data-tl-loaded", String(state.markers.length));
        return state;
      });
    return state;
  }

  // -- the timeline's filters, from the address ------------------------------------------------------

  function filterScript() {
    return window.TimeweaveFilters ? Promise.resolve() : load("js", "../timeline/filters.js", assets);
  }

  // /map/?type=...&from=... shows the events the timeline shows for the same address (filters.js
  // decides, over the same index), says so, and links to the timeline with those filters.
  function filterFromAddress(state) {
    if (!/[?&](actor|type|place|status|tag|from|to)=/.test(window.location.search)) { return null; }
    return filterScript()
      .then(function () { return fetchJson(config.index); })
      .then(function (index) {
        var F = window.TimeweaveFilters, wanted = F.read(window.location.search);
        if (!F.active(wanted)) { return; }
        var matching = F.records(index).filter(function (r) { return F.matches(r, wanted, wanted.possible); });
        var ids = matching.map(function (r) { return r.id; });
        state.only = new Set(ids);
        // The time axis under the map draws the same events, located or not (timeline-axis.js).
        var detail = window.tlTimelineFilter = { ids: ids };
        document.dispatchEvent(new CustomEvent("timeline:filter", { detail: detail }));
        var onMap = state.markers.filter(function (m) { return state.only.has(m.tlEvent.id); }).length;
        filterNote(state, onMap, matching.length, F.describe(index, wanted));
        // The axis under the map changes the address (its period) after this: the note follows it.
        state.refreshFilterNote = function () {
          var now = F.read(window.location.search), old = document.querySelector(".tl-map-filter");
          if (old) { old.parentNode.removeChild(old); }
          if (!F.active(now)) { return; }
          var count = F.records(index).filter(function (r) { return F.matches(r, now, now.possible); }).length;
          var shown = state.markers.filter(function (m) { return state.cluster.hasLayer(m); }).length;
          // The axis's own status says what panning changed: this note is not announced again.
          filterNote(state, shown, count, F.describe(index, now)).setAttribute("aria-live", "off");
        };
      })
      .catch(function (error) {
        if (window.console) { console.error(error); }  // the full map, rather than none
      });
  }

  function filterNote(state, onMap, matching, words) {
    var container = state.map.getContainer();
    var note = element("p", "tl-map-filter");
    note.setAttribute("role", "status");
    note.appendChild(document.createTextNode(
      "Showing " + onMap + " of " + state.markers.length + " events on the map, filtered as on the timeline (" +
      words + ")" + (matching > onMap ? "; " + (matching - onMap) + " more match but have no location" : "") + ". "));
    note.appendChild(link("tl-map-filter__timeline", config.timeline + window.location.search, "Open these filters on the timeline"));
    note.appendChild(document.createTextNode(" · "));
    note.appendChild(link("tl-map-filter__all", config.mapUrl, "Show every event"));
    var figure = container.closest("figure") || container;
    figure.parentNode.insertBefore(note, figure);
    return note;
  }

  function globalMap(container) {
    fetchJson(config.data).catch(function () {});  // start the download now; loadEvents reports errors
    return Promise.all([markercluster(), load("js", config.globalScript, assets)])
      .then(function () {
        var build = builders[container.id];
        if (!build) { throw new Error("no map is defined for #" + container.id); }
        return build().ready;
      });
  }

  // -- start ---------------------------------------------------------------------------------------

  // The page's words for readers without scripts give way to those about the drawn map.
  function swapHints(container) {
    var article = container.closest("article") || document;
    Array.prototype.forEach.call(article.querySelectorAll(".tl-map-nojs"), function (node) { node.classList.add("tl-map-nojs--off"); });
    Array.prototype.forEach.call(article.querySelectorAll(".tl-map-js"), function (node) { node.classList.add("tl-map-js--on"); });
  }

  function start() {
    // Other kinds (the home page's "home" hook) are left alone: they are not maps of this script.
    var containers = document.querySelectorAll(
      '[data-tl-map="record"]:not([data-tl-map-started]), [data-tl-map="global"]:not([data-tl-map-started])');
    if (!containers.length) { return; }
    Array.prototype.forEach.call(containers, function (container) {
      container.setAttribute("data-tl-map-started", "");
      container.classList.add("tl-map--active");  // the container takes space only with scripts on
      swapHints(container);
      var kind = container.getAttribute("data-tl-map");
      var drawn = kind === "global" ? globalMap(container) : leaflet().then(function () { return recordMap(container); });
      drawn.catch(function (error) { failed(container, error); });
    });
  }

  // For other scripts (the time axis under the map): TimelineMaps.showOnly(ids or null) shows only
  // those events on /map/; a `timeline:select` CustomEvent on document ({id, source}) is sent when a
  // marker's popup opens (source "map") and, from any other source, opens that event's marker.
  window.TimelineMaps = {
    register: function (id, build) { builders[id] = build; },
    loadEvents: loadEvents,
    start: start,
    showOnly: function (ids) { return window.timelineMap ? window.timelineMap.showOnly(ids) : 0; },
    select: function (id) { return window.timelineMap ? window.timelineMap.select(id) : false; },
    // After the address changed: the note over the map says the filters it has now.
    refreshFilterNote: function () { if (window.timelineMap && window.timelineMap.refreshFilterNote) { window.timelineMap.refreshFilterNote(); } },
  };

  // This script is at the end of body: the page's maps are already parsed, so start now.
  // Material's instant navigation swaps pages without reloading scripts and announces each new
  // page on document$; start() skips maps it has already started.
  start();
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
