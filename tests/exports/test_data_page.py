"""The Data page and the exports in real MkDocs builds: every file published and linked, every
field documented on the page, and two builds giving the same bytes."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import yaml

from timeweave.content.schema import CONTENT_TYPES
from timeweave.exports import CSV_COLUMNS, EXPORTS

from conftest import FIXTURES, ROOT, mkdocs_build

PROJECT = FIXTURES / "data_site"


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    first = mkdocs_build(PROJECT, tmp_path_factory.mktemp("data1") / "site")
    second = mkdocs_build(PROJECT, tmp_path_factory.mktemp("data2") / "site")
    return first, second


def published(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for folder in ("data", "schema")
        for p in sorted((site / folder).rglob("*"))
        if p.is_file()
    }


def test_two_builds_give_the_same_bytes(builds: tuple[Path, Path]) -> None:
    first, second = (published(site) for site in builds)
    assert first == second
    assert {
        "data/events.json",
        "data/events.csv",
        "data/events.geojson",
        "data/events.ics",
        "data/datapackage.json",
        "data/feeds/events.atom",
        "schema/event.schema.json",
    } <= set(first)


def test_schemas_published_equal_the_committed_ones(builds: tuple[Path, Path]) -> None:
    site = builds[0]
    for kind in CONTENT_TYPES:
        name = f"{kind}.schema.json"
        assert (site / "schema" / name).read_bytes() == (ROOT / "schema" / name).read_bytes()


def test_data_page_links_every_file_and_documents_every_field(builds: tuple[Path, Path]) -> None:
    site = builds[0]
    page = (site / "data" / "index.html").read_text()
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    hrefs = set(re.findall(r'href="([^"]+)"', page))
    for doc in EXPORTS:
        assert doc.path in hrefs, doc.path
        assert (site / "data" / doc.path).is_file()
        for field in doc.fields:
            assert field.name in text, (doc.path, field.name)
    for column in CSV_COLUMNS:
        assert f"<code>{column.name}</code>" in page
    for kind in CONTENT_TYPES:
        assert f"../schema/{kind}.schema.json" in hrefs
    nav = re.search(r'<nav class="md-nav md-nav--primary"[\s\S]*?</nav>', page)
    assert nav is not None and re.search(r"md-nav__link--active[^>]*>\s*Data", nav.group())
    assert (
        json.loads((site / "data" / "datapackage.json").read_bytes())["title"]
        == 'Data fixture, "quoted" & more'
    )


def test_real_site_has_the_data_page_in_its_navigation() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    assert {"Data": "data.md"} in config["nav"]
    assert "site_url" not in config  # no invented domain: exports use site-relative URLs


def test_small_site_builds_with_exports(small_site: Path) -> None:
    assert (small_site / "data" / "index.html").is_file()
    rows = (small_site / "data" / "events.csv").read_text().splitlines()
    assert len(rows) == 1 + 3
