"""What the order of a list rests on where the dates of its events cannot tell it: a month's note
(the main timeline and a month's page) and a record's list's one note for all its months."""

from __future__ import annotations

from collections.abc import Sequence

from timeweave.catalog.catalog import Catalog
from timeweave.content.models import Event


def _relation_names(catalog: Catalog) -> str:
    return ", ".join(f"“{term.label}”" for term in catalog.vocabulary.relations.values() if term.implies_order)


def order_note(catalog: Catalog, month: str, label: str) -> str:
    """What the order inside a month rests on, when the dates of its events cannot tell it: asked
    of catalog.unordered_months, which compared the dates of each month's events once per build.
    A page's note thus reads nothing of the month but that (site/pageinputs.py counts on it)."""
    if month not in catalog.unordered_months:
        return ""
    if catalog.unordered_months[month]:
        names = _relation_names(catalog)
        return (f"Order within {label} is known only from the relations between events ({names}); "
                "events whose dates overlap and that no relation links are in the order of their ids, "
                "which says nothing about when they happened.")
    return (f"The dates within {label} cannot tell which of these events came first: they are in "
            "the order of their ids, which says nothing about when they happened.")


def page_order_note(catalog: Catalog, events: Sequence[Event]) -> str:
    """One note for a record's list (an actor, place, source, tag or type): the months of the list
    whose events the dates cannot order, named once above it. An event is listed on about ten such
    pages, and a note in each month of each repeated the same sentence thousands of times; the
    main timeline and the months' pages keep theirs in each month. The order is the month's
    (catalog.month_events), as in order_note."""
    labels: dict[str, str] = {}
    by_relations = False
    for event in events:
        key = event.when.month_key
        if key in labels:
            continue
        # The months the catalog found unordered (catalog.unordered_months), once for every page.
        labels[key] = event.when.month_label if key in catalog.unordered_months else ""
        by_relations = by_relations or catalog.unordered_months.get(key, False)
    months = [label for label in labels.values() if label]
    if not months:
        return ""
    where = months[0] if len(months) == 1 else ", ".join(months[:-1]) + " and " + months[-1]
    how = (f"in the order the relations between events give ({_relation_names(catalog)}), and where "
           "none does, in the order of their ids" if by_relations else "in the order of their ids")
    return (f"Within {where}, the dates cannot tell which event came first: the events are {how}, "
            "which says nothing about when they happened.")
