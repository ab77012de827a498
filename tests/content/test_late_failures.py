"""What the strict build refuses, `validate` finds first, with the content file and line: control
characters in text fields, account links to pages the site does not have, a guide without its
end marker; and data that means what it says: affiliation periods in order, titles of a bounded
length. Each input here passed `timeweave validate` ("content is valid") before."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from timeweave.build import validate as run_validate
from timeweave.content.fields import MAX_TITLE_LENGTH
from timeweave.errors import ContentError
from timeweave.project import Project, TimelineSettings
from timeweave.site.contributing import BEGIN, END

from conftest import FIXTURES, copy_site

EVENT = "content/events/2020/leader-threatens-response.md"
ACTOR = "content/actors/alpha-army.md"


def run(site: Path, command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "timeweave", command], cwd=site, capture_output=True,
                          text=True, timeout=300, check=False)


def edit(site: Path, relative: str, old: str, new: str) -> None:
    path = site / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def validate(site: Path) -> list[ContentError]:
    project = Project.make(site, TimelineSettings(content_dir="content", contributing=(
        "CONTRIBUTING.md" if (site / "CONTRIBUTING.md").is_file() else "")), site_name="", docs_dir="docs")
    return run_validate(project).errors


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_site(FIXTURES / "small_site", tmp_path / "site")


# -- the hostile inputs, each as an edit of the small fixture site -----------------------------------

def control_character_in_a_quote(site: Path) -> tuple[str, int]:
    edit(site, EVENT, "  - source: fixture-report\n", '  - source: fixture-report\n    quote: "said \\x1b[2J so"\n')
    return EVENT, 11


def link_to_a_missing_event(site: Path) -> tuple[str, int]:
    path = site / EVENT
    path.write_text(path.read_text(encoding="utf-8") + "\nIt followed [the shelling](../shelling-of-posts/).\n",
                    encoding="utf-8")
    return EVENT, len(path.read_text(encoding="utf-8").splitlines())


def link_to_a_missing_hand_written_page(site: Path) -> tuple[str, int]:
    path = site / ACTOR
    path.write_text(path.read_text(encoding="utf-8") + "\nSee [the method](../../methods/).\n", encoding="utf-8")
    return ACTOR, len(path.read_text(encoding="utf-8").splitlines())


def links_to_a_missing_tag_type_and_month(site: Path) -> tuple[str, int]:
    path = site / EVENT
    path.write_text(path.read_text(encoding="utf-8") + "\nSee [t](../../tags/no-such-tag/), [y](../../types/nope/) "
                    "and [m](../../timeline/1999-01/).\n", encoding="utf-8")
    return EVENT, len(path.read_text(encoding="utf-8").splitlines())


def guide_without_its_end_marker(site: Path) -> tuple[str, int]:
    (site / "CONTRIBUTING.md").write_text(f"# Contributing\n\nHow to add an event.\n\n{BEGIN}\n\nold block\n",
                                          encoding="utf-8")
    edit(site, "mkdocs.yml", "      content_dir: content\n",
         "      content_dir: content\n      contributing: CONTRIBUTING.md\n")
    return "CONTRIBUTING.md", 5


REFUSED = [control_character_in_a_quote, link_to_a_missing_event, link_to_a_missing_hand_written_page,
           links_to_a_missing_tag_type_and_month, guide_without_its_end_marker]


@pytest.mark.parametrize("hostile", REFUSED, ids=lambda f: f.__name__)
def test_validate_finds_first_what_the_build_refuses(site: Path, hostile: object) -> None:
    path, line = hostile(site)  # type: ignore[operator]
    checked = run(site, "validate")
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert re.search(rf"^{re.escape(path)}:{line}: ", checked.stderr, re.M), checked.stderr
    built = run(site, "build")
    assert built.returncode != 0, built.stdout + built.stderr
    # The build stops on the content file and line, before any page is made, not on generated HTML.
    assert f"{path}:{line}: " in built.stdout + built.stderr, built.stdout + built.stderr
    assert "index.html:" not in built.stdout + built.stderr
    assert not (site / "site").exists()


def test_the_unchanged_copy_validates_and_builds(site: Path) -> None:
    assert run(site, "validate").returncode == 0
    built = run(site, "build")
    assert built.returncode == 0, built.stdout + built.stderr


# -- the checks one by one, in the validator's words -------------------------------------------------

def test_a_link_to_a_misspelled_event_names_the_right_one(site: Path) -> None:
    path, line = link_to_a_missing_event(site)
    (error,) = validate(site)
    assert (error.path, error.line, error.field) == (path, line, "body")
    assert error.message == ("link '../shelling-of-posts/' goes to /events/shelling-of-posts/, which is no page "
                             "of this site")
    assert error.hint == "did you mean '../shelling-of-post/'?"


def test_links_that_answer_are_not_reported(site: Path) -> None:
    path = site / EVENT
    path.write_text(path.read_text(encoding="utf-8") + (
        "\n[a](../shelling-of-post/) [b](../shelling-of-post/#sources) [c](../../actors/) [d](../../)"
        " [e](https://example.org/x/) [f](#top) [g](../../tags/escalation/) [h](../../timeline/page/2/)"
        " [i](mailto:a@example.org) [k](../../types/statement/) [l](../../timeline/2020-02/)"
        " [m](../shelling-of-post) [j]: ../../about/\n\n[^note]: A footnote, not a link.\n\n"
        "[ref]: ../phone-call/\n\nA [ref] link and <a href=\"../phone-call/\">raw</a>.\n"), encoding="utf-8")
    (site / "docs" / "about.md").write_text("# About\n", encoding="utf-8")
    assert validate(site) == []


def test_every_broken_link_is_reported_at_its_line(site: Path) -> None:
    path = site / EVENT
    start = len(path.read_text(encoding="utf-8").splitlines())
    path.write_text(path.read_text(encoding="utf-8") + (
        "\n[a](../nowhere/)\n[b]: ../../places/atlantis/\n<a href='../../../../up/'>c</a>\n"
        "[b] again\n"), encoding="utf-8")
    errors = validate(site)
    assert [(e.line, e.message.split(" goes ")[1]) for e in errors] == [
        (start + 2, "to /events/nowhere/, which is no page of this site"),
        (start + 3, "to /places/atlantis/, which is no page of this site"),
        (start + 4, "above the site's home page"),
    ]


def test_control_characters_in_text_fields_are_errors(site: Path) -> None:
    edit(site, EVENT, "  - source: fixture-report\n",
         '  - source: fixture-report\n    quote: "a\\x07b"\n    locator: "p.\\x0b 4"\n')
    errors = validate(site)
    assert [(e.path, e.line, e.field, e.message) for e in errors] == [
        (EVENT, 11, "sources[0].quote", "contains the control character U+0007"),
        (EVENT, 12, "sources[0].locator", "contains the control character U+000B"),
    ]
    assert errors[0].hint.startswith("remove it")


def test_a_quote_keeps_its_line_breaks_and_tabs(site: Path) -> None:
    edit(site, EVENT, "  - source: fixture-report\n", '  - source: fixture-report\n    quote: "one\\n\\ttwo"\n')
    assert validate(site) == []


def test_a_title_of_200_kb_is_refused_with_the_limit(site: Path) -> None:
    edit(site, EVENT, "title: Leader threatens a response\n", "title: " + "A" * 200_000 + "\n")
    edit(site, ACTOR, "name: ", "name: " + "B" * (MAX_TITLE_LENGTH + 1) + " ")
    errors = validate(site)
    assert sorted((e.path, e.line, e.field) for e in errors) == [(ACTOR, 2, "name"), (EVENT, 2, "title")]
    event_error = next(e for e in errors if e.path == EVENT)
    assert event_error.message == f"is 200000 characters long; the limit is {MAX_TITLE_LENGTH}"
    assert "shorten it" in event_error.hint


def test_a_title_at_the_limit_passes(site: Path) -> None:
    edit(site, EVENT, "title: Leader threatens a response\n", "title: " + "A" * MAX_TITLE_LENGTH + "\n")
    assert validate(site) == []


@pytest.mark.parametrize(("began", "ended", "wrong"), [
    ("2021", "2019", True),
    ("2020-03-02", "2020-03-01", True),
    ("2020", "2020-03", False),  # the same year, one of them vague: no contradiction
    ("2019", "2021", False),
    ("2020-05", "2020-05", False),
])
def test_an_affiliation_may_not_end_before_it_begins(site: Path, began: str, ended: str, wrong: bool) -> None:
    edit(site, ACTOR, "  - {actor: alpha-state, relation: part-of}\n",
         f"  - {{actor: alpha-state, relation: part-of, from: '{began}', to: '{ended}'}}\n")
    errors = validate(site)
    if not wrong:
        assert errors == []
        return
    (error,) = errors
    assert (error.path, error.line, error.field) == (ACTOR, 7, "affiliations[0].to")
    assert error.message == f"the affiliation ends ({ended}) before it begins ({began})"
    assert error.hint == "swap `from` and `to`, or correct the year"


@pytest.mark.parametrize(("text", "line", "message"), [
    ("# Guide\n\n{begin}\nblock\n", 3, "the field reference has no end marker"),
    ("# Guide\n\nblock\n{end}\n", 4, "the field reference has no begin marker"),
    ("# Guide\n", 1, "the field reference markers are missing"),
    ("# Guide\n{end}\n{begin}\n", 2, "the field reference ends before it begins"),
])
def test_a_guide_the_site_cannot_publish_is_an_error(site: Path, text: str, line: int, message: str) -> None:
    (site / "CONTRIBUTING.md").write_text(text.format(begin=BEGIN, end=END), encoding="utf-8")
    (error,) = validate(site)
    assert (error.path, error.line, error.field, error.message) == ("CONTRIBUTING.md", line, "", message)
    assert "build-docs" in error.hint


def test_links_shown_as_code_are_not_links(site: Path) -> None:
    path = site / EVENT
    start = len(path.read_text(encoding="utf-8").splitlines())
    path.write_text(path.read_text(encoding="utf-8") + (
        "\nWrite `[text](../event-id/)` to link.\n\n```md\n[b](../nowhere/)\n```\n\n~~~\n[c](../nowhere/)\n~~~\n"
        "\nBut [this](../nowhere/) is a link.\n"), encoding="utf-8")
    assert [e.line for e in validate(site)] == [start + 12]


def test_links_are_checked_even_when_other_errors_stop_the_catalog(site: Path) -> None:
    edit(site, "content/events/2020/phone-call.md", "type: diplomacy", "type: diplomcy")
    path = site / EVENT
    path.write_text(path.read_text(encoding="utf-8") + "\n[a](../nowhere/) [b](../phone-call/) [c](../../about-us/)\n",
                    encoding="utf-8")
    errors = validate(site)
    assert sorted((e.path, e.field) for e in errors) == [(EVENT, "body"),
                                                         ("content/events/2020/phone-call.md", "type")]
    assert "/events/nowhere/" in next(e for e in errors if e.path == EVENT).message


def test_what_validate_only_warns_about_the_strict_build_accepts(site: Path) -> None:
    """A warning is advice in both (an invisible character may be a Persian name's joiner, a stray
    file beside the records is ignored): a site `validate` calls valid builds, strict as it is."""
    path = site / EVENT
    path.write_text(path.read_text(encoding="utf-8") + "\nA joiner\u200c in the account.\n", encoding="utf-8")
    (site / "content" / "actors" / "notes.txt").write_text("a contributor's note\n", encoding="utf-8")
    checked = run(site, "validate")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "invisible or direction-changing character" in checked.stdout
    assert "content files end in .md" in checked.stdout
    built = run(site, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    assert "invisible or direction-changing character" in built.stderr  # shown, not fatal
    assert (site / "site" / "index.html").is_file()
