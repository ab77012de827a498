"""Several names in one CSV cell come back apart exactly, whatever they contain."""

from __future__ import annotations

import csv
import io

import pytest

from timeweave.exports.table import csv_row, join_list, split_list


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


# A list cell such as 'Alpha; =HYPERLINK(...)' was written unquoted: a spreadsheet whose locale
# splits on ';' made a second cell of it, starting with the formula neutralize_cell never saw.
@pytest.mark.parametrize("cells", [
    ["alpha-army:initiator; beta-leader:target", "Alpha; =HYPERLINK(\"http://x\";\"y\")", "plain"],
    ['a "quoted", with comma', "line\nbreak", "cr\rhere", "", "semi;"],
    ["no special", "-1", "'=x"],
])
def test_csv_row_quotes_semicolons_and_reads_back_with_csv(cells: list[str]) -> None:
    text = csv_row(cells)
    assert text.endswith("\r\n")
    assert list(csv.reader(io.StringIO(text, newline=""))) == [cells]
    for cell in cells:
        if ";" in cell:
            assert '"' + cell.replace('"', '""') + '"' in text


def test_csv_row_is_csv_writers_minimal_quoting_without_semicolons() -> None:
    cells = ["a", 'b "c"', "d,e", "f\ng", "", " h ", "i\tj"]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    assert csv_row(cells) == buffer.getvalue()
