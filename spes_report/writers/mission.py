"""One mission's sheet: objective, the échéance table, its trajectory chart, comments."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from .. import french
from ..french import DASH, long_date, no_projection_reason, pace, percent, short_date
from ..history import SAME_RATE
from ..model import (
    DEFAULT_PROJECTION_RULE,
    MissionStatus,
    ProjectionRule,
    Status,
    TimelineRow,
)
from .cells import Cells, checked, excel_serial
from .pagination import RowHeights, column_pixels
from .printing import Page, set_up_page
from .rules import add_gap_colours, add_status_colours, cell, gap_formula, status_formula
from .styles import (
    ACTUAL_COLOUR,
    CHART_DATE,
    NAVY,
    PROJECTION_COLOUR,
    TARGET_COLOUR,
    Styles,
    chart_font,
    percent_axis,
)
from .text import row_height, wrapped_lines

# Column: (header, width). The table takes A:F, the chart sits in G:H beside it.
TABLE = (
    ("Échéance", 19),
    ("Cible", 9),
    ("Réalisé", 9),
    ("Écart (pts)", 10),
    ("Statut", 12),
    ("Projection", 16),
)
DAY, TARGET, ACTUAL, GAP, STATUS, PROJECTION = range(len(TABLE))
# Two wide columns rather than many narrow ones under the chart: the text blocks
# merged across the page span fewer cells (a lighter file for a plan of many missions).
CHART_COLS, CHART_COL_WIDTH = range(6, 8), 42
CHART_GAP_PX = column_pixels(2)  # between the table and the chart
LAST_COL = CHART_COLS[-1]
TEXT_WIDTH = sum(w for _, w in TABLE[1:]) + CHART_COL_WIDTH * len(CHART_COLS)  # merged B:H
TABLE_WIDTH = sum(w for _, w in TABLE)
PAGE_WIDTH = TABLE[0][1] + TEXT_WIDTH  # A:H

TITLE_ROW, BACK_ROW = 0, 1
OBJECTIVE_ROW, DESCRIPTION_ROW, PEOPLE_ROW = 3, 4, 5
SECTION_ROW = 6
HEADER_ROW = SECTION_ROW + 1
FIRST_ROW = HEADER_ROW + 1

HEADER_PT, DATA_PT = 30, 18
CHART_HEIGHT = 300
CHART_TITLE = "Trajectoire : cible, réalisé et projection"
BACK_TEXT = "← Retour à la synthèse"
MEASURE_NOTE = ("Les dates suivies de « (mesure) », en italique, sont des mesures "
                "intermédiaires entre deux échéances : leur cible est calculée au prorata "
                "des jours.")
COMMENT_LABELS = ("Commentaire", "Points d'attention", "Prochaines étapes")
# Tick spacings for the date axis, in days: weeks, fortnights, months…
DATE_STEPS = (7, 14, 28, 56, 91, 182, 364)


def mission_title(ms: MissionStatus) -> str:
    return f"Mission {ms.mission.number} — {ms.mission.title}"


def write_mission(workbook: Any, worksheet: Any, styles: Styles, ms: MissionStatus,
                  summary_sheet: str, page: Page, initial_plan_date: date | None = None,
                  rule: ProjectionRule = DEFAULT_PROJECTION_RULE, weather: bool = False,
                  ) -> None:
    """Fill ``worksheet``; ``weather`` shows the pilot's weather (the input has some)."""
    cells = Cells(worksheet, styles)
    for col, (_, width) in enumerate(TABLE):
        worksheet.set_column(col, col, width)
    worksheet.set_column(CHART_COLS[0], CHART_COLS[-1], CHART_COL_WIDTH)
    heights = RowHeights(worksheet)

    title = mission_title(ms)
    cells.merged_text(TITLE_ROW, 0, LAST_COL, title, "title")
    # Title font is 16 pt: fewer characters fit in the same width.
    heights.set(TITLE_ROW, row_height(wrapped_lines(title, PAGE_WIDTH * 10 / 16), 16))
    cells.link(BACK_ROW, 0, summary_sheet, BACK_TEXT, "link")

    for row, label, text in ((OBJECTIVE_ROW, "Objectif", ms.mission.objective),
                             (DESCRIPTION_ROW, "Description", ms.mission.description)):
        _write_block(cells, row, label, text)
        heights.set(row, row_height(wrapped_lines(text or DASH, TEXT_WIDTH)))

    _write_pilot_and_weather(cells, heights, pilot_text(ms),
                             weather_sentence(ms) if weather else "")

    cells.merged_text(SECTION_ROW, 0, PROJECTION, "Échéancier", "section")
    for col, (header, _) in enumerate(TABLE):
        cells.text(HEADER_ROW, col, header, "header")
    heights.set(HEADER_ROW, HEADER_PT)

    rows = ms.timeline
    start = ms.projection.start if ms.projection.at else None
    for index, line in enumerate(rows):
        _write_timeline_row(cells, FIRST_ROW + index, line, start)
        heights.set(FIRST_ROW + index, DATA_PT)
    if not rows:
        # Keep one row so the chart's ranges stay valid.
        cells.merged_text(FIRST_ROW, DAY, STATUS, "Aucune échéance ni mesure pour cette mission.",
                          "center")
    last_row = FIRST_ROW + max(len(rows), 1) - 1
    add_status_colours(worksheet, styles, FIRST_ROW, STATUS, last_row)
    add_gap_colours(worksheet, styles, FIRST_ROW, GAP, last_row)

    table_notes = [projection_note(ms, rule), revised_targets_note(ms, initial_plan_date)]
    if any(not line.is_milestone for line in rows):
        table_notes.append(MEASURE_NOTE)
    note_row = last_row
    for text in filter(None, table_notes):
        note_row += 1
        cells.merged_text(note_row, 0, STATUS, text, "note_wrap")
        heights.set(note_row, row_height(wrapped_lines(text, TABLE_WIDTH), 9))
    note_row = max(note_row, last_row + 1)

    _insert_chart(workbook, worksheet, ms, last_row, _projection_rows(ms))
    chart_end = heights.row_below(SECTION_ROW, CHART_HEIGHT)
    comments_row = max(note_row + 2, chart_end + 1)
    cells.merged_text(comments_row, 0, LAST_COL, "Commentaires", "section")
    notes = ms.notes
    for offset, (label, text) in enumerate(zip(
            COMMENT_LABELS, (notes.comment, notes.attention, notes.next_steps), strict=True)):
        row = comments_row + 1 + offset
        _write_block(cells, row, label, text)
        heights.set(row, row_height(max(wrapped_lines(text or DASH, TEXT_WIDTH), 2)))

    # The title, not the table header, is repeated: a second page would hold
    # the comments, and needs to say which mission it belongs to.
    set_up_page(worksheet, page, comments_row + len(COMMENT_LABELS), LAST_COL,
                header_row=TITLE_ROW)


