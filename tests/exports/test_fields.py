"""The field documentation of the calendar and the feeds names what the files hold (the JSON and
GeoJSON keys are checked in test_exports), and model fields are documented by their models."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import icalendar
import pytest

from timeweave.catalog.catalog import Catalog, load_catalog
from timeweave.content.models import Event, Place
from timeweave.content.schema import field_description
from timeweave.exports import EXPORTS, ExportOptions, export_files
from timeweave.exports.fields import from_model

FIXTURE = Path(__file__).parents[1] / "fixtures" / "data_site"
ATOM = "{http://www.w3.org/2005/Atom}"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    result, errors = load_catalog(FIXTURE / "content")
    assert result is not None, errors.items
    return result


def documented(path: str) -> set[str]:
    return {f.name for doc in EXPORTS if doc.path == path for f in doc.fields}


def test_every_documented_calendar_property_is_written(catalog: Catalog) -> None:
    # URL is only written with site_url (the property must be absolute).
    files = export_files(catalog, ExportOptions(site_url="https://example.org/t/"))
    written = {
        name
        for vevent in icalendar.Calendar.from_ical(files["data/events.ics"]).walk(
            "VEVENT"
        )
        for name in vevent
    }
    assert documented("events.ics") <= written, sorted(
        documented("events.ics") - written
    )


def test_every_documented_feed_element_is_written(catalog: Catalog) -> None:
    feed = ET.fromstring(export_files(catalog)["data/feeds/events.atom"])
    written = {"feed/@xml:base"} if feed.get(XML_BASE) else set()
    written |= {f"feed/{child.tag.removeprefix(ATOM)}" for child in feed}
    written |= {
        f"entry/{child.tag.removeprefix(ATOM)}"
        for entry in feed.iter(f"{ATOM}entry")
        for child in entry
    }
    assert documented("feeds/events.atom") <= written, sorted(
        documented("feeds/events.atom") - written
    )


def test_from_model_takes_the_models_description() -> None:
    title = from_model("events[].title", "string", Event)
    assert title.description == field_description(Event, "title") != ""
    assert from_model(
        "events[].place.kind", "string", Place
    ).description == field_description(Place, "kind")
    precision = from_model(
        "events[].location.precision", "string", Event, "location_precision"
    )
    assert precision.description == field_description(Event, "location_precision")
    # A model field renamed without the documentation following it fails loudly, at import.
    with pytest.raises(KeyError):
        from_model("events[].nowhere", "string", Event)
