"""Dates: reader labels, bounds, sort order, and agreement with the reference `edtf` package."""

from __future__ import annotations

import calendar
import math
import time
from datetime import date

import pytest
from edtf import parse_edtf
from hypothesis import given, settings
from hypothesis import strategies as st

from timeweave.content.dates import DateError, EventDate, parse_date, parse_time

# -- labels -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "label"), [
    ("2020-02-10", "10 February 2020"),
    ("2020-02-10~", "about 10 February 2020"),
    ("2020-02-10?", "possibly 10 February 2020"),
    ("2020-02-10%", "possibly about 10 February 2020"),
    ("2020-02", "February 2020"),
    ("2020-02~", "about February 2020"),
    ("2020", "2020"),
    ("2020?", "possibly 2020"),
    ("2020-02-03/2020-02-05", "between 3 and 5 February 2020"),
    ("2020-01-30/2020-02-02", "between 30 January and 2 February 2020"),
    ("2019-12-30/2020-01-02", "between 30 December 2019 and 2 January 2020"),
    ("2020-01/2020-03", "between January and March 2020"),
    ("2019/2020", "between 2019 and 2020"),
    ("2020-02/2020-02-10", "between February 2020 and 10 February 2020"),
    ("2020-02-03~/2020-02-05", "between about 3 February 2020 and 5 February 2020"),
    ("2020-02-10/2020-02-10", "10 February 2020"),
    ("../2020-02-28", "until 28 February 2020"),
    ("/2020-02-28", "unknown start, until 28 February 2020"),
    ("2020-02-08/..", "from 8 February 2020 onwards"),
    ("2020-02-08/", "from 8 February 2020, end unknown"),
    ("2020-02~/..", "from about February 2020 onwards"),
])
def test_label(text: str, label: str) -> None:
    assert parse_date(text).label() == label


@pytest.mark.parametrize(("text", "fuzzy"), [
    ("2020-02-10", False), ("2020-02-10~", True), ("2020-02-10?", True), ("2020-02", True),
    ("2020", True), ("2020-02-03/2020-02-05", True), ("../2020-02-28", True),
])
def test_uncertain_dates_look_uncertain(text: str, fuzzy: bool) -> None:
    assert parse_date(text).is_fuzzy is fuzzy


def test_month_label() -> None:
    assert parse_date("2020-02-10~").month_label == "February 2020"
    assert parse_date("../2020-03-05").month_label == "March 2020"
    assert parse_date("2018").month_label == "2018 (month not known)"


# -- bounds -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "earliest", "latest"), [
    ("2020", date(2020, 1, 1), date(2020, 12, 31)),
    ("2020-02", date(2020, 2, 1), date(2020, 2, 29)),  # leap year
    ("2019-02", date(2019, 2, 1), date(2019, 2, 28)),
    ("1900-02", date(1900, 2, 1), date(1900, 2, 28)),  # not a leap year (century)
    ("2000-02", date(2000, 2, 1), date(2000, 2, 29)),  # leap year (400)
    ("2020-02-10~", date(2020, 2, 10), date(2020, 2, 10)),
    ("2020-04?", date(2020, 4, 1), date(2020, 4, 30)),
    ("2020-02-03/2020-02-05", date(2020, 2, 3), date(2020, 2, 5)),
    ("2019/2020-02", date(2019, 1, 1), date(2020, 2, 29)),
    ("../2020-02-28", None, date(2020, 2, 28)),
    ("/2020-02", None, date(2020, 2, 29)),
    ("2020-02-08/..", date(2020, 2, 8), None),
    ("2020-02-08/", date(2020, 2, 8), None),
])
def test_bounds(text: str, earliest: date | None, latest: date | None) -> None:
    when = parse_date(text)
    assert (when.earliest, when.latest) == (earliest, latest)


def test_month_key_and_year_of_an_open_start_come_from_its_end() -> None:
    when = parse_date("../2020-02-28")
    assert (when.sort_key, when.month_key, when.year) == (
        ((2020, 2, 28), (2020, 2, 28)), "2020-02", 2020)
    assert parse_date("../2020").month_key == "2020"
    assert parse_date("/2020-03").month_key == "2020-03"
    assert parse_date("2019-12-30/2020-01-02").month_key == "2019-12"
    assert parse_date("2020-02-08/..").month_key == "2020-02"


def test_precision() -> None:
    assert [parse_date(t).precision for t in ("2020", "2020-02", "2020-02-10~", "2020/2021")] == [
        "year", "month", "day", "interval"]


# -- sort order -------------------------------------------------------------------------------


def test_sort_by_earliest_then_latest() -> None:
    texts = ["2020-02-10/", "2020-02-10", "2020", "../2020-02-01", "2020-02", "2020-02-10/2020-02-12",
             "2020-02-10~", "2019-12-31/2020-01-01", "/2020-01-15"]
    ordered = sorted(texts, key=lambda t: (parse_date(t).sort_key, t))
    assert ordered == [
        "2019-12-31/2020-01-01",
        "2020",                   # 1 Jan - 31 Dec
        "/2020-01-15",            # no start: placed at its known end...
        "../2020-02-01",          # ...not before every other event
        "2020-02",                # 1 Feb - 29 Feb
        "2020-02-10",
        "2020-02-10~",            # same bounds as 2020-02-10: the id (here the text) decides
        "2020-02-10/2020-02-12",
        "2020-02-10/",            # unknown end sorts last among the same start
    ]


