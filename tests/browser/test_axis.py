"""The time axis (timeline-axis.js) in Debian's chromium, measured: where each event is drawn, how
wide, on which row; what the filters leave; the keyboard; the phone; the map beside it; axe-core."""

from __future__ import annotations

import gzip
import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from timeweave.site.reader import STATIC_DIR

pytestmark = pytest.mark.browser

AXIS = "[data-timeline-axis][data-axis-drawn]"
SEVEN = "seven-turkish-soldiers-and-civilian-contractor-killed"
FIVE = "five-turkish-soldiers-killed-by-shelling-in-idlib"
SMALL = {"phone-call", "leader-threatens-response", "shelling-of-post"}


def open_axis(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(AXIS)


def boxes(page: Any) -> dict[str, dict[str, float]]:
    """Each drawn event's box, by id (events the filters leave out are not drawn)."""
    return dict(page.evaluate("""() => [...document.querySelectorAll('[data-timeline-axis] [data-event]')]
        .filter(a => !a.hidden)
        .map(a => { const b = a.getBoundingClientRect();
                    return [a.dataset.event, {left: b.left, right: b.right, top: b.top, width: b.width}]; })"""))


def drawn_order(page: Any) -> list[str]:
    return list(page.locator("[data-timeline-axis] [data-event]").evaluate_all(
        "els => els.filter(a => !a.hidden).map(a => a.dataset.event)"))


def canvas_width(page: Any) -> float:
    return float(page.evaluate("document.querySelector('.tl-axis__canvas').offsetWidth"))


def scroll_left(page: Any) -> float:
    return float(page.evaluate("document.querySelector('.tl-axis__viewport').scrollLeft"))


# -- scale ---------------------------------------------------------------------------------------

def test_positions_grow_with_time(real_site: Path, serve: Any, page: Any) -> None:
    open_axis(page, serve(real_site) + "/timeline/")
    index = json.loads((real_site / "data" / "timeline-index.json").read_text(encoding="utf-8"))
    earliest = {row[0]: index["dates"][row[2]][1] for row in index["events"]}
    drawn = boxes(page)
    assert set(drawn) == set(earliest)
    known = sorted((day, event_id) for event_id, day in earliest.items() if day)
    for (day, first), (later_day, second) in itertools.pairwise(known):
        if day < later_day:
            assert drawn[first]["left"] < drawn[second]["left"], (first, second)


def test_a_year_wide_span_is_many_times_a_month_wide_one(real_site: Path, serve: Any, page: Any) -> None:
    open_axis(page, serve(real_site) + "/timeline/")
    drawn = boxes(page)
    year = drawn["russia-turkey-sochi-de-escalation-agreement"]["width"]  # 2018: 365 days
    month = drawn[FIVE]["width"]                                           # February 2020: 29 days
    assert 10 < year / month < 15   # in proportion to time: 365 / 29 is 12.6
    # The empty 2019 is cut to a break, drawn, instead of taking the room of a year.
    assert page.locator(".tl-axis__breaks .tl-axis__break").count() == 1


def test_a_known_day_is_a_point_and_an_open_end_fades(small_site: Path, serve: Any, page: Any) -> None:
    open_axis(page, serve(small_site) + "/timeline/")
    drawn = boxes(page)
    assert drawn["leader-threatens-response"]["width"] > drawn["shelling-of-post"]["width"]
    kinds = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('[data-event]')]
        .map(a => [a.dataset.event, a.className]))""")
    assert "tl-axis__event--point" in kinds["shelling-of-post"]
    assert "tl-axis__event--approximate" in kinds["shelling-of-post"]  # about 10 February
    assert "tl-axis__event--span" in kinds["phone-call"]
    legend = page.locator(".tl-axis__legend").inner_text()
    for words in ("One known day", "Some time in this span", "not known", "Approximate", "Uncertain", "Cut"):
        assert words in legend


# -- filters and order ---------------------------------------------------------------------------

def test_the_filters_change_what_is_drawn(small_site: Path, serve: Any, page: Any) -> None:
    base = serve(small_site)
    open_axis(page, base + "/timeline/?actor=alpha-army")
    page.wait_for_selector(".tl-results li.tl-entry")
    assert set(boxes(page)) == {"shelling-of-post"}
    link = page.locator("a.tl-axis__map")
    assert link.get_attribute("href").endswith("/map/?actor=alpha-army")  # "show on map" keeps the filters
    page.select_option("#tl-filter-actor", "beta-leader")
    assert set(boxes(page)) == SMALL
    page.select_option("#tl-filter-tag", "rhetoric")
    assert set(boxes(page)) == {"leader-threatens-response"}
    assert link.get_attribute("href").endswith("/map/?actor=beta-leader&tag=rhetoric")
    page.click("button.tl-filters__reset")
    assert set(boxes(page)) == SMALL
    assert page.errors == [] and page.blocked == []


def test_a_date_range_in_the_address_is_the_period_the_axis_opens_on(real_site: Path, serve: Any,
                                                                      page: Any) -> None:
    base = serve(real_site)
    open_axis(page, base + "/timeline/")
    whole = canvas_width(page)
    open_axis(page, base + "/timeline/?from=2020-02-01&to=2020-02-29&possible=1")
    page.wait_for_selector(".tl-results li.tl-entry")
    assert canvas_width(page) > 5 * whole  # zoomed in to February 2020
    view = page.evaluate("""() => { const v = document.querySelector('.tl-axis__viewport').getBoundingClientRect();
        return [v.left, v.right]; }""")
    drawn = boxes(page)
    assert view[0] - 1 <= drawn[FIVE]["left"] and drawn[FIVE]["right"] <= view[1] + 1  # February is in view


def test_the_order_inside_a_period_follows_the_relations(small_site: Path, real_site: Path, serve: Any,
                                                          page: Any) -> None:
    # phone-call (February, day unknown) answers shelling-of-post (about 10 February): its possible
    # dates begin earlier, yet the rows follow the timeline's order, so the shelling is above it.
    open_axis(page, serve(small_site) + "/timeline/")
    drawn = boxes(page)
    assert drawn["phone-call"]["left"] < drawn["shelling-of-post"]["left"]
    assert drawn["shelling-of-post"]["top"] < drawn["phone-call"]["top"]
    assert drawn_order(page).index("shelling-of-post") < drawn_order(page).index("phone-call")
    # The real content: "Five Turkish soldiers killed" follows "Seven Turkish soldiers ... killed".
    open_axis(page, serve(real_site) + "/timeline/")
    order = drawn_order(page)
    assert order.index(SEVEN) < order.index(FIVE)
    drawn = boxes(page)
    assert drawn[SEVEN]["top"] < drawn[FIVE]["top"]


def test_record_pages_draw_their_own_events(small_site: Path, serve: Any, page: Any) -> None:
    base = serve(small_site)
    for path in ("/actors/beta-leader/", "/actors/alpha-army/", "/places/beta-province/", "/tags/escalation/"):
        open_axis(page, base + path)
        listed = page.locator("li.tl-entry").evaluate_all("els => els.map(e => e.dataset.id)")
        assert sorted(boxes(page)) == sorted(listed), path
        assert page.locator("a.tl-axis__map").count() == 0


def test_type_and_month_pages_draw_their_events_and_mark_the_listed_ones(small_site: Path, serve: Any,
                                                                          page: Any) -> None:
    base = serve(small_site)
    index = json.loads((small_site / "data" / "timeline-index.json").read_text(encoding="utf-8"))
    types = [t[0] for t in index["types"]]
    of_type = {row[0] for row in index["events"] if types[row[3]] == "shelling"}
    open_axis(page, base + "/types/shelling/")
    assert set(boxes(page)) == of_type
    # Page 2 of a month: the axis draws the whole month, the events listed on this page underlined.
    month = {row[0] for row in index["events"] if index["groups"][index["dates"][row[2]][3]][0] == "2020-02"}
    open_axis(page, base + "/timeline/2020-02/page/2/")
    listed = set(page.locator("li.tl-entry").evaluate_all("els => els.map(e => e.dataset.id)"))
    assert set(boxes(page)) == month and listed < month
    marked = set(page.locator("[data-event].tl-axis__event--listed")
                 .evaluate_all("els => els.map(e => e.dataset.event)"))
    assert marked == listed
    assert "Listed on this page" in page.locator(".tl-axis__legend").inner_text()


# -- reading it ----------------------------------------------------------------------------------

def test_hover_and_focus_show_the_title_and_the_date_in_words(small_site: Path, serve: Any, page: Any) -> None:
    open_axis(page, serve(small_site) + "/timeline/")
    page.hover('[data-event="leader-threatens-response"]')
    tip = page.locator(".tl-axis__tip")
    assert tip.is_visible()
    title = page.locator('li.tl-entry[data-id="leader-threatens-response"] a.tl-event-link').inner_text()
    date = page.locator('li.tl-entry[data-id="leader-threatens-response"] time').inner_text()
    assert title in tip.inner_text() and date in tip.inner_text()
    # What a screen reader says: the link's name holds the title and the date in words.
    name = page.locator('[data-event="phone-call"]').get_attribute("aria-label") or ""
    assert "February 2020" in name


def test_activating_an_event_scrolls_to_its_entry_or_opens_its_page(small_site: Path, serve: Any,
                                                                     page: Any) -> None:
    base = serve(small_site)
    open_axis(page, base + "/timeline/")
    page.click('[data-event="leader-threatens-response"]')
    assert page.url == base + "/timeline/"
    focused = page.evaluate("document.activeElement.closest('li.tl-entry').dataset.id")
    assert focused == "leader-threatens-response"
    # The phone call is on page 2 of the list (page_size 2): its own page opens.
    page.click('[data-event="phone-call"]')
    page.wait_for_url(base + "/events/phone-call/")


def test_keyboard_reaches_zooms_and_pans_the_axis(small_site: Path, serve: Any, page: Any) -> None:
    open_axis(page, serve(small_site) + "/timeline/")
    for _ in range(80):  # Tab from the top of the page reaches the axis
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('.tl-axis__viewport')"):
            break
    assert page.evaluate("document.activeElement.classList.contains('tl-axis__viewport')")
    fit = canvas_width(page)
    page.keyboard.press("+")
    assert canvas_width(page) == pytest.approx(2 * fit, rel=0.05)
    page.keyboard.press("+")
    before = scroll_left(page)
    page.keyboard.press("ArrowRight")
    assert scroll_left(page) > before
    page.keyboard.press("ArrowLeft")
    assert scroll_left(page) == pytest.approx(before, abs=2)
    page.keyboard.press("-")
    page.keyboard.press("-")
    assert canvas_width(page) == pytest.approx(fit, rel=0.05)
    # Tab goes on to one event; the arrow keys move between events in the timeline's order.
    page.keyboard.press("Tab")
    order = drawn_order(page)
    assert page.evaluate("document.activeElement.dataset.event") == order[0]
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.dataset.event") == order[1]
    assert page.locator(".tl-axis__tip").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.closest('li.tl-entry').dataset.id") == order[1]
    # The buttons do the same. (A new page: tabbing through the search box on the way left the
    # search overlay open over the page, which would take the clicks.)
    open_axis(page, page.url)
    page.click("button[aria-label='Zoom in']")
    assert canvas_width(page) > fit * 1.5
    page.click("button[aria-label='Show the whole time']")
    assert canvas_width(page) == pytest.approx(fit, rel=0.05)


def test_zoomed_in_every_event_in_view_is_drawn_and_the_far_ones_wait(real_site: Path, serve: Any,
                                                                       page: Any) -> None:
    open_axis(page, serve(real_site) + "/timeline/")
    for _ in range(6):
        page.click("button[aria-label='Zoom in']")
    for where in ("Home", "End"):
        page.focus(".tl-axis__viewport")
        page.keyboard.press(where)
        page.wait_for_timeout(100)
        # Where the axis lays each event out (its own model) against what the page shows.
        state = page.evaluate("""() => {
            const axis = document.querySelector('[data-timeline-axis]').tlAxis, v = axis.viewport;
            const view = v.getBoundingClientRect();
            return axis.shown.map(r => { const b = r.element.getBoundingClientRect();
                return {away: r.element.classList.contains('tl-axis__event--away'),
                        inView: r.left + r.width > v.scrollLeft && r.left < v.scrollLeft + v.clientWidth,
                        shown: b.width > 0 && b.right > view.left && b.left < view.right}; }); }""")
        assert any(e["away"] for e in state), where                 # far events wait ...
        assert all(e["shown"] for e in state if e["inView"]), where  # ... every one in view is drawn there


def test_on_a_phone_the_axis_scrolls_sideways_inside_the_page(small_site: Path, serve: Any, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 800}, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        open_axis(page, serve(small_site) + "/timeline/")
        page.click("button[aria-label='Zoom in']")
        page.click("button[aria-label='Zoom in']")
        sizes = page.evaluate("""() => {
            const v = document.querySelector('.tl-axis__viewport'), s = getComputedStyle(v);
            return {page: document.documentElement.scrollWidth, inner: v.scrollWidth, box: v.clientWidth,
                    y: s.overflowY, touch: s.touchAction}; }""")
        assert sizes["page"] <= 390            # the page itself does not scroll sideways
        assert sizes["inner"] > sizes["box"]   # the axis does
        assert sizes["y"] == "hidden" and "pan-y" in sizes["touch"]  # a vertical swipe scrolls the page
    finally:
        context.close()


def touch(cdp: Any, kind: str, points: list[tuple[float, float]]) -> None:
    cdp.send("Input.dispatchTouchEvent", {
        "type": kind, "touchPoints": [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)]})


def swipe(cdp: Any, start: list[tuple[float, float]], end: list[tuple[float, float]], steps: int = 8) -> None:
    touch(cdp, "touchStart", start)
    for step in range(1, steps + 1):
        touch(cdp, "touchMove", [(a[0] + (b[0] - a[0]) * step / steps, a[1] + (b[1] - a[1]) * step / steps)
                                 for a, b in zip(start, end, strict=True)])
    touch(cdp, "touchEnd", [])


def test_on_a_phone_two_fingers_pinch_the_axis_and_one_pans_it(real_site: Path, serve: Any, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 800}, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        open_axis(page, serve(real_site) + "/timeline/")
        cdp = context.new_cdp_session(page)
        page.evaluate("document.querySelector('.tl-axis__viewport').scrollIntoView({block: 'center'})")
        box = page.locator(".tl-axis__viewport").bounding_box()
        y = box["y"] + box["height"] / 2
        fit = canvas_width(page)
        # One finger sideways pans the axis, not the page.
        page.click("button[aria-label='Zoom in']")
        page.click("button[aria-label='Zoom in']")
        before = scroll_left(page)
        swipe(cdp, [(300, y)], [(100, y)])
        page.wait_for_function("b => document.querySelector('.tl-axis__viewport').scrollLeft > b + 100", arg=before)
        assert page.evaluate("document.documentElement.scrollLeft") == 0
        page.click("button[aria-label='Show the whole time']")
        # Fingers apart: the axis zooms in, the day between them staying between them.
        swipe(cdp, [(150, y), (240, y)], [(60, y), (330, y)])
        page.wait_for_function("w => document.querySelector('.tl-axis__canvas').offsetWidth > w * 2", arg=fit)
        zoomed = canvas_width(page)
        # Fingers together: it zooms out again.
        swipe(cdp, [(60, y), (330, y)], [(170, y), (220, y)])
        page.wait_for_function("w => document.querySelector('.tl-axis__canvas').offsetWidth < w / 2", arg=zoomed)
        # One finger up or down scrolls the page: the axis does not trap it.
        top = page.evaluate("window.scrollY")
        swipe(cdp, [(200, y)], [(200, y - 300)], steps=12)
        page.wait_for_function("t => window.scrollY > t + 50", arg=top)
        assert errors == []
    finally:
        context.close()


def test_without_javascript_nothing_of_the_axis_shows(small_site: Path, serve: Any, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(serve(small_site) + "/timeline/")
        assert page.locator("[data-timeline-axis]").count() == 1
        assert page.locator("[data-timeline-axis]").is_hidden()
        assert page.locator(".tl-timeline li.tl-entry").count() == 2  # page 1 of the complete list
    finally:
        context.close()


def test_the_axis_adds_at_most_30_kb_and_nothing_per_event(small_site: Path, real_site: Path) -> None:
    code = b"".join((STATIC_DIR / name).read_bytes() for name in ("timeline-axis.js", "timeline-axis.css"))
    assert len(gzip.compress(code, compresslevel=9)) <= 30_000
    for site in (small_site, real_site):
        assert (site / "assets" / "timeline" / "timeline-axis.js").read_bytes() == (
            STATIC_DIR / "timeline-axis.js").read_bytes()
        html = (site / "timeline" / "index.html").read_text(encoding="utf-8")
        assert html.count("data-timeline-axis") == 1 and "data-event" not in html


# -- the map -------------------------------------------------------------------------------------

def open_map(page: Any, base: str) -> None:
    page.goto(base + "/map/")
    page.wait_for_selector("#map_timeline[data-axis-linked]")
    page.wait_for_selector(AXIS)


def test_selecting_on_the_axis_or_the_map_highlights_on_the_other(map_site: Path, serve: Any, page: Any) -> None:
    from test_maps_browser import open_popup

    base = serve(map_site)
    open_map(page, base)
    # Map -> axis: opening a marker's popup marks its event on the axis.
    open_popup(page, "town-airstrike")
    assert page.locator('[data-event="town-airstrike"]').get_attribute("class").count("--selected") == 1
    page.evaluate("timelineMap.map.closePopup()")
    # Axis -> map: choosing an event opens its marker's popup (the map stays on this page).
    page.click('[data-event="town-airstrike"]')
    page.wait_for_selector(".leaflet-popup-content .tl-popup")
    assert "/map/" in page.url
    # An event with no place says so instead.
    page.click('[data-event="unplaced-call"]')
    assert "not on the map" in page.locator(".tl-axis__status").inner_text()
    assert page.errors == []


def test_the_axis_under_the_map_chooses_the_period_it_shows(map_site: Path, serve: Any, page: Any) -> None:
    base = serve(map_site)
    open_map(page, base)
    every = page.evaluate("timelineMap.cluster.getLayers().length")
    for _ in range(3):
        page.click("button[aria-label='Zoom in']")
    page.evaluate("document.querySelector('.tl-axis__viewport').scrollLeft = 0")
    toggle = page.locator("button", has_text="Map: only the period shown")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    page.wait_for_function("n => timelineMap.cluster.getLayers().length < n", arg=every)
    assert "may fall between" in page.locator(".tl-axis__status").inner_text()
    toggle.click()
    page.wait_for_function("n => timelineMap.cluster.getLayers().length === n", arg=every)


def on_map(page: Any) -> set[str]:
    return set(page.evaluate("timelineMap.cluster.getLayers().map(m => m.tlEvent.id)"))


def test_the_period_shown_under_the_map_is_in_the_address(map_site: Path, serve: Any, page: Any) -> None:
    base = serve(map_site)
    open_map(page, base)
    for _ in range(3):
        page.click("button[aria-label='Zoom in']")
    page.evaluate("document.querySelector('.tl-axis__viewport').scrollLeft = 0")
    toggle = page.locator("button", has_text="Map: only the period shown")
    toggle.click()
    # The same parameters as the timeline's: the period keeps what may fall in it (possible=1).
    page.wait_for_function("/[?&]from=2020-02-0/.test(location.search) && /[?&]possible=1/.test(location.search)")
    shared, shown = page.evaluate("location.href"), on_map(page)
    # Panning the axis moves the period in the address (replaced, not a new history entry).
    length = page.evaluate("history.length")
    page.evaluate("document.querySelector('.tl-axis__viewport').scrollLeft += 400")
    page.wait_for_function("url => location.href !== url", arg=shared)
    assert page.evaluate("history.length") == length
    toggle.click()
    page.wait_for_function("!/[?&](from|to|possible)=/.test(location.search)")

    # The shared address opens on the same period, the button on, the map showing that period.
    page.goto(shared)
    page.wait_for_selector("#map_timeline[data-axis-linked]")
    assert toggle.get_attribute("aria-pressed") == "true"
    assert on_map(page) == shown
    assert page.evaluate("location.href") == shared
    assert "may fall between" in page.locator(".tl-axis__status").inner_text()


def test_the_note_over_the_map_follows_the_period_chosen_on_the_axis(map_site: Path, serve: Any, page: Any) -> None:
    base = serve(map_site)
    page.goto(base + "/map/?type=shelling")
    page.wait_for_selector("#map_timeline[data-axis-linked]")
    page.wait_for_selector(".tl-map-filter")
    for _ in range(3):
        page.click("button[aria-label='Zoom in']")
    page.evaluate("document.querySelector('.tl-axis__viewport').scrollLeft = 0")
    page.locator("button", has_text="Map: only the period shown").click()
    page.wait_for_function("/[?&]possible=1/.test(location.search)")
    page.wait_for_function("document.querySelector('.tl-map-filter a').href.includes('possible=1')")
    note = page.locator(".tl-map-filter")
    assert note.count() == 1
    # What it counts and where its link goes are those of the address now, with the axis's period.
    text = note.inner_text()
    assert text.startswith(f"Showing {len(on_map(page))} of "), text
    link = note.locator("a", has_text="Open these filters on the timeline").get_attribute("href")
    assert link.endswith("/timeline/" + page.evaluate("location.search"))
    assert "type=shelling" in link and "from=2020-02-0" in link
    # The axis says what panning changed; the note does not announce it again.
    assert note.get_attribute("aria-live") == "off"


def test_a_period_in_the_map_address_zooms_the_axis_and_the_map(map_site: Path, serve: Any, page: Any) -> None:
    base = serve(map_site)
    page.goto(base + "/map/?from=2020-02-01&to=2020-02-05&possible=1")
    page.wait_for_selector("#map_timeline[data-axis-linked]")
    toggle = page.locator("button", has_text="Map: only the period shown")
    assert toggle.get_attribute("aria-pressed") == "true"
    early = {"post-shelled", "town-shelled-1", "town-shelled-2", "town-airstrike", "district-shelling"}
    assert on_map(page) and on_map(page) <= early
    # The axis is zoomed to the period: its first days fill the view, the later ones lie beyond it.
    drawn = boxes(page)
    width = page.evaluate("document.querySelector('.tl-axis__viewport').getBoundingClientRect().right")
    assert drawn["post-shelled"]["left"] >= 0 and drawn["district-shelling"]["right"] <= width
    assert drawn["village-raid"]["left"] > width
    # Panning hands the map a later period; the events the address left out come back into play.
    page.evaluate("document.querySelector('.tl-axis__viewport').scrollLeft += 10000")
    page.wait_for_function("() => timelineMap.cluster.getLayers().some(m => m.tlEvent.id === 'hostile-title')")
    assert "from=2020-02-01" not in page.evaluate("location.search")
    # Without possible=1, from and to stay the timeline's date filter: the button is off until pressed.
    page.goto(base + "/map/?from=2020-02-01&to=2020-02-05")
    page.wait_for_selector("#map_timeline[data-axis-linked]")
    assert toggle.get_attribute("aria-pressed") == "false"
    assert on_map(page) <= early
    assert page.errors == []


# -- accessibility -------------------------------------------------------------------------------

@pytest.mark.parametrize("width", [1280, 390])
def test_no_serious_accessibility_violations_with_the_axis(small_site: Path, real_site: Path, serve: Any,
                                                           browser: Any, width: int) -> None:
    from test_reader_browser import axe_violations

    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
            ("http://127.0.0.1:", "data:")) else route.abort())
        problems = {}
        for site, path in ((small_site, "/timeline/"), (small_site, "/actors/beta-leader/"), (small_site, "/map/"),
                           (small_site, "/timeline/2020-02/page/2/"), (small_site, "/types/shelling/"),
                           (real_site, "/timeline/"), (real_site, "/actors/turkey/"), (real_site, "/map/")):
            open_axis(page, serve(site) + path)
            page.hover("[data-timeline-axis] [data-event]")  # with the tooltip showing
            found = axe_violations(page)
            if found:
                problems[path] = found
        assert problems == {}
    finally:
        context.close()
