"""A fixture pull request (tests/fixtures/pr_broken laid over small_site) gives the GitHub
annotations a contributor should see: right file, right line, readable message, safe escaping."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from timeweave.errors import ContentError

from conftest import FIXTURES, copy_site, run_cli

ROOT = Path(__file__).resolve().parents[2]
# GitHub's workflow command syntax: ::error file=...,line=...,title=...::message
COMMAND = re.compile(r"^::(error|warning) ((?:[a-z]+=[^,:]*,?)+)::(.*)$")


def unescape(value: str) -> str:
    """The runner's decoding (actions/toolkit escapeProperty/escapeData, reversed)."""
    for escaped, char in (("%2C", ","), ("%3A", ":"), ("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
        value = value.replace(escaped, char)
    return value


def parse(line: str) -> dict[str, str]:
    match = COMMAND.match(line)
    assert match, f"not a workflow command GitHub can read: {line!r}"
    level, props, message = match.groups()
    fields = dict(p.split("=", 1) for p in props.rstrip(",").split(","))
    return {"level": level, **{k: unescape(v) for k, v in fields.items()}, "message": unescape(message)}


@pytest.fixture
def pull_request(tmp_path: Path) -> Path:
    site = copy_site(FIXTURES / "small_site", tmp_path / "site")
    shutil.copytree(FIXTURES / "pr_broken" / "content", site / "content", dirs_exist_ok=True)
    return site


def run_validate(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(cwd, "validate", *args)


def test_the_real_command_prints_the_annotations(pull_request: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "timeweave", "validate", "--format", "github"],
                          cwd=pull_request, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stdout == run_validate(pull_request, "--format", "github").stdout


def test_fixture_pull_request_annotates_each_mistake_on_its_line(pull_request: Path) -> None:
    done = run_validate(pull_request, "--format", "github")
    assert done.returncode == 1
    found = [parse(line) for line in done.stdout.splitlines()]
    where = [(a["file"], int(a["line"]), a["title"]) for a in found]
    assert where == [
        ("content/actors/alpha-army.md", 3, "kind"),
        ("content/events/2020/ceasefire-talks.md", 4, "type"),
        ("content/events/2020/ceasefire-talks.md", 5, "place"),
        ("content/events/2020/ceasefire-talks.md", 8, "actors[1].actor"),
        ("content/events/2020/phone-call.md", 14, "content"),
        ("content/events/2020/post-shelled-again.md", 3, "date"),
        ("content/events/2020/post-shelled-again.md", 9, "tags[0]"),
        ("content/events/2020/post-shelled-again.md", 10, "note: see\nparagraph 4"),
    ]  # shelling-of-post.md names the broken actor, but the error is the actor's, not "unknown actor"
    assert all(a["level"] == "error" for a in found)
    by_line = {(a["file"].rsplit("/", 1)[1], int(a["line"])): a["message"] for a in found}
    assert "'army' is not allowed" in by_line[("alpha-army.md", 3)]
    assert "armed-force" in by_line[("alpha-army.md", 3)]
    assert "did you mean 'beta-leader'?" in by_line[("ceasefire-talks.md", 8)]
    assert "put text containing ': ' in quotes" in by_line[("phone-call.md", 14)]
    assert "write dates as YYYY-MM-DD" in by_line[("post-shelled-again.md", 3)]
    assert "'100%' is not a valid id" in by_line[("post-shelled-again.md", 9)]
    assert "unknown field 'note: see\nparagraph 4'" in by_line[("post-shelled-again.md", 10)]
    # Every line number points into the file named.
    for a in found:
        assert int(a["line"]) <= len((pull_request / a["file"]).read_text().splitlines())


def test_lines_in_the_annotations_hold_the_mistakes(pull_request: Path) -> None:
    done = run_validate(pull_request, "--format", "github")
    for a in map(parse, done.stdout.splitlines()):
        text = (pull_request / a["file"]).read_text().splitlines()[int(a["line"]) - 1]
        key = a["title"].split(".")[-1].split("[")[0]
        if key not in ("content", "actor"):
            assert text.lstrip(' -"').startswith(key.split(":")[0]), (a, text)


def test_json_and_text_formats_report_the_same_errors(pull_request: Path) -> None:
    github = [parse(line) for line in run_validate(pull_request, "--format", "github").stdout.splitlines()]
    as_json = json.loads(run_validate(pull_request, "--format", "json").stdout)
    text = run_validate(pull_request)
    assert text.returncode == 1
    assert [(e["path"], e["line"]) for e in as_json] == [(a["file"], int(a["line"])) for a in github]
    assert "content/events/2020/ceasefire-talks.md:8: actors[1].actor: unknown actor 'beta-leadr'" in text.stderr


def test_escaping_follows_the_actions_toolkit() -> None:
    error = ContentError("content/a,b:c%.md", 4, "x:y,z", "50%\r\nnext: part, two", "use 'a, b'")
    line = error.format_github()
    assert line == ("::error file=content/a%2Cb%3Ac%25.md,line=4,title=x%3Ay%2Cz::"
                    "x:y,z: 50%25%0D%0Anext: part, two (hint: use 'a, b')")
    assert "\n" not in line and "\r" not in line
    parsed = parse(line)
    assert parsed["file"] == "content/a,b:c%.md" and parsed["title"] == "x:y,z"
    assert parsed["message"] == "x:y,z: 50%\r\nnext: part, two (hint: use 'a, b')"


def test_control_characters_in_an_annotation_are_shown_not_sent() -> None:
    # A title with ESC, a vertical tab, NEL, U+2028 or a bidi override reached the log as is: an
    # ESC sequence rewrites the log's line and a lone U+2028 splits it where the runner does not.
    error = ContentError("content/e\x1b[2K.md", 3, "ti\u202etle", "'a\x1b[31mb\x0bc\x85d\u2028e' is bad, 1%", "fix\x07")
    line = error.format_github()
    assert line == ("::error file=content/e\\u001b[2K.md,line=3,title=ti\\u202etle::"
                    "ti\\u202etle: 'a\\u001b[31mb\\u000bc\\u0085d\\u2028e' is bad, 1%25 (hint: fix\\u0007)")
    assert line.isprintable()


def test_a_valid_site_prints_no_annotation() -> None:
    done = run_validate(FIXTURES / "small_site", "--format", "github")
    assert done.returncode == 0
    assert done.stdout == ""
