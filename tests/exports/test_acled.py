"""data/events-acled.csv: ACLED's 31 columns, each documented in generator/README.md, and how our
dates and precisions map onto ACLED's codes, on the fixture with years before 1000 and a BCE date."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from timeweave.catalog.catalog import load_catalog
from timeweave.exports import ExportOptions, export_files
from timeweave.exports.acled import COLUMNS

from conftest import FIXTURES, ROOT


def test_every_column_is_documented_in_the_readme() -> None:
    readme = (ROOT / "generator" / "README.md").read_text(encoding="utf-8")
    section = readme.split("## ACLED's layout: `data/events-acled.csv`", 1)[1].split("\n## ", 1)[0]
    documented = [name for row in section.splitlines() if row.startswith("| `")
                  for name in re.findall(r"`([a-z0-9_]+)`", row.split(" | ")[0])]
    assert sorted(documented) == sorted(COLUMNS) and len(COLUMNS) == 31


def test_dates_and_precisions_map_onto_acleds_codes() -> None:
    catalog, errors = load_catalog(Path(FIXTURES / "early_site" / "content"))
    assert catalog is not None, errors.items
    data = export_files(catalog, ExportOptions())["data/events-acled.csv"].decode("utf-8")
    assert not data.startswith("\ufeff") and data.splitlines()[0].split(",") == list(COLUMNS)
    rows = {r["event_id_cnty"]: r for r in csv.DictReader(io.StringIO(data, newline=""))}
    codes = {k: (r["event_date"], r["year"], r["time_precision"], r["geo_precision"]) for k, r in rows.items()}
    assert codes == {
        "talks-in-year-9": ("0009-07-01", "9", "3", ""),  # a year: 1 July, mid-year
        "statement-of-99": ("0099-03-15", "99", "3", ""),  # a month: its 15th
        "shelling-at-the-end-of-609": ("0609-12-31", "609", "1", "2"),  # a day; location precision near
        "talks-about-668": ("0668-07-01", "668", "3", ""),  # '~' has no ACLED code
        "statement-before-1000": ("0999-12-31", "999", "2", ""),  # four days: a week, its middle day
        "shelling-of-the-hill-post": ("2020-02-10", "2020", "1", "2"),
    }
    assert "talks-in-501-bce" not in rows  # ACLED's event_date is a calendar day of 1-9999


def test_notes_are_the_first_paragraph_on_one_line() -> None:
    # ACLED's notes are a short description; events.csv keeps the whole account.
    catalog, errors = load_catalog(FIXTURES / "data_site" / "content")
    assert catalog is not None, errors.items
    files = export_files(catalog, ExportOptions())
    acled = {r["event_id_cnty"]: r for r in csv.DictReader(io.StringIO(files["data/events-acled.csv"].decode()))}
    whole = {r["id"]: r for r in csv.DictReader(io.StringIO(files["data/events.csv"].decode()))}
    first = "Five soldiers were **reportedly** killed when the post was shelled."
    assert acled["shelling-of-hill-post"]["notes"] == first
    assert "a list item" in whole["shelling-of-hill-post"]["notes"]
