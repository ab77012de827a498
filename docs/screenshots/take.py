"""`make screenshots`: what a reader sees, as PNGs beside this script (README, "Reading the site").

The built site/ is served from a local port and opened in Debian's chromium through Playwright;
every request that leaves the machine (the map tiles) is refused, so the maps show what they show
without a tile server. Light palette, no motion, fixed viewports, the viewport only (not the whole
page): the same site gives the same pictures, and each file stays small.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import socketserver
import sys
import threading
from pathlib import Path

from playwright.sync_api import Page, Route, sync_playwright

HERE = Path(__file__).resolve().parent
SITE = HERE.parent.parent / "site"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# name -> (path below the site, what to scroll to the top, under the header): the timeline, one
# event with an uncertain date, casualties and sources, and the map of every located event.
PAGES = {
    "timeline": ("timeline/", None),
    "event": ("events/five-turkish-soldiers-killed-by-shelling-in-idlib/", None),
    "map": ("map/", ".tl-map-figure"),
}
# name -> (width, height, mobile): a desktop window and a phone.
VIEWPORTS = {"desktop": (1280, 800, False), "phone": (390, 844, True)}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def _local_only(base: str, route: Route) -> None:
    if route.request.url.startswith(base):
        route.continue_()
    else:
        route.abort()


def _still(page: Page) -> bytes:
    """The viewport once the page's scripts have drawn what they draw (filters, maps, fonts): the
    first picture equal to the one before it. A loaded machine draws late, not differently."""
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")
    before = b""
    for _ in range(20):
        shot = page.screenshot(animations="disabled", caret="hide")
        if shot == before:
            break
        before = shot
        page.wait_for_timeout(250)
    return shot


def main() -> int:
    if not (SITE / "index.html").is_file():
        print(f"no built site in {SITE}: run `make build` first", file=sys.stderr)
        return 1
    server = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(SITE)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
                "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--font-render-hinting=none", "--disable-lcd-text", "--disable-font-subpixel-positioning",
                "--force-color-profile=srgb", "--disable-dev-shm-usage"])
            for size, (width, height, mobile) in VIEWPORTS.items():
                context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1,
                                              is_mobile=mobile, has_touch=mobile, color_scheme="light",
                                              reduced_motion="reduce", locale="en-GB", timezone_id="UTC")
                context.route("**/*", functools.partial(_local_only, base))
                page = context.new_page()
                for name, (path, top) in PAGES.items():
                    page.goto(base + path)
                    if top:
                        page.evaluate("s => { const box = document.querySelector(s).getBoundingClientRect();"
                                      " window.scrollTo(0, box.top + window.scrollY - document.querySelector("
                                      "'.md-header').offsetHeight - 8); }", top)
                    target = HERE / f"{name}-{size}.png"
                    target.write_bytes(_still(page))
                    print(f"{target.relative_to(HERE.parent.parent)}: {target.stat().st_size // 1024} KB")
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
