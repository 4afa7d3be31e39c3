"""The look of the files written, in one place: colours, named cell formats,
rule formats; the committee workbook's, then the input template's."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model import Status, Trajectory

# Colours. The status pairs (fill, font) are Excel's own "good / neutral /
# bad" styles, which readers already know.
NAVY = "#1F3864"
HEADER_FILL = "#1F4E79"
GRID = "#BFBFBF"
MUTED = "#595959"
LINK = "#0563C1"
KEY_FILL = "#F2F2F2"
TARGET_COLOUR = "#8C8C8C"
ACTUAL_COLOUR = "#2E75B6"
PROJECTION_COLOUR = "#C55A11"
DATA_BAR = "#9DC3E6"
CURRENT_FILL = "#DDEBF7"
WHITE = "#FFFFFF"
# The input template: a pale yellow for what staff fill in, a darker grid
# than the workbook's, a grey for a dash standing for no value.
INPUT_FILL = "#FFF4CC"
TEMPLATE_GRID = "#A6A6A6"
# A pilot's return: the column to fill is edged in orange, what is known greyed.
OPEN_EDGE = "#C55A11"
KNOWN_FILL = "#E7E6E6"
NO_VALUE_COLOUR = "#808080"

STATUS_COLOURS: dict[Status, tuple[str, str]] = {
    Status.CONFORME: ("#C6EFCE", "#006100"),
    Status.VIGILANCE: ("#FFEB9C", "#9C5700"),
    Status.ALERTE: ("#FFC7CE", "#9C0006"),
    Status.NON_RENSEIGNE: ("#D9D9D9", "#404040"),
    Status.SANS_CIBLE: ("#E7E6E6", "#404040"),
    Status.A_VENIR: ("#F2F2F2", "#7F7F7F"),
}

# A trajectory takes the colours of the status it foretells.
TRAJECTORY_COLOURS: dict[Trajectory, tuple[str, str]] = {
    Trajectory.EN_BONNE_VOIE: STATUS_COLOURS[Status.CONFORME],
    Trajectory.A_SURVEILLER: STATUS_COLOURS[Status.VIGILANCE],
    Trajectory.HORS_TRAJECTOIRE: STATUS_COLOURS[Status.ALERTE],
    Trajectory.NON_PROJETABLE: STATUS_COLOURS[Status.NON_RENSEIGNE],
}

# Number formats. Percent and points keep one decimal because interpolated
# targets rarely fall on a whole percent, and the gap must visibly add up.
PERCENT = "0.0 %"
DATE = "dd/mm/yyyy"
MEASURE_DATE = 'dd/mm/yyyy" (mesure)"'
CHART_DATE = "dd/mm"
GAP = "+0.0;-0.0;0.0"
PACE = "0.0"
TREND = '"▲ "+0.0" pts";"▼ "-0.0" pts";"= 0 pt"'
COUNT = "0"

FONT_NAME, FONT_SIZE = "Arial", 10
FONT = {"font_name": FONT_NAME, "font_size": FONT_SIZE, "valign": "vcenter"}
BOX = {"border": 1, "border_color": GRID}
MEASURE = {"italic": True, "font_color": MUTED}

FORMATS: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 16, "font_color": NAVY, "valign": "top",
              "text_wrap": True},
    "subtitle": {"italic": True, "font_size": 11, "font_color": MUTED},
    "section": {"bold": True, "font_size": 12, "font_color": NAVY, "bottom": 2,
                "bottom_color": NAVY},
    "header": {"bold": True, "font_color": WHITE, "bg_color": HEADER_FILL,
               "text_wrap": True, "align": "center", **BOX},
    "text": {"text_wrap": True, **BOX},
    "text_bold": {"text_wrap": True, "bold": True, **BOX},
    "center": {"align": "center", **BOX},
    "status": {"align": "center", "bold": True, **BOX},
    "status_measure": {"align": "center", "bold": True, **BOX, **MEASURE},
    "number_link": {"align": "center", "bold": True, "font_color": LINK, "underline": 1,
                    **BOX},
    "date": {"num_format": DATE, "align": "center", **BOX},
    "date_measure": {"num_format": MEASURE_DATE, "align": "center", **BOX, **MEASURE},
    "percent": {"num_format": PERCENT, "align": "center", **BOX},
    "percent_measure": {"num_format": PERCENT, "align": "center", **BOX, **MEASURE},
    # The latest rate, where a mission's projection starts (its sheet's Projection column).
    "projection_start": {"num_format": PERCENT + '" (départ)"', "align": "center", **BOX,
                         **MEASURE},
    "percent_bold": {"num_format": PERCENT, "align": "center", "bold": True, **BOX},
    # The committee being prepared, beside the archived ones (Historique).
    "percent_current": {"num_format": PERCENT, "align": "center", "bold": True,
                        "bg_color": CURRENT_FILL, **BOX},
    "gap": {"num_format": GAP, "align": "center", **BOX},
    "gap_measure": {"num_format": GAP, "align": "center", **BOX, **MEASURE},
    "trend": {"num_format": TREND, "align": "center", **BOX},
    "pace": {"num_format": PACE, "align": "center", **BOX},
    "center_wrap": {"align": "center", "text_wrap": True, **BOX},
    # A declared weather the trajectory contradicts: a question for the committee.
    "weather_flag": {"align": "center", "text_wrap": True, "bold": True,
                     "font_color": "#9C5700", "bg_color": "#FFEB9C", **BOX},
    # A rate nobody has updated since the previous committee, in the Tendance column.
    "stale": {"align": "center", "valign": "vcenter", "text_wrap": True, "italic": True,
              "font_color": "#9C5700", **BOX},
    "key_label": {"bold": True, "bg_color": KEY_FILL, "text_wrap": True, **BOX},
    "key_count": {"bold": True, "font_size": 14, "num_format": COUNT, "align": "center",
                  **BOX},
    "key_percent": {"bold": True, "font_size": 14, "num_format": PERCENT,
                    "align": "center", **BOX},
    "key_status": {"bold": True, "align": "center", "text_wrap": True, **BOX},
    "key_note": {"bold": True, "font_color": NAVY},
    "note": {"italic": True, "font_size": 9, "font_color": MUTED},
    "note_wrap": {"italic": True, "font_size": 9, "font_color": MUTED, "text_wrap": True,
                  "valign": "top"},
    "label": {"bold": True, "valign": "top", "text_wrap": True, "bg_color": KEY_FILL, **BOX},
    "block": {"text_wrap": True, "valign": "top", **BOX},
    "param_label": {"bold": True, "bg_color": KEY_FILL, "text_wrap": True, **BOX},
    "link": {"font_color": LINK, "underline": 1},
    "param_value": {"align": "left", "text_wrap": True, **BOX},
    "param_number": {"align": "left", "num_format": "General", "bold": True, **BOX},
    "param_date": {"align": "left", "num_format": DATE, "bold": True, **BOX},
}

# The input template (spes-report init) keeps xlsxwriter's default font,
# Calibri 11: its formats name no font, and its rows are sized for 11 pt.
TEMPLATE_FONT: dict[str, Any] = {}
TEMPLATE_FONT_SIZE = 11
WHOLE_PERCENT = "0%"
TEMPLATE_BOX = {"border": 1, "border_color": TEMPLATE_GRID}
TEMPLATE_HEADER = {**TEMPLATE_BOX, "bold": True, "font_color": WHITE, "bg_color": NAVY,
                   "align": "center", "valign": "vcenter", "text_wrap": True}
# What staff fill in is unlocked: the sheets are protected.
TEMPLATE_INPUT = {**TEMPLATE_BOX, "bg_color": INPUT_FILL, "locked": False}

TEMPLATE_FORMATS: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 16, "font_color": NAVY},
    "subtitle": {"italic": True, "font_color": MUTED},
    "label": {"bold": True, "align": "right", "valign": "vcenter", "text_wrap": True,
              "indent": 1},
    "committee_date": {**TEMPLATE_INPUT, "bold": True, "num_format": DATE, "align": "left",
                       "valign": "vcenter"},
    "committee_hint": {"italic": True, "font_color": MUTED, "valign": "vcenter"},
    "header": TEMPLATE_HEADER,
    # Unlocked so that a column inserted for a measurement date (it copies
    # the format on its left) can receive its date on a protected sheet.
    "header_date": {**TEMPLATE_HEADER, "num_format": DATE, "locked": False},
    # A pilot's return (collect prepare): the committee's column stands out, the
    # figures already known are grey and locked, the committee date fixed.
    "header_open": {**TEMPLATE_HEADER, "num_format": DATE, "bg_color": OPEN_EDGE},
    "open_mark": {"bold": True, "font_color": OPEN_EDGE, "align": "center",
                  "valign": "bottom"},
    "rate_open": {**TEMPLATE_INPUT, "num_format": WHOLE_PERCENT, "align": "center",
                  "valign": "vcenter", "bold": True, "border": 2, "border_color": OPEN_EDGE},
    "rate_known": {**TEMPLATE_BOX, "num_format": WHOLE_PERCENT, "align": "center",
                   "valign": "vcenter", "bg_color": KNOWN_FILL, "font_color": MUTED},
    "committee_date_fixed": {**TEMPLATE_BOX, "bold": True, "num_format": DATE,
                             "align": "left", "valign": "vcenter", "bg_color": KNOWN_FILL},
    "target_date": {**TEMPLATE_HEADER, "num_format": DATE},
    "number": {**TEMPLATE_BOX, "bold": True, "align": "center", "valign": "vcenter"},
    "mission": {**TEMPLATE_BOX, "valign": "vcenter", "text_wrap": True, "indent": 1},
    "rate": {**TEMPLATE_INPUT, "num_format": WHOLE_PERCENT, "align": "center",
             "valign": "vcenter"},
    "text": {**TEMPLATE_INPUT, "valign": "top", "text_wrap": True, "indent": 1},
    "weather": {**TEMPLATE_INPUT, "align": "center", "valign": "vcenter"},
    "target": {**TEMPLATE_BOX, "num_format": WHOLE_PERCENT, "align": "center",
               "valign": "vcenter"},
    "no_target": {**TEMPLATE_BOX, "align": "center", "valign": "vcenter",
                  "font_color": NO_VALUE_COLOUR},
    "heading": {"bold": True, "font_size": 12, "font_color": NAVY, "bottom": 1,
                "bottom_color": NAVY},
    "paragraph": {"text_wrap": True, "valign": "top"},
    "command": {**TEMPLATE_BOX, "font_name": "Courier New", "bold": True,
                "bg_color": KEY_FILL},
    "legend_input": {**TEMPLATE_BOX, "bg_color": INPUT_FILL},
    "note": {"italic": True, "font_color": MUTED, "text_wrap": True, "valign": "top"},
}

QUOTED = "+quoted"


def chart_font(size: float, **extra: Any) -> dict[str, Any]:
    """A chart font; charts do not inherit the workbook's default font."""
    return {"name": FONT_NAME, "size": size, **extra}


