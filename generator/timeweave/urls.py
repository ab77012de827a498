"""Every URL the site publishes, built in one place so permanence can be checked in one place.

URLs are site-relative directory paths without a leading slash ("events/<id>/"); the home page
is "". Each page also has a source path (its Markdown file in the generated docs).
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote

from timeweave.kinds import KIND_BY_URL_FOLDER, KINDS

PAGE_FOLDERS = {kind.name: kind.url_folder for kind in KINDS}


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
DATA_PAGE_URL = "data/"  # the open-data page (site/datapage.py)
CONTRIBUTING_URL = "contributing/"  # the contributor's guide, when mkdocs.yml names it (contributing.py)
# The section index pages; each is a folder's index.md in the generated docs.
SECTION_URLS = (timeline_url(), *(index_url(kind.name) for kind in KINDS if kind.has_index_page),
                TYPES_URL, TAGS_URL)
_SECTION_STEMS = frozenset(url.rstrip("/") for url in SECTION_URLS)


def src_uri(url: str) -> str:
    """The Markdown source of a directory URL: 'events/x/' -> 'events/x.md', '' -> 'index.md'."""
    if url == "":
        return "index.md"
    stem = url.rstrip("/")
    if stem in _SECTION_STEMS:
        return f"{stem}/index.md"
    return f"{stem}.md"


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at from_url to to_url that works from disk and from any base path."""
    if to_url.endswith("/") or to_url == "":
        target = _relpath(to_url or ".", from_url or ".")
        return "./" if target == "." else target + "/"
    return _relpath(to_url, from_url or ".")


# -- permanence and citation ------------------------------------------------------------------
# Published URL paths (the manifest's form) have a leading slash: "/" is the home page,
# "/events/<id>/" an event. Site-relative URLs above have none.

SITEMAP_URL = "sitemap.xml"
CITE_SCRIPT_URL = "assets/timeline-cite.js"
# Citation files: one per format for each year of the timeline (each month of a busy year), holding
# every event of it (one file per event and format would be three files beside every page). An
# event page's download link fetches that file and saves the event's own entry, named after it.
CITE_FORMATS = {"bibtex": "bib", "ris": "ris", "csl": "csl.json"}


def cite_file_url(period: str, fmt: str) -> str:
    """period: a year ('2020') or a month ('2020-02'), as the timeline's month keys write them."""
    return data_url(f"citations/{period}.{CITE_FORMATS[fmt]}")


def cite_download_name(event_id: str, fmt: str) -> str:
    """What an event's own entry is saved as."""
    return f"{event_id}.{CITE_FORMATS[fmt]}"


def redirect_file(url: str) -> str:
    """The file that answers a directory URL on any static host."""
    return f"{url}index.html"


def url_path(url: str) -> str:
    """Site-relative URL -> published URL path: 'events/x/' -> '/events/x/', '' -> '/'."""
    return "/" + url


def record_of_path(path: str) -> tuple[str, str] | None:
    """'/events/x/' -> ('event', 'x'); None for a URL path that is not a record page."""
    parts = path.strip("/").split("/")
    if len(parts) == 2 and parts[0] in KIND_BY_URL_FOLDER and path.endswith("/"):
        return KIND_BY_URL_FOLDER[parts[0]].name, parts[1]
    return None


def doc_page_url(src_uri: str) -> str:
    """The directory URL MkDocs gives a hand-written page: 'about.md' -> 'about/', 'x/index.md' -> 'x/'."""
    stem = src_uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def absolute(site_url: str | None, url: str) -> str:
    """The permalink of a site-relative URL: absolute under site_url, else its URL path."""
    if not site_url:
        return url_path(url)
    return site_url.rstrip("/") + "/" + url


def wikidata_url(qid: str) -> str:
    return f"https://www.wikidata.org/wiki/{qid}"


# Where a forge shows one version of one file; {repo} is repo_url without a trailing slash.
_VERSION_URL_BY_HOST = {
    "github.com": "{repo}/blob/{commit}/{path}",
    "gitlab.com": "{repo}/-/blob/{commit}/{path}",
    "codeberg.org": "{repo}/src/commit/{commit}/{path}",
    "bitbucket.org": "{repo}/src/{commit}/{path}",
}


def version_url(repo_url: str | None, template: str | None, commit: str, path: str) -> str | None:
    """The repository page of `path` as of `commit`; None when the forge is unknown and no template is set."""
    if not repo_url and not template:
        return None
    repo = (repo_url or "").rstrip("/")
    if not template:
        host = repo.split("://", 1)[-1].split("/", 1)[0].lower()
        template = _VERSION_URL_BY_HOST.get(host)
        if template is None:
            return None
    return template.format(repo=repo, commit=commit, path=quote(path))


def _relpath(path: str, start: str) -> str:
    """posixpath.relpath for the site-relative URLs above, without its two getcwd() system calls
    and abspath() per link (a large share of page generation)."""
    if path.startswith("/") or start.startswith("/") or ".." in path or ".." in start:
        return posixpath.relpath(path, start)
    to_parts = [part for part in path.split("/") if part and part != "."]
    from_parts = [part for part in start.split("/") if part and part != "."]
    common = 0
    for a, b in zip(to_parts, from_parts, strict=False):  # the common start only
        if a != b:
            break
        common += 1
    parts = [".."] * (len(from_parts) - common) + to_parts[common:]
    return "/".join(parts) if parts else "."
