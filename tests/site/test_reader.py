"""generator/timeweave/site/reader.py: date bars, icons, the filter index and the reader assets, without a browser."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from timeweave.catalog.catalog import Catalog, load_catalog
from timeweave.content.dates import parse_date
from timeweave.site import reader
from timeweave.site.pages import PageRenderer, SiteOptions, generate_pages

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
STATIC = Path(reader.__file__).parent / "static"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    found, errors = load_catalog(FIXTURES / "small_site" / "content")
    assert found is not None, errors.items
    return found


@pytest.mark.parametrize(("text", "cells", "start", "end", "flags"), [
    ("2020-02-10", 29, 10, 10, reader.POINT),
    ("2020-02-10~", 29, 10, 10, reader.POINT | reader.APPROXIMATE),
    ("2020-02-10?", 29, 10, 10, reader.POINT | reader.UNCERTAIN),
    ("2020-02", 29, 1, 29, 0),
    ("2020-02?", 29, 1, 29, reader.UNCERTAIN),
    ("2020-02-03/2020-02-05", 29, 3, 5, 0),
    ("2020-02-20/2020-03-05", 29, 20, 29, reader.OPEN_END),  # runs on into March
    ("../2020-02", 29, 1, 29, reader.OPEN_START),
    ("../2020-02-12", 29, 1, 12, reader.OPEN_START),
    ("2020-02-08/", 29, 8, 29, reader.OPEN_END),
    ("2021-04", 30, 1, 30, 0),
    ("2018", 12, 1, 12, 0),  # year only: the track is the year's months
    ("2018~", 12, 1, 12, reader.APPROXIMATE),
])
def test_date_bar_places_the_possible_dates_on_the_month(text: str, cells: int, start: int, end: int,
                                                         flags: int) -> None:
    bar = reader.date_bar(parse_date(text))
    assert (bar.cells, bar.start, bar.end, bar.flags) == (cells, start, end, flags)


def test_date_bar_classes_say_point_or_span() -> None:
    assert reader.date_bar(parse_date("2020-02-10")).classes == "tl-bar--from-10 tl-bar--to-10 tl-bar--point"
    assert reader.date_bar(parse_date("../2020-02?")).classes == (
        "tl-bar--from-1 tl-bar--to-29 tl-bar--span tl-bar--open-start tl-bar--uncertain")


@pytest.mark.parametrize(("text", "note"), [
    ("2020-02-03/2020-02-05", "3 days"),
    ("2020-02-20/2020-03-05", "15 days"),
    ("2019-01/2020-06", "about 18 months"),
    ("2015/2020", "about 6 years"),
    ("2020-02-10", ""),
    ("2020-02", ""),
    ("../2020-02", ""),
])
def test_span_note_gives_the_length_of_a_closed_range(text: str, note: str) -> None:
    assert reader.span_note(parse_date(text)) == note


def test_date_explanation_names_each_kind_of_uncertainty() -> None:
    assert reader.date_explanation(parse_date("2020-02-10")) == ""
    assert reader.date_explanation(parse_date("2020-02")) == "The day is not known."
    assert "month and day" in reader.date_explanation(parse_date("2020"))
    assert "Approximate" in reader.date_explanation(parse_date("2020-02-10~"))
    assert "Uncertain" in reader.date_explanation(parse_date("2020-02-10?"))
    both = reader.date_explanation(parse_date("2020-02%"))
    assert "Approximate" in both and "Uncertain" in both
    assert "3 days" in reader.date_explanation(parse_date("2020-02-03/2020-02-05"))
    assert "start is not known" in reader.date_explanation(parse_date("../2020-02"))


@pytest.mark.parametrize(("type_id", "icon"), [
    ("shelling", "explosion"), ("airstrike", "aircraft"), ("armed-clash", "clash"),
    ("casualty-report", "casualties"), ("media-campaign", "media"), ("influence-campaign", "influence"),
    ("military-offensive", "offensive"), ("military-deployment", "deployment"), ("diplomacy", "diplomacy"),
    ("agreement", "agreement"), ("threat", "threat"), ("statement", "statement"),
    ("economic-measure", "economic"), ("political-pressure", "pressure"), ("research-finding", "research"),
    ("displacement", "displacement"), ("confrontation", "confrontation"), ("something-else", "event"),
])
def test_type_icon_is_chosen_from_the_words_of_the_id(type_id: str, icon: str) -> None:
    assert reader.type_icon(type_id) == icon


def test_every_icon_and_bar_class_has_a_rule_in_the_stylesheet() -> None:
    css = (STATIC / "reader.css").read_text(encoding="utf-8")
    icons = {icon for icon, _ in reader.ICON_RULES} | {reader.DEFAULT_ICON, reader.DEFAULT_STATUS_ICON}
    icons |= set(reader.STATUS_ICONS.values()) | {"place", "actors", "filter"}
    for icon in sorted(icons):
        assert f".tl-icon--{icon} {{ --tl-icon: url(" in css, icon
    for n in range(1, 32):
        assert f".tl-bar--from-{n} {{ grid-column-start: {n}; }}" in css
        assert f".tl-bar--to-{n} {{ grid-column-end: {n + 1}; }}" in css
    for cells in (12, 28, 29, 30, 31):
        assert f".tl-track--{cells} {{ grid-template-columns: repeat({cells}, 1fr); }}" in css
    # Only inline data: icons; the site loads nothing from elsewhere.
    assert not re.search(r"url\(\s*[\"']?(https?:)?//", css)


def test_index_rows_follow_the_timeline_and_resolve_to_the_catalog(catalog: Catalog) -> None:
    index = json.loads(reader.json_bytes(reader.timeline_index(catalog)))
    assert index["version"] == reader.INDEX_VERSION
    assert [row[0] for row in index["events"]] == [e.id for e in catalog.timeline]
    by_id = {row[0]: row for row in index["events"]}
    shelling = by_id["shelling-of-post"]
    assert shelling[1] == "Shelling of an observation post"
    date = index["dates"][shelling[2]]
    assert date[:3] == ["about 10 February 2020", "2020-02-10", "2020-02-10"]
    assert index["groups"][date[3]][:2] == ["2020-02", "February 2020"]
    assert index["groups"][date[3]][2].startswith("Order within February 2020 is known only from the relations")
    assert date[4] == [29, 10, 10, reader.POINT | reader.APPROXIMATE]
    assert date[6:] == ["2020-02-10", 1]
    assert index["types"][shelling[3]] == ["shelling", "Shelling", "explosion"]
    assert index["statuses"][shelling[4]][:2] == ["reported", "Reported"]
    assert index["places"][shelling[5]][:2] == ["beta-town", "Beta Town"]
    # 'within' points at the parent place, so a filter by province finds the town's events.
    parent = index["places"][shelling[5]][2]
    assert index["places"][parent][0] == "beta-province"
    assert [index["actors"][i][0] for i in shelling[6]] == ["alpha-army", "beta-leader"]
    assert [index["tags"][i] for i in shelling[7]] == ["escalation"]
    ranged = index["dates"][by_id["leader-threatens-response"][2]]
    assert ranged[5] == "3 days"


def test_index_stores_each_date_and_group_once(catalog: Catalog) -> None:
    index = reader.timeline_index(catalog)
    assert len(index["dates"]) == len({e.date for e in catalog.timeline})
    assert [g[0] for g in index["groups"]] == sorted({e.when.month_key for e in catalog.timeline})


def test_index_json_is_deterministic_and_safe_to_inline(tmp_path: Path) -> None:
    content = shutil.copytree(FIXTURES / "small_site" / "content", tmp_path / "content")
    event = content / "events" / "2020" / "phone-call.md"
    text = event.read_text(encoding="utf-8")
    event.write_text(text.replace("title: Phone call between the leaders",
                                  "title: '</script><script>alert(1)</script> & x'"), encoding="utf-8")
    found, errors = load_catalog(content)
    assert found is not None, errors.items
    first = reader.json_bytes(reader.timeline_index(found))
    second = reader.json_bytes(reader.timeline_index(load_catalog(content)[0]))  # type: ignore[arg-type]
    assert first == second
    raw = first.decode("utf-8")
    # (U+2028 cannot reach a title any more: titles must be one line; script_json's own test covers it.)
    for char in ("<", ">", "&"):
        assert char not in raw
    title = found.events["phone-call"].title
    assert "</script>" in title
    assert {row[1] for row in json.loads(raw)["events"]} >= {title}


def test_reader_files_are_the_index_and_the_assets(catalog: Catalog) -> None:
    files = dict(reader.reader_files(catalog))
    assert sorted(files) == ["assets/timeline.css", "assets/timeline/filters.js", "assets/timeline/reader.css",
                             "assets/timeline/reader.js", "assets/timeline/search-labels.json",
                             "assets/timeline/timeline-axis.css",
                             "assets/timeline/timeline-axis.js", "data/timeline-index.json"]
    assert files["assets/timeline/filters.js"] == (STATIC / "filters.js").read_bytes()
    assert files["assets/timeline/reader.js"] == (STATIC / "reader.js").read_bytes()
    assert files[reader.PAGE_CSS] == (STATIC / "timeline.css").read_bytes()
    labels = json.loads(files["assets/timeline/search-labels.json"])  # the search's filters, in words
    assert labels["kind"]["actor"] == "Actor" and labels["type"]["armed-force"] == "Armed force"
    assert labels["type"]["shelling"] == catalog.vocabulary.event_types["shelling"].label
    assert labels["status"]["reported"] == "Reported"


def test_coverage_uses_known_dates_only(catalog: Catalog) -> None:
    span = reader.coverage(catalog)
    assert span is not None
    assert (span.start.plain_label(), span.end.plain_label(), span.years) == (
        "February 2020", "February 2020", "2020")


def _page(catalog: Catalog, src_uri: str) -> str:
    pages = {p.src_uri: p for p in generate_pages(catalog, SiteOptions(page_size=2))}
    return pages[src_uri].content


def test_entries_carry_what_a_script_filters_on(catalog: Catalog) -> None:
    page = _page(catalog, "timeline/index.md")
    entry = re.search(r'<li class="tl-entry tl-entry--reported"[^>]*>', page)
    assert entry is not None
    tag = entry.group(0)
    for attribute in ('data-id="shelling-of-post"', 'data-type="shelling"', 'data-status="reported"',
                      'data-place="beta-town beta-province gamma-country"',
                      'data-actors="alpha-army beta-leader"', 'data-tags="escalation"',
                      'data-earliest="2020-02-10"', 'data-latest="2020-02-10"'):
        assert attribute in tag


def test_main_timeline_pages_point_the_script_at_the_index(catalog: Catalog) -> None:
    first = _page(catalog, "timeline/index.md")
    assert 'data-tl-filter="timeline" data-tl-index="../data/timeline-index.json" data-tl-root="../"' in first
    second = _page(catalog, "timeline/page/2.md")
    assert 'data-tl-index="../../../data/timeline-index.json" data-tl-root="../../../"' in second
    # Other lists (a month, a type, a tag) are not filtered: they are already one facet.
    assert "data-tl-filter" not in _page(catalog, "types/shelling.md")
    assert "data-tl-filter" not in _page(catalog, "timeline/2020-02.md")


def test_event_page_shows_date_uncertainty_aliases_and_shared_actors(catalog: Catalog) -> None:
    page = _page(catalog, "events/phone-call.md")
    assert "The day is not known." in page
    assert '<span class="tl-track tl-track--29 tl-track--large" aria-hidden="true">' in page
    # Aliases sit next to the actor, isolated and in their own language and direction.
    assert '<bdi lang="ru" dir="auto">Бета</bdi>' in page
    shelling = _page(catalog, "events/shelling-of-post.md")
    assert '<bdi lang="ar" dir="rtl">جيش ألفا</bdi>' in shelling
    assert "Before and after, same actors" in shelling
    assert 'class="tl-around__shared">(with <a class="tl-actor" href="../../actors/beta-leader/"' in shelling


def test_home_page_says_what_the_timeline_covers(catalog: Catalog) -> None:
    page = _page(catalog, "index.md")
    assert "The timeline follows 3 events from" in page
    assert '<strong>2020</strong> <span>date span</span>' in page
    # The map section waits for the maps feature (its template globals) so it never links to nothing.
    assert ('id="tl-home-map"' in page) == ("map_summary" in PageRenderer(catalog, SiteOptions()).env.globals)
    assert "Most involved actors" in page


def test_long_actor_and_place_timelines_are_paginated(tmp_path: Path) -> None:
    content = shutil.copytree(FIXTURES / "small_site" / "content", tmp_path / "content")
    for day in range(1, 6):
        (content / "events" / "2020" / f"extra-{day}.md").write_text(f"""---