# -- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "message", "hint"), [
    ("2020-02-30", "day 30 does not exist in February 2020", ""),
    ("2019-02-29", "day 29 does not exist in February 2019", ""),
    ("2020-13", "month 13 does not exist", "use an interval"),
    ("2020-21", "month 21 does not exist", "seasons"),
    ("-0000", "-0000 is not a year", "1 BCE"),
    ("2020-02-05/2020-02-03", "the interval ends before it starts", ""),
    ("../..", "an interval needs at least one known end", ""),
    ("/", "an interval needs at least one known end", ""),
    ("2020/2021/2022", "more than one '/'", ""),
    ("", "empty date", ""),
    ("10.02.2020", "not an EDTF date", "write dates as YYYY-MM-DD"),
    ("10 February 2020", "not an EDTF date", "no spaces"),
    ("2020-2-10", "not an EDTF date", "use YYYY, YYYY-MM or YYYY-MM-DD"),
    ("2020-XX", "not an EDTF date", ""),
    ("2020-02-10T14:30", "not an EDTF date", ""),
])
def test_invalid(text: str, message: str, hint: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(text)
    assert message in caught.value.message
    assert hint in caught.value.hint


@pytest.mark.parametrize("value", [2020, 20.5, None, ["2020"], True])
def test_non_text_raises_date_error(value: object) -> None:
    with pytest.raises(DateError):
        parse_date(value)  # type: ignore[arg-type]


def test_time() -> None:
    assert parse_time("14:30") == "14:30"
    assert parse_time("00:00") == "00:00"
    for bad in ("24:00", "9:30", "14:60", "14:30:00", "2pm", 870, None):
        with pytest.raises(DateError):
            parse_time(bad)


# Arabic-Indic, extended Arabic-Indic and full-width digits: \d took them, int() read them, and the
# page published the date as written. A newline before a '/' passed the '$' of the pattern.
@pytest.mark.parametrize("text", ["\u0662\u0660\u0662\u0660-02-10", "2020-\u06f0\u06f2", "\uff12\uff10\uff12\uff10",
                                  "2020-02-10/2020-02-\uff11\uff12", "2020\n/2021"])
def test_dates_take_ascii_digits_only(text: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(text)
    assert "not an EDTF date" in caught.value.message
    if text != "2020\n/2021":
        assert caught.value.hint == "write the digits as ASCII 0-9, e.g. 2020-02-10"


@pytest.mark.parametrize("text", ["\u0661\u0664:\u0663\u0660", "\uff11\uff14:30", "14:30\n"])
def test_times_take_ascii_digits_only(text: str) -> None:
    with pytest.raises(DateError):
        parse_time(text)


# -- the reference implementation ----------------------------------------------------------------


def edtf_bounds(text: str) -> tuple[date | None, date | None]:
    """edtf's strict bounds as dates; None for an infinite ('..') end."""
    parsed = parse_edtf(text)
    result: list[date | None] = []
    for bound in (parsed.lower_strict(), parsed.upper_strict()):
        if isinstance(bound, float) and math.isinf(bound):
            result.append(None)
        elif not 1 <= bound.tm_year <= 9999:  # edtf's guess for an unknown end, beyond the calendar
            result.append(None)
        else:
            assert isinstance(bound, time.struct_time)
            result.append(date(bound.tm_year, bound.tm_mon, bound.tm_mday))
    return result[0], result[1]


def assert_agrees_with_edtf(text: str, bounds: tuple[date | None, date | None] | None = None) -> None:
    ours: EventDate = parse_date(text)
    lower, upper = bounds or edtf_bounds(text)
    left, _, right = text.partition("/")
    # edtf guesses a range for an unknown ('') end; we keep it unknown, so compare only known ends.
    if "/" in text and left == "":
        assert ours.earliest is None
    else:
        assert ours.earliest == lower, text
    if "/" in text and right == "":
        assert ours.latest is None
    else:
        assert ours.latest == upper, text


ORACLE_STRINGS = [
    "2020", "2020-02", "2020-02-10", "1999-12-31", "0001", "0001-01-01", "9999-12-31", "2020-02-29",
    "2020~", "2020?", "2020%", "2020-02~", "2020-02?", "2020-02%", "2020-02-10~", "2020-02-10?",
    "2020-02-10%", "2020-02-03/2020-02-05", "2020-02/2020-03", "2019/2020", "2019/2020-02-10",
    "2020-02-03~/2020-02-05?", "2020-02-10/2020-02-10", "../2020-02-28", "2020-02-08/..",
    "/2020-02-28", "2020-02-08/", "../2020", "2020~/..", "2018-09-17/2020-03-05%",
]


@pytest.mark.parametrize("text", ORACLE_STRINGS)
def test_bounds_agree_with_edtf(text: str) -> None:
    assert_agrees_with_edtf(text)


@pytest.mark.parametrize("text", [
    "2020-02-30", "2020-00", "2020-13", "2020-02-00", "/", "20200210", "2020/02/10", "2020-2", "1-01-01",
    "02020", "2020-02-10 14:30", "10.02.2020",
])
def test_both_refuse(text: str) -> None:
    with pytest.raises(DateError):
        parse_date(text)
    with pytest.raises(Exception):  # noqa: B017 - edtf raises several exception types
        parse_edtf(text)


@pytest.mark.parametrize(("text", "why"), [
    ("2020-02-05/2020-02-03", "an interval ending before it starts is a typo"),
    ("2020-21", "seasons are level 1 EDTF we do not publish"),
    ("2020-XX", "unspecified digits: write an interval"),
    ("2020-?02", "qualifiers inside a date are level 2"),
    ("[2019, 2020]", "sets are level 2"),
])
def test_deliberately_narrower_than_edtf(text: str, why: str) -> None:
    parse_edtf(text)  # valid EDTF...
    with pytest.raises(DateError):  # ...that this site refuses
        parse_date(text)


# Strategies for the EDTF subset we publish: level 0 dates and level 1 qualifiers and open ends.
QUALIFIERS = st.sampled_from(["", "~", "?", "%"])


@st.composite
def points(draw: st.DrawFn) -> str:
    year = draw(st.integers(1, 9999))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    text = f"{year:04d}"
    if precision != "year":
        month = draw(st.integers(1, 12))
        text += f"-{month:02d}"
        if precision == "day":
            text += f"-{draw(st.integers(1, calendar.monthrange(year, month)[1])):02d}"
    return text + draw(QUALIFIERS)


@st.composite
def edtf_strings(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return draw(points())
    start = draw(st.one_of(points(), st.sampled_from(["", ".."])))
    end = draw(points() if start in ("", "..") else st.one_of(points(), st.sampled_from(["", ".."])))
    return f"{start}/{end}"


# edtf takes ~20 ms a parse: 150 generated strings (plus the fixed ones above) keep this under 5 s.
@settings(max_examples=150, deadline=None)
@given(edtf_strings())
def test_generated_edtf_agrees_with_edtf(text: str) -> None:
    lower, upper = edtf_bounds(text)
    if lower is not None and upper is not None and lower > upper:  # edtf accepts a reversed interval
        with pytest.raises(DateError, match="ends before it starts"):
            parse_date(text)
        return
    assert_agrees_with_edtf(text, (lower, upper))
    assert parse_date(text).text == text


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet="0123456789-/~?%.X: "), edtf_strings().map(lambda s: s[:-1])))
def test_any_text_parses_or_raises_date_error(text: str) -> None:
    try:
        parsed = parse_date(text)
    except DateError as exc:
        assert exc.message
        return
    assert parsed.label()
    assert parsed.sort_key[0] <= parsed.sort_key[1]


