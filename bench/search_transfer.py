"""What a reader's browser fetches to answer a search: three typical queries typed into the
header's search box of a built site, in Debian's chromium driven by Playwright.

    python bench/search_transfer.py SITE_DIR [--query TEXT ...] [--record bench/RESULTS.md]

The site is served from 127.0.0.1. For each query a fresh browser context (an empty cache) loads
the home page and waits for the network to settle; from then on every response is counted (the
bytes of its body as served, uncompressed by the server: Pagefind's index files are compressed
already) while the query is typed, until the count of results and the first results (up to
five, Pagefind's first page) are shown; the network is then let settle and its last responses
counted too. The time to first results runs, in the page's own clock, from the query's input event
to the first results in the page (Pagefind's UI's wait for the reader to stop typing included;
Playwright's own time to find and focus the box, which on a loaded machine was over half a
second, left out). Where that time goes: when Pagefind's index was
ready (its WebAssembly, the entry, the filters and the query's index chunks all received) and how
many result fragments had arrived when the first results were shown.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import socketserver
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import load, record, tree_size  # noqa: E402

BEGIN = "<!-- bench-search:begin (written by bench/search_transfer.py --record) -->"
END = "<!-- bench-search:end -->"
QUERIES = ["shelling", "killed civilians", "Idlib"]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FIRST_PAGE = 5  # results Pagefind's UI shows before "Load more results"


# Marks, in the page's clock, the query's input event and the moment the first page of results is
# in the page (or all of them, when there are fewer).
_CLOCK = """n => {
  const marks = window.__tlBench = {};
  const box = document.querySelector('.pagefind-ui__search-input');
  box.addEventListener('input', () => { marks.input = marks.input || performance.now(); });
  new MutationObserver(() => {
    const shown = document.querySelectorAll('.pagefind-ui__result-link').length;
    const message = document.querySelector('.pagefind-ui__message')?.textContent || '';
    const total = parseInt(message.replace(/,/g, ''), 10);
    if (!marks.shown && marks.input && (shown >= n || (shown > 0 && shown >= total)))
      marks.shown = performance.now();
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


@dataclass
class Transfer:
    query: str
    bytes: int
    responses: int
    results: int
    first_results_s: float
    index_ready_s: float  # the last of the wasm, entry, filter and index files received
    fragments_before_first: int


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def search_once(browser: Any, base: str, query: str) -> Transfer:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/")
    page.wait_for_load_state("networkidle")
    seen: list[Any] = []
    arrived: list[tuple[float, str]] = []
    page.on("response", lambda response: (seen.append(response), arrived.append((time.perf_counter(), response.url))))
    page.evaluate(_CLOCK, FIRST_PAGE)
    started = time.perf_counter()
    page.fill(".pagefind-ui__search-input", query)
    page.wait_for_function(  # the count of results for this query ("Searching for ..." comes first)
        "q => /^([\\d,]+ results? for|No results for)/.test("
        "(document.querySelector('.pagefind-ui__message')?.textContent || '')) &&"
        " document.querySelector('.pagefind-ui__message').textContent.includes(q)", arg=query, timeout=60_000)
    message = page.locator(".pagefind-ui__message").text_content() or ""
    count = message.split()[0].replace(",", "")  # "2,243 results for ..."
    total = int(count) if count.isdigit() else 0
    page.wait_for_function("n => document.querySelectorAll('.pagefind-ui__result-link').length >= n",
                           arg=min(total, FIRST_PAGE), timeout=60_000)
    shown = time.perf_counter()
    clock = page.evaluate("window.__tlBench")
    if clock.get("shown") and clock.get("input"):
        first = (clock["shown"] - clock["input"]) / 1000
        started = shown - first  # the input event, on this process's clock
    else:  # no result to show: from typing, as this process saw it
        first = shown - started
    before = [(at - started, url) for at, url in arrived if at <= shown]
    index = [at for at, url in before  # the parts list too, when the index is in parts (output/search.py)
             if url.endswith((".wasm", "-entry.json", "/parts.json", ".pf_filter", ".pf_index", ".pf_meta"))]
    fragments = sum(1 for _, url in before if url.endswith(".pf_fragment"))
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)  # a fragment asked for as the results were drawn
    size = sum(len(response.body()) for response in seen if response.ok)
    context.close()
    return Transfer(query, size, len(seen), total, first, max(index, default=0.0), fragments)


def measure(site: Path, queries: list[str]) -> list[Transfer]:
    from playwright.sync_api import sync_playwright

    server = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox", "--disable-gpu"]
            )
            return [search_once(browser, base, query) for query in queries]
    finally:
        server.shutdown()


def report(site: Path, events: int, transfers: list[Transfer], before: str, after: str) -> str:
    bundle, files = tree_size(site / "pagefind")
    lines = [
        f"Search transfer at {events:,} events (`bench/search_transfer.py`: Debian's chromium, Playwright "
        f"counting responses, a fresh cache per query). Pagefind's bundle on disk: {bundle / 1e6:.1f} MB in "
        f"{files:,} files. Load average (1, 5, 15 min) before: {before}; after: {after}.",
        "",
        ("| query | results | transferred | responses | index ready | fragments before first shown "
         "| first results shown | target ≤ 1 MB, ≤ 1 s |"),
        "|---|---|---|---|---|---|---|---|",
    ]
    for t in transfers:
        met = "met" if t.bytes <= 1e6 and t.first_results_s <= 1 else "**missed**"
        lines.append(f"| `{t.query}` | {t.results:,} | {t.bytes / 1e3:,.0f} KB | {t.responses} | "
                     f"{t.index_ready_s:.2f} s | {t.fragments_before_first} | {t.first_results_s:.2f} s | {met} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", action="append", default=None, help="instead of the three typical ones")
    parser.add_argument("--record", type=Path, default=None)
    args = parser.parse_args(argv)
    events = sum(1 for _ in (args.site / "events").glob("*/index.html"))
    before = load()
    transfers = measure(args.site.resolve(), args.query or QUERIES)
    text = report(args.site, events, transfers, before, load())
    print(text)
    if args.record is not None:
        record(args.record, text, BEGIN, END)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
