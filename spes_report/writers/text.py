"""Text in cells: what must stay inert, what a header accepts, how many lines it takes. Pure."""

from __future__ import annotations

import math

# A cell starting with one of these is read as a formula (or a DDE payload)
# by Excel once someone edits it; a quote prefix keeps it plain text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

CHARS_PER_WIDTH = 1.2


def needs_quote_prefix(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def header_footer_text(text: str) -> str:
    """Text safe inside a header or footer, where ``&`` starts a control code."""
    return text.replace("&", "&&")


def wrapped_lines(text: str, width_chars: float) -> int:
    """How many lines ``text`` takes in a wrapped cell ``width_chars`` wide.

    ``width_chars`` is a column width (in widths of a "0" of the default
    font); 10 pt Arial fits about 1.2 to 1.3 characters of French text per
    unit. Rows are sized from this estimate, since neither Excel nor
    LibreOffice fits row heights to wrapped text when opening a file, so it
    errs on the generous side.
    """
    usable = max(width_chars * CHARS_PER_WIDTH - 1, 1)
    lines = 0
    for paragraph in text.split("\n") or [""]:
        words = paragraph.split()
        current = 0.0
        count = 1
        for word in words:
            length = len(word)
            if current and current + 1 + length > usable:
                count += 1
                current = float(length)
            else:
                current += (1 if current else 0) + length
            # A word longer than the line breaks mid-word.
            if current > usable:
                extra = math.ceil(current / usable) - 1
                count += extra
                current -= extra * usable
        lines += count
    return max(lines, 1)


def row_height(lines: int, font_size: float = 10) -> float:
    """Row height in points for ``lines`` lines of text at ``font_size``."""
    return round(lines * font_size * 1.32 + 5, 1)
