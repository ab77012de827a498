"""Shared fixtures: real MkDocs builds of fixture sites, a local HTTP server, Debian's chromium."""

from __future__ import annotations

import functools
import http.server
import shutil
import socket
import socketserver
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def mkdocs_build(project: Path, site_dir: Path, strict: bool = True) -> Path:
    """A real MkDocs build of the project at `project` into site_dir."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir), strict=strict)
    build(config)
    return site_dir


def copy_site(source: Path, target: Path) -> Path:
    """Copy a fixture project (without any built site) so a test can change it."""
    # .site.*: an old site a detached process may be removing while the copy runs (output/atomic.py)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("site", "site.*", ".site.*"))
    return target


@pytest.fixture(scope="session")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small fixture site, built once per session (strict)."""
    return mkdocs_build(FIXTURES / "small_site", tmp_path_factory.mktemp("small") / "site")


@pytest.fixture(scope="session")
def map_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The map fixture site (every precision, unplaced events, hostile text), built once (strict)."""
    return mkdocs_build(FIXTURES / "map_site", tmp_path_factory.mktemp("maps") / "site")


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content, built with the real mkdocs.yml (strict)."""
    return mkdocs_build(ROOT, tmp_path_factory.mktemp("real") / "site")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args: Any, slow_paths: str = "", slow_seconds: float = 0.0, failing_paths: str = "",
                 **kwargs: Any) -> None:
        self.slow_paths = slow_paths  # a request whose path holds this waits a while first, as on a slow line
        self.slow_seconds = slow_seconds
        self.failing_paths = failing_paths  # a request whose path holds this gets no answer: the connection closes
        super().__init__(*args, **kwargs)  # which answers the request

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.slow_paths and self.slow_paths in self.path:
            time.sleep(self.slow_seconds)
        if self.failing_paths and self.failing_paths in self.path:
            self.close_connection = True
            return
        super().do_GET()


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> tuple[int, str]:
    """The status and text of a GET of url; status 0 when nothing answered."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (127.0.0.1)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def serve_folder(folder: Path, slow_paths: str = "", slow_seconds: float = 0.0,
                 failing_paths: str = "") -> tuple[_Server, str]:
    handler = functools.partial(_QuietHandler, directory=str(folder), slow_paths=slow_paths,
                                slow_seconds=slow_seconds, failing_paths=failing_paths)
    server = _Server(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="session")
def serve() -> Iterator[object]:
    """serve(folder) -> base URL of a local HTTP server for that folder (closed at session end);
    serve(folder, slow_paths="/filter/", slow_seconds=1.5) answers those requests that much later,
    serve(folder, failing_paths="/filter/") closes the connection unanswered."""
    servers: list[_Server] = []

    def start(folder: Path, slow_paths: str = "", slow_seconds: float = 0.0, failing_paths: str = "") -> str:
        server, url = serve_folder(folder, slow_paths, slow_seconds, failing_paths)
        servers.append(server)
        return url

    yield start
    for server in servers:
        server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's chromium driven by Playwright (no browser download: executable_path)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is missing: run `make browser` (make test does)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh page that blocks every request not to 127.0.0.1 and records what was blocked,
    every dialog and every page error (tests assert on page.blocked, page.dialogs, page.errors)."""
    context = browser.new_context()  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.blocked, tab.dialogs, tab.errors = [], [], []

    def route(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith("http://127.0.0.1:") or url.startswith("data:"):
            route.continue_()  # type: ignore[attr-defined]
        else:
            tab.blocked.append(url)
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", route)
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    context.close()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite the golden files under tests/golden/ from the current output")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when run with --update-golden: golden tests write their files instead of comparing."""
    return bool(request.config.getoption("--update-golden"))


def run_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m timeweave ARGS` in this process, from cwd: exit code, stdout and stderr."""
    import contextlib
    import io
    import os
    import subprocess

    from timeweave.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    before = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(before)
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/fixtures/hostile_site (payloads in every field, valid content), built once (strict)."""
    return mkdocs_build(FIXTURES / "hostile_site", tmp_path_factory.mktemp("hostile") / "site")
