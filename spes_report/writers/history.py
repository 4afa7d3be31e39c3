"""The Historique sheet: each mission's rate at every archived committee and today,
a line chart of them, the corrections of figures already shown, the plan's revisions
and how earlier projections turned out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import pairwise
from typing import Any

from .. import french
from ..french import short_date
from ..history import continues, same_plan
from ..model import Correction, PastCommittee, Report, RevisionKind
from .cells import Cells, checked
from .pagination import DEFAULT_ROW_PT, RowHeights, anchor_row, column_pixels, page_capacity
from .printing import Page, set_up_page
from .styles import NAVY, Styles, chart_font, percent_axis
from .text import row_height, wrapped_lines

SHEET_NAME = "Historique"
# More columns would print too small on one A4 page: older committees stay
# in the archive.
MAX_COMMITTEES = 12

NUMBER_COL, MISSION_COL, FIRST_COMMITTEE_COL = 0, 1, 2
NUMBER_WIDTH, MISSION_WIDTH, COMMITTEE_WIDTH = 7, 40, 12
TITLE_ROW, SUBTITLE_ROW = 0, 1
HEADER_ROW = 3
FIRST_ROW = HEADER_ROW + 1
HEADER_PT, DATA_PT, SECTION_PT = 30, 18, 20

SUBTITLE = ("Taux de réalisation présenté à chaque comité (le réalisé à la date du comité), "
            "d'après l'archive des comités.")
CURRENT_SUFFIX = "\n(ce comité)"
AVERAGE_LABEL = "Taux moyen"
NO_HISTORY = ("Aucun comité antérieur n'est archivé : l'historique commence avec ce comité.")
CORRECTIONS_TITLE = "Corrections de valeurs déjà présentées"
CORRECTIONS_NOTE = ("Taux déjà présentés à un comité archivé puis modifiés (ou effacés) dans "
                    "le fichier de saisie de ce comité.")
NO_CORRECTION = ("Aucune valeur déjà présentée à un comité archivé n'a été modifiée dans le "
                 "fichier de saisie.")
CORRECTION_HEADERS = ("Date de la mesure et mission", "Valeur présentée", "Nouvelle valeur",
                      "Écart (pts)", "Présentée au comité du")
CORRECTIONS_LAST_COL = MISSION_COL + len(CORRECTION_HEADERS) - 1
EMPTIED = "effacée"
CHART_TITLE = "Réalisé par mission, de comité en comité"
REVISIONS_TITLE = "Révisions du plan"
FORECASTS_TITLE = "Projections passées et réalisé"
FORECASTS_NOTE = ("La dernière projection présentée avant chaque échéance passée, et le taux "
                  "mesuré à cette échéance.")
FORECAST_HEADERS = ("Échéance", "Projeté", "Au comité du", "Réalisé", "Écart (pts)")
NOT_MEASURED = "non saisi"
CHART_HEIGHT = 280


def committee_header(day: date, current: bool) -> str:
    return short_date(day) + (CURRENT_SUFFIX if current else "")


def write_history(workbook: Any, worksheet: Any, styles: Styles, report: Report,
                  mission_sheets: Sequence[str], page: Page) -> None:
    """Fill ``worksheet``; ``mission_sheets`` are the mission sheet names, in report order."""
    cells = Cells(worksheet, styles)
    heights = RowHeights(worksheet)
    past = report.history[-(MAX_COMMITTEES - 1):]
    current_col = FIRST_COMMITTEE_COL + len(past)
    # The corrections table uses the columns after Mission, even before
    # there are that many committees.
    last_col = max(current_col, CORRECTIONS_LAST_COL)
    widths = [NUMBER_WIDTH, MISSION_WIDTH] + [COMMITTEE_WIDTH] * (last_col - 1)
    for col, width in enumerate(widths):
        worksheet.set_column(col, col, width)

    cells.merged_text(TITLE_ROW, 0, last_col, "Historique des comités", "title")
    heights.set(TITLE_ROW, 26)
    cells.merged_text(SUBTITLE_ROW, 0, last_col, SUBTITLE, "subtitle")

    cells.text(HEADER_ROW, NUMBER_COL, "N°", "header")
    cells.text(HEADER_ROW, MISSION_COL, "Mission", "header")
    days = [c.report_date for c in past] + [report.report_date]
    for offset, day in enumerate(days):
        cells.text(HEADER_ROW, FIRST_COMMITTEE_COL + offset,
                   committee_header(day, current=day == report.report_date), "header")
    heights.set(HEADER_ROW, HEADER_PT)

    for index, (ms, sheet) in enumerate(zip(report.missions, mission_sheets, strict=True)):
        row = FIRST_ROW + index
        number = ms.mission.number
        cells.link(row, NUMBER_COL, sheet, f"M{number}", "number_link")
        cells.text(row, MISSION_COL, ms.mission.title, "text")
        for offset, committee in enumerate(past):
            cells.number(row, FIRST_COMMITTEE_COL + offset, committee.actual(number), "percent")
        cells.number(row, current_col, ms.actual, "percent_current")
        heights.set(row, max(row_height(wrapped_lines(ms.mission.title, MISSION_WIDTH)),
                             DATA_PT))
    average_row = FIRST_ROW + len(report.missions)
    cells.blank(average_row, NUMBER_COL, "text_bold")
    cells.text(average_row, MISSION_COL, AVERAGE_LABEL, "text_bold")
    for offset, committee in enumerate(past):
        cells.number(average_row, FIRST_COMMITTEE_COL + offset, committee.average_actual,
                     "percent_bold")
    cells.number(average_row, current_col, report.average_actual, "percent_current")
    heights.set(average_row, DATA_PT)

    row = average_row + 1
    if not past:
        cells.text(row, 0, NO_HISTORY, "note")
        row += 1
    elif len(report.history) > len(past):
        hidden = len(report.history) - len(past)
        cells.text(row, 0, f"Seuls les {MAX_COMMITTEES} derniers comités sont affichés ; "
                           f"{french.count(hidden, 'comité')} "
                           f"{french.plural(hidden, 'plus ancien reste', 'plus anciens restent')} "
                           "dans l'archive.", "note")
        row += 1
    for note in plan_change_notes(report, past):
        cells.text(row, 0, note, "note")
        row += 1

    capacity = page_capacity(widths)
    row = _write_corrections(cells, heights, report, row + 1, capacity)
    row = _write_revisions(cells, heights, report, row + 1, capacity)
    row = _write_forecasts(cells, heights, report, row + 1, capacity)
    last_row = row
    if past:
        # With no earlier committee a chart would hold one dot per mission.
        chart_row = anchor_row(heights, row + 1, CHART_HEIGHT, capacity, TITLE_ROW)
        _insert_chart(workbook, worksheet, report, chart_row, current_col, widths)
        last_row = heights.row_below(chart_row, CHART_HEIGHT)

    worksheet.freeze_panes(FIRST_ROW, FIRST_COMMITTEE_COL)
    # The title, not the table header, is repeated: a second page holds the
    # corrections or the chart, and must say which sheet it belongs to.
    set_up_page(worksheet, page, last_row, last_col, header_row=TITLE_ROW)


def _write_corrections(cells: Cells, heights: RowHeights, report: Report, row: int,
                       capacity: float) -> int:
    """The corrections table from ``row`` (or the next page, if it fits on one
    there and not here); returns the first row below it."""
    if not report.history:
        return row  # nothing to compare with: the note under the table says so
    if not report.corrections:
        cells.merged_text(row, 0, CORRECTIONS_LAST_COL, CORRECTIONS_TITLE, "section")
        heights.set(row, SECTION_PT)
        cells.text(row + 1, 0, NO_CORRECTION, "note")
        return row + 2
    titles = {ms.mission.number: ms.mission.title for ms in report.missions}
    labels = [_label(c, titles.get(c.mission)) for c in report.corrections]
    row_points = [max(row_height(wrapped_lines(label, MISSION_WIDTH)), DATA_PT)
                  for label in labels]
    block_points = SECTION_PT + DEFAULT_ROW_PT + HEADER_PT + sum(row_points)
    row = anchor_row(heights, row, block_points / 0.75, capacity, TITLE_ROW)

    row = _table_head(cells, heights, row, CORRECTIONS_TITLE, CORRECTIONS_NOTE,
                      CORRECTION_HEADERS)
    for correction, label, points in zip(report.corrections, labels, row_points, strict=True):
        row += 1
        _write_correction(cells, row, correction, label)
        heights.set(row, points)
    return row + 1


def plan_change_notes(report: Report, shown: Sequence[PastCommittee]) -> list[str]:
    """Where the plan changed between the committees shown: a mission's row compares
    figures measured against different targets from there on."""
    notes = []
    for before, after in pairwise(shown):
        if before.plan is not None and after.plan is not None and not same_plan(
                before.plan, after.plan):
            notes.append(_change_note(before.plan.title, after.plan.title, after.report_date,
                                      not continues(before.plan, after.plan)))
    previous = shown[-1] if shown else None
    if previous is not None and previous.plan is not None and report.revisions:
        new = any(r.kind is RevisionKind.NEW_PLAN for r in report.revisions)
        notes.append(_change_note(previous.plan.title, report.plan_title, report.report_date,
                                  new, current=True))
    return notes


def _change_note(before: str, after: str, day: date, new: bool | None = None,
                 current: bool = False) -> str:
    """``new``: the plan was replaced rather than revised (None: judge by the titles)."""
    if new if new is not None else before != after:
        return (f"Nouveau plan à partir du comité du {short_date(day)} : « {after} » "
                f"(précédemment « {before} »).")
    # The details are listed in the workbook of that committee only.
    see = f" (voir « {REVISIONS_TITLE} » ci-dessous)" if current else ""
    return f"Plan révisé au comité du {short_date(day)}{see}."


def _write_revisions(cells: Cells, heights: RowHeights, report: Report, row: int,
                     capacity: float) -> int:
    """The changes of the plan since the previous committee; returns the row below."""
    previous = report.previous_committee
    if previous is None or not report.revisions:
        return row
    texts = [french.capitalised(french.revision_text(r)) for r in report.revisions]
    width = sum([MISSION_WIDTH, *[COMMITTEE_WIDTH] * (CORRECTIONS_LAST_COL - MISSION_COL)])
    row_points = [max(row_height(wrapped_lines(text, width)), DATA_PT) for text in texts]
    block_points = SECTION_PT + DEFAULT_ROW_PT + sum(row_points)
    row = anchor_row(heights, row, block_points / 0.75, capacity, TITLE_ROW)
    cells.merged_text(row, 0, CORRECTIONS_LAST_COL, REVISIONS_TITLE, "section")
    heights.set(row, SECTION_PT)
    plan = f" ({report.plan_source.file_name})" if report.plan_source else ""
    cells.text(row + 1, 0, french.revisions_heading(len(texts), previous.report_date)
               .removesuffix(" :") + f" : changements du plan en vigueur{plan}.", "note")
    row += 1
    for revision, text, points in zip(report.revisions, texts, row_points, strict=True):
        row += 1
        if revision.mission is None:
            cells.blank(row, NUMBER_COL, "center")
        else:
            cells.text(row, NUMBER_COL, f"M{revision.mission}", "center")
        cells.merged_text(row, MISSION_COL, CORRECTIONS_LAST_COL, text, "text")
        heights.set(row, points)
    return row + 1


def _table_head(cells: Cells, heights: RowHeights, row: int, title: str, note: str,
                headers: Sequence[str]) -> int:
    """A section's title, its note and its table's header row (N° then ``headers``)
    from ``row``; returns the header row."""
    cells.merged_text(row, 0, CORRECTIONS_LAST_COL, title, "section")
    heights.set(row, SECTION_PT)
    cells.text(row + 1, 0, note, "note")
    row += 2
    cells.text(row, NUMBER_COL, "N°", "header")
    for offset, header in enumerate(headers):
        cells.text(row, MISSION_COL + offset, header, "header")
    heights.set(row, HEADER_PT)
    return row


def _write_forecasts(cells: Cells, heights: RowHeights, report: Report, row: int,
                     capacity: float) -> int:
    """How the projections shown at earlier committees turned out; returns the row below."""
    if not report.forecasts:
        return row
    # The mission's number says which it is: its title is in the table above.
    block_points = SECTION_PT + DEFAULT_ROW_PT + HEADER_PT + DATA_PT * len(report.forecasts)
    row = anchor_row(heights, row, block_points / 0.75, capacity, TITLE_ROW)
    row = _table_head(cells, heights, row, FORECASTS_TITLE, FORECASTS_NOTE, FORECAST_HEADERS)
    for check in report.forecasts:
        row += 1
        cells.text(row, NUMBER_COL, f"M{check.mission}", "center")
        cells.date(row, MISSION_COL, check.due, "date")
        cells.number(row, MISSION_COL + 1, check.projected, "percent")
        cells.date(row, MISSION_COL + 2, check.committee, "date")
        if check.actual is None:
            cells.text(row, MISSION_COL + 3, NOT_MEASURED, "center")
        else:
            cells.number(row, MISSION_COL + 3, check.actual, "percent")
        cells.number(row, MISSION_COL + 4, check.gap_points, "gap")
        heights.set(row, DATA_PT)
    return row + 1


def _label(correction: Correction, title: str | None) -> str:
    # The wide Mission column: the measurement's date and the mission's
    # title read together.
    return short_date(correction.on) + (f" — {title}" if title else "")


def _write_correction(cells: Cells, row: int, correction: Correction, label: str) -> None:
    cells.text(row, NUMBER_COL, f"M{correction.mission}", "center")
    cells.text(row, MISSION_COL, label, "text")
    cells.number(row, MISSION_COL + 1, correction.reported, "percent")
    if correction.now is None:
        cells.text(row, MISSION_COL + 2, EMPTIED, "center")
        cells.blank(row, MISSION_COL + 3, "gap")
    else:
        cells.number(row, MISSION_COL + 2, correction.now, "percent")
        cells.number(row, MISSION_COL + 3,
                     round((correction.now - correction.reported) * 100, 6), "gap")
    cells.date(row, MISSION_COL + 4, correction.committee, "date")


def _insert_chart(workbook: Any, worksheet: Any, report: Report, chart_row: int,
                  current_col: int, widths: Sequence[float]) -> None:
    """One line per mission across the committees, markers on every point."""
    chart = workbook.add_chart({"type": "line"})
    categories = [SHEET_NAME, HEADER_ROW, FIRST_COMMITTEE_COL, HEADER_ROW, current_col]
    for index in range(len(report.missions)):
        row = FIRST_ROW + index
        chart.add_series({
            "name": [SHEET_NAME, row, NUMBER_COL],
            "categories": categories,
            "values": [SHEET_NAME, row, FIRST_COMMITTEE_COL, row, current_col],
            "marker": {"type": "circle", "size": 6},
            "line": {"width": 2},
        })
    chart.show_blanks_as("span")
    chart.set_title({"name": CHART_TITLE, "name_font": chart_font(11, bold=True, color=NAVY)})
    chart.set_y_axis(percent_axis())
    chart.set_x_axis({"num_font": chart_font(9)})
    chart.set_legend({"position": "right", "font": chart_font(9)})
    width = min(sum(column_pixels(w) for w in widths), 1000)
    chart.set_size({"width": width, "height": CHART_HEIGHT})
    checked(worksheet.insert_chart(chart_row, 0, chart), SHEET_NAME, chart_row, 0)
