"""Strict MkDocs builds of the small fixture site and of the real content, checked in the built HTML:
cross-links both ways, prev/next, the timeline's year and month groups, and the navigation."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from timeweave import urls
from timeweave.catalog.catalog import Catalog, load_catalog

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "small_site"


@dataclass
class Link:
    href: str       # as written
    target: str     # site path it resolves to, e.g. "actors/x/" ("" is the home page)
    classes: tuple[str, ...]
    rel: str


@dataclass
class BuiltPage:
    url: str
    nav: list[str] = field(default_factory=list)           # targets of the primary navigation
    content: list[Link] = field(default_factory=list)      # links inside the article
    headings: list[tuple[str, str]] = field(default_factory=list)  # ("year"|"month"|"event", value)

    def targets(self, css_class: str | None = None, rel: str | None = None) -> list[str]:
        return [link.target for link in self.content
                if (css_class is None or css_class in link.classes) and (rel is None or link.rel == rel)]


class _PageParser(HTMLParser):
    """Collects the primary navigation's links, the article's links and the timeline structure."""

    def __init__(self, page: BuiltPage):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.stack: list[tuple[str, set[str]]] = []
        self.heading: str | None = None
        self.text = ""

    def _inside(self, tag: str, css_class: str) -> bool:
        return any(t == tag and css_class in classes for t, classes in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        classes = set(values.get("class", "").split())
        if tag not in ("br", "img", "input", "meta", "link", "hr", "source", "wbr"):
            self.stack.append((tag, classes))
        if tag in ("h2", "h3") and classes & {"tl-year", "tl-month"}:
            self.heading, self.text = ("year" if "tl-year" in classes else "month"), ""
            if self.heading == "month":
                self.page.headings.append(("month", values.get("id", "").removeprefix("m-")))
        if tag != "a" or "href" not in values:
            return
        href = values["href"]
        if href.startswith(("#", "http:", "https:", "mailto:")):
            return
        target = resolve(self.page.url, href)
        if self._inside("nav", "md-nav--primary") or self._inside("nav", "md-tabs"):
            self.page.nav.append(target)
        elif self._inside("article", "md-content__inner"):
            link = Link(href, target, tuple(sorted(classes)), values.get("rel", ""))
            self.page.content.append(link)
            if "tl-event-link" in classes and self._inside("ol", "tl-list") \
                    and self._inside("div", "tl-timeline"):
                self.page.headings.append(("event", target))

    def handle_endtag(self, tag: str) -> None:
        if self.heading == "year" and tag == "h2":
            self.page.headings.append(("year", self.text.strip()))
        if tag in ("h2", "h3"):
            self.heading = None
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.heading:
            self.text += data


def resolve(page_url: str, href: str) -> str:
    """The site path a relative link points to: 'dir/' for a page, 'dir/file.ext' for a file."""
    path = href.split("#")[0].split("?")[0]
    if not path:
        return page_url
    joined = posixpath.normpath(posixpath.join(page_url, path))
    if joined == ".":
        return ""
    if joined.endswith("/index.html"):
        return joined.removesuffix("index.html")
    last = joined.rsplit("/", 1)[-1]
    return joined if "." in last and not path.endswith("/") else joined + "/"


class Site:
    def __init__(self, folder: Path, project: Path):
        self.folder = folder
        catalog, errors = load_catalog(project / "content", project)
        assert catalog is not None, errors.errors
        self.catalog: Catalog = catalog
        self._pages: dict[str, BuiltPage] = {}

    def exists(self, url: str) -> bool:
        if url == "" or url.endswith("/"):
            return (self.folder / url / "index.html").is_file()
        return (self.folder / url).is_file()

    def page(self, url: str) -> BuiltPage:
        if url not in self._pages:
            page = BuiltPage(url)
            _PageParser(page).feed((self.folder / url / "index.html").read_text(encoding="utf-8"))
            self._pages[url] = page
        return self._pages[url]

    def all_page_urls(self) -> list[str]:
        return sorted(p.parent.relative_to(self.folder).as_posix().removeprefix(".") + "/"
                      if p.parent != self.folder else "" for p in self.folder.rglob("index.html")
                      if "assets" not in p.parts and "search" not in p.parts)


@pytest.fixture(scope="module")
def small(small_site: Path) -> Site:
    return Site(small_site, SMALL)


@pytest.fixture(scope="module")
def real(real_site: Path) -> Site:
    return Site(real_site, ROOT)


# -- checks shared by both sites ---------------------------------------------------------------


def all_event_links(site: Site, url: str) -> list[str]:
    """The event links of a record's page and of the pages that continue its timeline (rel=next)."""
    found: list[str] = []
    while url:
        page = site.page(url)
        found += page.targets("tl-event-link")
        following = page.targets(rel="next")
        url = following[0] if following and following[0].startswith(url.split("page/")[0]) else ""
    return found


