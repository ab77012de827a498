"""`timeweave build` when the file system refuses: one sentence, exit 3, the last good site kept.

site/ as a mount point or an immutable folder made the swap's two renames fail with a traceback,
and a full disk during MkDocs' copy ended the same way. Reproduced for real, as root: a tmpfs
mounted on site/, `chattr +i site`, and a tmpfs too small for the site (output/atomic.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import FIXTURES, copy_site

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="mount and chattr need root")

GOOD = "<html><body>the last good site</body></html>\n"


def _build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "timeweave", "build", *args], cwd=project, capture_output=True,
                          text=True, timeout=600)


def _run(*command: str) -> bool:
    return subprocess.run(command, capture_output=True, check=False).returncode == 0


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_site(FIXTURES / "small_site", tmp_path / "project")


@pytest.fixture
def mounts() -> Iterator[list[Path]]:
    """Folders a test mounted a tmpfs on: unmounted after it, whatever happened."""
    mounted: list[Path] = []
    yield mounted
    for folder in reversed(mounted):
        _run("umount", str(folder))


def _tmpfs(folder: Path, size: str, mounts: list[Path]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if not _run("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)):
        pytest.skip("cannot mount a tmpfs here")
    mounts.append(folder)


def _assert_refused(run: subprocess.CompletedProcess[str], site: Path, shown: str = "site") -> None:
    assert run.returncode == 3, run.stderr
    assert "Traceback" not in run.stderr
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("build failed: ") and last.endswith(f"the previous site in {shown}/ is untouched."), \
        run.stderr
    assert (site / "index.html").read_text() == GOOD
    assert sorted(p.name for p in site.iterdir()) == ["index.html"]
    left = [p.name for p in site.parent.iterdir()
            if p.name.startswith(f"{site.name}.") and p.name != f"{site.name}.lock"]
    assert not left  # no staging folder left (the lock file stays: see output/lock.py)


def test_a_site_folder_that_is_a_mount_point(project: Path, mounts: list[Path]) -> None:
    site = project / "site"
    _tmpfs(site, "16m", mounts)
    (site / "index.html").write_text(GOOD)
    run = _build(project)
    _assert_refused(run, site)
    assert "could not replace" in run.stderr and "(Device or resource busy)" in run.stderr


def test_an_immutable_site_folder(project: Path) -> None:
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text(GOOD)
    if not _run("chattr", "+i", str(site)):
        pytest.skip("chattr +i is not available on this file system")
    try:
        run = _build(project)
    finally:
        _run("chattr", "-i", str(site))
    _assert_refused(run, site)
    assert "could not replace" in run.stderr and "(Operation not permitted)" in run.stderr


def test_a_full_disk_during_the_copy(project: Path, tmp_path: Path, mounts: list[Path]) -> None:
    disk = tmp_path / "disk"
    _tmpfs(disk, "1m", mounts)  # room for the last good site, not for a new one
    site = disk / "site"
    site.mkdir()
    (site / "index.html").write_text(GOOD)
    run = _build(project, "--site-dir", str(site))
    assert "No space left on device" in run.stderr
    _assert_refused(run, site, str(site))
    assert shutil.disk_usage(disk).used < 64 * 1024  # what the failed build wrote is gone
