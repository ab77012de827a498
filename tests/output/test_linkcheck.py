"""generator.linkcheck: every internal link and anchor of a built site resolves."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from timeweave.output.linkcheck import (
    _LINK_ATTRIBUTES,
    PageReader,
    _climbed,
    _internal_path,
    _without_inert_parts,
    check_site,
    check_site_but,
    check_unfinished,
    link_lines,
    scan_page,
)
from timeweave.parallel.runner import SERIAL, ForkedRunner, Runner

from conftest import FIXTURES, ROOT, copy_site


class _ReferenceScanner(HTMLParser):
    """The standard library's parser, as the oracle for both scanners."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = _LINK_ATTRIBUTES.get(tag, ())
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name == "srcset":
                self.links.extend((self.getpos()[0], c.strip().split(" ")[0]) for c in value.split(",")
                                  if c.strip())
            elif name in wanted:
                self.links.append((self.getpos()[0], value))

    handle_startendtag = handle_starttag


def reference_scan(page: str) -> tuple[set[str], list[tuple[int, str]]]:
    scanner = _ReferenceScanner()
    scanner.feed(_without_inert_parts(page))
    scanner.close()
    return scanner.ids, scanner.links


def _write(site: Path, name: str, html: str) -> None:
    path = site / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html><body>{html}</body></html>", encoding="utf-8")


