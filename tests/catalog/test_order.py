"""The timeline's order inside a period: relations that imply an order, then the id; dates win."""

from __future__ import annotations

import shutil
from pathlib import Path

from timeweave.catalog.catalog import Catalog, load_catalog
from timeweave.catalog.order import dates_overlap, relations_order_some
from timeweave.site.reader import order_note, relative_order, timeline_index

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "small_site" / "content"


def event_file(title: str, date: str, related: str = "") -> str:
    lines = ["---", f"title: {title}", f'date: "{date}"', "type: statement", "place: beta-province",
             "actors:", "  - {actor: beta-leader, role: speaker}", "status: claimed",
             "sources:", "  - source: fixture-report"]
    if related:
        lines += ["related:", f"  - {{{related}}}"]
    return "\n".join([*lines, "---", "An account.", ""])


def catalog_with(tmp_path: Path, events: dict[str, str]) -> Catalog:
    content = tmp_path / "content"
    shutil.copytree(SMALL, content)
    for name, text in events.items():
        (content / "events" / "2020" / f"{name}.md").write_text(text, encoding="utf-8")
    catalog, errors = load_catalog(content)
    assert catalog is not None, errors.items
    return catalog


def ids(catalog: Catalog) -> list[str]:
    return [event.id for event in catalog.timeline]


def test_a_month_is_ordered_by_its_relations_not_by_id(tmp_path: Path) -> None:
    catalog = catalog_with(tmp_path, {
        "aaa-answer": event_file("Answer", "2020-03?", "event: zzz-first, relation: response-to"),
        "mmm-later": event_file("Later", "2020-03", "event: aaa-answer, relation: follows"),
        "zzz-first": event_file("First", "2020-03"),
        "bbb-unrelated": event_file("Unrelated", "2020-03"),
    })
    march = [i for i in ids(catalog) if i in {"aaa-answer", "mmm-later", "zzz-first", "bbb-unrelated"}]
    assert march.index("zzz-first") < march.index("aaa-answer") < march.index("mmm-later")
    note = order_note(catalog, "2020-03", "March 2020")
    assert note.startswith("Order within March 2020 is known only from the relations between events")
    index = timeline_index(catalog)
    assert [g for g in index["groups"] if g[0] == "2020-03"][0][2] == note


def test_dates_win_over_a_relation_they_contradict(tmp_path: Path) -> None:
    catalog = catalog_with(tmp_path, {
        "early": event_file("Early", "2020-03-01", "event: late, relation: follows"),
        "late": event_file("Late", "2020-03-20"),
    })
    assert ids(catalog).index("early") < ids(catalog).index("late")
    assert ("late", "early") not in catalog.order_pairs


def test_a_cycle_of_relations_still_gives_every_event_once(tmp_path: Path) -> None:
    catalog = catalog_with(tmp_path, {
        "one": event_file("One", "2020-03", "event: two, relation: follows"),
        "two": event_file("Two", "2020-03", "event: one, relation: follows"),
    })
    assert sorted(ids(catalog)) == sorted(catalog.events)
    assert len(ids(catalog)) == len(set(ids(catalog)))


def test_overlapping_dates_without_relations_say_the_order_is_by_id(tmp_path: Path) -> None:
    catalog = catalog_with(tmp_path, {"b": event_file("B", "2020-04"), "a": event_file("A", "2020-04")})
    note = order_note(catalog, "2020-04", "April 2020")
    assert "in the order of their ids" in note and "relations" not in note
    apart = catalog_with(tmp_path / "x", {"c": event_file("C", "2020-05-01"), "d": event_file("D", "2020-05-09")})
    assert order_note(apart, "2020-05", "May 2020") == ""


def test_the_catalog_knows_which_months_its_dates_cannot_order(tmp_path: Path) -> None:
    catalog = catalog_with(tmp_path, {
        "aaa-answer": event_file("Answer", "2020-03?", "event: zzz-first, relation: response-to"),
        "zzz-first": event_file("First", "2020-03"),
        "b": event_file("B", "2020-04"), "a": event_file("A", "2020-04"),
        "c": event_file("C", "2020-05-01"), "d": event_file("D", "2020-05-09"),
    })
    # March: overlapping, some ordered by a relation; April: overlapping, none; May: days apart.
    assert catalog.unordered_months["2020-03"] is True and catalog.unordered_months["2020-04"] is False
    assert "2020-05" not in catalog.unordered_months
    assert catalog.unordered_months == {key: relations_order_some(events, catalog.order_pairs)
                                        for key, events in catalog.month_events.items() if dates_overlap(events)}


def test_before_and_after_only_when_certain(tmp_path: Path) -> None:
    catalog = catalog_with(tmp_path, {
        "day": event_file("Day", "2020-03-10"),
        "month": event_file("Month", "2020-03"),
        "answer": event_file("Answer", "2020-03", "event: day, relation: response-to"),
        "april": event_file("April", "2020-04-02"),
    })
    day, events = catalog.events["day"], catalog.events
    pairs = catalog.order_pairs
    assert relative_order(day, events["month"], pairs) == 0
    assert relative_order(day, events["answer"], pairs) == 1
    assert relative_order(day, events["april"], pairs) == 1
    assert relative_order(events["april"], day, pairs) == -1


def test_the_real_timeline_puts_five_soldiers_after_seven() -> None:
    catalog, errors = load_catalog(ROOT / "content")
    assert catalog is not None, errors.items
    order = ids(catalog)
    assert order.index("seven-turkish-soldiers-and-civilian-contractor-killed") < order.index(
        "five-turkish-soldiers-killed-by-shelling-in-idlib")
