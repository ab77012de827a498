"""Every page of the hostile fixture site in Debian's chromium: no payload runs, ever.

An init script (it runs before any page script, in every frame) replaces alert, confirm, prompt
and print with a trap that records the call; every payload in the fixture calls alert(1). Each
page is loaded, its scripts are given time to finish (Material renders the navigation, the maps
and filters draw themselves), and then: the trap is empty, no dialog opened, no page error, no
element in the live DOM has an event-handler attribute or a javascript: URL (that catches markup
injected by a script even when its handler has not fired yet), and no request left 127.0.0.1.
Search results, which Material inserts as HTML, are opened for the payload words too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

TRAP = """
(() => {
  const calls = [];
  Object.defineProperty(window, "__xss", {value: calls, configurable: false});
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = (...args) => { calls.push(name + "(" + args.join(",") + ")"); };
  }
})();
"""

# Markup that must not exist in the live DOM, whatever put it there.
DOM_CHECK = """
() => {
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\\u0000-\\u0020]/g, "").toLowerCase();
      if (name.startsWith("on")) found.push(`<${element.localName} ${name}="${attribute.value}">`);
      if (["href", "src", "action", "formaction", "xlink:href"].includes(name) &&
          /^(javascript:|vbscript:|data:text\\/html)/.test(value)) {
        found.push(`<${element.localName} ${name}="${attribute.value}">`);
      }
    }
  }
  for (const script of document.querySelectorAll("script")) {
    if (!script.type || script.type.includes("javascript") || script.type === "module") {
      if (/^\\s*alert\\(1\\)/.test(script.textContent)) found.push("<script>" + script.textContent);
    }
  }
  return found;
}
"""


# Map popups are built when opened: build every one, the way Leaflet shows it (a string is set as
# innerHTML, a node is inserted), so a popup that would run a payload does so here. Returns how
# many were built. Maps register themselves in window.timelineMaps (generator/timeweave/site/static/maps).
OPEN_POPUPS = """
() => {
  let built = 0;
  const host = document.body.appendChild(document.createElement("div"));
  const visit = (layer) => {
    if (layer.getLayers) layer.getLayers().forEach(visit);
    const popup = layer.getPopup && layer.getPopup();
    if (!popup) return;
    const content = typeof popup._content === "function" ? popup._content(layer) : popup._content;
    const box = host.appendChild(document.createElement("div"));
    if (typeof content === "string") box.innerHTML = content; else if (content) box.appendChild(content);
    built += 1;
  };
  for (const state of (window.timelineMaps || [])) state.map.eachLayer(visit);
  return built;
}
"""


def _pages(site: Path) -> list[str]:
    urls = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        urls.append(relative[: -len("index.html")] if relative.endswith("index.html") else relative)
    return urls


def _open(page: Any, url: str) -> None:
    page.goto(url, wait_until="load")
    # Let deferred work run (Material's bundle, map tiles from the local server, filters);
    # waiting for network idle is the event to wait for, not a fixed delay.
    page.wait_for_load_state("networkidle")


def test_no_page_runs_a_payload(hostile_site: Path, serve: Any, page: Any) -> None:
    base = serve(hostile_site)
    page.add_init_script(TRAP)
    urls = _pages(hostile_site)
    assert len(urls) > 20 and "events/hostile-event/" in urls and "404.html" in urls
    found: dict[str, list[str]] = {}
    popups = 0
    for url in urls:
        _open(page, f"{base}/{url}")
        popups += page.evaluate(OPEN_POPUPS)
        problems = page.evaluate("window.__xss.slice()") + page.evaluate(DOM_CHECK)
        if problems:
            found[url] = problems
    assert found == {}
    with_maps = [p for p in hostile_site.rglob("*.html") if "data-tl-map" in p.read_text("utf-8")]
    assert with_maps and popups >= len(with_maps)  # every page with a map had its popups built
    assert page.dialogs == []
    assert page.errors == []
    # Map tiles are the only outside requests.
    assert [u for u in page.blocked if 'tile.openstreetmap.org' not in u] == []


def test_the_trap_catches_a_payload(hostile_site: Path, serve: Any, page: Any, tmp_path: Path) -> None:
    """The trap and the DOM check are live: a page that does run a payload is caught."""
    (tmp_path / "leak.html").write_text(
        "<!doctype html><title>leak</title><img src=x onerror=alert(1)><a href='javascript:alert(2)'>x</a>",
        encoding="utf-8")
    base = serve(tmp_path)
    page.add_init_script(TRAP)
    _open(page, f"{base}/leak.html")
    assert page.evaluate("window.__xss.slice()") == ["alert(1)"]
    assert len(page.evaluate(DOM_CHECK)) == 2


# Payload words, and an entity name: a highlighter that marked the 'quot' inside '&quot;' would split
# the entity and could turn escaped text back into markup.
@pytest.mark.parametrize("query", ["alert", "onerror", "onload", "script", "7*7", "quot", "calc"])
def test_search_results_show_payloads_as_text(hostile_site: Path, serve: Any, page: Any, query: str) -> None:
    """Pagefind's UI renders results (excerpts with the query marked, and the date and status the
    site adds) with innerHTML: they must show the payloads as text, and so must the page opened."""
    base = serve(hostile_site)
    page.add_init_script(TRAP)
    _open(page, f"{base}/")
    page.click("input.pagefind-ui__search-input")
    page.keyboard.type(query)
    results = page.locator(".pagefind-ui__result")
    results.first.wait_for()
    assert results.count() > 0
    assert page.evaluate("window.__xss.slice()") == []
    assert page.evaluate(DOM_CHECK) == []
    before = page.url
    results.first.locator("a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url != before
    assert page.evaluate("window.__xss.slice()") == []
    assert page.evaluate(DOM_CHECK) == []
    assert page.dialogs == [] and page.errors == [] and page.blocked == []