def projection_note(ms: MissionStatus, rule: ProjectionRule) -> str:
    """Where the pace leads, in words: the pace, its start, the pace needed, the trajectory."""
    projection = ms.projection
    trajectory = f"Trajectoire : {projection.trajectory.value}"
    if projection.reason is not None:
        return f"{trajectory} ({no_projection_reason(projection.reason, rule)})."
    assert projection.start is not None and projection.final_due is not None
    start_day, start_rate = projection.start
    return (f"{trajectory}. Projection : rythme actuel de {pace(projection.pace_points)} "
            f"prolongé depuis le taux du {short_date(start_day)} ({percent(start_rate)}) ; "
            f"{percent(projection.at_final)} au {short_date(projection.final_due)} pour une "
            f"cible de {percent(projection.final_target)} ; rythme nécessaire : "
            f"{pace(projection.needed_points, signed=False)}.")


def weather_sentence(ms: MissionStatus) -> str:
    """``☀ Soleil``, and the flag when the trajectory contradicts it."""
    text = french.weather(ms.notes.weather)
    if ms.weather_flag is not None:
        text += (f" — {french.weather_flag(ms.weather_flag)} : la mission est "
                 f"{ms.projection.trajectory.value.lower()}")
    return text


def pilot_text(ms: MissionStatus) -> str:
    """``Jeanne Martin (jeanne.martin@…)``; empty when the plan names no pilot."""
    pilot, email = ms.mission.pilot, ms.mission.pilot_email
    if pilot and email:
        return f"{pilot} ({email})"
    return pilot or email


