/* The time axis: every event drawn to scale as the span of dates it may lie in.
 *
 * A page asks for it with an empty <div data-timeline-axis hidden> (templates/_axis.md.j2); without
 * JavaScript it stays hidden and the list below it is the page. The events come from the shared
 * index (data/timeline-index.json, the file the filters use), so the page carries nothing per event;
 * data-axis-filter ("actor:<id>", "place:<id>" with the places within, "at:<id>" the place alone
 * (a place's page lists its own events), "tag:<id>", "type:<id>", "month:<YYYY-MM>", or empty for
 * all) says which of them the page is about. A list page draws all of them, not only
 * the page's share of a paginated list: the axis is where the whole period is seen, so page 3 of
 * an actor's events shows that actor's whole time, with the events listed on the page marked.
 *
 * Scale: one day is the same width everywhere, except that a long stretch with no event is cut
 * to a fixed-width break, drawn and named in the legend. Rows are filled in the timeline's order
 * (the honest order of catalog/order.py), so of two events that overlap, the one the timeline
 * puts first is on the upper row.
 *
 * Events between the axis and the page travel as CustomEvents on document, so neither side needs
 * the other's code:
 * - "timeline:filter" {ids: [...] or null for all}: reader.js's filters (or any other) tell the
 *   axis what to draw; the last one sent is kept in window.tlTimelineFilter.
 * - "timeline:select" {id, source}: an event chosen on the axis ("axis") or on the map ("map").
 * - "timeline:range" {from, to} (ISO days): the period shown on the axis under the map, when the
 *   reader asks the map to show only that period.
 * Content text is only ever inserted with textContent: never as HTML.
 */
