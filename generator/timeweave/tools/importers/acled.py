"""ACLED's CSV export (31 columns, with or without a byte-order mark) -> events.

Mapping, row by row (exports/acled.py writes the same layout back; generator/README.md documents
both column by column):
- event_id_cnty -> the event's id (IRN22059 -> irn22059) and the locator of its citation of the
  ACLED file, which is a source of its own;
- event_date (ISO, or "31 January 2023") with time_precision: 1 -> that day; 2 (a week; ACLED
  dates it on the week's middle day) -> the interval of the three days either side; 3 -> the month;
- event_type -> the event type (a term of that label in a new folder); actor1, actor2 -> actors
  with the roles initiator and target; assoc_actor_1/2 (';'-separated) -> associate-of-initiator
  and associate-of-target;
- country, admin1-3, location -> places within each other; latitude, longitude -> coordinates;
  geo_precision 1/2/3 -> location precision town / near / region;
- source (';'-separated) -> one source each; notes -> the account; fatalities -> casualties
  attributed to the ACLED file;
- inter1, inter2, interaction, disorder_type, sub_event_type, civilian_targeting, iso, region,
  source_scale, tags and timestamp have no field here: they are kept, word for word, in one
  annotation ("ACLED coding: ..."), which the export reads back.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from timeweave.exports import restore_cell

# The layout, and the codes kept in the "ACLED coding" annotation, are the export's: one definition.
from timeweave.exports.acled import CODED, CODING_PREFIX, COLUMNS
from timeweave.tools.importers import ImportPlan, clean_title
from timeweave.tools.importers.html import text_to_markdown
from timeweave.tools.slug import slugify

ROLES = {
    "initiator": ("Initiator", "ACLED's actor1: the actor that acted."),
    "target": ("Target", "ACLED's actor2: the actor acted upon, or the other side."),
    "associate-of-initiator": ("Associate of the initiator", "ACLED's assoc_actor_1."),
    "associate-of-target": ("Associate of the target", "ACLED's assoc_actor_2."),
}
GEO_PRECISION = {"1": "town", "2": "near", "3": "region"}
ADMIN = (("country", "country"), ("admin1", "governorate"), ("admin2", "district"), ("admin3", "district"))
# ACLED's actor type codes: digits in older exports, words in current ones ("State forces",
# "External/Other forces"; older API files capitalise and pluralise: "Rebel Groups"). Rioters,
# protesters and civilians ("Civilians (Somalia)") are people known only together: a group.
INTER_KIND = {"1": "armed-force", "2": "armed-group", "3": "armed-group", "4": "armed-group",
              "5": "group", "6": "group", "7": "group", "8": "armed-force",
              "state force": "armed-force", "rebel group": "armed-group", "political militia": "armed-group",
              "identity militia": "armed-group", "communal militia": "armed-group", "rioter": "group",
              "protester": "group", "civilian": "group", "external/other force": "armed-force"}
WEEK_HALF = 3  # a week-precise date is the week's middle day: three days either side


def is_acled(header: list[str]) -> bool:
    return {"event_id_cnty", "event_date", "time_precision"} <= {h.strip().lstrip("\ufeff") for h in header}


def acled_day(text: str) -> date | None:
    """ACLED writes event_date as ISO (API, newer exports) or as '31 January 2023' (older ones);
    an export opened and saved again in Excel has '9-May-20' (a two-digit year: ACLED's data begin
    in 1997, and Python reads 69-99 as 19xx, 00-68 as 20xx)."""
    for form in ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d/%m/%Y", "%d-%b-%y"):
        try:
            return datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
    return None


def acled_edtf(day: date, precision: str) -> str | None:
    if precision in ("1", ""):
        return day.isoformat()
    if precision == "2":
        return f"{(day - timedelta(WEEK_HALF)).isoformat()}/{(day + timedelta(WEEK_HALF)).isoformat()}"
    if precision == "3":
        return day.isoformat()[:7]
    return None


def import_acled(plan: ImportPlan, path: Path) -> None:
    from timeweave.tools.importers.spreadsheet import read_rows

    header, rows = read_rows(path)  # utf-8-sig: with or without the byte-order mark
    if not is_acled(header):
        plan.note(f"{path.name}: not ACLED's layout (no event_id_cnty, event_date, time_precision)")
        return
    plan.records += len(rows)
    status = plan.status
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        plan.note(f"{path.name}: ACLED columns missing: {', '.join(missing)}")
    for column in header:
        if column not in COLUMNS:
            plan.note(f"column '{column}' not imported (not one of the 31 of ACLED's current export)")
    if not plan.term("statuses", status, None, "--status"):
        return
    acled = plan.source(
        slugify(path.stem if path.stem.lower().startswith("acled") else f"acled {path.stem}", "acled"),
        {"title": f"ACLED data: {path.name}", "kind": "other", "publisher": "ACLED"},
        f"The ACLED (Armed Conflict Location & Event Data) file `{path.name}`; each event cites "
        "its event_id_cnty.",
        "file",
    )
    for number, row in enumerate(rows, start=2):
        cells = {k: restore_cell((v or "").strip()) for k, v in row.items() if k}
        import_row(plan, cells, f"row {number}", acled)


def import_row(plan: ImportPlan, row: dict[str, str], where: str, acled: str) -> None:
    external = row.get("event_id_cnty", "")
    item = f"{where} ({external})" if external else where
    day = acled_day(row.get("event_date", ""))
    if day is None:
        plan.note(f"{item}: event_date: '{row.get('event_date')}' is neither ISO nor 'DD Month YYYY'; not imported")
        return
    edtf = acled_edtf(day, row.get("time_precision", ""))
    if edtf is None:
        plan.note(f"{item}: time_precision: '{row.get('time_precision')}' is not 1, 2 or 3; not imported")
        return
    label = row.get("event_type", "")
    event_type = slugify(label, "event") if label else plan.event_type
    if label and not plan.has_vocabulary:
        plan.term("event_types", event_type, label, item)
    elif event_type not in plan.vocabulary["event_types"]:
        plan.note(f"{item}: event_type: '{label}' is not in the vocabulary; imported as '{plan.event_type}'")
        event_type = plan.event_type
    data: dict[str, Any] = {"title": title_of(row, day), "date": edtf, "type": event_type}
    data.update(location_of(plan, row, item))
    actors = actors_of(plan, row, item)
    if actors:
        data["actors"] = actors
    data["status"] = plan.status
    fatalities = row.get("fatalities", "")
    if re.fullmatch(r"\d+", fatalities):
        data["casualties"] = [{"who": "All reported (ACLED's count)", "killed": int(fatalities), "source": acled}]
    elif fatalities:
        plan.note(f"{item}: fatalities: '{fatalities}' is not a whole number; not imported")
    citations = [{"source": acled, "locator": external or where}]
    for name in [s.strip() for s in row.get("source", "").split(";") if s.strip()]:
        source_id = plan.source(slugify(name, "source"), {"title": clean_title(name), "kind": "news"},
                                f"Named as a source by ACLED ({plan.origin}); complete it.", item)
        if all(c["source"] != source_id for c in citations):
            citations.append({"source": source_id})
    data["sources"] = citations
    coding = "; ".join(f"{c} {row[c]}" for c in CODED if row.get(c))
    if coding:
        data["annotations"] = plan.annotation(CODING_PREFIX + coding + ".", item)
    body = text_to_markdown(row.get("notes", ""))
    plan.event(slugify(external, "event") if external else data["title"], data, body, item)


def title_of(row: dict[str, str], day: date) -> str:
    """ACLED rows have no title: the sub-event type, the actor and the place, as a reader would search."""
    what = row.get("sub_event_type") or row.get("event_type") or "Event"
    who = f" by {row['actor1']}" if row.get("actor1") else ""
    where = f" in {row['location']}" if row.get("location") else ""
    return clean_title(f"{what}{who}{where}")


def location_of(plan: ImportPlan, row: dict[str, str], item: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    parent = None
    for column, kind in ADMIN:
        name = row.get(column, "")
        if name and name != row.get("location"):
            parent = plan.place(None, name, kind, item, within=parent)
    try:
        coordinates = [float(row["latitude"]), float(row["longitude"])]
    except (KeyError, ValueError):
        coordinates = None
    if row.get("location"):
        data["place"] = plan.place(None, row["location"], "town", item, within=parent, coordinates=coordinates)
    elif parent:
        data["place"] = parent
    if coordinates:
        data["coordinates"] = coordinates
        precision = GEO_PRECISION.get(row.get("geo_precision", ""))
        if precision:
            data["location_precision"] = precision
        elif row.get("geo_precision"):
            plan.note(f"{item}: geo_precision: '{row['geo_precision']}' is not 1, 2 or 3; not imported")
    return data


def actors_of(plan: ImportPlan, row: dict[str, str], item: str) -> list[dict[str, str]]:
    wanted = [("actor1", "initiator", "inter1"), ("assoc_actor_1", "associate-of-initiator", "inter1"),
              ("actor2", "target", "inter2"), ("assoc_actor_2", "associate-of-target", "inter2")]
    out: list[dict[str, str]] = []
    for column, role, inter in wanted:
        names = [n.strip() for n in row.get(column, "").split(";") if n.strip()]
        if not names:
            continue
        if not plan.has_vocabulary:
            label, definition = ROLES[role]
            plan.new_terms["actor_roles"].setdefault(role, {"label": label, "definition": definition})
        elif role not in plan.vocabulary["actor_roles"]:
            plan.note(f"{item}: {column}: role '{role}' is not in the vocabulary; "
                      f"{', '.join(names)} not imported")
            continue
        for name in names:
            actor_id = plan.actor(None, name, item)
            draft = plan.drafts.get(("actor", actor_id))
            kind = inter_kind(row.get(inter, "")) if column.startswith("actor") else None
            if draft is not None and kind:
                draft.data["kind"] = kind
            if all(a["actor"] != actor_id for a in out):
                out.append({"actor": actor_id, "role": role})
    return out


def inter_kind(code: str) -> str | None:
    return INTER_KIND.get(code.strip().lower().removesuffix("s"))
