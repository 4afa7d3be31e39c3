"""plan.xlsx as ``spes-report plan init`` writes it, then edited with openpyxl as staff
edit it in Excel: the default layout has the service in B4, the header on row 7, the
missions from row 8 (M1 on row 8, M8 on row 15) and the échéances in columns G-J.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import column_index_from_string

from spes_report.model import Plan
from spes_report.plan import load_plan
from spes_report.writers.plan import write_plan

# The format plan init gives target cells: what Excel keeps when staff type 75 %.
TARGET_FORMAT = "0 %"
HEADER_ROW = 7
# Rows and columns of the default plan, as written by plan init.
ECHEANCE_COLUMNS = {date(2020, 5, 11): "G", date(2020, 6, 1): "H", date(2020, 7, 1): "I",
                    date(2020, 9, 1): "J"}
REASON_COLUMN = "K"
FIRST_FREE_ROW = 16


def mission_row(number: int) -> int:
    """The row of mission ``number`` in the default plan.xlsx (M1 on row 8)."""
    return 7 + number


def written_plan(path: Path, plan: Plan | None = None) -> Path:
    """``plan`` (the embedded one by default) written as plan init writes it."""
    write_plan(path, load_plan() if plan is None else plan, today=date(2020, 6, 1))
    return path


@contextlib.contextmanager
def editing(path: Path) -> Iterator[Any]:
    """The Plan sheet of ``path``, saved back when the block ends (as Excel would)."""
    workbook = openpyxl.load_workbook(path)
    try:
        yield workbook["Plan"]
        workbook.save(path)
    finally:
        workbook.close()


def set_target(sheet: Any, cell: str, value: object) -> None:
    """Type ``value`` into a target cell, keeping its percent format."""
    sheet[cell] = value
    sheet[cell].number_format = TARGET_FORMAT


def insert_echeance(sheet: Any, before: str, day: date, targets: dict[int, float]) -> None:
    """Insert a dated column before column ``before`` (as « Insérer » in Excel), its date in
    the header and ``targets`` (by mission number) below; the other missions stay empty."""
    column = column_index_from_string(before)
    sheet.insert_cols(column)
    sheet.cell(HEADER_ROW, column, datetime.combine(day, datetime.min.time()))
    sheet.cell(HEADER_ROW, column).number_format = "dd/mm/yyyy"
    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        number = sheet.cell(row, 1).value
        if isinstance(number, int) and number in targets:
            sheet.cell(row, column, targets[number]).number_format = TARGET_FORMAT
