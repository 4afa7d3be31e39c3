"""Page setup shared by every sheet, the committee workbook's and the input
template's: A4 landscape, one page wide, a footer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .cells import checked
from .pagination import MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP
from .sheetnames import utf16_length
from .text import header_footer_text

A4 = 9
FOOTER_LIMIT = 255  # Excel ignores longer headers and footers.


@dataclass(frozen=True)
class Page:
    """What every printed page says at its foot."""

    title: str
    date_text: str = ""  # none on the input template


def set_up_page(worksheet: Any, page: Page, last_row: int, last_col: int,
                header_row: int | None = None) -> None:
    """Print ``A1`` to (``last_row``, ``last_col``) one page wide, repeating
    ``header_row`` (a table header) at the top of every page."""
    set_up_printing(worksheet, page, header_row)
    # Gridlines would look like a draft on screen and on paper.
    worksheet.hide_gridlines(2)
    checked(worksheet.print_area(0, 0, last_row, last_col), worksheet.get_name(), last_row,
            last_col)


def set_up_printing(worksheet: Any, page: Page, header_row: int | None = None) -> None:
    """Print the whole sheet one page wide, repeating ``header_row`` at the top
    of every page; gridlines are left as they are.

    The input template's sheets stop here: staff may add rows and columns,
    which a print area would leave out, and gridlines help them on screen.
    """
    worksheet.set_landscape()
    worksheet.set_paper(A4)
    worksheet.fit_to_pages(1, 0)
    worksheet.set_margins(left=MARGIN_LEFT, right=MARGIN_RIGHT, top=MARGIN_TOP,
                          bottom=MARGIN_BOTTOM)
    worksheet.center_horizontally()
    worksheet.set_footer(footer_text(page), {"margin": 0.3})
    if header_row is not None:
        checked(worksheet.repeat_rows(header_row), worksheet.get_name(), header_row, 0)


def footer_text(page: Page) -> str:
    """Title left, date centre (if any), page number right, in 8 pt; the title
    is shortened if needed to stay within Excel's footer limit."""
    title = page.title
    centre = f"&C{_section(header_footer_text(page.date_text))}" if page.date_text else ""
    while True:
        footer = (f"&L{_section(header_footer_text(title))}"
                  f"{centre}"
                  f"&R{_section('Page &P / &N')}")
        if utf16_length(footer) <= FOOTER_LIMIT or not title:
            return footer
        title = title[:-1].rstrip()


def _section(codes: str) -> str:
    # "&8" followed by a digit would read as a bigger font size ("&81er").
    return "&8" + (" " + codes if codes[:1].isdigit() else codes)
