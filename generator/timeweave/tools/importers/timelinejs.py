"""TimelineJS 3 (JSON file, or its Google Sheets/CSV layout) and TimelineJS 2 JSON -> events.

Mapping, slide by slide; every slide TimelineJS would show (it needs only a start year) becomes an
event, and whatever is left out is listed per slide and field:
- headline -> title (HTML reduced to one line of text); no headline -> the first sentence of the
  text (or the media caption), with an annotation saying the title was derived;
- text -> the account (HTML -> Markdown, see html.py; in a sheet, Markdown links are kept);
  unique_id -> the id when it is a valid one, else one made from the title;
- start_date/end_date year, month, day -> an EDTF date or interval, BCE years included (-0500)
  and cosmological ones (Y-13798000000); hour/minute -> time;
- location (lat, lon, name) -> the event's coordinates and a place, reused by name;
- group -> a tag; media -> a line of the account: a link to the media URL with its caption and
  its credit (links kept), or, when the media "URL" is HTML (a blockquote), that quote as Markdown;
- the timeline's title slide -> the source every event cites ("slide N" as locator), since a
  TimelineJS file names no sources of its own.
TimelineJS 2 files ({"timeline": {"date": [...]}}, dates as "YYYY,MM,DD") are read as the same slides.
Not imported, and reported: display_date, background, media thumbnails, eras, non-HTTP(S) media,
seconds, and any other key a slide has.
Event type and status are not in TimelineJS: they come from the command line or the vocabulary.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from timeweave.tools.importers import ImportPlan, clean_title, edtf_from_parts, first_sentence
from timeweave.tools.importers.html import html_to_markdown, html_to_text, markdown_to_html
from timeweave.tools.slug import slugify

_URL = re.compile(r"^(https?:)?//", re.I)
# What a slide's keys are read for; any other key with a value (an early example's StoryMapJS
# "type": "overview", say) is listed as not imported.
_SLIDE_KEYS = {"start_date", "end_date", "text", "media", "location", "group", "unique_id", "display_date",
               "background", "autolink"}
_DATE_FINER = ("second", "millisecond")
_TIMELINEJS2_KEYS = {"startDate", "endDate", "headline", "text", "asset", "tag", "classname"}


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def slide_date(part: Any) -> tuple[str | None, str | None]:
    """(EDTF, HH:MM) from a TimelineJS date object."""
    if not isinstance(part, dict):
        return None, None
    edtf = edtf_from_parts(part.get("year"), part.get("month"), part.get("day"))
    hour, minute = _text(part.get("hour")), _text(part.get("minute")) or "0"
    clock = None
    if (
        edtf
        and len(edtf) == 10
        and hour.isdigit()
        and minute.isdigit()
        and int(hour) < 24
        and int(minute) < 60
    ):
        clock = f"{int(hour):02d}:{int(minute):02d}"
    return edtf, clock


def media_markdown(media: Any, where: str, plan: ImportPlan) -> str:
    if not isinstance(media, dict):
        return ""
    url, caption, credit = _text(media.get("url")), _text(media.get("caption")), _text(media.get("credit"))
    # "thumb" is what TimelineJS 3's early examples (and StoryMapJS) call the thumbnail.
    for key in ("thumbnail", "thumb"):
        if _text(media.get(key)):
            plan.note(f"{where}: media {key} not imported")
    if not url:
        return ""
    if url.lstrip().startswith("<"):
        quote, dropped = html_to_markdown(url)
        for item in dropped:
            plan.note(f"{where}: media HTML: {item} dropped")
        return quote
    if not _URL.match(url):
        plan.note(f"{where}: media '{url[:60]}' is not an http(s) URL; not imported")
        return ""
    if url.startswith("//"):
        url = "https:" + url
    label = html_to_text(caption) or "Media"
    line = f"Media: [{_escape_link_text(label)}]({url.replace(' ', '%20').replace(')', '%29')})"
    # The credit as Markdown, so a link in it (to the photographer, the archive) is kept.
    credit_text = " ".join(html_to_markdown(credit)[0].split()) if credit else ""
    if credit_text:
        line += f" ({credit_text})"
    return line


def _escape_link_text(text: str) -> str:
    return re.sub(r"([\\\[\]*_`<>])", r"\\\1", text).replace("<", "&lt;")


def slide_title(text: dict[str, Any], body: str, media: Any, number: int, plan: ImportPlan,
                where: str) -> tuple[str, list[dict[str, str]]]:
    """The slide's headline, else one derived from what TimelineJS shows, with the annotation that says so."""
    title = clean_title(html_to_text(_text(text.get("headline"))))
    if title:
        return title, []
    caption = html_to_text(_text(media.get("caption"))) if isinstance(media, dict) else ""
    plain = clean_title(html_to_text(_text(text.get("text"))))
    derived = first_sentence(plain) if plain else clean_title(caption) or f"Slide {number}"
    what = "text" if plain else "media caption" if caption else "slide number"
    note = (f"The title was derived by the import from the slide's {what}: the TimelineJS slide "
            "had no headline.")
    plan.note(f"{where}: headline: none; title derived from the {what}")
    return derived, plan.annotation(note, where)


