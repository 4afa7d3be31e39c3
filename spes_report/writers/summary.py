"""The Synthèse sheet: key figures, one row per mission, and a chart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from xlsxwriter.utility import xl_range_abs

from .. import french
from ..french import DASH
from ..model import (
    SUMMARY_STATUSES,
    Exclusion,
    MissionStatus,
    Plan,
    Report,
    Status,
    Trajectory,
    WeatherFlag,
)
from .cells import Cells, checked
from .history import SHEET_NAME as HISTORY_SHEET
from .pagination import RowHeights, anchor_row, column_pixels, fits_first_page, page_capacity
from .printing import Page, set_up_page
from .rules import (
    TOLERANCE_NAME,
    add_gap_colours,
    add_rate_bar,
    add_status_colours,
    add_trajectory_colours,
    cell,
    gap_formula,
    status_formula,
)
from .styles import ACTUAL_COLOUR, DATA_BAR, NAVY, TARGET_COLOUR, Styles, chart_font, percent_axis
from .text import row_height, wrapped_lines

SHEET_NAME = "Synthèse"

# Column: (header, width in characters). Today's standing, then where the pace
# leads, then the pilot's words. The page is about 180 characters wide, which A4
# landscape prints at about 77 %; the text columns give up room to the figures
# when the initial targets or the weather are shown.
PACE_HEADER, NEEDED_HEADER = "Rythme actuel (pts/mois)", "Rythme nécessaire (pts/mois)"
TRAJECTORY_HEADER, WEATHER_HEADER = "Trajectoire", "Météo"
PROJECTION_HEADER = "Projection à l'échéance finale"


@dataclass(frozen=True)
class Layout:
    """The table's columns and where each one is."""

    # With « Cible initiale » and « Cible révisée » (the plan revised a target since
    # the first committee of the plan, shown side by side as budget reports do).
    revised: bool = False
    # With « Météo »: the input has the column and a mission has a weather.
    weather: bool = False
    # The projection column's header: the final échéance's date when all share it.
    projection_header: str = PROJECTION_HEADER

    @property
    def columns(self) -> tuple[tuple[str, int], ...]:
        squeeze = 4 * self.revised + 4 * self.weather
        targets = (("Cible initiale", 9), ("Cible révisée", 9)) if self.revised else (
            ("Cible", 9),)
        return (
            ("N°", 6), ("Mission", 34 - squeeze), ("Échéance de référence", 12), *targets,
            ("Réalisé", 9), ("Écart (pts)", 9), ("Tendance", 12), ("Statut", 12),
            (TRAJECTORY_HEADER, 13), (self.projection_header, 11), (PACE_HEADER, 10),
            (NEEDED_HEADER, 11),
            *((WEATHER_HEADER, 11),) * self.weather,
            ("Commentaire", 34 - squeeze),
        )

    def col(self, header: str) -> int:
        return next(i for i, (name, _) in enumerate(self.columns) if name == header)

    @property
    def initial(self) -> int | None:
        return self.col("Cible initiale") if self.revised else None

    @property
    def target(self) -> int:
        return self.col("Cible révisée" if self.revised else "Cible")

    @property
    def projection(self) -> int:
        return self.col(self.projection_header)

    @property
    def last(self) -> int:
        return len(self.columns) - 1


def layout_for(report: Report) -> Layout:
    finals = {ms.projection.final_due for ms in report.missions}
    final = finals.pop() if len(finals) == 1 else None
    return Layout(
        revised=any(ms.revised for ms in report.missions),
        weather=any(ms.notes.weather is not None for ms in report.missions),
        projection_header=(f"Projection au {french.short_date(final)}" if final is not None
                           else PROJECTION_HEADER),
    )


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


def trajectory_notes(report: Report) -> tuple[str, str]:
    """How the projection and the trajectory are read, beside today's status."""
    return (f"Trajectoire : le rythme actuel prolongé depuis le dernier taux jusqu'à "
            f"l'échéance finale ; {french.trajectory_rule(report.tolerance_points)}.",
            f"Rythme actuel : {french.pace_rule(report.projection_rule)}, en points par "
            "mois ; rythme nécessaire : celui qui mènerait du dernier taux à la cible finale.")


def not_projected_note(report: Report) -> str | None:
    """Why the « Non projetable » missions have no projection, one reason at a time."""
    by_reason: dict[str, list[str]] = {}
    for ms in report.missions:
        if ms.projection.reason is not None and ms.status is not Status.NON_RENSEIGNE:
            reason = french.no_projection_reason(ms.projection.reason, report.projection_rule)
            by_reason.setdefault(reason, []).append(f"M{ms.mission.number}")
    if not by_reason:
        return None
    return "Non projetable : " + " ; ".join(
        f"{', '.join(missions)} ({reason})" for reason, missions in by_reason.items()) + "."


