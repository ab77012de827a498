"""Where the timeline's overview is published: the site's home, or beside a project's own home page."""

from __future__ import annotations

import pytest

from timeweave.site.homepage import HomePageError, home_url


def test_a_timeline_site_has_the_overview_as_its_home_page() -> None:
    assert home_url(None, []) == ""
    assert home_url(None, ["about.md", "guide/index.md"]) == ""


@pytest.mark.parametrize("own_home", ["index.md", "README.md"])
def test_a_project_with_its_own_home_page_keeps_it(own_home: str) -> None:
    assert home_url(None, [own_home, "about.md"]) == "timeline/overview/"


@pytest.mark.parametrize(("configured", "url"), [("index.md", ""), ("overview.md", "overview/"),
                                                 ("chronology/home.md", "chronology/home/")])
def test_the_option_puts_it_anywhere_else(configured: str, url: str) -> None:
    assert home_url(configured, ["about.md"]) == url


@pytest.mark.parametrize(("configured", "said"), [
    ("overview", "a Markdown path"), ("/overview.md", "a Markdown path"), ("../x.md", "a Markdown path"),
    ("a//b.md", "a Markdown path"), ("chronology/index.md", "name the page 'chronology.md' instead"),
    ("about.md", "hand-written page"), ("index.md", "hand-written page"),
])
def test_a_path_it_cannot_be_published_at_is_refused(configured: str, said: str) -> None:
    with pytest.raises(HomePageError, match=said):
        home_url(configured, ["index.md", "about.md"])
