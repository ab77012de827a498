"""What takes the bytes of a built site: total and per event, files per event and by kind, the event
pages' HTML (median and largest) and what makes an event page (median bytes of each part), the
search bundle, data/, and the largest top-level folders.

    python bench/site_sizes.py SITE_DIR EVENTS [--parts]

--parts adds the table of an event page's parts (Markdown table rows, for bench/RESULTS.md).
"""

from __future__ import annotations

import re
import statistics
import sys
from pathlib import Path, PurePosixPath

_SIDEBAR_END = r"</nav>\s*</div>\s*</div>\s*</div>"
# (name, pattern): each part is the bytes its pattern matches on an event page; indented names are
# inside the one above, so the rows do not add up to the page.
PARTS = [
    ("head: meta, links, Material's inline scripts", r"<head>.*?</head>"),
    ("  JSON-LD", r'<script type="application/ld\+json">.*?</script>'),
    ("header: logo, title, colour toggle, search box", r"<header.*?</header>"),
    ("tabs: the site navigation (11 links)", r'<nav class="md-tabs".*?</nav>'),
    ("drawer: the same navigation for phones", r'<div class="md-sidebar md-sidebar--primary".*?' + _SIDEBAR_END),
    ("table of contents", r'<div class="md-sidebar md-sidebar--secondary".*?' + _SIDEBAR_END),
    ("article", r"<article.*?</article>"),
    ("  facts: date, type, status, place, actors, tags", r'<dl class="tl-facts">.*?</dl>'),
    ("  map embed", r'<figure class="tl-map.*?</figure>|<div class="tl-map-missing">.*?</div>'),
    ("  account (the body)", r'<h2 id="account">.*?(?=<h2 )'),
    ("  annotations", r'<h2 id="annotations">.*?(?=<h2 )'),
    ("  casualties", r'<h2 id="casualties">.*?(?=<h2 )'),
    ("  sources", r'<h2 id="sources">.*?(?=<h2 )'),
    ("  related events", r'<h2 id="related-events">.*?(?=<h2 )'),
    ("  before and after, same actors", r'<h2 id="before-and-after-same-actors">.*?(?=<h2 )'),
    ("  cite this event (APA, Chicago, Wikipedia, BibTeX, downloads)", r'<h2 id="cite-this-event".*?</section>'),
    ("    BibTeX panel", r'<div class="tl-tabs__panel" id="tl-cite-panel-bibtex">.*?</div>'),
    ("  versions", r'<h2 id="versions".*?</section>'),
    ("  previous / next", r'<nav class="tl-prevnext".*?</nav>'),
    ("  search filters and metadata", r"(?:<span hidden data-pagefind-[^>]*></span>\s*)+"),
    ("footer", r"<footer.*?</footer>"),
    ("after the content: Material's __config, scripts", r'<div class="md-dialog".*?</body>'),
    ("  Material's __config", r'<script id="__config".*?</script>'),
    ("inline SVG icons (anywhere on the page)", r"<svg.*?</svg>"),
    ("layout whitespace (line breaks and indentation)", r"[ \t]*\n[ \t\n]*"),
]
_PARTS = [(name, re.compile(pattern, re.S)) for name, pattern in PARTS]
_REDIRECT = re.compile(r'http-equiv="refresh"')


def kind_of(path: PurePosixPath) -> str:
    """Which kind of file: per-event files by what they are, the rest by folder."""
    parts = path.parts
    if parts[0] == "events" and len(parts) == 3:
        return "event page" if path.name == "index.html" else f"event: {''.join(path.suffixes)} beside the page"
    if parts[0] == "pagefind":
        return "search: " + (parts[1] if len(parts) > 2 else "bundle")
    if parts[0] == "data":
        return "data: " + (parts[1] if len(parts) > 2 else "files")
    if path.name == "index.html":
        return f"page: {parts[0] if len(parts) > 1 else '(home)'}/"
    return f"other: {parts[0] if len(parts) > 1 else '(root)'}"


def event_pages(site: Path) -> list[str]:
    """The HTML of every event page (not of the redirects merged and renamed events leave)."""
    pages = []
    for path in sorted(site.glob("events/*/index.html")):
        html = path.read_text(encoding="utf-8")
        if not _REDIRECT.search(html[:2000]):
            pages.append(html)
    return pages


def part_rows(pages: list[str]) -> list[str]:
    rows = [f"| whole page (median of {len(pages):,}) | "
            f"{statistics.median(len(html.encode()) for html in pages) / 1e3:.2f} KB |"]
    for name, pattern in _PARTS:
        sizes = [sum(len(m.group(0).encode()) for m in pattern.finditer(html)) for html in pages]
        rows.append(f"| {name.strip()} | {statistics.median(sizes) / 1e3:.2f} KB |"
                    .replace("| ", "| " + "&nbsp;" * (len(name) - len(name.lstrip())), 1))
    return rows


def report(site: Path, events: int, parts: bool = False) -> list[str]:
    files = sorted(p for p in site.rglob("*") if p.is_file())
    sizes = {PurePosixPath(p.relative_to(site).as_posix()): p.stat().st_size for p in files}
    total = sum(sizes.values())
    pages = [size for path, size in sizes.items() if path.parts[0] == "events" and path.name == "index.html"]
    folders: dict[str, int] = {}  # top-level folder -> bytes
    kinds: dict[str, list[int]] = {}  # kind -> [files, bytes]
    for path, size in sizes.items():
        top = path.parts[0] if len(path.parts) > 1 else "(root files)"
        folders[top] = folders.get(top, 0) + size
        counted = kinds.setdefault(kind_of(path), [0, 0])
        counted[0] += 1
        counted[1] += size

    largest = sorted(folders.items(), key=lambda item: (-item[1], item[0]))

    def part(name: str) -> str:
        inside = [size for path, size in sizes.items() if path.parts[0] == name]
        return f"{name}/ {sum(inside) / 1e6:.1f} MB in {len(inside):,} files"

    lines = [
        f"site {total / 1e6:.1f} MB in {len(files):,} files: {total / events / 1e3:.1f} KB and "
        f"{len(files) / events:.2f} files per event",
        f"event page HTML: median {statistics.median(pages) / 1e3:.1f} KB, largest {max(pages) / 1e3:.1f} KB "
        f"({len(pages):,} pages)" if pages else "no event pages",
        part("pagefind"),
        part("data"),
        "largest folders: " + ", ".join(f"{name}/ {size / 1e6:.1f} MB" for name, size in largest[:8]),
        "files by kind (files per event, files, MB):",
    ]
    for kind, (count, size) in sorted(kinds.items(), key=lambda item: (-item[1][0], item[0])):
        lines.append(f"  {kind}: {count / events:.2f} per event, {count:,} files, {size / 1e6:.1f} MB")
    if parts:
        lines += ["event page parts (median bytes):", *part_rows(event_pages(site))]
    return lines


if __name__ == "__main__":
    print("\n".join(report(Path(sys.argv[1]), int(sys.argv[2]), parts="--parts" in sys.argv[3:])))