def check_cross_links(site: Site) -> int:
    """Every link from an event to its actors, place, sources and related events, and back."""
    c = site.catalog
    checked = 0
    for event in c.timeline:
        url = urls.event_url(event.id)
        page = site.page(url)
        for item in event.actors:
            target = urls.actor_url(item.actor)
            assert target in page.targets("tl-actor"), (url, target)
            assert url in all_event_links(site, target), (target, "does not link back to", url)
            checked += 1
        if event.place:
            target = urls.place_url(event.place)
            assert target in page.targets("tl-place"), (url, target)
            assert url in all_event_links(site, target), (target, url)
            # A place lists its own events and links the places within it, down to the event's.
            chain = c.place_chain(c.places[event.place])
            for inner, outer in zip(chain, chain[1:], strict=False):
                links = site.page(urls.place_url(outer.id)).targets("tl-place")
                assert urls.place_url(inner.id) in links, (outer.id, inner.id)
            checked += 1
        for citation in event.sources:
            target = urls.source_url(citation.source)
            assert target in page.targets("tl-source"), (url, target)
            assert url in site.page(target).targets("tl-event-link"), (target, url)
            checked += 1
        for rel in event.related:
            target = urls.event_url(rel.event)
            assert target in page.targets("tl-event-link"), (url, target)
            assert url in site.page(target).targets("tl-event-link"), (target, "does not link back to", url)
            checked += 1
    return checked


def check_prev_next(site: Site) -> None:
    timeline = [urls.event_url(e.id) for e in site.catalog.timeline]
    for index, url in enumerate(timeline):
        page = site.page(url)
        assert page.targets(rel="prev") == ([timeline[index - 1]] if index else []), url
        assert page.targets(rel="next") == ([timeline[index + 1]] if index + 1 < len(timeline) else []), url


def check_timeline_groups(site: Site) -> None:
    """The timeline pages, read in order: every event once, in order, under its year and month."""
    c = site.catalog
    sequence: list[tuple[str, str]] = []
    url: str | None = urls.timeline_url()
    while url is not None:
        page = site.page(url)
        sequence += page.headings
        following = page.targets(rel="next")
        url = following[0] if following and following[0].startswith("timeline/page/") else None
    events = [value for kind, value in sequence if kind == "event"]
    assert events == [urls.event_url(e.id) for e in c.timeline]
    year = month = None
    for kind, value in sequence:
        if kind == "year":
            year = value
        elif kind == "month":
            month = value
            assert month == year or month.startswith(f"{year}-")  # "2018": year known, month not
        else:
            event = c.events[value.split("/")[1]]
            assert (str(event.when.year), event.when.month_key) == (year, month), value
    months = [value for kind, value in sequence if kind == "month"]
    assert months == sorted(months)


INDEX_PAGES = ["timeline/", "actors/", "places/", "sources/", "types/", "tags/"]


def check_navigation(site: Site) -> None:
    c = site.catalog
    samples = [urls.event_url(next(iter(c.events))), urls.actor_url(next(iter(c.actors))),
               urls.place_url(next(iter(c.places))), urls.source_url(next(iter(c.sources))), "", "timeline/"]
    for url in samples:
        nav = site.page(url).nav
        for index_url in INDEX_PAGES:
            assert index_url in nav, (url, index_url)
        records = [t for t in nav if t.count("/") == 2 and t.split("/")[0] in urls.PAGE_FOLDERS.values()]
        assert records == [], f"record pages in the navigation of {url!r}: {records[:5]}"