(function () {
  "use strict";

  var POINT = 4, APPROXIMATE = 8, UNCERTAIN = 16;  // bar flags of the index (site/reader.py)
  var DAY_MS = 86400000, ROW = 16, BREAK = 28, FADE = 48, PAD = 12, MIN_WIDTH = 4, DOT = 10;
  var MAX_SCALE = 80;  // pixels per day at the closest zoom
  // Rows stop there, so thousands of events in one month do not make the axis a page tall.
  var MAX_ROWS = 24;
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  var here = document.currentScript ? document.currentScript.src : document.baseURI;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function button(label, title) {
    var node = el("button", "tl-axis__button", label);
    node.type = "button";
    if (title) { node.setAttribute("aria-label", title); node.title = title; }
    return node;
  }

  /* "YYYY-MM-DD" -> whole days since 1970-01-01 (setUTCFullYear: years below 100 are not 19xx). */
  function dayNumber(iso) {
    var m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(iso || "");
    if (!m) return null;
    var d = new Date(0);
    d.setUTCFullYear(+m[1], +m[2] - 1, +m[3]);
    return Math.round(d.getTime() / DAY_MS);
  }

  function dateOf(day) { return new Date(day * DAY_MS); }

  function iso(day) {
    var d = dateOf(day), y = String(d.getUTCFullYear());
    while (y.length < 4) y = "0" + y;
    return y + "-" + ("0" + (d.getUTCMonth() + 1)).slice(-2) + "-" + ("0" + d.getUTCDate()).slice(-2);
  }

  function words(day) {
    var d = dateOf(day);
    return d.getUTCDate() + " " + MONTH_NAMES[d.getUTCMonth()] + " " + d.getUTCFullYear();
  }

  /* A date bound of the address (YYYY, YYYY-MM or YYYY-MM-DD, as the filters write them) as a day
     number; an end bound is the day after the last day it names. */
  function bound(value, end) {
    var m = /^(\d{4})(?:-(\d\d))?(?:-(\d\d))?$/.exec(value || "");
    if (!m) return null;
    var d = new Date(0);
    if (end) d.setUTCFullYear(+m[1] + (m[2] ? 0 : 1), m[2] ? +m[2] - (m[3] ? 1 : 0) : 0, m[3] ? +m[3] + 1 : 1);
    else d.setUTCFullYear(+m[1], m[2] ? +m[2] - 1 : 0, m[3] ? +m[3] : 1);
    return Math.round(d.getTime() / DAY_MS);
  }

  function fetchIndex(url) {
    var cache = window.tlIndexRequests = window.tlIndexRequests || {};
    if (!cache[url]) {
      cache[url] = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("index: HTTP " + response.status);
        return response.json();
      });
    }
    return cache[url];
  }

  /* The events of the index, with their possible dates as day numbers (end exclusive). */
  function records(index) {
    var places = index.places;
    return index.events.map(function (row, order) {
      var date = index.dates[row[2]], chain = [], at = row[5], seen = {};
      while (at >= 0 && !seen[at]) { seen[at] = true; chain.push(places[at][0]); at = places[at][2]; }
      var start = dayNumber(date[1]), end = dayNumber(date[2]);
      return {
        id: row[0], title: row[1], label: date[0], span: date[5], flags: date[4][3], order: order,
        start: start, end: end === null ? null : end + 1,
        actor: row[6].map(function (i) { return index.actors[i][0]; }),
        tag: row[7].map(function (i) { return index.tags[i]; }),
        place: chain, at: chain.slice(0, 1), type: [index.types[row[3]][0]], month: [index.groups[date[3]][0]]
      };
    });
  }

  function selected(all, filter) {
    var parts = /^(actor|place|at|tag|type|month):(.+)$/.exec(filter || "");
    if (!parts) return all;
    return all.filter(function (r) { return r[parts[1]].indexOf(parts[2]) >= 0; });
  }

  /* Stretches of time that hold events; a gap longer than a quarter of the time they cover (and
     than three months) becomes a break, so one old event does not squeeze the rest to a line. */
  function segments(list) {
    var spans = [];
    list.forEach(function (r) {
      if (r.start !== null && r.end !== null) spans.push([r.start, r.end]);
      else if (r.start !== null) spans.push([r.start, r.start + 1]);
      else if (r.end !== null) spans.push([r.end - 1, r.end]);
    });
    if (!spans.length) return [];
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [spans[0].slice()];
    spans.slice(1).forEach(function (s) {
      var last = merged[merged.length - 1];
      if (s[0] <= last[1]) last[1] = Math.max(last[1], s[1]); else merged.push(s.slice());
    });
    var covered = merged.reduce(function (sum, s) { return sum + s[1] - s[0]; }, 0);
    var cut = Math.max(90, covered / 4), out = [{ start: merged[0][0], end: merged[0][1] }];
    merged.slice(1).forEach(function (s) {
      var last = out[out.length - 1];
      if (s[0] - last.end > cut) out.push({ start: s[0], end: s[1] }); else last.end = Math.max(last.end, s[1]);
    });
    return out;
  }

  function Axis(host) {
    this.host = host;
    this.kind = host.getAttribute("data-axis-kind") || "list";
    this.root = new URL(host.getAttribute("data-axis-root") || "./", window.location.href).href;
    this.visibleIds = null;
    this.current = null;
  }

  Axis.prototype.start = function (index) {
    var self = this;
    this.all = selected(records(index), this.host.getAttribute("data-axis-filter"));
    this.segs = segments(this.all);
    if (!this.segs.length) return;
    this.build();
    this.host.setAttribute("data-axis-drawn", "");
    this.fit();
    this.showRange(new URLSearchParams(window.location.search));
    if (window.tlTimelineFilter) this.filter(window.tlTimelineFilter.ids);
    document.addEventListener("timeline:filter", function (e) { self.filter(e.detail && e.detail.ids); });
    document.addEventListener("timeline:select", function (e) {
      if (e.detail && e.detail.source !== "axis") self.highlight(e.detail.id, true);
    });
    window.addEventListener("resize", function () {
      if (self.atFit) self.fit(); else { self.draw(); self.drawTicks(); }
    });
  };

  Axis.prototype.build = function () {
    var self = this, host = this.host;
    host.setAttribute("role", "group");
    host.setAttribute("aria-labelledby", "tl-axis-title");
    var head = el("div", "tl-axis__head");
    var title = head.appendChild(el("h2", "tl-axis__title", "Time axis"));
    title.id = "tl-axis-title";
    var tools = head.appendChild(el("div", "tl-axis__tools"));
    var out = tools.appendChild(button("−", "Zoom out"));
    var zin = tools.appendChild(button("+", "Zoom in"));
    var back = tools.appendChild(button("←", "Earlier"));
    var next = tools.appendChild(button("→", "Later"));
    var all = tools.appendChild(button("All", "Show the whole time"));
    this.scaleNote = tools.appendChild(el("span", "tl-axis__scale"));
    out.addEventListener("click", function () { self.zoom(0.5); });
    zin.addEventListener("click", function () { self.zoom(2); });
    back.addEventListener("click", function () { self.pan(-0.6); });
    next.addEventListener("click", function () { self.pan(0.6); });
    all.addEventListener("click", function () { self.fit(); });
    var mapUrl = host.getAttribute("data-axis-map");
    if (mapUrl) {
      this.mapLink = tools.appendChild(el("a", "tl-axis__map", "Show on map"));
      this.mapBase = new URL(mapUrl, window.location.href).href;
      this.mapLink.href = this.mapBase + window.location.search;
    }
    host.appendChild(head);

    var viewport = this.viewport = el("div", "tl-axis__viewport");
    viewport.tabIndex = 0;
    viewport.setAttribute("role", "region");
    viewport.setAttribute("aria-label", "Events on the time axis (arrow keys pan, + and − zoom, Tab reaches the events)");
    this.canvas = viewport.appendChild(el("div", "tl-axis__canvas"));
    this.ticks = this.canvas.appendChild(el("div", "tl-axis__ticks"));
    this.ticks.setAttribute("aria-hidden", "true");
    this.breaks = this.canvas.appendChild(el("div", "tl-axis__breaks"));
    this.breaks.setAttribute("aria-hidden", "true");
    this.lane = this.canvas.appendChild(el("div", "tl-axis__events"));
    this.byId = {};
    this.all.forEach(function (r) {
      var a = el("a", "tl-axis__event" + (r.flags & POINT ? " tl-axis__event--point" : " tl-axis__event--span") +
        (r.start === null ? " tl-axis__event--open-start" : "") + (r.end === null ? " tl-axis__event--open-end" : "") +
        (r.flags & APPROXIMATE ? " tl-axis__event--approximate" : "") + (r.flags & UNCERTAIN ? " tl-axis__event--uncertain" : ""));
      a.href = new URL("events/" + encodeURIComponent(r.id) + "/", self.root).href;
      a.setAttribute("data-event", r.id);
      a.tabIndex = -1;
      // A name, not a hidden child: one element per event keeps a 10,000-event axis half the size.
      a.setAttribute("aria-label", r.title + ", " + r.label + (r.span ? " (" + r.span + ")" : ""));
      r.element = a;
      self.byId[r.id] = r;
      self.lane.appendChild(a);
    });
    host.appendChild(viewport);
    this.markListed();
    this.tip = host.appendChild(el("div", "tl-axis__tip"));
    this.tip.setAttribute("aria-hidden", "true");
    this.tip.hidden = true;
    this.status = host.appendChild(el("p", "tl-axis__status"));
    this.status.setAttribute("role", "status");
    host.appendChild(this.legend());
    this.listen();
  };

  /* On a page of a paginated list, the events listed on it are marked (the timeline's own list
     changes with its filters, so it is left out). */
  Axis.prototype.markListed = function () {
    if (this.kind !== "list") return;
    var listed = {}, count = 0, self = this;
    Array.prototype.forEach.call(document.querySelectorAll("li.tl-entry[data-id]"), function (li) {
      var id = li.getAttribute("data-id");
      if (self.byId[id] && !listed[id]) { listed[id] = true; count++; }
    });
    this.listed = count && count < this.all.length ? count : 0;
    if (!this.listed) return;
    this.all.forEach(function (r) {
      if (listed[r.id]) r.element.classList.add("tl-axis__event--listed");
    });
  };

  Axis.prototype.legend = function () {
    var list = el("ul", "tl-axis__legend");
    [["point", "One known day"], ["span", "Some time in this span"],
      ["span tl-axis__event--open-end", "Start or end not known (fades out)"],
      ["span tl-axis__event--approximate", "Approximate: a little earlier or later"],
      ["span tl-axis__event--uncertain", "Uncertain: the date may be wrong"],
      ["break", "Cut: a long stretch without events"]].concat(this.listed ? [["span tl-axis__event--listed",
      "Listed on this page (the axis draws all " + this.all.length + ")"]] : []).forEach(function (item) {
      var li = list.appendChild(el("li"));
      var sample = li.appendChild(el("span", item[0] === "break" ? "tl-axis__sample tl-axis__break" :
        "tl-axis__sample tl-axis__event tl-axis__event--" + item[0]));
      sample.setAttribute("aria-hidden", "true");
      li.appendChild(document.createTextNode(item[1]));
    });
    return list;
  };

  /* -- scale and layout -------------------------------------------------------------------------- */

  Axis.prototype.covered = function () {
    return this.segs.reduce(function (sum, s) { return sum + s.end - s.start; }, 0);
  };

  Axis.prototype.limits = function () {
    var room = Math.max(100, this.viewport.clientWidth - 2 * PAD - BREAK * (this.segs.length - 1));
    var fit = room / this.covered();
    var max = Math.max(Math.min(MAX_SCALE, 2e6 / this.covered()), fit);
    return [Math.min(fit, max), max];
  };

  Axis.prototype.x = function (day) {
    var segs = this.segs;
    for (var i = 0; i < segs.length; i++) {
      var s = segs[i];
      if (day <= s.end || i === segs.length - 1) return s.x + (Math.max(day, s.start) - s.start) * this.scale;
      if (day < segs[i + 1].start) return s.x + (s.end - s.start) * this.scale + BREAK / 2;
    }
    return PAD;
  };

  Axis.prototype.dayAt = function (x) {
    var segs = this.segs, day = segs[0].start;
    for (var i = 0; i < segs.length; i++) {
      var s = segs[i];
      if (x < s.x) return s.start;
      day = s.start + (x - s.x) / this.scale;
      if (day <= s.end) return day;
    }
    return segs[segs.length - 1].end;
  };

  Axis.prototype.fit = function () {
    this.atFit = true;
    this.scale = this.limits()[0];
    this.draw();
    this.viewport.scrollLeft = 0;
    this.drawTicks();
  };

  /* Zoom by a factor around a day (the middle of the view unless given), which stays in place. */
  Axis.prototype.zoom = function (factor, day, offset) {
    var v = this.viewport, limits = this.limits();
    if (offset === undefined) offset = v.clientWidth / 2;
    if (day === undefined) day = this.dayAt(v.scrollLeft + offset);
    var scale = Math.min(limits[1], Math.max(limits[0], this.scale * factor));
    if (scale === this.scale) return;
    this.scale = scale;
    this.atFit = scale === limits[0];
    this.draw();
    v.scrollLeft = this.x(day) - offset;
    this.drawTicks();
  };

  /* A date range in the address (from, to: YYYY, YYYY-MM or YYYY-MM-DD, as the filters write
     them) is the period the axis opens on, so a filtered link shows its period on every page. */
  Axis.prototype.showRange = function (params) {
    var from = bound(params.get("from"), false), to = bound(params.get("to"), true);
    if (from === null && to === null) return;
    var first = this.segs[0].start, last = this.segs[this.segs.length - 1].end;
    from = Math.max(first, from === null ? first : from);
    to = Math.min(last, to === null ? last : to);
    if (to <= from) return;
    var v = this.viewport, limits = this.limits();
    this.scale = Math.min(limits[1], Math.max(limits[0], (v.clientWidth - 2 * PAD) / (to - from)));
    this.atFit = this.scale === limits[0];
    this.draw();
    v.scrollLeft = this.x(from) - PAD;
    this.drawTicks();
  };

  Axis.prototype.pan = function (screens) {
    this.viewport.scrollLeft += screens * this.viewport.clientWidth;
  };

  Axis.prototype.draw = function () {
    var self = this, x = PAD;
    this.segs.forEach(function (s, i) {
      s.x = x;
      x += (s.end - s.start) * self.scale;
      if (i < self.segs.length - 1) x += BREAK;
    });
    this.width = x + PAD;
    this.canvas.style.width = this.width + "px";
    this.breaks.textContent = "";
    this.segs.slice(0, -1).forEach(function (s, i) {
      var mark = self.breaks.appendChild(el("span", "tl-axis__break"));
      mark.style.left = (s.x + (s.end - s.start) * self.scale) + "px";
      mark.title = "No events from " + words(s.end) + " to " + words(self.segs[i + 1].start - 1);
    });
    var rows = [], crowded = 0;
    this.version = (this.version || 0) + 1;
    this.shown = this.all.filter(function (r) {
      var show = !self.visibleIds || self.visibleIds[r.id];
      r.element.hidden = !show;
      return show;
    });
    this.shown.forEach(function (r) {
      var left, right;
      if (r.flags & POINT && r.start !== null) {
        left = self.x(r.start + 0.5) - DOT / 2; right = left + DOT;
      } else if (r.start === null) {
        right = self.x(r.end); left = right - FADE;
      } else if (r.end === null) {
        left = self.x(r.start); right = left + FADE;
      } else {
        left = self.x(r.start); right = Math.max(self.x(r.end), left + MIN_WIDTH);
      }
      var row = 0;
      while (rows[row] !== undefined && rows[row] > left - 2) row++;
      if (row >= MAX_ROWS) { row = MAX_ROWS - 1; crowded++; }
      rows[row] = Math.max(rows[row] || 0, right);
      r.row = row;
      r.left = left;
      r.width = right - left;
      r.top = row * ROW;
    });
    this.lane.style.height = (Math.max(1, rows.length) * ROW) + "px";
    var unit = this.unit();
    this.scaleNote.textContent = "Scale: " + unit.name;
    var count = this.shown.length;
    this.status.textContent = count + " event" + (count === 1 ? "" : "s") + " on the axis" +
      (this.visibleIds ? " (filtered)" : "") + "." + (crowded ? " " + crowded + " more share the bottom row: " +
      "zoom in or filter to tell them apart." : "");
    if (this.current && this.current.element.hidden) this.current = null;
    this.roving();
  };

  /* Only the events within a screen of the view are laid out (the rest are display: none until
     the view comes near them): a zoom at 10,000 events would otherwise lay out every one. The
     event that takes Tab and the one selected are always laid out. Called by drawTicks, which
     follows every draw once the scroll position is set (one layout, not two). */
  Axis.prototype.place = function () {
    var v = this.viewport, lo = v.scrollLeft - v.clientWidth, hi = v.scrollLeft + 2 * v.clientWidth;
    var version = this.version, keep = [this.current, this.marked];
    this.shown.forEach(function (r) {
      var near = (r.left + r.width >= lo && r.left <= hi) || keep.indexOf(r) >= 0;
      if (near && r.placed !== version) {
        var style = r.element.style;
        style.left = r.left + "px";
        style.width = r.width + "px";
        style.top = r.top + "px";
        r.placed = version;
      }
      if (near === Boolean(r.away)) {
        r.away = !near;
        r.element.classList.toggle("tl-axis__event--away", !near);
      }
    });
  };

  /* Ticks for the visible stretch only: a long timeline at the scale of days would otherwise
     need thousands of labels. */
  Axis.prototype.unit = function () {
    if (this.scale >= 24) return { name: "days", step: "day" };
    if (this.scale * 30 >= 40) return { name: "months", step: "month" };
    var years = 1;
    [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].some(function (k) { years = k; return this.scale * 365 * k >= 48; }, this);
    return { name: "years", step: "year", years: years };
  };

  Axis.prototype.drawTicks = function () {
    var self = this, v = this.viewport, unit = this.unit();
    this.place();
    var from = this.dayAt(v.scrollLeft - v.clientWidth), to = this.dayAt(v.scrollLeft + 2 * v.clientWidth);
    this.ticks.textContent = "";
    this.segs.forEach(function (s) {
      var a = Math.max(s.start, Math.floor(from)), b = Math.min(s.end - 1, Math.ceil(to));  // a cut's far side is the next stretch's
      if (a > b) return;
      var d = dateOf(a), y = d.getUTCFullYear(), m = d.getUTCMonth(), day, label, major;
      if (unit.step === "day") {
        for (day = a; day <= b; day++) {
          var date = dateOf(day);
          major = date.getUTCDate() === 1;
          label = major ? MONTHS[date.getUTCMonth()] + " " + date.getUTCFullYear() : String(date.getUTCDate());
          self.tick(day, label, major);
        }
        return;
      }
      var step = unit.step === "month" ? 1 : 12 * unit.years;
      if (unit.step === "year") { y = Math.floor(y / unit.years) * unit.years; m = 0; }
      for (;;) {
        var first = new Date(0);
        first.setUTCFullYear(y, m, 1);
        day = Math.round(first.getTime() / DAY_MS);
        if (day > b) break;
        if (day >= a) {
          major = m === 0;
          label = unit.step === "month" ? (major ? String(y) : MONTHS[m]) : String(y);
          self.tick(day, label, major);
        }
        m += step;
        y += Math.floor(m / 12);
        m %= 12;
      }
    });
  };

  Axis.prototype.tick = function (day, label, major) {
    var mark = this.ticks.appendChild(el("span", "tl-axis__tick" + (major ? " tl-axis__tick--major" : ""), label));
    mark.style.left = this.x(day) + "px";
  };

  /* -- what the reader does ---------------------------------------------------------------------- */

  Axis.prototype.filter = function (ids) {
    var set = null;
    if (ids) { set = {}; ids.forEach(function (id) { set[id] = true; }); }
    this.visibleIds = set;
    this.draw();
    this.drawTicks();
    if (this.mapLink) this.mapLink.href = this.mapBase + window.location.search;
  };

  /* One event takes part in Tab order at a time (the rest are reached with the arrow keys). */
  Axis.prototype.roving = function () {
    var current = this.current || this.shown[0];
    this.shown.forEach(function (r) { r.element.tabIndex = r === current ? 0 : -1; });
  };

  Axis.prototype.focusEvent = function (r) {
    if (!r) return;
    this.current = r;
    this.roving();
    this.reveal(r);
    this.place();
    r.element.focus({ preventScroll: true });
  };

  Axis.prototype.reveal = function (r) {
    var v = this.viewport, left = r.left, width = r.width;
    if (left < v.scrollLeft + 8 || left + Math.min(width, v.clientWidth / 2) > v.scrollLeft + v.clientWidth - 8) {
      v.scrollLeft = left - v.clientWidth / 3;
    }
  };

  Axis.prototype.highlight = function (id, reveal) {
    var r = this.byId[id];
    if (this.marked) this.marked.element.classList.remove("tl-axis__event--selected");
    this.marked = r && !r.element.hidden ? r : null;
    if (!this.marked) return;
    r.element.classList.add("tl-axis__event--selected");
    this.current = r;
    this.roving();
    if (reveal) this.reveal(r);
    this.place();
  };

  Axis.prototype.showTip = function (r) {
    var tip = this.tip, box = r.element.getBoundingClientRect(), host = this.host.getBoundingClientRect();
    tip.textContent = "";
    tip.appendChild(el("strong", null, r.title));
    tip.appendChild(el("span", null, r.label + (r.span ? " (" + r.span + ")" : "")));
    tip.hidden = false;
    var left = Math.max(box.left, Math.min(box.right, host.left + host.width / 2)) - host.left;
    tip.style.left = Math.max(0, Math.min(left, host.width - tip.offsetWidth)) + "px";
    tip.style.top = (box.bottom - host.top + 4) + "px";
  };

  /* Choosing an event: on /map/ it is shown on the map; elsewhere the page scrolls to its entry in
     the list, or, when the list on this page does not hold it, its own page opens. */
  Axis.prototype.activate = function (r, e) {
    this.highlight(r.id, false);
    document.dispatchEvent(new CustomEvent("timeline:select", { detail: { id: r.id, source: "axis" } }));
    if (this.kind === "map") { e.preventDefault(); return; }
    var entries = document.querySelectorAll('li.tl-entry[data-id="' + r.id.replace(/["\\]/g, "") + '"]');
    var entry = Array.prototype.filter.call(entries, function (li) { return li.offsetParent !== null; })[0];
    if (!entry) return;  // the link opens the event's page
    e.preventDefault();
    entry.scrollIntoView({ block: "center" });
    entry.classList.add("tl-entry--chosen");
    window.setTimeout(function () { entry.classList.remove("tl-entry--chosen"); }, 2000);
    var link = entry.querySelector("a.tl-event-link");
    if (link) link.focus({ preventScroll: true });
  };

  Axis.prototype.listen = function () {
    var self = this, v = this.viewport, drag = null, frame = 0;
    function eventOf(target) {
      var a = target.closest && target.closest("[data-event]");
      return a && self.byId[a.getAttribute("data-event")];
    }
    this.lane.addEventListener("click", function (e) {
      var r = eventOf(e.target);
      if (!r) return;
      if (drag && drag.moved) { e.preventDefault(); return; }
      self.activate(r, e);
    });
    this.lane.addEventListener("mouseover", function (e) { var r = eventOf(e.target); if (r) self.showTip(r); });
    this.lane.addEventListener("mouseout", function () { if (document.activeElement.parentNode !== self.lane) self.tip.hidden = true; });
    this.lane.addEventListener("focusin", function (e) {
      var r = eventOf(e.target);
      if (r) { self.current = r; self.roving(); self.reveal(r); self.showTip(r); }
    });
    this.lane.addEventListener("focusout", function () { self.tip.hidden = true; });
    v.addEventListener("scroll", function () {
      if (frame) return;
      frame = window.requestAnimationFrame(function () { frame = 0; self.drawTicks(); });
    });
    this.host.addEventListener("keydown", function (e) {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      var r = eventOf(e.target), at = r ? self.shown.indexOf(r) : -1, key = e.key;
      if (key === "+" || key === "=") self.zoom(2, r ? (r.start === null ? r.end : r.start) : undefined,
        r ? r.left - v.scrollLeft : undefined);
      else if (key === "-" || key === "_") self.zoom(0.5);
      else if (r && (key === "ArrowRight" || key === "ArrowDown")) self.focusEvent(self.shown[Math.min(at + 1, self.shown.length - 1)]);
      else if (r && (key === "ArrowLeft" || key === "ArrowUp")) self.focusEvent(self.shown[Math.max(at - 1, 0)]);
      else if (r && key === "Home") self.focusEvent(self.shown[0]);
      else if (r && key === "End") self.focusEvent(self.shown[self.shown.length - 1]);
      else if (e.target === v && key === "ArrowRight") self.pan(0.2);
      else if (e.target === v && key === "ArrowLeft") self.pan(-0.2);
      else if (e.target === v && key === "Home") v.scrollLeft = 0;
      else if (e.target === v && key === "End") v.scrollLeft = self.width;
      else return;
      e.preventDefault();
    });
    // Ctrl + wheel (and a touchpad's pinch) zooms at the pointer; a plain wheel scrolls the page.
    v.addEventListener("wheel", function (e) {
      if (!e.ctrlKey) return;
      e.preventDefault();
      var offset = e.clientX - v.getBoundingClientRect().left;
      self.zoom(e.deltaY < 0 ? 1.5 : 1 / 1.5, self.dayAt(v.scrollLeft + offset), offset);
    }, { passive: false });
    // One pointer dragging sideways pans (mouse or finger); two fingers pinch to zoom, the day
    // between them staying under them. The viewport's touch-action is pan-y: a vertical swipe
    // still scrolls the page (the browser cancels our pointers then), the rest comes here.
    var fingers = {}, pinch = null;
    function spread() {
      var ids = Object.keys(fingers), a = fingers[ids[0]], b = fingers[ids[1]];
      return { distance: Math.max(1, Math.hypot(a.x - b.x, a.y - b.y)), offset: (a.x + b.x) / 2 - v.getBoundingClientRect().left };
    }
    function lift(e) {
      if (!fingers[e.pointerId]) return;
      delete fingers[e.pointerId];
      pinch = null;
      var rest = Object.keys(fingers);
      drag = rest.length === 1 ? { x: fingers[rest[0]].x, left: v.scrollLeft, moved: true } : drag;
    }
    v.addEventListener("pointerdown", function (e) {
      if (e.pointerType === "mouse") {
        if (e.button === 0) drag = { x: e.clientX, left: v.scrollLeft, moved: false };
        return;
      }
      fingers[e.pointerId] = { x: e.clientX, y: e.clientY };
      var count = Object.keys(fingers).length;
      if (count === 1) drag = { x: e.clientX, left: v.scrollLeft, moved: false };
      if (count === 2) {
        var at = spread();
        pinch = { distance: at.distance, scale: self.scale, day: self.dayAt(v.scrollLeft + at.offset) };
        drag = { moved: true };  // no click at the end of a pinch
      }
    });
    window.addEventListener("pointermove", function (e) {
      if (fingers[e.pointerId]) fingers[e.pointerId] = { x: e.clientX, y: e.clientY };
      if (pinch && Object.keys(fingers).length === 2) {
        // One redraw a frame: a redraw lays out every event, and fingers move faster than that.
        if (!pinch.frame) pinch.frame = window.requestAnimationFrame(function () {
          if (!pinch) return;
          pinch.frame = 0;
          var at = spread(), target = pinch.scale * at.distance / pinch.distance;
          self.zoom(target / self.scale, pinch.day, at.offset);
          v.scrollLeft = self.x(pinch.day) - at.offset;  // also when the scale is at its limit
        });
        return;
      }
      if (!drag || drag.x === undefined) return;
      if (Math.abs(e.clientX - drag.x) > 4) drag.moved = true;
      if (drag.moved) v.scrollLeft = drag.left - (e.clientX - drag.x);
    });
    window.addEventListener("pointerup", function (e) {
      lift(e);
      if (!Object.keys(fingers).length) window.setTimeout(function () { drag = null; }, 0);
    });
    window.addEventListener("pointercancel", function (e) {
      lift(e);
      if (!Object.keys(fingers).length) drag = null;
    });
  };

  /* The period on screen, as ISO days, for the map. */
  Axis.prototype.view = function () {
    var v = this.viewport;
    return { from: iso(Math.floor(this.dayAt(v.scrollLeft))), to: iso(Math.ceil(this.dayAt(v.scrollLeft + v.clientWidth)) - 1) };
  };

  /* -- /map/: the axis under the map ---------------------------------------------------------------
     Kept to the shared state timeline-maps.js leaves in window.timelineMap (markers by id, the
     cluster layer) and to the CustomEvents above: the map opens the marker of a "timeline:select"
     from the axis and sends one when a marker's popup opens. */

  /* The period travels in the map's address as the timeline's from, to and possible=1 (filters.js):
     with possible=1 the period is the axis's, "only the period shown" is on and panning the axis
     changes it; from and to alone stay the timeline's date filter (certainly inside), which the
     axis opens on, until the reader turns the button on and the axis takes the period over. */
  function mapHook(axis, index, F) {
    var container = document.querySelector('[data-tl-map="global"]');
    if (!container) return;
    var toggle = button("Map: only the period shown");
    toggle.setAttribute("aria-pressed", "false");
    axis.host.querySelector(".tl-axis__tools").appendChild(toggle);
    var on = false, mine = [], timer = 0, dated = false;

    function overlaps(r, range) {
      if (!r) return true;
      var from = dayNumber(range.from), to = dayNumber(range.to) + 1;
      return (r.end === null || r.end > from) && (r.start === null || r.start < to);
    }

    /* The address's own date filter gives way to the axis's period; its other filters stay. */
    function takeOver(state) {
      if (!dated) return;
      dated = false;
      var rest = F.read(window.location.search);
      rest.from = rest.to = "";
      var ids = F.active(rest) ? F.records(index).filter(function (r) { return F.matches(r, rest, false); })
        .map(function (r) { return r.id; }) : null;
      var centre = state.map.getCenter(), zoom = state.map.getZoom();
      state.showOnly(ids);
      state.map.setView(centre, zoom, { animate: false });
      if (!ids) {
        var note = document.querySelector(".tl-map-filter");
        if (note) note.parentNode.removeChild(note);
      }
      var detail = window.tlTimelineFilter = { ids: ids };
      document.dispatchEvent(new CustomEvent("timeline:filter", { detail: detail }));
    }

    function apply(state, given) {
      var range = on ? given || axis.view() : null, add = [], remove = [], kept = [];
      document.dispatchEvent(new CustomEvent("timeline:range", { detail: range }));
      var search = F.withRange(window.location.search, range), moved = false;
      if (search !== window.location.search && !(dated && !on)) {
        moved = true;
        window.history.replaceState(window.history.state, "", window.location.pathname + search + window.location.hash);
      }
      // Only markers this hook took away come back: whatever else hid a marker stays in charge of it.
      mine.forEach(function (m) { (range && !overlaps(axis.byId[m.tlEvent.id], range) ? kept : add).push(m); });
      state.markers.forEach(function (m) {
        if (range && add.indexOf(m) < 0 && state.cluster.hasLayer(m) && !overlaps(axis.byId[m.tlEvent.id], range)) {
          remove.push(m);
          kept.push(m);
        }
      });
      mine = kept;
      if (remove.length) state.cluster.removeLayers(remove);
      if (add.length) state.cluster.addLayers(add);
      axis.status.textContent = range ? "The map shows the events that may fall between " +
        words(dayNumber(range.from)) + " and " + words(dayNumber(range.to)) + ": pan or zoom the axis to change the period." :
        axis.shown.length + " event" + (axis.shown.length === 1 ? "" : "s") + " on the axis; the map shows every period.";
      // The note over the map (timeline-maps.js) says the address's filters: now the period's too.
      if (moved && window.TimelineMaps && window.TimelineMaps.refreshFilterNote) window.TimelineMaps.refreshFilterNote();
    }

    function ready(state) {
      toggle.addEventListener("click", function () {
        on = !on;
        toggle.setAttribute("aria-pressed", String(on));
        if (on) takeOver(state);
        apply(state);
      });
      axis.viewport.addEventListener("scroll", function () {
        if (!on) return;
        window.clearTimeout(timer);
        timer = window.setTimeout(function () { apply(state); }, 150);
      });
      state.map.on("overlayadd", function () { if (on) apply(state); });
      // timeline-maps.js opens the marker of an event chosen here; the axis says when there is none.
      document.addEventListener("timeline:select", function (e) {
        if (!e.detail || e.detail.source !== "axis") return;
        var marker = state.byId[e.detail.id], r = axis.byId[e.detail.id];
        if (!marker || !state.cluster.hasLayer(marker)) {
          axis.status.textContent = "“" + (r ? r.title : e.detail.id) + "” is not on the map" +
            (marker ? " in the period shown." : ": no location is recorded for it.");
        }
      });
      var wanted = F.read(window.location.search), from = bound(wanted.from, false), to = bound(wanted.to, true);
      dated = from !== null || to !== null;
      if (dated && wanted.possible && from !== null && to !== null && to > from) {
        on = true;
        toggle.setAttribute("aria-pressed", "true");
        takeOver(state);
        apply(state, { from: iso(from), to: iso(to - 1) });
      }
      container.setAttribute("data-axis-linked", "");
    }

    if (window.timelineMap && window.timelineMap.loaded) { ready(window.timelineMap); return; }
    var watch = new MutationObserver(function () {
      if (container.hasAttribute("data-tl-loaded") && window.timelineMap) { watch.disconnect(); ready(window.timelineMap); }
    });
    watch.observe(container, { attributes: true, attributeFilter: ["data-tl-loaded"] });
  }

  /* filters.js, from beside this script: the map page loads it only for an address with filters. */
  function filters() {
    if (window.TimeweaveFilters) return Promise.resolve(window.TimeweaveFilters);
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = new URL("filters.js", here).href;
      script.onload = function () { resolve(window.TimeweaveFilters); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  /* -- start ------------------------------------------------------------------------------------- */

  function stylesheet() {
    var href = new URL("timeline-axis.css", here).href;
    if (document.querySelector('link[href="' + href + '"]')) return Promise.resolve();
    return new Promise(function (resolve) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      link.onload = link.onerror = function () { resolve(); };
      document.head.appendChild(link);
    });
  }

  function start() {
    var hosts = document.querySelectorAll("[data-timeline-axis]:not([data-axis-started])");
    Array.prototype.forEach.call(hosts, function (host) {
      host.setAttribute("data-axis-started", "");
      var axis = host.tlAxis = new Axis(host);
      var url = new URL(host.getAttribute("data-axis-index"), window.location.href).href;
      Promise.all([fetchIndex(url), stylesheet()])
        .then(function (loaded) {
          axis.start(loaded[0]);
          if (axis.kind === "map" && axis.viewport) {
            return filters().then(function (F) { mapHook(axis, loaded[0], F); });
          }
        })
        .catch(function (error) { if (window.console) console.error(error); });  // the list stays
    });
  }

  window.TimelineAxis = { start: start, dayNumber: dayNumber, iso: iso };
  start();
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(start);
})();
