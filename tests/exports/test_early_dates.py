"""Exports of a site whose events are dated in years 9, 99, 609, 668, 999 and 2020 and in 501 BCE,
read back by the formats' own parsers: dates of years before 1000 keep their four digits
everywhere; the BCE event is in the JSON files and left out of the calendar formats, once listed."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import feedparser
import frictionless
import icalendar
import jsonschema
import pytest

from timeweave.catalog.catalog import Catalog, load_catalog
from timeweave.content.dates import DatePoint, EventDate, parse_date
from timeweave.content.loader import load_content
from timeweave.content.schema import schema_files
from timeweave.exports import ExportOptions, export_files, export_notices
from timeweave.exports.context import calendar_date, rfc3339

FIXTURE = Path(__file__).parents[1] / "fixtures" / "early_site"
YEARS = {"talks-in-year-9": 9, "statement-of-99": 99, "shelling-at-the-end-of-609": 609,
         "talks-about-668": 668, "statement-before-1000": 999, "shelling-of-the-hill-post": 2020}
BCE = "talks-in-501-bce"  # date "-0500": no calendar format can hold it


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    result, errors = load_catalog(FIXTURE / "content")
    assert result is not None, errors.items
    return result


@pytest.fixture(scope="module")
def files(catalog: Catalog) -> dict[str, bytes]:
    return export_files(catalog, ExportOptions(site_name="Early fixture"))


def test_icalendar_writes_four_digit_years(catalog: Catalog, files: dict[str, bytes]) -> None:
    text = files["data/events.ics"]
    assert b"DTSTART;VALUE=DATE:00090101\r\n" in text and b"DTEND;VALUE=DATE:00100101\r\n" in text
    assert b"DTSTART;VALUE=DATE:06091231\r\n" in text and b"DTEND;VALUE=DATE:06100101\r\n" in text
    vevents = {str(v["SUMMARY"]): v for v in icalendar.Calendar.from_ical(text).walk("VEVENT")}
    assert len(vevents) == len(YEARS)
    for event in catalog.timeline:
        if event.id == BCE:
            continue
        vevent = vevents[event.title]
        assert vevent.decoded("DTSTART") == event.when.earliest
        assert vevent.decoded("DTSTART").year == YEARS[event.id]
    assert vevents["Statement of March 99"].decoded("DTEND") == date(99, 4, 1)
    assert vevents["Statement between 999 and 1000"].decoded("DTEND") == date(1000, 1, 3)


def test_feeds_write_rfc3339_years_before_1000(files: dict[str, bytes]) -> None:
    feed = feedparser.parse(files["data/feeds/events.atom"])
    assert not feed.bozo, feed.bozo_exception
    published = {entry.title: entry.published for entry in feed.entries}
    # Without git history an event is "published" on its latest possible day.
    assert published["Talks in year 9"] == "0009-12-31T00:00:00Z"
    assert published["Shelling at the end of 609"] == "0609-12-31T00:00:00Z"
    assert published["Statement of March 99"] == "0099-03-31T00:00:00Z"
    assert len(feed.entries) == len(YEARS)


def test_rfc3339_of_every_kind_of_year() -> None:
    from datetime import UTC, datetime

    for year, text in [(1, "0001"), (9, "0009"), (99, "0099"), (668, "0668"), (2020, "2020"), (9999, "9999")]:
        assert rfc3339(datetime(year, 5, 6, 7, 8, 9, 123, tzinfo=UTC)) == f"{text}-05-06T07:08:09Z"


def test_json_and_csv_keep_early_dates(files: dict[str, bytes]) -> None:
    events = {e["id"]: e for e in json.loads(files["data/events.json"])["events"]}
    assert events["talks-in-year-9"]["date"]["earliest"] == "0009-01-01"
    assert events["statement-before-1000"]["date"]["latest"] == "1000-01-02"


def test_data_package_validates(files: dict[str, bytes], tmp_path: Path) -> None:
    for path, content in files.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    report = frictionless.validate(tmp_path / "data" / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])


def test_content_validates_against_every_published_schema() -> None:
    loaded = load_content(FIXTURE / "content")
    assert not loaded.errors.errors and loaded.vocabulary is not None
    schemas = {name: json.loads(content) for name, content in schema_files().items()}
    for raw in [*loaded.records, loaded.vocabulary]:
        validator = jsonschema.Draft7Validator(schemas[f"{raw.kind}.schema.json"],
                                               format_checker=jsonschema.FormatChecker())
        assert not list(validator.iter_errors(raw.data)), raw.path
    assert {raw.kind for raw in loaded.records} | {"vocabulary"} == {n.split(".")[0] for n in schemas}


def test_dates_the_calendar_formats_cannot_hold_are_left_out() -> None:
    assert parse_date("-0500") == EventDate("-0500", DatePoint(-500), DatePoint(-500))
    assert not calendar_date(parse_date("-0500")) and not calendar_date(parse_date("Y-13800000000"))
    assert calendar_date(parse_date("0009"))


def test_the_bce_event_is_left_out_of_the_calendar_formats_and_listed_once(
        catalog: Catalog, files: dict[str, bytes]) -> None:
    assert catalog.events[BCE].when.label() == "501 BCE"
    assert export_notices(catalog) == [
        "1 event(s) left out of events.ics, feeds/*.atom, events-acled.csv, whose dates those formats "
        f"cannot hold (years 1-9999 only): {BCE}"]
    summaries = {str(v["SUMMARY"]) for v in icalendar.Calendar.from_ical(files["data/events.ics"]).walk("VEVENT")}
    assert "Talks in 501 BCE" not in summaries and len(summaries) == len(YEARS)
    feed = feedparser.parse(files["data/feeds/events.atom"])
    assert "Talks in 501 BCE" not in {entry.title for entry in feed.entries}
    actor_feed = feedparser.parse(files["data/feeds/actors/alpha-state.atom"])
    assert not actor_feed.bozo and "Talks in 501 BCE" not in {entry.title for entry in actor_feed.entries}
    assert BCE.encode() not in files["data/events-acled.csv"]
    assert BCE.encode() in files["data/events.csv"]  # our own CSV holds EDTF; frictionless reads it (above)
    events = {e["id"]: e for e in json.loads(files["data/events.json"])["events"]}
    assert events[BCE]["date"]["edtf"] == "-0500"
