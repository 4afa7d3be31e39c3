"""Write the input workbook that staff fill in each month (``spes-report init``).

Cells, styles, row heights and page setup are the committee workbook's
helpers; the look (TEMPLATE_FORMATS) is its own.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import xlsxwriter

from .. import french
from ..builder import DEFAULT_TOLERANCE_POINTS
from ..files import keep_dated_copy, write_atomically
from ..french import DASH
from ..model import Mission, Notes, Plan, Weather
from .cells import IN_MEMORY_PLAIN_TEXT, Cells, checked
from .pagination import RowHeights
from .printing import Page, set_up_printing
from .styles import TEMPLATE_FONT, TEMPLATE_FONT_SIZE, TEMPLATE_FORMATS, Styles
from .text import row_height, wrapped_lines

# The layout below is a contract with the loader: keep these in step with it.
SHEET_INPUT = "Saisie"
SHEET_HELP = "Mode d'emploi"
SHEET_TARGETS = "Cibles"
COMMITTEE_LABEL = "Date du comité"
COMMITTEE_LABEL_CELL = (2, 0)  # A3
COMMITTEE_DATE_CELL = (2, 1)  # B3
HEADER_ROW = 4  # row 5
FIRST_MISSION_ROW = 5  # row 6
NUMBER_HEADER = "N°"
MISSION_HEADER = "Mission"
NOTE_HEADERS = ("Commentaire", "Points d'attention", "Prochaines étapes")
# The pilot's weather, a drop-down, between the rates and the texts; optional in the input.
WEATHER_HEADER = "Météo"
WEATHER_CHOICES = tuple(w.value for w in Weather)
FIRST_DATE_COL = 2  # column C
# Above the open column of a pilot's return, the row over the header.
OPEN_COLUMN_MARK = "À remplir ↓"

# Rate data validation messages (Excel limits: titles 32, messages 255 characters).
RATE_ERROR_MESSAGE = "Saisissez un taux entre 0 % et 100 %, par exemple 75 %."

_MISSION_WIDTH = 42
_DATE_WIDTH = 12
_TEXT_WIDTH = 30
_WEATHER_WIDTH = 12
# Room left in an empty text cell, in lines: an invitation to write.
_EMPTY_TEXT_LINES = 3
_HELP_WIDTH = 110


# The word in the name of the copy kept by ``init --force``: input.sauvegarde-<date>.xlsx
BACKUP_LABEL = "sauvegarde"


@dataclass(frozen=True)
class PilotReturn:
    """What narrows the template to one pilot's return file (``collect prepare``).

    Only the rows of ``missions`` (plan numbers, kept in the plan's order); the
    committee date is written and locked; every date column is locked, showing
    the figures already known, except the committee date's own column, which is
    open and highlighted. Measurement dates (between échéances) of the prefilled
    rates, and the committee date when it is no échéance, get columns of their own.
    """

    pilot: str
    missions: tuple[int, ...]


class TemplateExistsError(Exception):
    """The input file exists already and ``force`` was not given."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} exists")


def write_template(
    path: Path,
    plan: Plan,
    *,
    force: bool = False,
    committee_date: date | None = None,
    rates: Mapping[tuple[int, date], float] | None = None,
    notes: Mapping[int, Notes] | None = None,
    today: date | None = None,
    pilot_return: PilotReturn | None = None,
) -> Path | None:
    """Write the input template to ``path``; return the backup of the old file, if any.

    ``rates`` maps (mission number, échéance date) to a fraction and ``notes``
    maps a mission number to its text columns; both prefill the table (used for
    the committed sample). The document's creation date is ``committee_date``,
    else ``today``, else the current date, so the same call gives the same bytes.
    With ``pilot_return`` the file is that pilot's return (see PilotReturn): it
    needs ``committee_date``, and its rates may fall between échéances.

    Raises TemplateExistsError when ``path`` exists and ``force`` is false, and
    ValueError when a rate or a note does not fit the plan.
    """
    path = Path(path)
    if path.exists() and not force:
        raise TemplateExistsError(path)
    shape = _shape(plan, committee_date, rates or {}, pilot_return)
    _check_prefill(plan, rates or {}, notes or {}, shape)
    created = committee_date or today or date.today()
    content = _workbook_bytes(plan, committee_date, rates or {}, notes or {}, created, shape)

    path.parent.mkdir(parents=True, exist_ok=True)
    backup = keep_dated_copy(path, BACKUP_LABEL) if path.exists() else None
    write_atomically(path, content)
    return backup


