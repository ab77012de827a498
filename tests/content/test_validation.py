"""Every validation rule of the content model, one fixture file per rule that must fail.

tests/fixtures/invalid/base is a small valid content folder. Each file under
tests/fixtures/invalid/broken/content breaks exactly one rule; a test copies the base and that one
file into tmp_path and asserts the exact `path:line: field` of the error (the line of the offending
key or list item), and what the message and hint say. Files under tests/fixtures/invalid/vocabulary
replace content/vocabulary.yml.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from timeweave.catalog.catalog import load_catalog
from timeweave.errors import ContentError

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
INVALID = FIXTURES / "invalid"
BASE = INVALID / "base"
BROKEN = INVALID / "broken"
VOCABULARIES = INVALID / "vocabulary"
TODAY = date(2026, 1, 1)  # fixed, so "in the future" does not depend on the day the tests run

# fixture (relative to broken/ or vocabulary/) -> [(line, field, in the message, in the hint)]
CASES: dict[str, list[tuple[int, str, str, str]]] = {
    # YAML syntax
    "content/events/2020/yaml-syntax-error.md": [
        (2, "", "YAML syntax error: mapping values are not allowed", "put text containing ': ' in quotes")],
    "content/events/2020/yaml-tab-indent.md": [
        (7, "", "YAML syntax error", "indent with spaces, not tabs")],
    # duplicate keys
    "content/events/2020/duplicate-key.md": [
        (8, "title", "duplicate key 'title'", "first given on line 2")],
    "content/events/2020/duplicate-key-in-list-item.md": [
        (9, "actors[0].role", "duplicate key 'role'", "first given on line 8")],
    # unknown fields, with a did-you-mean hint
    "content/events/2020/unknown-field.md": [
        (2, "titel", "unknown field 'titel'", "did you mean 'title'?")],
    "content/events/2020/unknown-field-in-list-item.md": [
        (10, "sources[1].qoute", "unknown field 'qoute'", "did you mean 'quote'?")],
    "content/actors/affiliation-unknown-field.md": [
        (5, "affiliations[0].form", "unknown field 'form'", "did you mean 'from'?")],
    # missing required fields (a missing key has no line: the front matter's first line)
    "content/events/2020/missing-required-field.md": [(2, "type", "missing required field", "")],
    "content/events/2020/missing-required-field-in-list-item.md": [
        (8, "actors[1].role", "missing required field", "")],
    # types
    "content/events/2020/wrong-type-list.md": [(8, "tags", "valid list; got 'escalation'", "")],
    "content/events/2020/wrong-type-number.md": [
        (12, "casualties[1].killed", "expected a number or a range, got 'many'", "killed: 5")],
    "content/actors/unknown-actor-kind.md": [(3, "kind", "'militia' is not allowed", "'armed-group'")],
    "content/actors/invalid-wikidata.md": [(4, "wikidata", "valid string; got 43", "")],
    "content/actors/invalid-alias-language.md": [(6, "aliases[1].lang", "'Arabic' has the wrong form", "")],
    "content/places/invalid-names-language.md": [(6, "names.Turkish", "'Turkish' has the wrong form", "")],
    "content/events/2020/invalid-time.md": [(4, "time", "time '25:00' is not HH:MM", "24-hour time")],
    # id rules: the file name is the id; it cannot be set in front matter
    "content/events/2020/Invalid_File_Name.md": [
        (1, "id", "file name 'Invalid_File_Name.md' is not a valid id", "lowercase ASCII letters")],
    "content/events/2020/id-in-front-matter.md": [(6, "id", "'id' cannot be set in front matter", "")],
    "content/events/event-outside-year-folder.md": [
        (1, "id", "event files live in a folder named after their year", "events/<year>/")],
    # duplicate ids (same kind, another year folder)
    "content/events/2021/base-event.md": [
        (1, "id", "duplicate event id 'base-event', also content/events/2020/base-event.md", "rename")],
    # every reference resolves: actors, places, sources, related events, vocabulary terms,
    # affiliations, within
    "content/events/2020/unknown-actor-hint.md": [
        (9, "actors[1].actor", "unknown actor 'erdogan'", "did you mean 'recep-tayyip-erdogan'?")],
    "content/events/2020/unknown-place.md": [
        (6, "place", "unknown place 'idlib'", "did you mean 'idlib-governorate'?")],
    "content/events/2020/unknown-source.md": [
        (8, "sources[1].source", "unknown source 'analysis-of-news'", "did you mean 'news-analysis'?")],
    "content/events/2020/unknown-casualty-source.md": [
        (9, "casualties[0].source", "unknown source 'the-news'", "")],
    "content/events/2020/unknown-related-event.md": [
        (9, "related[0].event", "unknown event 'base-evnt'", "did you mean 'base-event'?")],
    "content/events/2020/related-to-itself.md": [
        (9, "related[0].event", "an event cannot be related to itself", "")],
    "content/events/2020/unknown-event-type.md": [
        (4, "type", "'shellng' is not in the vocabulary's event_types", "did you mean 'shelling'?")],
    "content/events/2020/unknown-actor-role.md": [
        (7, "actors[0].role", "'attacker' is not in the vocabulary's actor_roles",
         "known: initiator, participant, speaker, target")],
    "content/events/2020/unknown-status.md": [
        (5, "status", "'rumoured' is not in the vocabulary's statuses", "known: claimed, confirmed")],
    "content/events/2020/unknown-relation.md": [
        (9, "related[0].relation", "'follow' is not in the vocabulary's relations",
         "did you mean 'follows'?")],
    "content/events/2020/unknown-annotation-kind.md": [
        (11, "annotations[1].kind", "'note' is not in the vocabulary's annotation_kinds", "known: context")],
    "content/actors/unknown-affiliation.md": [
        (7, "affiliations[1].actor", "unknown actor 'erdogan'", "did you mean 'recep-tayyip-erdogan'?")],
    "content/places/unknown-within.md": [
        (5, "within", "unknown place 'idlib'", "did you mean 'idlib-governorate'?")],
    "content/places/within-itself.md": [(4, "within", "'within' makes a loop", "cannot be inside itself")],
    # EDTF validity
    "content/events/2020/invalid-edtf.md": [(3, "date", "'10/02/2020'", "write dates as YYYY-MM-DD")],
    "content/events/2020/invalid-edtf-day.md": [(3, "date", "day 30 does not exist in February 2020", "")],
    "content/actors/affiliation-invalid-from.md": [
        (7, "affiliations[0].from", "'2020-13': month 13 does not exist", "use an interval")],
    # dates not in the future
    "content/events/2099/future-date.md": [(3, "date", "'2099-01-01' is in the future", "")],
    "content/sources/future-published.md": [(4, "published", "'2099-03' is in the future", "")],
    # an event file in the wrong year folder
    "content/events/2019/wrong-year-folder.md": [
        (3, "date", "folder '2019' but the date is in 2020", "move it to content/events/2020/")],
    # coordinates in range
    "content/events/2020/coordinates-out-of-range.md": [
        (6, "coordinates", "latitude 95.5 is outside -90..90", "")],
    "content/places/longitude-out-of-range.md": [(4, "coordinates", "longitude 190.0 is outside", "")],
    # URLs http(s) only
    "content/sources/url-not-http.md": [(4, "url", "'javascript:alert(1)' is not an http(s) URL", "")],
    "content/sources/archive-url-not-http.md": [
        (5, "archive_url", "'ftp://example.org/report' is not an http(s) URL", "")],
    "content/sources/no-url-no-note.md": [(2, "", "a source without a url needs a note", "")],
    # at least one source per event
    "content/events/2020/no-sources.md": [(6, "sources", "an event needs at least one source", "sources:")],
    "content/events/2020/missing-sources.md": [(2, "sources", "missing required field", "")],
    # the account's Markdown policy
    "content/events/2020/unsafe-body.md": [(11, "body", "raw <script> is not allowed", "")],
}

VOCABULARY_CASES: dict[str, list[tuple[int, str, str, str]]] = {
    "missing-statuses.yml": [(12, "statuses", "statuses must define claimed, disputed", "")],
    "term-unknown-field.yml": [
        (3, "event_types.statement.lable", "unknown field 'lable'", "did you mean 'label'?")],
    "invalid-term-id.yml": [(4, "event_types.Diplomatic Talks", "'Diplomatic Talks' is not a valid id", "")],
    "unknown-group.yml": [
        (15, "annotation_kind", "unknown field 'annotation_kind'", "did you mean 'annotation_kinds'?")],
    # affiliations: only the relations the actors' model knows; tags: each with its label
    "unknown-affiliation.yml": [(27, "affiliations.friend-of", "'friend-of' is not allowed", "use one of 'member-of'")],
    "tag-without-label.yml": [(26, "tags.escalation.label", "missing required field", "")],
}


def make_content(tmp_path: Path, *broken: str, vocabulary: str | None = None) -> Path:
    """A copy of the valid base with the given broken files added (or replacing base files)."""
    shutil.copytree(BASE, tmp_path, dirs_exist_ok=True)
    for relative in broken:
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(BROKEN / relative, target)
    if vocabulary is not None:
        shutil.copyfile(VOCABULARIES / vocabulary, tmp_path / "content" / "vocabulary.yml")
    return tmp_path


def validate(root: Path) -> list[ContentError]:
    catalog, errors = load_catalog(root / "content", root, today=TODAY)
    assert (catalog is None) == bool(errors.errors)
    return errors.errors + errors.warnings  # each sorted by the library (by file, then line)


def assert_errors(found: list[ContentError], path: str, expected: list[tuple[int, str, str, str]]) -> None:
    wanted = [(path, line, field) for line, field, _, _ in expected]
    assert [(e.path, e.line, e.field) for e in found] == wanted, "\n".join(e.format() for e in found)
    for error, (_, _, message, hint) in zip(found, expected, strict=True):
        assert message in error.message, error.format()
        assert hint in error.hint, error.format()
        assert error.severity == "error"


def test_base_is_valid(tmp_path: Path) -> None:
    assert validate(make_content(tmp_path)) == []


def test_every_fixture_has_an_expectation() -> None:
    files = {p.relative_to(BROKEN).as_posix() for p in BROKEN.rglob("*") if p.is_file()}
    assert files == set(CASES)
    assert {p.name for p in VOCABULARIES.iterdir()} == set(VOCABULARY_CASES)


@pytest.mark.parametrize("relative", sorted(CASES))
def test_rule(tmp_path: Path, relative: str) -> None:
    assert_errors(validate(make_content(tmp_path, relative)), relative, CASES[relative])


@pytest.mark.parametrize("name", sorted(VOCABULARY_CASES))
def test_vocabulary_rule(tmp_path: Path, name: str) -> None:
    assert_errors(validate(make_content(tmp_path, vocabulary=name)), "content/vocabulary.yml",
                  VOCABULARY_CASES[name])


def test_did_you_mean_for_an_actor_named_by_part_of_its_id(tmp_path: Path) -> None:
    found = validate(make_content(tmp_path, "content/events/2020/unknown-actor-hint.md"))
    assert [e.format() for e in found] == [
        "content/events/2020/unknown-actor-hint.md:9: actors[1].actor: unknown actor 'erdogan' "
        "(hint: did you mean 'recep-tayyip-erdogan'?)"
    ]


def expected_union(tmp_path: Path) -> list[ContentError]:
    """Every single case's errors, each found on its own."""
    union: list[ContentError] = []
    for number, relative in enumerate(sorted(CASES)):
        union += validate(make_content(tmp_path / f"single-{number}", relative))
    return sorted(union)


