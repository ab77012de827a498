"""What a record page says about itself: permalink, versions from git, citations, page metadata.

PageRenderer holds one Provenance and exposes it to templates as `provenance`; the "Cite this
event" and "Versions" sections (templates/_permanence.md.j2) and the page metadata the theme
turns into JSON-LD, Open Graph and sitemap dates all come from here, so they cannot disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from markupsafe import escape

from timeweave import urls
from timeweave.catalog.catalog import Catalog
from timeweave.content.fields import KIND_LABELS
from timeweave.content.history import Change, FileHistory, History
from timeweave.content.models import Actor, Event, Place, Record, Source
from timeweave.kinds import KIND_BY_NAME
from timeweave.site import citation, structured

HISTORY_SHOWN = 10  # changes listed on a page; the rest are counted, so a page's size stays bounded


@dataclass(frozen=True)
class VersionLink:
    change: Change
    href: str | None  # that version of the file in the repository, when repo_url is known


@dataclass(frozen=True)
class Versions:
    first: Change
    last: Change
    shown: tuple[VersionLink, ...]
    earlier: int  # changes not listed


@dataclass(frozen=True)
class CiteView:
    permalink: str
    absolute: bool
    data: citation.CitationData
    apa: citation.Styled
    chicago: str
    wikipedia: tuple[str, str]
    version_href: str | None
    downloads: tuple[tuple[str, str, str], ...]  # (label, site-relative URL, file name)
    period: str = ""  # what the download files hold: "2020" or "February 2020" (cite_period)


def search_record(kind: str, type_id: str, *, status: str | None = None, status_label: str | None = None,
                  date: str | None = None) -> dict[str, str]:
    """What the site's search filters by and shows for a record page (the theme writes it as
    Pagefind's filters and metadata): its kind and type id, and for events its status id, the
    status's label and the date in words. Filters are ids, which can hold no markup."""
    record = {"kind": kind, "type": type_id}
    for key, value in (("status", status), ("status_label", status_label), ("date", date)):
        if value:
            record[key] = value
    return record


def search_labels(catalog: Catalog) -> dict[str, dict[str, str]]:
    """filter name -> id -> label, for every filter value search_record gives. The search box shows
    these (assets/timeline-search.js, as text) in place of the ids Pagefind's filter panel lists."""
    vocab = catalog.vocabulary
    return {
        "kind": {"event": "Event", "actor": "Actor", "place": "Place", "source": "Source"},
        "type": {**KIND_LABELS, **{key: term.label for key, term in vocab.event_types.items()}},
        "status": {key: term.label for key, term in vocab.statuses.items()},
    }


# At most this many events in a year's citation file; a busier year has one file per month.
CITE_FILE_EVENTS = 200
_MONTH = re.compile(r".+-\d\d")


def cite_year(month_key: str) -> str:
    """The year of a month key ('2020-02' -> '2020'); a year-only key ('2020', '-0500') is one."""
    return month_key[:-3] if _MONTH.fullmatch(month_key) else month_key


def monthly_years(catalog: Catalog) -> frozenset[str]:
    """The years whose citations are filed by month: those with more than CITE_FILE_EVENTS live events."""
    sizes: dict[str, int] = {}
    for event in catalog.events.values():
        if event.merged_into is None:
            year = cite_year(event.when.month_key)
            sizes[year] = sizes.get(year, 0) + 1
    return frozenset(year for year, size in sizes.items() if size > CITE_FILE_EVENTS)