@dataclass(frozen=True)
class _Shape:
    """The input sheet's rows and date columns, and the one open date column (a return)."""

    missions: tuple[Mission, ...]
    dates: tuple[date, ...]
    pilot_return: PilotReturn | None = None
    open_date: date | None = None


def _shape(plan: Plan, committee_date: date | None,
           rates: Mapping[tuple[int, date], float],
           pilot_return: PilotReturn | None) -> _Shape:
    if pilot_return is None:
        return _Shape(plan.missions, plan.milestone_dates)
    if committee_date is None:
        raise ValueError("a pilot's return needs the committee date")
    unknown = [n for n in pilot_return.missions if plan.mission(n) is None]
    if unknown or not pilot_return.missions:
        raise ValueError(f"return for unknown missions {unknown or 'none'}")
    wanted = set(pilot_return.missions)
    missions = tuple(m for m in plan.missions if m.number in wanted)
    dates = {*plan.milestone_dates, committee_date, *(day for _, day in rates)}
    return _Shape(missions, tuple(sorted(dates)), pilot_return, committee_date)


def _check_prefill(
    plan: Plan,
    rates: Mapping[tuple[int, date], float],
    notes: Mapping[int, Notes],
    shape: _Shape,
) -> None:
    numbers = {m.number for m in shape.missions}
    dates = set(shape.dates)
    for (number, day), rate in rates.items():
        if number not in numbers:
            raise ValueError(f"rate for unknown mission {number}")
        if day not in dates:
            raise ValueError(f"rate for mission {number} on {day}, which is not an échéance")
        if not isinstance(rate, int | float) or not math.isfinite(rate) or not 0 <= rate <= 1:
            raise ValueError(f"rate {rate!r} for mission {number} on {day} is not a fraction")
    for number in notes:
        if number not in numbers:
            raise ValueError(f"notes for unknown mission {number}")


def _workbook_bytes(
    plan: Plan,
    committee_date: date | None,
    rates: Mapping[tuple[int, date], float],
    notes: Mapping[int, Notes],
    created: date,
    shape: _Shape,
) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, IN_MEMORY_PLAIN_TEXT)
    workbook.set_properties({
        "title": f"{plan.service} — Saisie des taux de réalisation",
        "subject": plan.title,
        "author": plan.service,
        "company": plan.service,
        "comments": ("Fichier de saisie créé par spes-report init" if shape.pilot_return is None
                     else "Fichier de retour créé par spes-report collect prepare"),
        "created": datetime.combine(created, time()),
    })
    styles = Styles(workbook, TEMPLATE_FORMATS, TEMPLATE_FONT)
    _write_input_sheet(workbook.add_worksheet(SHEET_INPUT), styles, plan,
                       committee_date, rates, notes, shape)
    _write_help_sheet(workbook.add_worksheet(SHEET_HELP), styles, plan, shape)
    _write_targets_sheet(workbook.add_worksheet(SHEET_TARGETS), styles, plan, shape)
    workbook.close()
    return buffer.getvalue()


def fitted_height(cells: Sequence[tuple[str, float]], minimum_lines: int = 1) -> float:
    """A row height (points) showing every (text, column width) without cutting it."""
    lines = max([minimum_lines, *(wrapped_lines(text, width) for text, width in cells)])
    return row_height(lines, TEMPLATE_FONT_SIZE)


def validate(worksheet: Any, first: tuple[int, int], last: tuple[int, int],
              **options: Any) -> None:
    checked(worksheet.data_validation(*first, *last, options), worksheet.get_name(), *first)


