"""Citations of an event page: APA, Chicago, Wikipedia {{cite web}}, BibTeX, RIS and CSL-JSON (pure).

Every format has its own escaping, because a title is hostile text wherever it lands: BibTeX
counts braces and gives meaning to \\ # $ % & ^ _ ~, RIS is one field a line, and wikitext turns
| [ ] { } < > ' ~ into markup. The date cited is the date of the version (its last commit), never
the build's clock; without git history the citation says "n.d." and names no version.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

from timeweave.content.dates import MONTHS, DatePoint, EventDate

_BIBTEX_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


@dataclass(frozen=True)
class CitationData:
    """What a citation of one event page needs; built by permanence.py from the catalog and git."""

    id: str
    title: str
    url: str  # the permalink: absolute under site_url, else the URL path ("/events/<id>/")
    site_name: str
    event_date: EventDate
    updated: str | None = None  # ISO 8601 date-time of the version cited (its commit), None without git
    version: str | None = None  # the commit hash of that version
    archive_url: str | None = None
    archive_date: str | None = None
    withdrawn: str | None = None  # the withdrawal date, for a tombstone
    tags: tuple[str, ...] = ()

    @property
    def updated_day(self) -> date | None:
        return date.fromisoformat(self.updated[:10]) if self.updated else None

    @property
    def short_version(self) -> str | None:
        return self.version[:7] if self.version else None


@dataclass(frozen=True)
class Styled:
    """A citation whose middle part is set in italics (APA italicizes a web page's title)."""

    before: str
    italic: str
    after: str

    @property
    def text(self) -> str:
        return self.before + self.italic + self.after


_BREAKS = re.compile("[\x00-\x20\x7f-\x9f\u2028\u2029\\s]+")


def one_line(value: str) -> str:
    """Control characters (Cc) and line or paragraph separators (Zl, Zp) become single spaces:
    every format here is line-based."""
    return _BREAKS.sub(" ", value).strip()


def _end(text: str) -> str:
    """Close a title with a period unless it already ends a sentence."""
    return text if text.endswith((".", "?", "!")) else text + "."


def _long_date(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def apa(d: CitationData) -> Styled:
    """APA 7, a page on a website with no author: Title (Version). (Date). Site. URL"""
    title = one_line(d.title)
    day = d.updated_day
    when = f"({day.year}, {MONTHS[day.month - 1]} {day.day})" if day else "(n.d.)"
    if d.short_version:
        after = f" (Version {d.short_version}). "
    else:
        after = _end(title)[len(title):] + " "
    return Styled("", title, f"{after}{when}. {_end(one_line(d.site_name))} {d.url}")


def chicago(d: CitationData) -> str:
    """Chicago notes and bibliography, a web page: “Title.” Site. Version, last modified Date. URL."""
    parts = [f"“{_end(one_line(d.title))}” {_end(one_line(d.site_name))}"]
    day = d.updated_day
    if day and d.short_version:
        parts.append(f"Version {d.short_version}, last modified {_long_date(day)}.")
    elif day:
        parts.append(f"Last modified {_long_date(day)}.")
    parts.append(_end(d.url))
    return " ".join(parts)


# Characters that form markup on their own inside a template parameter. An apostrophe, "_", "~",
# "&" and "=" do not (only runs of them, or an entity's shape, do), so they stay as the reader
# wrote them and the citation shown and copied carries no entity: "coalition's", not "coalition&#39;s".
_WIKITEXT = str.maketrans({"<": "&lt;", ">": "&gt;", "[": "&#91;", "]": "&#93;", "{": "&#123;", "}": "&#125;",
                           "|": "&#124;"})
# Runs of two apostrophes (italics, bold), of "~" (a signature) and of "_" (a magic word such as
# __TOC__) are broken up.
_WIKI_RUNS = re.compile(r"(?<=')(?=')|(?<=~)(?=~)|(?<=_)(?=_)")
_ENTITY_SHAPE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")


def wikitext(value: str) -> str:
    """Text that stays text inside a template parameter: no link, template, tag, bold, signature,
    magic word, entity or parameter separator can be formed from it."""
    text = _ENTITY_SHAPE.sub("&amp;", one_line(value)).translate(_WIKITEXT)
    return _WIKI_RUNS.sub("<nowiki/>", text)


def wikipedia(d: CitationData) -> tuple[str, str]:
    """{{cite web}} split where the access date goes: the reader's browser adds " |access-date=..."
    (cite.js), because the day a reader looked cannot be known when the site is built; without
    JavaScript the parameter is left out, never empty."""
    head = [f"url={d.url}", f"title={wikitext(d.title)}", f"website={wikitext(d.site_name)}"]
    if d.updated:
        head.append(f"date={d.updated[:10]}")
    tail = []
    if d.archive_url and d.archive_date:
        tail += [f"archive-url={d.archive_url}", f"archive-date={d.archive_date}", "url-status=live"]
    before = "{{cite web |" + " |".join(head)
    after = "".join(" |" + item for item in tail) + "}}"
    return before, after


_BIBTEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
           "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "<": r"\ensuremath{<}",
           ">": r"\ensuremath{>}"}
_BIBTEX_PAIRED = str.maketrans({**_BIBTEX, "{": r"\{", "}": r"\}"})
_BIBTEX_UNPAIRED = str.maketrans({**_BIBTEX, "{": r"\textbraceleft{}", "}": r"\textbraceright{}"})
# TeX ligatures that would turn '' into a closing quote, -- into a dash, `` into an opening quote.
_LIGATURES = (("''", "'{}'"), ("--", "-{}-"), ("``", "`{}`"))


def _balanced(value: str) -> bool:
    if "{" not in value and "}" not in value:
        return True
    depth = 0
    for ch in value:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def bibtex_text(value: str) -> str:
    """A field value for BibTeX/biblatex. BibTeX counts braces even after a backslash, so \\{ and
    \\} (what other tools expect) are used only when the text's braces pair up; otherwise
    \\textbraceleft{} and \\textbraceright{} keep the entry intact. TeX's specials are escaped."""
    value = one_line(value)
    text = value.translate(_BIBTEX_PAIRED if _balanced(value) else _BIBTEX_UNPAIRED)
    for pair, safe in _LIGATURES:
        while pair in text:
            text = text.replace(pair, safe)
    return text


_URL_UNSAFE = str.maketrans({ch: f"%{ord(ch):02X}" for ch in "{}\\%# " + "".join(map(chr, range(32)))})


def bibtex_url(url: str) -> str:
    """A URL for a verbatim url field: characters that would unbalance or end the field are
    percent-encoded, which leaves the URL meaning the same."""
    return url.translate(_URL_UNSAFE)


def bibtex(d: CitationData) -> str:
    fields: list[tuple[str, str]] = [
        ("title", "{" + bibtex_text(d.title) + "}"),  # inner braces keep the title's capitals
        ("organization", bibtex_text(d.site_name)),
        ("howpublished", "\\url{" + bibtex_url(d.url) + "}"),
        ("url", bibtex_url(d.url)),
    ]
    day = d.updated_day
    if day:
        fields += [("year", str(day.year)), ("date", day.isoformat())]
    if d.version:
        fields.append(("version", d.version))
    notes = [f"Event dated {bibtex_text(d.event_date.label())}"]
    if day and d.short_version:
        notes.append(f"version {d.short_version} of {day.isoformat()}")
    if d.withdrawn:
        notes.append(f"withdrawn on {d.withdrawn}")
    fields.append(("note", "; ".join(notes)))
    if d.archive_url:
        fields.append(("archiveurl", bibtex_url(d.archive_url)))
    if d.tags:
        fields.append(("keywords", bibtex_text(", ".join(d.tags))))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    month = f",\n  month = {_BIBTEX_MONTHS[day.month - 1]}" if day else ""
    return f"@misc{{{d.id},\n{body}{month}\n}}\n"


def ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {one_line(value)}"


def ris(d: CitationData) -> str:
    lines = [ris_line("TY", "ELEC"), ris_line("ID", d.id), ris_line("TI", d.title),
             ris_line("T2", d.site_name), ris_line("PB", d.site_name), ris_line("UR", d.url)]
    day = d.updated_day
    if day:
        lines += [ris_line("PY", str(day.year)), ris_line("DA", day.strftime("%Y/%m/%d/"))]
    if d.version:
        lines.append(ris_line("ET", d.version))
    notes = [f"Event dated {d.event_date.label()}."]
    if day and d.short_version:
        notes.append(f"Version {d.short_version} of {day.isoformat()}.")
    if d.withdrawn:
        notes.append(f"Withdrawn on {d.withdrawn}.")
    lines.append(ris_line("N1", " ".join(notes)))
    if d.archive_url:
        lines.append(ris_line("L2", d.archive_url))
    lines += [ris_line("KW", tag) for tag in d.tags]
    lines.append("ER  - ")
    return "\n".join(lines) + "\n"


def _date_parts(point: DatePoint) -> list[int]:
    return [point.year] + ([point.month] if point.month else []) + ([point.day] if point.day else [])


def csl_date(when: EventDate) -> dict[str, object]:
    parts = [_date_parts(p) for p in (when.start, when.end) if p is not None]
    if len(parts) == 2 and parts[0] == parts[1]:
        parts = parts[:1]
    value: dict[str, object] = {"date-parts": parts}
    if when.approximate or when.uncertain:
        value["circa"] = True
    return value


def csl_item(d: CitationData) -> dict[str, object]:
    item: dict[str, object] = {
        "id": d.id, "type": "webpage", "title": one_line(d.title),
        "container-title": one_line(d.site_name), "publisher": one_line(d.site_name), "URL": d.url,
        "event-date": csl_date(d.event_date),
    }
    day = d.updated_day
    if day:
        item["issued"] = {"date-parts": [[day.year, day.month, day.day]]}
    if d.version:
        item["version"] = d.version
    if d.archive_url:
        item["archive_location"] = d.archive_url
    notes = [f"Event dated {d.event_date.label()}."]
    if d.withdrawn:
        notes.append(f"Withdrawn on {d.withdrawn}.")
    item["note"] = " ".join(notes)
    if d.tags:
        item["keyword"] = ", ".join(d.tags)
    return item


def csl_json(d: CitationData) -> str:
    """A CSL-JSON file: a list of one item, as Zotero, Pandoc and citeproc read it."""
    return json.dumps([csl_item(d)], ensure_ascii=False, indent=2, sort_keys=True) + "\n"