title: Extra event {day}
date: 2020-03-0{day}
type: shelling
place: beta-town
actors:
  - {{actor: alpha-army, role: initiator}}
  - {{actor: alpha-army, role: target}}
status: disputed
sources:
  - {{source: fixture-report}}
---
An event of the pagination test.
""", encoding="utf-8")
    found, errors = load_catalog(content)
    assert found is not None, errors.items
    pages = {p.src_uri: p for p in generate_pages(found, SiteOptions(page_size=2, record_page_size=2))}
    actor = pages["actors/alpha-army.md"].content
    assert "## Events (6)" in actor  # two roles in one event count it once
    assert actor.count('<li class="tl-entry') == 2
    assert '<a rel="next" href="page/2/">' in actor
    assert '<span class="tl-role">(Initiator, Target)</span>' in actor
    last = pages["actors/alpha-army/page/3.md"].content
    assert last.count('<li class="tl-entry') == 2
    assert '<a rel="prev" href="../2/">' in last
    assert '<span class="tl-role">(Initiator, Target)</span>' in last
    assert "actors/alpha-army/page/4.md" not in pages
    listed = [re.findall(r'data-id="([^"]+)"', pages[uri].content)
              for uri in ("actors/alpha-army.md", "actors/alpha-army/page/2.md",
                          "actors/alpha-army/page/3.md")]
    assert [i for chunk in listed for i in chunk] == [e.id for e in found.timeline if e.id != "phone-call"
                                                       and e.id != "leader-threatens-response"]
    # A later page draws the actor's whole time on its axis (timeline-axis.js marks the page's own).
    assert 'data-axis-filter="actor:alpha-army"' in last
    # A town lists its own events, page by page too; the province above it lists its own (one) and
    # links the town's list.
    assert "places/beta-town/page/3.md" in pages and "places/beta-town/page/4.md" not in pages
    later = pages["places/beta-town/page/3.md"].content
    assert 'data-axis-filter="at:beta-town"' in later and "tl-entry__place" not in later  # the page's own
    province = pages["places/beta-province.md"].content
    assert "## Events here (1)" in province and "places/beta-province/page/2.md" not in pages
    assert '<a class="tl-place" href="../beta-town/" dir="auto">Beta Town</a> (6)' in province
    # Short timelines stay on one page.
    assert "actors/alpha-state/page/2.md" not in pages


# -- merged citations of one source ---------------------------------------------------------------

def test_a_source_cited_several_times_is_one_entry_with_its_locators_and_quotes(tmp_path: Path) -> None:
    content = shutil.copytree(FIXTURES / "small_site" / "content", tmp_path / "content")
    event = content / "events" / "2020" / "shelling-of-post.md"
    text = event.read_text(encoding="utf-8")
    event.write_text(text.replace("    locator: paragraph 3\n", "    locator: ¶3\n"
                                  "  - {source: fixture-report, locator: ¶8, quote: the post was hit}\n"
                                  "  - {source: fixture-report, locator: ¶16}\n"
                                  "  - {source: fixture-report, locator: ¶8}\n"), encoding="utf-8")
    found, errors = load_catalog(content)
    assert found is not None, errors.items
    (cited,) = reader.cited_sources(found.events["shelling-of-post"])
    assert cited.source == "fixture-report" and len(cited.citations) == 4
    assert cited.locators == ["¶3", "¶8", "¶16"]
    html = _page(found, "events/shelling-of-post.md")
    sources = html[html.index('<ol class="tl-citations">'):]
    sources = sources[:sources.index("</ol>")]
    assert sources.count("<li>") == 1
    assert '<span class="tl-locator">¶3, ¶8, ¶16</span>' in sources
    assert ('<blockquote dir="auto"><span class="tl-quote-locator">¶3:</span> “five soldiers died”</blockquote>'
            in sources)
    assert ('<blockquote dir="auto"><span class="tl-quote-locator">¶8:</span> “the post was hit”</blockquote>'
            in sources)


def test_sources_keep_the_order_they_are_first_cited_in(catalog: Catalog) -> None:
    assert [c.source for c in reader.cited_sources(catalog.events["phone-call"])] == [
        "fixture-report", "alpha-statement"]
    html = _page(catalog, "events/shelling-of-post.md")
    # One citation: no locator label before its quote.
    assert '<blockquote dir="auto">“five soldiers died”</blockquote>' in html
