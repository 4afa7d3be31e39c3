"""Write ``plan.xlsx``, the plan staff edit in Excel (``spes-report plan init``).

The layout is the one plan/sheet.py reads (its labels and headers are
imported from there); cells, styles, row heights, page setup and the rule
about overwriting are the input template's (writers/template.py).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import xlsxwriter

from ..files import keep_dated_copy, write_atomically
from ..model import Mission, Plan
from ..plan.sheet import (
    MISSION_HEADER,
    NUMBER_HEADER,
    PLAN_SHEET,
    REASON_HEADER,
    SERVICE_LABEL,
    TEXT_HEADERS,
    TITLE_LABEL,
)
from .cells import IN_MEMORY_PLAIN_TEXT, Cells
from .pagination import RowHeights
from .printing import Page, set_up_printing
from .styles import (
    KEY_FILL,
    TEMPLATE_BOX,
    TEMPLATE_FONT,
    TEMPLATE_FORMATS,
    TEMPLATE_INPUT,
    Styles,
)
from .template import (
    BACKUP_LABEL,
    SHEET_HELP,
    TemplateExistsError,
    fitted_height,
    validate,
    write_help_sheet,
)

__all__ = ["SHEET_HELP", "TemplateExistsError", "plan_bytes", "write_plan"]

SERVICE_CELL = (3, 0)  # A4, its value in B4
TITLE_CELL = (4, 0)  # A5, its value in B5
HEADER_ROW = 6  # row 7
FIRST_MISSION_ROW = 7  # row 8
# Rows below the missions ready for new ones: targets formatted and checked.
SPARE_ROWS = 50

# Read as shown by French Excel and LibreOffice: 75 %; a target between two
# whole percents keeps its decimal (87,5 %), so that it is shown as it is.
TARGET_PERCENT = "0 %"
TARGET_PERCENT_DECIMAL = "0.0 %"

# Widths (in characters) of the columns before the échéances, in order, then theirs.
_NUMBER_WIDTH = 13  # also holds the labels "Service" and "Titre du plan"
_MISSION_WIDTH = 38
_TEXT_COLUMNS: tuple[tuple[str, float], ...] = (
    ("objective", 32),
    ("description", 44),
    ("pilot", 16),
    ("pilot_email", 30),
)
_DATE_WIDTH = 11
# What the indent of text cells takes from their width, for row heights.
_INDENT_WIDTH = 2
_REASON_WIDTH = 28
FIRST_DATE_COL = 2 + len(_TEXT_COLUMNS)  # column G

# The plan's own looks, beside the template's (styles.TEMPLATE_FORMATS).
_TOP = {"valign": "top"}
_PLAN_FORMATS: dict[str, dict[str, Any]] = {
    "block_label": {**TEMPLATE_BOX, "bold": True, "bg_color": KEY_FILL, "align": "left",
                    "valign": "vcenter", "indent": 1},
    "block_value": {**TEMPLATE_INPUT, "bold": True, "align": "left", "valign": "vcenter",
                    "text_wrap": True, "indent": 1},
    "plan_number": {**TEMPLATE_INPUT, **_TOP, "bold": True, "align": "center"},
    "plan_mission": {**TEMPLATE_INPUT, **_TOP, "bold": True, "text_wrap": True, "align": "left",
                     "indent": 1},
    "plan_text": {**TEMPLATE_INPUT, **_TOP, "text_wrap": True, "align": "left", "indent": 1},
    "plan_target": {**TEMPLATE_INPUT, **_TOP, "num_format": TARGET_PERCENT,
                    "align": "center"},
    "plan_target_decimal": {**TEMPLATE_INPUT, **_TOP, "num_format": TARGET_PERCENT_DECIMAL,
                            "align": "center"},
    # The rows left for new missions: no fill or border, only the percent
    # format, so that 70 % typed there reads 70 %.
    "spare_target": {"num_format": TARGET_PERCENT, "align": "center", **_TOP},
}
_STYLES = {**TEMPLATE_FORMATS, **_PLAN_FORMATS}

# Target data validation (Excel limits: titles 32, messages 255 characters).
TARGET_INPUT_TITLE = "Cible de la mission"
TARGET_INPUT_MESSAGE = ("Taux visé à la date de la colonne : tapez 75 % (ou 0,75). Laissez "
                        "vide si la mission n’a pas de cible à cette échéance.")
TARGET_ERROR_TITLE = "Cible invalide"
TARGET_ERROR_MESSAGE = "Saisissez une cible entre 0 % et 100 %, par exemple 75 %."


def write_plan(path: Path, plan: Plan, *, force: bool = False,
               today: date | None = None) -> Path | None:
    """Write ``plan`` to ``path`` as plan.xlsx; return the backup of the old file, if any.

    The document's creation date is ``today``, else the current date, so the
    same call gives the same bytes. Raises TemplateExistsError when ``path``
    exists and ``force`` is false; with ``force`` the old file is kept beside
    it under a dated name (plan.sauvegarde-<date>.xlsx).
    """
    path = Path(path)
    if path.exists() and not force:
        raise TemplateExistsError(path)
    content = plan_bytes(plan, today or date.today())

    path.parent.mkdir(parents=True, exist_ok=True)
    backup = keep_dated_copy(path, BACKUP_LABEL) if path.exists() else None
    write_atomically(path, content)
    return backup


def plan_bytes(plan: Plan, created: date) -> bytes:
    """The plan.xlsx workbook of ``plan``, created on ``created``, in memory."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, IN_MEMORY_PLAIN_TEXT)
    workbook.set_properties({
        "title": _title(plan),
        "subject": plan.title,
        "author": plan.service,
        "company": plan.service,
        "comments": "Plan de pilotage créé par spes-report plan init",
        "created": datetime.combine(created, time()),
    })
    styles = Styles(workbook, _STYLES, TEMPLATE_FONT)
    _write_plan_sheet(workbook.add_worksheet(PLAN_SHEET), styles, plan)
    _write_help_sheet(workbook.add_worksheet(SHEET_HELP), styles, plan)
    workbook.close()
    return buffer.getvalue()


