"""CONTRIBUTING.md: its field reference is generated from the models, current, and published."""

from __future__ import annotations

import re
import shlex
import typing
from pathlib import Path

import pytest

from timeweave.cli.main import parser
from timeweave.content import models as m
from timeweave.content.yamlread import parse_yaml
from timeweave.errors import ErrorLog
from timeweave.site.contributing import BEGIN, END, RECORD_FILES, field_docs, field_reference, yaml_scalar

from conftest import ROOT, run_cli

GUIDE = ROOT / "CONTRIBUTING.md"


def test_the_committed_reference_is_current() -> None:
    done = run_cli(ROOT, "build-docs", "--check")
    assert done.returncode == 0, done.stderr + "\nrun `make docs` and commit CONTRIBUTING.md"


def test_an_outdated_reference_is_caught_and_rewritten(tmp_path: Path) -> None:
    guide = tmp_path / "CONTRIBUTING.md"
    guide.write_text(GUIDE.read_text().replace("| `title` | required |", "| `title` | optional |", 1))
    assert run_cli(tmp_path, "build-docs", "--check").returncode == 1
    assert run_cli(tmp_path, "build-docs").returncode == 0
    assert guide.read_text() == GUIDE.read_text()
    guide.write_text("# Contributing\n\nNo markers here.\n")
    done = run_cli(tmp_path, "build-docs")
    assert done.returncode == 2 and "markers are missing" in done.stderr


def section(reference: str, title: str) -> str:
    start = reference.index(f"### {title} fields")
    following = reference.find("\n### ", start + 1)
    return reference[start: following if following > 0 else None]


@pytest.mark.parametrize("title,model", [(t, mdl) for t, mdl, _, _ in RECORD_FILES])
def test_every_field_and_allowed_value_is_documented(title: str, model: type) -> None:
    text = section(field_reference(), title)
    hints = typing.get_type_hints(model, include_extras=True)
    for name, info in model.model_fields.items():
        if name in ("id", "path", "body"):
            continue
        key = info.alias or name
        row = re.search(rf"^\| `{re.escape(key)}` \| (required|optional) \|.*$", text, re.M)
        assert row, f"{title}.{key} is not in the reference"
        assert row.group(1) == ("required" if info.is_required() else "optional")
        if info.description:
            assert info.description.replace("|", "\\|") in row.group(0)
        for literal in re.findall(r"Literal\[([^\]]*)\]", str(hints[name])):
            for value in re.findall(r"'([^']*)'", literal):
                assert f"`{value}`" in row.group(0)
    assert text.count("| Field | Needed | Value | What it holds |") >= 1


def test_nested_structures_get_their_own_table() -> None:
    event = section(field_reference(), "Event")
    for nested in ("actors", "casualties", "sources", "related", "annotations", "withdrawn"):
        assert f"Each entry of `{nested}`:" in event
    vocabulary = section(field_reference(), "Vocabulary")
    assert vocabulary.count("| `label` |") == 1  # one table for the terms every group holds


def test_examples_are_written_as_yaml_that_reads_back() -> None:
    for _, model, _, _ in RECORD_FILES:
        for doc in field_docs(model):
            if doc.example is None:
                continue
            parsed = parse_yaml(f"v: {yaml_scalar(doc.example)}", "", ErrorLog())
            assert parsed is not None, doc.name
            value = parsed[0]["v"]
            assert value == doc.example or value == [list(x) if isinstance(x, tuple) else x
                                                     for x in doc.example], doc.name


@pytest.mark.parametrize("text", ["2020-02-10", "2020", "14:30", "yes", "null", "a: b", "a #b", "-x",
                                  "x, y", "[x]", "100%", "'quoted'", "Tal Tamr", "../2020-02", "2020-02~"])
def test_yaml_scalars_read_back_as_the_same_text(text: str) -> None:
    parsed = parse_yaml(f"v: {yaml_scalar(text)}\nw: [{yaml_scalar(text)}]", "", ErrorLog())
    assert parsed is not None and parsed[0] == {"v": text, "w": [text]}


def test_the_guide_is_written_once_and_covers_the_issue() -> None:
    text = GUIDE.read_text()
    assert text.count(BEGIN) == 1 and text.count(END) == 1
    for heading in ("## Add an event in five steps", "## Correct an event",
                    "## Add an actor, a place or a source", "## What makes a good source",
                    "## Write down what is uncertain", "## Write down disputes", "## Field reference"):
        assert heading in text
    assert [f"**{n}." for n in range(1, 6)] == re.findall(r"\*\*\d\.", text)
    assert not (ROOT / "docs" / "contributing.md").exists()  # the site page is made from this file


def test_commands_in_the_guide_are_real() -> None:
    """Every `python -m timeweave ...` line the guide shows parses with the real command line."""
    text = GUIDE.read_text().replace("\\\n", " ")
    commands = [line.strip() for line in text.splitlines() if line.strip().startswith("python -m timeweave ")]
    assert len(commands) >= 5
    for command in commands:
        args = shlex.split(command.replace("https://...", "https://example.org/x"))[3:]
        parser().parse_args(args)  # exits (fails the test) on an unknown command or option
    for target in set(re.findall(r"`make ([a-z-]+)", text)):
        assert re.search(rf"^{target}:", (ROOT / "Makefile").read_text(), re.M), target


def test_the_guide_is_a_page_of_the_site(real_site: Path) -> None:
    html = (real_site / "contributing" / "index.html").read_text()
    assert "<h1 id=\"contributing\">Contributing" in html
    assert "BEGIN field reference" not in html
    assert html.count("<table>") >= 10
    assert "<td><code>location_precision</code></td>" in html
    home = (real_site / "index.html").read_text()
    assert 'href="contributing/"' in home  # in the navigation


def test_readme_points_at_the_guide() -> None:
    readme = (ROOT / "README.md").read_text()
    part = readme[readme.index("## Contributing"):]
    assert "CONTRIBUTING.md" in part
    assert "exit codes" in readme.lower()


def test_models_describe_what_contributors_write() -> None:
    """The scaffold and the reference explain fields with these descriptions: none may be missing."""
    missing = [f"{model.__name__}.{name}" for model in (m.Event, m.Actor, m.Place, m.Source)
               for name, info in model.model_fields.items()
               if name not in ("id", "path", "body") and not info.description]
    assert missing == []


def test_the_pages_command_writes_the_guide_for_other_builders(tmp_path: Path) -> None:
    done = run_cli(ROOT, "pages", str(tmp_path / "pages"))
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "pages" / "docs" / "contributing" / "index.md").read_text()
    assert page.startswith('---\ntitle: "Contributing"\n---\n')
    assert "| `title` | required |" in page and BEGIN not in page
