/* Timeline filters: progressive enhancement over the static, paginated timeline.
 *
 * Without JavaScript the timeline is simply complete (every event is on one of its pages). With it,
 * the timeline gets filters by actor, type, place, status, tag and date range. The filters work
 * over data/timeline-index.json, one compact index of every event, so a filter finds events on every
 * page, not just the one on screen; results are rendered with the same markup as the static list.
 * The filter state lives in the query string (?actor=...&type=...), so a filtered view can be shared
 * and reloading restores it. If the index cannot be loaded (for example a site opened from disk),
 * the filters work on the events of the current page and say so.
 *
 * Content text is only ever inserted with textContent / setAttribute: never as HTML.
 */
(function () {
  "use strict";

  // The address parameters and what they keep are shared with the map (filters.js, loaded first).
  var F = window.TimeweaveFilters;
  var FACETS = F.FACETS, bound = F.bound, matches = F.matches;
  var OPEN_START = 1, OPEN_END = 2, POINT = 4, APPROXIMATE = 8, UNCERTAIN = 16;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        if (attrs[name] !== null && attrs[name] !== undefined && attrs[name] !== false) {
          node.setAttribute(name, attrs[name] === true ? "" : attrs[name]);
        }
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function icon(name) {
    return el("span", { "class": "tl-icon tl-icon--" + name, "aria-hidden": "true" });
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function byName(a, b) {
    return a.name.localeCompare(b.name, document.documentElement.lang || "en", { sensitivity: "base" }) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  }

  /* -- the shared index -> records and option lists ------------------------------------------- */

  function fromIndex(index) {
    var places = index.places;
    var counts = { actor: {}, type: {}, place: {}, status: {}, tag: {} };
    function count(facet, id) { counts[facet][id] = (counts[facet][id] || 0) + 1; }
    var records = F.records(index).map(function (r) {
      count("type", r.type); count("status", r.status);
      r.actors.forEach(function (id) { count("actor", id); });
      r.tags.forEach(function (id) { count("tag", id); });
      r.places.forEach(function (id) { count("place", id); });
      return r;
    });
    var names = { actor: {}, place: {} };
    index.actors.forEach(function (a) { names.actor[a[0]] = a[1]; });
    places.forEach(function (pl) { names.place[pl[0]] = pl[1]; });
    var types = {}, statuses = {};
    index.types.forEach(function (t) { types[t[0]] = { label: t[1], icon: t[2] }; });
    index.statuses.forEach(function (s) { statuses[s[0]] = { label: s[1], icon: s[2], definition: s[3] }; });
    function options(facet, list, sort) {
      var out = list.filter(function (o) { return counts[facet][o.id]; });
      if (sort) out.sort(byName);
      return out.map(function (o) { return { id: o.id, name: o.name, count: counts[facet][o.id] }; });
    }
    var earliest = "", latest = "";
    index.dates.forEach(function (d) {
      if (d[1] && (!earliest || d[1] < earliest)) earliest = d[1];
      if (d[2] && (!latest || d[2] > latest)) latest = d[2];
    });
    return {
      records: records, names: names, types: types, statuses: statuses, groups: index.groups,
      range: [earliest, latest],
      options: {
        actor: options("actor", index.actors.map(function (a) { return { id: a[0], name: a[1] }; }), true),
        type: options("type", index.types.map(function (t) { return { id: t[0], name: t[1] }; }), false),
        place: options("place", places.map(function (pl) { return { id: pl[0], name: pl[1] }; }), true),
        status: options("status", index.statuses.map(function (s) { return { id: s[0], name: s[1] }; }), false),
        tag: options("tag", index.tags.map(function (t) { return { id: t, name: t }; }), true)
      }
    };
  }

  /* The fallback: the events of this page, read from their data-* attributes and links. */
  function fromPage(listing) {
    var names = { actor: {}, place: {}, type: {}, status: {}, tag: {} };
    var counts = { actor: {}, type: {}, place: {}, status: {}, tag: {} };
    function count(facet, id) { counts[facet][id] = (counts[facet][id] || 0) + 1; }
    var earliest = "", latest = "";
    var records = Array.prototype.map.call(listing.querySelectorAll(".tl-timeline li.tl-entry"), function (li) {
      var split = function (name) { return (li.getAttribute(name) || "").split(" ").filter(Boolean); };
      var r = {
        element: li, id: li.getAttribute("data-id"), type: li.getAttribute("data-type"), status: li.getAttribute("data-status"),
        places: split("data-place"), actors: split("data-actors"), tags: split("data-tags"),
        earliest: li.getAttribute("data-earliest"), latest: li.getAttribute("data-latest")
      };
      var actorLinks = li.querySelectorAll("a.tl-actor");
      r.actors.forEach(function (id, i) { if (actorLinks[i]) names.actor[id] = actorLinks[i].textContent; count("actor", id); });
      var placeLink = li.querySelector("a.tl-place");
      if (r.places.length && placeLink) names.place[r.places[0]] = placeLink.textContent;
      r.places.forEach(function (id) { count("place", id); });
      var typeLink = li.querySelector(".tl-type"), statusBadge = li.querySelector(".tl-status");
      names.type[r.type] = typeLink ? typeLink.textContent : r.type;
      names.status[r.status] = statusBadge ? statusBadge.textContent : r.status;
      count("type", r.type); count("status", r.status);
      r.tags.forEach(function (id) { names.tag[id] = id; count("tag", id); });
      if (r.earliest && (!earliest || r.earliest < earliest)) earliest = r.earliest;
      if (r.latest && (!latest || r.latest > latest)) latest = r.latest;
      return r;
    });
    function options(facet, sort) {
      var out = Object.keys(names[facet]).map(function (id) {
        return { id: id, name: names[facet][id], count: counts[facet][id] };
      });
      if (sort) out.sort(byName);
      return out;
    }
    return {
      records: records, range: [earliest, latest],
      options: {
        actor: options("actor", true), type: options("type", false), place: options("place", true),
        status: options("status", false), tag: options("tag", true)
      }
    };
  }

  /* -- rendering the same markup as the templates (generator/timeweave/site/templates/_macros.md.j2) ---------- */

  function Renderer(data, root) {
    this.data = data;
    this.root = root;
  }

  Renderer.prototype.url = function (path) {
    return this.root + path;
  };

  Renderer.prototype.entry = function (r) {
    var d = this.data, date = r.date, bar = date[4], flags = bar[3];
    var barClasses = ["tl-bar", "tl-bar--from-" + bar[1], "tl-bar--to-" + bar[2],
      flags & POINT ? "tl-bar--point" : "tl-bar--span"];
    [[OPEN_START, "open-start"], [OPEN_END, "open-end"], [APPROXIMATE, "approximate"], [UNCERTAIN, "uncertain"]]
      .forEach(function (pair) { if (flags & pair[0]) barClasses.push("tl-bar--" + pair[1]); });
    var when = el("div", { "class": "tl-entry__when" }, [
      el("time", { "class": "tl-date" + (date[7] ? " tl-date--fuzzy" : ""), "datetime": date[6] }, [date[0]])
    ]);
    if (r.time) { when.appendChild(document.createTextNode(" ")); when.appendChild(el("span", { "class": "tl-time" }, [r.time])); }
    if (date[5]) { when.appendChild(document.createTextNode(" ")); when.appendChild(el("span", { "class": "tl-span-note" }, ["(" + date[5] + ")"])); }
    when.appendChild(el("span", { "class": "tl-track tl-track--" + bar[0], "aria-hidden": "true" }, [
      el("span", { "class": barClasses.join(" ") })
    ]));
    var type = d.types[r.type], status = d.statuses[r.status];
    var body = el("div", { "class": "tl-entry__body" }, [
      el("p", { "class": "tl-entry__meta" }, [
        el("a", { "class": "tl-type tl-type--" + r.type, "href": this.url("types/" + r.type + "/") },
          [icon(type.icon), type.label]),
        " ",
        el("span", { "class": "tl-status tl-status--" + r.status, "title": status.definition },
          [status.label])  // its icon, as the place's and the actors', drawn by reader.css
      ]),
      el("h4", { "class": "tl-entry__title" }, [  // under the month's h3, as in the static list
        el("a", { "class": "tl-event-link", "href": this.url("events/" + r.id + "/") }, [r.title])
      ])
    ]);
    if (r.place || r.actors.length) {
      var who = el("p", { "class": "tl-entry__who" });
      if (r.place) {
        who.appendChild(el("span", { "class": "tl-entry__place" }, [
          el("span", { "class": "tl-sr" }, ["Place: "]),
          el("a", { "class": "tl-place", "href": this.url("places/" + r.place + "/") }, [d.names.place[r.place]])
        ]));
      }
      if (r.place && r.actors.length) who.appendChild(document.createTextNode(" "));
      if (r.actors.length) {
        var actors = el("span", { "class": "tl-actors" }, [el("span", { "class": "tl-sr" }, ["Actors: "])]);
        r.actors.forEach(function (id, i) {
          if (i) actors.appendChild(document.createTextNode(", "));
          actors.appendChild(el("a", { "class": "tl-actor", "href": this.url("actors/" + id + "/") }, [d.names.actor[id]]));
        }, this);
        who.appendChild(actors);
      }
      body.appendChild(who);
    }
    return el("li", {
      "class": "tl-entry tl-entry--" + r.status, "data-id": r.id, "data-type": r.type, "data-status": r.status,
      "data-place": r.places.join(" "), "data-actors": r.actors.join(" "), "data-tags": r.tags.join(" "),
      "data-earliest": r.earliest, "data-latest": r.latest
    }, [when, body]);
  };

  /* Appends entries to the results, continuing the last year and month group. */
  Renderer.prototype.append = function (container, records) {
    var groups = this.data.groups;
    records.forEach(function (r) {
      var group = groups[r.date[3]], key = group[0], year = key.slice(0, 4);
      if (container.tlYear !== year) {
        container.tlYearSection = el("section", { "class": "tl-year-group" }, [el("h2", { "class": "tl-year" }, [year])]);
        container.appendChild(container.tlYearSection);
        container.tlYear = year;
        container.tlMonth = null;
      }
      if (container.tlMonth !== key) {
        container.tlList = el("ol", { "class": "tl-list" });
        container.tlYearSection.appendChild(el("section", { "class": "tl-month-group" }, [
          el("h3", { "class": "tl-month" }, [el("a", { "href": this.url("timeline/" + key + "/") }, [group[1]])]),
          group[2] ? el("p", { "class": "tl-order-note" }, [group[2]]) : null,
          container.tlList
        ]));
        container.tlMonth = key;
      }
      container.tlList.appendChild(this.entry(r));
    }, this);
  };

  /* -- the filter panel ----------------------------------------------------------------------- */

  var LABELS = {
    actor: ["Actor", "All actors"], type: ["Event type", "All types"], place: ["Place", "All places"],
    status: ["Status", "Any status"], tag: ["Tag", "All tags"], from: ["From", ""], to: ["To", ""]
  };

  function Filters(listing) {
    this.listing = listing;
    this.total = parseInt(listing.getAttribute("data-tl-total"), 10) || 0;
    this.pageSize = parseInt(listing.getAttribute("data-tl-page-size"), 10) || 100;
    this.root = new URL(listing.getAttribute("data-tl-root") || "./", window.location.href).href;
    this.state = this.read();
    if (this.active(this.state)) listing.classList.add("tl-filtering", "tl-loading");
  }

  Filters.prototype.read = function () {
    return F.read(window.location.search);
  };

  Filters.prototype.active = function (state) {
    return F.active(state);
  };

  Filters.prototype.write = function () {
    var params = new URLSearchParams(window.location.search), state = this.state;
    FACETS.forEach(function (facet) { if (state[facet]) params.set(facet, state[facet]); else params.delete(facet); });
    if (state.possible && (state.from || state.to)) params.set("possible", "1"); else params.delete("possible");
    var query = params.toString();
    window.history.replaceState(window.history.state, "",
      window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  };

  Filters.prototype.start = function (data, mode) {
    this.data = data;
    this.mode = mode;
    this.renderer = mode === "index" ? new Renderer(data, this.root) : null;
    this.build();
    this.apply(false);
    this.listing.classList.remove("tl-loading");
  };

  Filters.prototype.build = function () {
    var self = this, data = this.data, fields = {};
    var grid = el("div", { "class": "tl-filters__grid" });
    ["actor", "type", "place", "status", "tag"].forEach(function (facet) {
      var id = "tl-filter-" + facet;
      var select = el("select", { "id": id, "name": facet }, [el("option", { "value": "" }, [LABELS[facet][1]])]);
      data.options[facet].forEach(function (o) {
        select.appendChild(el("option", { "value": o.id }, [o.name + " (" + o.count + ")"]));
      });
      fields[facet] = select;
      grid.appendChild(el("div", { "class": "tl-field" }, [el("label", { "for": id }, [LABELS[facet][0]]), select]));
    });
    ["from", "to"].forEach(function (facet) {
      var id = "tl-filter-" + facet;
      var input = el("input", { "type": "date", "id": id, "name": facet, "min": data.range[0] || null, "max": data.range[1] || null });
      fields[facet] = input;
      grid.appendChild(el("div", { "class": "tl-field" }, [el("label", { "for": id }, [LABELS[facet][0]]), input]));
    });
    this.fields = fields;
    this.status = el("p", { "class": "tl-filters__status", "role": "status", "aria-live": "polite" });
    this.reset = el("button", { "type": "button", "class": "tl-filters__reset" }, ["Reset filters"]);
    this.possible = el("button", { "type": "button", "class": "tl-filters__possible", "hidden": true });
    this.note = el("p", { "class": "tl-filters__note" });
    // The map page reads the same address parameters: this link carries the current filters there.
    var mapUrl = this.listing.getAttribute("data-tl-map-url");
    this.mapUrl = mapUrl ? new URL(mapUrl, window.location.href) : null;
    this.mapLink = mapUrl ? el("a", { "class": "tl-filters__map", "href": mapUrl }, ["Show these events on the map"]) : null;
    this.toggle = el("button", { "type": "button", "class": "tl-filters__toggle", "aria-expanded": "true",
      "aria-controls": "tl-filters-body" }, [icon("filter"), "Filter events"]);
    this.body = el("div", { "class": "tl-filters__body", "id": "tl-filters-body" }, [grid, this.note]);
    var panel = el("div", { "class": "tl-filters" }, [
      el("h2", { "class": "tl-filters__title" }, [this.toggle]),
      this.body,
      el("div", { "class": "tl-filters__bar" }, [this.status, this.possible, this.reset, this.mapLink])
    ]);
    this.expand(this.active(this.state) || window.matchMedia("(min-width: 45em)").matches);
    this.toggle.addEventListener("click", function () {
      self.expand(self.toggle.getAttribute("aria-expanded") !== "true");
    });
    this.panel = panel;
    this.results = el("div", { "class": "tl-results", "hidden": true });
    this.more = el("button", { "type": "button", "class": "tl-more", "hidden": true });
    this.resultsWrap = el("div", { "class": "tl-filters-results" }, [this.results, this.more]);
    this.listing.insertBefore(panel, this.listing.firstChild);
    this.listing.insertBefore(this.resultsWrap, panel.nextSibling);

    FACETS.forEach(function (facet) {
      var field = fields[facet], value = self.state[facet];
      if (field.tagName === "SELECT") {
        var known = Array.prototype.some.call(field.options, function (o) { return o.value === value; });
        if (value && !known) { self.unknown = (self.unknown || []).concat([facet + " “" + value + "”"]); value = ""; }
      } else if (value && !bound(value, false)) {
        self.unknown = (self.unknown || []).concat([facet + " “" + value + "”"]); value = "";
      } else if (value && value.length < 10) {
        value = bound(value, facet === "to");
      }
      self.state[facet] = value;
      field.value = value;
      field.addEventListener("change", function () {
        self.state[facet] = field.value;
        self.unknown = null;
        self.apply(true);
      });
    });
    this.reset.addEventListener("click", function () {
      FACETS.forEach(function (facet) { self.state[facet] = ""; fields[facet].value = ""; });
      self.state.possible = false;
      self.unknown = null;
      self.apply(true);
    });
    this.more.addEventListener("click", function () { self.showMore(); });
    this.possible.addEventListener("click", function () {
      self.state.possible = !self.state.possible;
      self.apply(true);
    });
  };

  Filters.prototype.expand = function (open) {
    this.toggle.setAttribute("aria-expanded", open ? "true" : "false");
    this.body.hidden = !open;
  };

  Filters.prototype.apply = function (write) {
    var state = this.state, active = this.active(state);
    if (write) this.write();
    var loose = this.data.records.filter(function (r) { return matches(r, state, true); });
    var certain = loose.filter(function (r) { return matches(r, state, false); });
    var found = state.possible ? loose : certain, extra = loose.length - certain.length;
    var total = this.data.records.length;
    if (this.mode === "index") {
      this.listing.classList.toggle("tl-filtering", active);
      this.results.hidden = !active;
      this.results.textContent = "";
      this.results.tlYear = this.results.tlMonth = null;
      this.found = active ? found : [];
      this.shown = 0;
      if (active) this.showMore();
      else this.more.hidden = true;
    } else {
      this.listing.classList.toggle("tl-page-filtering", active);
      var shown = new Set(found);
      this.data.records.forEach(function (r) { r.element.hidden = active && !shown.has(r); });
      Array.prototype.forEach.call(this.listing.querySelectorAll(".tl-month-group, .tl-year-group"), function (section) {
        section.hidden = active && !section.querySelector("li.tl-entry:not([hidden])");
      });
    }
    if (this.mapLink) {
      this.mapUrl.search = window.location.search;
      this.mapLink.href = this.mapUrl.href;
      this.mapLink.textContent = active ? "Show these events on the map" : "Show every event on the map";
    }
    var text;
    if (!active) {
      text = this.mode === "index" ? "All " + plural(total, "event") + "." : plural(total, "event") + " on this page.";
    } else {
      text = "Showing " + found.length + " of " + plural(total, "event") + (this.mode === "index" ? "." : " on this page.");
    }
    if (extra > 0 && (state.from || state.to)) {
      text += state.possible ? " Of these, " + extra + " only may fall in the date range." :
        " " + extra + " more may fall in the date range.";
    }
    this.status.textContent = text;
    this.possible.hidden = !(extra > 0 && (state.from || state.to));
    this.possible.textContent = state.possible ? "Only the events certainly in the range" :
      "Include the " + plural(extra, "event") + " that may fall in it";
    var notes = [];
    if (this.unknown) notes.push("Ignored from the link: " + this.unknown.join(", ") + ".");
    if (this.mode !== "index") notes.push("The full index could not be loaded, so the filters apply to the events on this page only.");
    else notes.push("Filters apply to the whole timeline; a place includes the places within it, and a date range keeps the events certainly inside it, and offers those that may fall in it. The address of this page keeps the filters, to share or bookmark.");
    this.note.textContent = notes.join(" ");
    // The time axis (timeline-axis.js) draws what the filters keep: told by event, not by sharing code.
    var detail = window.tlTimelineFilter = { ids: active ? found.map(function (r) { return r.id; }) : null };
    document.dispatchEvent(new CustomEvent("timeline:filter", { detail: detail }));
  };

  Filters.prototype.showMore = function () {
    var next = this.found.slice(this.shown, this.shown + this.pageSize);
    this.renderer.append(this.results, next);
    this.shown += next.length;
    var left = this.found.length - this.shown;
    this.more.hidden = left <= 0;
    this.more.textContent = "Show " + Math.min(left, this.pageSize) + " more (" + left + " not shown)";
  };

  function init() {
    var listing = document.querySelector(".tl-listing[data-tl-filter]");
    if (!listing || listing.tlFilters) return;
    var filters = listing.tlFilters = new Filters(listing);
    var url = new URL(listing.getAttribute("data-tl-index"), window.location.href).href;
    // One download of the index for the page: the time axis asks for the same URL here.
    var requests = window.tlIndexRequests = window.tlIndexRequests || {};
    requests[url] = requests[url] || fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("index: HTTP " + response.status);
        return response.json();
      });
    requests[url]
      .then(function (index) {
        if (index.version !== 1) throw new Error("index: unknown version " + index.version);
        filters.start(fromIndex(index), "index");
      })
      .catch(function () {
        listing.classList.remove("tl-filtering", "tl-loading");
        filters.start(fromPage(listing), "page");
      });
  }

  /* A table wider than the screen scrolls sideways in Material's wrapper, which a keyboard cannot
     reach (axe scrollable-region-focusable): such a wrapper becomes a named, focusable region. */
  function scrollableTables() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset__scrollwrap"), function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", "Table, scrolls sideways");
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }

  var resizing = null;
  window.addEventListener("load", scrollableTables);
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(scrollableTables, 200);
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
