/* The timeline's filters as an address says them, shared by the timeline (reader.js) and the map
 * (maps/timeline-maps.js), so that /timeline/?... and /map/?... always mean the same events.
 *
 * The address parameters: actor, type, place, status, tag (ids), from and to (YYYY, YYYY-MM or
 * YYYY-MM-DD), and possible=1 (with from/to: also the events that may fall in the range).
 * withRange(search, range) writes the period chosen on an axis into an address.
 * records(index) decodes data/timeline-index.json into the records matches() tests.
 */
(function () {
  "use strict";

  var FACETS = ["actor", "type", "place", "status", "tag", "from", "to"];

  /* A date bound typed or shared as YYYY, YYYY-MM or YYYY-MM-DD, as a comparable ISO day. */
  function bound(value, end) {
    if (!/^\d{4}(-\d{2}(-\d{2})?)?$/.test(value || "")) return "";
    if (value.length === 4) return value + (end ? "-12-31" : "-01-01");
    if (value.length === 7) return value + (end ? "-31" : "-01");
    return value;
  }

  /* A date range keeps the events certainly inside it: every possible date between from and to (an
     open end is never certainly inside). With loose, it keeps those that may fall in it: their
     possible dates overlap it, and an open end overlaps anything. */
  function inRange(r, f, loose) {
    var from = f.from ? bound(f.from, false) : "", to = f.to ? bound(f.to, true) : "";
    if (loose) {
      if (from && r.latest && r.latest < from) return false;
      if (to && r.earliest && r.earliest > to) return false;
      return true;
    }
    if (from && !(r.earliest && r.earliest >= from)) return false;
    if (to && !(r.latest && r.latest <= to)) return false;
    return true;
  }

  function matches(r, f, loose) {
    if (f.actor && r.actors.indexOf(f.actor) < 0) return false;
    if (f.type && r.type !== f.type) return false;
    if (f.status && r.status !== f.status) return false;
    if (f.tag && r.tags.indexOf(f.tag) < 0) return false;
    if (f.place && r.places.indexOf(f.place) < 0) return false;
    return inRange(r, f, loose);
  }

  /* The filter state of a query string ("?actor=...&possible=1"). */
  function read(search) {
    var params = new URLSearchParams(search || ""), state = {};
    FACETS.forEach(function (facet) { state[facet] = (params.get(facet) || "").trim(); });
    state.possible = params.get("possible") === "1";
    return state;
  }

  function active(state) {
    return FACETS.some(function (facet) { return state[facet]; });
  }

  /* Every event of the index as a record: a place stands for the places it lies within, too. */
  function records(index) {
    var places = index.places, chains = [];
    for (var p = 0; p < places.length; p++) {
      var chain = [], seen = {}, at = p;
      while (at >= 0 && !seen[at]) { seen[at] = true; chain.push(places[at][0]); at = places[at][2]; }
      chains.push(chain);
    }
    return index.events.map(function (row) {
      var date = index.dates[row[2]];
      return {
        id: row[0], title: row[1], date: date,
        type: index.types[row[3]][0], status: index.statuses[row[4]][0],
        place: row[5] >= 0 ? places[row[5]][0] : "",
        places: row[5] >= 0 ? chains[row[5]] : [],
        actors: row[6].map(function (i) { return index.actors[i][0]; }),
        tags: row[7].map(function (i) { return index.tags[i]; }),
        time: row[8], earliest: date[1], latest: date[2]
      };
    });
  }

  /* The filters in words, with the index's names: "Event type: Shelling; from 2020-02-10". */
  function describe(index, state) {
    var lists = { actor: index.actors, type: index.types, place: index.places, status: index.statuses };
    var words = { actor: "Actor", type: "Event type", place: "Place", status: "Status", tag: "Tag" };
    var out = [];
    ["actor", "type", "place", "status", "tag"].forEach(function (facet) {
      if (!state[facet]) return;
      var found = (lists[facet] || []).filter(function (row) { return row[0] === state[facet]; })[0];
      out.push(words[facet] + ": " + (found ? found[1] : state[facet]));
    });
    if (state.from) out.push("from " + state.from);
    if (state.to) out.push("to " + state.to);
    if (state.possible && (state.from || state.to)) out.push("including the events that may fall in the range");
    return out.join("; ");
  }

  /* The query string with a period (from, to as ISO days; null for none) in place of its dates. The
     period chosen on an axis keeps what may fall in it, so possible=1 goes with it: the same address
     then means the same events on /timeline/ and /map/. */
  function withRange(search, range) {
    var params = new URLSearchParams(search || "");
    ["from", "to", "possible"].forEach(function (name) { params.delete(name); });
    if (range) {
      params.set("from", range.from);
      params.set("to", range.to);
      params.set("possible", "1");
    }
    var query = params.toString();
    return query ? "?" + query : "";
  }

  window.TimeweaveFilters = {
    FACETS: FACETS, bound: bound, inRange: inRange, matches: matches, read: read, active: active,
    records: records, describe: describe, withRange: withRange
  };
})();
