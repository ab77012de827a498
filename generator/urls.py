"""Every URL the site publishes, built in one place so permanence can be checked in one place.

URLs are site-relative directory paths without a leading slash ("events/<id>/"); the home page
is "". Each page also has a source path (its Markdown file in the generated docs).
"""

from __future__ import annotations

import posixpath

PAGE_FOLDERS = {"event": "events", "actor": "actors", "place": "places", "source": "sources"}


def record_url(kind: str, record_id: str) -> str:
    return f"{PAGE_FOLDERS[kind]}/{record_id}/"


def event_url(event_id: str) -> str:
    return record_url("event", event_id)


def actor_url(actor_id: str) -> str:
    return record_url("actor", actor_id)


def place_url(place_id: str) -> str:
    return record_url("place", place_id)


def source_url(source_id: str) -> str:
    return record_url("source", source_id)


def index_url(kind: str) -> str:
    return f"{PAGE_FOLDERS[kind]}/"


def type_url(type_id: str) -> str:
    return f"types/{type_id}/"


def tag_url(tag: str) -> str:
    return f"tags/{tag}/"


def month_url(month_key: str) -> str:
    return f"timeline/{month_key}/"


def timeline_url(page: int = 1) -> str:
    return "timeline/" if page == 1 else f"timeline/page/{page}/"


def paged_url(base: str, page: int) -> str:
    return base if page == 1 else f"{base}page/{page}/"


def data_url(name: str) -> str:
    return f"data/{name}"


HOME_URL = ""
TYPES_URL = "types/"
TAGS_URL = "tags/"
MAP_URL = "map/"


def src_uri(url: str) -> str:
    """The Markdown source of a directory URL: 'events/x/' -> 'events/x.md', '' -> 'index.md'."""
    if url == "":
        return "index.md"
    stem = url.rstrip("/")
    if stem in ("timeline", "actors", "places", "sources", "types", "tags"):
        return f"{stem}/index.md"
    return f"{stem}.md"


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at from_url to to_url that works from disk and from any base path."""
    if to_url.endswith("/") or to_url == "":
        target = posixpath.relpath(to_url or ".", from_url or ".")
        return "./" if target == "." else target + "/"
    return posixpath.relpath(to_url, from_url or ".")
