"""The same sites built by Zensical (builders/zensical/build.py) and by MkDocs, through
`timeweave build`: the same pages and files, no broken link or anchor in either, byte-identical
data files, the same article text on every record page, and search that finds an event by a word
of its account in the browser. Each site is built once per module and shared."""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from timeweave.output.linkcheck import check_site

from conftest import FIXTURES, ROOT, copy_site, run_cli

# What each builder's theme brings of its own (scripts, styles, its search index): not ours to compare.
THEME_FILES = re.compile(r"^(assets/(javascripts|stylesheets|images)/|search/|search\.json$)")
# Pagefind's index files are named by a hash of what they hold, and Pagefind writes its filters and
# metadata in a different order on each run: compared by what is indexed, not by name.
PAGEFIND_HASHED = re.compile(r"^pagefind/[^/]+/((fragment|index|filter)/|pagefind\.[a-z-]+_[0-9a-f]+\.pf_meta$)")
RECORD_FOLDERS = ("events", "actors", "places", "sources")
EVENT = ROOT / "content/events/2020/turkey-reportedly-seeks-control-of-armenian-quarter-jerusalem.md"
TITLE = re.compile(r"^title: (.+)$", re.M)


def _build(project: Path, site: Path, *args: str) -> Path:
    done = run_cli(project, "build", "-d", str(site), "--no-record-urls", *args)
    assert done.returncode == 0, done.stderr
    return site


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The real content, built by MkDocs and by Zensical (source folder outside the repository)."""
    where = tmp_path_factory.mktemp("both")
    return (_build(ROOT, where / "mkdocs"),
            _build(ROOT, where / "zensical", "--builder", "zensical", "--source-dir", str(where / "source")))


@pytest.fixture(scope="module", params=["small_site", "permanence_site", "map_site"])
def fixture_pair(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    project = copy_site(FIXTURES / request.param, tmp_path_factory.mktemp(request.param) / "project")
    return _build(project, project / "site-mkdocs"), _build(project, project / "site-zensical", "--builder", "zensical")


def _files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*")
            if p.is_file() and not THEME_FILES.match(p.relative_to(site).as_posix())
            and not PAGEFIND_HASHED.match(p.relative_to(site).as_posix())}


def _indexed_pages(site: Path) -> int:
    return sum(len(list(fragments.iterdir())) for fragments in (site / "pagefind").glob("*/fragment"))


class _Article(HTMLParser):
    """The text of a page's article (the content, not the theme around it)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth, self.hidden, self.parts = 0, 0, []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article" and "md-content__inner" in (dict(attrs).get("class") or ""):
            self.depth = 1
        elif self.depth and tag == "article":
            self.depth += 1
        elif self.depth and tag in ("script", "style"):
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "article":
            self.depth -= 1
        elif self.depth and tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.hidden:
            self.parts.append(data)


def article_text(page: Path) -> str:
    parser = _Article()
    parser.feed(page.read_text(encoding="utf-8"))
    return " ".join(" ".join(parser.parts).split())


def _compare(mkdocs: Path, zensical: Path) -> None:
    assert _files(mkdocs) == _files(zensical)
    assert _indexed_pages(mkdocs) == _indexed_pages(zensical) > 0  # one fragment per page searched
    for data in sorted(p for p in _files(mkdocs) if p.startswith(("data/", "schema/")) and not p.endswith(".html")):
        assert (mkdocs / data).read_bytes() == (zensical / data).read_bytes(), data
    pages = sorted(p for p in _files(mkdocs) if p.split("/")[0] in RECORD_FOLDERS and p.endswith("/index.html"))
    assert pages
    for page in pages:
        assert article_text(mkdocs / page) == article_text(zensical / page), page


def test_the_real_content_is_the_same_site_with_both_builders(real: tuple[Path, Path]) -> None:
    _compare(*real)


def test_fixture_sites_are_the_same_site_with_both_builders(fixture_pair: tuple[Path, Path]) -> None:
    _compare(*fixture_pair)


def test_no_broken_link_or_anchor_in_either(real: tuple[Path, Path]) -> None:
    for site in real:
        assert check_site(site) == [], site