def _title(plan: Plan) -> str:
    return f"{plan.service} — Plan de pilotage"


def _mission_texts(mission: Mission) -> dict[str, str]:
    return {"objective": mission.objective, "description": mission.description,
            "pilot": mission.pilot, "pilot_email": mission.pilot_email}


def _write_plan_sheet(worksheet: Any, styles: Styles, plan: Plan) -> None:
    cells = Cells(worksheet, styles)
    heights = RowHeights(worksheet)
    dates = plan.milestone_dates
    reason_col = FIRST_DATE_COL + len(dates)
    last_spare_row = FIRST_MISSION_ROW + len(plan.missions) + SPARE_ROWS - 1

    worksheet.set_column(0, 0, _NUMBER_WIDTH)
    worksheet.set_column(1, 1, _MISSION_WIDTH)
    for offset, (_, width) in enumerate(_TEXT_COLUMNS):
        worksheet.set_column(2 + offset, 2 + offset, width)
    if dates:
        worksheet.set_column(FIRST_DATE_COL, reason_col - 1, _DATE_WIDTH)
    worksheet.set_column(reason_col, reason_col, _REASON_WIDTH)

    cells.text(0, 0, _title(plan), "title")
    heights.set(0, 24)
    cells.text(1, 0, "Modifiez ce tableau dans Excel puis lancez « spes-report plan check » : "
               "le mode d'emploi est dans la feuille suivante.", "subtitle")

    for (row, col), label, value in ((SERVICE_CELL, SERVICE_LABEL, plan.service),
                                     (TITLE_CELL, TITLE_LABEL, plan.title)):
        cells.text(row, col, label, "block_label")
        cells.text(row, col + 1, value, "block_value")
        heights.set(row, fitted_height([(value, _MISSION_WIDTH - _INDENT_WIDTH)]))

    headers = [NUMBER_HEADER, MISSION_HEADER, *(TEXT_HEADERS[k] for k, _ in _TEXT_COLUMNS)]
    for col, header in enumerate(headers):
        cells.text(HEADER_ROW, col, header, "header")
    for offset, day in enumerate(dates):
        cells.date(HEADER_ROW, FIRST_DATE_COL + offset, day, "header_date")
    cells.text(HEADER_ROW, reason_col, REASON_HEADER, "header")
    heights.set(HEADER_ROW, fitted_height(
        [(h, w) for h, w in zip(headers, _widths(), strict=True)], minimum_lines=2))

    for row, mission in enumerate(plan.missions, start=FIRST_MISSION_ROW):
        cells.number(row, 0, mission.number, "plan_number")
        cells.text(row, 1, mission.title, "plan_mission")
        texts = _mission_texts(mission)
        for offset, (key, _) in enumerate(_TEXT_COLUMNS):
            cells.text(row, 2 + offset, texts[key], "plan_text")
        targets = {m.due: m.target for m in mission.milestones}
        for offset, day in enumerate(dates):
            target = targets.get(day)
            cells.number(row, FIRST_DATE_COL + offset, target, _target_style(target))
        cells.text(row, reason_col, mission.revision_reason, "plan_text")
        heights.set(row, fitted_height([
            (_breakable(text), width - _INDENT_WIDTH) for text, width in (
                (mission.title, _MISSION_WIDTH),
                *((texts[key], width) for key, width in _TEXT_COLUMNS),
                (mission.revision_reason, _REASON_WIDTH),
            )
        ], minimum_lines=2))

    for row in range(FIRST_MISSION_ROW + len(plan.missions), last_spare_row + 1):
        for offset in range(len(dates)):
            cells.blank(row, FIRST_DATE_COL + offset, "spare_target")

    if dates:
        # One range for every target cell: Excel widens it when a column is inserted inside.
        validate(
            worksheet, (FIRST_MISSION_ROW, FIRST_DATE_COL), (last_spare_row, reason_col - 1),
            validate="decimal", criteria="between", minimum=0, maximum=1,
            input_title=TARGET_INPUT_TITLE, input_message=TARGET_INPUT_MESSAGE,
            error_title=TARGET_ERROR_TITLE, error_message=TARGET_ERROR_MESSAGE,
        )

    worksheet.freeze_panes(FIRST_MISSION_ROW, 2)
    worksheet.activate()
    worksheet.set_selection(FIRST_MISSION_ROW, FIRST_DATE_COL, FIRST_MISSION_ROW,
                            FIRST_DATE_COL)
    # Not protected: the plan is the service's own, every cell of it.
    set_up_printing(worksheet, Page(_title(plan)), header_row=HEADER_ROW)


