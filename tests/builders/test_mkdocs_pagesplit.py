"""MkDocs' pages written by two processes (builders/mkdocs/pagesplit.py): the same site as one
process writes, every page written once, and what the child logs reaches the build's handlers."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import mkdocs.commands.build as mkdocs_build
import pytest

from timeweave.cli.build import atomic_build
from timeweave.parallel.runner import SERIAL, ForkedRunner

from conftest import FIXTURES, copy_site
from output_inspection import snapshot

SPLIT = ForkedRunner(fork_from=2, even_with_threads=True)


def _project(tmp_path: Path, name: str) -> Path:
    """The small site with the timeline's plugin alone (the split needs that) and two hand-written
    pages the theme renders empty (MkDocs then logs that it skipped them), next to each other in
    MkDocs' order, so that one is written by each process."""
    project = copy_site(FIXTURES / "small_site", tmp_path / name)
    config = project / "mkdocs.yml"
    text = config.read_text()
    text = text.replace("  - search:\n      lang: [en, ar, ru]   # as the real site: aliases in Arabic and Russian "
                        "are searchable\n", "")
    assert "search" not in text.split("plugins:", 1)[1].split("markdown_extensions", 1)[0]
    config.write_text(text.replace("  font: false\n", "  font: false\n  custom_dir: overrides\n"))
    (project / "overrides").mkdir()
    (project / "overrides" / "empty.html").write_text("")
    for name in ("aa-empty", "ab-empty"):
        (project / "docs" / f"{name}.md").write_text(f"---\ntemplate: empty.html\n---\n# {name}\n")
    return project


@pytest.fixture
def pages_written(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A file where each page MkDocs writes is noted with the process that wrote it."""
    notes = tmp_path / "written.txt"
    build_page = mkdocs_build._build_page

    def noted(page, *args, **kwargs):  # type: ignore[no-untyped-def]
        build_page(page, *args, **kwargs)
        with notes.open("a") as out:
            out.write(f"{os.getpid()} {page.file.src_uri}\n")

    monkeypatch.setattr(mkdocs_build, "_build_page", noted)
    return notes


def _written(notes: Path) -> list[tuple[str, str]]:
    lines = notes.read_text().splitlines()
    notes.unlink()
    return [(pid, page) for pid, page in (line.split(" ", 1) for line in lines)]


def test_two_processes_write_the_site_one_writes(tmp_path: Path, pages_written: Path) -> None:
    project = _project(tmp_path, "split")
    atomic_build(str(project / "mkdocs.yml"), str(tmp_path / "one"), runner=SERIAL, use_cache=False)
    one = _written(pages_written)
    atomic_build(str(project / "mkdocs.yml"), str(tmp_path / "two"), runner=SPLIT, use_cache=False)
    two = _written(pages_written)
    assert snapshot(tmp_path / "two") == snapshot(tmp_path / "one")
    assert sorted(page for _, page in two) == sorted(page for _, page in one), "every page written once"
    assert len({pid for pid, _ in one}) == 1
    assert len({pid for pid, _ in two}) == 2, "the child wrote its share"
    assert {pid for pid, page in two if page.endswith("-empty.md")} == {pid for pid, _ in two}


def test_what_the_child_logs_reaches_the_build_s_handlers(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                          pages_written: Path) -> None:
    project = _project(tmp_path, "logs")
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        atomic_build(str(project / "mkdocs.yml"), str(tmp_path / "site"), runner=SPLIT)
    assert len({pid for pid, _ in _written(pages_written)}) == 2
    skipped = sorted(r.getMessage() for r in caplog.records if "Page skipped" in r.getMessage())
    assert skipped == ["Page skipped: 'aa-empty.md'. Generated empty output.",
                       "Page skipped: 'ab-empty.md'. Generated empty output."]
