"""Builds small input workbooks with openpyxl, as a hand-made or re-saved file would be."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import openpyxl

DATES = (datetime(2020, 5, 11), datetime(2020, 6, 1), datetime(2020, 7, 1), datetime(2020, 9, 1))
HEADER: list[object] = [
    "N°", "Mission", *DATES, "Commentaire", "Points d'attention", "Prochaines étapes"
]


def make_input(
    path: Path,
    rows: Sequence[Sequence[object]],
    header: Sequence[object] = HEADER,
    committee_date: object = date(2020, 6, 1),
    sheet: str = "Saisie",
    header_row: int = 5,
    percent_columns: Sequence[int] = (),
    extra_sheets: Sequence[str] = (),
) -> Path:
    """Write a workbook: label in A3, date in B3, the header on ``header_row``.

    ``percent_columns`` are 1-based columns whose data cells get a percent format.
    """
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = sheet
    for name in extra_sheets:
        workbook.create_sheet(name, 0)
    worksheet["A1"] = "SPES — Saisie des taux de réalisation"
    if committee_date is not None:
        worksheet["A3"] = "Date du comité"
        worksheet["B3"] = committee_date
    for column, value in enumerate(header, start=1):
        worksheet.cell(header_row, column, value)
    for offset, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            cell = worksheet.cell(header_row + offset, column, value)
            if column in percent_columns:
                cell.number_format = "0%"
    workbook.save(path)
    return path


def mission_row(number: object, *rates: object, comment: str = "") -> list[object]:
    """A row with the four échéance columns of HEADER."""
    padded = list(rates) + [None] * (4 - len(rates))
    return [number, f"Mission {number}", *padded, comment, "", ""]
