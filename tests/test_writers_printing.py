"""The printed page footer: escaped, with its page codes, within Excel's 255 characters."""

from __future__ import annotations

from spes_report.writers.printing import Page, footer_text
from spes_report.writers.sheetnames import utf16_length


def test_footer_escapes_ampersand_and_keeps_page_codes() -> None:
    footer = footer_text(Page("R&D — Comité", "Situation au 1er juin 2020"))
    assert "R&&D" in footer
    assert footer.endswith("&R&8Page &P / &N")


def test_footer_stays_within_excel_limit() -> None:
    footer = footer_text(Page("Très long titre " * 30, "1er juin 2020"))
    assert utf16_length(footer) <= 255
    # A digit right after the font-size code would change the size.
    assert "&C&8 1er juin 2020" in footer
