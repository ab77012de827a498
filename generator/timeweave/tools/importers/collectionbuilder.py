"""A CollectionBuilder metadata CSV (objectid, title, date, description, subject, location,
latitude, longitude...) -> events: each item becomes an event that cites the item itself as its
source.

- `date-is-approximate?` -> EDTF '~' on each date of the value;
- `parentid` (compound objects) -> the child is 'part-of' its parent's event;
- a compound object's parent row usually has no date of its own: its event is dated by the span
  of its parts' dates (an interval, or their one date), with an annotation that says so;
- other undated rows are listed, not imported. CollectionBuilder's own timeline leaves them out
  too (`_layouts/timeline.html` keeps only items with a value in the date field), and an event
  needs a date: the date model has no "date unknown" that pages, order and exports could show
  (an interval needs at least one known end).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from timeweave.content.dates import DateError, DatePoint, parse_date
from timeweave.tools.importers import ImportPlan, clean_title
from timeweave.tools.importers.cells import getter, read_number, split_cell
from timeweave.tools.importers.html import text_to_markdown
from timeweave.tools.slug import slugify

APPROXIMATE = "date-is-approximate?"  # CollectionBuilder's flag: the date is a guess
COLLECTIONBUILDER_COLUMNS = {
    "objectid", "title", "creator", "date", "description", "subject", "location", "latitude",
    "longitude", "source", "identifier", "language", "object_location", "parentid", APPROXIMATE,
}


def approximate(date_text: str) -> str:
    """EDTF's '~' on each date of the value: the flag is on the whole date, and in an interval
    ('1935/1950', CollectionBuilder's demo) a '~' after the end would qualify the end alone."""
    return "/".join(part if not part or part[-1] in "~?%" or part == ".." else part + "~"
                    for part in date_text.split("/"))


def _row_date(row: dict[str, str]) -> str:
    get = getter(row)
    date_text = get("date")
    if date_text and get(APPROXIMATE).casefold() in ("yes", "y", "true", "x", "1"):
        return approximate(date_text)
    return date_text


def _edtf(point: DatePoint) -> str:
    qualifier = {(True, True): "%", (True, False): "~", (False, True): "?"}.get(
        (point.approximate, point.uncertain), "")
    return point.iso() + qualifier


def span(dates: list[str]) -> str | None:
    """The EDTF value from the earliest possible start to the latest possible end of dates (each
    one valid EDTF), qualifiers kept; one date when they are all the same; None without a known end."""
    parsed = [parse_date(d) for d in dates]
    starts = [d.start for d in parsed if d.start is not None]
    ends = [d.end for d in parsed if d.end is not None]
    if not starts or not ends:
        return None
    first = _edtf(min(starts, key=lambda p: p.first))
    last = _edtf(max(ends, key=lambda p: p.last))
    return first if first == last else f"{first}/{last}"


def parts_dates(rows: list[dict[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """For each parentid, its parts' (objectid, date) where that date is one the site can read."""
    parts: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in rows:
        get = getter(row)
        if get("parentid") and (date_text := _row_date(row)):
            try:
                parse_date(date_text)
            except DateError:
                continue
            parts[get("parentid")].append((get("objectid"), date_text))
    return parts


def import_collectionbuilder(plan: ImportPlan, rows: list[dict[str, str]], origin: str) -> None:
    event_type, status = plan.event_type, plan.status
    plan.records += len(rows)
    children: list[tuple[str, str, str]] = []  # (row, event id, parentid)
    events: dict[str, str] = {}  # objectid -> event id
    if not plan.term("event_types", event_type, None, "--type") or not plan.term(
        "statuses", status, None, "--status"
    ):
        return
    parents = {getter(row)("parentid") for row in rows} - {""}
    parts = parts_dates(rows)
    for line, row in enumerate(rows, start=2):
        where = f"row {line}"
        get = getter(row)
        title = clean_title(get("title"))
        date_text = _row_date(row)
        item = f"{where} ({get('objectid')})" if get("objectid") else where
        annotations: list[dict[str, str]] = []
        if not date_text and get("objectid") in parents:
            dated = parts.get(get("objectid"), [])
            derived = span([d for _, d in dated])
            if derived is None:
                plan.note(f"{item}: date: empty, and none of its parts has a date; not imported "
                          "(an event needs a date)")
                continue
            date_text = derived
            names = ", ".join(objectid for objectid, _ in dated)
            annotations = plan.annotation(
                f"The date was derived by the import from the dates of its parts ({names}): the "
                "CollectionBuilder compound object has none of its own.", item, kinds=("uncertainty", "context"))
            plan.note(f"{item}: date: empty; {date_text}, the span of its parts' dates, taken instead")
        elif not date_text:
            plan.note(f"{item}: date: empty; not imported (an event needs a date; CollectionBuilder's "
                      "timeline leaves it out too)")
            continue
        try:
            parse_date(date_text)
        except DateError:
            plan.note(f"{item}: date: '{date_text}' is not YYYY, YYYY-MM or YYYY-MM-DD; not imported")
            continue
        item_id = slugify(get("objectid") or title, "item")
        source: dict[str, Any] = {"title": title or item_id, "kind": "other"}
        if get("creator"):
            source["author"] = clean_title(get("creator"))
        if not annotations:  # a derived date is the parts', not when the item was made or published
            source["published"] = date_text
        location = get("object_location")
        if re.match(r"^https?://\S+$", location):
            source["url"] = location
        elif location:
            plan.note(
                f"{where}: object_location '{location[:60]}' is relative to the collection's site; "
                "not imported"
            )
        language = get("language").lower()
        if re.fullmatch(r"[a-z]{2,3}", language):
            source["language"] = language
        note = f"Item `{get('objectid')}` of the CollectionBuilder collection imported from `{origin}`."
        if get("source"):
            note += "\n\n" + text_to_markdown("Held by: " + get("source"))
        source_id = plan.source(item_id, source, note, where)
        data: dict[str, Any] = {"title": title, "date": date_text, "type": event_type}
        lat = read_number(get("latitude"), where, plan)
        lon = read_number(get("longitude"), where, plan)
        coordinates = [lat, lon] if lat is not None and lon is not None else None
        if get("location"):
            # CollectionBuilder separates several values with ';': read them as broad to narrow.
            parent = None
            places = split_cell(get("location"))
            for part in places[:-1]:
                parent = plan.place(None, part, "region", where, within=parent)
            data["place"] = plan.place(None, places[-1], None, where, within=parent, coordinates=coordinates)
            if len(places) > 1:
                plan.note(f"{where}: location '{get('location')}' read as places within each other; check it")
        data["status"] = status
        citation: dict[str, str] = {"source": source_id}
        if get("identifier"):
            citation["locator"] = clean_title(get("identifier"))
        data["sources"] = [citation]
        if coordinates:
            data["coordinates"] = coordinates
        tags = [slugify(t, "tag") for t in split_cell(get("subject"))]
        if tags:
            data["tags"] = list(dict.fromkeys(tags))
        if annotations:
            data["annotations"] = annotations
        event_id = plan.event(item_id, data, text_to_markdown(get("description")), where)
        if event_id:
            events[get("objectid")] = event_id
            if get("parentid"):
                children.append((item, event_id, get("parentid")))
    # A compound object's parts are episodes of it: 'part-of' its event, once every row is read.
    for item, event_id, parent in children:
        if parent not in events:
            plan.note(f"{item}: parentid: '{parent}' is not imported (see its row); no relation made")
        elif plan.term("relations", "part-of", "Part of", item):
            plan.drafts[("event", event_id)].data["related"] = [{"event": events[parent], "relation": "part-of"}]
