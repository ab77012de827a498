"""What a reader sees of a date, a type and a status, and the shared index the timeline filters use.

Pure: takes the catalog, returns values for the templates and the bytes of the site's reader assets
(the filter index, the reader script and stylesheet). No MkDocs import.

The same facts reach the page twice, once in the static HTML the templates write and once in the
JSON index the filter script renders from, so both are computed here, in one place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from timeweave import urls
from timeweave.catalog.catalog import Catalog
from timeweave.catalog.order import certainly_before
from timeweave.content.dates import DatePoint, EventDate, days_in_month, parse_date
from timeweave.content.models import RTL_LANGUAGES, Event, SourceCitation, Vocabulary
from timeweave.site.ordernotes import order_note, page_order_note
from timeweave.site.provenance import search_labels

STATIC_DIR = Path(__file__).parent / "static"
ASSET_FOLDER = "assets/timeline"
INDEX_NAME = "timeline-index.json"
INDEX_VERSION = 1
# The words of the search's filters (provenance.search_labels), read by assets/timeline-search.js.
SEARCH_LABELS_NAME = "search-labels.json"

# Reader assets copied into the site as they are (served from the site itself, never a CDN).
# filters.js: the address parameters, shared by the timeline, its axis and the map.
STATIC_ASSETS = ("filters.js", "reader.css", "reader.js", "timeline-axis.css", "timeline-axis.js")
# The page layout of entries, facts and citations: every timeline site's extra stylesheet.
PAGE_CSS = "assets/timeline.css"

# Type ids are the content's own, so the icon is chosen from the words of the id; the first rule
# with a matching word wins (casualty-report is about casualties, not a research report).
ICON_RULES: tuple[tuple[str, frozenset[str]], ...] = (
    ("casualties", frozenset({"casualty", "casualties", "killed", "deaths", "death", "wounded"})),
    ("media", frozenset({"media", "propaganda", "press", "broadcast", "disinformation"})),
    ("influence", frozenset({"influence", "interference", "espionage", "covert"})),
    ("research", frozenset({"research", "investigation", "finding", "study", "inquiry"})),
    ("economic", frozenset({"economic", "economy", "sanction", "sanctions", "trade", "embargo", "ban"})),
    ("aircraft", frozenset({"airstrike", "airstrikes", "air", "aerial", "drone", "bombing", "helicopter"})),
    ("explosion", frozenset({"shelling", "artillery", "rocket", "rockets", "missile", "mortar",
                             "explosion", "bomb", "ied"})),
    ("clash", frozenset({"clash", "clashes", "battle", "fighting", "firefight", "attack", "ambush",
                         "raid", "combat"})),
    ("confrontation", frozenset({"confrontation", "standoff", "incident", "skirmish"})),
    ("offensive", frozenset({"offensive", "advance", "assault", "invasion", "operation", "siege"})),
    ("deployment", frozenset({"deployment", "buildup", "reinforcement", "reinforcements", "troops",
                              "withdrawal", "convoy"})),
    ("displacement", frozenset({"displacement", "refugees", "refugee", "evacuation", "humanitarian",
                                "aid"})),
    ("threat", frozenset({"threat", "threats", "ultimatum", "warning"})),
    ("statement", frozenset({"statement", "speech", "declaration", "appeal", "announcement",
                             "accusation", "interview"})),
    ("agreement", frozenset({"agreement", "ceasefire", "deal", "treaty", "truce", "accord"})),
    ("diplomacy", frozenset({"diplomacy", "diplomatic", "talks", "call", "meeting", "summit",
                             "negotiation", "negotiations", "visit"})),
    ("pressure", frozenset({"pressure", "protest", "protests", "politics", "political", "election",
                            "parliament", "vote"})),
)
DEFAULT_ICON = "event"
STATUS_ICONS = {status: status for status in ("confirmed", "reported", "claimed", "disputed")}
DEFAULT_STATUS_ICON = "status"

# Bar flags, shared with reader.js (bit values are part of the index format).
OPEN_START, OPEN_END, POINT, APPROXIMATE, UNCERTAIN = 1, 2, 4, 8, 16
BAR_FLAGS = "flags: 1 open start, 2 open end, 4 one day, 8 approximate, 16 uncertain"


def type_icon(type_id: str) -> str:
    words = set(type_id.split("-"))
    for icon, keywords in ICON_RULES:
        if words & keywords:
            return icon
    return DEFAULT_ICON


def status_icon(status: str) -> str:
    return STATUS_ICONS.get(status, DEFAULT_STATUS_ICON)


@dataclass(frozen=True)
class DateBar:
    """Where an event's possible dates fall on the track of its timeline group.

    The track is the group's month, one cell a day, or its year, one cell a month, when only the year
    is known. A bar that runs off the track (open or unknown end, or a span into another month)
    says so with open_start / open_end, drawn as a fade.
    """

    cells: int
    start: int
    end: int
    flags: int

    @property
    def classes(self) -> str:
        names = [f"tl-bar--from-{self.start}", f"tl-bar--to-{self.end}",
                 "tl-bar--point" if self.flags & POINT else "tl-bar--span"]
        for flag, name in ((OPEN_START, "open-start"), (OPEN_END, "open-end"),
                           (APPROXIMATE, "approximate"), (UNCERTAIN, "uncertain")):
            if self.flags & flag:
                names.append(f"tl-bar--{name}")
        return " ".join(names)

    def as_list(self) -> list[int]:
        return [self.cells, self.start, self.end, self.flags]


def date_bar(when: EventDate) -> DateBar:
    anchor = when.start or when.end
    assert anchor is not None
    # Compared as (year, month, day) numbers, not dates: BCE years have no `date`.
    if anchor.precision == "year":  # year only: the track is the year's months
        cells = 12
        first, last = (anchor.year, 1, 1), (anchor.year, 12, 31)

        def cell(day: tuple[int, int, int]) -> int:
            return day[1]
    else:
        month = anchor.month or 1
        cells = days_in_month(anchor.year, month)
        first, last = (anchor.year, month, 1), (anchor.year, month, cells)

        def cell(day: tuple[int, int, int]) -> int:
            return day[2]
    earliest = when.start.first if when.start else None
    latest = when.end.last if when.end else None
    flags = 0
    if earliest is None or earliest < first:
        flags |= OPEN_START
        start = 1
    else:
        start = cell(earliest)
    if latest is None or latest > last:
        flags |= OPEN_END
        end = cells
    else:
        end = cell(latest)
    if earliest is not None and earliest == latest:
        flags |= POINT
    if when.approximate:
        flags |= APPROXIMATE
    if when.uncertain:
        flags |= UNCERTAIN
    return DateBar(cells, start, max(start, end), flags)


def span_note(when: EventDate) -> str:
    """The length of a closed range, so a reader sees its span ('3 days'); empty otherwise."""
    if not when.interval or when.earliest is None or when.latest is None:
        return ""
    days = (when.latest - when.earliest).days + 1
    if days < 62:
        return f"{days} days"
    months = round(days / 30.44)
    if months < 24:
        return f"about {months} months"
    return f"about {round(days / 365.25)} years"


def date_explanation(when: EventDate) -> str:
    """One sentence saying how exact the date is, for the event page."""
    parts: list[str] = []
    if when.interval:
        if when.start is None:
            parts.append("The start is not known: at some point up to the end given.")
        elif when.end is None:
            parts.append("The end is not known: from the start given, for an unknown time.")
        else:
            note = span_note(when)
            parts.append(f"At some point within this range ({note})." if note else
                         "At some point within this range.")
    elif when.precision == "month":
        parts.append("The day is not known.")
    elif when.precision == "year":
        parts.append("The month and day are not known.")
    if when.approximate:
        parts.append("Approximate: the date may be a little earlier or later.")
    if when.uncertain:
        parts.append("Uncertain: the source's date may be wrong.")
    return " ".join(parts)


def date_words(text: str) -> str:
    """A content date (EDTF, already validated) as a reader says it: '2020-02?' -> 'possibly February 2020'."""
    return parse_date(text).label()


def group_label(month_key: str) -> str:
    # A month key (YYYY, YYYY-MM, -0500, Y-13800000000) is itself an EDTF date of that precision.
    return parse_date(month_key).month_label


def text_direction(lang: str) -> str:
    return "rtl" if lang.split("-")[0].lower() in RTL_LANGUAGES else "auto"


def place_chain_ids(catalog: Catalog, event: Event) -> list[str]:
    if not event.place or event.place not in catalog.places:
        return []
    return [place.id for place in catalog.place_chain(catalog.places[event.place])]


def entry_data(catalog: Catalog, event: Event) -> dict[str, str]:
    """data-* attributes of a timeline entry: what a script needs to filter the static list."""
    when = event.when
    return {
        "data-id": event.id,
        "data-type": event.type,
        "data-status": event.status,
        "data-place": " ".join(place_chain_ids(catalog, event)),
        "data-actors": " ".join(dict.fromkeys(a.actor for a in event.actors)),
        "data-tags": " ".join(dict.fromkeys(event.tags)),
        "data-earliest": when.earliest.isoformat() if when.earliest else "",
        "data-latest": when.latest.isoformat() if when.latest else "",
    }


def shared_actors(event: Event, other: Event) -> list[str]:
    mine = {a.actor for a in event.actors}
    return list(dict.fromkeys(a.actor for a in other.actors if a.actor in mine))


@dataclass(frozen=True)
class CitedSource:
    """One source of an event with every place the event cites it (locators once each, in order)."""
    source: str
    citations: tuple[SourceCitation, ...]

    @property
    def locators(self) -> list[str]:
        return list(dict.fromkeys(c.locator for c in self.citations if c.locator))


def cited_sources(event: Event) -> list[CitedSource]:
    """The event's sources once each, in the order first cited: four citations of one article are
    one entry of the sources list ("¶3, ¶8, ¶16"), not four entries that look like four sources."""
    grouped: dict[str, list[SourceCitation]] = {}
    for citation in event.sources:
        grouped.setdefault(citation.source, []).append(citation)
    return [CitedSource(source, tuple(items)) for source, items in grouped.items()]


@dataclass(frozen=True)
class Coverage:
    start: DatePoint
    end: DatePoint

    @property
    def years(self) -> str:
        first, last = self.start.year_label, self.end.year_label
        return first if first == last else f"{first}–{last}"


def coverage(catalog: Catalog) -> Coverage | None:
    """The first and last known dates of the timeline (open ends do not stretch it), for the home page."""
    starts = [p for e in catalog.timeline for p in (e.when.start or e.when.end,) if p is not None]
    ends = [p for e in catalog.timeline for p in (e.when.end or e.when.start,) if p is not None]
    if not starts:
        return None
    return Coverage(min(starts, key=lambda p: (p.first, p.last)),
                    max(ends, key=lambda p: (p.last, p.first)))


def unique_events(entries: list[tuple[Event, str]]) -> list[Event]:
    """An actor's events once each, in timeline order (an actor can have two roles in one event)."""
    return list({event.id: event for event, _ in entries}.values())


