"""The order note of a record's list: once above the list, naming the months the dates cannot order."""

from __future__ import annotations

from pathlib import Path

from tests.catalog.test_order import catalog_with, event_file

from timeweave.site.ordernotes import order_note, page_order_note


def test_a_record_list_names_each_month_its_dates_cannot_order_once(tmp_path: Path) -> None:
    catalog = catalog_with(tmp_path, {
        "b": event_file("B", "2020-04"), "a": event_file("A", "2020-04"),  # April: by id
        "c": event_file("C", "2020-05-01"), "d": event_file("D", "2020-05-09"),  # May: by date
        "e": event_file("E", "2020-06"), "f": event_file("F", "2020-06"),  # June: by id
    })
    listed = [e for e in catalog.timeline if e.id in {"a", "b", "c", "d", "e", "f"}]
    note = page_order_note(catalog, listed)
    assert note.startswith("Within April 2020 and June 2020, the dates cannot tell which event came first")
    assert "in the order of their ids" in note and "relations" not in note and "May" not in note
    # The months' own notes (the main timeline, a month's page) are unchanged.
    assert order_note(catalog, "2020-04", "April 2020").startswith("The dates within April")
    ordered = [e for e in listed if e.id in {"c", "d"}]
    assert page_order_note(catalog, ordered) == ""


def test_a_month_ordered_by_relations_says_so(tmp_path: Path) -> None:
    catalog = catalog_with(tmp_path, {
        "aaa-answer": event_file("Answer", "2020-03?", "event: zzz-first, relation: response-to"),
        "zzz-first": event_file("First", "2020-03"),
    })
    # The note reads the whole month (catalog.month_events), as the month's own note does, even
    # when the list holds one of its events.
    one = [catalog.events["aaa-answer"]]
    note = page_order_note(catalog, one)
    assert note.startswith("Within March 2020, the dates cannot tell")
    assert "the relations between events give (“In response to”" in note and "order of their ids" in note
