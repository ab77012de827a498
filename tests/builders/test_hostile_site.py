"""The hostile fixture site: payloads in every field type, valid content, a strict MkDocs build.

Nothing it publishes may carry a payload as structure (tests/output_inspection.py parses every
output file with the parser of its format), and every payload must reach the reader verbatim as
text: `{{ 7*7 }}` stays `{{ 7*7 }}`, `<img src=x onerror=alert(1)>` is shown, not run.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))
from timeweave.catalog.catalog import Catalog, load_catalog  # noqa: E402
from timeweave.content.external import host_label  # noqa: E402

from output_inspection import carries_payload, file_problems, inspect_site, visible_text  # noqa: E402

HOSTILE = Path(__file__).parents[1] / "fixtures" / "hostile_site"

# Every free-text field of the schema; each must carry a payload somewhere in the fixture.
TEXT_FIELDS = {
    "event": ("title", "body", "sources.quote", "sources.locator", "casualties.who", "annotations.text",
              "withdrawn.reason"),
    "actor": ("name", "body", "aliases.name"),
    "place": ("name", "body", "names.*"),
    "source": ("title", "body", "publisher", "author"),
    "vocabulary": ("label", "definition", "inverse"),
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    catalog, errors = load_catalog(HOSTILE / "content", HOSTILE)
    assert errors.items == [], [e.format() for e in errors.items]
    assert catalog is not None
    return catalog


def _values(value: Any, path: str) -> list[str]:
    """Every string at a dotted path ('sources.quote', 'names.*') below a model dump."""
    head, _, rest = path.partition(".")
    if isinstance(value, list):
        return [v for item in value for v in _values(item, path)]
    if not isinstance(value, dict):
        return []
    children = list(value.values()) if head == "*" else [value.get(head)]
    found: list[str] = []
    for child in children:
        if rest:
            found += _values(child, rest)
        elif isinstance(child, str):
            found.append(child)
    return found


def test_the_fixture_is_valid_and_attacks_every_free_text_field(catalog: Catalog) -> None:
    tables = {"event": catalog.events, "actor": catalog.actors, "place": catalog.places,
              "source": catalog.sources}
    for kind, fields in TEXT_FIELDS.items():
        if kind == "vocabulary":
            dumps = [d for group in catalog.vocabulary.model_dump().values() for d in group.values()]
        else:
            dumps = [record.model_dump() for record in tables[kind].values()]
        for field in fields:
            values = [v for dump in dumps for v in _values(dump, field)]
            assert any(carries_payload(v) for v in values), f"no payload in {kind}.{field}"
    assert any(tag in ("script", "onerror", "javascript") for tag in catalog.tag_events)


def test_no_output_file_carries_a_payload_as_structure(hostile_site: Path) -> None:
    problems = list(inspect_site(hostile_site))
    assert problems == []


def test_the_payloads_did_reach_the_output(hostile_site: Path) -> None:
    """The inspection is only meaningful if the payloads are there to find."""
    carriers = sorted(p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("*")
                      if p.is_file() and p.suffix in (".html", ".json") and carries_payload(p.read_text("utf-8")))
    assert "events/hostile-event/index.html" in carriers
    assert "search/search_index.json" in carriers
    assert "types/index.html" in carriers


def _page(site: Path, url: str) -> str:
    return visible_text((site / url / "index.html").read_text("utf-8"))


def _shown(text: str) -> str:
    return " ".join(text.split())


def test_every_field_is_shown_verbatim_as_text(hostile_site: Path, catalog: Catalog) -> None:
    for event in catalog.events.values():
        page = _page(hostile_site, f"events/{event.id}")
        expected = [event.title]
        expected += [c.quote for c in event.sources if c.quote]
        expected += [c.locator for c in event.sources if c.locator]
        expected += [row.who for row in event.casualties]
        expected += [note.text for note in event.annotations]
        expected += [event.withdrawn.reason] if event.withdrawn else []
        for value in expected:
            assert _shown(value) in page, (event.id, value)
    for actor in catalog.actors.values():
        page = _page(hostile_site, f"actors/{actor.id}")
        for value in [actor.name] + [alias.name for alias in actor.aliases]:
            assert _shown(value) in page, (actor.id, value)
    for place in catalog.places.values():
        page = _page(hostile_site, f"places/{place.id}")
        for value in [place.name, *place.names.values()]:
            assert _shown(value) in page, (place.id, value)
    for source in catalog.sources.values():
        page = _page(hostile_site, f"sources/{source.id}")
        for value in (source.title, source.publisher, source.author):
            if value:
                assert _shown(value) in page, (source.id, value)
    types_page = _page(hostile_site, "types")
    for group in ("event_types", "statuses", "actor_roles", "relations", "annotation_kinds"):
        for term in getattr(catalog.vocabulary, group).values():
            assert _shown(term.label) in types_page and _shown(term.definition) in types_page


def test_template_syntax_in_content_is_never_evaluated(hostile_site: Path, catalog: Catalog) -> None:
    html = (hostile_site / "events/hostile-event/index.html").read_text("utf-8")
    title = catalog.events["hostile-event"].title
    assert "{{ 7*7 }}" in title
    heading = visible_text(html.split("<h1", 1)[1].split("</h1>", 1)[0].split(">", 1)[1])
    assert heading == title
    assert "{{ 7*7 }}" in html and "{% raw %}" in html


def test_page_titles_and_search_index_carry_escaped_titles(hostile_site: Path, catalog: Catalog) -> None:
    import html as html_module
    import json

    page = (hostile_site / "events/hostile-event/index.html").read_text("utf-8")
    title_tag = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title_tag
    assert html_module.unescape(title_tag).startswith(catalog.events["hostile-event"].title)
    index = json.loads((hostile_site / "search/search_index.json").read_text("utf-8"))
    titles = [doc["title"] for doc in index["docs"] if doc["location"] == "events/hostile-event/"]
    assert titles and html_module.unescape(titles[0]) == catalog.events["hostile-event"].title


def test_source_links_show_the_real_host(hostile_site: Path, catalog: Catalog) -> None:
    source = catalog.sources["hostile-report"]
    page = _page(hostile_site, "sources/hostile-report")
    assert "(example.org)" in page
    assert source.archive_url is not None and not source.archive_url.isascii()
    punycode = host_label(source.archive_url)
    assert punycode.startswith("xn--") and f"({punycode})" in page


@pytest.mark.parametrize("name, data, expected", [
    ("a.html", b"<p><img src=x onerror=alert(1)></p>", "event-handler attribute"),
    ("a.html", b'<script>var t = "</script><script>alert(1)</script>";</script>', "outside a string"),
    ("a.html", b'<script type="application/ld+json">{"name": "</script>alert(1)"}</script>', "valid JSON"),
    ("a.html", '<script>var t = "alert(1)\u2028";</script>'.encode(), "raw '\\u2028'"),
    ("a.html", b'<a href=" javascript:alert(1)">x</a>', "script-capable scheme"),
    ("search/search_index.json", b'{"docs": [{"location": "", "title": "<svg onload=alert(1)>", "text": ""}]}',
     "event-handler"),
    ("events.csv", b"title\n=cmd|' /C calc'!A0\n", "formula"),
    ("events.ics", b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nX-INJECTED:1\r\nEND:VCALENDAR\r\n", "injected"),
    ("feed.xml", b"<feed><title>alert(1) <b></feed>", "well-formed"),
    ("data.js", b'var d = "x"; alert(1);', "outside a string"),
    ("file.weird", b"alert(1)", "does not know"),
])
def test_the_inspection_finds_what_it_looks_for(name: str, data: bytes, expected: str) -> None:
    """Each rule of the inspection fails on a leak of its kind (a test that cannot fail proves nothing)."""
    problems = file_problems(name, data)
    assert any(expected in problem for problem in problems), problems


def test_redirect_pages_stay_in_the_site() -> None:
    assert file_problems("a.html", b'<meta http-equiv="refresh" content="0; url=../hostile-event/">alert(1)') == []
    leaving = file_problems("a.html", b'<meta http-equiv="refresh" content="0;URL=\'javascript:alert(1)\'">')
    assert leaving and "leaves the site" in leaving[0]