@pytest.mark.parametrize(("text", "label", "month_key", "year"), [
    ("-0500", "501 BCE", "-0500", -500),  # EDTF years are astronomical: 0000 is 1 BCE
    ("0000", "1 BCE", "0000", 0),
    ("-0044-03-15", "15 March 45 BCE", "-0044-03", -44),
    ("-0500~", "about 501 BCE", "-0500", -500),
    ("Y-13800000000", "13,800,000,001 BCE", "Y-13800000000", -13800000000),
    ("Y170002", "170,002", "Y170002", 170002),
    ("0668", "668", "0668", 668),
])
def test_bce_and_long_years(text: str, label: str, month_key: str, year: int) -> None:
    when = parse_date(text)
    assert (when.label(), when.month_key, when.year) == (label, month_key, year)
    assert parse_date(when.month_key).month_key == month_key  # a month key is itself a date
    assert when.representable == (1 <= year <= 9999)
    # No `date` can hold these years: bounds are None rather than a wrong day.
    assert (when.earliest is None) == (not when.representable)
    parse_edtf(text)  # the reference parser agrees that it is EDTF


def test_bce_dates_sort_before_common_era_ones() -> None:
    texts = ["2020-02", "-0044-03-15", "Y-13800000000", "0668", "-0500/-0400", "-0500", "0001", "0000"]
    ordered = sorted(texts, key=lambda t: parse_date(t).sort_key)
    assert ordered == ["Y-13800000000", "-0500", "-0500/-0400", "-0044-03-15", "0000", "0001", "0668", "2020-02"]


def test_bce_interval_and_days() -> None:
    assert parse_date("-0500/-0400").label() == "between 501 BCE and 401 BCE"
    parse_date("-0004-02-29")  # -0004 (5 BCE) is a leap year in the proleptic Gregorian calendar
    with pytest.raises(DateError):
        parse_date("-0003-02-29")
    with pytest.raises(DateError, match="ends before it starts"):
        parse_date("-0400/-0500")
