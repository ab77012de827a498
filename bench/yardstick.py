"""The user's yardstick: a plain MkDocs + Material site of N simple event-like pages, the floor of
what the theme costs, to set beside `timeweave build` of N events.

    python bench/yardstick.py N OUT

Each page is a title, a date and type line and a 100–300-word body of a few paragraphs (the
corpus's own bodies, bench/corpus.py); the nav is small and fixed (home, an events page, about)
and the event pages are left out of it; Material's search plugin is on, as a plain Material site
has it. Deterministic: the same N gives the same files.
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

CONFIG = {
    "site_name": "A plain Material site",
    "docs_dir": "docs",
    "site_dir": "site",
    "use_directory_urls": True,
    "theme": {"name": "material", "font": False},
    "plugins": ["search"],
    "markdown_extensions": ["toc", "admonition", "tables", "footnotes"],
    "not_in_nav": "/events/*.md",
    "nav": [{"Home": "index.md"}, {"Events": "events.md"}, {"About": "about.md"}],
}


def write_project(out: Path, n: int, seed: int = 1) -> Path:
    """The site's docs/ and mkdocs.yml at out/; returns the configuration file."""
    shutil.rmtree(out, ignore_errors=True)
    docs = out / "docs"
    (docs / "events").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n\nA plain Material site of simple pages.\n", encoding="utf-8")
    (docs / "about.md").write_text("# About\n\nThe yardstick of the benchmark.\n", encoding="utf-8")
    (docs / "events.md").write_text(
        "# Events\n\n" + "".join(f"- [Event {i}](events/event-{i:05d}.md)\n" for i in range(1, n + 1)),
        encoding="utf-8",
    )
    for i in range(1, n + 1):
        rng = random.Random(f"{seed}-{i}")
        title = " ".join(corpus._sentence(rng, 4, 9))
        kind = rng.choice(sorted(corpus.EVENT_TYPES))
        text = f"# {title}\n\n**Date:** 2020-02-{rng.randint(1, 29):02d} · **Type:** {kind}\n\n"
        (docs / "events" / f"event-{i:05d}.md").write_text(text + corpus.body(rng, 100, 300) + "\n",
                                                           encoding="utf-8")
    config = out / "mkdocs.yml"
    config.write_text(yaml.safe_dump(CONFIG, sort_keys=False), encoding="utf-8")
    return config


if __name__ == "__main__":
    print(write_project(Path(sys.argv[2]), int(sys.argv[1])))
