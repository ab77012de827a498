"""The timeline's order: by date, and where the dates cannot tell events apart, by their relations.

Sorting by (earliest, latest, id) alone put events of one month in the order of their ids, which
readers take for a sequence. Here a relation whose vocabulary term says `implies_order` (follows,
response-to) puts the event after the other: a topological order in which, among the events free
to come next, the earliest by date comes first, then the id. Dates always win: a relation that the
dates contradict (the event certainly ended before the other began) is left out of the order.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence

from timeweave.content.models import Event, Term

Day = tuple[int, int, int]  # (year, month, day): ordered in any year, BCE included (DatePoint.first)


def event_sort_key(event: Event) -> tuple[Day, Day, str]:
    earliest, latest = event.when.sort_key
    return (earliest, latest, event.id)


def _earliest(event: Event) -> Day | None:
    return event.when.start.first if event.when.start else None  # None: an open or unknown start


def _latest(event: Event) -> Day | None:
    return event.when.end.last if event.when.end else None


def certainly_before(first: Event, second: Event) -> bool:
    """True when every possible date of `first` is before every possible date of `second`."""
    end, start = _latest(first), _earliest(second)
    return end is not None and start is not None and end < start


def order_pairs(events: Sequence[Event], relations: Mapping[str, Term]) -> set[tuple[str, str]]:
    """(earlier id, later id) for each ordering relation between two of the events that the dates
    do not contradict."""
    ordering = {name for name, term in relations.items() if term.implies_order}
    by_id = {event.id: event for event in events}
    pairs: set[tuple[str, str]] = set()
    for event in events:
        for related in event.related:
            other = by_id.get(related.event)
            if (other is None or other.id == event.id or related.relation not in ordering
                    or certainly_before(event, other)):
                continue
            pairs.add((other.id, event.id))
    return pairs


def timeline_order(events: Sequence[Event], pairs: set[tuple[str, str]]) -> list[Event]:
    """The events by date, each after the events it is known (from `pairs`) to follow.

    A cycle of relations (contradictory content) is broken at its earliest event by date."""
    by_date = sorted(events, key=event_sort_key)
    waiting = {event.id: 0 for event in by_date}
    later: dict[str, list[str]] = {event.id: [] for event in by_date}
    for earlier_id, later_id in sorted(pairs):
        later[earlier_id].append(later_id)
        waiting[later_id] += 1
    by_id = {event.id: event for event in by_date}
    ready = [event_sort_key(e) for e in by_date if not waiting[e.id]]
    heapq.heapify(ready)
    placed: set[str] = set()
    result: list[Event] = []
    scan = 0
    while len(result) < len(by_date):
        if not ready:  # only a cycle is left waiting: take its earliest event
            while by_date[scan].id in placed:
                scan += 1
            ready.append(event_sort_key(by_date[scan]))
        key = heapq.heappop(ready)
        event = by_id[key[2]]
        if event.id in placed:
            continue
        placed.add(event.id)
        result.append(event)
        for later_id in later[event.id]:
            waiting[later_id] -= 1
            if waiting[later_id] == 0 and later_id not in placed:
                heapq.heappush(ready, event_sort_key(by_id[later_id]))
    return result


_NEVER_BEFORE: Day = (-(10**15), 0, 0)
_NEVER_AFTER: Day = (10**15, 13, 32)


def relations_order_some(events: Sequence[Event], pairs: set[tuple[str, str]]) -> bool:
    """True when the ordering relations (order_pairs) link two of the events."""
    ids = {event.id for event in events}
    return any(first in ids and second in ids for first, second in pairs)


def dates_overlap(events: Sequence[Event]) -> bool:
    """True when the dates of at least two of the events cannot tell which came first."""
    spans = sorted((_earliest(e) or _NEVER_BEFORE, _latest(e) or _NEVER_AFTER) for e in events)
    reach = _NEVER_BEFORE
    for index, (start, end) in enumerate(spans):
        if index and start <= reach:
            return True
        reach = max(reach, end)
    return False
