"""Generated pages reach MkDocs with their HTML blocks apart (builders/mkdocs/blocks.py): every page
of every fixture site and of the real content, rendered by MkDocs' own Page from its source with
the blocks apart and from its whole Markdown, gives the same HTML, table of contents and anchors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from timeweave.build import build
from timeweave.builders.mkdocs.blocks import PageBlocks, converter_passes_blocks
from timeweave.content.history import History
from timeweave.project import project_from_config_file
from timeweave.site.pages import GeneratedPage

ROOT = Path(__file__).resolve().parents[2]
SITES = [ROOT / "tests" / "fixtures" / name for name in
         ("small_site", "hostile_site", "map_site", "permanence_site", "data_site", "early_site")] + [ROOT]
NO_HISTORY = History(False, "not needed here")


def generated(config: MkDocsConfig, src_uri: str, text: str) -> File:
    file = File(src_uri, None, config.site_dir, config.use_directory_urls)  # as File.generated makes it
    file.content_string = text
    return file


def render(config: MkDocsConfig, page: GeneratedPage, apart: bool) -> tuple[str, str, set[str]]:
    """(HTML, table of contents, anchors) of the page as the plugin has MkDocs render it."""
    file = generated(config, page.src_uri, page.source if apart else page.content)
    files = Files([file])
    built = Page(None, file, config)
    built.read_source(config)
    blocks = PageBlocks()
    assert built.markdown is not None
    if apart:
        built.markdown = blocks.markdown(built.markdown, built, config, config.plugins["timeline"])
    built.render(config, files)
    html = blocks.content(str(built.content), built, config, files) if apart else str(built.content)
    return html, str(built.toc), set(built.present_anchor_ids or ())


@pytest.mark.parametrize("site", SITES, ids=lambda site: "real_content" if site == ROOT else site.name)
def test_every_page_renders_the_same_with_its_blocks_apart(site: Path) -> None:
    config = load_config(str(site / "mkdocs.yml"))
    pages = build(project_from_config_file(site / "mkdocs.yml"), history=NO_HISTORY).pages
    apart = [page for page in pages if page.html_blocks]
    assert len(apart) > len(pages) * 0.9  # the guide and the data page are Markdown of their own
    for page in apart:
        assert render(config, page, apart=True) == render(config, page, apart=False), page.src_uri


def config_with(extensions: list[Any]) -> MkDocsConfig:
    config = load_config(str(ROOT / "tests" / "fixtures" / "small_site" / "mkdocs.yml"))
    config.markdown_extensions.extend(extensions)
    return config


def test_blocks_are_inlined_for_a_converter_that_reads_raw_html() -> None:
    assert converter_passes_blocks(config_with([]))
    assert converter_passes_blocks(config_with(["abbr", "def_list", "attr_list"]))
    assert not converter_passes_blocks(config_with(["md_in_html"]))  # converts inside a marked block
    assert not converter_passes_blocks(config_with(["pymdownx.snippets"]))  # reads every line


def test_a_page_whose_placeholder_did_not_come_back_is_converted_whole() -> None:
    config = load_config(str(ROOT / "tests" / "fixtures" / "small_site" / "mkdocs.yml"))
    page = next(p for p in build(project_from_config_file(ROOT / "tests/fixtures/small_site/mkdocs.yml"),
                                 history=NO_HISTORY).pages if p.src_uri == "events/phone-call.md")
    file = generated(config, page.src_uri, page.source)
    files = Files([file])
    built = Page(None, file, config)
    built.read_source(config)
    blocks = PageBlocks()
    assert built.markdown is not None
    built.markdown = blocks.markdown(built.markdown, built, config, config.plugins["timeline"])
    built.render(config, files)
    lost = str(built.content).replace("<p>tlfragment1tl</p>", "")  # as another extension might
    assert blocks.content(lost, built, config, files) == render(config, page, apart=False)[0]
