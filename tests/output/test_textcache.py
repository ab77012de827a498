"""Citation texts kept between builds (output/textcache.py)."""

from __future__ import annotations

from pathlib import Path

from timeweave.output.textcache import load_texts, save_texts
from timeweave.site import cslrender
from timeweave.site.cslrender import APA, render

ITEM = {"id": "kept", "type": "webpage", "title": "A title kept between builds", "author": [{"literal": "Site"}],
        "URL": "https://timeline.example.org/events/kept/"}


def test_a_build_reads_the_texts_the_last_build_of_its_site_used(tmp_path: Path) -> None:
    (tmp_path / "citations-0000000000000000-0000000000000000.json").write_text("{}")  # another generator's
    text = render(ITEM, APA)
    save_texts(tmp_path, "https://timeline.example.org/")
    files = list(tmp_path.glob("citations-*.json"))
    assert len(files) == 1 and "A title kept between builds" in files[0].read_text(encoding="utf-8")
    key = cslrender.known_key(ITEM, APA)
    cslrender._known.pop(key)  # as a new process would start
    load_texts(tmp_path, "https://elsewhere.example.org/")  # another address: another file
    assert key not in cslrender._known
    load_texts(tmp_path, "https://timeline.example.org/")
    assert cslrender._known[key] == text


def test_texts_of_pages_taken_from_the_markdown_cache_stay_and_a_record_keeps_one(tmp_path: Path) -> None:
    reused = {**ITEM, "id": "reused", "title": "A page taken from the Markdown cache"}
    edited = {**ITEM, "id": "edited", "title": "Before the edit"}
    cslrender.remember({cslrender.known_key(item, APA): cslrender.Styled(item["title"], "", "")
                        for item in (reused, edited)})  # as load_texts hands an earlier build's texts
    render({**edited, "title": "After the edit"}, APA)  # its page rendered again: a new text
    save_texts(tmp_path, None)
    kept = next(tmp_path.glob("citations-*.json")).read_text(encoding="utf-8")
    assert "A page taken from the Markdown cache" in kept and "After the edit" in kept
    assert "Before the edit" not in kept
