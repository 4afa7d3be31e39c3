"""The business rules as live Excel formulas and conditional formats.

The builder computes every figure; the workbook repeats the gap and status
rules as formulas (with the builder's values cached) so that a reader who
corrects a rate sees the gap and status follow.
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

from ..model import Status
from .cells import checked
from .styles import Styles

# Defined names pointing at the Paramètres sheet.
TOLERANCE_NAME = "Tolerance"
REPORT_DATE_NAME = "DateComite"


def gap_formula(target: str, actual: str) -> str:
    # Rounded like builder.points, so a gap of exactly -tolerance is Vigilance.
    return f'=IF(OR({target}="",{actual}=""),"",ROUND(({actual}-{target})*100,6))'


def status_formula(target: str, actual: str, gap: str, day: str | None = None) -> str:
    """The status rule of builder.status_for; with ``day``, later dates are « À venir »."""
    formula = (
        f'IF({actual}="","{Status.NON_RENSEIGNE.value}",'
        f'IF({target}="","{Status.SANS_CIBLE.value}",'
        f'IF({gap}>=0,"{Status.CONFORME.value}",'
        f'IF({gap}>=-{TOLERANCE_NAME},"{Status.VIGILANCE.value}","{Status.ALERTE.value}"))))'
    )
    if day is not None:
        formula = f'IF({day}>{REPORT_DATE_NAME},"{Status.A_VENIR.value}",{formula})'
    return "=" + formula


def cell(row: int, col: int) -> str:
    return str(xl_rowcol_to_cell(row, col))


def _add(worksheet: Any, first_row: int, col: int, last_row: int, options: dict[str, Any],
         last_col: int | None = None) -> None:
    last_col = col if last_col is None else last_col
    checked(worksheet.conditional_format(first_row, col, last_row, last_col, options),
            worksheet.get_name(), first_row, col)


def add_status_colours(worksheet: Any, styles: Styles, first_row: int, col: int,
                       last_row: int, last_col: int | None = None) -> None:
    """Colour status cells by their text: a rule per status, so an edited
    status (or one recomputed by its formula) takes the right colour."""
    _add_label_colours(worksheet, {s.value: f for s, f in styles.status_rules.items()},
                       first_row, col, last_row, last_col)


def add_trajectory_colours(worksheet: Any, styles: Styles, first_row: int, col: int,
                           last_row: int, last_col: int | None = None) -> None:
    """Colour trajectory cells by their text, with the status colours they echo."""
    _add_label_colours(worksheet, {t.value: f for t, f in styles.trajectory_rules.items()},
                       first_row, col, last_row, last_col)


def _add_label_colours(worksheet: Any, formats: dict[str, Any], first_row: int, col: int,
                       last_row: int, last_col: int | None) -> None:
    for label, fmt in formats.items():
        _add(worksheet, first_row, col, last_row,
             {"type": "cell", "criteria": "==", "value": f'"{label}"', "format": fmt},
             last_col)


def add_gap_colours(worksheet: Any, styles: Styles, first_row: int, col: int,
                    last_row: int) -> None:
    """Colour gaps against 0 and the tolerance. Formula rules test ISNUMBER
    because Excel ranks an empty-text gap above every number."""
    top = xl_rowcol_to_cell(first_row, col, col_abs=True)
    rules = (
        (Status.CONFORME, f"AND(ISNUMBER({top}),{top}>=0)"),
        (Status.VIGILANCE, f"AND(ISNUMBER({top}),{top}<0,{top}>=-{TOLERANCE_NAME})"),
        (Status.ALERTE, f"AND(ISNUMBER({top}),{top}<-{TOLERANCE_NAME})"),
    )
    for status, criteria in rules:
        _add(worksheet, first_row, col, last_row,
             {"type": "formula", "criteria": "=" + criteria,
              "format": styles.status_rules[status]})


def add_rate_bar(worksheet: Any, first_row: int, col: int, last_row: int, colour: str) -> None:
    """A solid data bar from 0 % to 100 % (solid bars also show in LibreOffice)."""
    _add(worksheet, first_row, col, last_row, {
        "type": "data_bar", "min_type": "num", "min_value": 0, "max_type": "num",
        "max_value": 1, "bar_solid": True, "bar_color": colour, "bar_border_color": colour,
    })

