"""Several names in one CSV cell come back apart exactly, whatever they contain."""

from __future__ import annotations

import pytest

from timeweave.exports.table import join_list, split_list


@pytest.mark.parametrize(
    "items",
    [
        ["Alpha Army", "Beta Leader"],
        ['=Beta; Leader, the "Great"', "plain"],
        ["back\\slash", "ends with \\", "\\;both"],
        ["one"],
    ],
)
def test_split_list_undoes_join_list(items: list[str]) -> None:
    assert split_list(join_list(items)) == items


def test_split_list_drops_empty_items_and_spaces() -> None:
    assert split_list("") == [] and split_list(" a ;; b ") == ["a", "b"]
