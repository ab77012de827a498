"""The browser harness itself: Debian's chromium opens a built page from the local server."""

import pytest

pytestmark = pytest.mark.browser


def test_event_page_opens_in_chromium(small_site, serve, page):
    base = serve(small_site)
    page.goto(f"{base}/events/shelling-of-post/")
    assert page.locator("h1").first.inner_text() == "Shelling of an observation post"
    page.click("a.tl-actor >> text=Alpha Army")
    page.wait_for_url("**/actors/alpha-army/")  # waits for the page to load, not just the address
    assert page.locator("a.tl-event-link", has_text="Shelling of an observation post").count() == 1
    assert all(url.startswith("https://tile.openstreetmap.org/") for url in page.blocked)  # map tiles only
    assert page.errors == []
