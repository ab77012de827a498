"""What takes the bytes of a built site: total and per event, files per event, the event pages'
HTML (median and largest), the search bundle, data/, and the largest top-level folders.

    python bench/site_sizes.py SITE_DIR EVENTS
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path


def report(site: Path, events: int) -> list[str]:
    files = sorted(p for p in site.rglob("*") if p.is_file())
    sizes = {p.relative_to(site): p.stat().st_size for p in files}
    total = sum(sizes.values())
    pages = [size for path, size in sizes.items() if path.parts[0] == "events" and path.name == "index.html"]
    folders: dict[str, int] = {}  # top-level folder -> bytes
    for path, size in sizes.items():
        top = path.parts[0] if len(path.parts) > 1 else "(root files)"
        folders[top] = folders.get(top, 0) + size

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
    ]
    return lines


if __name__ == "__main__":
    print("\n".join(report(Path(sys.argv[1]), int(sys.argv[2]))))