def _write_input_sheet(
    worksheet: Any,
    styles: Styles,
    plan: Plan,
    committee_date: date | None,
    rates: Mapping[tuple[int, date], float],
    notes: Mapping[int, Notes],
    shape: _Shape,
) -> None:
    cells = Cells(worksheet, styles)
    heights = RowHeights(worksheet)
    dates = shape.dates
    pilot_return = shape.pilot_return
    weather_col = FIRST_DATE_COL + len(dates)
    note_col = weather_col + 1
    last_row = FIRST_MISSION_ROW + len(shape.missions) - 1

    worksheet.set_column(0, 0, 9)
    worksheet.set_column(1, 1, _MISSION_WIDTH)
    worksheet.set_column(FIRST_DATE_COL, weather_col - 1, _DATE_WIDTH)
    worksheet.set_column(weather_col, weather_col, _WEATHER_WIDTH)
    worksheet.set_column(note_col, note_col + len(NOTE_HEADERS) - 1, _TEXT_WIDTH)

    if pilot_return is None or committee_date is None:
        cells.text(0, 0, f"{plan.service} — Saisie des taux de réalisation", "title")
        cells.text(1, 0, "Remplissez les cellules sur fond jaune pâle. "
                   "Toutes les explications sont dans l’onglet « Mode d’emploi ».", "subtitle")
    else:
        cells.text(0, 0, f"{plan.service} — Taux de réalisation à transmettre : "
                   f"{pilot_return.pilot}", "title")
        cells.text(1, 0, f"Pour le comité du {french.long_date(committee_date)} : remplissez "
                   "les cellules sur fond jaune pâle ; les taux déjà connus sont grisés et "
                   "protégés. Explications dans l’onglet « Mode d’emploi ».", "subtitle")

    heights.set(COMMITTEE_DATE_CELL[0], 32)
    cells.text(*COMMITTEE_LABEL_CELL, COMMITTEE_LABEL, "label")
    if committee_date is None:
        cells.blank(*COMMITTEE_DATE_CELL, "committee_date")
    elif pilot_return is not None:
        # The service chose the committee: the pilot reports for it, not another.
        cells.date(*COMMITTEE_DATE_CELL, committee_date, "committee_date_fixed")
    else:
        cells.date(*COMMITTEE_DATE_CELL, committee_date, "committee_date")
    if pilot_return is None:
        cells.text(COMMITTEE_DATE_CELL[0], FIRST_DATE_COL,
                   "← date de la réunion du comité de pilotage (jj/mm/aaaa)", "committee_hint")
        validate(
            worksheet, COMMITTEE_DATE_CELL, COMMITTEE_DATE_CELL,
            validate="date", criteria="between",
            minimum=date(2000, 1, 1), maximum=date(2099, 12, 31),
            input_title="Date du comité",
            input_message="Saisissez la date du comité de pilotage, par exemple 01/06/2020.",
            error_title="Date invalide",
            error_message="Saisissez une date au format jj/mm/aaaa, par exemple 01/06/2020.",
        )

    heights.set(HEADER_ROW, 32)
    cells.text(HEADER_ROW, 0, NUMBER_HEADER, "header")
    cells.text(HEADER_ROW, 1, MISSION_HEADER, "header")
    for offset, day in enumerate(dates):
        if pilot_return is None:
            style = "header_date"
        elif day == shape.open_date:
            style = "header_open"
            cells.text(HEADER_ROW - 1, FIRST_DATE_COL + offset, OPEN_COLUMN_MARK, "open_mark")
        else:
            style = "target_date"
        cells.date(HEADER_ROW, FIRST_DATE_COL + offset, day, style)
    cells.text(HEADER_ROW, weather_col, WEATHER_HEADER, "header")
    for offset, header in enumerate(NOTE_HEADERS):
        cells.text(HEADER_ROW, note_col + offset, header, "header")

    for row, mission in enumerate(shape.missions, start=FIRST_MISSION_ROW):
        cells.number(row, 0, mission.number, "number")
        cells.text(row, 1, mission.title, "mission")
        for offset, day in enumerate(dates):
            rate = rates.get((mission.number, day))
            style = ("rate" if pilot_return is None
                     else "rate_open" if day == shape.open_date else "rate_known")
            cells.number(row, FIRST_DATE_COL + offset, None if rate is None else float(rate),
                         style)
        texts = notes.get(mission.number, Notes())
        if texts.weather is None:
            cells.blank(row, weather_col, "weather")
        else:
            cells.text(row, weather_col, texts.weather.value, "weather")
        columns = (texts.comment, texts.attention, texts.next_steps)
        heights.set(row, fitted_height(
            [(mission.title, _MISSION_WIDTH), *((text, _TEXT_WIDTH) for text in columns)],
            minimum_lines=_EMPTY_TEXT_LINES,
        ))
        for offset, text in enumerate(columns):
            if text:
                cells.text(row, note_col + offset, text, "text")
            else:
                cells.blank(row, note_col + offset, "text")

    validate(
        worksheet, (FIRST_MISSION_ROW, weather_col), (last_row, weather_col),
        validate="list", source=list(WEATHER_CHOICES),
        input_title="Météo de la mission",
        input_message="Facultatif : l’avis du pilote sur la mission, Soleil (tout va bien), "
                      "Nuageux, Couvert ou Orage (en grande difficulté). Laissez vide sinon.",
        error_title="Météo inconnue",
        error_message="Choisissez Soleil, Nuageux, Couvert ou Orage dans la liste, ou "
                      "laissez la case vide.",
    )
    if dates:
        # One range for every rate cell: Excel widens it when a column is inserted inside.
        validate(
            worksheet, (FIRST_MISSION_ROW, FIRST_DATE_COL), (last_row, weather_col - 1),
            validate="decimal", criteria="between", minimum=0, maximum=1,
            input_title="Taux de réalisation",
            input_message="Taux atteint à la date de la colonne : tapez 75 % "
                          "(ou 75, ou 0,75). Laissez vide si le taux n’est pas connu.",
            error_title="Taux invalide",
            error_message=RATE_ERROR_MESSAGE,
        )

    worksheet.freeze_panes(FIRST_MISSION_ROW, FIRST_DATE_COL)
    worksheet.activate()
    if pilot_return is None or shape.open_date is None:
        worksheet.set_selection(*COMMITTEE_DATE_CELL, *COMMITTEE_DATE_CELL)
        allowed: dict[str, bool] = {"insert_columns": True, "insert_rows": True}
    else:
        first_open = (FIRST_MISSION_ROW, FIRST_DATE_COL + dates.index(shape.open_date))
        worksheet.set_selection(*first_open, *first_open)
        # A return keeps the service's layout: its rows and columns are the ones asked for.
        allowed = {}
    # No password: protection guards against slips, not against the user.
    worksheet.protect("", {
        "format_cells": True,
        "format_columns": True,
        "format_rows": True,
        **allowed,
    })
    title = ("fichier de saisie" if pilot_return is None
             else f"fichier de retour de {pilot_return.pilot}")
    set_up_printing(worksheet, Page(f"{plan.service} — {title}"), header_row=HEADER_ROW)


