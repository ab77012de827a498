"""Every export read back by a real parser and compared with the content of a fixture site."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import feedparser
import frictionless
import geojson
import icalendar
import pytest

from timeweave.catalog.catalog import Catalog, load_catalog
from timeweave.content.dates import parse_date
from timeweave.content.models import CountRange
from timeweave.exports import (
    CSV_COLUMNS,
    EXPORTS,
    FORMULA_TRIGGERS,
    ExportOptions,
    export_files,
    neutralize_cell,
    restore_cell,
    stable_uuid,
    total,
)
from timeweave.exports.acled import COLUMNS as ACLED_COLUMNS

FIXTURE = Path(__file__).parents[1] / "fixtures" / "data_site"
SITE_NAME = 'Data fixture, "quoted" & <odd>'


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    result, errors = load_catalog(FIXTURE / "content")
    assert result is not None, errors.items
    return result


@pytest.fixture(scope="module")
def files(catalog: Catalog) -> dict[str, bytes]:
    return export_files(catalog, ExportOptions(site_name=SITE_NAME))


def records(files: dict[str, bytes], name: str) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in json.loads(files[f"data/{name}.json"])[name]}


# -- JSON -----------------------------------------------------------------------------------------


def test_events_json_has_every_event_with_normalized_dates(catalog: Catalog, files: dict[str, bytes]) -> None:
    doc = json.loads(files["data/events.json"])
    assert doc["count"] == len(catalog.events) == 7
    assert doc["url_base"] == "../" and doc["site_url"] is None
    events = {r["id"]: r for r in doc["events"]}
    assert set(events) == set(catalog.events)
    for event_id, event in catalog.events.items():
        record, when = events[event_id], parse_date(event.date)
        assert record["title"] == event.title
        assert record["body"] == event.body
        assert record["url"] == f"events/{event_id}/"
        assert record["date"]["edtf"] == event.date
        assert record["date"]["earliest"] == (when.earliest.isoformat() if when.earliest else None)
        assert record["date"]["latest"] == (when.latest.isoformat() if when.latest else None)
        assert record["date"]["precision"] == when.precision
        assert [(a["id"], a["role"]) for a in record["actors"]] == [(a.actor, a.role) for a in event.actors]
        assert [s["id"] for s in record["sources"]] == [s.source for s in event.sources]
        for ref in record["actors"] + record["sources"] + record["related"]:
            assert set(ref) >= {"id", "url"} and ref["url"].endswith(f"/{ref['id']}/")


def test_events_json_details(files: dict[str, bytes]) -> None:
    events = records(files, "events")
    shelling = events["shelling-of-hill-post"]
    assert shelling["time"] == "14:30"
    assert shelling["location"] == {
        "latitude": 36.012,
        "longitude": 36.713,
        "precision": "near",
        "radius_m": 2000,
        "from": "event",
    }
    assert [p["id"] for p in shelling["place_hierarchy"]] == [
        "hill-post",
        "beta-town",
        "delta-district",
        "beta-province",
        "gamma-country",
    ]
    assert shelling["casualties"][0]["killed"] == {"min": 5, "max": 5}
    assert shelling["casualties"][0]["injured"] == {"min": 2, "max": 4}
    assert shelling["casualties"][0]["source"] == {"id": "fixture-report", "url": "sources/fixture-report/"}
    assert shelling["fatalities"] == {"min": 205, "max": None}  # 200 civilians "at least": no upper bound
    assert shelling["sources"][0]["quote"] == "five soldiers died"
    assert shelling["annotations"][0]["kind_label"] == "Uncertainty"
    assert events["threat-before-february-ends"]["date"] == {
        "edtf": "../2020-02",
        "earliest": None,
        "latest": "2020-02-29",
        "precision": "interval",
        "approximate": False,
        "uncertain": False,
        "label": "until February 2020",
    }
    assert events["talks-in-2019"]["date"]["edtf"] == "2019"  # `date: 2019` as a YAML number
    assert events["withdrawn-report"]["withdrawn"] == {
        "date": "2020-03-01",
        "reason": "The report was a duplicate of another.",
    }
    assert events["merged-shelling"]["merged_into"] == {
        "id": "shelling-of-hill-post",
        "url": "events/shelling-of-hill-post/",
    }
    hostile = events["hostile-title"]
    assert hostile["title"] == '=HYPERLINK("http://x";"y"), <script>alert(1)</script> & \\ back; semi'
    assert hostile["related"][0]["relation_label"] == "Follows"


def test_actor_place_source_json(catalog: Catalog, files: dict[str, bytes]) -> None:
    actors, places, sources = records(files, "actors"), records(files, "places"), records(files, "sources")
    assert set(actors) == set(catalog.actors) and set(places) == set(catalog.places)
    assert set(sources) == set(catalog.sources)
    army = actors["alpha-army"]
    assert army["aliases"] == [{"name": "جيش ألفا", "lang": "ar"}]
    assert army["former_ids"] == ["alpha-forces"]
    affiliation = army["affiliations"][0]
    assert affiliation["id"] == "alpha-state" and affiliation["relation"] == "part-of"
    assert affiliation["from"]["edtf"] == "1990" and affiliation["to"]["approximate"] is True
    assert actors["alpha-state"]["wikidata"] == {"id": "Q1", "url": "https://www.wikidata.org/wiki/Q1"}
    assert [e["id"] for e in actors["beta-leader"]["events"]] == [
        e.id for e, _ in catalog.actor_events["beta-leader"]
    ]
    province = places["beta-province"]
    assert province["names"] == {"ar": "محافظة بيتا", "tr": "Beta İli"}
    assert province["within"]["id"] == "gamma-country"
    assert province["coordinates"] == {"latitude": 35.9, "longitude": 36.6}
    assert places["hill-post"]["location_precision"] == "near"
    report = sources["fixture-report"]
    assert report["external_url"] == "https://example.org/report"
    assert report["url"] == "sources/fixture-report/"
    assert report["published"]["earliest"] == "2020-02-15" and report["accessed"] == "2020-03-01"
    vocabulary = json.loads(files["data/vocabulary.json"])
    assert vocabulary["relations"]["follows"]["inverse"] == "Followed by"
    assert vocabulary["event_types"]["shelling"]["url"] == "types/shelling/"


# -- CSV ------------------------------------------------------------------------------------------


def csv_rows(files: dict[str, bytes]) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files["data/events.csv"].decode(), newline="")))


def test_csv_one_row_per_live_event(catalog: Catalog, files: dict[str, bytes]) -> None:
    rows = csv_rows(files)
    assert [r["id"] for r in rows] == [e.id for e in catalog.timeline]
    assert "withdrawn-report" not in {r["id"] for r in rows} and "merged-shelling" not in {
        r["id"] for r in rows
    }
    assert list(rows[0]) == [c.name for c in CSV_COLUMNS]
    row = {r["id"]: r for r in rows}["shelling-of-hill-post"]
    assert row["date_start"] == row["date_end"] == "2020-02-10" and row["date_precision"] == "day"
    assert row["actors"] == "alpha-army:initiator; beta-leader:target"
    assert row["place"] == "hill-post" and row["place_kind"] == "site"
    assert (row["country"], row["admin1"], row["admin2"]) == (
        "Gamma Country",
        "Beta Province",
        "Delta District",
    )
    assert (row["latitude"], row["longitude"], row["location_precision"]) == ("36.012", "36.713", "near")
    assert (row["fatalities_min"], row["fatalities_max"]) == ("205", "")
    assert (row["injured_min"], row["injured_max"]) == ("2", "4")
    assert row["sources"] == "fixture-report; undated-note"


def test_csv_cells_cannot_run_as_formulas(files: dict[str, bytes]) -> None:
    rows = {r["id"]: r for r in csv_rows(files)}
    for row in rows.values():
        for column in CSV_COLUMNS:
            if column.type == "string":
                assert not row[column.name].startswith(("=", "+", "-", "@", "\t", "\r")), (column.name, row)
    hostile = rows["hostile-title"]
    assert hostile["title"] == "'" + '=HYPERLINK("http://x";"y"), <script>alert(1)</script> & \\ back; semi'
    assert hostile["notes"].startswith("'-2+3")
    assert rows["threat-before-february-ends"]["notes"].startswith("'@someone")
    assert rows["deployment-from-8-february"]["notes"].startswith("'+ A deployment")
    assert rows["hostile-title"]["actor_names"] == '\'=Beta\\; Leader, the "Great"'
    # Numbers are never prefixed: a negative longitude stays a number.
    assert neutralize_cell("-117.0") == "'-117.0" and restore_cell("'-117.0") == "-117.0"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "'=x", "'plain", "plain", ""])
def test_neutralize_is_undone_exactly(text: str) -> None:
    cell = neutralize_cell(text)
    assert not cell.startswith(FORMULA_TRIGGERS[:-1])
    assert restore_cell(cell) == text


def test_totals_of_ranges() -> None:
    assert total([CountRange(min=5, max=5), CountRange(min=2, max=4)]) == {"min": 7, "max": 9}
    assert total([CountRange(min=5, max=5), CountRange(min=200)]) == {"min": 205, "max": None}
    assert total([CountRange(max=10)]) == {"min": 0, "max": 10}
    assert total([None]) is None


# -- GeoJSON --------------------------------------------------------------------------------------


def test_geojson_is_valid_and_matches_locations(catalog: Catalog, files: dict[str, bytes]) -> None:
    collection = geojson.loads(files["data/events.geojson"].decode())
    assert collection.is_valid, collection.errors()
    assert collection["type"] == "FeatureCollection"
    located = [e for e in catalog.timeline if catalog.location(e)]
    assert [f["id"] for f in collection["features"]] == [e.id for e in located]
    for feature, event in zip(collection["features"], located, strict=True):
        location = catalog.location(event)
        assert location is not None
        assert feature["geometry"]["type"] == "Point"
        assert feature["geometry"]["coordinates"] == [location.lon, location.lat]  # longitude first
        assert feature["properties"]["title"] == event.title
        assert feature["properties"]["radius_m"] == location.radius_m
        assert -180 <= location.lon <= 180 and -90 <= location.lat <= 90


# -- iCalendar ------------------------------------------------------------------------------------


def test_icalendar_parses_with_bounds_and_stable_uids(catalog: Catalog, files: dict[str, bytes]) -> None:
    calendar = icalendar.Calendar.from_ical(files["data/events.ics"])
    assert str(calendar["NAME"]) == 'Data fixture, "quoted" & <odd>'

    vevents = {str(v["UID"]): v for v in calendar.walk("VEVENT")}
    assert len(vevents) == len(catalog.timeline)
    for event in catalog.timeline:
        vevent = vevents[stable_uuid(SITE_NAME, f"events/{event.id}/")]
        when = parse_date(event.date)
        first, last = when.earliest or when.latest, when.latest or when.earliest
        assert str(vevent["SUMMARY"]) == event.title  # ; , \ and quotes survive RFC 5545 escaping
        assert vevent.decoded("DTSTART") == first
        assert vevent.decoded("DTEND") == last + timedelta(days=1)  # exclusive end
        assert isinstance(vevent.decoded("DTSTART"), date) and not isinstance(
            vevent.decoded("DTSTART"), datetime
        )
        assert f"events/{event.id}/" in str(vevent["DESCRIPTION"])  # the page, without site_url
        assert "URL" not in vevent  # a relative path is not a valid URI value
    hostile = vevents[stable_uuid(SITE_NAME, "events/hostile-title/")]
    assert "-2+3 starts with a minus; commas, semicolons; and a backslash \\" in str(hostile["DESCRIPTION"])
    geo = vevents[stable_uuid(SITE_NAME, "events/shelling-of-hill-post/")].decoded("GEO")
    assert tuple(geo) == (36.012, 36.713)


def test_icalendar_description_is_the_first_paragraph_and_the_page(files: dict[str, bytes]) -> None:
    # A calendar shows the description as a note: the account's first paragraph, then where the
    # whole account is (events.json and events.csv keep it whole).
    calendar = icalendar.Calendar.from_ical(files["data/events.ics"])
    vevent = next(v for v in calendar.walk("VEVENT")
                  if str(v["UID"]) == stable_uuid(SITE_NAME, "events/shelling-of-hill-post/"))
    description = str(vevent["DESCRIPTION"])
    assert "Five soldiers were **reportedly** killed when the post was shelled." in description
    assert "a list item" not in description
    assert description.endswith("Page: events/shelling-of-hill-post/ (path on the site)")
    assert "a list item" in records(files, "events")["shelling-of-hill-post"]["body"]


def test_icalendar_lines_are_folded_at_75_octets(files: dict[str, bytes]) -> None:
    for line in files["data/events.ics"].split(b"\r\n"):
        assert len(line) <= 75
    assert b"\n" not in files["data/events.ics"].replace(b"\r\n", b"")


def test_icalendar_url_is_absolute_with_site_url(catalog: Catalog) -> None:
    out = export_files(catalog, ExportOptions(site_name=SITE_NAME, site_url="https://example.org/t"))
    calendar = icalendar.Calendar.from_ical(out["data/events.ics"])
    urls = sorted(str(v["URL"]) for v in calendar.walk("VEVENT"))
    assert urls[0].startswith("https://example.org/t/events/")
    # The description names the page too: not every calendar app shows the URL property.
    assert all(str(v["DESCRIPTION"]).endswith(f"Page: {v['URL']}") for v in calendar.walk("VEVENT"))


# -- Atom -----------------------------------------------------------------------------------------


def parse_feed(content: bytes, path: str) -> Any:
    # The feed's own address: relative links resolve against it through xml:base.
    feed = feedparser.parse(
        content,
        response_headers={
            "content-location": f"http://127.0.0.1:8000/{path}",
            "content-type": "application/atom+xml",
        },
    )
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def test_site_feed_parses_newest_published_first(catalog: Catalog) -> None:
    base = datetime(2024, 1, 1, tzinfo=UTC)
    published = {e.id: base + timedelta(days=i) for i, e in enumerate(reversed(catalog.timeline))}
    out = export_files(catalog, ExportOptions(site_name=SITE_NAME, published=published))
    feed = parse_feed(out["data/feeds/events.atom"], "data/feeds/events.atom")
    assert feed.feed.title == SITE_NAME
    order = sorted(catalog.timeline, key=lambda e: published[e.id], reverse=True)
    assert [entry.title for entry in feed.entries] == [e.title for e in order]
    first = feed.entries[0]
    assert first.link == f"http://127.0.0.1:8000/events/{order[0].id}/"
    assert first.published_parsed[:3] == published[order[0].id].timetuple()[:3]
    assert first.id == f"urn:uuid:{stable_uuid(SITE_NAME, f'events/{order[0].id}/')}"


def test_feed_falls_back_to_event_dates_without_history(catalog: Catalog, files: dict[str, bytes]) -> None:
    feed = parse_feed(files["data/feeds/events.atom"], "data/feeds/events.atom")
    published = [datetime(*entry.published_parsed[:6], tzinfo=UTC) for entry in feed.entries]
    assert published == sorted(published, reverse=True)
    by_title = {entry.title: entry for entry in feed.entries}
    assert by_title["Threat made before the end of February"].published.startswith("2020-02-29")
    assert by_title["Deployment from 8 February"].published.startswith("2020-02-08")  # open end: its start
    hostile = by_title['=HYPERLINK("http://x";"y"), <script>alert(1)</script> & \\ back; semi']
    assert "<b>bold</b>" in hostile.summary  # text, escaped in the XML, read back verbatim


def test_feeds_per_actor_and_place(catalog: Catalog, files: dict[str, bytes]) -> None:
    for actor_id, entries in catalog.actor_events.items():
        path = f"data/feeds/actors/{actor_id}.atom"
        feed = parse_feed(files[path], path)
        assert {e.link for e in feed.entries} == {f"http://127.0.0.1:8000/events/{e.id}/" for e, _ in entries}
        assert feed.feed.link == f"http://127.0.0.1:8000/actors/{actor_id}/"
    for place_id, events in catalog.place_events_within.items():
        path = f"data/feeds/places/{place_id}.atom"
        feed = parse_feed(files[path], path)
        assert len(feed.entries) == len(events)
    assert set(p for p in files if p.startswith("data/feeds/places/")) == {
        f"data/feeds/places/{p}.atom" for p in catalog.place_events_within
    }


def test_feed_is_capped(catalog: Catalog) -> None:
    out = export_files(catalog, ExportOptions(feed_limit=2))
    assert len(parse_feed(out["data/feeds/events.atom"], "data/feeds/events.atom").entries) == 2


def test_record_feeds_are_small_and_link_to_the_data_file(catalog: Catalog) -> None:
    out = export_files(catalog, ExportOptions(record_feed_limit=1))
    site = parse_feed(out["data/feeds/events.atom"], "data/feeds/events.atom")
    assert any("\n\n" in entry.summary for entry in site.entries)  # the site's feed carries the accounts
    for path in (p for p in out if p.startswith("data/feeds/") and p != "data/feeds/events.atom"):
        feed = parse_feed(out[path], path)
        assert len(feed.entries) <= 1
        assert all("\n\n" not in entry.summary for entry in feed.entries)  # the label line, then the page
    for path in (p for p in out if p.startswith("data/feeds/")):
        related = [link.href for link in parse_feed(out[path], path).feed.links if link.rel == "related"]
        assert related == ["http://127.0.0.1:8000/data/events.json"]
    absolute = export_files(catalog, ExportOptions(site_url="https://example.org/t/"))
    feed = parse_feed(absolute["data/feeds/actors/alpha-state.atom"], "data/feeds/actors/alpha-state.atom")
    assert [link.href for link in feed.feed.links if link.rel == "related"] == ["https://example.org/t/data/events.json"]
    assert b'href="https://example.org/t/events/' in absolute["data/feeds/actors/alpha-state.atom"]


def test_datapackage_licence_only_when_configured(catalog: Catalog, tmp_path: Path) -> None:
    assert "licenses" not in json.loads(export_files(catalog)["data/datapackage.json"])
    out = export_files(catalog, ExportOptions(data_license="CC-BY-4.0"))
    assert json.loads(out["data/datapackage.json"])["licenses"] == [{"name": "CC-BY-4.0"}]
    for path, content in out.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(content)
    package = frictionless.Package(str(tmp_path / "data" / "datapackage.json"))
    assert [license["name"] for license in package.licenses] == ["CC-BY-4.0"]
    assert frictionless.validate(str(tmp_path / "data" / "datapackage.json")).valid


# -- data package ---------------------------------------------------------------------------------


def test_datapackage_validates_with_frictionless(files: dict[str, bytes], tmp_path: Path) -> None:
    for path, content in files.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    report = frictionless.validate(str(tmp_path / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    package = frictionless.Package(str(tmp_path / "data" / "datapackage.json"))
    rows = package.get_resource("events-csv").read_rows()
    expected = csv_rows(files)
    assert [r["id"] for r in rows] == [r["id"] for r in expected]
    first = rows[0]
    assert first["date_end"] == date.fromisoformat(expected[0]["date_end"])
    assert isinstance(first["date_approximate"], bool)
    acled = package.get_resource("events-acled-csv").read_rows()
    assert [r["event_id_cnty"] for r in acled] == [r["id"] for r in expected]  # no ACLED locators here
    assert all(isinstance(r["fatalities"], int) and r["time_precision"] in (1, 2, 3) for r in acled)
    assert [f.name for f in package.get_resource("events-acled-csv").schema.fields] == list(ACLED_COLUMNS)
    names = {r.name for r in package.resources}
    assert names >= {
        "events-acled-csv",
        "events-csv",
        "events-json",
        "actors-json",
        "places-json",
        "sources-json",
        "events-geojson",
    }


# -- documentation and determinism ----------------------------------------------------------------


def key_paths(value: Any, prefix: str = "") -> set[str]:
    paths: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            paths.add(path)
            paths |= key_paths(item, path)
    elif isinstance(value, list):
        for item in value:
            paths |= key_paths(item, f"{prefix}[]")
    return paths


@pytest.mark.parametrize(
    "name", ["events.json", "actors.json", "places.json", "sources.json", "vocabulary.json", "events.geojson"]
)
def test_every_field_is_documented(files: dict[str, bytes], name: str) -> None:
    documented = {f.name for doc in EXPORTS if doc.path == name for f in doc.fields}
    produced = key_paths(json.loads(files[f"data/{name}"]))
    if name == "vocabulary.json":
        produced = {
            ".".join("<id>" if i == 1 else p for i, p in enumerate(path.split("."))) for path in produced
        }
    if name == "places.json":
        produced = {p if not p.startswith("places[].names.") else "places[].names.<lang>" for p in produced}
    assert produced <= documented, sorted(produced - documented)
    # and nothing documented that the fixture never produces (the fixture uses every field)
    assert documented <= produced, sorted(documented - produced)
    assert all(f.description for doc in EXPORTS for f in doc.fields)


def test_exports_are_deterministic(catalog: Catalog) -> None:
    again, errors = load_catalog(FIXTURE / "content")
    assert again is not None
    first = export_files(catalog, ExportOptions(site_name=SITE_NAME))
    second = export_files(again, ExportOptions(site_name=SITE_NAME))
    assert first == second and list(first) == list(second)


def test_site_url_makes_every_url_absolute(catalog: Catalog) -> None:
    out = export_files(catalog, ExportOptions(site_url="https://example.org/timeline/"))
    events = json.loads(out["data/events.json"])
    assert events["url_base"] == "https://example.org/timeline/"
    urls = [r["url"] for r in events["events"]] + [a["url"] for r in events["events"] for a in r["actors"]]
    assert all(u.startswith("https://example.org/timeline/") for u in urls)
    feed = feedparser.parse(out["data/feeds/events.atom"])
    assert feed.entries[0].link.startswith("https://example.org/timeline/events/")
    assert json.loads(out["data/datapackage.json"])["homepage"] == "https://example.org/timeline/"
