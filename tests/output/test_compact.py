"""Layout whitespace out of page HTML (output/compact.py): what a browser renders stays the same,
checked on the document as html.parser reads it (tags, attributes, text with HTML's whitespace
collapsed as the browser collapses it, and the text of pre, code, script verbatim)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from timeweave.output.compact import compact_html

_VERBATIM = {"pre", "textarea", "code", "kbd", "script", "style"}


class _Document(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[str, object]] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.items.append(("start", (tag, attrs)))
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.items.append(("end", tag))
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag):]

    def handle_data(self, data: str) -> None:
        if _VERBATIM & set(self.open):
            self.items.append(("verbatim", data))
        else:
            text = re.sub(r"[ \t\r\n\f]+", " ", data)
            # Whitespace between two pieces of text is one space; a run alone between tags is
            # one space too: compared as such.
            self.items.append(("text", text))


def rendered(html: str) -> list[tuple[str, object]]:
    document = _Document()
    document.feed(html)
    document.close()
    return document.items


PAGE = """<!doctype html>
<html lang="en">
  <head>
    <script>var a = 1;
      if (a<2) { a = "</scr" + "ipt>"; }
    </script>
    <style>
      .x  { color: red }
    </style>
  </head>
  <body>
    <nav class="md-tabs" title="two
      lines">
      <ul>
        <li>
          <a href="../">
            Home
          </a>
        </li>
      </ul>
    </nav>
    <p>A\u00a0\n   no-break space, an\u2003em space\n  and <code>two  spaces\n   kept</code> here.</p>
    <pre><code>@misc{x,
  title = {{T}}
}
</code></pre>
    <textarea>
  kept
    </textarea>
    <!-- a comment
         with > inside -->
    <p data-x='a > b
       c'>end</p>
  </body>
</html>
"""


def test_the_page_renders_the_same_with_less_whitespace() -> None:
    compact = compact_html(PAGE)
    assert rendered(compact) == rendered(PAGE)
    assert len(compact) < len(PAGE) - 100
    assert "<ul>\n<li>\n<a" in compact and "</html>\n" in compact  # the indentation is gone


def test_verbatim_elements_attributes_and_unicode_spaces_are_kept() -> None:
    compact = compact_html(PAGE)
    for kept in ('if (a<2) { a = "</scr" + "ipt>"; }\n    </script>', ".x  { color: red }\n    </style>",
                 "<code>two  spaces\n   kept</code>", "@misc{x,\n  title = {{T}}\n}\n</code></pre>",
                 "<textarea>\n  kept\n    </textarea>", 'title="two\n      lines"', "data-x='a > b\n       c'",
                 "A\u00a0\n", "an\u2003em space"):
        assert kept in compact, kept
    assert "<a href=\"../\">\nHome\n</a>" in compact
    assert compact_html(compact) == compact


def test_a_built_event_page_has_no_indentation_outside_verbatim_elements(small_site: Path) -> None:
    html = (small_site / "events/shelling-of-post/index.html").read_text("utf-8")
    outside = re.sub(r"<(pre|code|script|style|textarea)\b.*?</\1>", "<kept>", html, flags=re.S)
    assert "\n " not in outside and "\n\n" not in outside
    assert "<h1" in html and "tl-cite" in html


def test_a_page_whose_tags_hold_no_line_break_loses_the_same_whitespace() -> None:
    # Read line by line, without walking its tags (compact.py), as the tag-by-tag reading does.
    page = PAGE.replace('title="two\n      lines"', 'title="one line"')
    page = page.replace("data-x='a > b\n       c'", "data-x='a > b'")
    page = page.replace("<ul>", "<ul>  \r\n \f\n\t") + "  \n\n   "
    compact = compact_html(page)
    assert rendered(compact) == rendered(page)
    assert "<ul>\n<li>\n<a" in compact and compact.endswith("</html>\n")
    assert compact_html(compact) == compact
    assert "<code>two  spaces\n   kept</code>" in compact and "A\u00a0\n" in compact