def weather_note(report: Report) -> str | None:
    """The declared weathers the trajectory strongly contradicts: questions to ask."""
    parts = []
    for flag in WeatherFlag:
        missions = [f"M{ms.mission.number} ({ms.notes.weather.value}, "
                    f"{ms.projection.trajectory.value.lower()})"
                    for ms in report.missions
                    if ms.weather_flag is flag and ms.notes.weather is not None]
        if missions:
            parts.append(f"météo déclarée {french.weather_flag(flag)} au regard de la "
                         f"trajectoire pour {', '.join(missions)}")
    return french.capitalised(" ; ".join(parts)) + "." if parts else None


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

    # The notes stay on the table's page: a thin gap, and the rules two by two.
    heights.set(last_row + 1, 6)
    next_row = last_row + 2
    page_chars = sum(width for _, width in lay.columns)
    for note in (f"{NOTE} {trend_note(report)}", " ".join(trajectory_notes(report)),
                 not_projected_note(report), weather_note(report),
                 initial_targets_note(report, lay), stale_note(report),
                 stale_actuals_note(report)):
        if note is not None:
            # Across the page and wrapped: a long list of missions stays on paper.
            cells.merged_text(next_row, 0, lay.last, note, "note_wrap")
            heights.set(next_row, row_height(wrapped_lines(note, page_chars * 10 / 9), 9))
            next_row += 1
    # Figures already shown, or the plan, have changed: the committee must hear of it.
    for note in (revisions_note(report),
                 corrections_note(report) if report.corrections else None):
        if note is not None:
            cells.link(next_row, 0, HISTORY_SHEET, note, "link")
            next_row += 1
    excluded = excluded_note(report)
    if excluded is not None:
        cells.merged_text(next_row, 0, lay.last, excluded, "note_wrap")
        heights.set(next_row, row_height(wrapped_lines(excluded, page_chars * 10 / 9), 9))
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
    _write_counts(cells, first, status_range,
                  [(status.value, report.count(status)) for status in statuses])
    add_status_colours(cells.sheet, styles, KEY_LABEL_ROW, first, KEY_LABEL_ROW,
                       first + len(statuses) - 1)

    trajectory_col = lay.col(TRAJECTORY_HEADER)
    _write_counts(cells, trajectory_col,
                  xl_range_abs(FIRST_ROW, trajectory_col, last_row, trajectory_col),
                  [(t.value, report.count_trajectory(t)) for t in Trajectory])
    add_trajectory_colours(cells.sheet, styles, KEY_LABEL_ROW, trajectory_col, KEY_LABEL_ROW,
                           trajectory_col + len(Trajectory) - 1)

    tolerance = french.number(report.tolerance_points)
    cells.formula(KEY_LABEL_ROW, comment, f'="Tolérance : "&{TOLERANCE_NAME}&" points"',
                  f"Tolérance : {tolerance} points", "key_note")
    cells.formula(KEY_VALUE_ROW, comment,
                  f'="Vigilance : jusqu\'à "&{TOLERANCE_NAME}&" points sous la cible ; '
                  'Alerte : au-delà."',
                  f"Vigilance : jusqu'à {tolerance} points sous la cible ; Alerte : au-delà.",
                  "note_wrap")
    heights.set(KEY_LABEL_ROW, 26)
    heights.set(KEY_VALUE_ROW, 26)


def _write_counts(cells: Cells, first: int, counted: str,
                  labels: Sequence[tuple[str, int]]) -> None:
    """Labels from column ``first`` on, each over the number of ``counted`` cells that
    hold it, a live formula (counting by the label cell keeps label and count in step)."""
    for col, (label, count) in enumerate(labels, start=first):
        cells.text(KEY_LABEL_ROW, col, label, "key_status")
        cells.formula(KEY_VALUE_ROW, col, f"=COUNTIF({counted},{cell(KEY_LABEL_ROW, col)})",
                      count, "key_count")


def _write_table(cells: Cells, styles: Styles, heights: RowHeights, report: Report,
                 mission_sheets: Sequence[str], lay: Layout) -> None:
    for col, (header, _) in enumerate(lay.columns):
        cells.text(HEADER_ROW, col, header, "header")
    heights.set(HEADER_ROW, 40)

    comment = lay.col(COMMENT_HEADER)
    for index, (ms, sheet) in enumerate(zip(report.missions, mission_sheets, strict=True)):
        row = FIRST_ROW + index
        _write_mission_row(cells, row, ms, sheet, lay)
        stale = stale_text(ms.stale_since) if ms.stale_since is not None else ""
        lines = max(wrapped_lines(ms.mission.title, lay.columns[MISSION][1]),
                    wrapped_lines(ms.notes.comment, lay.columns[comment][1]),
                    wrapped_lines(stale, lay.columns[lay.col(TREND_HEADER)][1]),
                    2 + (ms.weather_flag is not None))
        heights.set(row, row_height(lines))

    last_row = FIRST_ROW + len(report.missions) - 1
    add_status_colours(cells.sheet, styles, FIRST_ROW, lay.col(STATUS_HEADER), last_row)
    add_trajectory_colours(cells.sheet, styles, FIRST_ROW, lay.col(TRAJECTORY_HEADER),
                           last_row)
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
    projection = ms.projection
    cells.text(row, lay.col(TRAJECTORY_HEADER), projection.trajectory.value, "status")
    _number_or_dash(cells, row, lay.projection, projection.at_final, "percent")
    _number_or_dash(cells, row, lay.col(PACE_HEADER), projection.pace_points, "gap")
    _number_or_dash(cells, row, lay.col(NEEDED_HEADER), projection.needed_points, "pace")
    if lay.weather:
        cells.text(row, lay.col(WEATHER_HEADER), weather_text(ms),
                   "weather_flag" if ms.weather_flag is not None else "center_wrap")
    cells.text(row, lay.col(COMMENT_HEADER), ms.notes.comment, "text")


def _number_or_dash(cells: Cells, row: int, col: int, value: float | None, style: str) -> None:
    """A figure, or a dash where there is none: never an invented one."""
    if value is None:
        cells.text(row, col, DASH, "center")
    else:
        cells.number(row, col, value, style)


def weather_text(ms: MissionStatus) -> str:
    """``☀ Soleil``; with the flag on a second line when the trajectory contradicts it."""
    text = french.weather(ms.notes.weather)
    if ms.weather_flag is not None:
        text += f"\n({french.weather_flag(ms.weather_flag)} ?)"
    return text


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
