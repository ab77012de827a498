"""Texts of a CSL-JSON record from its shape's template (generator/timeweave/site/cslshapes.py),
held to citeproc-py's own over thousands of generated records; the real content and the fixtures
are compared in test_cslrender.py."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from typing import Any

import pytest

from timeweave.catalog.catalog import load_catalog
from timeweave.site import cslrender, cslshapes
from timeweave.site.citation import CitationData, csl_item
from timeweave.site.cslrender import APA, CHICAGO, Styled, render, render_afresh
from timeweave.site.cslshapes import Shapes
from timeweave.site.provenance import Provenance

from conftest import ROOT

STYLES = [APA, CHICAGO]

WORDS = (
    "war of the a an and but for nor or so yet to in on by at up via with from into over down "
    "Idlib Saraqib NATO UN U.S. e.g. vs. iPhone eBay McDonald's coalition's rebels' 2020 3rd 1,000 "
    "co-operation state-controlled self-defence de la von al-Assad O'Neil "
    "İstanbul ışık İzmir Iğdır DİYARBAKIR Москва дети Ответ إدلب سوريا الجيش 中文 "
    "“quoted” ‘single’ \"straight\" 'apostrophe' (Turkey) [sic] {x} <b>bold</b> & a<b c>d &amp; "
    "x.y ... … — – - : ; , ! ? ?! .. . ' \" “ ” ‘ ’ ( ) < > / \\ # % _ ~ ^ $"
).split(" ")
WORDS += ['<span class="nocase">iPad</span>', '<SPAN CLASS="nocase">ABC', "</span>", "\u00a0"]
EDGES = ["", "", "", "", ".", "?", "!", ":", ";", ",", "'", '"', "“", "”", "‘", "’", "(", ")", "...", "…",
         "-", "—", "<", ">", "&", "/", "2020", "the", "of", "A"]
CASINGS = [str, str, str.lower, str.upper, str.title, str.capitalize]
SITES = ["Site: a timeline", "The Idlib timeline.", "timeline", "ИДЛИБ хроника", "Site & <co>", "Zaman çizelgesi"]
URL_ENDS = ["/", "/", "/", "/", ".", "?", "?x=1", ":", ";", ",", "!", ")", "#top", " "]
DAYS = [None, None, "2026-11-02T10:00:00+00:00", "2026-11-20T10:00:00+00:00", "2020-02-29T23:59:59+03:00"]


def title(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.choice([1, 1, 2, 3, 5, 8, 13, 60]))]
    text = rng.choice(CASINGS)(rng.choice([" ", " ", " ", "  ", ": "]).join(words))
    return rng.choice(EDGES) + text + rng.choice(EDGES)


def hexes(rng: random.Random, length: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(length))


def varied(base: CitationData, number: int, rng: random.Random) -> CitationData:
    """base with other strings, and with or without each part a record may have."""
    day = rng.choice(DAYS)
    archived = rng.random() < 0.3
    return dataclasses.replace(
        base, id=f"stress-{number}-{rng.choice(['x', 'event', 'İ'])}", title=title(rng),
        url=f"https://timeline.example.org/events/stress-{number}{rng.choice(URL_ENDS)}",
        site_name=rng.choice(SITES), updated=day,
        version=(hexes(rng, rng.choice([40, 40, 7, 4])) if day and rng.random() < 0.8 else None),
        archive_url=(f"https://web.archive.org/web/2024/{number}{rng.choice(URL_ENDS)}" if archived else None),
        archive_date=("2024-03-01" if archived and rng.random() < 0.7 else None),
        withdrawn=("2021-01-0" + str(rng.randint(1, 9)) if rng.random() < 0.1 else None),
        accessed=(rng.choice(["2024-03-05", "2025-12-31"]) if rng.random() < 0.3 else None),
        tags=tuple(rng.choice(["turkey-russia", "Idlib", "a.b", "x?", "", "iran proxies"])
                   for _ in range(rng.choice([0, 0, 1, 3]))),
    )


def raw(item: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """An item as csl_item() never makes one: spaces at the ends, empty or missing strings, odd ids."""
    item = dict(item)
    change = rng.choice(["space", "tab", "empty", "gone", "number", "upper-id", "nbsp", "marker"])
    key = rng.choice(["title", "URL", "note", "keyword", "id"])
    if change == "space":
        item[key] = " " + str(item.get(key, "x")) + " "
    elif change == "tab":
        item[key] = str(item.get(key, "x")) + "\t"
    elif change == "empty" and key != "id":
        item[key] = ""
    elif change == "gone" and key not in ("id", "title"):
        item.pop(key, None)
    elif change == "number" and key != "id":
        item[key] = 2020
    elif change == "upper-id":
        item["id"] = str(item["id"]).upper()
    elif change == "nbsp":
        item[key] = str(item.get(key, "x")).replace(" ", "\u00a0")
    elif change == "marker" and key != "id":
        item[key] = "\ue000" + str(item.get(key, "x")) + "\ue011"
    return item


@pytest.fixture(scope="module")
def stress() -> list[dict[str, Any]]:
    """Two thousand records: varied CitationData of the real events through csl_item(), one in ten
    changed past what csl_item() makes."""
    catalog, _log = load_catalog(ROOT / "content", ROOT)
    assert catalog is not None
    provenance = Provenance(catalog, "Site: a timeline", "https://timeline.example.org")
    bases = [provenance.citation_data(event) for event in catalog.events.values()]
    rng = random.Random(19)
    items = []
    for number in range(2000):
        item = csl_item(varied(rng.choice(bases), number, rng))
        items.append(raw(item, rng) if rng.random() < 0.1 else item)
    return items


def citeproc(record: dict[str, Any], style: str) -> str:
    return cslrender._citeproc(record, record["id"], style)


def compared(items: list[dict[str, Any]], style: str) -> Iterator[tuple[dict[str, Any], Styled, Styled | None]]:
    """Each item, citeproc-py's text of it, and its shape's (None where the shapes leave it to citeproc-py)."""
    shapes = Shapes(citeproc)
    for item in items:
        expected = render_afresh(item, style)
        record, version = cslrender._record(item)
        text = shapes.text(record, style)
        yield item, expected, None if text is None else cslrender._styled(text, version)


@pytest.mark.parametrize("style", STYLES)
def test_every_generated_record_gets_the_text_citeproc_gives(stress: list[dict[str, Any]], style: str) -> None:
    results = list(compared(stress, style))
    wrong = [(item, expected, got) for item, expected, got in results if got is not None and got != expected]
    assert wrong == []
    # Most are filled in from a template (else this proves little), and the rules left some to citeproc-py.
    filled = sum(1 for _item, _expected, got in results if got is not None)
    assert 0.6 * len(stress) < filled < len(stress)


@pytest.mark.parametrize("style", STYLES)
def test_render_gives_what_render_afresh_gives(stress: list[dict[str, Any]], style: str) -> None:
    items = [{**item, "id": f"{item['id']}-render"} for item in stress[:500]]  # not known from another test
    assert [render(item, style) for item in items] == [render_afresh(item, style) for item in items]


def broken_seams(self: Any, value: str) -> str | None:
    """_Shown.text without its check of the characters the value meets."""
    return str(self.element.case(self.element.strip_periods(cslshapes._PARSER.parse_string(value)), self.language))


def broken_case(self: Any, value: str) -> str | None:
    """_Shown.text that puts the value in as it is, whatever the style's text-case."""
    return value


