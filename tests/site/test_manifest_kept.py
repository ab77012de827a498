"""The published-URL manifest can never lose a line: it is replaced whole, never cut by a failed
write, and validation refuses a manifest that lost a line its base branch or its git history had
(a real git repository of the permanence fixture, the real command)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from timeweave.cli import main as cli
from timeweave.site import permanence
from timeweave.site.permanence import KEEP_HINT, update_manifest

from conftest import FIXTURES, copy_site
from gitrepo import commit_all, git, init

FIXTURE = FIXTURES / "permanence_site"
DAY = "2024-03-01T10:00:00+00:00"
LATER = "2024-03-02T10:00:00+00:00"


def _validate(project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
              *args: str) -> tuple[int, str]:
    monkeypatch.chdir(project)
    code = cli.main(["validate", *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def _drop(manifest: Path, *lost: str) -> None:
    lines = manifest.read_text().splitlines(keepends=True)
    assert all(f"{url}\n" in lines for url in lost)
    manifest.write_text("".join(line for line in lines if line.strip() not in lost))


def _line_of(manifest: Path, url: str) -> int:
    """Where url belongs in the sorted manifest (1-based)."""
    present = manifest.read_text().splitlines()
    return sum(1 for line in present if line < url) + 1


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    project = copy_site(FIXTURE, tmp_path / "project")
    init(project)
    commit_all(project, "Publish", DAY)
    return project


# -- 1. the manifest is replaced whole -------------------------------------------------------------

def test_a_write_that_fails_midway_leaves_the_manifest_whole(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = tmp_path / "published-urls.txt"
    before = "".join(f"/events/event-{n:04d}/\n" for n in range(400))  # past the 4,096 bytes of the cut
    manifest.write_text(before)

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        update_manifest(manifest, ["/events/new-event/"])
    assert manifest.read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["published-urls.txt"]  # no temporary file left


def test_a_write_that_cannot_rename_leaves_the_manifest_whole(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = tmp_path / "published-urls.txt"
    manifest.write_text("/\n/about/\n")

    def refused(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(permanence.os, "replace", refused)
    with pytest.raises(PermissionError):
        update_manifest(manifest, ["/events/new-event/"])
    assert manifest.read_text() == "/\n/about/\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["published-urls.txt"]


def test_a_normal_write_gives_todays_content_and_keeps_the_files_mode(tmp_path: Path) -> None:
    manifest = tmp_path / "published-urls.txt"
    manifest.write_text("/\n/events/b/\n")
    manifest.chmod(0o640)
    assert update_manifest(manifest, ["/events/a/", "/events/b/", "/"]) is True
    assert manifest.read_text() == "/\n/events/a/\n/events/b/\n"  # sorted, each URL once
    assert stat.S_IMODE(manifest.stat().st_mode) == 0o640
    assert update_manifest(manifest, ["/events/a/"]) is False  # nothing new: not rewritten
    fresh = tmp_path / "new" / "published-urls.txt"
    fresh.parent.mkdir()
    assert update_manifest(fresh, ["/b/", "/a/"]) is True
    assert fresh.read_text() == "/a/\n/b/\n"
    assert sorted(p.name for p in fresh.parent.iterdir()) == ["published-urls.txt"]


# -- 2. validation refuses a manifest that lost a line ---------------------------------------------

def test_a_deleted_line_is_refused_with_the_url_named(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    manifest = repo / "published-urls.txt"
    short = git(repo, "rev-parse", "--short=7", "HEAD").strip()
    _drop(manifest, "/about/", "/events/script-title/")  # both still answer: only the manifest knows
    code, said = _validate(repo, monkeypatch, capsys)
    assert code == cli.EXIT_CONTENT
    for url in ("/about/", "/events/script-title/"):
        assert (f"published-urls.txt:{_line_of(manifest, url)}: url: published URL {url} was removed from the "
                f"manifest (it is in commit {short}) (hint: {KEEP_HINT})") in said
    assert "2 error(s)" in said
    # Committing the deletion does not make it pass: the history still has the lines.
    commit_all(repo, "Tidy the manifest", LATER)
    code, said = _validate(repo, monkeypatch, capsys)
    assert code == cli.EXIT_CONTENT and "published URL /about/ was removed" in said


def test_a_deleted_manifest_is_refused(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    lines = (repo / "published-urls.txt").read_text().splitlines()
    (repo / "published-urls.txt").unlink()
    code, said = _validate(repo, monkeypatch, capsys)
    assert code == cli.EXIT_CONTENT
    assert f"{len(lines)} error(s)" in said and "published URL /events/retracted-claim/ was removed" in said


def test_a_manifest_cut_at_4096_bytes_is_refused_with_every_lost_url(
        repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    notes = repo / "docs/notes"
    notes.mkdir()
    for n in range(300):
        (notes / f"note-{n:03d}.md").write_text(f"# Note {n}\n")
    manifest = repo / "published-urls.txt"
    manifest.write_text(permanence.merge_manifest(manifest.read_text(),
                                                  [f"/notes/note-{n:03d}/" for n in range(300)]))
    commit_all(repo, "Notes", LATER)
    whole = manifest.read_bytes()
    assert len(whole) > 4096
    manifest.write_bytes(whole[:4096])  # what the full disk left
    kept = whole[:4096].decode().split("\n")
    partial = kept[-1]
    lost = [url for url in whole.decode().splitlines() if url not in kept[:-1]]
    assert partial and partial not in lost  # the cut fell inside a line
    code, said = _validate(repo, monkeypatch, capsys, "--format", "json")
    assert code == cli.EXIT_CONTENT
    errors = json.loads(said)
    removed = [e for e in errors if "was removed from the manifest" in e["message"]]
    assert sorted(e["message"].split()[2] for e in removed) == sorted(lost)
    assert all(e["path"] == "published-urls.txt" and e["field"] == "url" and e["hint"] == KEEP_HINT
               for e in removed)
    # The piece of a line left at the end is not a URL anything answers: said too.
    assert any(f"published URL {partial} " in e["message"] for e in errors if e not in removed)


def test_a_line_deleted_with_its_event_on_a_branch_is_refused(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    git(repo, "checkout", "-q", "-b", "pr")
    git(repo, "rm", "-q", "content/events/2020/retracted-claim.md")
    _drop(repo / "published-urls.txt", "/events/retracted-claim/")
    commit_all(repo, "Remove the retracted claim and its URL", LATER)
    code, said = _validate(repo, monkeypatch, capsys, "--changed", "--base", "main")
    assert code == cli.EXIT_CONTENT
    line = _line_of(repo / "published-urls.txt", "/events/retracted-claim/")
    assert (f"published-urls.txt:{line}: url: published URL /events/retracted-claim/ was removed from the "
            "manifest (it is in the base branch main)") in said
    assert KEEP_HINT in said
    # Without a base, the history of the branch has the line as well.
    code, said = _validate(repo, monkeypatch, capsys)
    assert code == cli.EXIT_CONTENT and "published URL /events/retracted-claim/ was removed" in said


def test_an_added_line_is_accepted(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    git(repo, "checkout", "-q", "-b", "pr")
    (repo / "docs/press.md").write_text("# Press\n")
    manifest = repo / "published-urls.txt"
    manifest.write_text(permanence.merge_manifest(manifest.read_text(), ["/press/"]))
    assert _validate(repo, monkeypatch, capsys, "--changed", "--base", "main")[0] == cli.EXIT_OK
    commit_all(repo, "A press page", LATER)
    assert _validate(repo, monkeypatch, capsys, "--changed", "--base", "main")[0] == cli.EXIT_OK
    assert _validate(repo, monkeypatch, capsys)[0] == cli.EXIT_OK


def test_a_new_manifest_on_a_branch_is_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_site(FIXTURE, tmp_path / "project")
    manifest = (project / "published-urls.txt").read_text()
    (project / "published-urls.txt").unlink()
    init(project)
    commit_all(project, "Content before any manifest", DAY)
    git(project, "checkout", "-q", "-b", "pr")
    (project / "published-urls.txt").write_text(manifest)
    assert _validate(project, monkeypatch, capsys, "--changed", "--base", "main")[0] == cli.EXIT_OK


def test_a_cut_once_committed_and_restored_is_not_demanded(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    manifest = repo / "published-urls.txt"
    whole = manifest.read_text()
    cut = whole.index("/events/script-title/") + len("/events/scr")
    manifest.write_text(whole[:cut])
    commit_all(repo, "The cut file, committed by mistake", LATER)
    manifest.write_text(whole)
    commit_all(repo, "Restore the manifest", "2024-03-03T10:00:00+00:00")
    code, said = _validate(repo, monkeypatch, capsys)
    assert code == cli.EXIT_OK, said


def test_without_git_nothing_is_compared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_site(FIXTURE, tmp_path / "tarball")
    _drop(project / "published-urls.txt", "/about/")
    code, said = _validate(project, monkeypatch, capsys)
    assert code == cli.EXIT_OK and "content is valid" in said
