"""Internal link and anchor check over a built site.

Every href/src/srcset in every HTML page that stays inside the site must name a file that exists
(a directory URL means its index.html) and, when it has a #fragment, an element of that page with
that id (or an <a name>). Links to other sites are not fetched: the build has no network, and a
source going offline is not a broken build. `mkdocs build --strict` only validates links written
in Markdown between .md files; this sees the finished HTML, so it also covers links written by the
templates, the theme and raw HTML, and anchors generated from headings.

Pages are read by an HTML5 parser (Lexbor, through selectolax): it reads a page in C, where the
check is otherwise a large share of a build, and it reads tags as a browser does: never inside
comments, scripts, styles or a <template>'s contents, and inside inline SVG. It gives no line
numbers, so a page with a broken link is read a second time, with regular expressions, only to
say on which line each broken link is (`link_lines`). tests/output/test_linkcheck.py compares
both readings with the standard library's HTMLParser on the fixture sites and the real one. The
runner may read a large site's pages in two processes: each page is independent.
"""

from __future__ import annotations

import functools
import json
import os
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from timeweave.parallel.runner import SERIAL, Runner

_ORIGIN = "http://site.invalid"
_LINK_ATTRIBUTES = {
    "a": ("href",), "area": ("href",), "link": ("href",), "script": ("src",), "img": ("src", "srcset"),
    "source": ("src", "srcset"), "iframe": ("src",), "video": ("src", "poster"), "audio": ("src",),
    "track": ("src",), "embed": ("src",), "object": ("data",), "form": ("action",),
}


@dataclass(frozen=True, order=True)
class BrokenLink:
    page: str     # the HTML file, relative to the site folder
    line: int
    target: str   # the link as written
    reason: str

    def format(self) -> str:
        return f"{self.page}:{self.line}: {self.target}: {self.reason}"