def slide_location(location: Any, plan: ImportPlan, where: str) -> dict[str, Any]:
    """A slide's location (lat, lon, name) -> coordinates and a place."""
    if not isinstance(location, dict):
        return {}
    lat = _coordinate(location.get("lat", location.get("latitude")), 90)
    lon = _coordinate(location.get("lon", location.get("lng", location.get("longitude"))), 180)
    name = clean_title(html_to_text(_text(location.get("name"))))
    data: dict[str, Any] = {}
    coordinates = [lat, lon] if lat is not None and lon is not None else None
    if name:
        data["place"] = plan.place(None, name, None, where, coordinates=coordinates)
    if coordinates:
        data["coordinates"] = coordinates
    elif location.get("lat") is not None or location.get("lon") is not None:
        plan.note(f"{where}: location: coordinates {location.get('lat')!r}, {location.get('lon')!r} not usable")
    for key in sorted(set(location) - {"lat", "lon", "lng", "latitude", "longitude", "name"}):
        plan.note(f"{where}: location.{key} not imported")
    return data


def _coordinate(value: Any, bound: float) -> float | None:
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return number if -bound <= number <= bound else None


def import_slides(
    plan: ImportPlan, slides: list[Any], title_slide: dict[str, Any] | None, origin: str
) -> None:
    event_type, status = plan.event_type, plan.status  # the option a run needs is named first
    plan.records += len(slides)
    title_text = title_slide.get("text", {}) if isinstance(title_slide, dict) else {}
    headline = html_to_text(_text(title_text.get("headline"))) if isinstance(title_text, dict) else ""
    intro = html_to_markdown(_text(title_text.get("text")))[0] if isinstance(title_text, dict) else ""
    source_title = clean_title(f"{headline} (TimelineJS)" if headline else f"TimelineJS timeline {origin}")
    source_id = plan.source(
        slugify(Path(origin).stem, "timeline"),
        {"title": source_title, "kind": "other"},
        (intro + "\n\n" if intro else "") + f"Imported from the TimelineJS file `{origin}`; "
        "each event cites its slide.",
        "title slide",
    )
    if isinstance(title_slide, dict) and title_slide.get("background"):
        plan.note("title slide: background not imported")
    if not plan.term("event_types", event_type, None, "--type") or not plan.term(
        "statuses", status, None, "--status"
    ):
        return
    for number, slide in enumerate(slides, start=1):
        where = f"slide {number}"
        if not isinstance(slide, dict):
            plan.note(f"{where}: not an object; skipped")
            continue
        text: dict[str, Any] = slide["text"] if isinstance(slide.get("text"), dict) else {}
        start, clock = slide_date(slide.get("start_date"))
        end, end_clock = slide_date(slide.get("end_date"))
        if start is None:
            plan.note(f"{where}: skipped: start_date has no year (TimelineJS shows no slide without one)")
            continue
        if end_clock:
            plan.note(f"{where}: end_date.hour, minute not imported (an event has one time of day: its start's)")
        date_text = start if not end or end == start else f"{start}/{end}"
        body, dropped = html_to_markdown(_text(text.get("text")))
        for item in dropped:
            plan.note(f"{where}: text: {item} dropped")
        title, annotations = slide_title(text, body, slide.get("media"), number, plan, where)
        media = media_markdown(slide.get("media"), where, plan)
        if media:
            body = f"{body}\n\n{media}" if body else media
        for key in ("display_date", "background", "autolink"):
            if slide.get(key):
                plan.note(f"{where}: {key} not imported")
        for part in ("start_date", "end_date"):
            if isinstance(slide.get(part), dict) and (
                slide[part].get("display_date") or slide[part].get("display_text")
            ):
                plan.note(f"{where}: {part}.display_date not imported (the site writes dates itself)")
            for key in _DATE_FINER:
                if isinstance(slide.get(part), dict) and _text(slide[part].get(key)):
                    plan.note(f"{where}: {part}.{key} not imported (times are kept to the minute)")
        for key in sorted(set(slide) - _SLIDE_KEYS):
            if slide[key] not in (None, "", [], {}):
                plan.note(f"{where}: {key} not imported")
        data: dict[str, Any] = {"title": title, "date": date_text}
        if clock:
            data["time"] = clock
        data["type"] = event_type
        data.update(slide_location(slide.get("location"), plan, where))
        data.update({"status": status, "sources": [{"source": source_id, "locator": where}]})
        group = html_to_text(_text(slide.get("group")))
        if group:
            data["tags"] = [slugify(group, "group")]
        if annotations:
            data["annotations"] = annotations
        plan.event(_text(slide.get("unique_id")) or title, data, body, where)


