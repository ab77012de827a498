"""The one slug function: readable, distinct ASCII ids from titles in any script."""

from __future__ import annotations

import pytest

from timeweave.tools import importers, scaffold
from timeweave.tools.slug import slugify


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Rózsa Péter writes recursion", "rozsa-peter-writes-recursion"),
        ("...And the women", "and-the-women"),
        ("a" * 100, "a" * 80),
        ("x--y__z", "x-y-z"),
        ("Turkey's 'red line': 5 soldiers killed", "turkeys-red-line-5-soldiers-killed"),
        ("Россия наносит удар", "rossiya-nanosit-udar"),
        ("Российские войска", "rossiyskie-voyska"),
        ("قصف إدلب", "qsf-dlb"),
        ("هجوم على سراقب", "hjwm-la-srqb"),
        ("Türkiye'nin İdlib'deki gözlem noktası", "turkiyenin-idlibdeki-gozlem-noktasi"),
        ("Şam ile Ankara arasında çatışma", "sam-ile-ankara-arasinda-catisma"),
    ],
)
def test_ids_from_any_script(text: str, expected: str) -> None:
    assert slugify(text) == expected


def test_distinct_titles_give_distinct_ids() -> None:
    titles = ["Россия наносит удар", "قصف إدلب", "هجوم على سراقب", "Российские войска"]
    assert len({slugify(t) for t in titles}) == len(titles)


def test_no_letters_gives_the_fallback() -> None:
    assert slugify("!!! ---", "event") == "event"
    assert slugify("") == ""


def test_one_function_for_the_whole_tool() -> None:
    assert scaffold.slugify is slugify and importers.slugify is slugify
