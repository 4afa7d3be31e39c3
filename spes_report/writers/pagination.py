"""Where printed pages break, estimated as Excel does for a sheet printed one
page wide, so that a chart is never cut in two. Pure apart from RowHeights."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .cells import checked

A4_LANDSCAPE_PT = (841.9, 595.3)  # width, height
# Margins in inches, shared with printing.set_up_page.
MARGIN_LEFT = MARGIN_RIGHT = 0.5
MARGIN_TOP, MARGIN_BOTTOM = 0.6, 0.7
DEFAULT_ROW_PT = 12.75  # Arial 10, the workbook's default font
# Share of a page kept free as a cushion: LibreOffice and Excel measure fonts
# slightly differently from this estimate.
SAFETY = 0.08


def column_pixels(width: float) -> int:
    """Screen width of a column ``width`` characters wide (7 px digits, 96 dpi)."""
    return int(width * 7 + 0.5) + 5


def page_capacity(widths: Iterable[float]) -> float:
    """How many points of rows one printed page holds once scaled to fit the width."""
    page_width, page_height = A4_LANDSCAPE_PT
    printable_width = page_width - (MARGIN_LEFT + MARGIN_RIGHT) * 72
    printable_height = page_height - (MARGIN_TOP + MARGIN_BOTTOM) * 72
    content_width = sum(column_pixels(w) for w in widths) * 0.75
    # Excel scales by whole percents, rounding down.
    scale = min(100, int(printable_width / content_width * 100)) / 100
    return printable_height / scale


class RowHeights:
    """Sets row heights on a worksheet and remembers them for pagination."""

    def __init__(self, worksheet: Any) -> None:
        self.worksheet = worksheet
        self.points: dict[int, float] = {}

    def set(self, row: int, points: float) -> None:
        self.points[row] = points
        checked(self.worksheet.set_row(row, points), self.worksheet.get_name(), row, 0)

    def __getitem__(self, row: int) -> float:
        return self.points.get(row, DEFAULT_ROW_PT)

    def row_below(self, start_row: int, pixels: float) -> int:
        """The first row below an object ``pixels`` high anchored at ``start_row``."""
        row, remaining = start_row, pixels * 0.75
        while remaining > 0:
            remaining -= self[row]
            row += 1
        return row


def fits_first_page(heights: RowHeights, last_row: int, capacity: float) -> bool:
    """Whether rows 0 to ``last_row`` print on the first page, cushion included."""
    return sum(heights[row] for row in range(last_row + 1)) <= capacity * (1 - SAFETY)


def anchor_row(heights: RowHeights, start_row: int, object_pixels: float, capacity: float,
               repeated_row: int | None = None) -> int:
    """The row, at or after ``start_row``, where an object fits on one printed page.

    Pages are filled row by row; on every page after the first the
    ``repeated_row`` (a table header) comes first. If the object does not fit
    below ``start_row``, it moves down to the top of the next page.
    """
    repeated = heights[repeated_row] if repeated_row is not None else 0.0
    y, broken = 0.0, False
    for row in range(start_row):
        if y + heights[row] <= capacity:
            y += heights[row]
        else:
            y, broken = repeated + heights[row], True
    # The real break may fall a cushion either side of the estimated one (seen: 7 %
    # below it under LibreOffice): an object starting within it could be cut.
    near_break = broken and y - repeated < capacity * SAFETY * 2
    if not near_break and y + object_pixels * 0.75 <= capacity * (1 - SAFETY):
        return start_row
    if near_break:
        # Keep a cushion under the estimated break instead.
        row = start_row
        while y < repeated + capacity * SAFETY * 2:
            y += heights[row]
            row += 1
        return row
    # Skip blank rows to the next page, then a cushion, in case the real page
    # holds a little more than estimated.
    row = start_row
    while y + heights[row] <= capacity:
        y += heights[row]
        row += 1
    y = repeated
    while y < repeated + capacity * SAFETY:
        y += heights[row]
        row += 1
    return row