# A start tag: its name, then its attributes (quoted values may hold '>').
_TAG = re.compile(r"""<([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")


# Every element that may hold an anchor or a link this check follows. Lexbor gives an element
# once for each selector it matches.
_WANTED = ",".join(["[id]", "a[name]"] + [f"{tag}[{attribute}]" for tag, attributes in _LINK_ATTRIBUTES.items()
                                          for attribute in attributes])


def scan_page(page: str) -> tuple[set[str], list[str]]:
    """The ids (and <a name>s) of an HTML page, and its links in the order they appear."""
    ids: set[str] = set()
    links: list[str] = []
    seen: set[int] = set()
    for node in LexborHTMLParser(page).css(_WANTED):
        if node.mem_id in seen:
            continue
        seen.add(node.mem_id)
        tag = node.tag or ""
        wanted = _LINK_ATTRIBUTES.get(tag, ())
        for attribute, value in node.attributes.items():
            if value is None:
                continue
            if attribute == "id" or (attribute == "name" and tag == "a"):
                ids.add(value)
            elif attribute not in wanted:
                continue
            elif attribute == "srcset":
                links.extend(url for url in (candidate.strip().split(" ")[0] for candidate in value.split(","))
                             if url)
            else:
                links.append(value)
    return ids, links


def link_lines(page: str) -> tuple[set[str], list[tuple[int, str]]]:
    """The ids (and <a name>s) of an HTML page, and its links with their line numbers, read
    with regular expressions: where scan_page found a broken link, this says on which line."""
    ids: set[str] = set()
    links: list[tuple[int, str]] = []
    page = _without_inert_parts(page)
    line, counted = 1, 0
    for tag in _TAG.finditer(page):
        name = tag.group(1).lower()
        wanted = _LINK_ATTRIBUTES.get(name, ())
        attributes = tag.group(2)
        if not wanted and "id" not in attributes.lower():
            continue
        line += page.count("\n", counted, tag.start())
        counted = tag.start()
        for found in _ATTRIBUTE.finditer(attributes):
            attribute = found.group(1).lower()
            if attribute != "id" and attribute not in wanted and not (attribute == "name" and name == "a"):
                continue
            raw = found.group(2) if found.group(2) is not None else (
                found.group(3) if found.group(3) is not None else found.group(4))
            if raw is None:
                continue
            value = unescape(raw) if "&" in raw else raw
            if attribute == "id" or attribute == "name":
                ids.add(value)
            elif attribute == "srcset":
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0]
                    if url:
                        links.append((line, url))
            else:
                links.append((line, value))
    return ids, links


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


# Comments and the text of scripts and styles hold no tags; inline icons hold no link or id this
# check follows. Blanked with their newlines kept, so line numbers stay right.
_INERT = re.compile(r"<!--.*?-->|(<(svg|script|style)\b[^>]*>)(.*?)(</\2\s*>)", re.S | re.I)


def _blank(match: re.Match[str]) -> str:
    if match.group(1) is None:  # a comment
        return "\n" * match.group(0).count("\n")
    return match.group(1) + "\n" * match.group(3).count("\n") + match.group(4)


def _without_inert_parts(page: str) -> str:
    return _INERT.sub(_blank, page)


@functools.lru_cache(maxsize=1 << 16)
def _resolved_in_folder(directory_url: str, link: str, base: str) -> tuple[str, str] | None:
    return _internal_path(directory_url, link, base)


def _climbed(directory_url: str, link: str) -> tuple[str, str]:
    """(folder, link) naming what (directory_url, link) names, with the link's leading `../`
    taken into the folder: every event page sits in a folder of its own, and the theme's links
    from each of them (`../../assets/...`) name the same files."""
    rest = link
    while rest.startswith("../"):
        rest = rest[3:]
    if rest == link or rest.startswith("/"):  # nothing climbed, or an empty segment urljoin keeps
        return directory_url, link
    folder = directory_url
    for _ in range((len(link) - len(rest)) // 3):
        if folder != "/":  # above the root stays at the root, as in urljoin
            folder = folder[:folder.rindex("/", 0, len(folder) - 1) + 1]
    return folder, rest or "./"  # "../" names the folder itself


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


# What one page holds for the check: its ids, and its internal links as
# (link as written, site path, fragment), in the order they appear; links to other sites are left out.
PageLinks = tuple[set[str], list[tuple[str, str, str]]]


def read_page(relative: str, html: str, base: str = "/") -> PageLinks:
    """Scan one page and resolve its links; needs nothing but the page, so it can run while the
    rest of the site is still being written (see PageReader)."""
    ids, links = scan_page(html)
    page_url = base + relative
    directory_url = page_url.rsplit("/", 1)[0] + "/"
    internal_links: list[tuple[str, str, str]] = []
    for link in links:
        if link[:1] in ("", "#", "?"):  # resolved against the page itself
            internal = _internal_path(page_url, link, base)
        else:  # resolved against the folder it climbs to: the same for many pages, so cached
            internal = _resolved_in_folder(*_climbed(directory_url, link), base)
        if internal is not None:
            internal_links.append((link, internal[0], internal[1]))
    return ids, internal_links


def _read_files(site: Path, pages: list[str], base: str) -> list[PageLinks]:
    return [read_page(page, (site / page).read_text(encoding="utf-8", errors="replace"), base)
            for page in pages]


# In the PageReader's process: what it has read so far. The check itself runs there too, after the
# build, and only the broken links come back: the links and ids of every page, sent back to the
# build process, would take much of its memory on a large timeline.
_READ_IN_WORKER: dict[str, PageLinks] = {}


def links_to_text(links: PageLinks) -> str:
    """A page's ids and links as JSON, kept beside the page in the page cache."""
    return json.dumps([sorted(links[0]), links[1]], ensure_ascii=False)


def links_from_text(text: str) -> PageLinks:
    ids, links = json.loads(text)
    return set(ids), [(link, path, fragment) for link, path, fragment in links]


def _read_many(pages: list[tuple[str, str | None, str | None]], base: str) -> None:
    """Each (page, its HTML, where to keep what was read) or (page, None, what was read before)."""
    for relative, html, extra in pages:
        if html is None:
            assert extra is not None
            _READ_IN_WORKER[relative] = links_from_text(extra)
            continue
        read = _READ_IN_WORKER[relative] = read_page(relative, html, base)
        if extra is not None:
            Path(extra).write_text(links_to_text(read), encoding="utf-8")


def _texts_in_worker(pages: list[str]) -> dict[str, str]:
    return {page: links_to_text(_READ_IN_WORKER[page]) for page in pages if page in _READ_IN_WORKER}


def _check_in_worker(site: Path, site_url: str | None, unfinished: str | None) -> tuple[list[BrokenLink], Unfinished]:
    try:
        return check_site_but(site, unfinished, site_url=site_url, already_read=_READ_IN_WORKER)
    finally:  # the reader may have run in this very process: the next build starts afresh
        _READ_IN_WORKER.clear()


class PageReader:
    """Reads pages as they are written, in the runner's helper (with a forked runner, a second
    process while MkDocs writes the others; MkDocs uses one core): the builder hands each page's
    final HTML here, and check then reads only the files nobody handed over."""

    def __init__(self, runner: Runner, base: str = "/") -> None:
        self._worker = runner.helper(functools.partial(_read_many, base=base), 64)

    def add_page(self, relative: str, html: str, keep: Path | None = None) -> None:
        """Read a page; keep: a file to write what was read to (the page cache's)."""
        self._worker.add((relative, html, str(keep) if keep is not None else None))

    def add_read(self, relative: str, links: str) -> None:
        """A page read before, as links_to_text gave it (the page cache's)."""
        self._worker.add((relative, None, links))

    def wait(self) -> None:
        """Until every page handed over was read (and what was read, kept)."""
        self._worker.finish()

    def texts(self, pages: list[str]) -> dict[str, str]:
        """What was read of these pages (those handed over), as links_to_text gives it: for
        another reader's add_read."""
        self._worker.finish()
        found: dict[str, str] = self._worker.call(functools.partial(_texts_in_worker, pages))
        return found

    def check(self, site: Path, site_url: str | None = None) -> list[BrokenLink]:
        """check_site(site), run where the pages were read, with the pages read there."""
        return self.check_but(site, None, site_url)()[0]

    def check_but(self, site: Path, unfinished: str | None,
                  site_url: str | None = None) -> Callable[[], tuple[list[BrokenLink], Unfinished]]:
        """check_site_but(site, unfinished), begun now where the pages were read (the reader's
        process, with a forked runner), with the pages read there; call the result for its
        findings, once this process has done what it does meanwhile."""
        try:
            self._worker.finish()
            waiting = self._worker.call_later(functools.partial(_check_in_worker, Path(site), site_url, unfinished))
        except BaseException:
            self._worker.close()
            raise

        def findings() -> tuple[list[BrokenLink], Unfinished]:
            try:
                broken, later = waiting()
                return list(broken), later
            finally:
                self._worker.close()

        return findings

    def close(self) -> None:
        self._worker.close()


def site_base(site_url: str | None) -> str:
    """The path the site is served under: '/' or '/archive/'."""
    return "/" + (urlsplit(site_url).path.strip("/") + "/" if site_url else "").lstrip("/")


def check_site(site: Path, runner: Runner = SERIAL, site_url: str | None = None,
               already_read: Mapping[str, PageLinks] | None = None) -> list[BrokenLink]:
    """Every broken internal link and anchor of the site in site_dir, sorted by page and line.
    site_url (mkdocs.yml's) gives the path the site is served under. already_read: pages a
    PageReader read as they were written, with exactly the HTML now in their files. The runner
    may read part of the pages elsewhere."""
    return check_site_but(site, None, runner, site_url, already_read)[0]


# The links into a folder still being written when the rest of the site was checked, by the path
# they name: (page, link as written, fragment) each, in the pages' order; check_unfinished checks them.
Unfinished = dict[str, list[tuple[str, str, str]]]


def _site_files(site: Path, leaving_out: str | None = None) -> frozenset[str]:
    """Every file below site (relative, '/'-separated), but for the top folder leaving_out, never
    entered: what is written there meanwhile (and removed) is not walked."""
    found: list[str] = []
    for folder, folders, names in os.walk(site):
        relative = Path(folder).relative_to(site).as_posix()
        if relative == ".":
            folders[:] = [name for name in folders if name != leaving_out]
        prefix = "" if relative == "." else relative + "/"
        found += [prefix + name for name in names if os.path.isfile(os.path.join(folder, name))]
    return frozenset(found)


def _within(name: str, folder: str | None) -> bool:
    return folder is not None and (name == folder or name.startswith(folder + "/"))


def check_site_but(site: Path, unfinished: str | None, runner: Runner = SERIAL, site_url: str | None = None,
                   already_read: Mapping[str, PageLinks] | None = None) -> tuple[list[BrokenLink], Unfinished]:
    """check_site, but for the top folder `unfinished`, still being written: its files are not
    read, and the links into it are returned instead of checked."""
    site = Path(site)
    base = site_base(site_url)
    files = _site_files(site, unfinished)
    pages = sorted(name for name in files if name.endswith(".html"))
    read = {page: already_read[page] for page in pages if already_read and page in already_read}
    unread = [page for page in pages if page not in read]

    def read_here(share: list[str]) -> list[PageLinks]:
        return _read_files(site, share, base)

    read.update(zip(unread, runner.share(unread, read_here, read_here, lambda links: links), strict=True))
    broken: list[BrokenLink] = []
    later: Unfinished = {}
    for page in pages:
        found: list[tuple[str, str]] = []  # (link, reason) in the page's order
        for link, path, fragment in read[page][1]:
            # A path that names the folder holds its name (normalizing only takes segments out).
            if unfinished is not None and unfinished in path and _within(
                    posixpath.normpath("/" + path.lstrip("/")).lstrip("/"), unfinished):
                later.setdefault(path, []).append((page, link, fragment))
                continue
            target = _target_file(files, path)
            if target is None:
                found.append((link, "no such page or file in the site"))
            elif fragment and target.endswith(".html") and fragment not in read[target][0]:
                found.append((link, f"no element with id '{fragment}' in {target}"))
        if found:
            broken += _located(page, (site / page).read_text(encoding="utf-8", errors="replace"), found)
    return sorted(broken), later


def check_unfinished(site: Path, folder: str, later: Unfinished) -> list[BrokenLink] | None:
    """What check_site_but left for `folder`, now that it is written: the broken links into it.
    None when the folder holds HTML pages: their links and ids were not read, and check_site
    has to check the whole site again."""
    site = Path(site)
    files = frozenset(f"{folder}/{name}" for name in _site_files(site / folder))
    if any(name.endswith(".html") for name in files):
        return None
    found: dict[str, list[tuple[str, str]]] = {}
    for path, links in later.items():
        if _target_file(files, path) is not None:
            continue  # no page in the folder: no fragment to look for
        for page, link, _fragment in links:
            found.setdefault(page, []).append((link, "no such page or file in the site"))
    broken: list[BrokenLink] = []
    for page, page_found in found.items():
        broken += _located(page, (site / page).read_text(encoding="utf-8", errors="replace"), page_found)
    return sorted(broken)


def _located(page: str, html: str, found: list[tuple[str, str]]) -> list[BrokenLink]:
    """The broken links of one page, (link, reason) in the page's order, with their lines. A
    link broken once is broken wherever the page has it (it resolves the same), so the n-th
    broken link to a target is the n-th link to it that link_lines reads."""
    lines: dict[str, list[int]] = {}
    for line, link in link_lines(html)[1]:
        lines.setdefault(link, []).append(line)
    seen: dict[str, int] = {}
    located = []
    for link, reason in found:
        count = seen[link] = seen.get(link, -1) + 1
        known = lines.get(link) or [1 + html.count("\n", 0, max(html.find(link), 0))]
        located.append(BrokenLink(page, known[min(count, len(known) - 1)], link, reason))
    return located


class BrokenLinks(Exception):
    """Raised by the build when the staged site has broken internal links (it is not published)."""

    def __init__(self, broken: list[BrokenLink], site: Path):
        self.broken = broken
        super().__init__(format_report(broken, site))


def format_report(broken: list[BrokenLink], site: Path) -> str:
    lines = [link.format() for link in broken]
    lines.append(f"{len(broken)} broken internal link(s) in {site}/")
    return "\n".join(lines)