def test_all_broken_files_at_once_report_every_error_sorted(tmp_path: Path) -> None:
    root = make_content(tmp_path / "all", *CASES)
    found = validate(root)
    assert found == sorted(found, key=lambda e: (e.path, e.line))
    # No error hides another: together they give exactly the errors each gives alone.
    assert found == expected_union(tmp_path)
    assert len(found) == sum(len(v) for v in CASES.values())


def run_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "timeweave", "validate", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_cli_validate_exits_1_with_every_error_in_order(tmp_path: Path) -> None:
    root = make_content(tmp_path / "all", *CASES)
    result = run_cli(root)
    assert result.returncode == 1, result.stderr
    expected = expected_union(tmp_path)
    lines = result.stderr.splitlines()
    assert lines == [e.format() for e in expected] + [f"{len(expected)} error(s), 0 warning(s)"]
    # path:line: field: message, sorted by file then line
    keys = [(line.split(":")[0], int(line.split(":")[1])) for line in lines[:-1]]
    assert keys == sorted(keys)


def test_cli_validate_json_and_github_formats(tmp_path: Path) -> None:
    root = make_content(tmp_path, "content/events/2020/unknown-actor-hint.md")
    data = json.loads(run_cli(root, "--format", "json").stdout)
    assert [(d["path"], d["line"], d["field"], d["hint"]) for d in data] == [
        ("content/events/2020/unknown-actor-hint.md", 9, "actors[1].actor",
         "did you mean 'recep-tayyip-erdogan'?")]
    github = run_cli(root, "--format", "github")
    assert github.returncode == 1
    assert github.stdout.startswith(
        "::error file=content/events/2020/unknown-actor-hint.md,line=9,title=actors[1].actor::")