class Provenance:
    def __init__(self, catalog: Catalog, site_name: str, site_url: str | None = None,
                 repo_url: str | None = None, version_url: str | None = None,
                 history: History | None = None):
        self.catalog = catalog
        self.site_name = site_name
        self.site_url = site_url or None
        self.repo_url = repo_url or None
        self.version_url_template = version_url or None
        self.history = history or History(False, "not read")
        # Each event's history and citations are used by its page, its metadata and its files.
        self._histories: dict[tuple[str, str], FileHistory | None] = {}
        self._cites: dict[str, CiteView] = {}
        self._monthly_years: frozenset[str] | None = None

    # -- addresses -------------------------------------------------------------------------------

    def permalink(self, url: str) -> str:
        return urls.absolute(self.site_url, url)

    @property
    def absolute(self) -> bool:
        return self.site_url is not None

    # -- versions --------------------------------------------------------------------------------

    def file_history(self, record: Record, kind: str) -> FileHistory | None:
        """The record's file history, joined with files deleted under a former id (a rename git
        did not detect as one)."""
        if not self.history.available:
            return None
        key = (kind, record.id)
        if key not in self._histories:
            former = []
            if record.former_ids:
                parent = PurePosixPath(record.path).parent
                folder = str(parent.parent if KIND_BY_NAME[kind].year_folders else parent)
                former = [found[0] for old in record.former_ids
                          if (found := self.history.deleted(folder, old)) is not None]
            self._histories[key] = self.history.of(record.path, former)
        return self._histories[key]

    def change_href(self, change: Change) -> str | None:
        return urls.version_url(self.repo_url, self.version_url_template, change.commit,
                                self.history.repo_path(change.path))

    def versions(self, record: Record, kind: str = "event") -> Versions | None:
        found = self.file_history(record, kind)
        if found is None:
            return None
        shown = tuple(VersionLink(c, self.change_href(c)) for c in found.changes[:HISTORY_SHOWN])
        return Versions(found.first, found.last, shown, max(0, len(found.changes) - HISTORY_SHOWN))

    def modified(self, record: Record, kind: str) -> str | None:
        found = self.file_history(record, kind)
        return found.last.date if found else None

    # -- citation --------------------------------------------------------------------------------

    def citation_data(self, event: Event) -> citation.CitationData:
        found = self.file_history(event, "event")
        return citation.CitationData(
            id=event.id, title=event.title, url=self.permalink(urls.event_url(event.id)),
            site_name=self.site_name, event_date=event.when,
            updated=found.last.date if found else None, version=found.last.commit if found else None,
            archive_url=event.archive.url if event.archive else None,
            archive_date=event.archive.date if event.archive else None,
            withdrawn=event.withdrawn.date if event.withdrawn else None, tags=tuple(event.tags),
        )

    def cite(self, event: Event) -> CiteView:
        if event.id in self._cites:
            return self._cites[event.id]
        data = self.citation_data(event)
        found = self.file_history(event, "event")
        period = self.cite_period(event)
        downloads = tuple(
            (label, urls.cite_file_url(period, fmt), urls.cite_download_name(event.id, fmt))
            for fmt, label in (("bibtex", "BibTeX"), ("ris", "RIS"), ("csl", "CSL-JSON"))
        )
        view = self._cites[event.id] = CiteView(
            permalink=data.url, absolute=self.absolute, data=data, apa=citation.apa(data),
            chicago=citation.chicago(data), wikipedia=citation.wikipedia(data),
            version_href=self.change_href(found.last) if found else None, downloads=downloads,
            period=event.when.month_label if period == event.when.month_key else period,
        )
        return view

    def cite_period(self, event: Event) -> str:
        """Which citation file holds the event: its year's, or its month's when the year has more
        than CITE_FILE_EVENTS live events (a download fetches the whole file)."""
        if self._monthly_years is None:
            self._monthly_years = monthly_years(self.catalog)
        month = event.when.month_key
        return month if cite_year(month) in self._monthly_years else cite_year(month)

    def cite_files(self, events: Iterable[Event]) -> list[tuple[str, str]]:
        """The citation files of these events: per period (cite_period) and format, their entries
        in the given order (a BibTeX or RIS file of several entries, a CSL-JSON list of items)."""
        # Not through cite(): the files need no APA or Chicago text, and citeproc is the costly part.
        periods: dict[str, list[citation.CitationData]] = {}
        for event in events:
            periods.setdefault(self.cite_period(event), []).append(self.citation_data(event))
        files = []
        for month, cited in sorted(periods.items()):
            files += [(urls.cite_file_url(month, "bibtex"), "\n".join(citation.bibtex(d) for d in cited)),
                      (urls.cite_file_url(month, "ris"), "\n".join(citation.ris(d) for d in cited)),
                      (urls.cite_file_url(month, "csl"), citation.csl_json(*cited))]
        return files

    # -- page metadata (front matter, read by the theme) -----------------------------------------

    def _meta(self, description: str, modified: str | None, jsonld: dict[str, Any] | None) -> dict[str, Any]:
        # Material prints page.meta.description into an attribute unescaped, as it does the title.
        meta: dict[str, Any] = {"description": str(escape(description)), "tl_og_type": "article"}
        if modified:
            meta["tl_modified"] = modified
        if jsonld is not None:
            meta["tl_jsonld"] = structured.script_json(jsonld)
        return meta

    def event_meta(self, event: Event) -> dict[str, Any]:
        modified = self.modified(event, "event")
        jsonld = None
        if event.withdrawn is None:
            jsonld = structured.event_jsonld(event, self.catalog, self.permalink, modified)
        meta = self._meta(structured.event_description(event, self.catalog), modified, jsonld)
        meta["tl_cite"] = True
        vocab = self.catalog.vocabulary
        meta["tl_search"] = search_record("event", event.type, status=event.status,
                                          status_label=vocab.statuses[event.status].label, date=event.when.label())
        if event.withdrawn is not None:
            # A tombstone stays reachable for whoever cited it, but is not offered to new readers.
            meta.update({"tl_noindex": True, "tl_sitemap": False, "search": {"exclude": True}})
        return meta

    def actor_meta(self, actor: Actor) -> dict[str, Any]:
        modified = self.modified(actor, "actor")
        count = len(self.catalog.actor_events.get(actor.id, []))
        description = f"{actor.name}: {actor.kind.replace('-', ' ')}, {count} event(s) in the timeline."
        meta = self._meta(description, modified, structured.actor_jsonld(actor, self.permalink, modified))
        meta["tl_search"] = search_record("actor", actor.kind)
        return meta

    def place_meta(self, place: Place) -> dict[str, Any]:
        count = len(self.catalog.place_events_within.get(place.id, []))
        description = f"{place.name}: {place.kind}, {count} event(s) in the timeline."
        meta = self._meta(description, self.modified(place, "place"), structured.place_jsonld(place, self.permalink))
        meta["tl_search"] = search_record("place", place.kind)
        return meta

    def source_meta(self, source: Source) -> dict[str, Any]:
        count = len(self.catalog.source_events.get(source.id, []))
        description = f"{source.title}: {source.kind.replace('-', ' ')} cited by {count} event(s)."
        meta = self._meta(description, self.modified(source, "source"),
                          structured.source_jsonld(source, self.permalink))
        meta["tl_search"] = search_record("source", source.kind)
        return meta
