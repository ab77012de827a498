"""The reader's site in Debian's chromium: timeline filters over the shared index, the page without
JavaScript, accessibility (axe-core, pinned in package-lock.json), right-to-left names, search, print."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ALL_EVENTS = {"phone-call", "leader-threatens-response", "shelling-of-post"}


def entry_ids(page: Any, scope: str) -> list[str]:
    return page.locator(f"{scope} li.tl-entry:visible").evaluate_all(
        "els => els.map(e => e.getAttribute('data-id'))")


def results(page: Any) -> list[str]:
    return entry_ids(page, ".tl-results")


def status_text(page: Any) -> str:
    return page.locator(".tl-filters__status").inner_text()


def query(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def open_timeline(page: Any, base: str, path: str = "/timeline/") -> None:
    page.goto(base + path)
    page.wait_for_selector(".tl-filters select#tl-filter-actor")


# -- filters ------------------------------------------------------------------------------------

def test_filtering_by_an_actor_shows_exactly_their_events_and_updates_the_url(small_site: Path, serve: Any,
                                                                               page: Any) -> None:
    base = serve(small_site)
    open_timeline(page, base)
    # Page 1 of 2 (page_size 2) holds the threat and the shelling; the phone call answers the shelling, so
    # it comes after it, on page 2.
    assert set(entry_ids(page, ".tl-timeline")) == {"leader-threatens-response", "shelling-of-post"}
    page.select_option("#tl-filter-actor", "alpha-army")
    assert results(page) == ["shelling-of-post"]
    assert page.locator(".tl-timeline").is_hidden()
    assert status_text(page) == "Showing 1 of 3 events."
    assert query(page) == {"actor": ["alpha-army"]}
    assert urlsplit(page.url).path == "/timeline/"
    # Every event shown names the actor; none left out does.
    shown = page.locator(".tl-results li.tl-entry")
    assert shown.locator("a.tl-actor", has_text="Alpha Army").count() == shown.count() == 1

    page.select_option("#tl-filter-actor", "beta-leader")
    assert results(page) == ["leader-threatens-response", "shelling-of-post"]  # one result page: page_size 2
    more = page.locator("button.tl-more")
    assert more.inner_text() == "Show 1 more (1 not shown)"
    more.click()
    assert results(page) == ["leader-threatens-response", "shelling-of-post", "phone-call"]
    assert more.is_hidden()
    assert page.errors == [] and page.blocked == []


def test_loading_a_filtered_url_restores_the_filter(small_site: Path, serve: Any, page: Any) -> None:
    base = serve(small_site)
    open_timeline(page, base, "/timeline/?actor=alpha-army")
    assert page.input_value("#tl-filter-actor") == "alpha-army"
    assert results(page) == ["shelling-of-post"]
    assert status_text(page) == "Showing 1 of 3 events."
    page.reload()
    page.wait_for_selector(".tl-results li.tl-entry")
    assert results(page) == ["shelling-of-post"]
    # The same link works from any page of the timeline.
    open_timeline(page, base, "/timeline/page/2/?actor=beta-leader&status=claimed")
    assert results(page) == ["leader-threatens-response"]
    assert page.input_value("#tl-filter-status") == "claimed"


@pytest.mark.parametrize(("params", "expected"), [
    ("type=shelling", ["shelling-of-post"]),
    ("status=confirmed", ["phone-call"]),
    ("tag=escalation", ["leader-threatens-response", "shelling-of-post"]),
    # A province holds its towns: the shelling in Beta Town is in Beta Province.
    ("place=beta-province", ["leader-threatens-response", "shelling-of-post"]),
    ("place=beta-town", ["shelling-of-post"]),
    ("from=2020-02", ["leader-threatens-response", "shelling-of-post", "phone-call"]),
    ("actor=beta-leader&tag=rhetoric", ["leader-threatens-response"]),
    ("actor=alpha-army&status=confirmed", []),
])
def test_each_facet_filters_the_whole_timeline(small_site: Path, serve: Any, page: Any, params: str,
                                                expected: list[str]) -> None:
    base = serve(small_site)
    page.goto(f"{base}/timeline/?{params}")
    page.wait_for_selector(".tl-filters__status")
    while page.locator("button.tl-more").is_visible():
        page.click("button.tl-more")
    assert results(page) == expected
    assert status_text(page) == f"Showing {len(expected)} of 3 events."


# A range keeps the events certainly inside it; "February 2020" (phone-call) may be any day of it,
# so it is only offered, as one more that may fall in a range of some days.
@pytest.mark.parametrize(("params", "certain", "possible"), [
    ("from=2020-02-06", ["shelling-of-post"], ["shelling-of-post", "phone-call"]),
    ("to=2020-02-02", [], ["phone-call"]),
    ("from=2020-02-04&to=2020-02-04", [], ["leader-threatens-response", "phone-call"]),
    ("from=2020-02-10&to=2020-02-20", ["shelling-of-post"], ["shelling-of-post", "phone-call"]),
])
def test_a_date_range_keeps_what_is_certainly_in_it_and_offers_the_rest(
        small_site: Path, serve: Any, page: Any, params: str, certain: list[str], possible: list[str]) -> None:
    base = serve(small_site)
    page.goto(f"{base}/timeline/?{params}")
    page.wait_for_selector(".tl-filters__status")
    more = len(possible) - len(certain)
    assert results(page) == certain
    assert status_text(page) == f"Showing {len(certain)} of 3 events. {more} more may fall in the date range."
    page.click("button.tl-filters__possible")
    assert results(page) == possible
    assert query(page)["possible"] == ["1"]
    assert status_text(page) == (f"Showing {len(possible)} of 3 events. "
                                 f"Of these, {more} only may fall in the date range.")
    page.goto(page.url)  # the address keeps the choice
    page.wait_for_selector(".tl-filters__status")
    assert results(page) == possible
    page.click("button.tl-filters__possible")
    assert results(page) == certain and "possible" not in query(page)


def test_the_order_within_a_month_follows_the_relations(small_site: Path, serve: Any, page: Any) -> None:
    # phone-call (February, day unknown) answers shelling-of-post (about 10 February): after it,
    # though its possible dates begin earlier and its id sorts first.
    base = serve(small_site)
    page.goto(f"{base}/timeline/")
    ids = entry_ids(page, ".tl-timeline")
    page.goto(f"{base}/timeline/page/2/")
    ids += entry_ids(page, ".tl-timeline")
    assert ids.index("shelling-of-post") < ids.index("phone-call")
    note = page.locator(".tl-month-group .tl-order-note").first.inner_text()
    assert note.startswith("Order within February 2020 is known only from the relations between events")
    open_timeline(page, base, "/timeline/?from=2020")
    while page.locator("button.tl-more").is_visible():
        page.click("button.tl-more")
    assert results(page) == ["leader-threatens-response", "shelling-of-post", "phone-call"]
    assert page.locator(".tl-results .tl-order-note").count() == 1


def test_reset_restores_the_static_list_and_the_address(small_site: Path, serve: Any, page: Any) -> None:
    base = serve(small_site)
    open_timeline(page, base, "/timeline/?actor=alpha-army&tag=escalation#y-2020")
    assert results(page) == ["shelling-of-post"]
    page.click("button.tl-filters__reset")
    assert page.locator(".tl-results").is_hidden()
    assert set(entry_ids(page, ".tl-timeline")) == {"leader-threatens-response", "shelling-of-post"}
    assert urlsplit(page.url).query == "" and urlsplit(page.url).fragment == "y-2020"
    assert status_text(page) == "All 3 events."
    assert page.input_value("#tl-filter-actor") == page.input_value("#tl-filter-tag") == ""


def test_a_link_with_an_unknown_value_says_so(small_site: Path, serve: Any, page: Any) -> None:
    base = serve(small_site)
    open_timeline(page, base, "/timeline/?actor=nobody&type=shelling")
    assert results(page) == ["shelling-of-post"]
    assert "Ignored from the link: actor “nobody”" in page.locator(".tl-filters__note").inner_text()


def test_filters_are_usable_with_the_keyboard(small_site: Path, serve: Any, page: Any) -> None:
    base = serve(small_site)
    open_timeline(page, base)
    page.focus("#tl-filter-type")
    page.keyboard.press("ArrowDown")  # a closed <select> changes value, and fires change, on arrow keys
    assert page.input_value("#tl-filter-type") == "shelling"
    assert query(page) == {"type": ["shelling"]}
    assert results(page) == ["shelling-of-post"]
    # Every control is reached with Tab, in reading order (a date input takes a Tab per part).
    page.locator("button.tl-filters__toggle").focus()
    visited: list[str] = []
    for _ in range(20):
        page.keyboard.press("Tab")
        name = page.evaluate("(e => e.id || e.textContent.trim())(document.activeElement)")
        if not visited or visited[-1] != name:
            visited.append(name)
        if name == "Reset filters":
            break
    assert visited == ["tl-filter-actor", "tl-filter-type", "tl-filter-place", "tl-filter-status",
                       "tl-filter-tag", "tl-filter-from", "tl-filter-to", "Reset filters"]
    page.keyboard.press("Enter")
    assert query(page) == {}
    toggle = page.locator("button.tl-filters__toggle")
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.locator("#tl-filter-actor").is_hidden()
    page.keyboard.press("Space")
    assert toggle.get_attribute("aria-expanded") == "true"


def test_rendered_entries_match_the_static_ones(small_site: Path, serve: Any, page: Any) -> None:
    """reader.js renders results from the index with the same markup as the templates."""
    base = serve(small_site)

    def describe(locator: Any) -> Any:
        return locator.evaluate("""li => {
            const nodes = [li, ...li.querySelectorAll('*')];
            return nodes.map(n => [n.tagName, n.className, n.getAttribute('dir'), n.getAttribute('lang'),
                n.getAttribute('aria-hidden'), n.getAttribute('datetime'), n.getAttribute('title'),
                n.href ? new URL(n.href).pathname : null,
                [...n.attributes].filter(a => a.name.startsWith('data-'))
                    .map(a => a.name + '=' + a.value).join(' '),
                n.children.length ? null : n.textContent]);
        }""")

    for event_id, path in (("shelling-of-post", "/timeline/"), ("phone-call", "/timeline/page/2/"),
                           ("leader-threatens-response", "/timeline/")):
        page.goto(base + path)
        static = describe(page.locator(f".tl-timeline li[data-id={event_id}]"))
        open_timeline(page, base, "/timeline/?from=2020")
        while page.locator("button.tl-more").is_visible():
            page.click("button.tl-more")
        rendered = describe(page.locator(f".tl-results li[data-id={event_id}]"))
        assert rendered == static


def test_without_the_index_the_filters_work_on_the_page_and_say_so(small_site: Path, serve: Any,
                                                                   page: Any) -> None:
    base = serve(small_site)
    page.route("**/data/timeline-index.json", lambda route: route.abort())
    open_timeline(page, base)
    assert "on this page only" in page.locator(".tl-filters__note").inner_text()
    page.select_option("#tl-filter-actor", "beta-leader")
    assert entry_ids(page, ".tl-timeline") == ["leader-threatens-response", "shelling-of-post"]
    page.select_option("#tl-filter-status", "claimed")
    assert entry_ids(page, ".tl-timeline") == ["leader-threatens-response"]
    assert status_text(page) == "Showing 1 of 2 events on this page."


def test_the_timeline_is_complete_without_javascript(small_site: Path, serve: Any, browser: Any) -> None:
    base = serve(small_site)
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        seen: list[str] = []
        url: str | None = base + "/timeline/?actor=alpha-army"  # a shared link still shows everything
        while url:
            tab.goto(url)
            assert tab.locator(".tl-filters").count() == 0
            entries = tab.locator(".tl-timeline li.tl-entry").all()
            seen += [li.get_attribute("data-id") or "" for li in entries]
            assert all(li.is_visible() for li in entries)
            nxt = tab.locator(".tl-pager a[rel=next]")
            url = urljoin(url, nxt.first.get_attribute("href") or "") if nxt.count() else None
        assert sorted(seen) == sorted(ALL_EVENTS)
        assert tab.locator("h2.tl-year").first.is_visible()
    finally:
        context.close()


def test_every_citation_format_shows_under_its_title_without_javascript(small_site: Path, serve: Any,
                                                                          browser: Any) -> None:
    base = serve(small_site)
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(base + "/events/shelling-of-post/")
        assert tab.locator("[role=tab]").count() == 0
        titles = tab.locator(".tl-cite .tl-tabs__title")
        assert titles.all_inner_texts() == ["APA", "Chicago", "Wikipedia", "BibTeX"]
        assert all(t.is_visible() for t in titles.all())
        for block in (".tl-cite-apa", ".tl-cite-chicago", ".tl-cite-wiki", ".tl-cite-bibtex"):
            assert tab.locator(block).is_visible(), block
    finally:
        context.close()


# -- reading -------------------------------------------------------------------------------------

def test_year_and_month_headings_stay_in_view(small_site: Path, serve: Any, page: Any) -> None:
    base = serve(small_site)
    page.set_viewport_size({"width": 390, "height": 400})
    page.goto(base + "/actors/beta-leader/")
    heading = page.locator("h3.tl-month").first
    assert heading.evaluate("h => getComputedStyle(h).position") == "sticky"
    header = page.locator(".md-header").bounding_box()
    assert header is not None
    # Scroll the month's section up under the header: its heading stays just below the header.
    page.locator(".tl-month-group").first.evaluate(
        "(s, top) => window.scrollBy(0, s.getBoundingClientRect().top - top + 30)", header["height"])
    page.wait_for_timeout(100)
    box = heading.bounding_box()
    section = page.locator(".tl-month-group").first.bounding_box()
    assert box is not None and section is not None
    assert section["y"] < header["height"] - 20  # the section's top has scrolled away...
    assert abs(box["y"] - header["height"]) < 2  # ...and its heading has not


def test_uncertain_dates_are_drawn_as_spans(small_site: Path, serve: Any, page: Any) -> None:
    base = serve(small_site)
    page.goto(base + "/timeline/")
    track = page.locator("li[data-id=shelling-of-post] .tl-track")
    bar = track.locator(".tl-bar")
    assert "tl-bar--approximate" in (bar.get_attribute("class") or "")
    t, b = track.bounding_box(), bar.bounding_box()
    assert t is not None and b is not None and b["width"] > 0
    # 10 February on a 29-day track: the dot sits about a third of the way along.
    centre = (b["x"] + b["width"] / 2 - t["x"]) / t["width"]
    assert abs(centre - 9.5 / 29) < 0.03
    page.goto(base + "/timeline/")
    ranged = page.locator("li[data-id=leader-threatens-response]")
    assert ranged.locator(".tl-span-note").inner_text() == "(3 days)"
    t2, b2 = ranged.locator(".tl-track").bounding_box(), ranged.locator(".tl-bar").bounding_box()
    assert abs(b2["width"] / t2["width"] - 3 / 29) < 0.02


def test_statuses_look_different(small_site: Path, serve: Any, page: Any) -> None:
    base = serve(small_site)
    looks = {}
    for status, path in (("confirmed", "/timeline/page/2/"), ("claimed", "/timeline/"),
                         ("reported", "/timeline/")):
        page.goto(base + path)
        entry = page.locator(f"li.tl-entry--{status}").first
        looks[status] = entry.evaluate("""li => {
            const dot = getComputedStyle(li, '::before');
            const badge = getComputedStyle(li.querySelector('.tl-status'));
            return [dot.borderTopStyle, dot.backgroundColor, dot.borderTopColor, badge.color,
                    badge.borderTopStyle];
        }""")
        assert entry.locator(".tl-status").inner_text().strip() == status.capitalize()
    assert len({tuple(v) for v in looks.values()}) == 3
    assert looks["claimed"][0] == "dotted"


def test_type_icons_have_their_label_as_text(small_site: Path, serve: Any, page: Any) -> None:
    base = serve(small_site)
    page.goto(base + "/timeline/page/2/")
    badge = page.locator("li[data-id=phone-call] a.tl-type")
    assert badge.inner_text().strip() == "Diplomacy"
    icon = badge.locator(".tl-icon")
    assert icon.get_attribute("aria-hidden") == "true"
    assert icon.evaluate("i => getComputedStyle(i).maskImage.startsWith('url(\"data:image/svg+xml')")
    size = icon.bounding_box()
    assert size is not None and size["width"] > 8


def test_status_place_and_actors_icons_are_drawn_by_the_stylesheet(small_site: Path, serve: Any,
                                                                    page: Any) -> None:
    # Not an element in each entry: the badge's and the spans' ::before, masked with the icon.
    def drawn(locator: Any) -> dict[str, Any]:
        return locator.evaluate("""e => { const s = getComputedStyle(e, '::before');
            return {mask: s.maskImage.startsWith('url("data:image/svg+xml'), width: parseFloat(s.width),
                    icon: s.getPropertyValue('--tl-icon').includes('svg')}; }""")

    base = serve(small_site)
    page.goto(base + "/timeline/page/2/")
    entry = page.locator("li[data-id=phone-call]")
    for part in (".tl-status", ".tl-actors"):
        icon = drawn(entry.locator(part))
        assert icon["mask"] and icon["icon"] and icon["width"] > 8, part
    page.goto(base + "/actors/alpha-army/")
    icon = drawn(page.locator("li[data-id=shelling-of-post] .tl-entry__place"))
    assert icon["mask"] and icon["icon"] and icon["width"] > 8
    page.goto(base + "/events/shelling-of-post/")
    icon = drawn(page.locator(".tl-facts .tl-status"))
    assert icon["mask"] and icon["icon"] and icon["width"] > 8


def test_a_right_to_left_name_in_a_list_takes_its_own_direction(small_site: Path, serve: Any, page: Any) -> None:
    # These links have no dir="auto" each: the stylesheet gives them the same behaviour. With
    # the direction taken from the first letter (Arabic), the number after it is drawn to its left.
    base = serve(small_site)
    for path, link in (("/actors/alpha-army/", "li[data-id=shelling-of-post] a.tl-event-link"),
                       ("/events/shelling-of-post/", ".tl-around a.tl-event-link"),
                       ("/events/shelling-of-post/", ".tl-facts a.tl-actor")):
        page.goto(base + path)
        x = page.locator(link).first.evaluate("""a => {
            a.textContent = "جيش 12";
            const at = i => { const r = document.createRange(); r.setStart(a.firstChild, i);
                              r.setEnd(a.firstChild, i + 1); return r.getBoundingClientRect().left; };
            return {letter: at(0), number: at(4)}; }""")
        assert x["number"] < x["letter"], (path, x)


def test_right_to_left_alias_renders_right_to_left(small_site: Path, serve: Any, page: Any) -> None:
    base = serve(small_site)
    page.goto(base + "/actors/alpha-army/")
    alias = page.locator("span[lang=ar]", has_text="جيش ألفا")
    assert alias.evaluate("e => getComputedStyle(e).direction") == "rtl"
    page.goto(base + "/events/shelling-of-post/")
    inline = page.locator(".tl-aka bdi[lang=ar]")
    assert inline.inner_text() == "جيش ألفا"
    assert inline.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert inline.evaluate("e => getComputedStyle(e).unicodeBidi") == "isolate"
    # The English around it keeps its own direction.
    around = page.locator(".tl-aka", has=page.locator("bdi[lang=ar]"))
    assert around.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert page.evaluate("document.documentElement.lang") == "en"


def test_print_shows_the_event_and_its_sources_without_navigation(small_site: Path, serve: Any,
                                                                  page: Any) -> None:
    base = serve(small_site)
    page.goto(base + "/events/shelling-of-post/")
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar--primary", ".md-footer", ".tl-prevnext"):
        assert page.locator(hidden).first.evaluate("e => getComputedStyle(e).display") == "none", hidden
    assert page.locator("h1").is_visible()
    assert page.locator(".tl-citations").is_visible()
    source_url = page.locator(".tl-citations a.tl-source").first
    assert source_url.is_visible()
    # "Cite this event" prints; its copy buttons do not.
    assert page.locator(".tl-cite").is_visible()
    assert page.locator(".tl-cite .tl-cite-apa").is_visible()
    # Every format prints, not only the chosen tab, and the tabs themselves do not.
    assert page.locator(".tl-cite .tl-cite-bibtex").is_visible()
    assert not page.locator(".tl-tabs__list").is_visible()
    assert not page.locator(".tl-cite-jump").is_visible()
    assert page.locator(".tl-cite button").count() > 0
    assert all(not button.is_visible() for button in page.locator(".tl-cite button").all())
    page.goto(base + "/sources/fixture-report/")
    page.emulate_media(media="print")
    external = page.locator("a.tl-external").first
    assert "https://example.org/report" in external.evaluate("a => getComputedStyle(a, '::after').content")


def test_search_finds_events_by_title_actor_place_and_alias(small_site: Path, serve: Any, page: Any) -> None:
    base = serve(small_site)

    def search(text: str) -> list[str]:
        page.goto(f"{base}/")
        page.fill(".pagefind-ui__search-input", text)  # the header's Pagefind search
        page.wait_for_function(  # the count of results for this query ("Searching for ..." comes first)
            "q => /^(\\d+ results? for|No results for)/.test("
            "(document.querySelector('.pagefind-ui__message')?.textContent || '')) &&"
            " document.querySelector('.pagefind-ui__message').textContent.includes(q)", arg=text)
        message = page.locator(".pagefind-ui__message").text_content() or ""
        total = int(message.split()[0]) if message.split()[0].isdigit() else 0
        page.wait_for_function(  # every result, past the "Load more results" button
            "n => { document.querySelector('.pagefind-ui__button')?.click();"
            " return document.querySelectorAll('.pagefind-ui__result-link').length >= n; }", arg=total)
        hrefs = page.locator(".pagefind-ui__result-link").evaluate_all(
            "els => els.map(a => new URL(a.href).pathname)")
        return list(dict.fromkeys(hrefs))

    assert "/events/phone-call/" in search("Phone call")                 # title
    assert "/events/shelling-of-post/" in search("Alpha Army")           # actor
    assert "/events/leader-threatens-response/" in search("Beta Province")  # place
    found = search("جيش")                                                # Arabic alias
    assert "/actors/alpha-army/" in found and "/events/shelling-of-post/" in found
    assert "/actors/beta-leader/" in search("Бета")                      # Russian alias


def test_one_query_finds_results_from_several_parts_of_the_index_ranked_together(
        small_site: Path, serve: Any, page: Any, tmp_path: Path) -> None:
    """The small site indexed in parts of three pages (output/search.py): a query's results come
    from every part that holds one, with their filters counted together and their date shown."""
    import shutil

    from timeweave.output.search import index_site, site_parts

    site = shutil.copytree(small_site, tmp_path / "site")
    index_site(site, part_pages=3)
    part_of = {page: part.name for part in site_parts(site, 3) for page in part.pages}
    base = serve(site)
    page.goto(f"{base}/")
    page.fill(".pagefind-ui__search-input", "Alpha Army")
    page.wait_for_function("() => /^\\d+ results? for/"
                           ".test(document.querySelector('.pagefind-ui__message')?.textContent || '')")
    total = int((page.locator(".pagefind-ui__message").text_content() or "").split()[0])
    page.wait_for_function(  # every result, past the "Load more results" button, each one's fragment loaded
        "n => { document.querySelector('.pagefind-ui__button')?.click();"
        " return document.querySelectorAll('.pagefind-ui__result-link').length >= n; }", arg=total)
    found = page.locator(".pagefind-ui__result-link").evaluate_all("els => els.map(a => new URL(a.href).pathname)")
    assert "/actors/alpha-army/" in found and "/events/shelling-of-post/" in found
    parts = {part_of[(path.strip("/") + "/index.html").lstrip("/")] for path in found}
    assert len({name.rsplit("-", 1)[0] for name in parts}) >= 2 and len(parts) >= 3, parts
    event = page.locator(".pagefind-ui__result", has=page.locator("a[href$='/events/shelling-of-post/']"))
    assert "10 February 2020" in (event.locator(".tl-search__meta").text_content() or "")
    page.wait_for_function("() => ['actor', 'event'].every(kind => document.querySelector("
                           "`.pagefind-ui__filter-checkbox[name='kind'][value='${kind}']`))")  # as in test_polish
    for block in page.locator(".pagefind-ui__filter-block").all():
        if block.get_attribute("open") is None:
            block.locator("summary").click()
    kinds = page.locator(".pagefind-ui__filter-checkbox[name='kind']").evaluate_all("els => els.map(e => e.value)")
    assert {"actor", "event"} <= set(kinds)
    assert page.errors == []


def test_a_pointer_on_the_search_box_loads_pagefind_without_opening_the_box(small_site: Path, serve: Any,
                                                                           page: Any) -> None:
    base = serve(small_site)
    page.goto(f"{base}/")
    page.wait_for_load_state("networkidle")
    with page.expect_request(lambda request: request.url.endswith("/pagefind.js")):
        page.hover(".tl-search .pagefind-ui__search-input")
    assert not page.evaluate("document.getElementById('__search').checked")  # the box stays closed
    assert page.evaluate("document.activeElement === document.body")
    page.fill(".pagefind-ui__search-input", "Phone call")
    page.wait_for_function("() => [...document.querySelectorAll('.pagefind-ui__result-link')]"
                           ".some(a => a.href.endsWith('/events/phone-call/'))")


# -- accessibility -------------------------------------------------------------------------------

def axe_violations(page: Any) -> list[str]:
    assert AXE.is_file(), "node_modules/axe-core is missing: run `make test` (npm ci) first"
    page.add_script_tag(path=str(AXE))
    # A colour read halfway through a fade (Material's header title, its tabs hiding on scroll) is
    # not a colour any reader is left with: the check waits for every finite transition to end.
    found = page.evaluate("""async () => {
        await Promise.all(document.getAnimations()
            .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
            .map(a => a.finished.catch(() => null)));
        return (await axe.run(document, {resultTypes: ['violations']}))
        .violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => v.id + ' (' + v.impact + '): '
                  + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '));
    }""")
    return list(found)


SMALL_PAGES = ["/", "/timeline/", "/timeline/?actor=beta-leader", "/timeline/2020-02/", "/events/shelling-of-post/",
               "/actors/alpha-army/", "/places/beta-province/", "/sources/fixture-report/", "/types/", "/tags/",
               "/404.html"]


@pytest.mark.parametrize("path", SMALL_PAGES)
def test_no_serious_accessibility_violations(small_site: Path, serve: Any, page: Any, path: str) -> None:
    base = serve(small_site)
    page.goto(base + path)
    if "?" in path:
        page.wait_for_selector(".tl-results li.tl-entry")
    assert axe_violations(page) == []


def real_pages(site: Path) -> list[str]:
    def first(folder: str) -> str:
        return min((site / folder).glob("*/index.html")).parent.name

    pages = ["/", "/timeline/", "/timeline/?status=reported", f"/events/{first('events')}/",
             f"/actors/{first('actors')}/", f"/places/{first('places')}/"]
    # Pages other features add, when they are in the build: the map, the data page, the guide.
    pages += [f"/{folder}/" for folder in ("map", "data", "contributing")
              if (site / folder / "index.html").is_file()]
    return pages


@pytest.mark.parametrize(("scheme", "width", "narrow"), [
    ("light", 1280, False), ("dark", 1280, False),
    ("light", 390, True),  # phone layout: the drawer, the stacked entries, the filter panel
])
def test_real_site_has_no_serious_accessibility_violations(real_site: Path, serve: Any, browser: Any,
                                                           scheme: str, width: int, narrow: bool) -> None:
    base = serve(real_site)
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
    try:
        tab = context.new_page()
        tab.route(re.compile(r"^(?!http://127\.0\.0\.1:|data:)"), lambda route: route.abort())
        problems = {}
        pages = real_pages(real_site)
        for path in pages[2:5] + pages[6:] if narrow else pages:
            tab.goto(base + path)
            if "?" in path:
                tab.wait_for_selector(".tl-results li.tl-entry")
            found = axe_violations(tab)
            if found:
                problems[path] = found
        assert problems == {}
    finally:
        context.close()