def _help_lines(plan: Plan) -> Sequence[tuple[str, str]]:
    """The Mode d'emploi as (kind, text) lines; kind picks the format."""
    first = plan.milestone_dates[0] if plan.milestone_dates else date(2020, 5, 11)
    tolerance = french.number(DEFAULT_TOLERANCE_POINTS)
    return (
        ("title", f"{plan.service} — Mode d’emploi du fichier de saisie"),
        ("text", "Ce fichier sert à saisir, chaque mois, les taux de réalisation des missions. "
                 "Le programme spes-report le lit et produit le classeur envoyé au comité de "
                 "pilotage. Seules les cellules sur fond jaune pâle sont à remplir ; les autres "
                 "sont protégées pour éviter les erreurs de manipulation."),
        ("legend", "Cellule à remplir"),
        ("heading", "1. La date du comité"),
        ("text", "Dans l’onglet « Saisie », tapez la date de la réunion du comité de pilotage "
                 "dans la cellule B3, à droite de « Date du comité », au format jj/mm/aaaa "
                 "(par exemple 01/06/2020). Le classeur est établi à cette date : les taux "
                 "saisis pour des dates postérieures ne sont pas pris en compte."),
        ("heading", "2. Les taux de réalisation"),
        ("text", "Chaque ligne est une mission, chaque colonne datée est une échéance : tapez "
                 "dans la case le taux atteint par la mission à cette date. Laissez la case vide "
                 "si le taux n’est pas connu. Les cibles à atteindre sont rappelées dans l’onglet "
                 "« Cibles »."),
        *_rate_typing_lines(),
        ("heading", "3. Ajouter une date de mesure entre deux échéances"),
        ("text", "Si un taux a été mesuré à une autre date qu’une échéance (par exemple le "
                 "20/05, entre deux échéances), ajoutez-lui une colonne ; la protection de la "
                 "feuille le permet :"),
        ("text", "•  faites un clic droit sur la lettre de la colonne de l’échéance qui suit "
                 "cette date, puis choisissez « Insérer » (Excel) ou « Insérer des colonnes "
                 "avant » (LibreOffice) ;"),
        ("text", "•  dans la ligne 5 de la nouvelle colonne, tapez la date de la mesure "
                 "(jj/mm/aaaa), puis les taux des missions en dessous ;"),
        ("text", "•  gardez les colonnes dans l’ordre des dates. La cible à cette date est "
                 "calculée entre les deux échéances qui l’encadrent."),
        ("text", "Ne modifiez pas les dates des échéances ni les numéros et intitulés des "
                 "missions. Si la saisie est refusée dans une nouvelle colonne, ôtez la protection "
                 "de la feuille (Excel : Révision › Ôter la protection de la feuille ; "
                 "LibreOffice : Outils › Protéger la feuille) : il n’y a pas de mot de passe."),
        ("heading", "4. Les trois colonnes de texte"),
        *_text_column_lines(),
        ("heading", "5. La météo de la mission (facultatif)"),
        *_weather_lines(),
        ("heading", "6. Produire le classeur du comité"),
        ("text", "Enregistrez ce fichier sous le nom inputs/input.xlsx (format Excel .xlsx), "
                 "puis, dans un terminal ouvert dans le dossier du projet, lancez l’une des deux "
                 "commandes :"),
        ("command", "spes-report build"),
        ("command", "make run"),
        ("text", "Le classeur est écrit dans le dossier outputs, sous le nom "
                 "SPES_COPIL_AAAA-MM-JJ.xlsx (AAAA-MM-JJ étant la date du comité, par exemple "
                 "outputs/SPES_COPIL_2020-06-01.xlsx). Si le fichier de saisie contient une "
                 "erreur, la commande l’indique avec sa cellule (par exemple Saisie!D7) : "
                 "corrigez-la et relancez."),
        ("heading", "Bon à savoir"),
        ("text", f"Statut d’une mission : « Conforme » si le taux atteint la cible, "
                 f"« Vigilance » s’il est en dessous de la cible de {tolerance} points au plus, "
                 f"« Alerte » au-delà. Avant la première échéance "
                 f"({french.short_date(first)}), aucune cible n’est due."),
        ("note", "Pour repartir d’un fichier vierge : spes-report init --force (l’ancien fichier "
                 "est conservé en copie datée dans le même dossier)."),
    )


