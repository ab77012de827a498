"""`python -m timeweave build`: atomic (a failed or interrupted build leaves the last good site/
byte for byte), and reproducible (two builds of the same commit give identical bytes)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from timeweave.output import atomic

from conftest import FIXTURES, ROOT, copy_site
from output_inspection import reproducible as _reproducible
from output_inspection import snapshot as _snapshot

# A MkDocs hook that interrupts the build after every page was written to the staging folder:
# the worst moment, when a non-atomic build would leave a half-replaced site.
HOOK = '''
import os, time
from pathlib import Path

def on_post_build(config, **kwargs):
    mode = os.environ.get("TIMELINE_TEST_INTERRUPT")
    if mode == "raise":
        raise KeyboardInterrupt
    if mode == "wait":
        marker = Path(os.environ["TIMELINE_TEST_MARKER"])
        marker.with_suffix(".part").write_text(config["site_dir"])
        marker.with_suffix(".part").rename(marker)  # appears complete or not at all
        for _ in range(600):  # until the test kills us
            time.sleep(1)
'''


def _project(tmp_path: Path, site_url: str | None = None) -> Path:
    project = copy_site(FIXTURES / "small_site", tmp_path / "project")
    config = project / "mkdocs.yml"
    text = config.read_text().replace("../../../site_overrides", str(ROOT / "site_overrides"))
    if site_url:
        text = f"site_url: {site_url}\n" + text
    config.write_text(text + "hooks:\n  - interrupt_hook.py\n")
    (project / "interrupt_hook.py").write_text(HOOK)
    return project


def _build(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "timeweave", "build", *args], cwd=project,
                          capture_output=True, text=True, env={**os.environ, **(env or {})})


def _siblings(project: Path) -> list[str]:
    # site.lock stays by design (output/lock.py): removing it would let two builds lock two files.
    return sorted(p.name for p in project.iterdir() if p.name.startswith("site") and p.name != "site.lock")


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    project = _project(tmp_path)
    run = _build(project)
    assert run.returncode == 0, run.stderr
    before = _snapshot(project / "site")
    assert "events/shelling-of-post/index.html" in before
    return project, before


def test_a_content_error_leaves_the_previous_site_untouched(built: tuple[Path, dict[str, str]]) -> None:
    project, before = built
    event = project / "content/events/2020/shelling-of-post.md"
    event.write_text(event.read_text().replace("type: shelling", "type: shellling"))
    run = _build(project)
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    assert "content/events/2020/shelling-of-post.md:4: type: 'shellling' is not in the vocabulary" in run.stderr
    assert "the previous site in site/ is untouched" in run.stderr
    assert _snapshot(project / "site") == before
    assert _siblings(project) == ["site"]


def test_an_interrupted_build_leaves_no_half_site(built: tuple[Path, dict[str, str]]) -> None:
    project, before = built
    event = project / "content/events/2020/shelling-of-post.md"
    event.write_text(event.read_text().replace("Shelling of an observation post", "Changed title"))
    run = _build(project, env={"TIMELINE_TEST_INTERRUPT": "raise"})
    assert run.returncode != 0
    assert _snapshot(project / "site") == before
    assert _siblings(project) == ["site"]  # the staging folder was removed


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_build_leaves_the_previous_site(built: tuple[Path, dict[str, str]], tmp_path: Path,
                                                 how: signal.Signals) -> None:
    project, before = built
    marker = tmp_path / "staged"
    process = subprocess.Popen([sys.executable, "-m", "timeweave", "build"], cwd=project,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "TIMELINE_TEST_INTERRUPT": "wait",
                                    "TIMELINE_TEST_MARKER": str(marker)})
    try:
        while not marker.exists():  # wait for the event (pages staged), not for a duration
            assert process.poll() is None, "the build ended before it was interrupted"
            time.sleep(0.05)
        staging = Path(marker.read_text())
        assert staging.parent == project and staging.name.startswith(f"site.tmp-{process.pid}-")
        assert (staging / "events/shelling-of-post/index.html").is_file()
        process.send_signal(how)
        process.wait(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert _snapshot(project / "site") == before
    if how == signal.SIGTERM:
        assert _siblings(project) == ["site"]  # SIGTERM runs the cleanup
    else:
        assert staging.exists()  # nothing runs after SIGKILL: the next build removes it
        run = _build(project)
        assert run.returncode == 0, run.stderr
        assert _siblings(project) == ["site"]


def test_a_running_builds_staging_folder_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "site"
    mine = atomic.staging_dir(target)
    dead = tmp_path / "site.tmp-999999999-abc"
    dead.mkdir()
    assert atomic.remove_abandoned(target) == [dead]
    assert mine.exists() and not dead.exists()


def test_the_swap_replaces_the_site_in_one_step(tmp_path: Path) -> None:
    target, staging = tmp_path / "site", tmp_path / "site.tmp-1-x"
    target.mkdir()
    (target / "old.html").write_text("old")
    staging.mkdir()
    (staging / "new.html").write_text("new")
    atomic.swap_into_place(staging, target)
    assert [p.name for p in target.iterdir()] == ["new.html"]
    # The previous site is out of sight at once (a hidden folder), and removed by another process.
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")] == ["site"]
    _wait_until(lambda: sorted(p.name for p in tmp_path.iterdir()) == ["site"])
    assert atomic._exchange(tmp_path / "a-missing", tmp_path / "b-missing") is False


def test_a_previous_site_left_by_a_killed_remover_goes_with_the_next_build(tmp_path: Path) -> None:
    target = tmp_path / "site"
    left = tmp_path / ".site.old-999999999-abc"
    (left / "site").mkdir(parents=True)
    (left / "site" / "index.html").write_text("old")
    assert atomic.remove_abandoned(target) == [left]


def _wait_until(done: Callable[[], bool]) -> None:
    """Waits for an event of another process (not for a duration); a minute at most."""
    for _ in range(1200):
        if done():
            return
        time.sleep(0.05)
    raise AssertionError("the previous site was not removed")


def _git(project: Path, *args: str, date: str = "2001-09-09T01:46:40+00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", "-C", str(project), *args], check=True, capture_output=True, env=env)


def test_two_builds_of_one_commit_are_byte_identical(tmp_path: Path) -> None:
    """With a site_url the sitemap has <lastmod> dates and MkDocs writes timestamps, from the clock
    unless SOURCE_DATE_EPOCH says otherwise; the build takes them from the commit, so a commit of
    2001 gives 2001 dates whatever day the build runs."""
    project = _project(tmp_path, site_url="https://timeline.example.org/")
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "fixture")
    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    first = subprocess.run([sys.executable, "-m", "timeweave", "build", "-d", "out-1"], cwd=project,
                           capture_output=True, text=True, env=env)
    second = subprocess.run([sys.executable, "-m", "timeweave", "build", "-d", str(tmp_path / "elsewhere")],
                            cwd=project, capture_output=True, text=True, env=env)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    one, two = _snapshot(project / "out-1"), _snapshot(tmp_path / "elsewhere")
    assert len(one) > 30 and one == two
    sitemap = (project / "out-1/sitemap.xml").read_text()
    assert "<lastmod>2001-09-09" in sitemap and str(date.today().year) + "-" not in sitemap.split("<lastmod>", 1)[1]
    assert not (project / "out-1/sitemap.xml.gz").exists()  # the pipeline's sitemap, not MkDocs' template


def test_without_git_the_files_give_the_date(tmp_path: Path) -> None:
    project = _project(tmp_path, site_url="https://timeline.example.org/")
    stamp = 1_200_000_000  # 2008-01-10
    for path in project.rglob("*"):
        os.utime(path, (stamp, stamp))
    assert atomic.source_date_epoch(project) == str(stamp)


def test_the_command_build_with_its_helper_processes_equals_a_plain_mkdocs_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`python -m timeweave build` sanitizes in a second process, parses the pages for Material's
    search index there, and reads pages for the link check there; `mkdocs build` does all of it
    in-process. Same bytes (search index included), on the site made of attacks."""
    from material.plugins.search.plugin import Parser

    from timeweave.cli.build import atomic_build

    from conftest import FIXTURES, ROOT, copy_site, mkdocs_build

    project = copy_site(FIXTURES / "hostile_site", tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("../../../site_overrides", str(ROOT / "site_overrides")))
    plain = mkdocs_build(project, tmp_path / "plain")
    monkeypatch.chdir(project)
    parsed_here: list[str] = []
    feed = Parser.feed
    monkeypatch.setattr(Parser, "feed", lambda self, html: (parsed_here.append(html), feed(self, html))[1])
    atomic_build(str(config), str(tmp_path / "command"))
    assert parsed_here == []  # every page was parsed for search by the helper process
    assert (tmp_path / "command" / "search" / "search_index.json").stat().st_size > 10_000
    files = sorted(p.relative_to(plain) for p in plain.rglob("*")
                   if p.is_file() and _reproducible(p.relative_to(plain)))
    assert files == sorted(p.relative_to(tmp_path / "command") for p in (tmp_path / "command").rglob("*")
                           if p.is_file() and _reproducible(p.relative_to(tmp_path / "command")))
    assert len(files) > 50
    assert [f for f in files if (plain / f).read_bytes() != (tmp_path / "command" / f).read_bytes()] == []


def test_a_remover_holds_neither_the_lock_nor_the_output_of_its_build(tmp_path: Path) -> None:
    from timeweave.output.lock import site_lock

    target = tmp_path / "site"
    left = tmp_path / "site.tmp-1-scratch"
    for number in range(300):  # long enough to remove that the next build starts meanwhile
        (left / f"d{number}").mkdir(parents=True)
        (left / f"d{number}" / "page.html").write_text("x" * 1000)
    with site_lock(target):
        atomic.remove_in_background(left, target)
    with site_lock(target):  # at once: the next build is not refused
        pass
    _wait_until(lambda: not any(p.name.startswith(".site.old-") for p in tmp_path.iterdir()))
