"""Importers on files nobody on this project wrote (../shared/peers), on hostile input, and the
round trip export -> import -> export."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from timeweave.catalog.catalog import Catalog, load_catalog
from timeweave.cli.main import main
from timeweave.content.loader import load_content
from timeweave.content.policy import body_problems
from timeweave.exports import ExportOptions, export_files
from timeweave.tools.importers import ImportReport, ImportUsageError, edtf_from_parts, run_import
from timeweave.tools.importers.html import html_to_markdown

from conftest import FIXTURES, ROOT, SHARED, mkdocs_build

PEERS = SHARED / "peers"
TIMELINEJS = PEERS / "timelinejs"
COLLECTIONBUILDER = PEERS / "collectionbuilder" / "demo-metadata.csv"
RAW_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*[\s/>]")


def imported(report: ImportReport, content: Path) -> Catalog:
    assert report.ok, report.format()
    catalog, errors = load_catalog(content, content.parent)
    assert catalog is not None, errors.items
    return catalog


def assert_no_raw_html(content: Path) -> None:
    for raw in load_content(content).records:
        assert not RAW_HTML.search(raw.body), (raw.path, raw.body)
        assert not list(body_problems(raw.body)), raw.path
        for value in json.dumps(raw.data, ensure_ascii=False).split('"'):
            assert not RAW_HTML.search(value), (raw.path, value)


def test_peer_files_are_there() -> None:
    # CI has ../shared beside the clone; without it these tests would test nothing.
    assert (TIMELINEJS / "women_in_computing.json").is_file() and COLLECTIONBUILDER.is_file()


def test_timelinejs_women_in_computing(tmp_path: Path) -> None:
    content = tmp_path / "content"
    report = run_import("timelinejs", TIMELINEJS / "women_in_computing.json", content)
    catalog = imported(report, content)
    source = json.loads((TIMELINEJS / "women_in_computing.json").read_text())
    assert len(catalog.events) == len(source["events"]) == 10
    ada = catalog.events["ada-lovelace"]
    assert ada.date == "1815-12-10/1852-11-27"
    assert ada.path.endswith("events/1815/ada-lovelace.md")
    assert "[Ada Lovelace](https://en.wikipedia.org/wiki/Ada_Lovelace)" in ada.body
    assert "Media: [Portrait by Alfred Edward Chalon](https://upload.wikimedia.org/" in ada.body
    assert catalog.events["and-the-women-who-made-it-work"].date == "1943-07/1946"
    assert catalog.events["rozsa-peter-writes-recursion"].title == "Rózsa Péter writes recursion"
    clarke = catalog.events["edith-clarke-bucking-the-trend"]
    assert clarke.date == "1948-03-14" and clarke.body.startswith("> There is no demand for women engineers")
    assert [s.source for s in ada.sources] == ["women-in-computing"] and ada.sources[0].locator == "slide 1"
    assert catalog.sources["women-in-computing"].title == "Women in Computing (TimelineJS)"
    assert "title slide: background not imported" in report.notes
    assert_no_raw_html(content)


def test_timelinejs_houston(tmp_path: Path) -> None:
    content = tmp_path / "content"
    report = run_import("timelinejs", TIMELINEJS / "houston.json", content)
    catalog = imported(report, content)
    assert len(catalog.events) == 18
    # "<br/>" in a headline becomes a space; the title is one line of text.
    assert catalog.events["whitney-houston-1963-2012"].title == "Whitney Houston 1963-2012"
    assert catalog.events["whitney-houston-1963-2012"].date == "2012-02-11"
    # three slides share the year 1978: three events, three ids
    assert {e.id for e in catalog.events.values() if e.date == "1978"} == {
        "first-recording",
        "the-early-years",
        "early-album-credits",
    }
    # protocol-relative media URLs become https; a site-relative one cannot work here and is reported
    assert (
        "(https://twitter.com/Blavity/status/851872780949889024)"
        in catalog.events["whitney-houston-1963-2012"].body
    )
    assert any("/static/img/examples/houston/family.jpg" in note for note in report.notes)
    assert "*Bodyguard*" in catalog.events["the-early-years"].body
    assert_no_raw_html(content)


def test_timelinejs_spreadsheet_matches_the_json(tmp_path: Path) -> None:
    from_csv, from_json = tmp_path / "csv" / "content", tmp_path / "json" / "content"
    csv_catalog = imported(run_import("csv", TIMELINEJS / "women_in_computing.csv", from_csv), from_csv)
    json_catalog = imported(
        run_import("timelinejs", TIMELINEJS / "women_in_computing.json", from_json), from_json
    )
    assert set(csv_catalog.events) == set(json_catalog.events)
    for event_id, event in csv_catalog.events.items():
        other = json_catalog.events[event_id]
        assert (event.title, event.date) == (other.title, other.date)
    assert_no_raw_html(from_csv)


def test_collectionbuilder_csv(tmp_path: Path) -> None:
    content = tmp_path / "content"
    report = run_import("csv", COLLECTIONBUILDER, content)
    catalog = imported(report, content)
    assert len(catalog.events) == 7
    postcard = catalog.events["demo-002"]
    assert postcard.date == "1912-09-08" and postcard.coordinates == (47.66432, -117.428031)
    assert postcard.tags == ["public-buildings", "county-courthouses", "trees", "picture-postcards"]
    assert catalog.places[postcard.place].name == "Spokane, Washington"  # type: ignore[index]
    item = catalog.sources["demo-002"]
    assert item.author == "Spokane Post Card Co." and item.language == "eng"
    assert catalog.sources["demo-004"].url == "https://youtu.be/CVXQ3X6Q8oU"
    assert catalog.events["demo-007"].sources[0].locator == "DOI:10.1577/M02-113"
    # the three Moscow, Idaho items share one place
    assert {catalog.events[i].place for i in ("demo-001", "demo-003", "demo-004")} == {"moscow-idaho"}
    assert any(note.startswith("column 'rightsstatement' not imported") for note in report.notes)
    assert any("object_location '/objects/demo_001.jpg'" in note for note in report.notes)
    assert_no_raw_html(content)


def test_imported_site_builds_strictly(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    run_import("timelinejs", TIMELINEJS / "women_in_computing.json", project / "content")
    config = (FIXTURES / "data_site" / "mkdocs.yml").read_text()
    config = config.replace("custom_dir: ../../../site_overrides", f"custom_dir: {ROOT / 'site_overrides'}")
    (project / "mkdocs.yml").write_text(config)
    site = mkdocs_build(project, tmp_path / "site")
    page = (site / "events" / "ada-lovelace" / "index.html").read_text()
    assert 'href="https://en.wikipedia.org/wiki/Ada_Lovelace"' in page
    assert "<script>alert" not in page


def test_hostile_timelinejs(tmp_path: Path) -> None:
    hostile = {
        "title": {
            "text": {"headline": "<img src=x onerror=alert(1)>Hostile", "text": "<script>alert(1)</script>"}
        },
        "events": [
            {
                "start_date": {"year": "2020", "month": "2", "day": "10", "hour": "14", "minute": "5"},
                "text": {
                    "headline": "Attack <script>alert('t')</script>\u202eevil",
                    "text": '<p onclick="x()">Hi <a href="javascript:alert(1)">click</a> '
                    '<iframe src="https://example.org"></iframe><style>p{}</style>'
                    '<a href="data:text/html,x">d</a> &lt;script&gt;alert(2)&lt;/script&gt;</p>',
                },
                "media": {"url": '<blockquote onmouseover="x()">Quote<script>bad()</script></blockquote>'},
                "group": "<b>Group One</b>",
                "unique_id": "Not A Valid Id!",
            },
            {"start_date": {"year": str(date.today().year + 1)}, "text": {"headline": "From the future"}},
            {"start_date": {"year": ""}, "text": {"headline": "No date"}},
            {"start_date": {"year": "2020"}, "text": {"headline": ""}},
        ],
    }
    source = tmp_path / "hostile.json"
    source.write_text(json.dumps(hostile))
    content = tmp_path / "content"
    report = run_import("timelinejs", source, content)
    catalog = imported(report, content)
    assert sorted(catalog.events) == ["not-a-valid-id", "slide-4"]  # a slide without headline is shown too
    assert catalog.events["slide-4"].annotations[0].text.startswith("The title was derived by the import")
    event = catalog.events["not-a-valid-id"]
    assert event.title == "Attack evil" and event.time == "14:05" and event.tags == ["group-one"]
    assert "javascript" not in event.body and "data:" not in event.body and "iframe" not in event.body
    assert "&lt;script" in event.body  # the text "<script>" is shown, never run
    assert "> Quote" in event.body and "bad()" not in event.body
    assert_no_raw_html(content)
    notes = "\n".join(report.notes)
    assert "slide 1: media HTML: <script> dropped" in notes and "link 'javascript:alert(1)'" in notes
    assert "slide 2: skipped: the date" in notes and "is in the future" in notes
    assert "slide 3: skipped: start_date has no year" in notes
    assert "slide 4: headline: none; title derived from the slide number" in notes


def test_never_overwrites_and_is_idempotent(tmp_path: Path) -> None:
    content = tmp_path / "content"
    first = run_import("timelinejs", TIMELINEJS / "houston.json", content)
    target = content / "events" / "1985" / "debut.md"
    target.write_text(target.read_text().replace("Debut", "Debut (edited by hand)"))
    second = run_import("timelinejs", TIMELINEJS / "houston.json", content)
    assert first.written and first.ok and not second.written
    assert "(edited by hand)" in target.read_text()
    assert second.valid and second.kept == []  # existing records are reused, not drafted again
    assert not second.ok and second.events == 0  # nothing new imported: the command exits non-zero
    assert any("event 'debut' already exists; left alone" in note for note in second.notes)


def test_import_into_existing_content_maps_to_its_vocabulary(tmp_path: Path) -> None:
    content = shutil.copytree(FIXTURES / "small_site" / "content", tmp_path / "content")
    before = sorted(p.relative_to(content) for p in content.rglob("*"))
    vocabulary = (content / "vocabulary.yml").read_bytes()
    # No 'event' type in this vocabulary and several others: one sentence names the option, and
    # nothing is written (the source file used to be, before every event was skipped).
    with pytest.raises(ImportUsageError, match=r"no 'event' in event_types: pass --type with one of "
                       r"diplomacy, shelling, statement"):
        run_import("timelinejs", TIMELINEJS / "houston.json", content)
    with pytest.raises(ImportUsageError, match="'concert' is not in event_types"):
        run_import("timelinejs", TIMELINEJS / "houston.json", content, event_type="concert")
    assert sorted(p.relative_to(content) for p in content.rglob("*")) == before
    report = run_import(
        "timelinejs", TIMELINEJS / "houston.json", content, event_type="statement", status="claimed"
    )
    catalog = imported(report, content)
    assert (content / "vocabulary.yml").read_bytes() == vocabulary  # never rewritten
    assert catalog.events["debut"].type == "statement" and catalog.events["debut"].status == "claimed"
    assert "shelling-of-post" in catalog.events  # the existing content is still there


# -- round trip -------------------------------------------------------------------------------------


def csv_rows(data: bytes) -> tuple[list[str], list[list[str]]]:
    header, *rows = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    return header, sorted(rows)


@pytest.mark.parametrize(
    "content",
    [FIXTURES / "data_site" / "content", FIXTURES / "small_site" / "content", ROOT / "content"],
    ids=["data_site", "small_site", "real"],
)
def test_csv_round_trip_keeps_the_data(content: Path, tmp_path: Path) -> None:
    catalog, errors = load_catalog(content)
    assert catalog is not None, errors.items
    exported = export_files(catalog, ExportOptions())["data/events.csv"]
    (tmp_path / "events.csv").write_bytes(exported)
    target = tmp_path / "content"
    report = run_import("csv", tmp_path / "events.csv", target)
    again = imported(report, target)
    assert not report.notes, report.notes
    # The same rows; their order may differ, since the timeline orders events of one period by
    # their relations (catalog/order.py), which a CSV does not carry.
    assert csv_rows(export_files(again, ExportOptions())["data/events.csv"]) == csv_rows(exported)
    assert set(again.events) == {e.id for e in catalog.timeline}
    for event in catalog.timeline:
        copy = again.events[event.id]
        assert (copy.title, copy.date, copy.time, copy.type, copy.status, copy.body, copy.tags) == (
            event.title,
            event.date,
            event.time,
            event.type,
            event.status,
            event.body,
            event.tags,
        )
        assert [(a.actor, a.role) for a in copy.actors] == [(a.actor, a.role) for a in event.actors]
        assert again.location(copy) == again.location(copy) and (catalog.location(event) is None) == (
            again.location(copy) is None
        )


def test_cli_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = tmp_path / "content"
    code = main(
        ["import", "timelinejs", str(TIMELINEJS / "women_in_computing.json"), "--content", str(content)]
    )
    out = capsys.readouterr().out
    assert code == 0 and "validation: the content is valid" in out and "background not imported" in out
    assert main(["validate", "--content", str(content)]) == 0
    assert main(["import", "csv", str(tmp_path / "missing.csv"), "--content", str(content)]) == 2


# -- helpers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "parts, expected",
    [
        (("2020", "2", "10"), "2020-02-10"),
        (("2020", "", ""), "2020"),
        (("1943", "7", ""), "1943-07"),
        (("2020", "", "5"), "2020"),
        (("", "2", "1"), None),
        (("-500", "", ""), "-0500"),
        (("-13798000000", "", ""), "Y-13798000000"),
        (("0", "", ""), "0000"),
        ((950, None, None), "0950"),
    ],
)
def test_edtf_from_parts(parts: tuple[object, object, object], expected: str | None) -> None:
    assert edtf_from_parts(*parts) == expected


def test_html_to_markdown_is_readable_and_safe() -> None:
    text, dropped = html_to_markdown(
        "<p>In 1985. the # sign, x_y and a - dash</p><p>1. not a list</p>"
        "<ul><li>a list</li></ul><p>a<br>b</p>"
    )
    assert text == "In 1985. the # sign, x_y and a - dash\n\n1\\. not a list\n\n- a list\n\na\\\nb"
    assert dropped == []
