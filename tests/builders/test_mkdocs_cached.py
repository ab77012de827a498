"""The page cache in `timeweave build` (builders/mkdocs/cached.py, output/pagecache.py): a rebuild
after one edit takes the unchanged pages from .cache/timeweave/ and writes exactly the site a cold
build of the edited content writes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from timeweave.output.pagecache import CACHE_DIR

from conftest import FIXTURES, ROOT, copy_site
from gitrepo import commit_all, git, init
from output_inspection import snapshot

EVENT = "content/events/2020/shelling-of-post.md"


def _project(tmp_path: Path, name: str) -> Path:
    """The small site as the real one is set up: no Material search (Pagefind indexes the built
    site), the real theme folder; in git, so that pages cite versions and dates."""
    project = copy_site(FIXTURES / "small_site", tmp_path / name)
    config = project / "mkdocs.yml"
    text = config.read_text().replace("../../../site_overrides", str(ROOT / "site_overrides"))
    text = text.replace("  - search:\n      lang: [en, ar, ru]   # as the real site: aliases in Arabic and Russian "
                        "are searchable\n", "")
    assert "search" not in text.split("plugins:", 1)[1].split("markdown_extensions", 1)[0]
    config.write_text(text)
    init(project)
    commit_all(project, "fixture", "2001-09-09T01:46:40+00:00")
    return project


def _build(project: Path, *args: str) -> None:
    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    run = subprocess.run([sys.executable, "-m", "timeweave", "build", "--no-record-urls", *args], cwd=project,
                         capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr


def _entries(project: Path) -> dict[str, int]:
    """The cache's pages: key -> inode (a page built again is a new file). Beside each, what the
    link check read of it."""
    files = [p for p in (project / CACHE_DIR / "pages").rglob("*") if p.is_file()]
    pages = {p.name: p.stat().st_ino for p in files if not p.name.endswith(".links")}
    assert sorted(p.name for p in files if p.name.endswith(".links")) == sorted(key + ".links" for key in pages)
    return pages


def _edit(project: Path) -> None:
    path = project / EVENT
    text = path.read_text(encoding="utf-8")
    assert "\n---\n" in text
    path.write_text(text.rstrip("\n") + "\n\nA sentence added by the edit.\n", encoding="utf-8")
    git(project, "commit", "-q", "-am", "one edit", date="2001-09-10T01:46:40+00:00")


@pytest.fixture
def edited(tmp_path: Path) -> Path:
    """Built cold, then edited and rebuilt with the cache."""
    project = _project(tmp_path, "warm")
    _build(project)
    first = _entries(project)
    assert len(first) > 20 and not list((project / CACHE_DIR).glob("pending-*"))
    _edit(project)
    _build(project)
    after = _entries(project)
    kept = [key for key, inode in after.items() if first.get(key) == inode]
    # Pages came from the cache untouched; the edited event's page, and the pages that show the
    # latest change (the commit), were built again under new keys; what they replaced left the cache.
    assert 0 < len(kept) < len(after)
    assert set(first) - set(after)
    _build(project)  # nothing changed: every page the cache may give comes from it
    assert _entries(project) == after
    return project


def test_a_rebuild_after_one_edit_writes_the_site_a_cold_build_writes(edited: Path, tmp_path: Path) -> None:
    cold = tmp_path / "cold"
    shutil.copytree(edited, cold, ignore=shutil.ignore_patterns("site", "site.*", ".site.*", ".cache"))
    _build(cold, "--no-cache")
    assert not (cold / CACHE_DIR).exists()  # neither pages nor citation texts
    warm_site, cold_site = snapshot(edited / "site"), snapshot(cold / "site")
    assert "events/shelling-of-post/index.html" in warm_site
    assert "A sentence added by the edit." in (edited / "site/events/shelling-of-post/index.html").read_text()
    assert sorted(warm_site) == sorted(cold_site)
    assert [path for path in warm_site if warm_site[path] != cold_site[path]] == []
    # The last build took every page it could from the cache: the cache's own files, linked.
    entries = {p.stat().st_ino for p in (edited / CACHE_DIR / "pages").rglob("*") if p.is_file()}
    linked = {path for path in warm_site if (edited / "site" / path).stat().st_ino in entries}
    assert len(linked) > 20 and "events/shelling-of-post/index.html" in linked
    assert list((edited / CACHE_DIR / "markdown").rglob("*"))  # and the pages' Markdown


def test_a_site_with_another_plugin_builds_every_page(tmp_path: Path) -> None:
    project = copy_site(FIXTURES / "small_site", tmp_path / "project")  # Material's search needs every page
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("../../../site_overrides", str(ROOT / "site_overrides")))
    _build(project)
    assert not (project / CACHE_DIR / "pages").exists()
    assert list((project / CACHE_DIR).glob("citations-*.json"))  # texts depend on their records alone


def test_pages_a_hand_written_page_links_to_by_their_markdown_path_are_found(tmp_path: Path) -> None:
    from mkdocs.structure.files import File, Files

    from timeweave.builders.mkdocs.cached import linked_by_hand

    docs = tmp_path / "docs"
    (docs / "guide").mkdir(parents=True)
    (docs / "guide" / "page.md").write_text("See [one](../events/one.md#sources), [two](/actors/two.md) and\n"
                                            "[three].\n\n[three]: ../places/three.md\n", encoding="utf-8")
    files = Files([File("guide/page.md", str(docs), str(tmp_path / "site"), True)])
    assert linked_by_hand(files) == {"events/one.md", "actors/two.md", "places/three.md"}