def revised_targets_note(ms: MissionStatus, since: date | None) -> str | None:
    """The targets the plan revised for this mission: initial and revised, side by side."""
    if ms.initial_milestones is None:
        return None
    now = {m.due: m.target for m in ms.mission.milestones}
    changes = [f"{short_date(m.due)} : {percent(m.target)} → {percent(now.get(m.due))}"
               for m in ms.initial_milestones
               if m.due not in now or abs(now[m.due] - m.target) > SAME_RATE]
    if not changes:  # an échéance added in between moved today's target only
        changes = [f"à la date du comité : {percent(ms.initial_target)} → "
                   f"{percent(ms.target)}"]
    when = f"du plan présenté au comité du {long_date(since)}" if since else "du plan initial"
    reason = f" Motif : {ms.mission.revision_reason}." if ms.mission.revision_reason else ""
    return (f"Cibles révisées (cible initiale {when} → cible révisée, en vigueur) : "
            f"{' ; '.join(changes)}.{reason}")


def _write_pilot_and_weather(cells: Cells, heights: RowHeights, pilot: str,
                             weather: str) -> None:
    """The pilot and the weather they declared, side by side on one row (either one
    alone across the page); nothing when the plan names no pilot and there is no weather."""
    if pilot and weather:
        cells.text(PEOPLE_ROW, 0, "Pilote", "label")
        cells.merged_text(PEOPLE_ROW, 1, STATUS - 1, pilot, "block")
        cells.text(PEOPLE_ROW, STATUS, "Météo", "label")
        cells.merged_text(PEOPLE_ROW, PROJECTION, LAST_COL, weather, "block")
        pilot_width = sum(width for _, width in TABLE[1:STATUS])
        weather_width = TABLE[PROJECTION][1] + CHART_COL_WIDTH * len(CHART_COLS)
        heights.set(PEOPLE_ROW, row_height(max(wrapped_lines(pilot, pilot_width),
                                               wrapped_lines(weather, weather_width))))
    elif pilot or weather:
        text = pilot or weather
        _write_block(cells, PEOPLE_ROW, "Pilote" if pilot else "Météo", text)
        heights.set(PEOPLE_ROW, row_height(wrapped_lines(text, TEXT_WIDTH)))


def _write_block(cells: Cells, row: int, label: str, text: str) -> None:
    """A label and its wrapped text merged across the page; input text stays text."""
    cells.text(row, 0, label, "label")
    cells.merged_text(row, 1, LAST_COL, text or DASH, "block")


def _write_timeline_row(cells: Cells, row: int, line: TimelineRow,
                        start: tuple[date, float] | None) -> None:
    """One row of the table; ``start`` is the projection's first point, if any."""
    suffix = "" if line.is_milestone else "_measure"
    cells.date(row, DAY, line.on, "date" + suffix)
    cells.number(row, TARGET, line.target, "percent" + suffix)
    cells.number(row, ACTUAL, line.actual, "percent" + suffix)
    target, actual, gap = cell(row, TARGET), cell(row, ACTUAL), cell(row, GAP)
    cells.formula(row, GAP, gap_formula(target, actual), line.gap_points, "gap" + suffix)
    cells.formula(row, STATUS, status_formula(target, actual, gap, day=cell(row, DAY)),
                  line.status.value, "status" + suffix)
    if line.projection is not None:
        cells.number(row, PROJECTION, line.projection, "percent" + suffix)
    elif start is not None and line.on == start[0]:
        # Where the projection starts: the latest rate, and its line on the chart.
        cells.number(row, PROJECTION, start[1], "projection_start")
    elif line.status is Status.A_VENIR and line.is_milestone:
        # A future échéance with no projection: no figure is invented.
        cells.text(row, PROJECTION, DASH, "center")
    else:
        cells.blank(row, PROJECTION, "center")