def test_links_files_and_anchors(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _write(site, "index.html", """
<a href="events/x/">ok dir</a> <a href="events/x">ok dir without slash</a>
<a href="events/x/#here">ok anchor</a> <a href="events/x/#named">ok a name</a> <a href="#top">ok local</a>
<h1 id="top">t</h1>
<a href="events/y/">missing page</a>
<a href="events/x/#nowhere">missing anchor</a>
<a href="https://example.org/nope/">external: not fetched</a> <a href="mailto:a@example.org">mail</a>
<a href="//example.org/x">protocol-relative: another site</a>
<img src="assets/a.png" srcset="assets/a.png 1x, assets/b.png 2x">
<link rel="stylesheet" href="/assets/site.css"><script src="assets/app.js?v=1"></script>
<a href="../../../../etc/passwd">above the root</a>
<a href="events/x/%C3%A9t%C3%A9/">percent-encoded</a>
""")
    _write(site, "events/x/index.html", '<p id="here">x</p><a name="named"></a><a href="../../#top">back</a>')
    _write(site, "events/x/été/index.html", "<p>accented folder</p>")
    (site / "assets").mkdir()
    (site / "assets/a.png").write_bytes(b"")
    (site / "assets/site.css").write_text("")
    (site / "assets/app.js").write_text("")
    broken = check_site(site)
    assert [(b.page, b.target, b.reason) for b in broken] == [
        ("index.html", "events/y/", "no such page or file in the site"),
        ("index.html", "events/x/#nowhere", "no element with id 'nowhere' in events/x/index.html"),
        ("index.html", "assets/b.png", "no such page or file in the site"),
        ("index.html", "../../../../etc/passwd", "no such page or file in the site"),
    ]
    assert all(b.line > 1 for b in broken)
    assert broken[0].format().startswith("index.html:")


def test_a_second_process_finds_the_same(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for i in range(450):
        _write(site, f"p{i}/index.html", f'<h2 id="h">x</h2><a href="../p{(i + 1) % 450}/#h">next</a>'
                                         f'<a href="../p{i + 1000}/">gone</a>')
    serial, pooled = check_site(site), check_site(site, ForkedRunner(fork_from=2))
    assert serial == pooled and len(serial) == 450


def test_both_scanners_find_what_an_html_parser_finds(small_site: Path, hostile_site: Path,
                                                       real_site: Path) -> None:
    pages = [p for site in (small_site, hostile_site, real_site) for p in sorted(site.rglob("*.html"))]
    assert len(pages) > 100
    for path in pages:
        text = path.read_text(encoding="utf-8")
        ids, links = reference_scan(text)
        assert scan_page(text) == (ids, [link for _, link in links]), path
        assert link_lines(text) == (ids, links), path


def test_both_scanners_on_awkward_markup() -> None:
    page = ("<!-- <a href='commented/'> -->\n<A HREF=\"up/\" title='a > b'>x</A>\n"
            "<p ID=one data-x=\"<a href=inside/>\">\n<script>var s = '<a href=\"js/\">';</script>\n"
            "<style>a[href='css/'] {}</style><img srcset='a.png 1x, b.png 2x' src=c.png>\n"
            "<a href=\"q/?a=1&amp;b=2\" name=n1>")
    expected = ({"one", "n1"}, [(2, "up/"), (5, "a.png"), (5, "b.png"), (5, "c.png"), (6, "q/?a=1&b=2")])
    assert link_lines(page) == reference_scan(page) == expected
    assert scan_page(page) == (expected[0], [link for _, link in expected[1]])


def test_each_broken_link_is_reported_on_its_own_line(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _write(site, "index.html", '<a href="gone/">one</a>\n<a href="ok/">fine</a>\n\n'
                               '<a href="gone/">again</a>\n<img src="gone.png" alt="">')
    _write(site, "ok/index.html", "<p>here</p>")
    broken = check_site(site)
    assert [(b.line, b.target) for b in broken] == [(1, "gone/"), (4, "gone/"), (5, "gone.png")]


FOLDERS = ["/", "/events/", "/events/a-b/", "/archive/events/2020/x/", "/a/b/c/d/"]
LINKS = ["../", "../..", "../../", "../../assets/x.css", "../../../../../../a/", "../b/?q=1#f", "..",
         "../%20space/", "../../events/x/#top", "./x/", "x/y", "../a/../b/", "../../..//c", "../?q",
         "../../#frag", "..%2F/x", "../.../y"]


@pytest.mark.parametrize("base", ["/", "/archive/"])
def test_a_link_climbed_into_its_folder_resolves_as_from_the_page_folder(base: str) -> None:
    for folder in FOLDERS:
        for link in LINKS:
            assert _internal_path(*_climbed(folder, link), base) == _internal_path(folder, link, base), (folder, link)
    assert _climbed("/events/a-b/", "../../assets/x.css") == ("/", "assets/x.css")


@pytest.mark.parametrize("runner", [SERIAL, ForkedRunner()], ids=["serial", "forked"])
def test_pages_read_as_they_are_written_equal_pages_read_from_disk(tmp_path: Path, runner: Runner) -> None:
    site = tmp_path / "site"
    for i in range(150):
        _write(site, f"p{i}/index.html", f'<h2 id="h">x</h2><a href="../p{(i + 1) % 150}/#h">next</a>'
                                         f'<a href="../p{i + 1000}/">gone</a><a href="#nowhere">x</a>')
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    reader = PageReader(runner)
    for page in pages[:100]:  # the rest were "not handed over": read from disk by check_site
        reader.add_page(page, (site / page).read_text(encoding="utf-8"))
    from_disk = check_site(site)
    assert len(from_disk) == 300
    # The check runs in the reader's process on what it was handed: a file changed afterwards (its
    # two broken links removed) is not read again there.
    _write(site, pages[0], '<h2 id="h">x</h2>')
    assert reader.check(site) == from_disk
    assert len(check_site(site)) == 298


def test_links_into_a_folder_still_being_written_are_checked_once_it_is(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _write(site, "index.html", '<a href="bundle/ui.js">ui</a>\n<a href="gone/">gone</a>\n'
                               '<a href="bundle/late.js">late</a>')
    _write(site, "a/index.html", '<a href="../bundle/ui.js">ui</a>\n\n<a href="../bundle/">folder</a>')
    _write(site, "bundle/half-written.html", '<a href="nowhere/">never read</a>')
    broken, later = check_site_but(site, "bundle")
    assert [(link.page, link.target) for link in broken] == [("index.html", "gone/")]
    assert sorted(later) == ["/bundle/", "/bundle/late.js", "/bundle/ui.js"]
    assert later["/bundle/ui.js"] == [("a/index.html", "../bundle/ui.js", ""), ("index.html", "bundle/ui.js", "")]
    assert check_unfinished(site, "bundle", later) is None, "a page in the folder: check the whole site"
    (site / "bundle/half-written.html").unlink()
    _write(site, "bundle/ui.js", "")
    unfinished = check_unfinished(site, "bundle", later)
    assert unfinished is not None
    assert [link.format() for link in sorted(broken + unfinished)] == [
        "a/index.html:3: ../bundle/: no such page or file in the site",
        "index.html:2: gone/: no such page or file in the site",
        "index.html:3: bundle/late.js: no such page or file in the site"]
    assert sorted(broken + unfinished) == check_site(site)


def test_the_fixture_sites_have_no_broken_links(small_site: Path, hostile_site: Path) -> None:
    assert check_site(small_site) == []
    assert check_site(hostile_site) == []


def test_the_real_site_has_no_broken_links(real_site: Path) -> None:
    assert check_site(real_site) == []


def _project_with_broken_links(tmp_path: Path) -> Path:
    project = copy_site(FIXTURES / "small_site", tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("../../../site_overrides", str(ROOT / "site_overrides")))
    event = project / "content/events/2020/phone-call.md"
    # Both pass the validator (it checks an account's links to pages, not to anchors, and does not
    # read hand-written pages) and a strict MkDocs build (MkDocs reports them at INFO level only).
    event.write_text(event.read_text() + "\nSee [a missing anchor](../shelling-of-post/#no-such-anchor).\n")
    (project / "docs").mkdir(exist_ok=True)
    # Links into the search index's bundle are checked once Pagefind has written it, after the others.
    (project / "docs/notes.md").write_text("# Notes\n\nSee [the missing page](../events/no-such-event/).\n\n"
                                           '<a href="../pagefind/pagefind-ui.js">there</a> '
                                           '<a href="../pagefind/no-such-part/">not there</a>\n')
    return project


def test_a_broken_link_fails_the_build_and_keeps_the_previous_site(tmp_path: Path) -> None:
    project = _project_with_broken_links(tmp_path)
    (project / "site").mkdir()
    (project / "site/index.html").write_text("previous site")
    run = subprocess.run([sys.executable, "-m", "timeweave", "build"], cwd=project,
                         capture_output=True, text=True)
    assert run.returncode == 4, run.stderr
    assert "events/phone-call/index.html:" in run.stderr and "notes/index.html:" in run.stderr
    assert "../events/no-such-event/: no such page or file in the site" in run.stderr
    assert "no element with id 'no-such-anchor' in events/shelling-of-post/index.html" in run.stderr
    assert "notes/index.html:" in run.stderr and "../pagefind/no-such-part/: no such page" in run.stderr
    assert "pagefind-ui.js" not in run.stderr
    assert "3 broken internal link(s)" in run.stderr
    assert (project / "site/index.html").read_text() == "previous site"
    # site.lock stays by design (output/lock.py); no staging folder does.
    assert sorted(p.name for p in project.iterdir() if p.name.startswith("site")) == ["site", "site.lock"]
    checked = subprocess.run([sys.executable, "-m", "timeweave", "build", "--no-linkcheck"], cwd=project,
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    standalone = subprocess.run([sys.executable, "-m", "timeweave", "linkcheck", "site"], cwd=project,
                                capture_output=True, text=True)
    assert standalone.returncode == 4 and "3 broken internal link(s)" in standalone.stderr


def test_a_site_served_under_a_path(tmp_path: Path) -> None:
    """With site_url https://host/archive/, MkDocs writes 404.html's links as /archive/...; a link
    outside that path cannot be a file of the site."""
    site = tmp_path / "site"
    _write(site, "404.html", '<link href="/archive/assets/a.css"><a href="/archive/events/x/#here">x</a>'
                             '<a href="/elsewhere/">outside</a>')
    _write(site, "events/x/index.html", '<p id="here">x</p>')
    (site / "assets").mkdir()
    (site / "assets/a.css").write_text("")
    broken = check_site(site, site_url="https://example.org/archive/")
    assert [(b.target, b.reason) for b in broken] == [("/elsewhere/", "no such page or file in the site")]
    assert len(check_site(site)) == 3  # without the base path nothing under /archive/ exists


def test_a_build_stopped_by_its_links_records_no_url(tmp_path: Path) -> None:
    """The published-URL manifest only grows with a build that is published."""
    project = _project_with_broken_links(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("      page_size: 2\n",
                                                 "      page_size: 2\n      manifest: published-urls.txt\n"))
    manifest = project / "published-urls.txt"
    manifest.write_text("")
    failed = subprocess.run([sys.executable, "-m", "timeweave", "build"], cwd=project, capture_output=True,
                            text=True)
    assert failed.returncode == 4, failed.stderr
    assert manifest.read_text() == ""
    event = project / "content/events/2020/phone-call.md"
    event.write_text(event.read_text().replace("#no-such-anchor", "#sources"))
    notes = project / "docs/notes.md"
    fixed = notes.read_text().replace("no-such-event", "shelling-of-post")
    notes.write_text(fixed.replace("no-such-part/", "pagefind-ui.css"))
    built = subprocess.run([sys.executable, "-m", "timeweave", "build"], cwd=project, capture_output=True,
                           text=True)
    assert built.returncode == 0, built.stderr
    assert "events/phone-call/" in manifest.read_text()