def test_redirects_tombstones_sitemap_and_404_in_both(tmp_path_factory: pytest.TempPathFactory) -> None:
    project = copy_site(FIXTURES / "permanence_site", tmp_path_factory.mktemp("perm") / "project")
    for site in (_build(project, project / "m"), _build(project, project / "z", "--builder", "zensical")):
        sitemap = (site / "sitemap.xml").read_text()
        assert "<loc>https://timeline.example.org/archive/events/shelling-of-post/</loc>" in sitemap, site
        assert "retracted-claim" not in sitemap  # a tombstone asks not to be indexed
        assert "noindex" in (site / "events/retracted-claim/index.html").read_text()
        redirects = [p for p in site.rglob("index.html") if 'http-equiv="refresh"' in p.read_text()]
        assert redirects, site
        assert (site / "404.html").is_file()
        assert not (site / "sitemap.xml.gz").exists()


def test_the_theme_polish_is_the_same_in_both(real: tuple[Path, Path]) -> None:
    """One home <title>, a skip link to the content on every page kind, the helpful 404 page, and
    the tabs (whose presence hides the one-link sidebar on a wide screen, reader.css) in both."""
    import re

    for site in real:
        home = (site / "index.html").read_text()
        assert re.findall(r"<title>([^<]*)</title>", home) == ["Idlib, February 2020: an annotated timeline"], site
        for page in ("index.html", "timeline/index.html", "404.html", "about/index.html"):
            text = (site / page).read_text()
            assert '<a href="#tl-content" class="md-skip">' in text and 'id="tl-content"' in text, (site, page)
        missing = (site / "404.html").read_text()
        assert "<h1>Page not found</h1>" in missing and "data-tl-search-open" in missing, site
        assert 'class="md-tabs"' in home


EVENT_PAGE = "events/five-turkish-soldiers-killed-by-shelling-in-idlib/index.html"
EVERY_KIND = ["index.html", "timeline/index.html", "timeline/2020-02/index.html", "types/index.html",
              "types/shelling/index.html", "tags/index.html", "tags/idlib-offensive/index.html", EVENT_PAGE,
              "actors/turkey/index.html", "places/idlib-governorate/index.html", "sources/index.html",
              "map/index.html", "404.html"]


def test_the_reader_polish_is_in_the_zensical_site(real: tuple[Path, Path]) -> None:
    """Issue 16, item 6, on the pages Zensical wrote: the skip link on every page kind, dates in words
    with the EDTF code only in its machine-readable detail, tag labels, and the no-JS hints."""
    zensical = real[1]
    for page in EVERY_KIND:
        text = (zensical / page).read_text()
        assert '<a href="#tl-content" class="md-skip">' in text and 'id="tl-content"' in text, page
    event = (zensical / EVENT_PAGE).read_text()
    assert '<time class="tl-date tl-date--fuzzy" datetime="2020-02">possibly February 2020</time>' in event
    assert "Machine-readable (<abbr" in event and event.count("<code>2020-02?</code>") == 1
    assert 'href="../../tags/idlib-offensive/">Idlib offensive</a>' in event  # a label, not the slug
    assert "<h1>Tag: Idlib offensive</h1>" in (zensical / "tags/idlib-offensive/index.html").read_text()
    assert ">Turkey–Syria escalation</a>" in (zensical / "tags/index.html").read_text()
    assert '<p class="tl-nojs">' in (zensical / "timeline/index.html").read_text()
    hint = re.search(r'<p class="[^"]*tl-nojs">(.*?)</p>', (zensical / "map/index.html").read_text())
    assert hint and 'href="../places/"' in hint[1] and "zoom in" not in hint[1]


def test_search_titles_are_escaped_once(real: tuple[Path, Path]) -> None:
    index = (real[1] / "search.json").read_text()
    assert "coalition's" in index and "&#39;" not in index


def test_the_cache_stays_in_the_source_folder(tmp_path: Path) -> None:
    """Zensical writes .cache/ beside its configuration: in build/zensical/, which git ignores. The
    pipeline keeps its own in .cache/timeweave/ at the project's root, as with MkDocs."""
    project = copy_site(FIXTURES / "small_site", tmp_path / "project")
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    (project / ".gitignore").write_text("/site/\n/build/\n/site.lock\n/.cache/\n")
    before = sorted(p.name for p in project.iterdir())
    _build(project, project / "site", "--builder", "zensical")
    assert (project / "build/zensical/.cache").is_dir() and (project / ".cache/timeweave/markdown").is_dir()
    # Beside them only what a detached process may still be removing (output/atomic.py).
    after = [p.name for p in project.iterdir() if not p.name.startswith(".site.old-")]
    assert sorted(after) == sorted({*before, "site", "build", "site.lock", ".cache"})
    untracked = subprocess.run(["git", "-C", str(project), "status", "--porcelain"], capture_output=True,
                               text=True, check=True).stdout
    assert ".cache" not in untracked and "build/" not in untracked