def _projection_rows(ms: MissionStatus) -> tuple[int, int] | None:
    """The table rows the projection's line runs through: from the latest rate's to the
    final échéance's (rows in between without a projection are spanned)."""
    projection = ms.projection
    if projection.start is None or not projection.at:
        return None
    days = [line.on for line in ms.timeline]
    return (FIRST_ROW + days.index(projection.start[0]),
            FIRST_ROW + days.index(projection.at[-1][0]))


def date_step(span_days: int) -> int:
    """A tick spacing giving at most about ten dates on the axis."""
    return next((step for step in DATE_STEPS if span_days / step <= 10), DATE_STEPS[-1])


def _insert_chart(workbook: Any, worksheet: Any, ms: MissionStatus, last_row: int,
                  line_rows: tuple[int, int] | None) -> None:
    """Scatter with straight lines: the x axis is true time, so uneven gaps
    between dates show as they are (a line chart would space them evenly)."""
    name = worksheet.get_name()
    chart = workbook.add_chart({"type": "scatter", "subtype": "straight_with_markers"})
    days = [name, FIRST_ROW, DAY, last_row, DAY]
    chart.add_series({
        "name": "Cible",
        "categories": days,
        "values": [name, FIRST_ROW, TARGET, last_row, TARGET],
        "line": {"color": TARGET_COLOUR, "width": 2, "dash_type": "dash"},
        "marker": {"type": "diamond", "size": 7, "fill": {"color": TARGET_COLOUR},
                   "border": {"color": TARGET_COLOUR}},
    })
    chart.add_series({
        "name": "Réalisé",
        "categories": days,
        "values": [name, FIRST_ROW, ACTUAL, last_row, ACTUAL],
        "line": {"color": ACTUAL_COLOUR, "width": 2.5},
        "marker": {"type": "circle", "size": 7, "fill": {"color": ACTUAL_COLOUR},
                   "border": {"color": ACTUAL_COLOUR}},
    })
    if line_rows is not None:
        first, last = line_rows
        chart.add_series({
            "name": "Projection",
            "categories": [name, first, DAY, last, DAY],
            "values": [name, first, PROJECTION, last, PROJECTION],
            "line": {"color": PROJECTION_COLOUR, "width": 2, "dash_type": "round_dot"},
            "marker": {"type": "none"},
        })
    chart.show_blanks_as("span")
    x_axis: dict[str, Any] = {"num_format": CHART_DATE, "num_font": chart_font(9),
                              "major_gridlines": {"visible": True,
                                                  "line": {"color": "#EDEDED"}}}
    if ms.timeline:
        # Start on the first date and end on a tick, so every label is a
        # real step from the first échéance.
        first, last = excel_serial(ms.timeline[0].on), excel_serial(ms.timeline[-1].on)
        step = date_step(last - first)
        if last == first:
            first -= step
        end = first + step * max(math.ceil((last - first) / step), 1)
        x_axis.update({"min": first, "max": end, "major_unit": step})
    chart.set_x_axis(x_axis)
    chart.set_y_axis(percent_axis())
    chart.set_title({"name": CHART_TITLE, "name_font": chart_font(11, bold=True, color=NAVY)})
    chart.set_legend({"position": "bottom", "font": chart_font(9)})
    width = column_pixels(CHART_COL_WIDTH) * len(CHART_COLS) - CHART_GAP_PX
    chart.set_size({"width": width, "height": CHART_HEIGHT})
    checked(worksheet.insert_chart(SECTION_ROW, CHART_COLS[0], chart,
                                   {"x_offset": CHART_GAP_PX}), name, SECTION_ROW,
            CHART_COLS[0])

