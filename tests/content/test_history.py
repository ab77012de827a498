"""Versions from git (generator/timeweave/content/history.py) and the manifest logic
(generator/timeweave/site/permanence.py) on
real temporary repositories."""

from __future__ import annotations

from pathlib import Path

from timeweave.content.history import load_history
from timeweave.site.permanence import check_manifest, merge_manifest, read_manifest

from gitrepo import commit_all, git, init


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_one_log_gives_every_file_with_renames_and_deletions(tmp_path: Path) -> None:
    init(tmp_path)
    write(tmp_path / "content/events/2020/a.md", "---\ntitle: A\n---\nFirst text of the event, long enough.\n")
    write(tmp_path / "content/events/2020/gone.md", "---\ntitle: Gone\n---\nbody\n")
    write(tmp_path / "README.txt", "not Markdown: not read\n")
    first = commit_all(tmp_path, "Add a and gone", "2021-01-01T10:00:00+00:00")
    git(tmp_path, "mv", "content/events/2020/a.md", "content/events/2020/b.md")
    second = commit_all(tmp_path, "Rename a to b", "2021-02-01T10:00:00+01:00")
    git(tmp_path, "rm", "-q", "content/events/2020/gone.md")
    write(tmp_path / "content/events/2020/b.md",
          "---\ntitle: A\n---\nFirst text of the event, long enough.\nMore.\n")
    third = commit_all(tmp_path, "Edit b\x07 and remove gone", "2021-03-01T10:00:00-05:00")

    history = load_history(tmp_path)
    assert history.available and history.prefix == "" and not history.shallow and history.notice == ""
    b = history.of("content/events/2020/b.md")
    assert b is not None
    assert [(c.commit, c.date, c.path) for c in b.changes] == [
        (third, "2021-03-01T10:00:00-05:00", "content/events/2020/b.md"),
        (second, "2021-02-01T10:00:00+01:00", "content/events/2020/b.md"),
        (first, "2021-01-01T10:00:00+00:00", "content/events/2020/a.md"),
    ]
    assert b.first.subject == "Add a and gone" and b.last.subject == "Edit b  and remove gone"
    assert history.gone == {"content/events/2020/gone.md": history.files["content/events/2020/gone.md"][0]}
    path, change = history.deleted("content/events", "gone")  # type: ignore[misc]
    assert path == "content/events/2020/gone.md" and change.commit == third
    assert history.deleted("content/actors", "gone") is None
    assert "README.txt" not in history.files
    assert history.latest is not None and history.latest.commit == third


def test_history_of_a_project_inside_a_larger_repository(tmp_path: Path) -> None:
    init(tmp_path)
    write(tmp_path / "sites/one/content/sources/s.md", "x\n")
    write(tmp_path / "sites/two/content/sources/t.md", "y\n")
    commit_all(tmp_path, "Two sites", "2021-01-01T00:00:00+00:00")
    history = load_history(tmp_path / "sites/one")
    assert history.prefix == "sites/one/"
    assert list(history.files) == ["content/sources/s.md"]
    assert history.repo_path("content/sources/s.md") == "sites/one/content/sources/s.md"


def test_former_paths_join_a_history_git_did_not_see_as_a_rename(tmp_path: Path) -> None:
    init(tmp_path)
    write(tmp_path / "content/actors/old.md", "completely different text\n" * 3)
    commit_all(tmp_path, "Old actor", "2021-01-01T00:00:00+00:00")
    git(tmp_path, "rm", "-q", "content/actors/old.md")
    write(tmp_path / "content/actors/new.md", "nothing in common with before\n")
    commit_all(tmp_path, "New actor", "2021-05-01T00:00:00+00:00")
    history = load_history(tmp_path)
    assert len(history.of("content/actors/new.md").changes) == 1  # type: ignore[union-attr]
    joined = history.of("content/actors/new.md", ["content/actors/old.md"])
    assert joined is not None and [c.subject for c in joined.changes] == ["New actor", "Old actor"]


def test_no_repository_no_commits_and_shallow_clones_are_reported(tmp_path: Path) -> None:
    outside = load_history(tmp_path)
    assert not outside.available and "not a git repository" in outside.reason
    assert outside.notice.startswith("no git history (")
    init(tmp_path)
    empty = load_history(tmp_path)
    assert not empty.available and empty.notice

    source = tmp_path / "source"
    source.mkdir()
    init(source)
    for n in range(3):
        write(source / "content/sources/s.md", f"version {n}\n")
        commit_all(source, f"Version {n}", f"2021-0{n + 1}-01T00:00:00+00:00")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{source}", str(clone))
    shallow = load_history(clone)
    assert shallow.available and shallow.shallow and "shallow" in shallow.notice
    assert [c.subject for c in shallow.of("content/sources/s.md").changes] == ["Version 2"]  # type: ignore[union-attr]


def test_manifest_merge_keeps_everything_sorted_once() -> None:
    merged = merge_manifest("/b/\n/a/\n\n", ["/c/", "/a/"])
    assert merged == "/a/\n/b/\n/c/\n"
    assert merge_manifest(merged, []) == merged
    assert read_manifest(" /x/ \n\n/y/\n") == [(1, "/x/"), (3, "/y/")]


def test_manifest_check_names_line_url_and_fix() -> None:
    errors = check_manifest("published-urls.txt", "/\nevents/x/\n/events/gone/\n/actors/old/\n/about/\n",
                            {"/", "/about/"})
    assert [(e.line, e.field) for e in errors] == [(2, "url"), (3, "url"), (4, "url")]
    assert errors[0].message == "'events/x/' is not a URL path"
    assert "published URL /events/gone/ (the event 'gone')" in errors[1].message
    assert "content/events/<year>/gone.md" in errors[1].hint and "withdrawn" in errors[1].hint
    assert "add 'old' to `former_ids` of the actor that replaced it" in errors[2].hint


def test_only_the_sites_sources_date_its_pages(tmp_path: Path) -> None:
    """A commit that touches only the README or a test changes no published page's date: the
    history is read for the content, the hand-written pages and the guide."""
    init(tmp_path)
    write(tmp_path / "content/events/2020/a.md", "---\ntitle: A\n---\nbody\n")
    write(tmp_path / "docs/about.md", "# About\n")
    write(tmp_path / "CONTRIBUTING.md", "# Guide\n")
    write(tmp_path / "README.md", "# Readme\n")
    first = commit_all(tmp_path, "Start", "2021-01-01T10:00:00+00:00")
    write(tmp_path / "README.md", "# Readme, edited\n")
    write(tmp_path / "tests/notes.md", "# A test's notes\n")
    commit_all(tmp_path, "Edit the README", "2021-02-01T10:00:00+00:00")
    sources = [tmp_path / "content", tmp_path / "docs", tmp_path / "CONTRIBUTING.md"]
    history = load_history(tmp_path, sources)
    assert history.latest is not None and history.latest.commit == first
    assert history.of("README.md") is None and history.of("docs/about.md") is not None
    assert history.of("CONTRIBUTING.md") is not None
    write(tmp_path / "docs/about.md", "# About, edited\n")
    third = commit_all(tmp_path, "Edit about", "2021-03-01T10:00:00+00:00")
    history = load_history(tmp_path, sources)
    assert history.latest is not None and history.latest.commit == third
    everything = load_history(tmp_path)  # no sources named: every Markdown file, as before
    assert everything.of("README.md") is not None
