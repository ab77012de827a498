"""The published-URL manifest can never lose a line: it is replaced whole, never cut by a failed
write."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from timeweave.site import permanence
from timeweave.site.permanence import update_manifest

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
