"""Real files of TimelineJS 2 and 3, CollectionBuilder and ACLED (tests/fixtures/interop, origins in its
README): per file, records in, events out, fields kept, and a result that validates; a failed import
writes nothing."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from timeweave.catalog.catalog import Catalog, load_catalog
from timeweave.cli.main import main
from timeweave.exports import ExportOptions, export_files
from timeweave.tools.importers import ImportReport, run_import

from conftest import FIXTURES, SHARED

INTEROP = FIXTURES / "interop"
PEERS = SHARED / "peers"
TIMELINEJS_PEERS = PEERS / "timelinejs"


def imported(report: ImportReport, content: Path) -> Catalog:
    assert report.ok, report.format()
    catalog, errors = load_catalog(content, content.parent)
    assert catalog is not None, errors.items
    return catalog


def test_every_file_has_its_origin_in_the_readme() -> None:
    readme = (INTEROP / "README.md").read_text(encoding="utf-8")
    files = sorted(p.name for p in INTEROP.iterdir() if p.name != "README.md")
    assert [name for name in files if f"| `{name}` |" not in readme] == []


def test_timelinejs2_is_read(tmp_path: Path) -> None:
    content = tmp_path / "content"
    report = run_import("timelinejs", INTEROP / "timelinejs2-example_json.json", content)
    catalog = imported(report, content)
    assert (report.records, report.events, len(catalog.events)) == (21, 21, 21)
    first = catalog.events["sh-t-politicians-say"]
    assert first.date == "2012-01-26/2012-01-27"
    assert "Media: [Media](http://youtu.be/u4XpeU9erbg)" in first.body
    girls = catalog.events["sh-t-girls-say"]
    assert "Writers & Creators: Kyle Humphrey & Graydon Sheppard" in girls.body


def test_timelinejs2_slide_without_headline(tmp_path: Path) -> None:
    # Written here in TimelineJS 2's form (a public file with such slides was found, but the index
    # did not name its repository): an empty headline, a time to the second, a TimelineJS 2 key.
    source = tmp_path / "two.json"
    source.write_text(json.dumps({"timeline": {"headline": "A timeline", "type": "default", "date": [
        {"startDate": "2015,07,08,19,17,02", "endDate": "", "headline": "", "text": "A first sentence. A second.",
         "classname": "mine", "asset": {"media": "", "credit": "", "caption": "", "thumbnail": "https://example.org/t.jpg"}},
    ]}}))
    content = tmp_path / "content"
    report = run_import("timelinejs", source, content)
    event = imported(report, content).events["a-first-sentence"]
    assert (event.title, event.date, event.time) == ("A first sentence.", "2015-07-08", "19:17")
    assert event.annotations[0].text.startswith("The title was derived by the import from the slide's text")
    assert report.notes == ["date[].classname not imported (a CSS class of TimelineJS 2)",
                            "slide 1: headline: none; title derived from the text",
                            "slide 1: media thumbnail not imported",
                            "slide 1: start_date.second not imported (times are kept to the minute)"]


def test_timelinejs3_cosmological_years(tmp_path: Path) -> None:
    content = tmp_path / "content"
    report = run_import("timelinejs", INTEROP / "timelinejs3-cosmological.json", content)
    catalog = imported(report, content)
    assert (report.records, report.events) == (6, 6)
    assert catalog.events["the-big-bang"].date == "Y-13798000000"
    assert catalog.events["reionization"].date == "Y-13648000000/Y-12798000000"
    assert catalog.events["today"].date == "0000"
    assert [e.id for e in catalog.timeline][:2] == ["the-big-bang", "matter-domination"]
    assert catalog.events["the-big-bang"].when.label() == "13,798,000,001 BCE"
    assert not catalog.events["the-big-bang"].when.representable
    assert "Media: [Illustration of evolution of the universe from the Big Bang]" in catalog.events["the-big-bang"].body
    assert any("start_date.display_date not imported" in n for n in report.notes)


def test_a_slide_without_headline_and_with_location(tmp_path: Path) -> None:
    # TimelineJS shows a slide with only a start date; this one is written here, not by TimelineJS.
    source = tmp_path / "slides.json"
    source.write_text(
        '{"events": [{"start_date": {"year": "-500"}, "text": {"text": "<p>A first sentence. A second.</p>"},'
        ' "media": {"url": "https://example.org/a.jpg", "caption": "A caption",'
        ' "credit": "<a href=\\"https://example.org/who\\">Who</a>"},'
        ' "location": {"lat": 35.93, "lon": 36.63, "name": "Saraqib"}}]}'
    )
    content = tmp_path / "content"
    catalog = imported(run_import("timelinejs", source, content), content)
    event = catalog.events["a-first-sentence"]
    assert (event.title, event.date, list(event.coordinates or [])) == ("A first sentence.", "-0500", [35.93, 36.63])
    assert event.place == "saraqib" and catalog.location(event) is not None
    assert event.annotations[0].text.startswith("The title was derived by the import from the slide's text")
    assert "([Who](https://example.org/who))" in event.body
    assert event.when.label() == "501 BCE"


def test_timelinejs3_marktwain_juked_slides_with_location_and_without_headline(tmp_path: Path) -> None:
    # Knight Lab's early TimelineJS 3 example (origin in the fixtures' README): twelve slides carry a
    # StoryMapJS-style location, three have an empty headline and only a media caption.
    content = tmp_path / "content"
    report = run_import("timelinejs", INTEROP / "timelinejs3-marktwain_juked.json", content)
    catalog = imported(report, content)
    assert (report.records, report.events, len(catalog.events)) == (19, 19, 19)
    located = [e for e in catalog.timeline if e.coordinates is not None]
    assert len(located) == 12 and all(catalog.location(e) is not None for e in located)
    birth = catalog.events["florida-missouri"]
    assert (birth.date, birth.time, birth.coordinates, birth.place) == (
        "2000-01-05", "06:45", (39.491711, -91.79326), "florida-missouri")
    assert "Halley’s comet" in birth.body
    assert "Media: [Mark Twain's birthplace, Florida, Missouri](https://twitter.com/" in birth.body
    # The next slide names the same place at other coordinates: one place, each event its own point.
    hannibal = catalog.events["hannibal-missouri"]
    assert hannibal.place == "florida-missouri" and hannibal.coordinates == (39.501711, -91.94326)
    assert catalog.places["florida-missouri"].coordinates == (39.491711, -91.79326)
    assert hannibal.date == "1920-01-05/1923-01-05"
    # The slides without a headline: titled from their caption, said so, the first one located
    # (its location has no name, so no place).
    gazette = "hannibal-gazette-begins-work-as-a-journeyman-printer-with-the-hannibal-gazette"
    untitled = [catalog.events[gazette], catalog.events[gazette + "-2"], catalog.events[gazette + "-3"]]
    assert all(e.title.startswith("Hannibal Gazette. Begins work") for e in untitled)
    assert all(e.annotations[0].text.startswith("The title was derived by the import from the slide's media caption")
               for e in untitled)
    assert untitled[0].coordinates == (39.710083, -91.357441) and untitled[0].place is None
    assert untitled[1].body.startswith("Media: [Hannibal Gazette.") and "twitter.com/mattmansfield" in untitled[1].body
    blockquote = catalog.events["blockquote"]
    assert "> Edith Clarke, first female professor of electrical engineering" in blockquote.body
    # What TimelineJS's file holds and the event does not is listed, per slide and field.
    for note in ("slide 4: location.icon not imported", "slide 4: location.zoom not imported",
                 "slide 1: type not imported", "slide 1: media thumb not imported",
                 "slide 4: start_date.second not imported (times are kept to the minute)",
                 "slide 5: end_date.hour, minute not imported (an event has one time of day: its start's)",
                 "slide 11: background not imported", "slide 6: headline: none; title derived from the media caption"):
        assert note in report.notes


def test_sheet_markdown_links_are_kept(tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Year,Month,Day,Headline,Text,Media Credit\n"
                     "2020,2,10,A headline,See [the report](https://example.org/r) **now**.,\n")
    content = tmp_path / "content"
    catalog = imported(run_import("csv", sheet, content), content)
    assert catalog.events["a-headline"].body == "See [the report](https://example.org/r) **now**."


def test_collectionbuilder_compound_objects(tmp_path: Path) -> None:
    content = tmp_path / "content"
    report = run_import("csv", INTEROP / "collectionbuilder-demo-compoundobjects-metadata.csv", content)
    catalog = imported(report, content)
    assert (report.records, report.events, len(catalog.events)) == (27, 19, 19)
    assert catalog.events["demo-021"].date == "1899~"  # date-is-approximate? yes
    assert [(r.event, r.relation) for r in catalog.events["demo-022"].related] == [("demo-021", "part-of")]
    assert catalog.events["demo-021"].place == catalog.events["demo-001"].place == "moscow-idaho"
    # The undated compound object demo_008 is dated by its four parts (all 2021-07-13), and says so.
    lookout = catalog.events["demo-008"]
    assert (lookout.date, lookout.title) == ("2021-07-13", "Hell's Half Acre")
    assert lookout.annotations[0].text == (
        "The date was derived by the import from the dates of its parts (demo_009, demo_010, demo_011, "
        "demo_012): the CollectionBuilder compound object has none of its own.")
    assert lookout.annotations[0].kind == "uncertainty"  # the vocabulary's kind for how a date was inferred
    assert catalog.vocabulary.annotation_kinds["uncertainty"].label == "Uncertainty"
    assert catalog.sources["demo-008"].published is None
    for part in ("demo-009", "demo-010", "demo-011", "demo-012"):
        assert [(r.event, r.relation) for r in catalog.events[part].related] == [("demo-008", "part-of")]
    assert "row 9 (demo_008): date: empty; 2021-07-13, the span of its parts' dates, taken instead" in report.notes
    # demo_013's parts have no date either; the other undated rows are parts, and CollectionBuilder's
    # timeline leaves out undated items as well: listed, each with its row and objectid.
    assert "row 14 (demo_013): date: empty, and none of its parts has a date; not imported (an event needs a date)" \
        in report.notes
    undated = [n for n in report.notes if "timeline leaves it out too" in n]
    assert [n.split(":")[0] for n in undated] == [
        "row 15 (demo_014)", "row 16 (demo_015)", "row 17 (demo_016)", "row 20 (demo_019)", "row 21 (demo_020)",
        "row 27 (demo_033)", "row 28 (demo_034)"]
    located = [e for e in catalog.timeline if catalog.location(e) is not None]
    assert len(located) == 16 and catalog.location(lookout) is not None


def test_collectionbuilder_gh_compound_objects(tmp_path: Path) -> None:
    # CollectionBuilder-GH's compound-object demo (origin in the fixtures' README): children with
    # parentid, two of them with neither title nor date, one only a YouTube id.
    content = tmp_path / "content"
    report = run_import("csv", INTEROP / "collectionbuilder-gh-demo-metadata-compoundobjects.csv", content)
    catalog = imported(report, content)
    assert (report.records, report.events, len(catalog.events)) == (14, 11, 11)
    assert sorted(catalog.events) == [f"demo-{n:03d}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 14)]
    relations = {e.id: [(r.event, r.relation) for r in e.related] for e in catalog.timeline if e.related}
    assert relations == {"demo-007": [("demo-006", "part-of")], "demo-011": [("demo-008", "part-of")],
                         "demo-014": [("demo-012", "part-of")]}
    for row in ("row 10 (demo_009)", "row 11 (demo_010)", "row 14 (demo_013)"):
        assert f"{row}: date: empty; not imported (an event needs a date; CollectionBuilder's timeline leaves it " \
            "out too)" in report.notes
    for column in ("filename", "youtubeid", "type", "format", "rights", "rightsstatement"):
        assert any(n.startswith(f"column '{column}' not imported") for n in report.notes)
    blindfold = catalog.events["demo-007"]
    assert (blindfold.date, blindfold.title) == ("1961-02", "Joe Williams Blindfold Test")
    assert catalog.sources["demo-007"].author == "Feather, Leonard"  # the cell's trailing space dropped
    # 'Moscow, Idaho' at two points: one place; each event keeps its own coordinates.
    assert catalog.events["demo-001"].place == catalog.events["demo-004"].place == "moscow-idaho"
    assert catalog.events["demo-004"].coordinates == (46.726113, -117.015671)
    # Three ';'-separated locations: places within each other, said so.
    pump = catalog.events["demo-005"]
    assert pump.place == "benton-creek" and catalog.places["benton-creek"].within == "priest-river-experimental-forest"
    assert any(n.startswith("row 6: location 'Bonner County;Priest River") for n in report.notes)
    assert catalog.events["demo-001"].tags == ["universities", "buildings", "campuses", "picture-postcards"]
    assert len([e for e in catalog.timeline if catalog.location(e) is not None]) == 4


def test_collectionbuilder_approximate_dates_and_an_undated_parent(tmp_path: Path) -> None:
    # The tail of CollectionBuilder-CSV's compound-with-all-objectids.csv (origin in the fixtures'
    # README): an undated compound parent and nine children, seven flagged 'date-is-approximate?'.
    content = tmp_path / "content"
    report = run_import("csv", INTEROP / "collectionbuilder-csv-compound-with-all-objectids-tail.csv", content)
    catalog = imported(report, content)
    assert (report.records, report.events, len(catalog.events)) == (10, 10, 10)
    dates = {e.id: e.date for e in catalog.timeline}
    assert dates == {"example-028": "1935~/2019-08-28", "example-029": "2019-08-28", "example-030": "1947~",
                     "example-031": "1947~", "example-032": "1947~", "example-033": "1935~",
                     "example-034": "1948-01-20", "example-035": "1935~/1950~", "example-036": "1942~",
                     "example-037": "1942~"}
    # The flag is on the whole date: both ends of the interval are approximate.
    assert catalog.events["example-035"].when.label() == "between about 1935 and about 1950"
    # The parent: from its earliest part's start (about 1935) to its latest part's end, annotated.
    parent = catalog.events["example-028"]
    assert parent.when.label() == "between about 1935 and 28 August 2019"
    assert parent.annotations[0].text.startswith("The date was derived by the import from the dates of its parts "
                                                 "(example_029, example_030,")
    assert all([(r.event, r.relation) for r in catalog.events[f"example-{n:03d}"].related] == [
        ("example-028", "part-of")] for n in range(29, 38))
    assert not any("parentid" in n for n in report.notes)
    good_news = catalog.events["example-030"]
    assert good_news.place == "springfield-il" and good_news.coordinates == (39.770372, -89.639463)
    assert catalog.sources["example-030"].url == "https://www.lib.uidaho.edu/collectionbuilder/demo-objects/good_news_06.mp3"
    # Coordinates without a location name: located, with no place.
    video = catalog.events["example-029"]
    assert video.place is None and catalog.location(video) is not None


@pytest.mark.parametrize("name", ["acled-sample.csv", "acled-sample-dmy.csv"])
def test_acled(name: str, tmp_path: Path) -> None:
    content = tmp_path / "content"
    report = run_import("acled", INTEROP / name, content)
    catalog = imported(report, content)
    assert (report.records, report.events) == (3, 3)
    assert sorted(catalog.events) == ["irn22059", "irq50123", "syr99001"]
    iran = catalog.events["irn22059"]
    assert iran.date == "2023-01-31" and iran.location_precision == "near"
    assert [(a.actor, a.role) for a in iran.actors] == [
        ("military-forces-of-iran-1989-islamic-revolutionary-guard-corps", "initiator"),
        ("civilians-iran", "target"), ("baloch-ethnic-group-iran", "associate-of-target")]
    assert iran.casualties[0].killed is not None and iran.casualties[0].killed.min == 1
    assert iran.sources[0].locator == "IRN22059" and iran.body == "IRGC soldiers fired at a Balochi driver"
    assert "inter1 1; inter2 7" in iran.annotations[0].text
    assert catalog.places["bampur"].within == "iranshahr"
    assert all(catalog.location(e) is not None for e in catalog.timeline)
    if name.endswith("dmy.csv"):
        assert catalog.events["irq50123"].date == "2023-02-12/2023-02-18"  # a week
        assert catalog.events["syr99001"].date == "2023-03"  # a month
        assert [c.source for c in catalog.events["irq50123"].sources][1:] == ["reuters", "local-source"]


def test_acled_genuine_export_slice(tmp_path: Path) -> None:
    # The head of an export ACLED wrote (origin in the fixtures' README): inter1/inter2 as words.
    name = "acled-somalia-2025-head.csv"
    content = tmp_path / "content"
    report = run_import("acled", INTEROP / name, content)
    catalog = imported(report, content)
    assert (report.records, report.events, len(catalog.events)) == (18, 18, 18)
    assert report.notes == []  # all 31 columns are ACLED's; every row was read whole
    assert all(catalog.location(e) is not None for e in catalog.timeline)
    strike = catalog.events["som49639"]
    assert (strike.date, strike.coordinates, strike.location_precision) == ("2025-04-01", (10.8548, 49.7434), "town")
    assert strike.type == "explosions-remote-violence" and strike.status == "reported"
    assert [(a.actor, a.role) for a in strike.actors] == [
        ("military-forces-of-the-united-states-2025", "initiator"),
        ("military-forces-of-somalia-2022", "associate-of-initiator"),
        ("islamic-state-somalia-province", "target")]
    # "External/Other forces" and "Rebel group" are ACLED's words for its codes 8 and 2.
    assert catalog.actors["military-forces-of-the-united-states-2025"].kind == "armed-force"
    assert catalog.actors["islamic-state-somalia-province"].kind == "armed-group"
    assert catalog.actors["civilians-somalia"].kind == "group"
    assert len(strike.sources) == 9 and strike.sources[0].locator == "SOM49639"  # ACLED and its 8 sources
    assert strike.casualties[0].killed is not None and strike.casualties[0].killed.min == 3
    # ACLED's count, attributed to the ACLED file (the citation whose locator is the event's id).
    assert strike.casualties[0].source == strike.sources[0].source == "acled-somalia-2025-head"
    assert strike.body.startswith("On 1 April 2025, US forces, in coordination with")
    assert catalog.events["som49640"].location_precision == "near"
    protest = catalog.events["som49644"]
    assert protest.type == "protests" and [a.role for a in protest.actors] == ["initiator", "associate-of-initiator"]
    assert "tags crowd size=no report" in protest.annotations[0].text
    # A quoted cell with a comma is one actor; two associates of the target split on ';'.
    abduction = catalog.events["som49672"]
    assert [a.actor for a in abduction.actors] == [
        "darod-dhulbahante-sub-clan-militia-somalia", "ssc-sool-sanaag-and-cayn-militia", "civilians-somalia",
        "isaaq-habar-yoonis-muse-ismail-sub-clan-group-somalia", "pastoralists-somalia"]
    assert "civilian_targeting Civilian targeting" in abduction.annotations[0].text
    assert catalog.places["bohol"].within == "xudun" and catalog.places["xudun"].within == "sool"
    # The same file again: every event exists already, nothing is written, and the import fails.
    before = sorted(p.relative_to(content) for p in content.rglob("*"))
    again = run_import("acled", INTEROP / name, content)
    assert not again.ok and again.events == 0
    assert sorted(p.relative_to(content) for p in content.rglob("*")) == before
    # Exported in ACLED's layout and read back: the same dates, places, actors and fatalities.
    exported = export_files(catalog, ExportOptions())["data/events-acled.csv"]
    (tmp_path / "events-acled.csv").write_bytes(exported)
    second = tmp_path / "two" / "content"
    copy = imported(run_import("acled", tmp_path / "events-acled.csv", second), second)
    assert sorted(copy.events) == sorted(catalog.events)
    for event in catalog.timeline:
        back = copy.events[event.id]
        assert (back.date, back.coordinates, back.location_precision) == (
            event.date, event.coordinates, event.location_precision)
        assert [(copy.actors[a.actor].name, a.role) for a in back.actors] == [
            (catalog.actors[a.actor].name, a.role) for a in event.actors]
        assert [c.killed for c in back.casualties] == [c.killed for c in event.casualties]


def test_acled_2020_export_saved_again_by_excel(tmp_path: Path) -> None:
    # The head of a 2020 ACLED export in the layout of its time (data_id, iso3; no disorder_type),
    # saved again by a spreadsheet: CRLF line ends and event_date as '9-May-20'.
    content = tmp_path / "content"
    report = run_import("acled", INTEROP / "acled-2020-excel-head.csv", content)
    catalog = imported(report, content)
    assert (report.records, report.events, len(catalog.events)) == (12, 12, 12)
    assert report.notes == [
        "acled-2020-excel-head.csv: ACLED columns missing: disorder_type, civilian_targeting, tags",
        "column 'data_id' not imported (not one of the 31 of ACLED's current export)",
        "column 'event_id_no_cnty' not imported (not one of the 31 of ACLED's current export)",
        "column 'iso3' not imported (not one of the 31 of ACLED's current export)"]
    assert catalog.events["isr1786"].date == "2020-05-09"
    assert catalog.events["mex17991"].date == "2020-05-06/2020-05-12"  # time_precision 2: a week
    assert catalog.events["yem52348"].location_precision == "region"  # geo_precision 3
    assert catalog.actors["al-shabaab"].kind == "armed-group"  # inter1 2, the digit code of this layout
    assert catalog.actors["protesters-israel"].kind == "group"  # inter1 6
    clash = catalog.events["yem52360"]
    assert clash.casualties[0].killed is not None and clash.casualties[0].killed.min == 7
    assert [c.source for c in clash.sources][1:] == ["mareb-press", "yemen-data-project"]
    assert all(catalog.location(e) is not None for e in catalog.timeline)


def test_acled_export_round_trips(tmp_path: Path) -> None:
    first = tmp_path / "one" / "content"
    catalog = imported(run_import("acled", INTEROP / "acled-sample-dmy.csv", first), first)
    exported = export_files(catalog, ExportOptions())["data/events-acled.csv"]
    header = exported.decode().splitlines()[0].split(",")
    assert len(header) == 31 and header[0] == "event_id_cnty"
    (tmp_path / "events-acled.csv").write_bytes(exported)
    second = tmp_path / "two" / "content"
    again = imported(run_import("acled", tmp_path / "events-acled.csv", second), second)
    assert sorted(again.events) == sorted(catalog.events)
    for event in catalog.timeline:
        copy = again.events[event.id]
        assert (copy.date, copy.location_precision, copy.coordinates) == (
            event.date, event.location_precision, event.coordinates)
        assert [(again.actors[a.actor].name, a.role) for a in copy.actors] == [
            (catalog.actors[a.actor].name, a.role) for a in event.actors]
        assert again.places[copy.place or ""].name == catalog.places[event.place or ""].name
        assert [c.killed for c in copy.casualties] == [c.killed for c in event.casualties]
        assert copy.annotations == event.annotations
    assert export_files(again, ExportOptions())["data/events-acled.csv"] == exported


def test_bce_events_are_left_out_of_the_acled_export(tmp_path: Path) -> None:
    content = tmp_path / "content"
    catalog = imported(run_import("timelinejs", INTEROP / "timelinejs3-cosmological.json", content), content)
    rows = export_files(catalog, ExportOptions())["data/events-acled.csv"].decode().splitlines()
    assert len(rows) == 1  # only the header: no event of this file has a calendar day in 1-9999


def test_a_failed_import_leaves_git_status_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "small_site" / "content", site / "content")
    subprocess.run(["git", "init", "-q", str(site)], check=True)
    subprocess.run(["git", "-C", str(site), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(site), "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "c"],
                   check=True)

    def status() -> str:
        return subprocess.run(["git", "-C", str(site), "status", "--porcelain", "--untracked-files=all"],
                              capture_output=True, text=True, check=True).stdout

    content = str(site / "content")
    houston = str(PEERS / "timelinejs" / "houston.json")
    # No --type, and the vocabulary has no 'event': one sentence, exit 2, nothing written.
    assert main(["import", "timelinejs", houston, "--content", content]) == 2
    assert "pass --type with one of diplomacy, shelling, statement" in capsys.readouterr().err
    assert status() == ""
    # A slide whose headline the validator refuses (longer than a title may be): the whole import
    # fails validation, exit 1, and the good slide beside it is not written either.
    bad = tmp_path / "bad.json"
    bad.write_text('{"events": [{"start_date": {"year": "2020"}, "text": {"headline": "Fine"}},'
                   ' {"start_date": {"year": "2020"}, "text": {"headline": "' + "x" * 600 + '"}}]}')
    assert main(["import", "timelinejs", str(bad), "--content", content, "--type", "statement"]) == 1
    out = capsys.readouterr().out
    assert "would have been written" in out and "nothing was written" in out and "title" in out
    assert status() == ""
    # A dry run validates and lists, and writes nothing.
    assert main(["import", "timelinejs", houston, "--content", content, "--type", "statement",
                 "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would be written" in out and "dry run: nothing was written" in out
    assert status() == ""
    # Imported, committed, then imported again: every event exists, nothing is imported, exit 1.
    assert main(["import", "timelinejs", houston, "--content", content, "--type", "statement"]) == 0
    subprocess.run(["git", "-C", str(site), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(site), "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "i"],
                   check=True)
    capsys.readouterr()
    assert main(["import", "timelinejs", houston, "--content", content, "--type", "statement"]) == 1
    assert "already exists; left alone" in capsys.readouterr().out
    assert status() == ""


def test_defaults_come_from_the_target_vocabulary(tmp_path: Path) -> None:
    # A first import into an empty folder writes a vocabulary with the one type it was given; the
    # next import, without --type, takes that vocabulary's only type, and its usual status.
    content = tmp_path / "content"
    first = TIMELINEJS_PEERS / "women_in_computing.json"
    imported(run_import("timelinejs", first, content, event_type="milestone"), content)
    catalog = imported(run_import("timelinejs", TIMELINEJS_PEERS / "houston.json", content), content)
    assert {e.type for e in catalog.events.values()} == {"milestone"}
    assert {e.status for e in catalog.events.values()} == {"reported"}
    assert list(catalog.vocabulary.event_types) == ["milestone"]


def test_ids_from_arabic_and_cyrillic_headlines(tmp_path: Path) -> None:
    # Written here (no real file found with such headlines): ids are the one slug function's.
    source = tmp_path / "slides.json"
    source.write_text(json.dumps({"events": [
        {"start_date": {"year": "2020", "month": "2", "day": "27"}, "text": {"headline": "Россия наносит удар"}},
        {"start_date": {"year": "2020", "month": "2", "day": "27"}, "text": {"headline": "قصف إدلب"}},
        {"start_date": {"year": "2020", "month": "2", "day": "28"}, "text": {"headline": "هجوم على سراقب"}},
    ]}, ensure_ascii=False), encoding="utf-8")
    content = tmp_path / "content"
    catalog = imported(run_import("timelinejs", source, content), content)
    assert sorted(catalog.events) == ["hjwm-la-srqb", "qsf-dlb", "rossiya-nanosit-udar"]
    assert catalog.events["qsf-dlb"].title == "قصف إدلب"
    assert (content / "events" / "2020" / "rossiya-nanosit-udar.md").is_file()


# Every real file, with the records it holds, the events it gives and how many of them are located.
REAL_FILES = [
    ("timelinejs", PEERS / "timelinejs" / "women_in_computing.json", 10, 10, 0),
    ("timelinejs", PEERS / "timelinejs" / "houston.json", 18, 18, 0),
    ("csv", PEERS / "timelinejs" / "women_in_computing.csv", 10, 10, 0),
    ("csv", PEERS / "collectionbuilder" / "demo-metadata.csv", 7, 7, 7),
    ("timelinejs", INTEROP / "timelinejs2-example_json.json", 21, 21, 0),
    ("timelinejs", INTEROP / "timelinejs3-cosmological.json", 6, 6, 0),
    ("timelinejs", INTEROP / "timelinejs3-marktwain_juked.json", 19, 19, 12),
    ("timelinejs", INTEROP / "timelinejs3-seventh_century.json", 21, 21, 0),
    ("csv", INTEROP / "timelinejs3-template-my-own-timeline.csv", 10, 10, 0),
    ("csv", INTEROP / "collectionbuilder-demo-compoundobjects-metadata.csv", 27, 19, 16),
    ("csv", INTEROP / "collectionbuilder-gh-demo-metadata-compoundobjects.csv", 14, 11, 4),
    ("csv", INTEROP / "collectionbuilder-csv-compound-with-all-objectids-tail.csv", 10, 10, 3),
    ("acled", INTEROP / "acled-somalia-2025-head.csv", 18, 18, 18),
    ("acled", INTEROP / "acled-2020-excel-head.csv", 12, 12, 12),
    ("acled", INTEROP / "acled-sample.csv", 3, 3, 3),
    ("acled", INTEROP / "acled-sample-dmy.csv", 3, 3, 3),
]


def test_every_real_file_is_in_the_build_test() -> None:
    listed = {path.name for _, path, *_ in REAL_FILES}
    assert {p.name for p in INTEROP.iterdir() if p.name != "README.md"} <= listed
    assert {p.name for p in PEERS.rglob("*") if p.suffix in (".json", ".csv")} <= listed


@pytest.mark.parametrize(("fmt", "path", "records", "events", "located"), REAL_FILES,
                         ids=[path.name for _, path, *_ in REAL_FILES])
def test_every_real_file_imports_validates_builds_and_shows_its_located_events_on_the_map(
        fmt: str, path: Path, records: int, events: int, located: int, tmp_path: Path) -> None:
    from conftest import ROOT, mkdocs_build

    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    report = run_import(fmt, path, project / "content")
    catalog = imported(report, project / "content")  # validates with the loader and the catalog
    assert (report.records, report.events, len(catalog.events)) == (records, events, events)
    on_map = sorted(e.id for e in catalog.timeline if catalog.location(e) is not None)
    assert len(on_map) == located
    config = (FIXTURES / "data_site" / "mkdocs.yml").read_text()
    config = config.replace("custom_dir: ../../../site_overrides", f"custom_dir: {ROOT / 'site_overrides'}")
    (project / "mkdocs.yml").write_text(config)
    site = mkdocs_build(project, tmp_path / "site")  # strict: a warning fails the build
    assert all((site / "events" / event_id / "index.html").is_file() for event_id in catalog.events)
    # The global map draws data/map.geojson: exactly the located events, each at its coordinates.
    features = json.loads((site / "data" / "map.geojson").read_text())["features"]
    assert sorted(f["properties"]["id"] for f in features) == on_map
    for feature in features:
        where = catalog.location(catalog.events[feature["properties"]["id"]])
        assert where is not None and feature["geometry"]["coordinates"] == pytest.approx([where.lon, where.lat],
                                                                                         abs=1e-5)
    assert (site / "map" / "index.html").is_file()


def test_timelinejs3_seventh_century_years_before_1000(tmp_path: Path) -> None:
    content = tmp_path / "content"
    report = run_import("timelinejs", INTEROP / "timelinejs3-seventh_century.json", content)
    catalog = imported(report, content)
    assert (report.records, report.events, len(catalog.events)) == (21, 21, 21)
    # Years before 1000 are written in quotes: plain, '0668' is a number to YAML 1.2 readers.
    written = (content / "events" / "668" / "ends-of-the-three-kingdoms-period-in-korea.md").read_text()
    assert "date: '0668'\n" in written
    assert catalog.events["ends-of-the-three-kingdoms-period-in-korea"].when.label() == "668"
    assert catalog.events["tang-dynasty-in-china"].date == "0618-06-18/0907-06-01"
    assert catalog.events["muhammad-migrates-from-mecca-to-medina"].date == "0622-08-09/0622-08-23"
    assert "Media: [Media](https://en.wikipedia.org/wiki/Battle_of_Nihaw%C4%81nd)" in (
        catalog.events["battle-of-nehawand"].body)
    assert catalog.events["slav-occupation-of-balkans-complete"].body.startswith("Media: ")  # empty text
    backgrounds = [n for n in report.notes if "background not imported" in n]
    assert len(backgrounds) == 8 and "slide 17: background not imported" in backgrounds
    ics = export_files(catalog, ExportOptions())["data/events.ics"]
    assert b"DTSTART;VALUE=DATE:06680101\r\n" in ics


def test_timelinejs_sheet_template(tmp_path: Path) -> None:
    # Knight Lab's sheet template as a CSV (CRLF, one title row, HTML in the cells).
    content = tmp_path / "content"
    report = run_import("csv", INTEROP / "timelinejs3-template-my-own-timeline.csv", content)
    catalog = imported(report, content)
    assert (report.records, report.events, len(catalog.events)) == (10, 10, 10)
    ada = catalog.events["ada-lovelace"]
    assert ada.date == "1815-12-10/1852-11-27"
    assert "[Ada Lovelace](https://en.wikipedia.org/wiki/Ada_Lovelace)" in ada.body
    assert catalog.events["and-the-women-who-made-it-work"].date == "1943-07/1946"
    assert catalog.events["rozsa-peter-writes-recursion"].title == "Rózsa Péter writes recursion"
    assert catalog.events["the-mother-of-the-internet"].title == '"The Mother of the Internet"'
    assert catalog.events["edith-clarke-bucking-the-trend"].body.startswith("> There is no demand")
    # A link in a media credit stays a link.
    assert "([Innovation Hub](http://blogs.wgbh.org/innovation-hub/2017/12/8/life-legacy-grace-hopper/))" in (
        catalog.events["grace-hopper-invents-the-compiler"].body)
    assert report.notes == ["title slide: background not imported", "slide 3: background not imported"]
