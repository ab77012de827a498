"""output/sanitize.py: the allow-list, and the attribute filter applied wherever it would refuse
something (the fast path cleans without it only where that gives the same HTML)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeweave.output.sanitize import _FILTERING_CLEANER, sanitize_html


def test_ids_material_looks_up_and_images_from_other_hosts_are_refused() -> None:
    html = ('<p id="__config">a</p><p id="&#95;&#x5f;search">b</p><a id="ok" href="#ok">c</a>'
            '<img src="https://tracker.example.org/p.png" alt="x"><img src="//cdn.example.org/q.png" alt="y">'
            '<img src="../../assets/map.png" alt="z"><script>alert(1)</script>')
    assert sanitize_html(html) == ('<p>a</p><p>b</p><a id="ok" href="#ok">c</a><img alt="x"><img alt="y">'
                                   '<img src="../../assets/map.png" alt="z">')


def test_a_page_with_nothing_to_refuse_is_left_as_it_is() -> None:
    html = '<h2 id="evidence">Evidence</h2><p>Reportedly <em>shelled</em> &amp; <a href="../x/">more</a>.</p>'
    assert sanitize_html(html) == html


# Pieces of markup in which the filter has something to act on, spelt every way a page could.
_PIECES = st.sampled_from([
    '<p id="__a">', "<p id='__a'>", "<p id=__a>", '<p ID="__a">', '<p id="&#95;_a">', '<p id="&lowbar;_a">',
    '<p id=" __a">', '<p id="_a">', '<p id="a__">', '<label for="__x">', '<input for="__x">',
    '<img src="https://x.org/a.png">', "<IMG SRC='//x.org/b.png'>", '<img src="a.png">', "<img>",
    '<svg><image href="https://x.org/c.png"/></svg>', '<a href="https://x.org/">', '<math id="__m">',
    "</p>", "</a>", "text", " ", "\n", "<!-- <img src=http://x.org/> -->", "<", ">", "&", '"', "'", "=",
    "<script>", "<table><td id=__t>", "<textarea><img></textarea>", "<noscript><img src=//x/></noscript>",
])


@settings(max_examples=400, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=12).map("".join) | st.text(max_size=200))
def test_the_same_html_as_always_filtering(html: str) -> None:
    assert sanitize_html(html) == _FILTERING_CLEANER.clean(html)
