"""Event-handler attributes in a body's tags, found in one pass (policy.py refuses them).

A pattern '<[^>]*?' followed by an attribute scans to the end of the body from every '<' that has
no '>' after it; this finds the same attributes with the positions of '<' and '>' looked up by
bisection instead (tests/content/test_bounded_work.py compares the two).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

# An attribute that runs code or styles the page, wherever it may stand in a tag.
ATTR_CANDIDATE = re.compile(r"""[\s/"'](on[a-z]+|style)\s*=""", re.I)



def event_attributes(body: str) -> Iterator[tuple[int, str]]:
    """Handlers in tags, as '<[^>]*?' + ATTR_CANDIDATE found them but for its scan to the end from
    each '<' with no '>' after it: one counts when the nearest '<' or '>' before it is a '<' that
    comes after the previous match."""
    opens = [m.start() for m in re.finditer("<", body)]
    closes = [m.start() for m in re.finditer(">", body)]
    resume = 0
    for match in ATTR_CANDIDATE.finditer(body):
        index = bisect.bisect_left(opens, match.start()) - 1
        if index < 0 or opens[index] < resume:
            continue
        before = bisect.bisect_left(closes, match.start()) - 1
        if before >= 0 and closes[before] > opens[index]:
            continue
        resume = match.end()
        yield match.start(1), match.group(1)


