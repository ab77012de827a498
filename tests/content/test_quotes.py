"""Every quote in content/ is found word for word in the paragraph its locator names, in the text
the project keeps in its shared source material (sources/<source id>.txt beside the repository;
content/sources/<id>.md says so). Paragraph n is the n-th non-empty line, as the source note says."""

from __future__ import annotations

import os
import re
from pathlib import Path

from timeweave.catalog.catalog import load_catalog

from conftest import ROOT

SOURCES = Path(os.environ.get("TIMELINE_SOURCE_TEXTS", ROOT.parent / "shared" / "sources"))
LOCATOR = re.compile(r"^paragraph (\d+)$")
QUOTE_MARKS = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def paragraphs(source_id: str) -> list[str]:
    text = (SOURCES / f"{source_id}.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def cited_quotes() -> list[tuple[str, str, str, str]]:
    catalog, errors = load_catalog(ROOT / "content", ROOT)
    assert catalog is not None, errors
    return [(event.path, item.source, item.locator or "", item.quote)
            for event in catalog.events.values() for item in event.sources if item.quote]


def test_the_kept_source_texts_are_there() -> None:
    # Not skipped when missing: a quote check that cannot read its text checks nothing.
    assert (SOURCES / "idlib-feb-2020-news-analysis.txt").is_file(), f"set TIMELINE_SOURCE_TEXTS; {SOURCES}"


def test_every_quote_is_in_the_paragraph_its_locator_names() -> None:
    quotes = cited_quotes()
    assert quotes
    wrong = []
    for path, source, locator, quote in quotes:
        found = LOCATOR.match(locator)
        assert found, f"{path}: a quote needs a 'paragraph N' locator, not {locator!r}"
        number = int(found.group(1))
        texts = paragraphs(source)
        # Typographic and straight quote marks count as the same character; nothing else is loosened.
        paragraph = texts[number - 1].translate(QUOTE_MARKS) if 1 <= number <= len(texts) else ""
        if quote.translate(QUOTE_MARKS) not in paragraph:
            wrong.append(f"{path}: {quote!r} is not in {source} {locator}")
    assert wrong == []
