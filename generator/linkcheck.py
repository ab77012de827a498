"""Internal link and anchor check over a built site, with the standard library's HTML parser.

Every href/src/srcset in every HTML page that stays inside the site must name a file that exists
(a directory URL means its index.html) and, when it has a #fragment, an element of that page with
that id (or an <a name>). Links to other sites are not fetched: the build has no network, and a
source going offline is not a broken build. `mkdocs build --strict` only validates links written
in Markdown between .md files; this sees the finished HTML, so it also covers links written by the
templates, the theme and raw HTML, and anchors generated from headings.

Large sites are parsed in a process pool: the parse dominates and each page is independent.
"""

from __future__ import annotations

import os
import posixpath
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

_ORIGIN = "http://site.invalid"
_LINK_ATTRIBUTES = {
    "a": ("href",), "area": ("href",), "link": ("href",), "script": ("src",), "img": ("src", "srcset"),
    "source": ("src", "srcset"), "iframe": ("src",), "video": ("src", "poster"), "audio": ("src",),
    "track": ("src",), "embed": ("src",), "object": ("data",), "form": ("action",),
}
_POOL_FROM = 400  # pages; below this a process pool costs more than it saves


@dataclass(frozen=True, order=True)
class BrokenLink:
    page: str     # the HTML file, relative to the site folder
    line: int
    target: str   # the link as written
    reason: str

    def format(self) -> str:
        return f"{self.page}:{self.line}: {self.target}: {self.reason}"


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = _LINK_ATTRIBUTES.get(tag, ())
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name in wanted:
                if name == "srcset":
                    for candidate in value.split(","):
                        url = candidate.strip().split(" ")[0]
                        if url:
                            self.links.append((self.getpos()[0], url))
                else:
                    self.links.append((self.getpos()[0], value))

    handle_startendtag = handle_starttag


def _internal_path(page_url: str, link: str, base: str = "/") -> tuple[str, str] | None:
    """(site path, fragment) of a link that stays in the site, None for other sites and schemes.
    base is the path the site is served under (site_url's path): MkDocs writes absolute links
    such as /archive/assets/... into 404.html when the site lives at https://host/archive/."""
    link = link.strip()
    if not link or link.startswith("//"):
        return None
    try:
        parts = urlsplit(link)
        if parts.scheme or parts.netloc:
            return None
        resolved = urlsplit(urljoin(_ORIGIN + page_url, link))
    except ValueError:  # a malformed [IPv6] host
        return "\0", ""
    path = unquote(resolved.path)
    if not path.startswith(base):
        return "\0", ""  # outside the site: never a file of it
    return "/" + path[len(base):], unquote(resolved.fragment)


# Inline icons and script bodies hold no link or id this check follows, yet are a fifth of a
# Material page's tags; blanking them (newlines kept, for line numbers) saves a fifth of the parse.
_INERT = re.compile(r"(<(svg|script)\b[^>]*>)(.*?)(</\2>)", re.S | re.I)


def _without_inert_parts(page: str) -> str:
    return _INERT.sub(lambda m: m.group(1) + "\n" * m.group(3).count("\n") + m.group(4), page)


def _target_file(files: frozenset[str], path: str) -> str | None:
    """The site file a path names (a directory means its index.html), from the set of files."""
    trailing = path.endswith("/")
    normal = posixpath.normpath("/" + path.lstrip("/")).lstrip("/")
    if normal in ("", "."):
        normal = ""
    if normal.startswith(".."):
        return None  # above the site root: not published
    if not trailing and normal in files:
        return normal
    index = posixpath.join(normal, "index.html") if normal else "index.html"
    return index if index in files else None


def _scan(site: Path, relative: str, files: frozenset[str], base: str = "/"
          ) -> tuple[str, set[str], list[tuple[int, str, str, str]], list[BrokenLink]]:
    """One page: its ids, its links that carry a fragment (checked once every page is known), and
    the links whose file does not exist."""
    scanner = _Scanner()
    page_url = base + relative
    fragments: list[tuple[int, str, str, str]] = []
    broken: list[BrokenLink] = []
    try:
        scanner.feed(_without_inert_parts((site / relative).read_text(encoding="utf-8", errors="replace")))
        scanner.close()
    except (AssertionError, ValueError, IndexError) as exc:  # html.parser asserts on some markup
        broken.append(BrokenLink(relative, scanner.getpos()[0], "", f"the page cannot be parsed: {exc}"))
    for line, link in scanner.links:
        internal = _internal_path(page_url, link, base)
        if internal is None:
            continue
        path, fragment = internal
        target = _target_file(files, path)
        if target is None:
            broken.append(BrokenLink(relative, line, link, "no such page or file in the site"))
        elif fragment and target.endswith(".html"):
            fragments.append((line, link, target, fragment))
    return relative, scanner.ids, fragments, broken


def _scan_many(site: Path, pages: list[str], files: frozenset[str], base: str = "/"
               ) -> list[tuple[str, set[str], list[tuple[int, str, str, str]], list[BrokenLink]]]:
    return [_scan(site, page, files, base) for page in pages]


def check_site(site: Path, workers: int | None = None, site_url: str | None = None) -> list[BrokenLink]:
    """Every broken internal link and anchor of the site in site_dir, sorted by page and line.
    site_url (mkdocs.yml's) gives the path the site is served under."""
    site = Path(site)
    base = "/" + (urlsplit(site_url).path.strip("/") + "/" if site_url else "").lstrip("/")
    files = frozenset(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    pages = sorted(name for name in files if name.endswith(".html"))
    workers = workers or min(os.cpu_count() or 1, 8)
    if len(pages) < _POOL_FROM or workers == 1:
        results = _scan_many(site, pages, files, base)
    else:
        chunks = [pages[i::workers * 4] for i in range(workers * 4)]
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = [item for part in pool.map(_scan_many, [site] * len(chunks), chunks,
                                                 [files] * len(chunks), [base] * len(chunks))
                       for item in part]
    ids = {page: page_ids for page, page_ids, _, _ in results}
    broken = [link for _, _, _, page_broken in results for link in page_broken]
    for page, _, fragments, _ in results:
        for line, link, target, fragment in fragments:
            if fragment not in ids.get(target, set()):
                broken.append(BrokenLink(page, line, link, f"no element with id '{fragment}' in {target}"))
    return sorted(broken)


class BrokenLinks(Exception):
    """Raised by the build when the staged site has broken internal links (it is not published)."""

    def __init__(self, broken: list[BrokenLink], site: Path):
        self.broken = broken
        super().__init__(format_report(broken, site))


def format_report(broken: list[BrokenLink], site: Path) -> str:
    lines = [link.format() for link in broken]
    lines.append(f"{len(broken)} broken internal link(s) in {site}/")
    return "\n".join(lines)