def percent_axis() -> dict[str, Any]:
    """The y axis every chart shares: 0 to 100 %, light gridlines."""
    return {"min": 0, "max": 1, "major_unit": 0.2, "num_format": "0 %",
            "num_font": chart_font(9),
            "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}}


class Styles:
    """The formats of one workbook, registered once when it is opened.

    The committee workbook's by default; the input template passes
    TEMPLATE_FORMATS and TEMPLATE_FONT. A format no cell uses is not written
    to the file.
    """

    def __init__(self, workbook: Any, formats: Mapping[str, Mapping[str, Any]] = FORMATS,
                 font: Mapping[str, Any] = FONT) -> None:
        self._formats: dict[str, Any] = {}
        for name, properties in formats.items():
            # Formats cannot be combined once made, so each gets a twin that
            # keeps risky text (see text.needs_quote_prefix) inert.
            self._formats[name] = workbook.add_format({**font, **properties})
            self._formats[name + QUOTED] = workbook.add_format(
                {**font, **properties, "quote_prefix": True}
            )
        # Formats used by conditional-formatting rules ("dxf" formats).
        self.status_rules: dict[Status, Any] = {
            status: workbook.add_format({"bg_color": fill, "font_color": font})
            for status, (fill, font) in STATUS_COLOURS.items()
        }
        self.trajectory_rules: dict[Trajectory, Any] = {
            trajectory: workbook.add_format({"bg_color": fill, "font_color": font})
            for trajectory, (fill, font) in TRAJECTORY_COLOURS.items()
        }

    def __getitem__(self, name: str) -> Any:
        return self._formats[name]

    def quoted(self, name: str) -> Any:
        return self._formats[name + QUOTED]
