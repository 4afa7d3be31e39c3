"""Cell writing for one worksheet that never fails silently and keeps text inert."""

from __future__ import annotations

from datetime import date
from typing import Any

from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell

from ..french import DASH
from ..problems import ToolError
from .styles import Styles
from .text import needs_quote_prefix

# Options of every workbook the tool writes: built in memory (no temporary file outside
# the target folder), and text stays text whatever it looks like — no formula, link or
# number guessed from what staff typed.
IN_MEMORY_PLAIN_TEXT: dict[str, Any] = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


class WorkbookWriteError(ToolError):
    """xlsxwriter refused a cell: ``place`` (``Synthèse!B3``) and its return ``code``."""

    def __init__(self, place: str, code: int) -> None:
        self.place = place
        self.code = code
        super().__init__(f"xlsxwriter refused {place} (code {code})")


def checked(result: int | None, sheet: str, row: int, col: int) -> None:
    """Raise if an xlsxwriter call returned an error code (it returns -1, -2… instead of
    raising: a cell off the sheet, a text over 32,767 characters…)."""
    if result is not None and result < 0:
        raise WorkbookWriteError(f"{sheet}!{xl_rowcol_to_cell(row, col)}", result)


def internal_link(sheet: str, cell: str = "A1") -> str:
    """A link to a cell of another sheet of the same workbook."""
    return f"internal:{quote_sheetname(sheet)}!{cell}"


def excel_serial(day: date) -> int:
    """The day as Excel stores dates (1900 system), for chart axis bounds."""
    return (day - date(1899, 12, 30)).days


class Cells:
    """Writes the cells of one worksheet with the workbook's named styles.

    Every value coming from the input or the plan goes through
    ``text``: it is always a string cell, never a formula or a link.
    """

    def __init__(self, worksheet: Any, styles: Styles) -> None:
        self.sheet = worksheet
        self.styles = styles
        self.name: str = worksheet.get_name()

    def _style(self, style: str, value: str = "") -> Any:
        return self.styles.quoted(style) if needs_quote_prefix(value) else self.styles[style]

    def text(self, row: int, col: int, value: str, style: str) -> None:
        checked(self.sheet.write_string(row, col, value, self._style(style, value)),
                self.name, row, col)

    def merged_text(self, row: int, first_col: int, last_col: int, value: str,
                    style: str) -> None:
        """``value`` across columns ``first_col`` to ``last_col`` of one row."""
        checked(self.sheet.merge_range(row, first_col, row, last_col, "",
                                       self._style(style, value)), self.name, row, first_col)
        # merge_range writes through write(), which may guess a type: write
        # the text itself as a string.
        self.text(row, first_col, value, style)

    def number(self, row: int, col: int, value: float | None, style: str) -> None:
        if value is None:
            self.blank(row, col, style)
        else:
            checked(self.sheet.write_number(row, col, value, self.styles[style]),
                    self.name, row, col)

    def date(self, row: int, col: int, value: date | None, style: str) -> None:
        if value is None:
            self.text(row, col, DASH, style)
        else:
            checked(self.sheet.write_number(row, col, excel_serial(value), self.styles[style]),
                    self.name, row, col)

    def formula(self, row: int, col: int, formula: str, cached: float | str | None,
                style: str) -> None:
        """A formula with the value the builder computed, so readers that do
        not recalculate (viewers, openpyxl) still see the right figure."""
        value = "" if cached is None else cached
        checked(self.sheet.write_formula(row, col, formula, self.styles[style], value),
                self.name, row, col)

    def blank(self, row: int, col: int, style: str) -> None:
        checked(self.sheet.write_blank(row, col, None, self.styles[style]), self.name, row, col)

    def link(self, row: int, col: int, sheet: str, shown: str, style: str) -> None:
        """An internal link; ``sheet`` is always one of our own sheet names."""
        checked(self.sheet.write_url(row, col, internal_link(sheet), self.styles[style],
                                     shown), self.name, row, col)
