"""A page's HTML blocks taken apart and put back (site/fragments.py), checked against Python-Markdown
itself: a page with placeholders, converted, then with its blocks put back, is the HTML the whole
page converts to. The generated pages of every fixture site are checked the same way with MkDocs'
own page rendering in tests/builders/test_mkdocs_blocks.py."""

from __future__ import annotations

import markdown
import pytest

from timeweave.site import fragments
from timeweave.site.fragments import BODY_MARK

EXTENSIONS = ["toc", "tables", "fenced_code", "admonition", "footnotes"]


def convert(text: str) -> str:
    return markdown.Markdown(extensions=EXTENSIONS).convert(text)


def both_ways(rendered: str) -> tuple[str, str | None, int]:
    """(the whole page converted, the page converted with its blocks apart, how many blocks)."""
    content, spans = fragments.split_page(rendered)
    text, blocks = fragments.unpack(fragments.source(content, spans))
    return convert(content), fragments.put_back(convert(text), blocks), len(blocks)


PAGE = (
    '<h1 dir="auto">A &amp; B</h1>\n<p class="x" data-y>Cite</p>\n\n'
    '<dl class="tl-facts">\n<dt>Date</dt><dd><time>1 May</time></dd>\n</dl>\n\n'
    "## Account\n\n" + BODY_MARK + "A *body* with [a link](https://example.org).\n\n<div>its own block</div>"
    + BODY_MARK + "\n\n## Sources\n\n"
    '<div class="tl-listing">\n\n<section class="g">\n<ol>\n<li>one</li>\n</ol>\n</section>\n'
    '<section class="g">\n<ol>\n<li>two</li>\n</ol>\n</section>\n\n</div>\n\n'
    '<nav class="tl-prevnext" aria-label="Timeline">\n<a href="../x/">x</a>\n</nav>\n'
)


def test_a_page_converts_to_the_same_html_with_its_blocks_apart() -> None:
    whole, apart, count = both_ways(PAGE)
    assert count == 4  # the title and its line, the facts, the listing (blank lines inside), the nav
    assert apart == whole


def test_the_body_is_never_taken_apart_and_its_marks_are_gone() -> None:
    content, spans = fragments.split_page(PAGE)
    assert BODY_MARK not in content
    body = content.index("A *body*")
    assert all(not start <= body < end for start, end in spans)
    assert not any("its own block" in content[start:end] for start, end in spans)


def test_front_matter_is_left_to_the_builder() -> None:
    rendered = '---\ntitle: "A"\n---\n\n<p class="x">one</p>\n'
    content, spans = fragments.split_page(rendered)
    assert content == rendered
    assert [content[start:end] for start, end in spans] == ['<p class="x">one</p>']
    assert fragments.source(content, spans).startswith('---\ntitle: "A"\n---\n\ntlfragment0tl\n')


@pytest.mark.parametrize("block", [
    "<div>\ttab</div>",                                  # tabs are expanded inside raw HTML
    "<div>\n```\ncode\n```\n</div>",                     # a fence is read inside raw HTML
    "<div>\n  \n</div>",                                 # a line of spaces ends the block early
    "<div><!-- note --></div>",                          # comments are read apart
    '<div markdown="1">*x*</div>',                       # md_in_html converts inside it
    "<div>one</div> and text after it",                  # the text after is Markdown
    "<div>one</div>\ntext on the next line",
    "<span>inline</span>",                               # not a block
    "<div><div>never closed</div>",
])
def test_what_a_converter_reads_inside_stays_markdown(block: str) -> None:
    content, spans = fragments.split_page("## A\n\n" + block + "\n\n## B\n")
    assert spans == ()
    assert content == "## A\n\n" + block + "\n\n## B\n"


def test_a_page_holding_the_placeholder_word_keeps_every_block() -> None:
    rendered = "<p>one</p>\n\n" + BODY_MARK + "tlfragment0tl" + BODY_MARK + "\n\n<p>two</p>\n"
    content, spans = fragments.split_page(rendered)
    assert spans == () and fragments.source(content, spans) == content


def test_a_block_beside_a_body_stays_markdown() -> None:
    # No blank line between the template's HTML and the body: the converter would read them as one.
    rendered = "<div>before</div>\n" + BODY_MARK + "*body*" + BODY_MARK + "\n<div>after</div>\n\n<p>apart</p>\n"
    content, spans = fragments.split_page(rendered)
    assert [content[start:end] for start, end in spans] == ["<p>apart</p>"]
    whole, apart, _ = both_ways(rendered)
    assert apart == whole


def test_inline_gives_the_page_back_and_put_back_refuses_a_lost_placeholder() -> None:
    content, spans = fragments.split_page(PAGE)
    text, blocks = fragments.unpack(fragments.source(content, spans))
    assert fragments.inline(text, blocks) == content
    html = convert(text)
    assert fragments.put_back(html.replace("<p>tlfragment2tl</p>", ""), blocks) is None
    assert fragments.put_back(html.replace("<p>tlfragment2tl</p>", "<p>tlfragment1tl</p>"), blocks) is None


def test_plain_markdown_is_its_own_source() -> None:
    assert fragments.unpack("# Title\n\ntext\n") == ("# Title\n\ntext\n", [])
    assert fragments.put_back("<p>x</p>", []) == "<p>x</p>"


def test_a_source_gives_back_its_page_and_where_its_blocks_are() -> None:
    # A body may even hold the separator's comment: the blocks are after the last one.
    page = PAGE.replace("its own block</div>", "its own block</div>\n\n<!-- timeweave: the page's HTML blocks -->")
    for rendered in (PAGE, page):
        content, spans = fragments.split_page(rendered)
        assert spans and fragments.from_source(fragments.source(content, spans)) == (content, spans)
