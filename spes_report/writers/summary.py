"""The Synthèse sheet: key figures, one row per mission, and a chart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from xlsxwriter.utility import xl_range_abs

from .. import french
from ..french import DASH
from ..model import SUMMARY_STATUSES, Exclusion, MissionStatus, Plan, Report, Status
from .cells import Cells, checked
from .history import SHEET_NAME as HISTORY_SHEET
from .pagination import RowHeights, anchor_row, column_pixels, fits_first_page, page_capacity
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
# When the plan revised a target since the first committee of the plan, the two
# targets side by side (as budget reports show the initial and the revised
# forecast); the text columns give up the room.
REVISED_COLUMNS = (
    ("N°", 7),
    ("Mission", 36),
    ("Échéance de référence", 13),
    ("Cible initiale", 10),
    ("Cible révisée", 10),
    ("Réalisé", 10),
    ("Écart (pts)", 10),
    ("Tendance", 13),
    ("Statut", 14),
    ("Commentaire", 42),
)


@dataclass(frozen=True)
class Layout:
    """The table's columns and where each one is."""

    # With « Cible initiale » and « Cible révisée » (REVISED_COLUMNS).
    revised: bool

    @property
    def columns(self) -> tuple[tuple[str, int], ...]:
        return REVISED_COLUMNS if self.revised else COLUMNS

    def col(self, header: str) -> int:
        return next(i for i, (name, _) in enumerate(self.columns) if name == header)

    @property
    def initial(self) -> int | None:
        return self.col("Cible initiale") if self.revised else None

    @property
    def target(self) -> int:
        return self.col("Cible révisée" if self.revised else "Cible")

    @property
    def last(self) -> int:
        return len(self.columns) - 1


def layout_for(report: Report) -> Layout:
    return Layout(revised=any(ms.revised for ms in report.missions))


NUMBER, MISSION, MILESTONE = 0, 1, 2
# Read from the layout: Réalisé, Écart, Tendance, Statut and Commentaire move
# right by one when the initial target is shown.
ACTUAL_HEADER, GAP_HEADER, TREND_HEADER = "Réalisé", "Écart (pts)", "Tendance"
STATUS_HEADER, COMMENT_HEADER = "Statut", "Commentaire"

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


def stale_text(since: date) -> str:
    """``Non actualisé depuis le 11/05/2020``: the mark of a rate that is no news."""
    return f"Non actualisé depuis le {french.short_date(since)}"


def stale_note(report: Report) -> str | None:
    """The rule behind « Non actualisé », when a mission carries it."""
    if not any(ms.stale_since for ms in report.missions):
        return None
    previous = report.previous_committee
    rule = (f"daté du comité précédent ({french.short_date(previous.report_date)}) ou "
            "d'avant : ce comité l'a déjà vu" if previous is not None else
            f"saisi plus de {report.freshness_days} jours avant ce comité")
    return f"Non actualisé : le dernier taux de la mission est {rule}."


def revisions_note(report: Report) -> str | None:
    """The plan changed since the previous committee: the committee must hear of it."""
    previous = report.previous_committee
    if not report.revisions or previous is None:
        return None
    count = french.count(len(report.revisions), "révision")
    return (f"Attention : le plan a été révisé depuis le comité du "
            f"{french.long_date(previous.report_date)} ({count}) : voir la feuille "
            f"{HISTORY_SHEET}, « Révisions du plan ».")


def initial_targets_note(report: Report, lay: Layout) -> str | None:
    if lay.initial is None or report.initial_plan_date is None:
        return None
    revised = [f"M{ms.mission.number}" for ms in report.missions if ms.revised]
    return (f"Cible initiale : celle du plan présenté au comité du "
            f"{french.long_date(report.initial_plan_date)}, indiquée pour les missions dont "
            f"les cibles ont été révisées depuis ({', '.join(revised)}) ; les statuts se "
            "calculent avec la cible révisée.")


