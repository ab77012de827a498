"""Uncertain dates: a fast parser for the EDTF subset the content uses, bounds and reader labels.

The `edtf` package is the reference implementation, but its pyparsing grammar is far too slow to
parse every date of a large timeline. This module parses the subset we publish (EDTF level 0 and the
level 1 qualifiers and open/unknown interval ends) in microseconds; tests check it against `edtf`.

Years are EDTF's: astronomical, so 0000 is 1 BCE and -0500 is 501 BCE, and a year of more than four
digits takes the prefix Y (Y-13800000000, year precision only). Python's `date` holds only the years
1-9999: order and bounds are compared as (year, month, day) numbers, `earliest`/`latest` are None for
a point outside those years, and `representable` tells exporters whether a format that needs a
calendar day in 1-9999 (iCalendar, Atom, ISO days in CSV) can hold the date at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]

# ASCII: without it \d takes Arabic-Indic or full-width digits, which int() reads and pages would publish
# as written; \Z, not $, which accepts a trailing newline.
_POINT = re.compile(r"(?:(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?|Y(-?[1-9]\d{4,}))([~?%])?\Z", re.ASCII)
MIN_YEAR, MAX_YEAR = 1, 9999  # what datetime.date, and the formats built on it, can hold
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d\Z", re.ASCII)


class DateError(ValueError):
    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass(frozen=True)
class DatePoint:
    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False
    uncertain: bool = False

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def representable(self) -> bool:
        """True when the point is a calendar day, month or year of 1-9999 (a `date` can hold it)."""
        return MIN_YEAR <= self.year <= MAX_YEAR

    @property
    def first(self) -> tuple[int, int, int]:
        """(year, month, day) of the earliest possible day: ordered like dates, in any year."""
        return (self.year, self.month or 1, self.day or 1)

    @property
    def last(self) -> tuple[int, int, int]:
        month = self.month or 12
        return (self.year, month, self.day or days_in_month(self.year, month))

    @property
    def earliest(self) -> date:
        """Only for a representable point (check `representable`): `date` has no other years."""
        return date(*self.first)

    @property
    def latest(self) -> date:
        return date(*self.last)

    def iso(self) -> str:
        if not -9999 <= self.year <= 9999:
            return f"Y{self.year}"
        text = f"-{-self.year:04d}" if self.year < 0 else f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
            if self.day:
                text += f"-{self.day:02d}"
        return text

    @property
    def year_label(self) -> str:
        """The year as readers write it: 2020, 501 BCE (EDTF -0500), 13,800,000,001 BCE."""
        if self.year >= 1:
            return f"{self.year:,}" if self.year > MAX_YEAR else str(self.year)
        bce = 1 - self.year
        return f"{bce:,} BCE" if bce > MAX_YEAR else f"{bce} BCE"

    def plain_label(self) -> str:
        if self.day:
            return f"{self.day} {MONTHS[self.month - 1]} {self.year_label}"  # type: ignore[operator]
        if self.month:
            return f"{MONTHS[self.month - 1]} {self.year_label}"
        return self.year_label

    def label(self) -> str:
        text = self.plain_label()
        if self.approximate:
            text = f"about {text}"
        if self.uncertain:
            text = f"possibly {text}"
        return text

    @property
    def qualified(self) -> bool:
        return self.approximate or self.uncertain


@dataclass(frozen=True)
class EventDate:
    """A parsed EDTF value: a single point or an interval whose ends may be open ('..') or unknown ('')."""

    text: str
    start: DatePoint | None
    end: DatePoint | None
    interval: bool = False
    start_open: bool = False
    end_open: bool = False

    @property
    def earliest(self) -> date | None:
        """The earliest possible day; None for an open or unknown start, or one outside 1-9999."""
        return self.start.earliest if self.start and self.start.representable else None

    @property
    def latest(self) -> date | None:
        return self.end.latest if self.end and self.end.representable else None

    @property
    def representable(self) -> bool:
        """True when every known end lies in the years 1-9999. Exports whose format needs such a
        day (iCalendar, Atom, datetime columns) leave the other events out and say so."""
        return all(p.representable for p in (self.start, self.end) if p)

    @property
    def precision(self) -> str:
        """day, month or year for a single point; interval for a range."""
        return "interval" if self.interval else self.start.precision  # type: ignore[union-attr]

    @property
    def approximate(self) -> bool:
        return any(p.approximate for p in (self.start, self.end) if p)

    @property
    def uncertain(self) -> bool:
        return any(p.uncertain for p in (self.start, self.end) if p)

    @property
    def is_fuzzy(self) -> bool:
        """True when a reader should see that the date is not one exact day."""
        return self.interval or self.approximate or self.uncertain or self.precision != "day"

    @property
    def sort_key(self) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
        # An open or unknown start has no earliest possible day: it is placed at the earliest day of
        # its known end ('../2020-02' with February 2020), the month_key's anchor, so order, pages and
        # month headings agree. With date.min it sorted before every other event, years from its month.
        # Compared as (year, month, day) numbers, so BCE and cosmological years sort too.
        return ((self.start or self._anchor).first, self.end.last if self.end else _LAST)

    @property
    def _anchor(self) -> DatePoint:
        return self.start or self.end  # type: ignore[return-value]

    @cached_property  # parsed dates are shared (_parse_date), and every list groups by it
    def month_key(self) -> str:
        """The timeline group: YYYY-MM of the earliest possible day (the latest for an open start),
        or just YYYY when only the year is known, so a year-only date is not filed under January."""
        anchor = self._anchor
        year = DatePoint(anchor.year).iso()  # -0500, Y-13800000000: as the date is written
        if anchor.precision == "year":
            return year
        return f"{year}-{anchor.month:02d}"

    @property
    def month_label(self) -> str:
        anchor = self._anchor
        if anchor.precision == "year":
            return f"{anchor.year_label} (month not known)"
        return f"{MONTHS[anchor.month - 1]} {anchor.year_label}"  # type: ignore[operator]

    @property
    def year(self) -> int:
        return self._anchor.year

    def label(self) -> str:
        if not self.interval:
            return self.start.label()  # type: ignore[union-attr]
        start, end = self.start, self.end
        if start is None:
            assert end is not None
            return f"until {end.label()}" if self.start_open else f"unknown start, until {end.label()}"
        if end is None:
            return f"from {start.label()} onwards" if self.end_open else f"from {start.label()}, end unknown"
        if start == end:  # '2020-02-10/2020-02-10' is one day, not "between 10 and 10 February"
            return start.label()
        if not start.qualified and not end.qualified and start.precision == end.precision:
            if start.precision == "day" and start.year == end.year:
                if start.month == end.month:
                    return f"between {start.day} and {end.plain_label()}"
                return f"between {start.day} {MONTHS[start.month - 1]} and {end.plain_label()}"  # type: ignore[operator]
            if start.precision == "month" and start.year == end.year:
                return f"between {MONTHS[start.month - 1]} and {end.plain_label()}"  # type: ignore[operator]
        return f"between {start.label()} and {end.label()}"


def _parse_point(text: str, whole: str) -> DatePoint:
    match = _POINT.match(text)
    if not match:
        raise DateError(f"'{whole}' is not an EDTF date this site understands",
                        _hint_for(whole))
    year, month, day, long_year, qualifier = match.groups()
    y = int(year if year is not None else long_year)
    if year == "-0000":
        raise DateError(f"'{whole}': -0000 is not a year", "year 0000 is 1 BCE; -0001 is 2 BCE")
    m = int(month) if month else None
    if m is not None and not 1 <= m <= 12:
        raise DateError(f"'{whole}': month {m} does not exist",
                        "seasons (21-24) and unspecified digits (X) are not supported; use an interval")
    d = int(day) if day else None
    if d is not None:
        last = days_in_month(y, m)  # type: ignore[arg-type]
        if not 1 <= d <= last:
            raise DateError(f"'{whole}': day {d} does not exist in {MONTHS[m - 1]} {y}")  # type: ignore[operator]
    return DatePoint(y, m, d, approximate=qualifier in ("~", "%"), uncertain=qualifier in ("?", "%"))


def days_in_month(year: int, month: int) -> int:
    # calendar.monthrange builds a date, so it fails outside 1-9999; the proleptic Gregorian rule
    # (ISO 8601, EDTF) holds for every year, astronomical year 0 being a leap year.
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return _DAYS[month]


_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_LAST = (10**30, 12, 31)  # after any day: the sort key's end for an open or unknown end


def _hint_for(text: str) -> str:
    if re.match(r"^\d{1,2}[./]\d{1,2}[./]\d{4}$", text, re.ASCII):
        return "write dates as YYYY-MM-DD, e.g. 2020-02-10"
    if any(char.isdigit() and not char.isascii() for char in text):
        return "write the digits as ASCII 0-9, e.g. 2020-02-10"
    if re.search(r"\s", text):
        return "no spaces: e.g. 2020-02-10, 2020-02~, 2020-02-03/2020-02-05"
    return ("use YYYY, YYYY-MM or YYYY-MM-DD (-YYYY before year 0000, which is 1 BCE; Y and the "
            "number for longer years, e.g. Y-13800000000), optionally followed by ~ (approximate), "
            "? (uncertain) or % (both), or an interval A/B where an end may be '..' (open) or empty "
            "(unknown)")


def parse_date(text: str) -> EventDate:
    """Parse an EDTF string; raises DateError with a reader-friendly message and hint."""
    # Checked before the cache: an unhashable value (a YAML list) would make lru_cache raise TypeError.
    if not isinstance(text, str):
        raise DateError(f"expected an EDTF date as text, got {type(text).__name__}",
                        "put the date in quotes, e.g. date: '2020-02-10'")
    return _parse_date(text)


@lru_cache(maxsize=16384)
def _parse_date(text: str) -> EventDate:
    text = text.strip()
    if not text:
        raise DateError("empty date", _hint_for(text))
    if "/" not in text:
        point = _parse_point(text, text)
        return EventDate(text, point, point)
    if text.count("/") != 1:
        raise DateError(f"'{text}' has more than one '/'", _hint_for(text))
    left, right = text.split("/")
    start = None if left in ("", "..") else _parse_point(left, text)
    end = None if right in ("", "..") else _parse_point(right, text)
    if start is None and end is None:
        raise DateError(f"'{text}': an interval needs at least one known end")
    if start and end and start.first > end.last:
        raise DateError(f"'{text}': the interval ends before it starts")
    return EventDate(text, start, end, interval=True, start_open=left == "..", end_open=right == "..")


def parse_time(text: object) -> str:
    """A local time of day as HH:MM (24-hour)."""
    if not isinstance(text, str) or not _TIME.match(text):
        raise DateError(f"time {text!r} is not HH:MM", "write a 24-hour time in quotes, e.g. time: '14:30'")
    return text