def check_internal_links_resolve(site: Site) -> None:
    """Our pages link with raw HTML, which MkDocs' strict mode does not check: check every link here."""
    pages = site.all_page_urls()
    assert len(pages) > 10
    broken = [(url, link.href) for url in pages for link in site.page(url).content
              if not site.exists(link.target)]
    assert broken == []


# -- the small fixture site --------------------------------------------------------------------


def test_small_site_builds_every_page(small: Site) -> None:
    c = small.catalog
    for url in ([urls.event_url(i) for i in c.events] + [urls.actor_url(i) for i in c.actors]
                + [urls.place_url(i) for i in c.places] + [urls.source_url(i) for i in c.sources]
                + INDEX_PAGES + ["", "timeline/page/2/", "timeline/2020-02/", "types/shelling/",
                                 "tags/escalation/"]):
        assert small.exists(url), url


def test_small_site_event_actor_event(small: Site) -> None:
    event = small.page("events/shelling-of-post/")
    # Once in the facts, and again beside the events before and after that share them.
    assert list(dict.fromkeys(event.targets("tl-actor"))) == ["actors/alpha-army/", "actors/beta-leader/"]
    actor = small.page("actors/alpha-army/")
    assert actor.targets("tl-event-link") == ["events/shelling-of-post/"]


def test_small_site_cross_links_both_ways(small: Site) -> None:
    assert check_cross_links(small) == 13  # with the phone call's second source, the Alpha State statement


def test_small_site_related_events_both_directions(small: Site) -> None:
    shelling = small.page("events/shelling-of-post/").targets("tl-event-link")
    # leader-threatens-response "follows" and phone-call is a "response to" the shelling:
    # the shelling's page lists both, from the other side.
    assert {"events/leader-threatens-response/", "events/phone-call/"} <= set(shelling)
    html = (small.folder / "events/shelling-of-post/index.html").read_text(encoding="utf-8")
    assert "Answered by" in html and "Followed by" in html


def test_small_site_prev_next(small: Site) -> None:
    check_prev_next(small)
    # The phone call answers the shelling: after it, though its possible dates begin earlier.
    assert [e.id for e in small.catalog.timeline] == ["leader-threatens-response", "shelling-of-post",
                                                       "phone-call"]


def test_small_site_timeline_grouped_by_year_and_month(small: Site) -> None:
    check_timeline_groups(small)
    assert small.page("timeline/").headings[:2] == [("year", "2020"), ("month", "2020-02")]


def test_small_site_navigation_holds_index_pages_only(small: Site) -> None:
    check_navigation(small)


def test_small_site_internal_links_resolve(small: Site) -> None:
    check_internal_links_resolve(small)


def test_small_site_sanitized_and_escaped(small: Site) -> None:
    html = (small.folder / "events/shelling-of-post/index.html").read_text(encoding="utf-8")
    assert "<title>Shelling of an observation post - Fixture timeline</title>" in html
    assert '<p dir="auto">The report says only "this week".</p>' in html


# -- the real content ----------------------------------------------------------------------------


def test_real_site_has_a_page_per_event(real: Site) -> None:
    for event in real.catalog.timeline:
        assert real.exists(urls.event_url(event.id))


def test_real_site_cross_links_both_ways(real: Site) -> None:
    assert check_cross_links(real) > 2 * len(real.catalog.timeline)


def test_real_site_event_actor_event(real: Site) -> None:
    c = real.catalog
    event = next(e for e in c.timeline if e.actors)
    actor_url = urls.actor_url(event.actors[0].actor)
    assert actor_url in real.page(urls.event_url(event.id)).targets("tl-actor")
    assert urls.event_url(event.id) in real.page(actor_url).targets("tl-event-link")


def test_real_site_prev_next(real: Site) -> None:
    check_prev_next(real)


def test_real_site_timeline_grouped_by_year_and_month(real: Site) -> None:
    check_timeline_groups(real)


def test_real_site_navigation_holds_index_pages_only(real: Site) -> None:
    check_navigation(real)


def test_real_site_internal_links_resolve(real: Site) -> None:
    check_internal_links_resolve(real)


