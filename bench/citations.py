"""The APA and Chicago texts of every event of a project, rendered as a cold build renders them
(no texts known from an earlier build): the CPU time of site/citation.py's apa() and chicago().

    .venv/bin/python bench/citations.py PROJECT_DIR [--site-url URL] [--afresh]

--afresh renders every text by citeproc-py itself (cslrender.render_afresh), the reference the
shapes' templates are held to. The project's git history is read when it has one: the records
then carry `issued` and `version`, as on the site.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from timeweave.catalog.catalog import load_catalog
from timeweave.content.history import load_history
from timeweave.site import citation, cslrender
from timeweave.site.provenance import Provenance


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project", type=Path)
    parser.add_argument("--site-url", default="https://timeline.example.org/")
    parser.add_argument("--afresh", action="store_true", help="render every text by citeproc-py itself")
    args = parser.parse_args()
    project = args.project.resolve()
    catalog, _log = load_catalog(project / "content", project)
    assert catalog is not None, "the project's content is not valid"
    provenance = Provenance(catalog, "Site: a timeline", args.site_url, None, None,
                            load_history(project, [project / "content"]))
    cited = [provenance.citation_data(event) for event in catalog.events.values()]
    if args.afresh:
        def apa(d: citation.CitationData) -> object:
            return cslrender.render_afresh(citation.csl_item(d), cslrender.APA)

        def chicago(d: citation.CitationData) -> object:
            return cslrender.render_afresh(citation.csl_item(d), cslrender.CHICAGO)
    else:
        apa, chicago = citation.apa, citation.chicago
    apa(cited[0])  # the styles are parsed once per process, outside the figure
    cslrender._known.clear()
    start = time.process_time()
    for d in cited:
        apa(d)
        chicago(d)
    spent = time.process_time() - start
    dated = sum(1 for d in cited if d.updated)
    print(f"{len(cited)} events ({dated} with a version), {2 * len(cited)} texts: {spent:.2f} s CPU, "
          f"{spent / (2 * len(cited)) * 1e6:.0f} µs a text")


if __name__ == "__main__":
    main()
