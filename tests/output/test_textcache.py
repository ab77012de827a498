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
