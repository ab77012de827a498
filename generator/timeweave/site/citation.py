"""Citations of an event page: APA, Chicago, Wikipedia {{cite web}}, BibTeX, RIS and CSL-JSON.

One CSL-JSON record per event (csl_item) is the citation: citeproc-py renders APA and Chicago
from it with the official styles (cslrender.py), and BibTeX and RIS are written from its fields,
so no format can say what another does not. The site is the page's group author and is named
once: as container-title and publisher as well, citeproc's APA printed it two or three times.

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
from typing import Any

from timeweave.content.dates import EventDate
from timeweave.site.cslrender import APA, CHICAGO, Styled, render

__all__ = ["CitationData", "Styled", "apa", "bibtex", "chicago", "csl_item", "csl_json", "ris", "wikipedia"]

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
    accessed: str | None = None  # ISO day the page was read, when the one citing knows it (never the build's)
    tags: tuple[str, ...] = ()

    @property
    def updated_day(self) -> date | None:
        return date.fromisoformat(self.updated[:10]) if self.updated else None

    @property
    def short_version(self) -> str | None:
        return self.version[:7] if self.version else None


_BREAKS = re.compile("[\x00-\x20\x7f-\x9f\u2028\u2029\\s]+")


def one_line(value: str) -> str:
    """Control characters (Cc) and line or paragraph separators (Zl, Zp) become single spaces:
    every format here is line-based."""
    return _BREAKS.sub(" ", value).strip()


def apa(d: CitationData) -> Styled:
    """APA 7 (the official apa.csl), rendered by citeproc-py from the event's CSL-JSON record."""
    return render(csl_item(d), APA)


def chicago(d: CitationData) -> str:
    """Chicago author-date (the official chicago-author-date.csl), rendered by citeproc-py from
    the event's CSL-JSON record."""
    return render(csl_item(d), CHICAGO).text


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


def _issued(item: dict[str, Any]) -> date | None:
    issued = item.get("issued")
    if not issued:
        return None
    year, month, day = issued["date-parts"][0]
    return date(year, month, day)


def _author(item: dict[str, Any]) -> str:
    return str(item["author"][0]["literal"])


def bibtex(d: CitationData) -> str:
    """The CSL-JSON record as a biblatex @online entry's fields (in a @misc, which BibTeX reads too)."""
    item = csl_item(d)
    fields: list[tuple[str, str]] = [
        ("title", "{" + bibtex_text(item["title"]) + "}"),  # inner braces keep the title's capitals
        ("author", "{" + bibtex_text(_author(item)) + "}"),  # braced: a group author, not first and last names
        ("howpublished", "\\url{" + bibtex_url(item["URL"]) + "}"),
        ("url", bibtex_url(item["URL"])),
    ]
    day = _issued(item)
    if day:
        fields += [("year", str(day.year)), ("date", day.isoformat())]
    if "version" in item:
        fields.append(("version", item["version"]))
    if d.accessed:
        fields.append(("urldate", d.accessed))
    notes = [f"Event dated {bibtex_text(d.event_date.label())}"]
    if day and d.short_version:
        notes.append(f"version {d.short_version} of {day.isoformat()}")
    if d.withdrawn:
        notes.append(f"withdrawn on {d.withdrawn}")
    fields.append(("note", "; ".join(notes)))
    if "custom" in item:
        fields.append(("archiveurl", bibtex_url(item["custom"]["archive_url"])))
    if "keyword" in item:
        fields.append(("keywords", bibtex_text(item["keyword"])))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    month = f",\n  month = {_BIBTEX_MONTHS[day.month - 1]}" if day else ""
    return f"@misc{{{item['id']},\n{body}{month}\n}}\n"


def ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {one_line(value)}"


def ris(d: CitationData) -> str:
    """The CSL-JSON record as one RIS record (ELEC, an electronic source)."""
    item = csl_item(d)
    lines = [ris_line("TY", "ELEC"), ris_line("ID", item["id"]), ris_line("TI", item["title"]),
             ris_line("AU", _author(item)), ris_line("UR", item["URL"])]
    day = _issued(item)
    if day:
        lines += [ris_line("PY", str(day.year)), ris_line("DA", day.strftime("%Y/%m/%d/"))]
    if "version" in item:
        lines.append(ris_line("ET", item["version"]))
    if d.accessed:
        lines.append(ris_line("Y2", d.accessed.replace("-", "/") + "/"))
    notes = [f"Event dated {d.event_date.label()}."]
    if day and d.short_version:
        notes.append(f"Version {d.short_version} of {day.isoformat()}.")
    if d.withdrawn:
        notes.append(f"Withdrawn on {d.withdrawn}.")
    lines.append(ris_line("N1", " ".join(notes)))
    if "custom" in item:
        lines.append(ris_line("L2", item["custom"]["archive_url"]))
    lines += [ris_line("KW", tag) for tag in d.tags]
    lines.append("ER  - ")
    return "\n".join(lines) + "\n"


def _day_parts(day: str) -> dict[str, Any]:
    value = date.fromisoformat(day[:10])
    return {"date-parts": [[value.year, value.month, value.day]]}


def csl_item(d: CitationData) -> dict[str, Any]:
    """The event's one CSL-JSON record (the CSL schema's csl-data item), which every format uses.
    The archived copy goes in `custom` (archive_url, archive_date): the schema has no `archive_url`
    and allows no property it does not name, and in `archive_location` (a shelf mark) the styles
    print it as text (Chicago capitalizes it: "Https://..."); `archive`, the archive's name, is
    not recorded by events. The event's own date is in the note, not in `event-date`: with no
    `issued`, citeproc's Chicago takes that year for the page's."""
    item: dict[str, Any] = {
        "id": d.id, "type": "webpage", "title": one_line(d.title),
        "author": [{"literal": one_line(d.site_name)}], "URL": d.url,
    }
    if d.updated:
        item["issued"] = _day_parts(d.updated)
    if d.accessed:
        item["accessed"] = _day_parts(d.accessed)
    if d.version:
        item["version"] = d.version
    if d.archive_url:
        item["custom"] = {"archive_url": d.archive_url, **({"archive_date": d.archive_date} if d.archive_date else {})}
    notes = [f"Event dated {d.event_date.label()}."]
    if d.withdrawn:
        notes.append(f"Withdrawn on {d.withdrawn}.")
    item["note"] = " ".join(notes)
    if d.tags:
        item["keyword"] = ", ".join(d.tags)
    return item


def csl_json(*cited: CitationData) -> str:
    """A CSL-JSON file: a list of items (one per event), as Zotero, Pandoc and citeproc read it;
    an item per line, since indenting every key made a month's file a fifth larger."""
    items = [json.dumps(csl_item(d), ensure_ascii=False, sort_keys=True, separators=(",", ":")) for d in cited]
    return "[\n" + ",\n".join(items) + "\n]\n" if items else "[]\n"
