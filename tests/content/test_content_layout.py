"""Files the walk of the content folder would leave out are errors, with the fix: a misspelled
folder, a record directly in content/, a hidden record, a '.MD' extension. Each of these passed
with "content is valid" before."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from timeweave.content.loader import load_content
from timeweave.errors import ContentError

VOCABULARY = "event_types: {}\nactor_roles: {}\nrelations: {}\nannotation_kinds: {}\nstatuses: {}\n"
ACTOR = "---\nname: A\nkind: state\n---\n"


def load(root: Path, *files: tuple[str, str]) -> list[ContentError]:
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "content" / "vocabulary.yml").write_text(VOCABULARY, encoding="utf-8")
    for relative, text in files:
        path = root / "content" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return load_content(root / "content", root).errors.items


def found(errors: list[ContentError]) -> list[tuple[str, int, str, str]]:
    return [(e.path, e.line, e.severity, e.hint) for e in errors]


def test_a_misspelled_folder_is_an_error_naming_the_right_one(tmp_path: Path) -> None:
    errors = load(tmp_path, ("event/2020/x.md", "---\ntitle: X\n---\n"), ("actor/a.md", ACTOR),
                  ("Sources/s.md", "---\n---\n"))
    assert found(errors) == [
        ("content/Sources", 1, "error", "did you mean content/sources/?"),
        ("content/actor", 1, "error", "did you mean content/actors/?"),
        ("content/event", 1, "error", "did you mean content/events/?"),
    ]
    assert "'event/' is not a content folder" in errors[2].message


def test_a_folder_like_no_kind_lists_the_kinds_folders(tmp_path: Path) -> None:
    (error,) = load(tmp_path, ("drafts/a.md", ACTOR))
    assert error.path == "content/drafts"
    assert error.hint == ("content files live in content/actors/, content/events/, content/places/, "
                          "content/sources/")


def test_files_directly_in_content_are_errors(tmp_path: Path) -> None:
    errors = load(tmp_path, ("a.md", ACTOR), ("vocabulary.yaml", VOCABULARY), ("notes.txt", "x"))
    assert [(e.path, e.message) for e in errors] == [
        ("content/a.md", "files directly in the content folder are not read"),
        ("content/notes.txt", "files directly in the content folder are not read"),
        ("content/vocabulary.yaml", "files directly in the content folder are not read"),
    ]
    assert errors[0].hint == ("move it to content/events/<year>/<id>.md, content/actors/<id>.md, "
                              "content/places/<id>.md, content/sources/<id>.md")
    assert errors[2].hint == "did you mean content/vocabulary.yml?"


def test_hidden_records_and_folders_are_errors(tmp_path: Path) -> None:
    errors = load(tmp_path, ("actors/.a.md", ACTOR), ("events/2020/.x.md", "---\n---\n"),
                  ("events/.2021/y.md", "---\n---\n"), (".drafts/z.md", ACTOR), (".hidden.md", ACTOR))
    assert found(errors) == [
        ("content/.drafts", 1, "error", "move its files into the folder above (or delete it)"),
        ("content/.hidden.md", 1, "error", "rename it to hidden.md (or delete it)"),
        ("content/events/.2021", 1, "error", "move its files into the folder above (or delete it)"),
        ("content/events/2020/.x.md", 1, "error", "rename it to x.md (or delete it)"),
        ("content/actors/.a.md", 1, "error", "rename it to a.md (or delete it)"),
    ]


def test_an_extension_in_the_wrong_case_is_an_error(tmp_path: Path) -> None:
    errors = load(tmp_path, ("actors/a.MD", ACTOR), ("events/2020/x.Md", "---\n---\n"), ("X.MD", ACTOR))
    assert [(e.path, e.message, e.hint) for e in errors] == [
        ("content/X.MD", "the extension '.MD' is not read: content files end in lowercase .md", "rename it to X.md"),
        ("content/events/2020/x.Md", "the extension '.Md' is not read: content files end in lowercase .md",
         "rename it to x.md"),
        ("content/actors/a.MD", "the extension '.MD' is not read: content files end in lowercase .md",
         "rename it to a.md"),
    ]


def test_what_legitimately_sits_in_content_passes(tmp_path: Path) -> None:
    # A note for contributors, tools' files, an editor's swap file and a repository of its own.
    assert load(tmp_path, ("README.md", "# How to add an event\n"), (".gitkeep", ""), ("actors/.gitkeep", ""),
                ("actors/.a.md.swp", "junk"), (".git/HEAD", "ref: refs/heads/main\n"), ("actors/a.md", ACTOR)) == []


def test_validate_reports_every_dropped_file_at_once(tmp_path: Path) -> None:
    load(tmp_path, ("event/2020/x.md", "---\n---\n"), ("actors/.a.md", ACTOR), ("actors/b.MD", ACTOR))
    run = subprocess.run([sys.executable, "-m", "timeweave", "validate", "--content", "content"], cwd=tmp_path,
                         capture_output=True, text=True, check=False)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "content is valid" not in run.stdout
    out = run.stdout + run.stderr
    for line in ["content/event:1: (file): 'event/' is not a content folder: the files in it are not read "
                 "(hint: did you mean content/events/?)",
                 "content/actors/.a.md:1: (file): hidden file", "content/actors/b.MD:1: (file): the extension"]:
        assert line in out, out
