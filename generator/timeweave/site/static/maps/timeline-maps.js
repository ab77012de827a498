/* The site's maps (generator/timeweave/site/maps.py prepends `var TL_MAP_CONFIG = {...}` from mkdocs.yml).
 *
 * On a page with a [data-tl-map] element it loads Leaflet (and markercluster for /map/) from the
 * site itself, then draws:
 * - "record" maps (event, actor and place pages): the points are the items of the list beside the
 *   map (li[data-lat]), so the text alternative is the map's data; a popup is a copy of that item.
 * - the "global" map (/map/): runs the folium-generated global-map.js, which calls loadEvents; the
 *   events come from the shared GeoJSON file.
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
      map.fitBounds(bounds, { padding: [16, 16], maxZoom: 12 });
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

  function loadEvents(options) {
    var map = options.map, cluster = options.cluster, types = options.types, groups = options.groups;
    var state = { map: map, cluster: cluster, markers: [], byType: {}, byId: {}, area: null };
    Object.keys(groups).forEach(function (typeId) {
      groups[typeId].tlType = typeId;
      state.byType[typeId] = [];
    });
    window.timelineMap = state;

    // An approximate event shows the area it may lie in while its popup is open.
    map.on("popupopen", function (e) {
      var source = e.popup._source, info = source && source.tlEvent;
      if (info && info.radius) {
        state.area = L.circle(source.getLatLng(), {
          radius: info.radius, weight: 2, dashArray: "6 4", fillOpacity: 0.1, interactive: false, className: "tl-area",
        }).addTo(map);
      }
    });
    map.on("popupclose", function () {
      if (state.area) { map.removeLayer(state.area); state.area = null; }
    });
    map.on("overlayadd", function (e) {
      if (e.layer.tlType) { cluster.addLayers(state.byType[e.layer.tlType]); }
    });
    map.on("overlayremove", function (e) {
      if (e.layer.tlType) { cluster.removeLayers(state.byType[e.layer.tlType]); }
    });

    state.ready = fetchJson(options.data)
      .then(function (data) {
        var visible = [];
        var places = data.places || {};
        data.features.forEach(function (feature) {
          var info = eventInfo(feature, places);
          var marker = eventMarker(info, types);
          var typeId = info.type;
          state.markers.push(marker);
          state.byId[info.id] = marker;
          (state.byType[typeId] = state.byType[typeId] || []).push(marker);
          if (!groups[typeId] || map.hasLayer(groups[typeId])) { visible.push(marker); }
        });
        return new Promise(function (resolve) {
          if (!visible.length) { resolve(state); return; }
          cluster.options.chunkProgress = function (done, total) {
            if (done >= total) { resolve(state); }
          };
          cluster.addLayers(visible);
        });
      })
      .then(function () {
        state.loaded = true;
        map.getContainer().setAttribute("data-tl-loaded", String(state.markers.length));
        return state;
      })
    return state;
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

  function start() {
    // Other kinds (the home page's "home" hook) are left alone: they are not maps of this script.
    var containers = document.querySelectorAll(
      '[data-tl-map="record"]:not([data-tl-map-started]), [data-tl-map="global"]:not([data-tl-map-started])');
    if (!containers.length) { return; }
    Array.prototype.forEach.call(containers, function (container) {
      container.setAttribute("data-tl-map-started", "");
      container.classList.add("tl-map--active");  // the container takes space only with scripts on
      var kind = container.getAttribute("data-tl-map");
      var drawn = kind === "global" ? globalMap(container) : leaflet().then(function () { return recordMap(container); });
      drawn.catch(function (error) { failed(container, error); });
    });
  }

  window.TimelineMaps = {
    register: function (id, build) { builders[id] = build; },
    loadEvents: loadEvents,
    start: start,
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