def timelinejs2_slides(timeline: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    """TimelineJS 2's {"timeline": {...}} as TimelineJS 3 slides and title slide."""

    def when(value: Any) -> dict[str, str] | None:
        parts = [p.strip() for p in str(value or "").split(",")]
        if not parts[0]:
            return None
        keys = ("year", "month", "day", "hour", "minute", "second")  # seconds, to be listed as not kept
        return {k: v for k, v in zip(keys, parts, strict=False) if v}

    def media(asset: Any) -> dict[str, Any]:
        if not isinstance(asset, dict):
            return {}
        return {"url": asset.get("media"), "credit": asset.get("credit"), "caption": asset.get("caption"),
                "thumbnail": asset.get("thumbnail")}

    slides = []
    for entry in timeline.get("date") or []:
        if not isinstance(entry, dict):
            slides.append(entry)
            continue
        slide: dict[str, Any] = {
            "start_date": when(entry.get("startDate")),
            "end_date": when(entry.get("endDate")),
            "text": {"headline": entry.get("headline"), "text": entry.get("text")},
            "media": media(entry.get("asset")),
            "group": entry.get("tag"),
        }
        # Other keys (not TimelineJS 2's own: its 'classname' is listed once, below): carried over,
        # so they are listed per slide.
        slide.update({k: v for k, v in entry.items() if k not in _TIMELINEJS2_KEYS})
        slides.append(slide)
    title = {"text": {"headline": timeline.get("headline"), "text": timeline.get("text")},
             "media": media(timeline.get("asset"))}
    return slides, title


def import_timelinejs(plan: ImportPlan, path: Path) -> None:
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        plan.note(f"{path.name}: cannot read TimelineJS JSON: {exc}")
        return
    if isinstance(document, dict) and isinstance(document.get("timeline"), dict):
        timeline = document["timeline"]
        if not isinstance(timeline.get("date"), list):
            plan.note(f"{path.name}: a TimelineJS 2 file without a 'date' list")
            return
        slides, title = timelinejs2_slides(timeline)
        for key in ("era", "chart"):
            if timeline.get(key):
                plan.note(f"timeline.{key} not imported")
        if any(isinstance(e, dict) and e.get("classname") for e in timeline["date"]):
            plan.note("date[].classname not imported (a CSS class of TimelineJS 2)")
        import_slides(plan, slides, title, path.name)
        return
    if not isinstance(document, dict) or not isinstance(document.get("events"), list):
        plan.note(f"{path.name}: not a TimelineJS file (no 'events' list, nor TimelineJS 2's 'timeline')")
        return
    for key in ("eras", "scale"):
        if document.get(key) and document.get(key) != "human":
            plan.note(f"{key} not imported")
    import_slides(plan, document["events"], document.get("title"), path.name)


# TimelineJS's spreadsheet template: the same slides, one row each.
SHEET_COLUMNS = {"Year", "Month", "Day", "Headline", "Text"}


def is_sheet(header: list[str]) -> bool:
    return SHEET_COLUMNS <= {h.strip() for h in header}


def sheet_time(value: str) -> dict[str, str]:
    match = re.match(r"^\s*(\d{1,2})(?::(\d{2}))?(?::\d{2})?\s*([AaPp][Mm])?\s*$", value or "")
    if not match:
        return {}
    hour, minute, meridiem = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if meridiem == "pm" and hour < 12:
        hour += 12
    if meridiem == "am" and hour == 12:
        hour = 0
    return {"hour": str(hour), "minute": str(minute)}


def import_sheet(plan: ImportPlan, rows: list[dict[str, str]], origin: str) -> None:
    slides: list[dict[str, Any]] = []
    title: dict[str, Any] | None = None
    for number, row in enumerate(rows, start=2):

        def get(key: str, row: dict[str, str] = row) -> str:
            return (row.get(key) or "").strip()

        slide = {
            "start_date": {
                "year": get("Year"),
                "month": get("Month"),
                "day": get("Day"),
                **sheet_time(get("Time")),
            },
            "end_date": {"year": get("End Year"), "month": get("End Month"), "day": get("End Day")},
            "text": {"headline": get("Headline"), "text": markdown_to_html(get("Text"))},
            "media": {
                "url": get("Media"),
                "credit": markdown_to_html(get("Media Credit")),
                "caption": markdown_to_html(get("Media Caption")),
                "thumbnail": get("Media Thumbnail"),
            },
            "group": get("Group"),
            "display_date": get("Display Date"),
            "background": get("Background"),
        }
        kind = get("Type").lower()
        if kind == "title":
            title = slide
            continue
        if kind == "era":
            plan.note(f"row {number}: era not imported")
            continue
        slides.append(slide)
    import_slides(plan, slides, title, origin)