@pytest.mark.parametrize("broken", [broken_seams, broken_case])
def test_the_generated_records_catch_a_wrong_substitution(stress: list[dict[str, Any]], broken: Any,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cslshapes._Shown, "text", broken)
    wrong = [item for style in STYLES for item, expected, got in compared(stress[:600], style)
             if got is not None and got != expected]
    assert wrong


def test_one_template_serves_every_record_of_a_shape() -> None:
    shapes = Shapes(citeproc)
    base = {"type": "webpage", "author": [{"literal": "Site"}], "issued": {"date-parts": [[2026, 11, 2]]},
            "version": cslrender.VERSION_STAND_IN, "note": "Event dated 2 February 2020.", "keyword": "a"}
    for number in range(50):
        record = {**base, "id": f"e{number}", "title": f"title number {number}: the {number}th",
                  "URL": f"https://x.example/events/e{number}/", "note": f"Event dated {number} February 2020."}
        for style in STYLES:
            assert shapes.text(record, style) == citeproc(record, style)
    assert len(shapes._templates) == len(STYLES)


def test_chicago_title_cases_the_value_by_its_own_element() -> None:
    shapes = Shapes(citeproc)
    record = {"id": "x", "type": "webpage", "title": 'the war of <span class="nocase">iPhones</span> and the rest',
              "author": [{"literal": "Site"}], "URL": "https://x.example/events/x/"}
    text = shapes.text(record, CHICAGO)
    assert text == citeproc(record, CHICAGO)
    assert text is not None and "“The War of iPhones and the Rest”" in text


@pytest.mark.parametrize(("style", "url"), [(CHICAGO, "https://x.example/events/x."), (APA, "https://x.example/x ")])
def test_a_value_that_meets_its_own_punctuation_is_left_to_citeproc(style: str, url: str) -> None:
    # Chicago ends the entry with "." after the URL: citeproc-py keeps one of the two; APA's URL ends the
    # entry and a space never meets another, so only Chicago's case is left to citeproc-py.
    record = {"id": "x", "type": "webpage", "title": "T", "author": [{"literal": "Site"}], "URL": url}
    got = Shapes(citeproc).text(record, style)
    assert got is None if style == CHICAGO else got == citeproc(record, style)


def test_a_record_not_of_the_usual_make_is_left_to_citeproc() -> None:
    shapes = Shapes(citeproc)
    base = {"id": "x", "type": "webpage", "title": "T", "author": [{"literal": "Site"}], "URL": "https://x.example/"}
    for odd in ({"title": ""}, {"title": 2020}, {"note": "\ue011"}, {"custom": "not a dict"},
                {"note": '<span class="nocase"></span>'}, {"title": '<span class="nocase"></span>'}):
        assert shapes.text({**base, **odd}, APA) is None
    assert shapes.text({"type": "webpage", "author": [{"literal": "Site"}]}, APA) is None