def write_summary(workbook: Any, worksheet: Any, styles: Styles, report: Report,
                  plan: Plan, mission_sheets: Sequence[str], page: Page) -> None:
    """Fill ``worksheet``; ``mission_sheets`` are the sheet names, in report order."""
    cells = Cells(worksheet, styles)
    heights = RowHeights(worksheet)
    lay = layout_for(report)
    for col, (_, width) in enumerate(lay.columns):
        worksheet.set_column(col, col, width)

    cells.merged_text(TITLE_ROW, 0, lay.last, report_title(report), "title")
    heights.set(TITLE_ROW, 26)
    subtitle = f"Taux de réalisation des missions au {french.long_date(report.report_date)}"
    if plan.title:
        subtitle = f"{plan.title} — {subtitle[0].lower()}{subtitle[1:]}"
    cells.merged_text(SUBTITLE_ROW, 0, lay.last, subtitle, "subtitle")
    heights.set(2, 8)

    last_row = FIRST_ROW + len(report.missions) - 1
    _write_key_figures(cells, styles, heights, report, last_row, lay)
    _write_table(cells, styles, heights, report, mission_sheets, lay)

    note_row = last_row + 2
    cells.text(note_row, 0, NOTE, "note")
    cells.text(note_row + 1, 0, trend_note(report), "note")
    next_row = note_row + 2
    for note in (initial_targets_note(report, lay), stale_note(report),
                 stale_actuals_note(report)):
        if note is not None:
            cells.text(next_row, 0, note, "note")
            next_row += 1
    # Figures already shown, or the plan, have changed: the committee must hear of it.
    for note in (revisions_note(report),
                 corrections_note(report) if report.corrections else None):
        if note is not None:
            cells.link(next_row, 0, HISTORY_SHEET, note, "link")
            next_row += 1
    excluded = excluded_note(report)
    if excluded is not None:
        cells.text(next_row, 0, excluded, "note")
        next_row += 1
    chart_start = next_row + 1
    capacity = page_capacity(width for _, width in lay.columns)
    # The header row repeats only when the table itself runs onto a second page:
    # repeated above a page that holds the chart alone, it would head nothing.
    repeated = None if fits_first_page(heights, last_row, capacity) else HEADER_ROW
    chart_row = anchor_row(heights, chart_start, CHART_SIZE[1], capacity, repeated)
    size = CHART_SIZE if chart_row == chart_start else CHART_SIZE_OWN_PAGE
    _insert_chart(workbook, worksheet, chart_row, last_row, size, lay)

    worksheet.freeze_panes(FIRST_ROW, 0)
    set_up_page(worksheet, page, heights.row_below(chart_row, size[1]), lay.last,
                header_row=repeated)
    worksheet.activate()


def _write_key_figures(cells: Cells, styles: Styles, heights: RowHeights, report: Report,
                       last_row: int, lay: Layout) -> None:
    actual, status_col = lay.col(ACTUAL_HEADER), lay.col(STATUS_HEADER)
    comment = lay.col(COMMENT_HEADER)
    actual_range = f"{cell(FIRST_ROW, actual)}:{cell(last_row, actual)}"
    status_range = xl_range_abs(FIRST_ROW, status_col, last_row, status_col)

    cells.text(KEY_LABEL_ROW, MISSION, "Missions suivies", "key_label")
    cells.formula(KEY_LABEL_ROW, MILESTONE,
                  f"=COUNTA({cell(FIRST_ROW, MISSION)}:{cell(last_row, MISSION)})",
                  len(report.missions), "key_count")
    cells.text(KEY_VALUE_ROW, MISSION, "Taux moyen de réalisation", "key_label")
    cells.formula(KEY_VALUE_ROW, MILESTONE,
                  f'=IF(COUNT({actual_range})=0,"",AVERAGE({actual_range}))',
                  report.average_actual, "key_percent")

    statuses = shown_statuses(report)
    first = MILESTONE + 1
    for offset, status in enumerate(statuses):
        col = first + offset
        cells.text(KEY_LABEL_ROW, col, status.value, "key_status")
        # Counting by the label cell keeps label and count in step.
        cells.formula(KEY_VALUE_ROW, col,
                      f"=COUNTIF({status_range},{cell(KEY_LABEL_ROW, col)})",
                      report.count(status), "key_count")
    add_status_colours(cells.sheet, styles, KEY_LABEL_ROW, first, KEY_LABEL_ROW,
                       first + len(statuses) - 1)

    tolerance = french.number(report.tolerance_points)
    cells.formula(KEY_LABEL_ROW, comment, f'="Tolérance : "&{TOLERANCE_NAME}&" points"',
                  f"Tolérance : {tolerance} points", "key_note")
    cells.formula(KEY_VALUE_ROW, comment,
                  f'="Vigilance : jusqu\'à "&{TOLERANCE_NAME}&" points sous la cible ; '
                  'Alerte : au-delà."',
                  f"Vigilance : jusqu'à {tolerance} points sous la cible ; Alerte : au-delà.",
                  "note")
    heights.set(KEY_LABEL_ROW, 20)
    heights.set(KEY_VALUE_ROW, 22)