def test_cli_validate_exits_0_on_valid_content(tmp_path: Path) -> None:
    result = run_cli(make_content(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.strip() == "content is valid: content"


def test_cli_validate_exits_0_on_the_small_fixture_site() -> None:
    result = run_cli(FIXTURES / "small_site")
    assert result.returncode == 0, result.stderr


def test_warnings_do_not_fail_validation(tmp_path: Path) -> None:
    root = make_content(tmp_path)
    (root / "content" / "actors" / "notes.txt").write_text("not a record\n")
    found = validate(root)
    assert [(e.path, e.severity) for e in found] == [("content/actors/notes.txt", "warning")]
    result = run_cli(root)
    assert result.returncode == 0
    assert "content/actors/notes.txt:1: (file): ignored: content files end in .md [warning]" in result.stdout


# -- no error hides another, and none is reported twice ----------------------------------------


@pytest.mark.parametrize(("relative", "text", "line"), [
    ("content/actors/turkey.md", "---\nname: Turkey\nkind: militia\n---\nThe state.\n", 3),  # model error
    ("content/actors/turkey.md", "---\nname: Turkey\nkind: [state\n---\nThe state.\n", 4),   # YAML error
    ("content/places/syria.md", "---\nname: Syria\nkind: country\ncoordinates: [35, 380]\n---\n", 4),
])
def test_a_broken_record_is_not_also_unknown_where_referenced(tmp_path: Path, relative: str, text: str,
                                                             line: int) -> None:
    # base-event and recep-tayyip-erdogan refer to turkey; idlib-governorate is within syria.
    root = make_content(tmp_path)
    (root / relative).write_text(text, encoding="utf-8")
    assert [(e.path, e.line) for e in validate(root)] == [(relative, line)]


def test_an_invalid_vocabulary_does_not_hide_other_errors(tmp_path: Path) -> None:
    root = make_content(tmp_path, "content/events/2020/unknown-place.md", vocabulary="unknown-group.yml")
    assert [(e.path, e.line, e.field) for e in validate(root)] == [
        ("content/events/2020/unknown-place.md", 6, "place"),
        ("content/vocabulary.yml", 15, "annotation_kind"),
    ]


def test_references_of_an_invalid_record_are_still_checked(tmp_path: Path) -> None:
    root = make_content(tmp_path)
    (root / "content/events/2020/two-problems.md").write_text(
        "---\ntitle: A bad date and a misspelt actor\ndate: 2020-02-30\ntype: shelling\nstatus: reported\n"
        "actors:\n  - {actor: erdogan, role: speakr}\n  - {actor: Turkey, role: target}\n"
        "sources:\n  - source: news-analysis\n---\nBoth are reported at once.\n", encoding="utf-8")
    assert [(e.line, e.field, e.message) for e in validate(root)] == [
        (3, "date", "'2020-02-30': day 30 does not exist in February 2020"),
        (7, "actors[0].actor", "unknown actor 'erdogan'"),
        (7, "actors[0].role", "'speakr' is not in the vocabulary's actor_roles"),
        # a value the model refused is not reported again as unknown
        (8, "actors[1].actor", "'Turkey' is not a valid id: lowercase ASCII letters, digits and single hyphens"),
    ]


def test_affiliations_keep_their_default_words_unless_the_vocabulary_rewords_them() -> None:
    from timeweave.content.models import Vocabulary

    data = yaml.safe_load((VOCABULARIES / "unknown-group.yml").read_text(encoding="utf-8"))
    data["annotation_kinds"] = data.pop("annotation_kind")
    data["affiliations"] = {"member-of": {"label": "One of", "inverse": "Its members", "definition": "x."}}
    vocab = Vocabulary.model_validate(data)
    assert (vocab.affiliations["member-of"].label, vocab.affiliations["member-of"].inverse) == ("One of", "Its members")
    assert (vocab.affiliations["backed-by"].label, vocab.affiliations["backed-by"].inverse) == ("Backed by", "Backs")
    assert vocab.tags == {}
