"""Write the steering workbook: one atomic file, the sheets in the committee's order."""

from __future__ import annotations

import copy
import io
from datetime import datetime, time
from pathlib import Path
from typing import Any

import xlsxwriter

from ..files import write_atomically
from ..french import long_date
from ..model import Plan, Report
from . import history, mission, parameters, summary
from .cells import IN_MEMORY_PLAIN_TEXT
from .printing import Page
from .sheetnames import sheet_names
from .styles import FONT_NAME, FONT_SIZE, Styles
from .worksheet import worksheet_class

OPTIONS = {
    **IN_MEMORY_PLAIN_TEXT,
    # Arial rather than Calibri: LibreOffice ships a metric twin of it
    # (Liberation Sans) while Calibri is often missing there, so pages,
    # wrapped text and row heights come out the same in Excel and LibreOffice.
    "default_format_properties": {"font_name": FONT_NAME, "font_size": FONT_SIZE},
    "default_row_height": 17,  # pixels: Excel's default for Arial 10
    "default_column_width": 64,  # pixels: 8.43 characters of 7 px, as in Arial 10
}


def fresh_options() -> dict[str, Any]:
    """A copy of OPTIONS for one workbook: xlsxwriter adds keys to the default
    format dictionary it is given, which made every workbook after the first
    one of a process differ (a font scheme in styles.xml)."""
    return copy.deepcopy(OPTIONS)


def mission_sheet_names(report: Report) -> list[str]:
    """``M1 <title>`` for each mission, made valid and unique."""
    return sheet_names(
        (f"M{ms.mission.number} {ms.mission.title}" for ms in report.missions),
        taken=(summary.SHEET_NAME, history.SHEET_NAME, parameters.SHEET_NAME),
    )


def workbook_bytes(report: Report, plan: Plan) -> bytes:
    """The workbook's file content, built in memory (for the archive and its checks)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, fresh_options())
    _fill(workbook, report, plan)
    workbook.close()
    return buffer.getvalue()


def write_workbook(report: Report, plan: Plan, path: Path) -> Path:
    """Write the workbook to ``path``; on any failure ``path`` is left as it was."""
    path = Path(path)
    # Built whole in memory first: a failure while building leaves nothing on disk.
    write_atomically(path, workbook_bytes(report, plan))
    return path


def _fill(workbook: Any, report: Report, plan: Plan) -> None:
    styles = Styles(workbook)
    title = summary.report_title(report)
    page = Page(title=title,
                date_text=f"Situation au {long_date(report.report_date)}")
    _set_properties(workbook, report, title)
    parameters.define_names(workbook)

    sheet_class = worksheet_class()
    summary_sheet = workbook.add_worksheet(summary.SHEET_NAME, worksheet_class=sheet_class)
    names = mission_sheet_names(report)
    mission_sheets = [workbook.add_worksheet(name, worksheet_class=sheet_class) for name in names]
    history_sheet = workbook.add_worksheet(history.SHEET_NAME, worksheet_class=sheet_class)
    parameters_sheet = workbook.add_worksheet(parameters.SHEET_NAME, worksheet_class=sheet_class)

    summary.write_summary(workbook, summary_sheet, styles, report, plan, names, page)
    layout = summary.layout_for(report)
    for ms, sheet in zip(report.missions, mission_sheets, strict=True):
        mission.write_mission(workbook, sheet, styles, ms, summary.SHEET_NAME, page,
                              report.initial_plan_date, report.projection_rule,
                              weather=layout.weather)
    history.write_history(workbook, history_sheet, styles, report, names, page)
    parameters.write_parameters(parameters_sheet, styles, report, page)


def _set_properties(workbook: Any, report: Report, title: str) -> None:
    workbook.set_properties({
        "title": title,
        "subject": "Taux de réalisation des missions au "
                   + long_date(report.report_date),
        "author": f"Secrétariat général — {report.service}",
        "company": f"Secrétariat général — {report.service}",
        "manager": f"Secrétariat général — {report.service}",
        # Single words: LibreOffice splits keywords at spaces when it prints to PDF.
        "keywords": f"{report.service}, COPIL, pilotage, réalisation",
        "comments": f"Produit par spes-report {report.tool_version}".rstrip(),
        # A fixed date (not "now") makes the same report byte-identical.
        "created": datetime.combine(report.report_date, time()),
    })
