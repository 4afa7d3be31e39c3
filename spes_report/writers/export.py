"""The archive's table (archive export) as an .xlsx: one sheet, filters on, ready to pivot."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

import xlsxwriter

from ..model import ArchivedFigure
from .cells import IN_MEMORY_PLAIN_TEXT, Cells, checked
from .styles import HEADER_FILL, Styles

SHEET_NAME = "Comités"
# The table's looks, in the committee workbook's font (styles.FONT).
EXPORT_FORMATS: dict[str, dict[str, Any]] = {
    "header": {"bold": True, "font_color": "#FFFFFF", "bg_color": HEADER_FILL,
               "text_wrap": True, "valign": "vcenter"},
    "day": {"num_format": "yyyy-mm-dd"},
    "rate": {"num_format": "0.0 %"},
    "points": {"num_format": "0.0"},
    "plain": {},
}
# Header, width, and how each cell is written.
COLUMNS = (
    ("Date du comité", 14), ("N° de mission", 10), ("Mission", 50), ("Échéance", 12),
    ("Cible", 10), ("Réalisé", 10), ("Écart (points)", 12), ("Statut", 14),
    ("Empreinte du plan", 20), ("Empreinte de la saisie", 20),
)


def export_xlsx_bytes(figures: Sequence[ArchivedFigure], created: date | None) -> bytes:
    """The table as a workbook; the same figures give the same bytes (``created`` fixed)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, IN_MEMORY_PLAIN_TEXT)
    workbook.set_properties({
        "title": "Archive des comités", "comments": "Produit par spes-report archive export",
        "created": datetime.combine(created or date(2020, 1, 1), time()),
    })
    sheet = workbook.add_worksheet(SHEET_NAME)
    cells = Cells(sheet, Styles(workbook, EXPORT_FORMATS))
    for col, (name, width) in enumerate(COLUMNS):
        sheet.set_column(col, col, width)
        cells.text(0, col, name, "header")
    for row, f in enumerate(figures, start=1):
        cells.date(row, 0, f.report_date, "day")
        cells.number(row, 1, f.mission, "plain")
        # Titles come from the plan: through Cells.text, risky text stays inert.
        cells.text(row, 2, f.title, "plain")
        cells.date(row, 3, f.due, "day")
        cells.number(row, 4, f.target, "rate")
        cells.number(row, 5, f.actual, "rate")
        cells.number(row, 6, f.gap_points, "points")
        for col, text in ((7, f.status.value), (8, f.plan_sha256), (9, f.input_sha256)):
            cells.text(row, col, text, "plain")
    sheet.freeze_panes(1, 0)
    checked(sheet.autofilter(0, 0, max(len(figures), 1), len(COLUMNS) - 1), SHEET_NAME, 0, 0)
    workbook.close()
    return buffer.getvalue()
