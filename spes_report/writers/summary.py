"""The Synthèse sheet: key figures, one row per mission, and a chart."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from xlsxwriter.utility import xl_range_abs

from .. import french
from ..french import DASH
from ..model import SUMMARY_STATUSES, Exclusion, MissionStatus, Plan, Report, Status
from .cells import Cells, checked
from .history import SHEET_NAME as HISTORY_SHEET
from .pagination import RowHeights, anchor_row, column_pixels, page_capacity
from .printing import Page, set_up_page
from .rules import (
    TOLERANCE_NAME,
    add_gap_colours,
    add_rate_bar,
    add_status_colours,
    cell,
    gap_formula,
    status_formula,
)
from .styles import ACTUAL_COLOUR, DATA_BAR, NAVY, TARGET_COLOUR, Styles, chart_font, percent_axis
from .text import row_height, wrapped_lines

SHEET_NAME = "Synthèse"

# Column: (header, width in characters). Widths make the page about 165
# characters wide, which A4 landscape prints at a readable 85 %.
COLUMNS = (
    ("N°", 7),
    ("Mission", 44),
    ("Échéance de référence", 13),
    ("Cible", 10),
    ("Réalisé", 10),
    ("Écart (pts)", 10),
    ("Tendance", 13),
    ("Statut", 14),
    ("Commentaire", 44),
)
NUMBER, MISSION, MILESTONE, TARGET, ACTUAL, GAP, TREND, STATUS, COMMENT = range(len(COLUMNS))
LAST_COL = len(COLUMNS) - 1

TITLE_ROW, SUBTITLE_ROW = 0, 1
KEY_LABEL_ROW, KEY_VALUE_ROW = 3, 4
HEADER_ROW = 6
FIRST_ROW = HEADER_ROW + 1

NOTE = "Entre deux échéances, la cible est calculée au prorata des jours (interpolation linéaire)."
TREND_NOTE = "Tendance : évolution du réalisé depuis la mesure précédente, en points."
CHART_TITLE = "Cible et réalisé par mission"
# Pixels. Under the table when it fits on the page; otherwise the chart has
# a page of its own and gets bigger.
CHART_SIZE = (960, 340)
CHART_SIZE_OWN_PAGE = (1100, 440)


def trend_note(report: Report) -> str:
    """What the Tendance column compares with: the last archived committee if any."""
    previous = report.previous_committee
    if previous is None:
        return TREND_NOTE
    return ("Tendance : évolution du réalisé depuis le comité du "
            f"{french.long_date(previous.report_date)}, en points.")


def stale_actuals_note(report: Report) -> str | None:
    """Missions whose latest figure predates the échéance they are compared with.

    Their Réalisé is the last one reported, which may be old news: the
    committee should see so next to the table.
    """
    stale = [
        f"M{ms.mission.number} ({french.short_date(ms.actual_date)})"
        for ms in report.missions
        if ms.actual_date is not None and ms.reference_milestone is not None
        and ms.actual_date < ms.reference_milestone
    ]
    if not stale:
        return None
    label = french.plural(len(stale), "la mission", "les missions")
    return (f"Réalisé mesuré avant l'échéance de référence pour {label} "
            f"{', '.join(stale)} : c'est le dernier taux saisi.")


def corrections_note(report: Report) -> str:
    count = len(report.corrections)
    shown = french.plural(count, "déjà présentée", "déjà présentées")
    values = f"{french.count(count, 'valeur')} {shown}"
    changed = french.plural(count, "a été modifiée", "ont été modifiées")
    return (f"Attention : {values} à un comité précédent {changed} dans le fichier de "
            f"saisie (voir la feuille {HISTORY_SHEET}).")


EXCLUSION_WORDS = {
    Exclusion.EDITED: "modifié à la main depuis son archivage",
    Exclusion.UNREADABLE: "fiche illisible",
}


def excluded_note(report: Report) -> str | None:
    """The archived committees the history leaves out, so that the committee knows."""
    if not report.excluded:
        return None
    months = [f"{e.month} ({EXCLUSION_WORDS[e.reason]})" for e in report.excluded]
    label = french.plural(len(months), "comité archivé exclu", "comités archivés exclus")
    return (f"Attention : {label} de l'historique et de la tendance : {', '.join(months)}. "
            "Vérifiez l'archive avec « spes-report archive verify ».")


def report_title(report: Report) -> str:
    return f"{report.service} — Comité de pilotage du {french.long_date(report.report_date)}"


def shown_statuses(report: Report) -> list[Status]:
    """The statuses counted in the key figures; « Sans cible » only when it occurs."""
    return [s for s in SUMMARY_STATUSES if s is not Status.SANS_CIBLE or report.count(s) > 0]


def write_summary(workbook: Any, worksheet: Any, styles: Styles, report: Report,
                  plan: Plan, mission_sheets: Sequence[str], page: Page) -> None:
    """Fill ``worksheet``; ``mission_sheets`` are the sheet names, in report order."""
    cells = Cells(worksheet, styles)
    heights = RowHeights(worksheet)
    for col, (_, width) in enumerate(COLUMNS):
        worksheet.set_column(col, col, width)

    cells.merged_text(TITLE_ROW, 0, LAST_COL, report_title(report), "title")
    heights.set(TITLE_ROW, 26)
    subtitle = f"Taux de réalisation des missions au {french.long_date(report.report_date)}"
    if plan.title:
        subtitle = f"{plan.title} — {subtitle[0].lower()}{subtitle[1:]}"
    cells.merged_text(SUBTITLE_ROW, 0, LAST_COL, subtitle, "subtitle")
    heights.set(2, 8)

    last_row = FIRST_ROW + len(report.missions) - 1
    _write_key_figures(cells, styles, heights, report, last_row)
    _write_table(cells, styles, heights, report, mission_sheets)

    note_row = last_row + 2
    cells.text(note_row, 0, NOTE, "note")
    cells.text(note_row + 1, 0, trend_note(report), "note")
    next_row = note_row + 2
    stale = stale_actuals_note(report)
    if stale is not None:
        cells.text(next_row, 0, stale, "note")
        next_row += 1
    if report.corrections:
        # Figures already shown have changed: the committee must hear of it.
        cells.link(next_row, 0, HISTORY_SHEET, corrections_note(report), "link")
        next_row += 1
    excluded = excluded_note(report)
    if excluded is not None:
        cells.text(next_row, 0, excluded, "note")
        next_row += 1
    chart_start = next_row + 1
    capacity = page_capacity(width for _, width in COLUMNS)
    chart_row = anchor_row(heights, chart_start, CHART_SIZE[1], capacity, HEADER_ROW)
    size = CHART_SIZE if chart_row == chart_start else CHART_SIZE_OWN_PAGE
    _insert_chart(workbook, worksheet, chart_row, last_row, size)

    worksheet.freeze_panes(FIRST_ROW, 0)
    set_up_page(worksheet, page, heights.row_below(chart_row, size[1]), LAST_COL,
                header_row=HEADER_ROW)
    worksheet.activate()


def _write_key_figures(cells: Cells, styles: Styles, heights: RowHeights, report: Report,
                       last_row: int) -> None:
    actual_range = f"{cell(FIRST_ROW, ACTUAL)}:{cell(last_row, ACTUAL)}"
    status_range = xl_range_abs(FIRST_ROW, STATUS, last_row, STATUS)

    cells.text(KEY_LABEL_ROW, MISSION, "Missions suivies", "key_label")
    cells.formula(KEY_LABEL_ROW, MILESTONE,
                  f"=COUNTA({cell(FIRST_ROW, MISSION)}:{cell(last_row, MISSION)})",
                  len(report.missions), "key_count")
    cells.text(KEY_VALUE_ROW, MISSION, "Taux moyen de réalisation", "key_label")
    cells.formula(KEY_VALUE_ROW, MILESTONE,
                  f'=IF(COUNT({actual_range})=0,"",AVERAGE({actual_range}))',
                  report.average_actual, "key_percent")

    statuses = shown_statuses(report)
    for offset, status in enumerate(statuses):
        col = TARGET + offset
        cells.text(KEY_LABEL_ROW, col, status.value, "key_status")
        # Counting by the label cell keeps label and count in step.
        cells.formula(KEY_VALUE_ROW, col,
                      f"=COUNTIF({status_range},{cell(KEY_LABEL_ROW, col)})",
                      report.count(status), "key_count")
    add_status_colours(cells.sheet, styles, KEY_LABEL_ROW, TARGET, KEY_LABEL_ROW,
                       TARGET + len(statuses) - 1)

    tolerance = french.number(report.tolerance_points)
    cells.formula(KEY_LABEL_ROW, COMMENT, f'="Tolérance : "&{TOLERANCE_NAME}&" points"',
                  f"Tolérance : {tolerance} points", "key_note")
    cells.formula(KEY_VALUE_ROW, COMMENT,
                  f'="Vigilance : jusqu\'à "&{TOLERANCE_NAME}&" points sous la cible ; '
                  'Alerte : au-delà."',
                  f"Vigilance : jusqu'à {tolerance} points sous la cible ; Alerte : au-delà.",
                  "note")
    heights.set(KEY_LABEL_ROW, 20)
    heights.set(KEY_VALUE_ROW, 22)


def _write_table(cells: Cells, styles: Styles, heights: RowHeights, report: Report,
                 mission_sheets: Sequence[str]) -> None:
    for col, (header, _) in enumerate(COLUMNS):
        cells.text(HEADER_ROW, col, header, "header")
    heights.set(HEADER_ROW, 28)

    for index, (ms, sheet) in enumerate(zip(report.missions, mission_sheets, strict=True)):
        row = FIRST_ROW + index
        _write_mission_row(cells, row, ms, sheet)
        lines = max(wrapped_lines(ms.mission.title, COLUMNS[MISSION][1]),
                    wrapped_lines(ms.notes.comment, COLUMNS[COMMENT][1]), 2)
        heights.set(row, row_height(lines))

    last_row = FIRST_ROW + len(report.missions) - 1
    add_status_colours(cells.sheet, styles, FIRST_ROW, STATUS, last_row)
    add_gap_colours(cells.sheet, styles, FIRST_ROW, GAP, last_row)
    add_rate_bar(cells.sheet, FIRST_ROW, ACTUAL, last_row, DATA_BAR)


def _write_mission_row(cells: Cells, row: int, ms: MissionStatus, sheet: str) -> None:
    cells.link(row, NUMBER, sheet, f"M{ms.mission.number}", "number_link")
    cells.text(row, MISSION, ms.mission.title, "text")
    cells.date(row, MILESTONE, ms.reference_milestone, "date")
    cells.number(row, TARGET, ms.target, "percent")
    cells.number(row, ACTUAL, ms.actual, "percent")
    target, actual, gap = cell(row, TARGET), cell(row, ACTUAL), cell(row, GAP)
    cells.formula(row, GAP, gap_formula(target, actual), ms.gap_points, "gap")
    if ms.change_points is None:
        cells.text(row, TREND, DASH, "center")
    else:
        cells.number(row, TREND, ms.change_points, "trend")
    cells.formula(row, STATUS, status_formula(target, actual, gap), ms.status.value, "status")
    cells.text(row, COMMENT, ms.notes.comment, "text")


def _insert_chart(workbook: Any, worksheet: Any, chart_row: int, last_row: int,
                  size: tuple[int, int]) -> None:
    """Clustered columns of target and actual per mission, centred under the table."""
    chart = workbook.add_chart({"type": "column"})
    categories = [SHEET_NAME, FIRST_ROW, NUMBER, last_row, NUMBER]
    for name, col, colour in (("Cible", TARGET, TARGET_COLOUR), ("Réalisé", ACTUAL, ACTUAL_COLOUR)):
        chart.add_series({
            "name": name,
            "categories": categories,
            "values": [SHEET_NAME, FIRST_ROW, col, last_row, col],
            "fill": {"color": colour},
            "border": {"none": True},
            "gap": 70,
            "data_labels": {"value": True, "num_format": "0 %",
                            "font": chart_font(8, color="#404040")},
        })
    chart.set_title({"name": CHART_TITLE, "name_font": chart_font(12, bold=True, color=NAVY)})
    chart.set_y_axis(percent_axis())
    chart.set_x_axis({"num_font": chart_font(9)})
    chart.set_legend({"position": "bottom", "font": chart_font(9)})
    page_width = sum(column_pixels(width) for _, width in COLUMNS)
    width, height = min(page_width, size[0]), size[1]
    chart.set_size({"width": width, "height": height})
    checked(worksheet.insert_chart(chart_row, 0, chart,
                                   {"x_offset": (page_width - width) // 2, "y_offset": 0}),
            SHEET_NAME, chart_row, 0)
