"""The loader: line positions, safe YAML, and hostile files refused with a ContentError (never raised)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeweave.content.loader import MAX_FILE_BYTES, load_content, split_front_matter
from timeweave.content.yamlread import MAX_DEPTH, parse_yaml
from timeweave.errors import ErrorLog
from timeweave.parallel import runner as runners
from timeweave.parallel.runner import SERIAL, ForkedRunner, Runner

VOCABULARY = "event_types: {}\nactor_roles: {}\nrelations: {}\nannotation_kinds: {}\nstatuses: {}\n"


def parse(text: str, offset: int = 0) -> tuple[object, dict, ErrorLog]:
    errors = ErrorLog()
    parsed = parse_yaml(text, "f.md", errors, offset)
    data, lines = parsed if parsed is not None else (None, {})
    return data, lines, errors


def messages(errors: ErrorLog) -> list[tuple[int, str, str]]:
    return [(e.line, e.field, e.message) for e in errors.items]


def write(root: Path, relative: str, text: str | bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def load(root: Path, *files: tuple[str, str | bytes]) -> tuple[list, ErrorLog]:
    write(root, "content/vocabulary.yml", VOCABULARY)
    for relative, text in files:
        write(root, f"content/{relative}", text)
    result = load_content(root / "content", root)
    return result.records, result.errors


# -- line positions --------------------------------------------------------------------------

NESTED = """\
title: Shelling
actors:
  - actor: a
    role: initiator
  - {actor: b, role: target}
  -
    actor: c
    role: participant
casualties:
  - who: soldiers
    killed:
      min: 1
      max: 3
tags: [one,
  two]