def _rate_typing_lines() -> Sequence[tuple[str, str]]:
    return (
        ("text", "Vous pouvez taper 75 %, 75 ou 0,75 : les trois donnent 75 %. La règle est "
                 "la suivante :"),
        ("text", "•  une cellule au format pourcentage, ou un texte contenant %, est lue comme "
                 "un pourcentage, tel qu’il s’affiche (75 % → 75 %) ;"),
        ("text", "•  un nombre simple supérieur à 1 est lu comme un pourcentage (75 → 75 %) ;"),
        ("text", "•  un nombre simple de 0 à 1 est lu comme une fraction (0,75 → 75 %)."),
        ("text", "Attention donc aux très petits taux : pour 1 %, tapez « 1 % » et non 1 "
                 "(un 1 seul serait lu comme 100 %). Un taux doit être compris entre 0 % et "
                 "100 % ; Excel refuse les autres valeurs."),
    )


def _text_column_lines() -> Sequence[tuple[str, str]]:
    return (
        ("text", "•  Commentaire : ce qui a été fait depuis le dernier comité et explique le "
                 "taux atteint ;"),
        ("text", "•  Points d’attention : les difficultés, retards ou risques que le comité doit "
                 "connaître ;"),
        ("text", "•  Prochaines étapes : ce qui est prévu d’ici le prochain comité."),
        ("text", "Ces textes sont repris tels quels dans le classeur du comité : écrivez des "
                 "phrases courtes. Pour aller à la ligne dans une cellule, tapez Alt+Entrée "
                 "(Ctrl+Entrée dans LibreOffice). Si un long texte est coupé, agrandissez la "
                 "ligne : double-cliquez sur la limite sous son numéro, dans la marge de gauche."),
    )