def _write_table(cells: Cells, styles: Styles, heights: RowHeights, report: Report,
                 mission_sheets: Sequence[str], lay: Layout) -> None:
    for col, (header, _) in enumerate(lay.columns):
        cells.text(HEADER_ROW, col, header, "header")
    heights.set(HEADER_ROW, 28)

    comment = lay.col(COMMENT_HEADER)
    for index, (ms, sheet) in enumerate(zip(report.missions, mission_sheets, strict=True)):
        row = FIRST_ROW + index
        _write_mission_row(cells, row, ms, sheet, lay)
        stale = stale_text(ms.stale_since) if ms.stale_since is not None else ""
        lines = max(wrapped_lines(ms.mission.title, lay.columns[MISSION][1]),
                    wrapped_lines(ms.notes.comment, lay.columns[comment][1]),
                    wrapped_lines(stale, lay.columns[lay.col(TREND_HEADER)][1]), 2)
        heights.set(row, row_height(lines))

    last_row = FIRST_ROW + len(report.missions) - 1
    add_status_colours(cells.sheet, styles, FIRST_ROW, lay.col(STATUS_HEADER), last_row)
    add_gap_colours(cells.sheet, styles, FIRST_ROW, lay.col(GAP_HEADER), last_row)
    add_rate_bar(cells.sheet, FIRST_ROW, lay.col(ACTUAL_HEADER), last_row, DATA_BAR)


def _write_mission_row(cells: Cells, row: int, ms: MissionStatus, sheet: str,
                       lay: Layout) -> None:
    actual_col, gap_col = lay.col(ACTUAL_HEADER), lay.col(GAP_HEADER)
    cells.link(row, NUMBER, sheet, f"M{ms.mission.number}", "number_link")
    cells.text(row, MISSION, ms.mission.title, "text")
    cells.date(row, MILESTONE, ms.reference_milestone, "date")
    if lay.initial is not None:
        # Filled for the revised missions only: the column shows which they are.
        cells.number(row, lay.initial, ms.initial_target if ms.revised else None, "percent")
    cells.number(row, lay.target, ms.target, "percent")
    cells.number(row, actual_col, ms.actual, "percent")
    target, actual, gap = cell(row, lay.target), cell(row, actual_col), cell(row, gap_col)
    cells.formula(row, gap_col, gap_formula(target, actual), ms.gap_points, "gap")
    trend = lay.col(TREND_HEADER)
    if ms.stale_since is not None:
        # Its trend would read « = 0 pt »: stalled and unreported look alike.
        cells.text(row, trend, stale_text(ms.stale_since), "stale")
    elif ms.change_points is None:
        cells.text(row, trend, DASH, "center")
    else:
        cells.number(row, trend, ms.change_points, "trend")
    cells.formula(row, lay.col(STATUS_HEADER), status_formula(target, actual, gap),
                  ms.status.value, "status")
    cells.text(row, lay.col(COMMENT_HEADER), ms.notes.comment, "text")


def _insert_chart(workbook: Any, worksheet: Any, chart_row: int, last_row: int,
                  size: tuple[int, int], lay: Layout) -> None:
    """Clustered columns of target and actual per mission, centred under the table."""
    chart = workbook.add_chart({"type": "column"})
    categories = [SHEET_NAME, FIRST_ROW, NUMBER, last_row, NUMBER]
    for name, col, colour in (("Cible", lay.target, TARGET_COLOUR),
                              ("Réalisé", lay.col(ACTUAL_HEADER), ACTUAL_COLOUR)):
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
    page_width = sum(column_pixels(width) for _, width in lay.columns)
    width, height = min(page_width, size[0]), size[1]
    chart.set_size({"width": width, "height": height})
    checked(worksheet.insert_chart(chart_row, 0, chart,
                                   {"x_offset": (page_width - width) // 2, "y_offset": 0}),
            SHEET_NAME, chart_row, 0)
