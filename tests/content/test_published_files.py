"""Symbolic links committed where the site reads or copies files (docs/, the theme's custom_dir,
the guide, the content folder itself) are refused by validate and by the build: a hostile pull
request linked /etc/passwd, /proc/self/environ and ../.git/config into docs/, and the build
published them in site/ (content/published_files.py)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from timeweave.content.published_files import published_file_problems

from conftest import FIXTURES, copy_site, run_cli

# (link, target) of every kind found: outside the project, a process's environment, the checkout's
# git configuration, a shared folder beside the checkout, a whole folder, dangling.
DOCS_LINKS = [
    ("docs/passwd.txt", "/etc/passwd"),
    ("docs/environ.txt", "/proc/self/environ"),
    ("docs/git-config.txt", "../.git/config"),
    ("docs/shared.md", "../../shared/notes.md"),
    ("docs/etc", "/etc"),
    ("docs/gone.md", "missing.md"),
    ("docs/inside.md", "index.md"),  # even a link to the project's own file: a review shows one line
]
OVERRIDE_LINKS = [
    ("site_overrides/main.html", "/etc/passwd"),
    ("site_overrides/assets/environ.js", "/proc/self/environ"),
    ("site_overrides/partials", "../../shared"),
    ("site_overrides/gone.html", "/nowhere/at/all"),
]


def _site(tmp_path: Path) -> Path:
    site = copy_site(FIXTURES / "small_site", tmp_path / "project")
    (site / ".git").mkdir()
    (site / ".git/config").write_text("[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n")
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared/notes.md").write_text("# Shared\n")
    (site / "site_overrides/assets").mkdir(parents=True)
    (site / "site_overrides/assets/own.css").write_text("body { margin: 0 }\n")
    config = site / "mkdocs.yml"
    config.write_text(config.read_text().replace("  font: false\n", "  font: false\n  custom_dir: site_overrides\n"))
    return site


def _link(site: Path, links: list[tuple[str, str]]) -> None:
    for name, target in links:
        (site / name).symlink_to(target)


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_link_is_listed_with_its_fix(tmp_path: Path) -> None:
    site = _site(tmp_path)
    _link(site, DOCS_LINKS + OVERRIDE_LINKS)
    problems = published_file_problems(site, (), (site / "docs", site / "site_overrides"))
    assert [p.path for p in problems] == sorted(name for name, _ in DOCS_LINKS + OVERRIDE_LINKS)
    shown = {p.path: p.format() for p in problems}
    assert shown["docs/passwd.txt"] == (
        "docs/passwd.txt:1: (file): symbolic link to '/etc/passwd', outside the project: the site publishes "
        "only the repository's own files (hint: replace the link with the file itself)")
    assert "to the folder '/etc', outside the project" in shown["docs/etc"]
    assert "replace the link with the folder itself" in shown["docs/etc"]
    assert "symbolic link to 'missing.md', which does not exist" in shown["docs/gone.md"]
    assert "to the folder '../../shared', outside the project" in shown["site_overrides/partials"]
    assert "outside the project" not in shown["docs/inside.md"]
    assert all(p.line == 1 and p.severity == "error" for p in problems)


def test_the_folders_and_files_themselves_and_the_folders_on_their_way(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / "CONTRIBUTING.md").symlink_to("../.git/config")
    os.rename(site / "docs", tmp_path / "real-docs")
    (site / "docs").symlink_to(tmp_path / "real-docs")
    os.rename(site / "content", site / "real-content")
    (site / "content").symlink_to("real-content")
    (site / "nested").symlink_to(tmp_path / "shared")
    problems = published_file_problems(site, (site / "content", site / "CONTRIBUTING.md", None),
                                       (site / "docs", site / "nested/theme", None))
    assert [p.path for p in problems] == ["CONTRIBUTING.md", "content", "docs", "nested"]
    assert published_file_problems(site, (), (tmp_path / "real-docs",)) == []  # named outside: its choice


def test_validate_lists_every_link_and_fails(tmp_path: Path) -> None:
    site = _site(tmp_path)
    _link(site, DOCS_LINKS + OVERRIDE_LINKS)
    run = run_cli(site, "validate")
    assert run.returncode == 1
    for name, _ in DOCS_LINKS + OVERRIDE_LINKS:
        assert f"{name}:1: (file): symbolic link to " in run.stderr
    assert f"{len(DOCS_LINKS) + len(OVERRIDE_LINKS)} error(s)" in run.stderr
    assert "Traceback" not in run.stderr


def test_validate_refuses_a_linked_guide_and_content_folder(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / "CONTRIBUTING.md").symlink_to("/etc/passwd")
    os.rename(site / "content", tmp_path / "content")
    (site / "content").symlink_to(tmp_path / "content")
    run = run_cli(site, "validate")
    assert run.returncode == 1
    assert "CONTRIBUTING.md:1: (file): symbolic link to '/etc/passwd', outside the project" in run.stderr
    assert "content:1: (file): symbolic link to the folder" in run.stderr


def test_validate_changed_reports_links_whatever_changed(tmp_path: Path) -> None:
    """The pull-request check runs `validate --changed`: a link is no record's problem, and was hidden."""
    site = _site(tmp_path)
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "init.defaultBranch=main",
           "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=site, check=True)
    subprocess.run([*git, "add", "-A", "content", "docs", "mkdocs.yml", "site_overrides"], cwd=site, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], cwd=site, check=True)
    subprocess.run([*git, "checkout", "-q", "-b", "pr"], cwd=site, check=True)
    _link(site, DOCS_LINKS[:1])
    subprocess.run([*git, "add", "-A", "docs"], cwd=site, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "a page"], cwd=site, check=True)
    run = run_cli(site, "validate", "--changed")
    assert run.returncode == 1
    assert "docs/passwd.txt:1: (file): symbolic link to '/etc/passwd'" in run.stderr


def test_the_real_site_has_no_link() -> None:
    from conftest import ROOT

    assert published_file_problems(ROOT, (ROOT / "content", ROOT / "CONTRIBUTING.md", ROOT / "published-urls.txt"),
                                   (ROOT / "docs", ROOT / "site_overrides")) == []


def _build(site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "timeweave", "build"], cwd=site, capture_output=True, text=True,
                          timeout=600)


@pytest.mark.parametrize("links", [DOCS_LINKS, OVERRIDE_LINKS], ids=["docs", "site_overrides"])
def test_the_build_refuses_links_and_keeps_the_last_good_site(tmp_path: Path, links: list[tuple[str, str]]) -> None:
    site = _site(tmp_path)
    first = _build(site)
    assert first.returncode == 0, first.stderr
    before = _snapshot(site / "site")
    _link(site, links)
    run = _build(site)
    assert run.returncode != 0
    for name, _ in links:
        assert f"{name}:1: (file): symbolic link to " in run.stderr
    assert "Traceback" not in run.stderr
    assert "the previous site in site/ is untouched" in run.stderr
    assert _snapshot(site / "site") == before
    assert not any("AUTHORIZATION" in path or "root:" in path for path in before)


def test_a_dangling_link_is_a_sentence_not_a_traceback(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / "docs/gone.md").symlink_to("missing.md")
    run = _build(site)
    assert run.returncode != 0
    assert "docs/gone.md:1: (file): symbolic link to 'missing.md', which does not exist" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (site / "site").exists()
