"""TimelineJS 3 (JSON file, or its Google Sheets/CSV layout) -> events.

Mapping, slide by slide:
- headline -> title (HTML reduced to one line of text); text -> the account (HTML -> Markdown, see
  html.py); unique_id -> the id when it is a valid one, else one made from the headline;
- start_date/end_date year, month, day -> an EDTF date or interval; hour/minute -> time;
- group -> a tag; media -> a line of the account: a link to the media URL with its caption and
  credit, or, when the media "URL" is HTML (a blockquote), that quote as Markdown;
- the timeline's title slide -> the source every event cites ("slide N" as locator), since a
  TimelineJS file names no sources of its own.
Not imported, and reported: display_date, background, media thumbnails, eras, non-HTTP(S) media.
Event type and status are not in TimelineJS: they come from the command line (defaults: type
'event' in a folder with no vocabulary, status 'reported').
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from timeweave.tools.importers import ImportPlan, clean_title, edtf_from_parts
from timeweave.tools.importers.html import html_to_markdown, html_to_text
from timeweave.tools.slug import slugify

_URL = re.compile(r"^(https?:)?//", re.I)


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
    if _text(media.get("thumbnail")):
        plan.note(f"{where}: media thumbnail not imported")
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
    credit_text = html_to_text(credit)
    if credit_text:
        line += f" ({_escape_link_text(credit_text)})"
    return line


def _escape_link_text(text: str) -> str:
    return re.sub(r"([\\\[\]*_`<>])", r"\\\1", text).replace("<", "&lt;")


def import_slides(
    plan: ImportPlan, slides: list[dict[str, Any]], title_slide: dict[str, Any] | None, origin: str
) -> None:
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
    event_type, status = plan.event_type, plan.status
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
        title = clean_title(html_to_text(_text(text.get("headline"))))
        start, clock = slide_date(slide.get("start_date"))
        end, _ = slide_date(slide.get("end_date"))
        if start is None:
            plan.note(
                f"{where}: skipped: no start year (TimelineJS needs one; BCE and cosmological "
                "dates are not supported)"
            )
            continue
        date_text = start if not end or end == start else f"{start}/{end}"
        body, dropped = html_to_markdown(_text(text.get("text")))
        for item in dropped:
            plan.note(f"{where}: {item} dropped from the text")
        media = media_markdown(slide.get("media"), where, plan)
        if media:
            body = f"{body}\n\n{media}" if body else media
        for key in ("display_date", "background", "autolink"):
            if slide.get(key):
                plan.note(f"{where}: {key} not imported")
        if isinstance(slide.get("start_date"), dict) and slide["start_date"].get("display_date"):
            plan.note(f"{where}: display_date not imported (the site writes dates itself)")
        data: dict[str, Any] = {"title": title, "date": date_text}
        if clock:
            data["time"] = clock
        data.update(
            {"type": event_type, "status": status, "sources": [{"source": source_id, "locator": where}]}
        )
        group = html_to_text(_text(slide.get("group")))
        if group:
            data["tags"] = [slugify(group, "group")]
        plan.event(_text(slide.get("unique_id")) or title, data, body, where)


def import_timelinejs(plan: ImportPlan, path: Path) -> None:
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        plan.note(f"{path.name}: cannot read TimelineJS JSON: {exc}")
        return
    if not isinstance(document, dict) or not isinstance(document.get("events"), list):
        plan.note(f"{path.name}: not a TimelineJS file (no 'events' list)")
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
            "text": {"headline": get("Headline"), "text": get("Text")},
            "media": {
                "url": get("Media"),
                "credit": get("Media Credit"),
                "caption": get("Media Caption"),
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
