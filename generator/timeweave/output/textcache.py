"""Citation texts kept between builds, so that a rebuild renders only the records that changed.

Each build would otherwise render every text again (a template's fill-in, site/cslshapes.py, or
citeproc-py itself). A text depends on nothing but the style and the CSL-JSON record
(site/cslrender.py keys each text by both), and on citeproc-py and the styles themselves, which
the generator pins: the file's name carries the generator's digest (output/pagecache.py), so
another generator or another version of them never reads it. A build reads the file of its
generator and site address, renders what it lacks, and writes back the texts it used
(`texts_made`), so the file holds one site's texts and no more.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from timeweave.output.pagecache import digest, generator_digest
from timeweave.site import cslrender
from timeweave.site.cslrender import Styled

_PREFIX = "citations-"


def _file(folder: Path, site_url: str | None) -> Path:
    return folder / f"{_PREFIX}{generator_digest()[:16]}-{digest([site_url or ''])[:16]}.json"


def load_texts(folder: Path, site_url: str | None) -> None:
    """The texts an earlier build of this site with this generator rendered, handed to cslrender."""
    try:
        stored = json.loads(_file(folder, site_url).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if isinstance(stored, dict):
        cslrender.remember({key: Styled(*parts) for key, parts in stored.items()
                            if isinstance(parts, list) and len(parts) == 3})


def save_texts(folder: Path, site_url: str | None) -> None:
    """The texts this build used, for the next one, and those of earlier builds (pages taken from
    the Markdown cache used theirs without asking for them) unless this build rendered that style
    of that record again: the file holds at most one text per style and record. The files of other
    generators are removed."""
    target = _file(folder, site_url)
    folder.mkdir(parents=True, exist_ok=True)
    made = cslrender.texts_made()
    renewed = {_style_and_record(key) for key in made}
    made = {**{key: text for key, text in cslrender.texts_known().items()
               if _style_and_record(key) not in renewed}, **made}
    texts = {key: [found.before, found.italic, found.after] for key, found in sorted(made.items())}
    partial = target.with_suffix(f".{os.getpid()}.part")
    partial.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, target)  # whole or not at all, should two builds write it
    mine = _PREFIX + generator_digest()[:16]
    for other in folder.glob(_PREFIX + "*.json"):
        if not other.name.startswith(mine):
            other.unlink(missing_ok=True)


def _style_and_record(key: str) -> tuple[str, str]:
    style, _, item = key.partition("\n")  # cslrender.known_key
    try:
        found = json.loads(item)
    except ValueError:
        return style, item
    return style, str(found.get("id")) if isinstance(found, dict) else item
