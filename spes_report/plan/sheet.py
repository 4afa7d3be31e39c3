"""Read ``plan.xlsx``: the service block, then one row per mission and one column per échéance.

The file gets the input's care: its kind and size are judged before openpyxl
reads it (loader.opened_workbook), and every problem names its cell.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from .. import french
from ..filekind import PLAN_ROLE

# PLAN_SHEET is the loader's, which must tell a plan from an input too.
from ..loader import PLAN_SHEET as PLAN_SHEET
from ..loader import SHEET_NAME as INPUT_SHEET
from ..loader import Cell, mission_number, opened_workbook, place, window_edges
from ..parsing import Unreadable, fold, header_key, looks_like_date_attempt, parse_date, parse_rate
from ..problems import InputError, Problem, shown
from .checks import CheckedPlan, DraftMission, DraftTarget, finish

# The layout plan init writes (writers/plan.py); the reader finds its parts by
# their labels, so that staff may move, add or remove rows and columns.
SERVICE_LABEL = "Service"
TITLE_LABEL = "Titre du plan"
NUMBER_HEADER = "N°"
MISSION_HEADER = "Mission"
TEXT_HEADERS = {
    "objective": "Objectif",
    "description": "Description",
    "pilot": "Pilote",
    "pilot_email": "Courriel du pilote",
}
REASON_HEADER = "Motif de révision"

# Written where a mission has no target at an échéance: read as an empty cell.
NO_TARGET = ("—", "–", "-")

# Other spellings accepted for each column, compared as parsing.header_key does.
_SPELLINGS = {
    "objective": ("objectif", "objectifs"),
    "description": ("description", "descriptif"),
    "pilot": ("pilote", "pilotes", "pilote de la mission", "responsable"),
    "pilot_email": ("courriel du pilote", "courriel", "adresse du pilote", "email du pilote",
                    "e mail du pilote", "mel du pilote", "adresse electronique du pilote"),
    "revision_reason": ("motif de revision", "motif", "motif de la revision",
                        "raison de la revision"),
}
_BLOCK_LABELS = {
    "service": ("service",),
    "title": ("titre du plan", "titre", "intitule du plan"),
}


def read_sheet_plan(path: Path) -> tuple[bytes, CheckedPlan]:
    """The bytes of ``path`` and the plan it holds, checked."""
    with opened_workbook(path, PLAN_ROLE) as (raw, sheets):
        return raw, parse_plan_sheets(sheets, path.name)


def parse_plan_sheets(sheets: Mapping[str, list[list[Cell]]], name: str) -> CheckedPlan:
    """Find the plan's table and read it; pure, for testing without files."""
    named = [sheet for sheet in sheets if fold(sheet) == fold(PLAN_SHEET)]
    if not named and any(fold(sheet) == fold(INPUT_SHEET) for sheet in sheets):
        # Its table has the same first columns: read as a plan, rates would become targets.
        raise InputError([Problem(
            "plan-is-input", name, "", "",
            "ce classeur est un fichier de saisie (feuille « Saisie »), pas un plan : "
            "indiquez le plan, par exemple plan.xlsx (spes-report plan init en crée un)")])
    for sheet in named + [s for s in sheets if s not in named]:
        rows = sheets[sheet]
        header = _find_header(rows)
        if header is not None:
            return _parse_table(sheet, rows, header, name)
    raise InputError([Problem(
        "plan-missing-table", name, ", ".join(sheets) or "aucune feuille",
        "une feuille « Plan » avec une ligne d'en-tête « N° », « Mission » et les échéances",
        "le tableau du plan est introuvable (spes-report plan init écrit un plan à compléter)",
    )])


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", fold(text)).strip()


