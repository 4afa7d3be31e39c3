"""The archive's table (archive export) as an .xlsx: one sheet, filters on, ready to pivot."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime, time

import xlsxwriter

from ..model import ArchivedFigure
from .cells import checked
from .styles import FONT_NAME, FONT_SIZE, HEADER_FILL

SHEET_NAME = "Comités"
# Header, width, and how each cell is written.
COLUMNS = (
    ("Date du comité", 14), ("N° de mission", 10), ("Mission", 50), ("Échéance", 12),
    ("Cible", 10), ("Réalisé", 10), ("Écart (points)", 12), ("Statut", 14),
    ("Empreinte du plan", 20), ("Empreinte de la saisie", 20),
)


def export_xlsx_bytes(figures: Sequence[ArchivedFigure], created: date | None) -> bytes:
    """The table as a workbook; the same figures give the same bytes (``created`` fixed)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {
        "in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
        "strings_to_numbers": False,
    })
    workbook.set_properties({
        "title": "Archive des comités", "comments": "Produit par spes-report archive export",
        "created": datetime.combine(created or date(2020, 1, 1), time()),
    })
    base = {"font_name": FONT_NAME, "font_size": FONT_SIZE}
    header = workbook.add_format({**base, "bold": True, "font_color": "#FFFFFF",
                                  "bg_color": HEADER_FILL, "text_wrap": True,
                                  "valign": "vcenter"})
    day = workbook.add_format({**base, "num_format": "yyyy-mm-dd"})
    rate = workbook.add_format({**base, "num_format": "0.0 %"})
    points = workbook.add_format({**base, "num_format": "0.0"})
    text = workbook.add_format(base)
    sheet = workbook.add_worksheet(SHEET_NAME)
    for col, (name, width) in enumerate(COLUMNS):
        sheet.set_column(col, col, width)
        checked(sheet.write_string(0, col, name, header), SHEET_NAME, 0, col)
    for row, f in enumerate(figures, start=1):
        values = ((f.report_date, day), (f.mission, text), (f.title, text), (f.due, day),
                  (f.target, rate), (f.actual, rate), (f.gap_points, points),
                  (f.status.value, text), (f.plan_sha256, text), (f.input_sha256, text))
        for col, (value, style) in enumerate(values):
            if value is None:
                result = sheet.write_blank(row, col, None, style)
            elif isinstance(value, date):
                result = sheet.write_datetime(row, col, datetime.combine(value, time()), style)
            elif isinstance(value, str):
                result = sheet.write_string(row, col, value, style)
            else:
                result = sheet.write_number(row, col, value, style)
            checked(result, SHEET_NAME, row, col)
    sheet.freeze_panes(1, 0)
    checked(sheet.autofilter(0, 0, max(len(figures), 1), len(COLUMNS) - 1), SHEET_NAME, 0, 0)
    workbook.close()
    return buffer.getvalue()
