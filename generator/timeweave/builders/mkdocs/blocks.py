"""A generated page's HTML blocks (site/fragments.py) kept away from Python-Markdown.

MkDocs reads a generated page's source: its Markdown with a placeholder paragraph for each HTML
block, then the blocks. The plugin gives MkDocs the Markdown (on_page_markdown) and puts the blocks
back into the HTML Python-Markdown made of it, before any other plugin sees the page
(on_page_content), with the anchors the blocks hold added to the page's (MkDocs checks links to
them): the page's HTML, table of contents and anchors are what converting the whole page gives.

The blocks are given to Python-Markdown inside the page instead (as if the page had none) where
another converter might not pass them through as they are: Markdown extensions that read raw HTML
or rewrite the converted text (beyond Python-Markdown's own, fenced code and footnotes), another
plugin that reads or changes the pages' Markdown, or a page whose placeholders did not come back.
"""

from __future__ import annotations

import html
import re
from typing import Any

import markdown
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.extensions.footnotes import FootnotePostprocessor
from markdown.postprocessors import AndSubstitutePostprocessor, RawHtmlPostprocessor
from markdown.preprocessors import HtmlBlockPreprocessor, NormalizeWhitespace
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from timeweave.site import fragments

# Python-Markdown's and its extensions' steps that were checked to leave raw HTML blocks as they
# are (tests/builders/test_mkdocs_blocks.py converts pages both ways).
# Their classes, not subclasses: md_in_html replaces the HTML block reader with its own.
KNOWN_STEPS = frozenset({NormalizeWhitespace, FencedBlockPreprocessor, HtmlBlockPreprocessor,
                         RawHtmlPostprocessor, AndSubstitutePostprocessor, FootnotePostprocessor})

# The anchors MkDocs finds in raw HTML (pages._HTMLHandler): every id, and a link's name. Found
# from the attribute back to its tag: a page has far fewer anchors than tags.
_ANCHOR = re.compile(r"""\s(id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")


def anchors(blocks: list[str]) -> set[str]:
    """The anchors a page's blocks hold."""
    found = set()
    for block in blocks:
        for attribute in _ANCHOR.finditer(block):
            tag = block.rfind("<", 0, attribute.start())
            if tag < block.rfind(">", 0, attribute.start()):
                continue  # text, not a tag's attribute
            link = block[tag + 1:tag + 2] in ("a", "A") and block[tag + 2:tag + 3].isspace()
            if attribute.group(1) == "name" and not link:
                continue  # a name on anything but a link is no anchor
            found.add(html.unescape(attribute.group(2) or attribute.group(3) or attribute.group(4) or ""))
    return found


def converter_passes_blocks(config: MkDocsConfig) -> bool:
    """Whether this site's Markdown conversion passes our HTML blocks through as they are."""
    md = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs or {})
    steps = {type(step) for step in [*md.preprocessors, *md.postprocessors]}
    return (HtmlBlockPreprocessor in steps and steps <= KNOWN_STEPS
            and fragments.BLOCK_TAGS <= set(md.block_level_elements))


class PageBlocks:
    """The blocks of the pages being built, from their Markdown's reading to their conversion."""

    def __init__(self) -> None:
        self._blocks: dict[str, list[str]] = {}
        self._apart: bool | None = None  # decided at the first page, once every plugin is configured

    def markdown(self, markdown_text: str, page: Page, config: MkDocsConfig, ours: Any) -> str:
        """The Markdown MkDocs converts; ours: the plugin that calls this."""
        text, blocks = fragments.unpack(markdown_text)
        if not blocks:
            return markdown_text
        if self._apart is None:
            self._apart = not other_markdown_hooks(config, ours) and converter_passes_blocks(config)
        if not self._apart:
            return fragments.inline(text, blocks)
        self._blocks[page.file.src_uri] = blocks
        return text

    def content(self, content: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """The page's HTML with its blocks back in place."""
        blocks = self._blocks.pop(page.file.src_uri, None)
        if not blocks:
            return content
        done = fragments.put_back(content, blocks)
        if done is None:  # a placeholder did not come back as its own paragraph: convert it all
            page.markdown = fragments.inline(page.markdown or "", blocks)
            page.render(config, files)
            return str(page.content)
        if page.present_anchor_ids is not None:
            page.present_anchor_ids |= anchors(blocks)
        return done


def other_markdown_hooks(config: MkDocsConfig, ours: Any) -> bool:
    """Whether a plugin other than ours has an on_page_markdown."""
    return any(getattr(method, "__self__", None) is not ours for method in config.plugins.events["page_markdown"])