def _weather_lines() -> Sequence[tuple[str, str]]:
    return (
        ("text", "Dans la colonne « Météo », choisissez dans la liste l’avis du pilote sur la "
                 "mission : Soleil (tout va bien), Nuageux, Couvert ou Orage (en grande "
                 "difficulté). Laissez la case vide sans avis du pilote : le "
                 "classeur indiquera « Non renseignée », jamais une météo par défaut. Le "
                 "classeur signale une météo que les chiffres contredisent nettement (Soleil "
                 "pour une mission hors trajectoire, Orage pour une mission en bonne voie), "
                 "pour que le comité pose la question."),
    )


def _return_help_lines(plan: Plan, shape: _Shape, pilot: str) -> Sequence[tuple[str, str]]:
    """The Mode d'emploi of a pilot's return file."""
    day = shape.open_date or date(2020, 6, 1)
    numbers = french.listing([str(m.number) for m in shape.missions])
    these = french.plural(len(shape.missions), "de la mission", "des missions")
    return (
        ("title", f"{plan.service} — Mode d’emploi du fichier de retour"),
        ("text", f"Ce fichier est destiné à {pilot}, pilote {these} n° {numbers}. Le "
                 f"{plan.service} vous demande le taux de réalisation atteint par "
                 f"{french.plural(len(shape.missions), 'cette mission', 'chacune d’elles')} au "
                 f"{french.long_date(day)}, pour le comité de pilotage de cette date. Seules "
                 "les cellules sur fond jaune pâle sont à remplir ; les autres sont protégées "
                 "pour éviter les erreurs de manipulation."),
        ("legend", "Cellule à remplir"),
        ("heading", "1. Le taux de réalisation à saisir"),
        ("text", f"Dans l’onglet « Saisie », la colonne du {french.short_date(day)} est marquée "
                 f"« {OPEN_COLUMN_MARK.rstrip(' ↓')} » et encadrée : tapez dans chaque case le "
                 "taux atteint par la mission à cette date. Laissez la case vide si le taux "
                 "n’est pas connu. Les cibles sont rappelées dans l’onglet « Cibles »."),
        *_rate_typing_lines(),
        ("heading", "2. Les taux déjà connus"),
        ("text", "Les taux des dates précédentes, déjà transmis au comité, sont affichés sur "
                 "fond gris pour mémoire ; ils ne se modifient pas ici. Si l’un d’eux est "
                 "inexact, signalez-le dans la colonne « Commentaire » : le "
                 f"{plan.service} le corrigera. Les colonnes des échéances suivantes restent "
                 "vides jusqu’aux prochains comités."),
        ("heading", "3. Les trois colonnes de texte"),
        *_text_column_lines(),
        ("heading", "4. La météo de la mission (facultatif)"),
        *_weather_lines(),
        ("heading", "5. Renvoyer le fichier"),
        ("text", f"Enregistrez le fichier au format Excel (.xlsx) et renvoyez-le au "
                 f"{plan.service}. Ne changez pas son nom, ses lignes ni ses colonnes : le "
                 "programme spes-report le relit tel qu’il a été préparé."),
        ("note", "La feuille est protégée sans mot de passe, seulement contre les fausses "
                 "manœuvres."),
    )


