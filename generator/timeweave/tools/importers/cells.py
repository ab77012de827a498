"""Reading spreadsheet cells, for every CSV layout: a row's stripped values, ';'-separated lists,
numbers (with a note, not an error, when a cell is not one)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from timeweave.tools.importers import ImportPlan


def getter(row: dict[str, str]) -> Callable[[str], str]:
    def get(key: str) -> str:
        return (row.get(key) or "").strip()

    return get


def split_cell(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def read_number(cell: str, where: str, plan: ImportPlan, integer: bool = False) -> Any:
    cell = cell.strip()
    if not cell:
        return None
    try:
        value = float(cell)
    except ValueError:
        plan.note(f"{where}: '{cell}' is not a number; ignored")
        return None
    if integer:
        if value != int(value) or value < 0:
            plan.note(f"{where}: '{cell}' is not a whole number; ignored")
            return None
        return int(value)
    return value