def _target_style(target: float | None) -> str:
    """Whole percents as 75 %, others with their decimal (87,5 %)."""
    if target is None or round(target * 100, 6).is_integer():
        return "plan_target"
    return "plan_target_decimal"


def _breakable(text: str) -> str:
    """``text`` as Excel and LibreOffice wrap it: after a hyphen too (long
    addresses such as prenom.nom@developpement-durable.gouv.fr)."""
    return text.replace("-", "- ")


def _widths() -> tuple[float, ...]:
    """The widths of the columns before the échéances, in order."""
    return (_NUMBER_WIDTH, _MISSION_WIDTH, *(width for _, width in _TEXT_COLUMNS))


def _help_lines(plan: Plan) -> Sequence[tuple[str, str]]:
    """The Mode d'emploi as (kind, text) lines; kind picks the format."""
    return (
        ("title", f"{plan.service} — Mode d’emploi du plan de pilotage"),
        ("text", "Ce fichier est le plan de pilotage : la liste des missions suivies par le "
                 "comité de pilotage et, pour chacune, la cible à atteindre (un taux de "
                 "réalisation) à chaque échéance. Il appartient au service : modifiez-le "
                 "directement dans la feuille « Plan », qui n’est pas protégée."),
        ("text", "Toutes les commandes de spes-report utilisent le fichier plan.xlsx du dossier "
                 "de travail (le dossier où vous lancez les commandes) lorsqu’il existe ; sinon, "
                 "elles utilisent le plan intégré à l’outil. Gardez donc ce fichier sous le nom "
                 "plan.xlsx, au format Excel (.xlsx), dans ce dossier."),
        ("heading", "1. Réviser une cible"),
        ("text", "Chaque ligne est une mission, chaque colonne datée une échéance : la case à "
                 "leur croisement est la cible de la mission à cette date. Tapez la nouvelle "
                 "cible dans sa case, avec le signe % (75 %) ou en fraction (0,75). Laissez la "
                 "case vide si la mission n’a pas de cible à cette échéance."),
        ("text", "Dites pourquoi dans la colonne « Motif de révision » de la mission, en une "
                 "phrase (par exemple : « Cible abaissée : recrutement reporté à l’automne »). "
                 "Le comité verra la cible initiale et la cible révisée, avec ce motif."),
        ("heading", "2. Ajouter une mission"),
        ("text", "Remplissez la première ligne libre sous le tableau : un nouveau numéro "
                 "(par exemple 9) dans la colonne « N° », l’intitulé dans la colonne « Mission », "
                 "puis ses cibles sous les échéances (une au moins). L’objectif, la description, "
                 "le pilote et le motif sont facultatifs."),
        ("text", "Ajoutez ensuite la ligne de cette mission, avec le même numéro et le même "
                 "intitulé, dans le fichier de saisie inputs/input.xlsx : c’est là que ses taux "
                 "seront saisis chaque mois."),
        ("heading", "3. Ajouter ou déplacer une échéance"),
        ("text", "Pour ajouter une échéance, insérez une colonne parmi les colonnes datées : "
                 "clic droit sur la lettre de la colonne qui suivra la nouvelle, puis "
                 "« Insérer » (Excel) ou « Insérer des colonnes avant » (LibreOffice). Tapez la "
                 "date de l’échéance dans la case d’en-tête, ligne 7 (jj/mm/aaaa), puis les "
                 "cibles des missions en dessous. Pour déplacer une échéance, changez la date "
                 "de son en-tête."),
        ("text", "Gardez les échéances de gauche à droite dans l’ordre des dates, de la plus "
                 "ancienne à la plus récente, avec une seule colonne par date."),
        ("text", "Ajoutez la même colonne datée dans le fichier de saisie inputs/input.xlsx."),
        ("heading", "4. Commencer une nouvelle période"),
        ("text", "Pour un nouveau plan (une nouvelle année, par exemple), changez le « Titre "
                 "du plan », remplacez les dates des échéances et les missions, puis préparez "
                 "le fichier de saisie qui va avec. Les comités déjà tenus restent dans "
                 "l’historique, tels qu’ils ont été présentés."),
        ("heading", "5. Les pilotes"),
        ("text", "Les colonnes « Pilote » et « Courriel du pilote » sont facultatives : elles "
                 "disent qui suit la mission et fournit ses taux. Le courriel est une adresse "
                 "simple, comme prenom.nom@ministere.gouv.fr."),
        ("heading", "6. Vérifier et afficher le plan"),
        ("text", "Après chaque modification, enregistrez ce fichier, puis, dans un terminal "
                 "ouvert dans le dossier de travail, lancez :"),
        ("command", "spes-report plan check"),
        ("text", "La commande vérifie le plan et signale chaque erreur avec sa cellule (par "
                 "exemple Plan!H9) : corrigez-la et relancez. Pour afficher le plan tel que "
                 "l’outil le comprend, lancez :"),
        ("command", "spes-report plan show"),
        ("note", "Pour repartir du plan intégré à l’outil : spes-report plan init --force "
                 "(l’ancien fichier est conservé en copie datée dans le même dossier)."),
    )


def _write_help_sheet(worksheet: Any, styles: Styles, plan: Plan) -> None:
    write_help_sheet(worksheet, styles, _help_lines(plan),
                     Page(f"{plan.service} — mode d’emploi du plan de pilotage"))