def roles_by_event(entries: list[tuple[Event, str]], vocabulary: Vocabulary) -> dict[str, str]:
    """Event id -> the actor's roles in it, as labels ("Initiator, Commander")."""
    roles: dict[str, list[str]] = {}
    for event, role in entries:
        term = vocabulary.actor_roles.get(role)
        roles.setdefault(event.id, []).append(term.label if term else role)
    return {event_id: ", ".join(dict.fromkeys(labels)) for event_id, labels in roles.items()}


def relative_order(event: Event, other: Event, pairs: set[tuple[str, str]]) -> int:
    """-1 when `other` certainly came before `event` (by dates or a relation), 1 after, else 0."""
    if certainly_before(other, event) or (other.id, event.id) in pairs:
        return -1
    if certainly_before(event, other) or (event.id, other.id) in pairs:
        return 1
    return 0


def page_count(total: int, size: int) -> int:
    return max(1, -(-total // size))


def template_globals() -> dict[str, Any]:
    return {
        "date_bar": date_bar,
        "span_note": span_note,
        "date_explanation": date_explanation,
        "date_words": date_words,
        "type_icon": type_icon,
        "status_icon": status_icon,
        "entry_data": entry_data,
        "shared_actors": shared_actors,
        "cited_sources": cited_sources,
        "coverage": coverage,
        "unique_events": unique_events,
        "roles_by_event": roles_by_event,
        "page_count": page_count,
        "order_note": order_note,
        "page_order_note": page_order_note,
        "text_direction": text_direction,
        "index_url": urls.data_url(INDEX_NAME),
    }


# -- the filter index ----------------------------------------------------------------------------

def timeline_index(catalog: Catalog) -> dict[str, Any]:
    """Every live event in timeline order, with lookup tables, in a compact row format.

    Strings that repeat (names, labels, dates) are stored once and referred to by position, so the
    file stays small at 10,000 events; `fields` documents each row's layout for other readers.
    """
    vocab = catalog.vocabulary
    type_ids = list(vocab.event_types)
    status_ids = list(vocab.statuses)
    actor_ids = list(catalog.actors)
    place_ids = list(catalog.places)
    tags = sorted({tag for event in catalog.timeline for tag in event.tags})
    actor_pos = {a: i for i, a in enumerate(actor_ids)}
    place_pos = {p: i for i, p in enumerate(place_ids)}
    tag_pos = {t: i for i, t in enumerate(tags)}
    type_pos = {t: i for i, t in enumerate(type_ids)}
    status_pos = {s: i for i, s in enumerate(status_ids)}

    groups: list[str] = []
    group_pos: dict[str, int] = {}
    dates: list[list[Any]] = []
    date_pos: dict[str, int] = {}
    rows: list[list[Any]] = []
    for event in catalog.timeline:
        date_index = date_pos.get(event.date)
        if date_index is None:  # each distinct date is described once
            when = event.when
            key = when.month_key
            if key not in group_pos:
                group_pos[key] = len(groups)
                groups.append(key)
            date_index = date_pos[event.date] = len(dates)
            dates.append([
                when.label(),
                when.earliest.isoformat() if when.earliest else "",
                when.latest.isoformat() if when.latest else "",
                group_pos[key],
                date_bar(when).as_list(),
                span_note(when),
                start_iso(when),
                1 if when.is_fuzzy else 0,
            ])
        involved = [item.actor for item in event.actors]
        rows.append([
            event.id,
            event.title,
            date_index,
            type_pos[event.type],
            status_pos[event.status],
            place_pos.get(event.place, -1) if event.place else -1,
            [actor_pos[a] for a in dict.fromkeys(involved)],
            [tag_pos[t] for t in dict.fromkeys(event.tags)],
            event.time or "",
        ])
    return {
        "version": INDEX_VERSION,
        "fields": {
            "events": ["id", "title", "date", "type", "status", "place", "actors", "tags", "time"],
            "dates": ["label", "earliest", "latest", "group", "bar", "span", "datetime", "fuzzy"],
            "bar": ["cells", "start", "end", BAR_FLAGS],
            "types": ["id", "label", "icon"],
            "statuses": ["id", "label", "icon", "definition"],
            "actors": ["id", "name"],
            "places": ["id", "name", "within (position or -1)"],
            "groups": ["key", "label", "order note (what the order within the group rests on, or empty)"],
        },
        "types": [[t, vocab.event_types[t].label, type_icon(t)] for t in type_ids],
        "statuses": [[s, vocab.statuses[s].label, status_icon(s), vocab.statuses[s].definition]
                     for s in status_ids],
        "actors": [[a, catalog.actors[a].name] for a in actor_ids],
        "places": [[p, catalog.places[p].name, place_pos.get(catalog.places[p].within or "", -1)]
                   for p in place_ids],
        "tags": tags,
        "groups": [[key, group_label(key), order_note(catalog, key, group_label(key))] for key in groups],
        "dates": dates,
        "events": rows,
    }


def start_iso(when: EventDate) -> str:
    """The machine-readable date of a <time> element: the first known end of the range."""
    point = when.start or when.end
    return point.iso() if point else ""


def json_bytes(value: Any) -> bytes:
    """Compact, deterministic JSON; <, >, & and U+2028/9 escaped so the text is also safe to inline."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text.encode("utf-8")


def reader_files(catalog: Catalog) -> list[tuple[str, bytes]]:
    """(site path, bytes) of the filter index, the search's filter labels and the reader assets."""
    files = [(urls.data_url(INDEX_NAME), json_bytes(timeline_index(catalog))),
             (f"{ASSET_FOLDER}/{SEARCH_LABELS_NAME}", json_bytes(search_labels(catalog)))]
    for name in STATIC_ASSETS:
        files.append((f"{ASSET_FOLDER}/{name}", (STATIC_DIR / name).read_bytes()))
    files.append((PAGE_CSS, (STATIC_DIR / "timeline.css").read_bytes()))
    return files