def _column_key(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    known = header_key(value)
    if known in ("number", "mission"):
        return known
    words = _key(value)
    return next((key for key, spellings in _SPELLINGS.items() if words in spellings), None)


def _find_header(rows: list[list[Cell]]) -> int | None:
    for index, row in enumerate(rows):
        keys = {_column_key(c.value) for c in row}
        if "number" in keys and "mission" in keys:
            return index
    return None


def _block(sheet: str, rows: list[list[Cell]], header: int) -> dict[str, tuple[str, str]]:
    """The service block above the table: each label's value (right of it) and its cell."""
    found: dict[str, tuple[str, str]] = {}
    for r, row in enumerate(rows[:header]):
        for c, cell in enumerate(row):
            if not isinstance(cell.value, str):
                continue
            words = _key(cell.value)
            for key, labels in _BLOCK_LABELS.items():
                if words in labels and key not in found:
                    value = row[c + 1].value if c + 1 < len(row) else None
                    found[key] = ("" if value is None else str(value).strip(),
                                  place(sheet, r, c + 1))
    return found


def _parse_table(sheet: str, rows: list[list[Cell]], header: int, name: str) -> CheckedPlan:
    problems = window_edges(sheet, rows, header)
    block = _block(sheet, rows, header)
    columns: dict[str, int] = {}
    dates: dict[int, date] = {}
    for c, cell in enumerate(rows[header]):
        key = _column_key(cell.value)
        if key is not None:
            columns.setdefault(key, c)
            continue
        parsed = parse_date(cell.value)
        where = place(sheet, header, c)
        if isinstance(parsed, date):
            if parsed in dates.values():
                problems.append(Problem(
                    "plan-duplicate-date", where, french.short_date(parsed),
                    "une seule colonne par échéance",
                    f"l'échéance du {french.short_date(parsed)} figure déjà dans une autre "
                    "colonne"))
                continue
            if dates and parsed < max(dates.values()):
                problems.append(Problem(
                    "plan-dates-order", where, french.short_date(parsed),
                    f"une date après le {french.short_date(max(dates.values()))}",
                    "les échéances doivent se suivre de gauche à droite, de la plus ancienne "
                    "à la plus récente : déplacez cette colonne"))
            dates[c] = parsed
        elif isinstance(parsed, Unreadable) and (
                not isinstance(cell.value, str) or looks_like_date_attempt(cell.value)):
            problems.append(Problem(
                "plan-date-unreadable", where, shown(cell.value), parsed.expected,
                f"date d'échéance illisible : {parsed.message}"))
    if not dates and not problems:
        problems.append(Problem(
            "plan-no-dates", place(sheet, header, len(rows[header])), "",
            "une colonne par échéance, avec sa date en en-tête (ex. 01/09/2020)",
            "le plan n'a aucune échéance"))

    drafts: list[DraftMission] = []
    number_column, title_column = columns["number"], columns["mission"]
    for r in range(header + 1, len(rows)):
        row = rows[r]

        def value(column: int | None, row: list[Cell] = row) -> object:
            return row[column].value if column is not None and column < len(row) else None

        def text(key: str) -> str:
            found = value(columns.get(key))
            return "" if found is None else str(found).strip()

        if all(c.value is None or (isinstance(c.value, str) and not c.value.strip())
               for c in row):
            continue
        raw_number = value(number_column)
        number = mission_number(raw_number)
        if number is None or number < 1:
            if raw_number is None and not any(value(c) is not None for c in dates) \
                    and not text("mission"):
                continue  # a note under the table
            problems.append(Problem(
                "plan-number", place(sheet, r, number_column), shown(raw_number or ""),
                "un numéro de mission (ex. 3)", "numéro de mission absent ou illisible"))
            continue
        draft = DraftMission(
            number=number, place=place(sheet, r, number_column), title=text("mission"),
            title_place=place(sheet, r, title_column), objective=text("objective"),
            description=text("description"), pilot=text("pilot"),
            pilot_email=text("pilot_email"),
            email_place=place(sheet, r, columns.get("pilot_email", number_column)),
            revision_reason=text("revision_reason"))
        for c, due in dates.items():
            cell = row[c] if c < len(row) else Cell(None, False)
            if isinstance(cell.value, str) and cell.value.strip() in NO_TARGET:
                continue  # the dash the input template's Cibles sheet shows for "no target"
            rate = parse_rate(cell.value, cell.percent_format)
            if isinstance(rate, Unreadable):
                problems.append(Problem(
                    rate.code, place(sheet, r, c), shown(cell.value), rate.expected,
                    f"mission n° {number}, échéance du {french.short_date(due)} : "
                    f"{rate.message}"))
                draft.refused_targets += 1
            elif rate is not None:
                draft.targets.append(DraftTarget(due, rate, place(sheet, r, c)))
        drafts.append(draft)
    service, service_place = block.get("service", ("", f"{name} ({sheet})"))
    return finish(service, block.get("title", ("", ""))[0], drafts, problems,
                  f"{name} ({sheet})", service_place)
