"""CSV -> events. Three layouts are recognised from the header row:

- our own events.csv (or any sheet using its column names): every column maps back, so
  export -> import -> export gives the same CSV; the apostrophe the export puts before cells that
  begin with = + - @ is removed again;
- TimelineJS's spreadsheet template (Year, Month, Day, Headline, Text...): see timelinejs.py;
- a CollectionBuilder metadata CSV (objectid, title, date, description, subject, location,
  latitude, longitude...): see collectionbuilder.py.

Columns a layout does not know are reported, with how many rows had a value in them.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path
from typing import Any

from timeweave.content.models import PLACE_KIND_PRECISION
from timeweave.content.policy import body_problems
from timeweave.exports import CSV_COLUMNS, restore_cell, split_list
from timeweave.tools.importers import ImportPlan, clean_title, humanize
from timeweave.tools.importers.cells import getter, read_number, split_cell
from timeweave.tools.importers.collectionbuilder import COLLECTIONBUILDER_COLUMNS, import_collectionbuilder
from timeweave.tools.importers.html import text_to_markdown
from timeweave.tools.importers.timelinejs import import_sheet, is_sheet
from timeweave.tools.slug import slugify

OUR_COLUMNS = [c.name for c in CSV_COLUMNS]
# Columns derived from others on export: recomputed, so not needed on import.
DERIVED = {"url", "date_start", "date_end", "date_precision", "date_approximate", "date_uncertain"}
COLLECTIONBUILDER = {"objectid", "title", "date"}
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
        _report_columns(plan, header, rows, known=COLLECTIONBUILDER_COLUMNS)
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
        get = getter(row)
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
        lat = read_number(get("latitude"), where, plan)
        lon = read_number(get("longitude"), where, plan)
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
            read_number(get("fatalities_min"), where, plan, True),
            read_number(get("fatalities_max"), where, plan, True),
        )
        injured = _count(
            read_number(get("injured_min"), where, plan, True), read_number(get("injured_max"), where, plan, True)
        )
        if killed is not None or injured is not None:
            figures: dict[str, Any] = {"who": "All reported (total from the import)"}
            if killed is not None:
                figures["killed"] = killed
            if injured is not None:
                figures["injured"] = injured
            data["casualties"] = [figures]
        source_ids = [slugify(s, "source") for s in split_cell(get("sources"))]
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
        if not split_cell(get("sources")):
            data["sources"][0]["locator"] = where
        tags = [slugify(t, "tag") for t in split_cell(get("tags"))]
        if tags:
            data["tags"] = list(dict.fromkeys(tags))
        plan.event(get("id") or data["title"], data, _body(row.get("notes", ""), where, plan), where)


def _actors_of(plan: ImportPlan, cell: str, names_cell: str, where: str) -> list[dict[str, str]]:
    items = split_cell(cell)
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
    get = getter(row)
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
