"""Links in an account to the site's own pages, checked against the pages the site will have.

The built site's link check finds a relative link to a page that does not exist too, but only
after the whole build, and it names a line of generated HTML. Checked here, with the known pages
(records, their redirects, the hand-written pages, sections, tags, types and months), `validate`
names the content file and line. A link to a file ('x.md', 'map.png') is the body policy's, and a
later page of a list ('page/2/') is not checked: how many there are depends on the page size.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterable
from urllib.parse import unquote

from timeweave import urls
from timeweave.catalog.catalog import Catalog
from timeweave.content.records import LoadResult, RawRecord
from timeweave.errors import ContentError
from timeweave.kinds import KIND_BY_URL_FOLDER

# Where a link's destination is in Markdown or in the raw HTML an account may hold: an inline
# link, a reference definition (not a footnote's, '[^note]: text'), an href attribute.
_DESTINATION = re.compile(
    r"\]\(\s*(?P<inline><[^>\n]*>|[^)\s]+)"
    r"|^ {0,3}\[(?!\^)[^\]\n]+\]:[ \t]*\n?[ \t]*(?P<reference><[^>\n]*>|\S+)"
    r"|<a\s[^>]*?\bhref\s*=\s*(?:\"(?P<double>[^\"]*)\"|'(?P<single>[^']*)'|(?P<bare>[^\s>]+))",
    re.M | re.I)
# Code shows a link's text without making one: fenced blocks and code spans are blanked (their
# newlines kept, so lines still count) before links are looked for.
_CODE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n(?:.*?\n)?? {0,3}\1[`~]*[ \t]*$|(`+)(?!`).+?(?<!`)\2(?!`)",
                   re.M | re.S)
_MAYBE_LINK = re.compile(r"\]\(|\]:|href", re.I)
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
_HINT = "link to a page of the site by its URL, e.g. ../other-event-id/ from an event's account"


def listed_pages(catalog: Catalog) -> set[str]:
    """The pages made from values rather than from records or files, as URL paths: a tag's, an
    event type's, a month's (as site/pages.py makes them, from the live events)."""
    live = [event for event in catalog.events.values() if event.live]
    found = {urls.type_url(type_id) for type_id in catalog.vocabulary.event_types}
    found.update(urls.tag_url(tag) for event in live for tag in event.tags)
    found.update(urls.month_url(event.when.month_key) for event in live)
    return {urls.url_path(url) for url in found}


def record_pages(loaded: LoadResult) -> set[str]:
    """The record pages and redirects content too broken for a catalog would still give, from its
    files: every file's id (those that failed to load too) and former ids."""
    found = {urls.record_url(record.kind, record.id) for record in loaded.records}
    found.update(urls.record_url(kind, record_id) for kind, record_id in loaded.unreadable)
    for record in loaded.records:
        former = record.data.get("former_ids")
        if isinstance(former, list):
            found.update(urls.record_url(record.kind, item) for item in former if isinstance(item, str))
    return {urls.url_path(url) for url in found}


def body_link_problems(records: Iterable[RawRecord], known: set[str], *,
                       only_records: bool = False) -> list[ContentError]:
    """Every relative link of every account that resolves to no page in known (URL paths as the
    published-URL manifest writes them: '/events/x/'). only_records: judge only links to record
    pages (known then lists no other page: see record_pages)."""
    problems: list[ContentError] = []
    by_folder: dict[str, list[str]] = {}
    for path in known:
        parts = path.strip("/").split("/")
        if len(parts) == 2:
            by_folder.setdefault(parts[0], []).append(parts[1])
    for record in records:
        body = record.body
        if not _MAYBE_LINK.search(body):  # most accounts: one search, no copy of the text
            continue
        page = urls.url_path(urls.record_url(record.kind, record.id))
        if "`" in body or "~~~" in body:
            body = _CODE.sub(lambda code: re.sub(r"[^\n]", " ", code.group()), body)
        for match in _DESTINATION.finditer(body):
            raw = next(group for group in match.groups() if group is not None)
            found = _problem(raw, page, known, by_folder, only_records)
            if found is not None:
                line = record.body_line + body.count("\n", 0, match.start(match.lastgroup or 0))
                problems.append(ContentError(record.path, line, "body", found[0], found[1]))
    return problems


def _problem(raw: str, page: str, known: set[str], by_folder: dict[str, list[str]],
             only_records: bool) -> tuple[str, str] | None:
    link = html.unescape(raw[1:-1] if raw.startswith("<") and raw.endswith(">") else raw).strip()
    if not link or _SCHEME.match(link) or link.startswith(("#", "?", "/")):
        return None  # another site, this page, or a path from a root that depends on where the site is served
    path = unquote(link.split("#", 1)[0].split("?", 1)[0])
    if not path or "." in path.rstrip("/").rsplit("/", 1)[-1].strip("."):
        return None
    parts = page.strip("/").split("/")
    for part in path.split("/"):
        if part == "..":
            if not parts:
                return (f"link '{link[:60]}' goes above the site's home page",
                        "count the '../': from an event's account, ../other-event-id/ is another event")
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    target = "/" + "".join(f"{part}/" for part in parts)
    paged = len(parts) >= 2 and parts[-2] == "page" and parts[-1].isdigit()  # a list's later pages
    record_page = len(parts) == 2 and parts[0] in KIND_BY_URL_FOLDER
    if target in known or paged or (only_records and not record_page):
        return None
    hint = _HINT
    if record_page:
        close = difflib.get_close_matches(parts[1], by_folder.get(parts[0], []), n=1, cutoff=0.6)
        if close:
            fixed = link.replace(parts[1], close[0], 1) if parts[1] in link else f"/{parts[0]}/{close[0]}/"
            hint = f"did you mean '{fixed}'?"
    return f"link '{link[:60]}' goes to {target}, which is no page of this site", hint