def test_content_errors_stop_zensical_with_the_mkdocs_message(tmp_path: Path) -> None:
    project = copy_site(FIXTURES / "small_site", tmp_path / "project")
    good = _build(project, project / "site", "--builder", "zensical")
    before = (good / "index.html").read_bytes()
    event = next((project / "content/events").rglob("*.md"))
    event.write_text(event.read_text().replace("status:", "statu:", 1))
    said = {}
    for builder in ("mkdocs", "zensical"):
        done = run_cli(project, "build", "-d", str(project / "site"), "--builder", builder)
        assert done.returncode == 3
        said[builder] = [line for line in done.stderr.splitlines() if line.startswith("content/")]
    assert said["mkdocs"] == said["zensical"] and len(said["zensical"]) == 1
    assert said["zensical"][0].startswith(f"content/events/2020/{event.name}:") and "statu" in said["zensical"][0]
    assert (good / "index.html").read_bytes() == before  # the last good site is untouched


def test_a_missing_zensical_is_one_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from timeweave.builders.zensical import build as zensical

    monkeypatch.setattr(zensical, "available", lambda: False)
    project = copy_site(FIXTURES / "small_site", tmp_path / "project")
    done = run_cli(project, "build", "--builder", "zensical")
    assert done.returncode == 3
    assert done.stderr.strip().splitlines() == [
        "build failed: Zensical is not installed; install it with: pip install 'timeweave[zensical]'; "
        "the previous site in site/ is untouched."]


