"""The time axis over a large timeline, in Debian's chromium driven by Playwright: how long its
first draw takes and how many elements it puts in the page.

    python bench/axis_scale.py N [--work DIR]

Building a whole N-event site only to measure one script takes long, and the axis reads nothing
but the shared index: so this writes an N-event corpus (bench/corpus.py, reused when DIR holds
one), builds only its data/timeline-index.json (site/reader.py, the file a real build writes),
and serves a page that holds the axis element the /timeline/ page holds, with the real
timeline-axis.js and .css. Per run: the time from the script's start to the axis drawn (the
index's download and parse included, from 127.0.0.1), the time of one zoom in, the elements
inside the axis and in the whole page, the events drawn with data-event, and the load.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import socketserver
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import load  # noqa: E402  (bench/ is not a package)

from timeweave.catalog.catalog import load_catalog  # noqa: E402
from timeweave.site.reader import STATIC_DIR, json_bytes, timeline_index  # noqa: E402

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Axis at scale</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="timeline-axis.css"></head><body><main>
<div class="tl-axis" data-timeline-axis data-axis-kind="timeline" data-axis-filter=""
 data-axis-index="timeline-index.json" data-axis-root="./"></div></main>
<script>window.axisStart = performance.now();
new MutationObserver(function (changes, watch) {
  if (document.querySelector("[data-axis-drawn]")) { window.axisDrawn = performance.now(); watch.disconnect(); }
}).observe(document.body, {subtree: true, attributes: true, attributeFilter: ["data-axis-drawn"]});
</script><script src="timeline-axis.js"></script></body></html>
"""

MEASURE = """() => {
  const axis = document.querySelector('[data-timeline-axis]');
  const drawn = [...axis.querySelectorAll('[data-event]')];
  const v = axis.querySelector('.tl-axis__viewport'), box = v.getBoundingClientRect();
  const inView = drawn.filter(a => { if (a.hidden) return false; const b = a.getBoundingClientRect();
    return b.right >= box.left && b.left <= box.right && b.width > 0; }).length;
  return {draw: window.axisDrawn - window.axisStart, axisNodes: axis.querySelectorAll('*').length,
          pageNodes: document.querySelectorAll('*').length, withDataEvent: drawn.length, inView: inView};
}"""


def prepare(n: int, work: Path) -> Path:
    corpus, served = work / f"corpus{n}", work / f"axis{n}"
    if not (corpus / "content").is_dir():
        subprocess.run([sys.executable, str(Path(__file__).with_name("corpus.py")), str(n), str(corpus)], check=True)
    served.mkdir(parents=True, exist_ok=True)
    catalog, errors = load_catalog(corpus / "content")
    if catalog is None:
        raise SystemExit(f"the corpus does not load: {errors}")
    (served / "timeline-index.json").write_bytes(json_bytes(timeline_index(catalog)))
    for name in ("timeline-axis.js", "timeline-axis.css"):
        shutil.copyfile(STATIC_DIR / name, served / name)
    (served / "index.html").write_text(PAGE, encoding="utf-8")
    return served


def measure(served: Path, width: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(served)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                        args=["--headless=new", "--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/", timeout=120_000)
            page.wait_for_function("window.axisDrawn !== undefined", timeout=120_000)
            result: dict[str, Any] = page.evaluate(MEASURE)
            result["zoom"] = page.evaluate("""() => { const t = performance.now();
                document.querySelector("button[aria-label='Zoom in']").click(); return performance.now() - t; }""")
            result["zoomedInView"] = page.evaluate(MEASURE)["inView"]
            browser.close()
    finally:
        httpd.shutdown()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int)
    parser.add_argument("--work", type=Path, default=Path("/tmp/timeweave-axis-bench"))
    args = parser.parse_args()
    served = prepare(args.n, args.work)
    size = (served / "timeline-index.json").stat().st_size
    for width in (1280, 390):
        before = load()
        r = measure(served, width)
        print(f"{args.n} events, {width} px: first draw {r['draw']:.0f} ms, one zoom in {r['zoom']:.0f} ms; "
              f"{r['axisNodes']} elements in the axis, {r['pageNodes']} in the page; "
              f"{r['withDataEvent']} with data-event, {r['inView']} in view ({r['zoomedInView']} after zooming in); "
              f"index {size / 1e6:.2f} MB; load before {before}, after {load()}")


if __name__ == "__main__":
    main()
