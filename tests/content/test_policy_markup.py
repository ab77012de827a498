"""Contributor markup limited to what the guide allows (issue 20): admonitions, headings, link text
and every link form. Each test carries the input a hostile contributor used; the rendering tests
run Python-Markdown with the site's own extensions to show what the refused input would have done
and that what is accepted is harmless."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import markdown
import pytest
from markdown.extensions.toc import slugify

from timeweave.catalog.catalog import load_catalog
from timeweave.content.external import host_label, host_problem, same_site
from timeweave.content.markup import ADMONITION_TYPES, SECTION_IDS
from timeweave.content.policy import body_problems

from conftest import FIXTURES, ROOT

TEMPLATES = ROOT / "generator" / "timeweave" / "site" / "templates"
RECORD_TEMPLATES = ("event.md.j2", "_permanence.md.j2", "actor.md.j2", "place.md.j2", "source.md.j2")
EXTENSIONS = ["toc", "admonition", "tables", "footnotes"]  # mkdocs.yml's markdown_extensions
TODAY = date(2026, 1, 1)


def _messages(body: str) -> list[str]:
    return [message for _, message, _ in body_problems(body)]


def _render(body: str) -> str:
    return markdown.markdown(body, extensions=EXTENSIONS)


# 1. Admonitions


def test_an_admonition_with_the_themes_dialog_classes_is_refused() -> None:
    body = "!!! md-dialog md-dialog--active\n    Over every page.\n"
    assert 'class="admonition md-dialog md-dialog--active"' in _render(body)
    messages = _messages(body)
    assert "admonition type 'md-dialog' is not allowed" in messages
    assert "an admonition takes no extra classes ('md-dialog--active')" in messages


def test_an_admonition_copying_the_withdrawal_notice_is_refused() -> None:
    assert _messages("!!! tl-withdrawn\n    This event was withdrawn.\n") == [
        "admonition type 'tl-withdrawn' is not allowed"]


def test_an_extra_class_after_an_allowed_type_is_refused_in_a_quote_too() -> None:
    assert _messages('> !!! note tl-withdrawn "Withdrawn"\n>     x\n') == [
        "an admonition takes no extra classes ('tl-withdrawn')"]


@pytest.mark.parametrize("kind", ADMONITION_TYPES)
def test_the_standard_admonition_types_are_accepted(kind: str) -> None:
    assert _messages(f'!!! {kind}\n    x\n\n!!! {kind} "A title"\n    y\n') == []


def test_the_admonition_hint_lists_the_types() -> None:
    ((_, _, hint),) = body_problems("!!! md-dialog\n    x\n")
    assert all(kind in hint for kind in ADMONITION_TYPES)


# 2. Headings


@pytest.mark.parametrize("heading", ["## Sources", "## Cite this event", "## Versions", "### *Account*",
                                     "## Related events", "Sources\n-------", "> ## Sources",
                                     "- item\n\n    ## Sources", "## Events (3)"])
def test_a_body_heading_cannot_take_a_sections_id(heading: str) -> None:
    body = f"{heading}\n\nText.\n"
    problems = list(body_problems(body))
    assert len(problems) == 1 and "of the page's own section" in problems[0][1], problems
    assert problems[0][2].startswith("rename the heading")


def test_the_broken_sections_id_is_pushed_to_1_without_the_rule() -> None:
    page = _render("## Sources\n\nThe account.\n\n## Sources\n")  # the body's, then the template's
    assert re.findall(r'<h2 id="([^"]+)"', page) == ["sources", "sources_1"]


def test_the_section_ids_are_the_record_templates_headings() -> None:
    found: set[str] = set()
    for name in RECORD_TEMPLATES:
        text = (TEMPLATES / name).read_text()
        found.update(re.findall(r'<h2 id="([^"]+)"', text))
        for heading in re.findall(r"^## (.+)$", text, re.M):
            counted = re.sub(r"\(\{\{.*?\}\}\)", "(7)", heading)
            slug = slugify(counted, "-")
            if counted != heading:
                assert list(body_problems(f"## {counted}\n")), slug  # 'events-7'
            else:
                found.add(slug)
    assert found == SECTION_IDS


@pytest.mark.parametrize("heading", ["# Title", "#Title", "Title\n=====", "> # Title"])
def test_a_level_one_heading_is_refused(heading: str) -> None:
    assert _messages(f"{heading}\n\nText.\n") == [
        "a heading of level 1 ('#' or a '=' underline) is not allowed in an account"]


def test_headings_from_level_two_and_code_comments_are_accepted() -> None:
    body = "## Background\n\n### Sources consulted\n\nA shell example:\n\n    # install it\n    pip x\n"
    assert _messages(body) == []


# 3. Link text that shows an address


@pytest.mark.parametrize("text", ["bbc&#46;co&#46;uk", "bbc&period;co&period;uk", "bbc\u2024co\u2024uk",
                                  "bbc\uff0eco\uff0euk", "bbc\u3002co\u3002uk", "bbc\\.co\\.uk",
                                  "https://bbc\u3002co\u3002uk/news"])
def test_link_text_disguising_an_address_is_refused(text: str) -> None:
    body = f"[{text}](https://evil.example/)\n"
    assert _messages(body) == ["the link text shows 'bbc.co.uk' but the link goes elsewhere"
                               if "://" not in text else
                               "the link text shows 'https://bbc.co.uk/news' but the link goes elsewhere"]


def test_a_disguised_address_in_raw_html_is_refused() -> None:
    assert len(_messages('<a href="https://evil.example/">bbc\u3002co\u3002uk</a>\n')) == 1


def test_a_disguised_address_matching_its_link_is_accepted() -> None:
    assert _messages("[bbc\u3002co\u3002uk](https://www.bbc.co.uk/news) [BBC](https://evil.example/)\n") == []


@pytest.mark.parametrize("url", ["http://0x7f.1/", "http://2130706433/", "http://0177.0.0.1/", "http://127.1/",
                                 "http://0x7F000001/"])
def test_a_numeric_host_is_shown_as_the_address_a_browser_uses(url: str) -> None:
    assert host_problem(url) is None
    assert host_label(url) == "127.0.0.1"
    assert same_site(url, "127.0.0.1") and not same_site(url, "0x7f.1.example")
    assert _messages(f"[127.0.0.1]({url})\n") == []
    assert _messages(f"[10.0.0.1]({url})\n") == ["the link text shows '10.0.0.1' but the link goes elsewhere"]


@pytest.mark.parametrize("url", ["http://1.2.3.256/", "http://example.1/", "http://1.2.3.4.5/", "http://09.1/"])
def test_a_host_a_browser_would_refuse_as_ipv4_is_refused(url: str) -> None:
    assert "not a valid IPv4 address" in (host_problem(url) or "")


def test_a_percent_encoded_or_fullwidth_host_is_shown_decoded() -> None:
    assert "not a valid host name" in (host_problem("https://bbc%2Eco%2Euk/") or "")
    assert host_label("https://bbc%2Eco%2Euk/") == "bbc.co.uk"
    assert host_label("http://\uff11\uff12\uff17\uff0e\uff10\uff0e\uff10\uff0e\uff11/") == "127.0.0.1"
    assert host_label("https://p\u0430ypal.com/") == "xn--pypal-4ve.com"


# 4. Every link form


@pytest.mark.parametrize("body", ["> [x]: javascript:alert(1)\n>\n> see [x]\n",
                                  "- item\n\n    [x]: javascript:alert(1)\n\n- see [x]\n",
                                  "- [x]: javascript:alert(1)\n- see [x]\n",
                                  "> - [x]:\n>   javascript:alert(1)\n>\n> [x]\n"])
def test_a_nested_javascript_reference_definition_is_reported(body: str) -> None:
    assert 'href="javascript:alert(1)"' in _render(body)  # what the sanitizer would silently drop
    assert _messages(body) == ["link 'javascript:alert(1)' uses a forbidden scheme"]


def test_a_nested_reference_with_address_text_is_checked() -> None:
    assert _messages("> [bbc.co.uk]: https://evil.example/\n>\n> [bbc.co.uk]\n") == [
        "the link text shows 'bbc.co.uk' but the link goes elsewhere"]


@pytest.mark.parametrize("body", ["\\[text\\](javascript:alert(1))\n", "[text\\](javascript:alert(1))\n",
                                  "\\[text\\]\\(javascript:alert(1)\\)\n"])
def test_an_escaped_link_that_renders_as_text_is_accepted(body: str) -> None:
    assert "<a " not in _render(body)
    assert _messages(body) == []


def test_an_escaped_backslash_before_a_link_leaves_the_link() -> None:
    body = "\\\\[text](javascript:alert(1))\n"
    assert "<a " in _render(body)
    assert [m for m in _messages(body) if "forbidden scheme" in m]


def test_a_footnote_is_text_and_its_links_are_checked() -> None:
    assert _messages("Text[^1].\n\n[^1]: javascript: names a scheme.\n") == []
    assert _messages("Text[^1].\n\n[^1]: see [bbc.co.uk](https://evil.example/).\n") == [
        "the link text shows 'bbc.co.uk' but the link goes elsewhere"]


@pytest.mark.parametrize("body", ["<javascript:alert(1)>\n", "[x](java&#115;cript:alert(1))\n",
                                  "[x]: <javascript:alert(1)>\n\n[x]\n"])
def test_the_other_link_forms_keep_the_same_rule(body: str) -> None:
    assert [m for m in _messages(body) if "forbidden scheme" in m]


def test_a_percent_encoded_scheme_is_a_relative_link_and_accepted() -> None:
    assert _messages("[x](javascript%3Aalert(1)/)\n") == []


# Through the validator, with real files


def test_the_validator_reports_every_markup_error_with_file_and_line(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "small_site" / "content", content)
    event = content / "events" / "2020" / "phone-call.md"
    front, body = event.read_text().split("\n---\n", 1)
    body_line = front.count("\n") + 3
    event.write_text(front + "\n---\n" + "# Title\n\n!!! md-dialog\n    x\n\n## Versions\n\n"
                     "[bbc&#46;co&#46;uk](https://evil.example/)\n\n> [x]: javascript:alert(1)\n" + body)
    catalog, log = load_catalog(content, tmp_path, TODAY)
    assert catalog is None
    errors = [e.format() for e in log.errors]
    shown = "content/events/2020/phone-call.md"
    for offset, message in ((0, "a heading of level 1"), (2, "admonition type 'md-dialog'"),
                            (5, "would take the id 'versions'"), (7, "the link text shows 'bbc.co.uk'"),
                            (9, "uses a forbidden scheme")):
        assert any(e.startswith(f"{shown}:{body_line + offset}: body: ") and message in e for e in errors), errors
    assert len(errors) == 5, errors
