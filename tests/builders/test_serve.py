"""`python -m timeweave serve` for real: it reloads after an edit, and a broken file shows its errors
in the terminal and on the page while the server keeps serving (MkDocs alone would hang every
request after a failed rebuild)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, copy_site, fetch, free_port

TIMEOUT = 60  # seconds any one change may take to show; a bound, not a speed assertion


def wait_for(what: str, check: Callable[[], bool], server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not check():
        assert server.poll() is None, f"the server stopped while waiting for {what}:\n{log.read_text()}"
        assert time.monotonic() < deadline, f"gave up waiting for {what}:\n{log.read_text()}"
        time.sleep(0.3)


class Preview:
    def __init__(self, site: Path, tmp: Path):
        self.site, self.log = site, tmp / "serve.log"
        self.base = f"http://127.0.0.1:{free_port()}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "timeweave", "serve", "-f", str(self.site / "mkdocs.yml"),
                 "-a", self.base.removeprefix("http://")],
                cwd=self.site, stdout=log, stderr=subprocess.STDOUT)

    def page(self, path: str) -> tuple[int, str]:
        return fetch(self.base + path)

    def wait(self, what: str, check: Callable[[], bool]) -> None:
        assert self.process is not None
        wait_for(what, check, self.process, self.log)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    site = copy_site(FIXTURES / "small_site", tmp_path / "site")
    config = site / "mkdocs.yml"
    config.write_text(config.read_text().replace("../../../site_overrides", str(ROOT / "site_overrides")))
    running = Preview(site, tmp_path)
    try:
        yield running
    finally:
        running.stop()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_reloads_after_an_edit_and_survives_a_broken_file(preview: Preview) -> None:
    event = preview.site / "content/events/2020/shelling-of-post.md"
    other = preview.site / "content/events/2020/phone-call.md"
    preview.start()
    preview.wait("the first build", lambda: "Shelling of an observation post" in preview.page(
        "/events/shelling-of-post/")[1])

    edit(event, "title: Shelling of an observation post", "title: Shelling of the northern post")
    preview.wait("the edited title", lambda: "Shelling of the northern post" in preview.page(
        "/events/shelling-of-post/")[1])

    edit(other, "date: 2020-02", "date: 2020-13")
    expected = "content/events/2020/phone-call.md:3: date: '2020-13': month 13 does not exist"
    preview.wait("the error in the terminal", lambda: expected in preview.log.read_text())
    preview.wait("the error on the page", lambda: "tl-content-errors" in preview.page(
        "/events/shelling-of-post/")[1])
    status, html = preview.page("/events/shelling-of-post/")
    assert status == 200
    assert "Shelling of the northern post" in html  # the last good pages are still served
    assert "phone-call.md:3</code> date: &#x27;2020-13&#x27;: month 13 does not exist" in html
    assert preview.page("/timeline/")[0] == 200
    assert "An error happened during the rebuild" not in preview.log.read_text()

    edit(other, "date: 2020-13", "date: 2020-02")
    def fixed() -> bool:
        status, html = preview.page("/events/shelling-of-post/")
        return status == 200 and "tl-content-errors" not in html and "Shelling of the northern post" in html

    preview.wait("the fixed page", fixed)
    assert preview.process is not None and preview.process.poll() is None


def test_starts_with_broken_content_and_shows_the_errors(preview: Preview) -> None:
    edit(preview.site / "content/actors/alpha-army.md", "kind: armed-force", "kind: army")
    preview.start()
    expected = "content/actors/alpha-army.md:3: kind: 'army' is not allowed"
    preview.wait("the error in the terminal", lambda: expected in preview.log.read_text())
    preview.wait("the error page", lambda: "tl-content-errors" in preview.page("/")[1])
    status, html = preview.page("/")
    assert status == 200
    assert "alpha-army.md:3</code> kind: &#x27;army&#x27; is not allowed" in html
    assert preview.page("/timeline/")[0] == 200

    edit(preview.site / "content/actors/alpha-army.md", "kind: army", "kind: armed-force")
    preview.wait("the timeline once fixed", lambda: "Shelling of an observation post" in preview.page(
        "/events/shelling-of-post/")[1])
    assert "tl-content-errors" not in preview.page("/")[1]


def test_the_error_banner_escapes_content_text() -> None:
    from timeweave.builders.mkdocs.serving import banner, error_pages, nav_pages
    from timeweave.errors import ContentError

    hostile = ContentError('content/events/2020/<b>.md', 3, 'title"', "<script>alert(1)</script>",
                           "use <img src=x onerror=alert(1)>")
    warning = ContentError("content/x.md", 1, "", "just a warning", severity="warning")
    html = banner([hostile, warning])
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;b&gt;.md:3" in html
    assert "just a warning" not in html and "1 error(s)" in html
    assert list(nav_pages([{"Home": "index.md"}, {"More": [{"A": "a/index.md"}, "https://example.org/"]}])) == [
        "index.md", "a/index.md"]
    assert [(p.src_uri, p.url) for p in error_pages([hostile], ["index.md", "a/index.md"])] == [
        ("a/index.md", "a/"), ("index.md", "")]


def test_a_dangling_link_shows_its_error_and_the_preview_answers(preview: Preview) -> None:
    """A dangling link in docs/ made MkDocs' first build fail with a traceback; in the theme's
    custom_dir, its every template lookup. The preview now refuses them as validate does and serves."""
    (preview.site / "docs/gone.md").symlink_to("missing.md")
    (preview.site / "site_overrides").mkdir()
    (preview.site / "site_overrides/main.html").symlink_to("/nowhere/main.html")
    config = preview.site / "mkdocs.yml"
    edit(config, "  font: false\n", "  font: false\n  custom_dir: site_overrides\n")
    preview.start()
    preview.wait("the error page", lambda: "tl-content-errors" in preview.page("/")[1])
    status, html = preview.page("/")
    assert status == 200
    assert "docs/gone.md:1</code> (file): symbolic link to &#x27;missing.md&#x27;, which does not exist" in html
    assert "site_overrides/main.html:1</code> (file): symbolic link to" in html
    assert preview.page("/timeline/")[0] == 200
    assert "Traceback" not in preview.log.read_text()

    (preview.site / "docs/gone.md").unlink()
    (preview.site / "site_overrides/main.html").unlink()
    # MkDocs' polling watcher stats through links: a dangling one vanishing is no change to it.
    config.write_text(config.read_text() + "# saved again\n")
    preview.wait("the timeline once fixed", lambda: "tl-content-errors" not in preview.page("/")[1])
    assert "Shelling of an observation post" in preview.page("/events/shelling-of-post/")[1]


def test_a_nul_byte_in_a_path_is_not_found_without_a_traceback(preview: Preview) -> None:
    preview.start()
    preview.wait("the first build", lambda: preview.page("/events/shelling-of-post/")[0] == 200)
    for path in ("/events/%00", "/%00/index.html", "/events/shelling-of-post/%00"):
        assert preview.page(path)[0] == 404
    assert preview.page("/events/shelling-of-post/")[0] == 200
    log = preview.log.read_text()
    assert "Traceback" not in log and "embedded null byte" not in log
