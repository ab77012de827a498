"""`validate --changed`: what differs from the base branch, plus every record that refers to it,
in a real temporary git repository."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from timeweave.content.changed import RecordKey, changed_paths, key_of_path

from conftest import FIXTURES, copy_site, run_cli


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org",
                           "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
                          cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """small_site committed on main, then a branch `pr` checked out."""
    site = copy_site(FIXTURES / "small_site", tmp_path / "repo")
    git(site, "init", "-q")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "base")
    git(site, "checkout", "-q", "-b", "pr")
    return site


def changed_json(repo: Path, *args: str) -> tuple[int, list[dict[str, object]]]:
    done = run_cli(repo, "validate", "--changed", "--format", "json", *args)
    return done.returncode, json.loads(done.stdout)


def test_a_changed_actor_checks_the_events_that_refer_to_it(repo: Path) -> None:
    (repo / "content/actors/beta-leader.md").unlink()
    git(repo, "commit", "-q", "-am", "remove an actor")
    code, errors = changed_json(repo)
    assert code == 1
    # The deleted file has no errors of its own: they show where the actor is named, on those lines.
    assert [(e["path"], e["line"], e["field"]) for e in errors] == [
        ("content/events/2020/leader-threatens-response.md", 7, "actors[0].actor"),
        ("content/events/2020/phone-call.md", 7, "actors[0].actor"),
        ("content/events/2020/shelling-of-post.md", 9, "actors[1].actor"),
    ]
    assert all(e["message"] == "unknown actor 'beta-leader'" for e in errors)


def test_only_errors_in_the_change_are_reported(repo: Path) -> None:
    # An error already on main, in a file the pull request does not touch...
    git(repo, "checkout", "-q", "main")
    broken = repo / "content/places/gamma-country.md"
    broken.write_text(broken.read_text().replace("kind: country", "kind: continent"))
    git(repo, "commit", "-q", "-am", "broken on main")
    git(repo, "checkout", "-q", "-b", "pr2")
    # ...and one the pull request makes, in an uncommitted edit.
    event = repo / "content/events/2020/phone-call.md"
    event.write_text(event.read_text().replace("type: diplomacy", "type: diplomcy"))
    code, errors = changed_json(repo)
    assert code == 1
    assert [(e["path"], e["line"], e["field"]) for e in errors] == [
        ("content/events/2020/phone-call.md", 4, "type")]
    text = run_cli(repo, "validate", "--changed")
    assert "checked 1 changed file(s) since main and 0 that refer to them" in text.stderr
    assert "error(s) in other files are not shown" in text.stderr
    # Without --changed, everything is reported.
    full = run_cli(repo, "validate", "--format", "json")
    assert {e["path"] for e in json.loads(full.stdout)} >= {
        "content/places/gamma-country.md", "content/events/2020/phone-call.md"}


def test_untracked_and_staged_files_count(repo: Path) -> None:
    new_event = repo / "content/events/2020/new-event.md"
    new_event.write_text("---\ntitle: New\ndate: 2020-02-20\ntype: shelling\nstatus: reported\n"
                         "place: beta-village\nsources:\n  - source: fixture-report\n---\n")
    code, errors = changed_json(repo)
    assert code == 1
    assert [(e["path"], e["line"], e["message"]) for e in errors] == [
        ("content/events/2020/new-event.md", 6, "unknown place 'beta-village'")]
    git(repo, "add", str(new_event))
    assert changed_json(repo)[1] == errors
    assert "content/events/2020/new-event.md" in changed_paths(repo, "main")


def test_a_renamed_place_checks_the_places_within_it_and_its_events(repo: Path) -> None:
    git(repo, "mv", "content/places/beta-province.md", "content/places/beta-region.md")
    code, errors = changed_json(repo)
    assert code == 1
    assert sorted((e["path"], e["field"]) for e in errors) == [
        ("content/events/2020/leader-threatens-response.md", "place"),
        ("content/places/beta-town.md", "within"),
    ]
    assert all("unknown place 'beta-province'" == e["message"] for e in errors)


def test_a_valid_change_passes_and_says_what_was_checked(repo: Path) -> None:
    actor = repo / "content/actors/alpha-state.md"
    actor.write_text(actor.read_text().replace("A fictional state", "A made-up state"))
    done = run_cli(repo, "validate", "--changed")
    assert done.returncode == 0
    assert "checked 1 changed file(s) since main and 2 that refer to them" in done.stdout
    assert "content is valid" in done.stdout


def test_a_vocabulary_change_checks_everything(repo: Path) -> None:
    vocabulary = repo / "content/vocabulary.yml"
    vocabulary.write_text(vocabulary.read_text().replace("  speaker:", "  orator:"))
    code, errors = changed_json(repo)
    assert code == 1
    assert [(e["path"], e["field"]) for e in errors] == [
        ("content/events/2020/leader-threatens-response.md", "actors[0].role")]


def test_commits_on_the_base_after_branching_are_not_the_pull_requests(repo: Path) -> None:
    git(repo, "checkout", "-q", "main")
    broken = repo / "content/sources/fixture-report.md"
    broken.write_text(broken.read_text().replace("kind: report", "kind: rumour"))
    git(repo, "commit", "-q", "-am", "main moves on")
    git(repo, "checkout", "-q", "pr")
    assert changed_paths(repo, "main") == set()
    assert changed_json(repo) == (0, [])


def test_unknown_base_is_a_usage_error(repo: Path) -> None:
    done = run_cli(repo, "validate", "--changed", "--base", "no-such-branch")
    assert done.returncode == 2
    assert "the base 'no-such-branch' is not a branch or commit here" in done.stderr


def test_paths_map_to_records() -> None:
    assert key_of_path("content/events/2020/a-b.md", "content") == RecordKey("event", "a-b")
    assert key_of_path("content/actors/x.md", "content") == RecordKey("actor", "x")
    assert key_of_path("content/vocabulary.yml", "content") is None
    assert key_of_path("generator/timeweave/content/models.py", "content") is None
    assert key_of_path("site/content/actors/x.md", "content") is None


def test_a_file_added_in_a_misspelled_folder_fails_the_change(repo: Path) -> None:
    # Its error is the folder's (the file is never read): --changed hid it and passed the change.
    added = repo / "content/event/2020/new-event.md"
    added.parent.mkdir(parents=True)
    added.write_text("---\ntitle: New\n---\n")
    code, errors = changed_json(repo)
    assert code == 1
    assert [(e["path"], e["hint"]) for e in errors] == [("content/event", "did you mean content/events/?")]
