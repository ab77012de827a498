"""Citation formats (generator/timeweave/site/citation.py), read back with real parsers: bibtexparser, rispy, json."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from citeproc_reference import citeproc_text

from timeweave import urls
from timeweave.content.dates import parse_date
from timeweave.site.citation import CitationData, Styled, apa, bibtex, bibtex_text, chicago, csl_json, ris, wikipedia
from timeweave.site.structured import script_json

URL = "https://timeline.example.org/events/x/"
COMMIT = "0123456789abcdef0123456789abcdef01234567"
NASTY = [
    "Plain title",
    "Braces {balanced} and }unbalanced{",
    "TeX specials & % $ # _ ~ ^ \\ and '' -- `` < >",
    "A </script><script>alert(1)</script> title",
    "Wiki [[link]] {{template}} | pipe ''bold'' ~~~~ __NOTOC__",
    "Ünïcödé — “quotes” 日本語 عربي",
    "Line\nER  - \nTY  - JOUR\u2028next",
]


def data(title: str, **extra: object) -> CitationData:
    values: dict[str, object] = {"id": "x", "title": title, "url": URL, "site_name": "Site & {Co}",
                                 "event_date": parse_date("2020-02-03/2020-02-05"),
                                 "updated": "2022-02-02T08:30:00+01:00", "version": COMMIT}
    values.update(extra)
    return CitationData(**values)  # type: ignore[arg-type]


def one_line(text: str) -> str:
    return " ".join(text.replace("\u2028", " ").split())


@pytest.mark.parametrize("title", NASTY)
def test_bibtex_is_one_entry_whose_fields_read_back(title: str) -> None:
    text = bibtex(data(title))
    raw = bibtexparser.parse_string(text)
    assert not raw.failed_blocks and len(raw.entries) == 1
    entry = raw.entries[0]
    assert entry["title"] == "{" + bibtex_text(title) + "}"
    assert entry["url"] == URL and entry["version"] == COMMIT and entry["month"] == "feb"
    decoded = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()]).entries[0]
    if "}unbalanced{" not in title and "^" not in title and "<" not in title:
        # (pylatexenc does not decode \textbraceleft, \ensuremath{<} or \textasciicircum back)
        assert decoded["title"] == one_line(title)
    assert decoded["author"] == "Site & {Co}"  # one group author, read from the CSL-JSON record


@pytest.mark.parametrize("title", NASTY)
def test_ris_is_one_record_whose_fields_read_back(title: str) -> None:
    (entry,) = rispy.loads(ris(data(title, tags=("a", "b c"))))
    assert entry["title"] == one_line(title)
    assert entry["urls"] == [URL]
    assert entry["keywords"] == ["a", "b c"]
    assert entry["date"] == "2022/02/02/"
    # the site is named once, as the group author, as in the CSL-JSON record
    assert entry["authors"] == ["Site & {Co}"] and "publisher" not in entry and "secondary_title" not in entry


@pytest.mark.parametrize("title", NASTY)
def test_csl_json_reads_back(title: str) -> None:
    (item,) = json.loads(csl_json(data(title)))
    assert item["title"] == one_line(title)
    assert item["URL"] == URL
    assert item["issued"] == {"date-parts": [[2022, 2, 2]]}
    assert item["author"] == [{"literal": "Site & {Co}"}]
    assert "container-title" not in item and "publisher" not in item  # named once: citeproc printed it twice


def test_csl_record_carries_what_is_known() -> None:
    (bare,) = json.loads(csl_json(data("t", updated=None, version=None)))
    assert sorted(bare) == ["URL", "author", "id", "note", "title", "type"]
    assert bare["note"] == "Event dated between 3 and 5 February 2020."
    archived = "https://web.archive.org/web/2022/" + URL
    (full,) = json.loads(csl_json(data("t", accessed="2026-12-05", archive_url=archived, archive_date="2022-03-01",
                                       tags=("a", "b"))))
    assert full["accessed"] == {"date-parts": [[2026, 12, 5]]}
    assert full["version"] == COMMIT and full["keyword"] == "a, b"
    assert full["custom"] == {"archive_url": archived, "archive_date": "2022-03-01"}
    (entry,) = rispy.loads(ris(data("t", accessed="2026-12-05")))
    assert entry["access_date"] == "2026/12/05/"
    assert "urldate = {2026-12-05}" in bibtex(data("t", accessed="2026-12-05"))


@pytest.mark.parametrize("title", NASTY)
def test_wikitext_forms_no_markup(title: str) -> None:
    before, after = wikipedia(data(title))
    value = before.split("|title=", 1)[1].split(" |website=", 1)[0].replace("<nowiki/>", "\x00")
    for markup in ("[[", "]]", "{{", "}}", "|", "<", ">", "''", "~~~", "__"):
        assert markup not in value, markup
    assert before.startswith("{{cite web |url=" + URL + " |title=")
    # The access date is the reader's (cite.js adds it); the parameter is never left empty.
    assert before.endswith(" |date=2022-02-02") and after == "}}"


def test_wikitext_keeps_plain_apostrophes_and_ampersands() -> None:
    before, _ = wikipedia(data("Pro-Assad coalition's offensive & more"))
    assert "|title=Pro-Assad coalition's offensive & more |" in before


def test_wikipedia_names_the_archive_when_set() -> None:
    _, after = wikipedia(data("t", archive_url="https://web.archive.org/web/2022/" + URL, archive_date="2022-03-01"))
    assert after == (" |archive-url=https://web.archive.org/web/2022/" + URL +
                     " |archive-date=2022-03-01 |url-status=live}}")


@pytest.mark.parametrize("extra", [{}, {"version": None}, {"updated": None, "version": None},
                                   {"accessed": "2026-12-05"}, {"tags": ("a", "b")}])
@pytest.mark.parametrize("title", NASTY)
def test_apa_and_chicago_are_what_citeproc_makes_of_the_record(title: str, extra: dict[str, object]) -> None:
    cited = data(title, **extra)
    (item,) = json.loads(csl_json(cited))
    assert apa(cited).text == citeproc_text(item, "apa")
    assert chicago(cited) == citeproc_text(item, "chicago-author-date")


CSL_DATA_SCHEMA = json.loads((Path(__file__).parents[1] / "fixtures/csl/csl-data.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("extra", [{}, {"updated": None, "version": None}, {"accessed": "2026-12-05"},
                                   {"archive_url": "https://web.archive.org/web/2022/" + URL,
                                    "archive_date": "2022-03-01"}])
@pytest.mark.parametrize("title", NASTY)
def test_the_csl_json_record_is_valid_against_the_official_schema(title: str, extra: dict[str, object]) -> None:
    jsonschema.validate(json.loads(csl_json(data(title, **extra))), CSL_DATA_SCHEMA,
                        cls=jsonschema.Draft7Validator)


def test_apa_italicizes_the_title_and_names_the_site_once() -> None:
    styled = apa(data("Shelling of a post"))
    assert styled == Styled("Site & {Co}. (2022, February 2). ", "Shelling of a post", f". {URL}")
    assert chicago(data("Shelling of a post")) == (
        f"Site & {{Co}}. 2022. “Shelling of a Post”. Version {COMMIT}. February 2. {URL}.")


def test_without_history_nothing_is_dated() -> None:
    undated = data("t", updated=None, version=None)
    assert "(n.d.)" in apa(undated).text and " n.d. " in chicago(undated)
    assert "year" not in bibtex(undated) and "version" not in bibtex(undated)
    assert "|date=" not in wikipedia(undated)[0]
    (entry,) = rispy.loads(ris(undated))
    assert "date" not in entry and "edition" not in entry


def test_withdrawn_event_citation_says_so() -> None:
    withdrawn = data("t", withdrawn="2021-06-01")
    assert "withdrawn on 2021-06-01" in bibtex(withdrawn)
    assert "Withdrawn on 2021-06-01." in rispy.loads(ris(withdrawn))[0]["notes"][0]


def test_bibtex_url_cannot_break_the_entry() -> None:
    text = bibtex(data("t", url="https://x.example.org/a}b{c\\d%e#f g/"))
    (entry,) = bibtexparser.parse_string(text).entries
    assert entry["url"] == "https://x.example.org/a%7Db%7Bc%5Cd%25e%23f%20g/"


@pytest.mark.parametrize("repo, template, expected", [
    ("https://github.com/o/r", None, "https://github.com/o/r/blob/abc/content/events/2020/x.md"),
    ("https://gitlab.com/o/r/", None, "https://gitlab.com/o/r/-/blob/abc/content/events/2020/x.md"),
    ("https://codeberg.org/o/r", None, "https://codeberg.org/o/r/src/commit/abc/content/events/2020/x.md"),
    ("https://git.example.org/r", None, None),
    ("https://git.example.org/r", "{repo}/src/{commit}/{path}", "https://git.example.org/r/src/abc/content/events/2020/x.md"),
    (None, None, None),
])
def test_version_urls(repo: str | None, template: str | None, expected: str | None) -> None:
    assert urls.version_url(repo, template, "abc", "content/events/2020/x.md") == expected


def test_url_helpers() -> None:
    assert urls.record_of_path("/events/x/") == ("event", "x")
    assert urls.record_of_path("/events/x/page/2/") is None
    assert urls.record_of_path("/about/") is None
    assert [urls.doc_page_url(p) for p in ("index.md", "about.md", "a/index.md", "a/b.md")] == \
        ["", "about/", "a/", "a/b/"]
    assert urls.absolute(None, "events/x/") == "/events/x/"
    assert urls.absolute("https://t.example.org/base", "events/x/") == "https://t.example.org/base/events/x/"
    assert urls.cite_file_url("2020-02", "csl") == "data/citations/2020-02.csl.json"
    assert urls.cite_download_name("x", "csl") == "x.csl.json"


def test_script_json_cannot_end_a_script_element_or_a_line() -> None:
    data = {"name": "</script><script>alert(1)</script> & \u2028\u2029 ünï"}
    text = script_json(data)
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in text
    assert json.loads(text) == data