"""


def test_lines_of_keys_and_list_items() -> None:
    data, lines, errors = parse(NESTED)
    assert messages(errors) == []
    assert data["actors"][2] == {"actor": "c", "role": "participant"}  # type: ignore[index]
    assert lines[("title",)] == 1
    assert lines[("actors",)] == 2
    assert lines[("actors", 0)] == 3
    assert lines[("actors", 0, "actor")] == 3
    assert lines[("actors", 0, "role")] == 4
    assert lines[("actors", 1)] == 5
    assert lines[("actors", 1, "role")] == 5
    assert lines[("actors", 2)] == 7  # an item whose '-' stands alone: the line of its content
    assert lines[("actors", 2, "role")] == 8
    assert lines[("casualties", 0, "killed")] == 11
    assert lines[("casualties", 0, "killed", "max")] == 13
    assert lines[("tags", 0)] == 14
    assert lines[("tags", 1)] == 15


def test_offset_gives_file_lines() -> None:
    _, lines, _ = parse(NESTED, offset=1)
    assert lines[("actors", 2, "role")] == 9


def test_record_lines_in_a_file(tmp_path: Path) -> None:
    text = ("---\nname: A\nkind: person\naliases:\n"
            "  - {name: Ä, lang: de}\n  - name: Б\n    lang: ru\n---\n\n\nProfile.\n")
    records, errors = load(tmp_path, ("actors/a.md", text))
    assert errors.items == []
    (record,) = records
    assert record.line_of(("aliases", 1, "lang")) == 7
    assert record.line_of(("aliases", 1, "nothing", "deeper")) == 6  # the nearest known item
    assert record.line_of(("missing",)) == 2
    assert (record.body, record.body_line) == ("Profile.", 11)


def test_crlf_and_bom_keep_lines(tmp_path: Path) -> None:
    text = "\ufeff---\r\nname: A\r\nkind: person\r\nwikidata: Q1\r\n---\r\nBody.\r\n"
    records, errors = load(tmp_path, ("actors/a.md", text.encode("utf-8")))
    assert errors.items == []
    assert records[0].lines[("wikidata",)] == 4
    assert records[0].data["name"] == "A"


# -- YAML the safe way ------------------------------------------------------------------------


def test_duplicate_key() -> None:
    _, _, errors = parse("a: 1\nb: 2\na: 3\n")
    assert [(e.line, e.field, e.message, e.hint) for e in errors.items] == [
        (3, "a", "duplicate key 'a'", "first given on line 1; keep one")]


def test_duplicate_key_in_a_nested_item() -> None:
    _, _, errors = parse("actors:\n  - actor: x\n    role: y\n  - actor: z\n    actor: w\n")
    assert messages(errors) == [(5, "actors[1].actor", "duplicate key 'actor'")]


def test_anchor_and_alias_refused() -> None:
    _, _, errors = parse("sources: &s\n  - source: a\nalso: *s\n")
    assert messages(errors) == [(1, "also", "YAML aliases (*name) are not allowed")]


def test_merge_key_refused() -> None:
    _, _, errors = parse("base: &b {x: 1}\nitem:\n  <<: *b\n")
    assert [e.line for e in errors.items] == [3]
    assert "merge keys" in errors.items[0].message or "aliases" in errors.items[0].message


@pytest.mark.parametrize("text", [
    "title: !!python/object/apply:os.system ['true']\n",
    "title: !custom value\n",
    "items: !!set {a, b}\n",
    "when: !!timestamp 2020-02-10\n",
])
def test_tags_refused(text: str) -> None:
    data, _, errors = parse(text)
    assert data is None
    assert len(errors.items) == 1
    assert "tag" in errors.items[0].message or "YAML" in errors.items[0].message


def test_yaml_12_scalars() -> None:
    data, _, errors = parse("time: 14:30\ndate: 2020-02-10\nanswer: no\non: yes\nflag: true\n"
                            "n: 5\nx: 1.5\nnull_value: null\nquoted: '010'\nyear: 2020\n")
    assert messages(errors) == []
    assert data == {"time": "14:30", "date": "2020-02-10", "answer": "no", "on": "yes", "flag": True,
                    "n": 5, "x": 1.5, "null_value": None, "quoted": "010", "year": 2020}


@pytest.mark.parametrize("value, number_to_yaml_12", [
    ("0668", True), ("010", True), ("-007", True), ("1e5", True), ("1_000", False), ("2_020", False)])
def test_values_yaml_12_reads_otherwise_are_refused(value: str, number_to_yaml_12: bool) -> None:
    # YAML 1.2 (the language server checking files against the schema) reads 0668 as 668; silently
    # keeping the text, or reading 668, would make one of the two readers wrong about the file.
    data, _, errors = parse(f"title: T\ndate: {value}\n", offset=1)
    assert data is None
    [error] = errors.items
    assert (error.path, error.line, error.field) == ("f.md", 3, "date")
    assert ("is a number to YAML 1.2" in error.message) == number_to_yaml_12
    assert f"put it in quotes ('{value}')" in error.hint


def test_leading_zero_year_refused_in_a_list_and_through_the_fast_reader(tmp_path: Path) -> None:
    records, errors = load(tmp_path, ("events/668/e.md", "---\ntitle: T\ndate: 0668\ntags: [a, 0609]\n---\n"))
    assert [(e.path, e.line, e.field) for e in errors.items] == [("content/events/668/e.md", 3, "date")]
    assert "put it in quotes ('0668')" in errors.items[0].hint
    _, _, errors = parse("tags: [a, 0609]\n")
    assert [(e.line, e.field) for e in errors.items] == [(1, "tags[1]")]


def test_time_stays_text_in_an_event(tmp_path: Path) -> None:
    records, errors = load(tmp_path, ("events/2020/e.md", "---\ntitle: T\ntime: 14:30\n---\n"))
    assert errors.items == []
    assert records[0].data["time"] == "14:30"


def test_non_text_keys_refused() -> None:
    _, _, errors = parse("1: one\n")
    assert messages(errors) == [(1, "", "keys must be plain text")]


def test_depth_limit() -> None:
    text = "a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
    _, _, errors = parse(text)
    assert len(errors.items) == 1
    assert "nested deeper than" in errors.items[0].message


def test_syntax_error_line() -> None:
    _, _, errors = parse("title: ok\nplace: [a, b\nstatus: x\n", offset=1)
    assert len(errors.items) == 1
    assert errors.items[0].message.startswith("YAML syntax error")
    assert errors.items[0].line in (3, 4)  # libyaml points at the line where the list should have ended


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_never_raises(text: str) -> None:
    errors = ErrorLog()
    parsed = parse_yaml(text, "f.md", errors)
    assert (parsed is None) == bool(errors.items)
    parts = split_front_matter(text, "f.md", ErrorLog())
    assert parts is None or isinstance(parts[0], str)


# -- files ------------------------------------------------------------------------------------


def only_error(errors: ErrorLog) -> tuple[str, int, str, str]:
    (error,) = errors.items
    return error.path, error.line, error.field, error.message


def test_no_front_matter(tmp_path: Path) -> None:
    records, errors = load(tmp_path, ("actors/a.md", "name: A\nkind: person\n"))
    assert records == []
    assert only_error(errors) == ("content/actors/a.md", 1, "",
                                  "missing front matter: the file must start with a '---' line")


def test_unclosed_front_matter(tmp_path: Path) -> None:
    records, errors = load(tmp_path, ("actors/a.md", "---\nname: A\nkind: person\n\nProfile.\n"))
    assert records == []
    assert only_error(errors) == ("content/actors/a.md", 1, "",
                                  "front matter is not closed: add a '---' line after it")


def test_front_matter_must_be_a_mapping(tmp_path: Path) -> None:
    records, errors = load(tmp_path, ("actors/a.md", "---\n- a\n- b\n---\n"))
    assert records == []
    assert only_error(errors)[:2] == ("content/actors/a.md", 2)


def test_empty_front_matter_is_an_empty_mapping(tmp_path: Path) -> None:
    records, errors = load(tmp_path, ("actors/a.md", "---\n---\nText.\n"))
    assert errors.items == []
    assert records[0].data == {}


def test_not_utf8(tmp_path: Path) -> None:
    raw = "---\nname: Ä\n".encode() + b"kind: \xe9t\xe9\n---\n"  # Latin-1 'été'
    records, errors = load(tmp_path, ("actors/a.md", raw))
    assert records == []
    path, line, _, message = only_error(errors)
    assert (path, line) == ("content/actors/a.md", 3)
    assert message == "not UTF-8 (byte 0xe9 at offset 19)"
    assert errors.items[0].hint == "save the file as UTF-8"


def test_nul_character(tmp_path: Path) -> None:
    records, errors = load(tmp_path, ("actors/a.md", "---\nname: A\x00\n---\n"))
    assert records == []
    assert only_error(errors) == ("content/actors/a.md", 2, "", "file contains a NUL character")


def test_oversize(tmp_path: Path) -> None:
    text = "---\nname: A\nkind: person\n---\n" + "x" * MAX_FILE_BYTES
    records, errors = load(tmp_path, ("actors/a.md", text))
    assert records == []
    path, line, _, message = only_error(errors)
    assert (path, line) == ("content/actors/a.md", 1)
    assert message == f"file is {len(text)} bytes; the limit is {MAX_FILE_BYTES}"


def test_symlink_leaving_the_folder_refused(tmp_path: Path) -> None:
    secret = write(tmp_path, "outside/secret.md", "---\nname: Secret\nkind: person\n---\n")
    write(tmp_path, "content/vocabulary.yml", VOCABULARY)
    (tmp_path / "content" / "actors").mkdir(parents=True)
    os.symlink(secret, tmp_path / "content" / "actors" / "secret.md")
    result = load_content(tmp_path / "content", tmp_path)
    assert result.records == []
    assert only_error(result.errors) == ("content/actors/secret.md", 1, "",
                                         "symbolic link leaves the content folder")


def test_symlinked_folder_not_followed(tmp_path: Path) -> None:
    write(tmp_path, "outside/2020/e.md", "---\ntitle: T\n---\n")
    write(tmp_path, "content/vocabulary.yml", VOCABULARY)
    (tmp_path / "content" / "events").mkdir(parents=True)
    os.symlink(tmp_path / "outside" / "2020", tmp_path / "content" / "events" / "2020")
    result = load_content(tmp_path / "content", tmp_path)
    assert result.records == []
    assert only_error(result.errors) == ("content/events/2020", 1, "",
                                         "symbolic links to folders are not followed")


def test_symlink_inside_the_folder_allowed(tmp_path: Path) -> None:
    records, errors = load(tmp_path, ("actors/a.md", "---\nname: A\nkind: person\n---\n"))
    os.symlink(tmp_path / "content" / "actors" / "a.md", tmp_path / "content" / "actors" / "b.md")
    result = load_content(tmp_path / "content", tmp_path)
    assert result.errors.items == []
    assert [r.id for r in result.records] == ["a", "b"]


def test_tools_files_ignored_hidden_folders_refused_and_other_files_warned(tmp_path: Path) -> None:
    # A hidden folder's records were dropped without a word; an editor's swap file is no record.
    records, errors = load(tmp_path, ("actors/.a.md.swp", "junk"), ("actors/readme.txt", "notes"),
                           ("actors/.drafts/x.md", "junk"), ("actors/.gitkeep", ""), ("actors/.git/x.md", ""))
    assert records == []
    assert [(e.path, e.severity) for e in errors.items] == [("content/actors/.drafts", "error"),
                                                            ("content/actors/readme.txt", "warning")]


def test_files_are_read_in_sorted_order(tmp_path: Path) -> None:
    records, errors = load(tmp_path, *[(f"places/{name}.md", "---\nname: P\nkind: town\n---\n")
                                       for name in ("c", "a", "b")],
                           ("events/2021/x.md", "---\n---\n"), ("events/2019/y.md", "---\n---\n"))
    assert errors.items == []
    assert [(r.kind, r.id) for r in records] == [("event", "y"), ("event", "x"), ("place", "a"),
                                                 ("place", "b"), ("place", "c")]


def test_missing_vocabulary_and_content_folder(tmp_path: Path) -> None:
    result = load_content(tmp_path / "content", tmp_path)
    assert only_error(result.errors) == ("content", 1, "", "content folder not found")
    (tmp_path / "content").mkdir()
    result = load_content(tmp_path / "content", tmp_path)
    assert only_error(result.errors) == ("content/vocabulary.yml", 1, "", "vocabulary file not found")


# -- two processes ---------------------------------------------------------------------------------


def _broken_corpus(root: Path) -> Path:
    """A generated content folder with one file of each kind of problem, spread across the files."""
    import re
    import sys

    from conftest import ROOT

    sys.path.insert(0, str(ROOT / "bench"))
    import corpus

    content = root / "content"
    corpus.write_content(content, 60, seed=3)
    events = sorted((content / "events").rglob("*.md"))

    def edit(path: Path, change: object) -> None:
        text = path.read_text(encoding="utf-8")
        changed = change(text)  # type: ignore[operator]
        assert changed != text
        path.write_text(changed, encoding="utf-8")

    edit(events[1], lambda t: re.sub(r'^date: ".*"$', 'date: "2011-13-45"', t, count=1, flags=re.M))
    edit(events[4], lambda t: t.replace('"actor": "', '"actor": "nobody-', 1))
    edit(events[7], lambda t: t.replace("status:", 'type: "arrest"\nstatus:', 1))
    edit(events[10], lambda t: re.sub(r"^title: .*\n", "", t, count=1, flags=re.M))
    edit(events[13], lambda t: t.replace("---\n", "---\n  bad: [\n", 1))
    edit(events[16], lambda t: t.rstrip("\n") + "\n\n<script>x</script> \u2066hidden\u2069\n")
    write(content, "events/2015/BadName.md", "---\ntitle: x\n---\n")
    write(content, "events/stray.md", "---\ntitle: x\n---\n")
    write(content, "actors/notes.txt", "not a record")
    return content


def test_two_processes_load_what_one_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from timeweave.catalog.catalog import build_catalog, own_problems
    from timeweave.content.models import build_record

    content = _broken_corpus(tmp_path)
    forks: list[int] = []
    real_fork = os.fork

    def counted_fork() -> int:
        forks.append(1)
        return real_fork()

    from timeweave.parallel import forked

    monkeypatch.setattr(forked.os, "fork", counted_fork)
    monkeypatch.setattr(runners, "_CHUNK_MIN", 2)  # many chunks, shared out between the processes

    def outcome(runner: Runner) -> tuple[object, ...]:
        loaded = load_content(content, tmp_path, check=own_problems, check_here=build_record,
                              runner=runner)
        assert loaded.kept, "what check_here made is kept for build_catalog"
        records = [(r.kind, r.id, r.path, r.data, list(r.lines.items()), r.body, r.body_line)
                   for r in loaded.records]
        checked = [loaded.checked_problems(r) for r in loaded.records]
        loader_errors = list(loaded.errors.items)
        _, errors = build_catalog(loaded, date(2026, 1, 1))
        return records, checked, loader_errors, sorted(loaded.unreadable), errors.items

    one = outcome(SERIAL)
    assert not forks
    two = outcome(ForkedRunner(fork_from=2))
    assert forks, "the parallel path was not taken"
    assert two == one
    records, _, loader_errors, unreadable, errors = one
    assert len(records) > 60 and unreadable and loader_errors
    messages = {e.message for e in errors}
    assert {"duplicate key 'type'", "missing required field"} <= messages
    assert any(m.startswith("unknown actor 'nobody-") for m in messages)
    assert any("month 13" in m for m in messages)


def test_a_failing_second_process_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from timeweave.content import loader

    content = _broken_corpus(tmp_path)
    expected = load_content(content, tmp_path, runner=SERIAL)
    parent = os.getpid()
    real_task = loader._load_task

    def failing_in_child(*args: object) -> object:
        if os.getpid() != parent:
            raise RuntimeError("the worker dies")
        return real_task(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "_load_task", failing_in_child)
    monkeypatch.setattr(runners, "_CHUNK_MIN", 2)
    got = load_content(content, tmp_path, runner=ForkedRunner(fork_from=2))
    assert got.records == expected.records
    assert got.errors.items == expected.errors.items
    assert got.unreadable == expected.unreadable


def test_both_processes_read_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from timeweave.errors import ContentError

    content = _broken_corpus(tmp_path)
    monkeypatch.setattr(runners, "_CHUNK_MIN", 2)

    parent, child_started = os.getpid(), tmp_path / "child-started"

    def reader(record: object) -> list[ContentError]:
        # Whichever process is free takes the next chunk: on a loaded machine this one could take
        # them all before the child runs, so it waits (a while, not for ever) for the child's first.
        if os.getpid() != parent:
            child_started.touch()
        else:
            deadline = time.monotonic() + 60
            while not child_started.exists() and time.monotonic() < deadline:
                time.sleep(0.01)
        return [ContentError("", 0, "", str(os.getpid()))]

    loaded = load_content(content, tmp_path, check=reader, runner=ForkedRunner(fork_from=2))
    readers = {problems[0].message for _, problems in loaded.checked.values()}
    assert str(os.getpid()) in readers and len(readers) == 2


def _split_by_lines(text: str) -> tuple[str, str, int] | None:
    """The front matter split line by line, as the loader did before it searched with a regex."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            body_line = index + 2
            while body_line <= len(lines) and not lines[body_line - 1].strip():
                body_line += 1
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]).strip("\n"), body_line
    return None


FENCE_PIECES = ["---", "--- ", "---\t", "----", "-- -", "\n", "\n", " ", "a: 1", "x", "\x0b", "\u2003",
                "\x85", "\x1c", "body", "\n\n"]


@settings(max_examples=3000, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(FENCE_PIECES), max_size=14))
def test_split_front_matter_finds_the_lines_a_line_by_line_reading_finds(pieces: list[str]) -> None:
    text = "".join(pieces)
    errors = ErrorLog()
    assert split_front_matter(text, "f.md", errors) == _split_by_lines(text)
    assert len(errors.items) == (_split_by_lines(text) is None)
