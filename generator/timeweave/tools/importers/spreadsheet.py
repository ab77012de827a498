"""CSV -> events. Three layouts are recognised from the header row:

- our own events.csv (or any sheet using its column names): every column maps back, so
  export -> import -> export gives the same CSV; the apostrophe the export puts before cells that
  begin with = + - @ is removed again;
- TimelineJS's spreadsheet template (Year, Month, Day, Headline, Text...): see timelinejs.py;
- a CollectionBuilder metadata CSV (objectid, title, date, description, subject, location,
  latitude, longitude...): each item becomes an event that cites the item itself as its source.

Columns a layout does not know are reported, with how many rows had a value in them.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from timeweave.content.dates import DateError, parse_date
from timeweave.content.models import PLACE_KIND_PRECISION
from timeweave.content.policy import body_problems
from timeweave.exports import CSV_COLUMNS, restore_cell, split_list
from timeweave.tools.importers import ImportPlan, clean_title, humanize
from timeweave.tools.importers.html import text_to_markdown
from timeweave.tools.importers.timelinejs import import_sheet, is_sheet
from timeweave.tools.slug import slugify

OUR_COLUMNS = [c.name for c in CSV_COLUMNS]
# Columns derived from others on export: recomputed, so not needed on import.
DERIVED = {"url", "date_start", "date_end", "date_precision", "date_approximate", "date_uncertain"}
COLLECTIONBUILDER = {"objectid", "title", "date"}
APPROXIMATE = "date-is-approximate?"  # CollectionBuilder's flag: the date is a guess
ADMIN_KINDS = (("admin2", "district"), ("admin1", "governorate"), ("country", "country"))


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = [dict(row) for row in reader]
    return list(reader.fieldnames or []), rows


def import_csv(plan: ImportPlan, path: Path) -> None:
    try:
        header, rows = read_rows(path)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        plan.note(f"{path.name}: cannot read CSV: {exc}")
        return
    names = {h.strip() for h in header}
    if is_sheet(header):
        import_sheet(plan, rows, path.name)
        _report_columns(
            plan,
            header,
            rows,
            known={
                "Year",
                "Month",
                "Day",
                "Time",
                "End Year",
                "End Month",
                "End Day",
                "Headline",
                "Text",
                "Media",
                "Media Credit",
                "Media Caption",
                "Type",
                "Group",
                "Background",
                "Display Date",
                "Media Thumbnail",
            },
        )
    elif COLLECTIONBUILDER <= names:
        import_collectionbuilder(plan, rows, path.name)
        _report_columns(
            plan,
            header,
            rows,
            known={
                "objectid",
                "title",
                "creator",
                "date",
                "description",
                "subject",
                "location",
                "latitude",
                "longitude",
                "source",
                "identifier",
                "language",
                "object_location",
                "parentid",
                APPROXIMATE,
            },
        )
    elif {"title", "date"} <= names:
        import_ours(plan, rows, path.name, restore="id" in names and "date_precision" in names)
        _report_columns(plan, header, rows, known=set(OUR_COLUMNS))
    else:
        plan.note(
            f"{path.name}: unknown layout: expected our events.csv columns (at least title and "
            "date), TimelineJS's template or a CollectionBuilder CSV"
        )


def _report_columns(plan: ImportPlan, header: list[str], rows: list[dict[str, str]], known: set[str]) -> None:
    used = Counter(k for row in rows for k, v in row.items() if k is not None and (v or "").strip())
    for column in header:
        if column not in known and used[column]:
            plan.note(f"column '{column}' not imported ({used[column]} row(s) had a value)")


def approximate(date_text: str) -> str:
    """EDTF's '~' on each date of the value: the flag is on the whole date, and in an interval
    ('1935/1950', CollectionBuilder's demo) a '~' after the end would qualify the end alone."""
    return "/".join(part if not part or part[-1] in "~?%" or part == ".." else part + "~"
                    for part in date_text.split("/"))


def _getter(row: dict[str, str]) -> Callable[[str], str]:
    def get(key: str) -> str:
        return (row.get(key) or "").strip()

    return get


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _number(cell: str, where: str, plan: ImportPlan, integer: bool = False) -> Any:
    cell = cell.strip()
    if not cell:
        return None
    try:
        value = float(cell)
    except ValueError:
        plan.note(f"{where}: '{cell}' is not a number; ignored")
        return None
    if integer:
        if value != int(value) or value < 0:
            plan.note(f"{where}: '{cell}' is not a whole number; ignored")
            return None
        return int(value)
    return value


def _body(text: str, where: str, plan: ImportPlan) -> str:
    """Markdown from a cell: kept as written when the policy accepts it, else shown as plain text."""
    if not text.strip():
        return ""
    if any(True for _ in body_problems(text)):
        plan.note(f"{where}: the notes contain markup the site refuses; imported as plain text")
        return text_to_markdown(text)
    return text.strip()


def _count(low: Any, high: Any) -> Any:
    if low is None and high is None:
        return None
    if low is not None and low == high:
        return low
    return {k: v for k, v in (("min", low), ("max", high)) if v is not None}


def import_ours(plan: ImportPlan, rows: list[dict[str, str]], origin: str, restore: bool) -> None:
    plan.records += len(rows)
    for number, raw in enumerate(rows, start=2):
        where = f"row {number}"
        row = {k: (restore_cell(v) if restore else v) or "" for k, v in raw.items() if k is not None}
        get = _getter(row)
        event_type = get("type") or plan.event_type
        status = get("status") or plan.status
        if not event_type:
            plan.note(f"{where}: skipped: no type (give a type column or --type)")
            continue
        if not plan.term("event_types", event_type, get("type_label") or None, where):
            continue
        if not plan.term("statuses", status, get("status_label") or None, where):
            continue
        data: dict[str, Any] = {"title": clean_title(get("title")), "date": get("date")}
        if get("time"):
            if re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", get("time")):
                data["time"] = get("time")
            else:
                plan.note(f"{where}: time '{get('time')}' is not HH:MM; ignored")
        data["type"] = event_type
        place_id = _place_of(plan, row, where)
        if place_id:
            data["place"] = place_id
        lat = _number(get("latitude"), where, plan)
        lon = _number(get("longitude"), where, plan)
        if lat is not None and lon is not None:
            data["coordinates"] = [lat, lon]
            precision = get("location_precision")
            if precision in PLACE_KIND_PRECISION.values() or precision == "near":
                data["location_precision"] = precision
        actors = _actors_of(plan, get("actors"), get("actor_names"), where)
        if actors:
            data["actors"] = actors
        data["status"] = status
        killed = _count(
            _number(get("fatalities_min"), where, plan, True),
            _number(get("fatalities_max"), where, plan, True),
        )
        injured = _count(
            _number(get("injured_min"), where, plan, True), _number(get("injured_max"), where, plan, True)
        )
        if killed is not None or injured is not None:
            figures: dict[str, Any] = {"who": "All reported (total from the import)"}
            if killed is not None:
                figures["killed"] = killed
            if injured is not None:
                figures["injured"] = injured
            data["casualties"] = [figures]
        source_ids = [slugify(s, "source") for s in _split(get("sources"))]
        if not source_ids:
            source_ids = [
                plan.source(
                    slugify(Path(origin).stem, "import"),
                    {"title": f"Spreadsheet {origin}", "kind": "other"},
                    f"Imported from `{origin}`; each event cites its row.",
                    where,
                )
            ]
        data["sources"] = [
            {
                "source": plan.source(
                    s,
                    {"title": humanize(s), "kind": "other"},
                    f"Stub created by importing {origin}: complete it.",
                    where,
                )
            }
            for s in source_ids
        ]
        if not _split(get("sources")):
            data["sources"][0]["locator"] = where
        tags = [slugify(t, "tag") for t in _split(get("tags"))]
        if tags:
            data["tags"] = list(dict.fromkeys(tags))
        plan.event(get("id") or data["title"], data, _body(row.get("notes", ""), where, plan), where)


def _actors_of(plan: ImportPlan, cell: str, names_cell: str, where: str) -> list[dict[str, str]]:
    items = _split(cell)
    names = split_list(names_cell)
    if len(names) != len(items):
        names = []
    out = []
    for index, item in enumerate(items):
        actor_id, _, role = item.partition(":")
        actor_id, role = slugify(actor_id.strip(), "actor"), slugify(role.strip() or "participant", "role")
        if not plan.term("actor_roles", role, None, where):
            plan.note(f"{where}: actor '{actor_id}' left out (role '{role}' unknown)")
            continue
        out.append({"actor": plan.actor(actor_id, names[index] if names else None, where), "role": role})
    return out


def _place_of(plan: ImportPlan, row: dict[str, str], where: str) -> str | None:
    get = _getter(row)
    place_id, name, kind = (
        slugify(get("place"), "place") if get("place") else None,
        get("place_name"),
        get("place_kind"),
    )
    if not place_id and not name:
        return None
    # The place's parents, outermost first, from the admin columns (ids from names, or existing ones).
    parent = None
    for column, admin_kind in reversed(ADMIN_KINDS):
        admin_name = get(column)
        if not admin_name or (admin_name == name and admin_kind == kind):
            continue
        parent = plan.place(None, admin_name, admin_kind, where, within=parent)
    return plan.place(place_id, name or None, kind or None, where, within=parent)


def import_collectionbuilder(plan: ImportPlan, rows: list[dict[str, str]], origin: str) -> None:
    event_type, status = plan.event_type, plan.status
    plan.records += len(rows)
    children: list[tuple[str, str, str]] = []  # (row, event id, parentid)
    events: dict[str, str] = {}  # objectid -> event id
    if not plan.term("event_types", event_type, None, "--type") or not plan.term(
        "statuses", status, None, "--status"
    ):
        return
    for number, row in enumerate(rows, start=2):
        where = f"row {number}"
        get = _getter(row)
        title = clean_title(get("title"))
        date_text = get("date")
        item = f"{where} ({get('objectid')})" if get("objectid") else where
        if not date_text:
            # CollectionBuilder's own timeline leaves undated items out as well.
            plan.note(f"{item}: date: empty; not imported (an event needs a date)")
            continue
        if get(APPROXIMATE).casefold() in ("yes", "y", "true", "x", "1"):
            date_text = approximate(date_text)
        try:
            parse_date(date_text)
        except DateError:
            plan.note(f"{item}: date: '{date_text}' is not YYYY, YYYY-MM or YYYY-MM-DD; not imported")
            continue
        item_id = slugify(get("objectid") or title, "item")
        source: dict[str, Any] = {"title": title or item_id, "kind": "other"}
        if get("creator"):
            source["author"] = clean_title(get("creator"))
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
        lat = _number(get("latitude"), where, plan)
        lon = _number(get("longitude"), where, plan)
        coordinates = [lat, lon] if lat is not None and lon is not None else None
        if get("location"):
            # CollectionBuilder separates several values with ';': read them as broad to narrow.
            parent = None
            parts = _split(get("location"))
            for part in parts[:-1]:
                parent = plan.place(None, part, "region", where, within=parent)
            data["place"] = plan.place(None, parts[-1], None, where, within=parent, coordinates=coordinates)
            if len(parts) > 1:
                plan.note(f"{where}: location '{get('location')}' read as places within each other; check it")
        data["status"] = status
        citation: dict[str, str] = {"source": source_id}
        if get("identifier"):
            citation["locator"] = clean_title(get("identifier"))
        data["sources"] = [citation]
        if coordinates:
            data["coordinates"] = coordinates
        tags = [slugify(t, "tag") for t in _split(get("subject"))]
        if tags:
            data["tags"] = list(dict.fromkeys(tags))
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

