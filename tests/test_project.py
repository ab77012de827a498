"""The site's address: SITE_URL over mkdocs.yml's site_url, read once in project.py, so that every
citation form and the canonical link of a real build follow it; `timeweave build --publish` refuses
a build without one."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import icalendar
import pytest

from timeweave.cli import main as cli
from timeweave.project import project_from_config_file, site_address

from conftest import FIXTURES, copy_site, mkdocs_build

ADDRESS = "https://example.org/idlib/"


@pytest.mark.parametrize("configured, environ, expected", [
    (None, {}, None),
    ("", {"SITE_URL": ""}, None),
    ("https://a.example/x", {}, "https://a.example/x/"),
    ("https://a.example/x/", {"SITE_URL": "https://b.example/y"}, "https://b.example/y/"),
    (None, {"SITE_URL": " https://b.example/ "}, "https://b.example/"),
])
def test_site_address_prefers_the_environment(configured: str | None, environ: dict[str, str],
                                              expected: str | None) -> None:
    assert site_address(configured, environ) == expected


def test_the_project_reads_site_url_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE_URL", ADDRESS)
    assert project_from_config_file(FIXTURES / "small_site/mkdocs.yml").options.site_url == ADDRESS
    monkeypatch.delenv("SITE_URL")
    assert project_from_config_file(FIXTURES / "small_site/mkdocs.yml").options.site_url is None


ATOM, SITEMAP = "{http://www.w3.org/2005/Atom}", "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_with_site_url_every_citation_form_and_the_canonical_link_are_absolute(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE_URL", ADDRESS)
    site = mkdocs_build(copy_site(FIXTURES / "small_site", tmp_path / "project"), tmp_path / "site")
    folder = site / "events/shelling-of-post"
    permalink = ADDRESS + "events/shelling-of-post/"
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{permalink}">' in html
    assert f'<meta property="og:url" content="{permalink}">' in html
    assert f"Permanent link: <a href=\"./\">{permalink}</a>" in html
    assert f"{{{{cite web |url={permalink} |" in html
    assert html.count(permalink) >= 5  # permalink, APA, Chicago, Wikipedia, JSON-LD (BibTeX: in its file)
    assert f"url = {{{permalink}}}" in (site / "data/citations/2020.bib").read_text(encoding="utf-8")
    assert f"UR  - {permalink}" in (site / "data/citations/2020.ris").read_text(encoding="utf-8")
    (item,) = [i for i in json.loads((site / "data/citations/2020.csl.json").read_text(encoding="utf-8"))
               if i["id"] == "shelling-of-post"]
    assert item["URL"] == permalink
    # The sitemap, every feed and the calendar too.
    locs = [loc.text for loc in ElementTree.parse(site / "sitemap.xml").iter(f"{SITEMAP}loc")]
    assert permalink in locs and all(str(loc).startswith(ADDRESS) for loc in locs)
    feeds = sorted((site / "data/feeds").rglob("*.atom"))
    assert len(feeds) > 2
    for feed in feeds:
        hrefs = [link.get("href") for link in ElementTree.parse(feed).iter(f"{ATOM}link")]
        assert hrefs and all(str(href).startswith(ADDRESS) for href in hrefs), feed
    calendar = icalendar.Calendar.from_ical((site / "data/events.ics").read_bytes())
    assert {str(e["URL"]) for e in calendar.walk("VEVENT")} >= {permalink}


def test_without_site_url_no_citation_names_an_address(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SITE_URL", raising=False)
    site = mkdocs_build(copy_site(FIXTURES / "small_site", tmp_path / "project"), tmp_path / "site")
    folder = site / "events/shelling-of-post"
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="./">' in html and "og:url" not in html
    assert "url = {/events/shelling-of-post/}" in (site / "data/citations/2020.bib").read_text(encoding="utf-8")
    assert "https://" not in (site / "data/citations/2020.ris").read_text(encoding="utf-8")
    assert not (site / "sitemap.xml").exists()  # search engines take only absolute <loc>s


def test_publish_refuses_a_build_without_an_address(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("SITE_URL", raising=False)
    project = copy_site(FIXTURES / "small_site", tmp_path / "project")
    code = cli.main(["build", "--publish", "-f", str(project / "mkdocs.yml"), "-d", str(tmp_path / "site")])
    assert code == 2 and not (tmp_path / "site").exists()
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "needs the site's address" in line and "SITE_URL" in line
