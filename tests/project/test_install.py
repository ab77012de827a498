"""timeweave as a new user gets it: a clone of the committed repository, `pip install` into a fresh
venv, then `timeweave init`, validate, build and serve, and the plugin added to a plain MkDocs project.

Real processes only. The install takes most of the time, so it is made once per test session,
shared by pytest-xdist's workers too (a file lock in the session's shared temporary folder).
"""

from __future__ import annotations

import fcntl
import html
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

import timeweave

from conftest import ROOT

SEARCH_AND_TIMELINE = "plugins:\n  - search\n  - timeline\n"
PLAIN_MKDOCS = """site_name: Plain documentation
theme:
  name: material
nav:
  - Welcome: index.md
  - User guide: guide.md
  - Questions: faq.md
"""
PLAIN_PAGES = {
    "index.md": "# Welcome\n\nThis project's own home page, written by hand.\n",
    "guide.md": "# User guide\n\nInstall it, then read the *questions*.\n\n## Next steps\n\nNone yet.\n",
    "faq.md": "# Questions\n\n- Is this page kept? It should be.\n",
}


@dataclass(frozen=True)
class Installed:
    clone: Path
    venv: Path
    env: dict[str, str]

    def tool(self, name: str) -> str:
        return str(self.venv / "bin" / name)

    def run(self, cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(list(args), check=False, cwd=cwd, env=self.env, capture_output=True, text=True,
                              timeout=300)
        if check:
            assert done.returncode == 0, f"{shlex.join(args)} in {cwd}: {done.returncode}\n{done.stderr}"
        return done


@dataclass(frozen=True)
class Project:
    folder: Path
    site: Path
    event_id: str
    event_title: str


def _shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder per test session: under pytest-xdist, the parent of every worker's own."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _clean_env(venv: Path) -> dict[str, str]:
    """The environment of a shell with only the fresh venv's commands in front: nothing of the
    venv the tests run in."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "SOURCE_DATE_EPOCH")}
    outer = Path(sys.prefix) / "bin"
    path = [entry for entry in env.get("PATH", "").split(os.pathsep) if entry and Path(entry) != outer]
    env["PATH"] = os.pathsep.join([str(venv / "bin"), *path])
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """A git clone of HEAD and a fresh venv with `pip install <clone>/generator`, made once."""
    shared = _shared_folder(tmp_path_factory) / "timeweave-install"
    shared.mkdir(exist_ok=True)
    clone, venv = shared / "clone", shared / "venv"
    installed = Installed(clone, venv, _clean_env(venv))
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "done").exists():
            head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                  check=True).stdout.strip()
            installed.run(shared, "git", "clone", "--quiet", "--no-checkout", str(ROOT), str(clone))
            installed.run(clone, "git", "checkout", "--quiet", head)
            installed.run(shared, sys.executable, "-m", "venv", str(venv))
            installed.run(shared, installed.tool("python"), "-m", "pip", "install", "--quiet",
                          str(clone / "generator"))
            (shared / "done").touch()
    return installed


@pytest.fixture(scope="module")
def project(installed: Installed, tmp_path_factory: pytest.TempPathFactory) -> Project:
    """`timeweave init site`, then `timeweave validate` and `timeweave build` inside it."""
    empty = tmp_path_factory.mktemp("new-user")
    installed.run(empty, installed.tool("timeweave"), "init", "site")
    folder = empty / "site"
    installed.run(folder, installed.tool("timeweave"), "validate")
    installed.run(folder, installed.tool("timeweave"), "build")
    (event_file,) = (folder / "content" / "events").glob("*/*.md")
    title = yaml.safe_load(event_file.read_text(encoding="utf-8").split("---\n")[1])["title"]
    return Project(folder, folder / "site", event_file.stem, title)


def head_of(page: str) -> str:
    return page[: page.index("</head>")]


def script_sources(page: str) -> list[str]:
    return re.findall(r'<script src="([^"]+)"', page)


def test_version_is_the_packages(installed: Installed, tmp_path: Path) -> None:
    done = installed.run(tmp_path, installed.tool("timeweave"), "--version")
    assert done.stdout.strip() == f"timeweave {timeweave.__version__}"


def test_new_project_builds_events_map_filter_and_json_ld(installed: Installed, project: Project) -> None:
    site = project.site
    event = (site / "events" / project.event_id / "index.html").read_text(encoding="utf-8")
    assert re.search(rf"<h1[^>]*>{re.escape(html.escape(project.event_title, quote=False))}<", event)
    # The map: Leaflet as the package ships it, the map script, and a map element on the event page.
    vendor = installed.clone / "generator" / "timeweave" / "site" / "vendor"
    for built, shipped in (("leaflet/leaflet.js", "leaflet/dist/leaflet.js"),
                           ("leaflet/leaflet.css", "leaflet/dist/leaflet.css"),
                           ("leaflet/LICENSE.txt", "leaflet/LICENSE"),
                           ("leaflet.markercluster/LICENSE.txt", "leaflet.markercluster/MIT-LICENCE.txt")):
        assert (site / "assets" / "vendor" / built).read_bytes() == (vendor / shipped).read_bytes(), built
    assert (site / "assets" / "maps" / "timeline-maps.js").is_file()
    assert "../../assets/maps/timeline-maps.js" in script_sources(event)
    assert re.search(r'<div class="tl-map" data-tl-map="record"', event)
    # The timeline's filters: the reader script, its index, and the listing it filters.
    assert (site / "assets" / "timeline" / "reader.js").is_file()
    assert (site / "assets" / "timeline.css").is_file(), "the page stylesheet comes with the package"
    assert "../../assets/timeline/reader.js" in script_sources(event)
    listing = (site / "timeline" / "index.html").read_text(encoding="utf-8")
    assert 'data-tl-filter="timeline"' in listing
    assert json.loads((site / "data" / "timeline-index.json").read_text(encoding="utf-8"))
    # Structured data in the head of the event page.
    (found,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', head_of(event), re.DOTALL)
    data = json.loads(found)
    assert (data["@type"], data["name"]) == ("Event", project.event_title)
    assert "latitude" in json.dumps(data["location"])
    # The project's own hand-written page and its home page.
    assert (site / "about" / "index.html").is_file()
    assert project.event_title in (site / "index.html").read_text(encoding="utf-8")


def test_new_project_has_its_dotfiles_workflow_and_readme(project: Project) -> None:
    folder = project.folder
    ignored = (folder / ".gitignore").read_text().split()
    assert "/.venv/" in ignored and "/site/" in ignored
    # What a build leaves beside the site: its caches, its lock, the old sites being removed.
    assert {"/.cache/", "/site.lock", "/.site.old-*/", "/build/"} <= set(ignored)
    workflow = yaml.safe_load((folder / ".github" / "workflows" / "build.yml").read_text())
    runs = [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]
    assert [shlex.split(run)[:2] for run in runs] == [["make", "validate"], ["make", "build"]]
    readme = (folder / "README.md").read_text()
    assert readme.startswith("# New timeline\n") and "make build" in readme
    assert yaml.safe_load((folder / "mkdocs.yml").read_text())["site_name"] == "New timeline"


def test_new_project_make_build_installs_the_timeweave_that_wrote_it(installed: Installed, project: Project,
                                                                    tmp_path: Path) -> None:
    folder = tmp_path / "copy"
    installed.run(tmp_path, "cp", "-r", str(project.folder), str(folder))
    installed.run(folder, "rm", "-rf", "site")
    requirement = (folder / "requirements.txt").read_text().splitlines()[-1]
    assert requirement == f"timeweave @ {(installed.clone / 'generator').as_uri()}"
    # pip resolves it to this very timeweave, with every dependency the fresh venv already has.
    done = installed.run(folder, installed.tool("python"), "-m", "pip", "install", "--dry-run",
                         "-r", "requirements.txt")
    assert done.stdout.strip().splitlines()[-1] == f"Would install timeweave-{timeweave.__version__}"
    dry = installed.run(folder, "make", "-n", "build").stdout
    assert "-m pip install --quiet --disable-pip-version-check -r requirements.txt\n" in dry
    (stamp,) = re.findall(r"^touch (\.venv/\.installed-\d+)$", dry, re.MULTILINE)
    # That install made once more would be the fresh venv again: lend it to the project instead.
    (folder / ".venv").symlink_to(installed.venv)
    (folder / stamp).touch()
    made = installed.run(folder, "make", "build")
    assert ".venv/bin/timeweave validate\n" in made.stdout and ".venv/bin/timeweave build\n" in made.stdout
    assert (folder / "site" / "events" / project.event_id / "index.html").is_file()
    for target in ("validate", "serve"):
        assert f".venv/bin/timeweave {target}" in installed.run(folder, "make", "-n", target).stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(url: str, process: subprocess.Popen[str], seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"timeweave serve ended with {process.returncode}"
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                return str(answer.read().decode("utf-8"))
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"nothing answered at {url} within {seconds} s")


@dataclass(frozen=True)
class Server:
    url: str
    process: subprocess.Popen[str]


@pytest.fixture
def server(installed: Installed, project: Project) -> Iterator[Server]:
    """`timeweave serve` running in the new project."""
    address = f"127.0.0.1:{_free_port()}"
    process = subprocess.Popen([installed.tool("timeweave"), "serve", "-a", address], cwd=project.folder,
                               env=installed.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               text=True)
    try:
        yield Server(f"http://{address}/", process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_new_project_serves(project: Project, server: Server) -> None:
    page = _wait_for(f"{server.url}events/{project.event_id}/", server.process, 90)
    assert 'data-tl-map="record"' in page


def _article(page: str) -> str:
    """The text of a page's main content, without its markup."""
    (body,) = re.findall(r'<article class="md-content__inner md-typeset">(.*?)</article>', page, re.DOTALL)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _primary_nav(page: str) -> list[tuple[str, str]]:
    """(href, label) of every link in the primary navigation."""
    (nav,) = re.findall(r'<nav class="md-nav md-nav--primary".*?</nav>', page, re.DOTALL)
    links = re.findall(r'<a href="([^"]*)" class="md-nav__link[^"]*"[^>]*>(.*?)</a>', nav, re.DOTALL)
    return [(href, " ".join(re.sub(r"<[^>]+>", " ", label).split())) for href, label in links]


def _built(site: Path, src: str) -> str:
    stem = src.removesuffix(".md")
    return (site / ("index.html" if stem == "index" else f"{stem}/index.html")).read_text(encoding="utf-8")


def test_plain_mkdocs_project_gains_the_timeline(installed: Installed, project: Project,
                                                 tmp_path: Path) -> None:
    plain = tmp_path / "docs-project"
    (plain / "docs").mkdir(parents=True)
    (plain / "mkdocs.yml").write_text(PLAIN_MKDOCS)
    for name, text in PLAIN_PAGES.items():
        (plain / "docs" / name).write_text(text)
    installed.run(plain, installed.tool("mkdocs"), "build", "--strict", "--quiet", "--site-dir", "before")
    before = {src: _built(plain / "before", src) for src in PLAIN_PAGES}

    # What a user adds: the plugin in mkdocs.yml and a content folder beside it.
    (plain / "mkdocs.yml").write_text(PLAIN_MKDOCS + SEARCH_AND_TIMELINE)
    installed.run(plain, "cp", "-r", str(project.folder / "content"), str(plain / "content"))
    installed.run(plain, installed.tool("timeweave"), "build")

    site = plain / "site"
    for src, page in before.items():
        after = _built(site, src)
        assert _article(after) == _article(page), src
        assert _primary_nav(after) == _primary_nav(page), src
    assert [label for _, label in _primary_nav(before["index.md"])] == ["Welcome", "User guide", "Questions"]
    assert "This project's own home page" in _article(_built(site, "index.md"))
    event = (site / "events" / project.event_id / "index.html").read_text(encoding="utf-8")
    assert 'data-tl-map="record"' in event
    assert (site / "timeline" / "index.html").is_file()
    overview = (site / "timeline" / "overview" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Timeline overview</h1>" in overview and project.event_title in overview


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine\n")
    done = subprocess.run([sys.executable, "-m", "timeweave", "init", str(tmp_path)], check=False,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stdout == ""
    message = done.stderr.strip()
    assert "not an empty folder" in message and message.count(". ") == 0 and "\n" not in message
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_init_writes_the_title_quoted(tmp_path: Path) -> None:
    title = 'Floods: "1953" & after'
    command = [sys.executable, "-m", "timeweave", "init", str(tmp_path / "new"), "--title", title]
    done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert yaml.safe_load((tmp_path / "new" / "mkdocs.yml").read_text())["site_name"] == title
    assert (tmp_path / "new" / "README.md").read_text().startswith(f"# {title}\n")
