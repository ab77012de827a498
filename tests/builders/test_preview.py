"""`python -m timeweave preview`: one real MkDocs build, then an edited event is rebuilt and served
by the live-reload server without a full rebuild; a broken edit keeps the last good page."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (127.0.0.1)
            return response.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return None


def _until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    project = tmp_path_factory.mktemp("preview")
    corpus.write_project(project, 40, seed=11)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + f"site_description: {LEDE}\n", encoding="utf-8")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = project / "preview.log"
    with open(log, "wb") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "timeweave",
                "preview",
                "-f",
                str(project / "mkdocs.yml"),
                "-a",
                f"127.0.0.1:{port}",
            ],
            cwd=project,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            assert _until(lambda: process.poll() is None and _get(base + "/") is not None, 240), (
                log.read_text()
            )
            yield base, project, log
        finally:
            process.terminate()
            process.wait(timeout=30)


LEDE = "marker-lede of this preview's timeline"


def _event(project: Path) -> tuple[Path, str]:
    path = sorted((project / "content" / "events").rglob("*.md"))[7]
    return path, path.stem


def test_an_edited_event_is_rebuilt_and_served(preview: tuple[str, Path, Path]) -> None:
    base, project, log = preview
    path, event_id = _event(project)
    assert "marker-one" not in (_get(f"{base}/events/{event_id}/") or "")
    path.write_text(path.read_text(encoding="utf-8") + "\nmarker-one in the account.\n", encoding="utf-8")
    assert _until(lambda: "marker-one" in (_get(f"{base}/events/{event_id}/") or ""), 60), log.read_text()
    assert "full build" in log.read_text() and re.search(r"preview: 1 page\(s\) rebuilt", log.read_text())


def test_the_search_index_follows_an_edit_once_the_page_is_served(preview: tuple[str, Path, Path]) -> None:
    base, project, log = preview
    path, event_id = _event(project)
    said = log.read_text().count("search index written")
    path.write_text(path.read_text(encoding="utf-8") + "\nmarker-index in the account.\n", encoding="utf-8")
    assert _until(lambda: "marker-index" in (_get(f"{base}/events/{event_id}/") or ""), 60), log.read_text()
    assert _until(lambda: log.read_text().count("search index written") > said, 60), log.read_text()
    lines = log.read_text().splitlines()
    served = max(i for i, line in enumerate(lines) if re.search(r"preview: 1 page\(s\) rebuilt", line))
    written = max(i for i, line in enumerate(lines) if "search index written" in line)
    assert served < written  # the page first, then the index


def test_a_new_title_reaches_the_pages_that_list_the_event(preview: tuple[str, Path, Path]) -> None:
    base, project, log = preview
    entry = _get(f"{base}/pagefind/parts.json")
    assert entry is not None  # the full build indexed the site
    path, event_id = _event(project)
    text = re.sub(
        r'^title: "(.*)"$', r'title: "\1 marker-two"', path.read_text(encoding="utf-8"), count=1, flags=re.M
    )
    path.write_text(text, encoding="utf-8")
    assert _until(lambda: "marker-two" in (_get(f"{base}/events/{event_id}/") or ""), 60), log.read_text()
    assert _until(
        lambda: (
            "marker-two"
            in (_get(f"{base}/timeline/") or "")
            + "".join(_get(f"{base}/timeline/page/{n}/") or "" for n in range(2, 4))
        ),
        60,
    ), log.read_text()
    # The search index is written again by the second round, after the pages that list the event.
    assert _until(lambda: _get(f"{base}/pagefind/parts.json") != entry, 60)


def test_the_home_page_keeps_its_lede_after_an_edit(preview: tuple[str, Path, Path]) -> None:
    """The preview re-renders with the options of the build it started from (it once lost the
    site's description, the home page's lede, at the first edit)."""
    base, project, log = preview
    home = _get(base + "/") or ""
    assert LEDE in home
    listed = re.findall(r'href="events/([a-z0-9-]+)/"', home)
    assert listed, "the home page lists the latest events"
    path = next((project / "content" / "events").rglob(f"{listed[0]}.md"))
    text = re.sub(r'^title: "(.*)"$', r'title: "\1 marker-three"', path.read_text(encoding="utf-8"),
                  count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")
    assert _until(lambda: "marker-three" in (_get(base + "/") or ""), 60), log.read_text()
    assert LEDE in (_get(base + "/") or "")


def test_a_broken_edit_keeps_the_last_good_page(preview: tuple[str, Path, Path]) -> None:
    base, project, log = preview
    path, event_id = _event(project)
    good = path.read_text(encoding="utf-8") + "\nmarker-good in the account.\n"
    path.write_text(good, encoding="utf-8")
    assert _until(lambda: "marker-good" in (_get(f"{base}/events/{event_id}/") or ""), 60), log.read_text()
    path.write_text(
        re.sub(r'^type: ".*"$', 'type: "no-such-type"', good, count=1, flags=re.M), encoding="utf-8"
    )
    assert _until(lambda: "no-such-type" in log.read_text(), 60), log.read_text()
    assert "marker-good" in (_get(f"{base}/events/{event_id}/") or "")
    path.write_text(good.replace("marker-good", "marker-fixed"), encoding="utf-8")
    assert _until(lambda: "marker-fixed" in (_get(f"{base}/events/{event_id}/") or ""), 60), log.read_text()


def test_the_watcher_sees_edits_but_not_reads(tmp_path: Path) -> None:
    """The preview watches with file events: a change wants a rebuild, reading a file (which every
    rebuild does to the edited file) does not, or each edit would be followed by a useless one."""
    import os

    from mkdocs.livereload import LiveReloadServer

    from timeweave.builders.mkdocs.preview import _watch

    watched = tmp_path / "content"
    watched.mkdir()
    page = watched / "a.md"
    page.write_text("x", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    _watch(server, [str(watched)])
    server.observer.start()

    def wants_rebuild_after(action: Callable[[], object]) -> bool:
        with server._rebuild_cond:
            server._want_rebuild = False
        action()
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            with server._rebuild_cond:
                if server._want_rebuild:
                    return True
            time.sleep(0.02)
        return False

    try:
        time.sleep(0.2)
        assert not wants_rebuild_after(lambda: page.read_text(encoding="utf-8"))
        assert wants_rebuild_after(lambda: page.write_text("y", encoding="utf-8"))
        assert wants_rebuild_after(lambda: os.replace(page, watched / "b.md"))
        assert wants_rebuild_after(lambda: (watched / "b.md").unlink())
    finally:
        server.observer.stop()
        server.observer.join()
        server.server_close()


def test_a_nul_byte_in_a_path_is_not_found_without_a_traceback(preview: tuple[str, Path, Path]) -> None:
    base, _, log = preview
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(base + "/events/%00", timeout=10)  # noqa: S310 (127.0.0.1)
    assert answer.value.code == 404
    assert "embedded null byte" not in log.read_text()