def _write_help_sheet(worksheet: Any, styles: Styles, plan: Plan, shape: _Shape) -> None:
    if shape.pilot_return is None:
        write_help_sheet(worksheet, styles, _help_lines(plan),
                         Page(f"{plan.service} — mode d’emploi du fichier de saisie"))
    else:
        write_help_sheet(worksheet, styles,
                         _return_help_lines(plan, shape, shape.pilot_return.pilot),
                         Page(f"{plan.service} — mode d’emploi du fichier de retour"))


def write_help_sheet(worksheet: Any, styles: Styles, lines: Sequence[tuple[str, str]],
                     page: Page) -> None:
    """A « Mode d'emploi » sheet from ``lines`` of (kind, text): title, heading, text,
    legend, command, note. Shared by the input template and plan.xlsx."""
    cells = Cells(worksheet, styles)
    heights = RowHeights(worksheet)
    worksheet.set_column(0, 0, 2)
    worksheet.set_column(1, 1, _HELP_WIDTH)
    worksheet.hide_gridlines(2)
    row = 0
    for kind, text in lines:
        if kind == "title":
            cells.text(row, 1, text, "title")
            row += 2
            continue
        if kind == "heading":
            row += 1
            heights.set(row, 20)
            cells.text(row, 1, text, "heading")
        elif kind == "legend":
            cells.blank(row, 0, "legend_input")
            cells.text(row, 1, f" ← {text}", "paragraph")
        elif kind == "command":
            cells.text(row, 1, text, "command")
        elif kind == "note":
            cells.text(row, 1, text, "note")
        else:
            cells.text(row, 1, text, "paragraph")
        if kind in ("text", "note"):
            heights.set(row, fitted_height([(text, _HELP_WIDTH)]))
        row += 1
    # No password: protection guards against slips, not against the user.
    worksheet.protect()
    set_up_printing(worksheet, page)


def _write_targets_sheet(worksheet: Any, styles: Styles, plan: Plan, shape: _Shape) -> None:
    cells = Cells(worksheet, styles)
    heights = RowHeights(worksheet)
    dates = plan.milestone_dates
    worksheet.set_column(0, 0, 6)
    worksheet.set_column(1, 1, _MISSION_WIDTH + 18)
    worksheet.set_column(2, 1 + max(len(dates), 1), _DATE_WIDTH)

    cells.text(0, 0, f"{plan.service} — Cibles de taux de réalisation par échéance",
               "title")
    where = ("le service qui vous envoie ce fichier les fixe" if shape.pilot_return
             else "elles se modifient dans le plan (plan.xlsx), pas ici")
    cells.text(1, 0, f"Pour information : ces cibles viennent du plan en vigueur ; {where}.",
               "subtitle")
    header_row = 3
    heights.set(header_row, 32)
    cells.text(header_row, 0, NUMBER_HEADER, "header")
    cells.text(header_row, 1, MISSION_HEADER, "header")
    for offset, day in enumerate(dates):
        cells.date(header_row, 2 + offset, day, "target_date")
    for row, mission in enumerate(shape.missions, start=header_row + 1):
        cells.number(row, 0, mission.number, "number")
        cells.text(row, 1, mission.title, "mission")
        heights.set(row, fitted_height([(mission.title, _MISSION_WIDTH + 18)], 2))
        by_date = {m.due: m.target for m in mission.milestones}
        for offset, day in enumerate(dates):
            target = by_date.get(day)
            if target is None:
                cells.text(row, 2 + offset, DASH, "no_target")
            else:
                cells.number(row, 2 + offset, target, "target")
    worksheet.freeze_panes(header_row + 1, 2)
    worksheet.protect()
    set_up_printing(worksheet, Page(f"{plan.service} — cibles"),
                    header_row=header_row)
