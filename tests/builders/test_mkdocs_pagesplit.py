"""MkDocs' pages read and written by two processes (builders/mkdocs/pagesplit.py): the same site
as one process makes, every page read and written once, what the child logs reaches the build's
handlers, and what MkDocs checks after writing (links to anchors) covers the child's pages too."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import mkdocs.commands.build as mkdocs_build
import pytest
from mkdocs.exceptions import Abort

from timeweave.cli.build import atomic_build
from timeweave.output.linkcheck import BrokenLinks
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


def _noting(monkeypatch: pytest.MonkeyPatch, notes: Path, step: str) -> Path:
    """notes: a file where each page MkDocs' step (`_build_page`, `_populate_page`) is done for
    is noted with the process that did it."""
    done = getattr(mkdocs_build, step)

    def noted(page, *args, **kwargs):  # type: ignore[no-untyped-def]
        done(page, *args, **kwargs)
        with notes.open("a") as out:
            out.write(f"{os.getpid()} {page.file.src_uri}\n")

    monkeypatch.setattr(mkdocs_build, step, noted)
    return notes


@pytest.fixture
def pages_written(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    return _noting(monkeypatch, tmp_path / "written.txt", "_build_page")


@pytest.fixture
def pages_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    return _noting(monkeypatch, tmp_path / "read.txt", "_populate_page")


def _written(notes: Path) -> list[tuple[str, str]]:
    lines = notes.read_text().splitlines()
    notes.unlink()
    return [(pid, page) for pid, page in (line.split(" ", 1) for line in lines)]


def test_two_processes_make_the_site_one_makes(tmp_path: Path, pages_written: Path, pages_read: Path) -> None:
    project = _project(tmp_path, "split")
    atomic_build(str(project / "mkdocs.yml"), str(tmp_path / "one"), runner=SERIAL, use_cache=False)
    one, read_by_one = _written(pages_written), _written(pages_read)
    atomic_build(str(project / "mkdocs.yml"), str(tmp_path / "two"), runner=SPLIT, use_cache=False)
    two, read_by_two = _written(pages_written), _written(pages_read)
    assert snapshot(tmp_path / "two") == snapshot(tmp_path / "one")
    assert sorted(page for _, page in two) == sorted(page for _, page in one), "every page written once"
    assert sorted(page for _, page in read_by_two) == sorted(page for _, page in read_by_one), "and read once"
    assert len({pid for pid, _ in one + read_by_one}) == 1
    assert len({pid for pid, _ in two}) == 2, "the child wrote its share"
    assert len({pid for pid, _ in read_by_two}) == 2, "a child read its share"
    assert {pid for pid, page in two if page.endswith("-empty.md")} == {pid for pid, _ in two}


@pytest.mark.parametrize("runner", [SERIAL, SPLIT], ids=["one process", "two processes"])
def test_links_to_missing_anchors_are_found_whoever_read_the_page(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, pages_read: Path, runner: ForkedRunner) -> None:
    """MkDocs checks links to anchors after writing, from what reading each page found: the pages
    the child read must have brought that back (their anchors, and their links to anchors)."""
    project = _project(tmp_path, "anchors")
    # Two pages each linking to an anchor the other lacks, and one it has, next to each other in
    # MkDocs' order, so that each process reads one of them.
    docs = project / "docs"
    (docs / "ba-links.md").write_text("# ba\n\n## Here\n\n[no](bb-links.md#nowhere) [yes](bb-links.md#there)\n")
    (docs / "bb-links.md").write_text("# bb\n\n## There\n\n[no](ba-links.md#nothing) [yes](ba-links.md#here)\n")
    # The site's own link check refuses them too, after MkDocs' check has logged them.
    with caplog.at_level(logging.INFO, logger="mkdocs"), pytest.raises(BrokenLinks, match="2 broken"):
        atomic_build(str(project / "mkdocs.yml"), str(tmp_path / "site"), runner=runner, use_cache=False)
    read = _written(pages_read)
    readers = {page: pid for pid, page in read}
    assert len({readers["ba-links.md"], readers["bb-links.md"]}) == (2 if runner is SPLIT else 1)
    missing = sorted(r.getMessage() for r in caplog.records if "does not contain an anchor" in r.getMessage())
    assert missing == ["Doc file 'ba-links.md' contains a link 'bb-links.md#nowhere', but the doc 'bb-links.md' "
                       "does not contain an anchor '#nowhere'.",
                       "Doc file 'bb-links.md' contains a link 'ba-links.md#nothing', but the doc 'ba-links.md' "
                       "does not contain an anchor '#nothing'."]


def test_what_the_child_logs_reaches_the_build_s_handlers(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                          pages_written: Path, pages_read: Path) -> None:
    project = _project(tmp_path, "logs")
    # Read next to each other, so one by each process: each links to a page that does not exist.
    for name in ("ca-lost", "cb-lost"):
        (project / "docs" / f"{name}.md").write_text(f"# {name}\n\n[gone]({name}-nowhere.md)\n")
    # Strict mode counts the warnings of the child's pages as this process's.
    with caplog.at_level(logging.INFO, logger="mkdocs"), pytest.raises(Abort, match="2 warnings in strict mode"):
        atomic_build(str(project / "mkdocs.yml"), str(tmp_path / "site"), runner=SPLIT)
    assert len({pid for pid, _ in _written(pages_written)}) == 2
    readers = {page: pid for pid, page in _written(pages_read)}
    assert readers["ca-lost.md"] != readers["cb-lost.md"]
    skipped = sorted(r.getMessage() for r in caplog.records if "Page skipped" in r.getMessage())
    assert skipped == ["Page skipped: 'aa-empty.md'. Generated empty output.",
                       "Page skipped: 'ab-empty.md'. Generated empty output."]
    lost = sorted(r.getMessage() for r in caplog.records if "-nowhere.md" in r.getMessage())
    assert len(lost) == 2 and lost[0].startswith("Doc file 'ca-lost.md' contains a link 'ca-lost-nowhere.md'")
    assert lost[1].startswith("Doc file 'cb-lost.md' contains a link 'cb-lost-nowhere.md'")


def test_a_child_that_fails_leaves_its_pages_to_this_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The child stops at one of its pages (as a page that MkDocs cannot read would stop it): this
    process reads the child's share, and the site is the one a single process makes."""
    project = _project(tmp_path, "fails")
    atomic_build(str(project / "mkdocs.yml"), str(tmp_path / "one"), runner=SERIAL, use_cache=False)
    populate_page, here = mkdocs_build._populate_page, os.getpid()
    read_here: list[str] = []

    def failing_in_the_child(page, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.getpid() != here:
            raise RuntimeError("the child stops")
        read_here.append(page.file.src_uri)
        populate_page(page, *args, **kwargs)

    monkeypatch.setattr(mkdocs_build, "_populate_page", failing_in_the_child)
    atomic_build(str(project / "mkdocs.yml"), str(tmp_path / "two"), runner=SPLIT, use_cache=False)
    assert snapshot(tmp_path / "two") == snapshot(tmp_path / "one")
    assert len(read_here) == len(set(read_here)) and "ab-empty.md" in read_here and "aa-empty.md" in read_here
