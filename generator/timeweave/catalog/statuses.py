"""Statuses that follow their definitions (content/vocabulary.yml), as far as the records can show it.

`confirmed` is "stated plainly by at least two independent sources (different publishers), or by an
official statement of the party concerned". The records can show the count of publishers and the
kind of a source; whether the wording is plain, or whether a party contests it, no check can read,
so the other statuses are left to the editor.
"""

from __future__ import annotations

from timeweave.catalog.references import Checker
from timeweave.content.models import Event, Source

# Source kinds that can confirm an event on their own: the party's own record of what it said or did.
CONFIRMING_KINDS = frozenset({"official-statement"})


def independent_sources(event: Event, sources: dict[str, Source]) -> int:
    """How many different publishers the event's sources have. A source without a named publisher
    counts as its own publisher: the records cannot tie it to another one."""
    publishers: set[str] = set()
    for cited in dict.fromkeys(item.source for item in event.sources):
        source = sources.get(cited)
        publisher = (source.publisher or "").strip().casefold() if source is not None else ""
        publishers.add(f"publisher:{publisher}" if publisher else f"source:{cited}")
    return len(publishers)


def check_status(event: Event, check: Checker, sources: dict[str, Source]) -> None:
    if event.status != "confirmed":
        return
    cited = [sources[item.source] for item in event.sources if item.source in sources]
    if any(source.kind in CONFIRMING_KINDS for source in cited):
        return
    count = independent_sources(event, sources)
    if count < 2:
        check.add(event, "event", ("status",),
                  "'confirmed' needs at least two independent sources (different publishers) or an "
                  f"official statement of the party concerned; this event has {count} publisher"
                  f"{'' if count == 1 else 's'}",
                  "use 'reported' (or the status that fits the source's wording), or cite a second source "
                  "from another publisher")