def test_lists_stay_out_of_the_search_index_and_records_stay_in(small_site: Path) -> None:
    import json

    index = json.loads((small_site / "search/search_index.json").read_text("utf-8"))
    pages = {doc["location"].split("#", 1)[0] for doc in index["docs"]}
    assert {"events/shelling-of-post/", "actors/beta-leader/", "places/beta-town/"} <= pages
    lists = ("timeline/", "actors/", "places/", "sources/", "tags/escalation/", "timeline/2020-02/")
    assert not pages & set(lists)
    assert all((small_site / url / "index.html").is_file() for url in lists)  # excluded, not missing


def test_the_themes_icons_are_drawn_by_the_stylesheet_with_its_own_paths(small: Site) -> None:
    """partials/timeline-icon.html: the header's, drawer's and back-to-top icons are empty elements
    that reader.css masks with the theme's own SVG (no inline SVG in every page)."""
    import re
    from urllib.parse import unquote

    import material

    html = (small.folder / "events/shelling-of-post/index.html").read_text("utf-8")
    assert "<svg" not in html
    glyphs = re.findall(r'<span class="tl-glyph tl-glyph--([a-z0-9-]+)"></span>', html)
    # The theme's default logo, in the header and the drawer; its menu and search icons.
    assert sorted(set(glyphs)) == ["library", "magnify", "menu"] and glyphs.count("library") == 2
    css = (small.folder / "assets/timeline/reader.css").read_text("utf-8")
    drawn = dict(re.findall(r'\.tl-glyph--([a-z0-9-]+) \{ --tl-glyph: url\("data:image/svg\+xml,([^"]+)"\); \}', css))
    assert set(glyphs) <= set(drawn)
    icons = Path(material.__file__).parent / "templates" / ".icons" / "material"
    for name, data in drawn.items():
        assert unquote(data) == (icons / f"{name}.svg").read_text("utf-8").strip().replace('"', "'"), name


def test_the_themes_base_script_is_its_own_as_a_file(small: Site) -> None:
    """builders/mkdocs/theme/assets/timeline-base.js is Material's partials/javascripts/base.html
    script, with the page's scope read from its tag, which every page loads instead of inlining it."""
    import re

    import material

    partial = Path(material.__file__).parent / "templates" / "partials" / "javascripts" / "base.html"
    (script,) = re.findall(r"<script>(.*?)</script>", partial.read_text("utf-8"), re.S)
    ours = (ROOT / "generator/timeweave/builders/mkdocs/theme/assets/timeline-base.js").read_text("utf-8")
    assert ours == script.strip().replace('"{{ config.extra.scope | d(base_url) }}"',
                                          'document.currentScript.getAttribute("data-md-scope")') + "\n"
    html = (small.folder / "events/shelling-of-post/index.html").read_text("utf-8")
    assert '<script src="../../assets/timeline-base.js" data-md-scope="../.."></script>' in html
    assert "__md_scope=" not in html


@pytest.mark.parametrize("name", ["nav-item.html", "toc-item.html"])
def test_the_navigations_links_are_the_themes_without_the_span_around_their_text(small: Site, name: str) -> None:
    """partials/nav-item.html and toc-item.html are Material's but for the md-ellipsis span around a
    link's text (kept for a navigation item with a subtitle)."""
    import re

    import material

    theirs = (Path(material.__file__).parent / "templates" / "partials" / name).read_text("utf-8")
    ours = (ROOT / "generator/timeweave/builders/mkdocs/theme/partials" / name).read_text("utf-8")

    def words(template: str) -> list[str]:  # the template's tags and text, comments and layout aside
        body = re.sub(r"\{#.*?#\}", "", template, flags=re.S)
        return [w for w in re.split(r"\s+", body) if w]

    removed = [w for w in words(theirs) if w not in words(ours)]
    assert removed == [] or set(removed) <= {'class="md-ellipsis">'}
    assert words(theirs).count('class="md-ellipsis">') == 1
    assert words(ours).count('class="md-ellipsis">') == (1 if name == "nav-item.html" else 0)
    html = (small.folder / "events/shelling-of-post/index.html").read_text("utf-8")
    links = re.findall(r'<a href="[^"]*" class="md-nav__link">(.*?)</a>', html, re.S)
    assert links and not [link for link in links if "md-ellipsis" in link]