def test_a_failing_zensical_is_one_sentence(tmp_path: Path) -> None:
    project = copy_site(FIXTURES / "small_site", tmp_path / "project")
    broken = tmp_path / "broken"
    (broken / "zensical").mkdir(parents=True)
    (broken / "zensical" / "__init__.py").write_text("")
    (broken / "zensical" / "__main__.py").write_text("raise SystemExit('the native builder crashed')\n")
    env = {**os.environ, "PYTHONPATH": f"{broken}{os.pathsep}{ROOT / 'generator'}"}
    done = subprocess.run([sys.executable, "-m", "timeweave", "build", "--builder", "zensical"], cwd=project,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 3
    assert done.stderr.strip().splitlines()[-1] == (
        "build failed: Zensical failed (exit code 1): the native builder crashed; the previous site in site/ "
        "is untouched.")
    assert "Traceback" not in done.stderr and not (project / "site").exists()


# -- in the browser -----------------------------------------------------------------------------------

def search_finds(page: object, base_url: str, word: str, title: str) -> None:
    """Type a word in the header's search box and wait for a result naming the page: written
    against what a reader does, so it holds whichever search the theme has."""
    page.goto(base_url)  # type: ignore[attr-defined]
    # Pierces the open shadow root Zensical's search dialog lives in.
    box = page.locator("input[type='text']:visible, input[type='search']:visible")  # type: ignore[attr-defined]
    if not box.first.is_visible():  # a search button that opens the box (Zensical, narrow screens)
        page.locator(".md-search__button:visible, label.md-header__button[for='__search']:visible").first.click()  # type: ignore[attr-defined]
    box.first.wait_for(timeout=15_000)
    box.first.fill(word)
    page.get_by_text(title, exact=False).first.wait_for(timeout=15_000)  # type: ignore[attr-defined]


@pytest.mark.browser
@pytest.mark.parametrize("builder", [0, 1], ids=["mkdocs", "zensical"])
def test_search_finds_an_event_by_a_word_of_its_account(real: tuple[Path, Path], builder: int, page: object,
                                                         serve: object) -> None:
    base = serve(real[builder])  # type: ignore[operator]
    title = TITLE.search(EVENT.read_text(encoding="utf-8"))
    assert title is not None
    search_finds(page, base, "Armenian", title.group(1).strip().strip('"'))


# The event that cites one article four times: its sources list shows it once.
MERGED_EVENT = "/events/pro-assad-coalition-offensive-on-idlib/"


@pytest.mark.browser
@pytest.mark.parametrize("builder", [0, 1], ids=["mkdocs", "zensical"])
def test_cite_block_is_in_the_toc_linked_under_the_title_and_tabbed(real: tuple[Path, Path], builder: int,
                                                                    page: object, serve: object) -> None:
    base = serve(real[builder])  # type: ignore[operator]
    page.set_viewport_size({"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page.goto(base + MERGED_EVENT)  # type: ignore[attr-defined]
    toc = page.locator("nav.md-nav--secondary a.md-nav__link")  # type: ignore[attr-defined]
    targets = toc.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert "#cite-this-event" in targets and "#versions" in targets
    jump = page.locator("h1 + .tl-cite-jump a")  # type: ignore[attr-defined]
    assert jump.get_attribute("href") == "#cite-this-event"
    tabs = page.get_by_role("tablist", name="Citation formats").get_by_role("tab")  # type: ignore[attr-defined]
    assert tabs.all_inner_texts() == ["APA", "Chicago", "Wikipedia", "BibTeX"]
    panels = page.locator(".tl-cite .tl-tabs__panel")  # type: ignore[attr-defined]
    assert [p.is_visible() for p in panels.all()] == [True, False, False, False]
    tabs.nth(1).click()
    assert [p.is_visible() for p in panels.all()] == [False, True, False, False]
    page.keyboard.press("ArrowRight")  # type: ignore[attr-defined]
    assert page.locator(".tl-cite-wiki").is_visible()  # type: ignore[attr-defined]
    assert tabs.nth(2).evaluate("t => t === document.activeElement && t.getAttribute('aria-selected')") == "true"
    page.keyboard.press("End")  # type: ignore[attr-defined]
    assert page.locator(".tl-cite-bibtex").is_visible()  # type: ignore[attr-defined]
    # One entry for the article the event cites four times, with its four locators.
    entries = page.locator(".tl-citations > li")  # type: ignore[attr-defined]
    assert entries.count() == 1
    assert entries.first.locator(".tl-locator").inner_text().count(",") == 3


@pytest.mark.browser
@pytest.mark.parametrize("builder", [0, 1], ids=["mkdocs", "zensical"])
def test_cite_block_is_short_on_a_phone(real: tuple[Path, Path], builder: int, page: object,
                                        serve: object) -> None:
    base = serve(real[builder])  # type: ignore[operator]
    page.set_viewport_size({"width": 390, "height": 844})  # type: ignore[attr-defined]
    page.goto(base + MERGED_EVENT)  # type: ignore[attr-defined]
    page.get_by_role("tab", name="BibTeX").wait_for()  # type: ignore[attr-defined]
    height = page.locator(".tl-cite").evaluate("s => s.getBoundingClientRect().height")  # type: ignore[attr-defined]
    # Below one phone screen (it was about 1,500 px with every format shown).
    assert height < 844, height


@pytest.mark.parametrize(("asset", "partial"), [("timeline-palette.js", "palette.html"),
                                                ("timeline-content.js", "content.html")])
def test_the_themes_inline_scripts_are_its_own_as_files(asset: str, partial: str) -> None:
    """builders/mkdocs/theme/assets/<asset> is the (last) script of Material's and Zensical's
    partials/javascripts/<partial>, which the page loads instead of inlining it in every page."""
    ours = (ROOT / "generator/timeweave/builders/mkdocs/theme/assets" / asset).read_text("utf-8")
    # By distribution, not by import: bench/zensical.py is a module "zensical" when bench/ is on the path.
    for package, distribution in (("material", "mkdocs-material"), ("zensical", "zensical")):
        source = Path(str(importlib.metadata.distribution(distribution).locate_file(
            f"{package}/templates/partials/javascripts/{partial}")))
        scripts = re.findall(r"<script>(.*?)</script>", source.read_text("utf-8"), re.S)
        assert scripts, source
        assert ours == scripts[-1].strip() + "\n", package


@pytest.mark.browser
@pytest.mark.parametrize("builder", [0, 1], ids=["mkdocs", "zensical"])
def test_the_colour_scheme_chosen_on_one_page_holds_on_the_next(real: tuple[Path, Path], builder: int,
                                                                page: object, serve: object) -> None:
    site = real[builder]
    html = (site / MERGED_EVENT.strip("/") / "index.html").read_text("utf-8")
    assert '<script src="../../assets/timeline-palette.js"></script>' in html
    assert '<script src="../../assets/timeline-content.js"></script>' in html
    assert '__md_get("__palette")' not in html and "__tabbed_" not in html
    base = serve(site)  # type: ignore[operator]
    page.goto(base + MERGED_EVENT)  # type: ignore[attr-defined]
    body = page.locator("body")  # type: ignore[attr-defined]
    assert body.get_attribute("data-md-color-scheme") == "default"
    page.locator("label[title='Switch to dark mode']").click()  # type: ignore[attr-defined]
    assert body.get_attribute("data-md-color-scheme") == "slate"
    page.goto(base + "/timeline/")  # type: ignore[attr-defined]
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"  # type: ignore[attr-defined]
