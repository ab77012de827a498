"""The builder-neutral source folder (builders/folder.py): what `timeweave pages` writes."""

from __future__ import annotations

from pathlib import Path

import yaml

from timeweave.builders.folder import excluded_folders, folder_src_uri, sync

from conftest import FIXTURES, ROOT, copy_site, run_cli


def test_pages_are_folders_so_raw_html_links_resolve_from_their_source() -> None:
    assert folder_src_uri("events/x.md") == "events/x/index.md"
    assert folder_src_uri("index.md") == "index.md"
    assert folder_src_uri("timeline/index.md") == "timeline/index.md"


def test_the_real_site_folder_carries_the_configuration(tmp_path: Path) -> None:
    done = run_cli(ROOT, "pages", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    config = yaml.safe_load((tmp_path / "out/mkdocs.yml").read_text())
    site = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    assert config["site_name"] == site["site_name"]
    assert config["theme"]["custom_dir"] == "overrides" and config["theme"]["palette"] == site["theme"]["palette"]
    # The site's plugins but its own (the timeline's work is done): the site searches with Pagefind,
    # over the built pages, so it lists no builder search.
    assert config["plugins"] == [p for p in site.get("plugins") or [] if "timeline" not in p]
    assert not any("timeline" in str(entry) for entry in config["plugins"])
    assert "assets/maps/timeline-maps.js" in config["extra_javascript"]
    assert "Map: map/index.md" in [f"{k}: {v}" for item in config["nav"] for k, v in item.items()]
    docs = tmp_path / "out/docs"
    assert (docs / "about.md").is_file() and (docs / "events").is_dir()
    assert not list(docs.glob("events/*.md"))  # every event is events/<id>/index.md
    assert (tmp_path / "out/overrides/main.html").is_file()
    assert (tmp_path / "out/overrides/404.html").is_file()  # the helpful 404 page, for Zensical too
    assert not (tmp_path / "out/overrides/partials/search.html").exists()  # Material's, not Zensical's
    assert not (docs / "screenshots").exists()  # exclude_docs: not published by MkDocs, nor here


def test_only_plain_folder_patterns_of_exclude_docs_are_left_out() -> None:
    assert excluded_folders("screenshots/\n/drafts/\n# a comment/\n!keep/\n*.tmp/\nnotes.md\n") == [
        "screenshots/", "drafts/"]
    assert excluded_folders(None) == []


def test_pages_without_npm_or_a_configuration(tmp_path: Path) -> None:
    project = copy_site(FIXTURES / "small_site", tmp_path / "project")
    (project / "mkdocs.yml").unlink()
    done = run_cli(project, "pages", str(tmp_path / "out"), "--contributing", "")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out/docs/assets/vendor/leaflet/leaflet.js").is_file()


def test_sync_writes_only_what_changed_and_removes_what_is_gone(tmp_path: Path) -> None:
    sync(tmp_path, {"docs/a.md": b"a", "docs/b.md": b"b"}, managed=("docs",))
    (tmp_path / ".cache").mkdir()
    kept = (tmp_path / "docs/a.md").stat().st_mtime_ns
    sync(tmp_path, {"docs/a.md": b"a"}, managed=("docs",))
    assert (tmp_path / "docs/a.md").stat().st_mtime_ns == kept
    assert not (tmp_path / "docs/b.md").exists() and (tmp_path / ".cache").is_dir()
