"""Read the input workbook into measurements, collecting every problem before failing."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import warnings
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import french
from .filekind import INPUT_ROLE, Role, damaged, identify, read_input, refusal
from .model import InputData, Measurement, Notes, Plan, SourceInfo, Weather
from .naming import EMBEDDED_PLAN_LABEL
from .parsing import (
    Unreadable,
    fold,
    header_key,
    looks_like_date_attempt,
    parse_date,
    parse_rate,
    parse_weather,
)
from .problems import InputError, Problem, shown
from .safety import archive_problems, require_defused_xml

SHEET_NAME = "Saisie"
# The sheet of a plan (plan/sheet.py): a workbook that has it and no Saisie is no input.
PLAN_SHEET = "Plan"
# The table is small; reading a bounded window keeps a workbook whose used
# range was stretched to XFD1048576 (one stray cell) as fast as a normal one.
MAX_ROWS = 5000
MAX_COLUMNS = 100
TEXT_COLUMNS = ("comment", "attention", "next_steps")
# Excel's own limit for the text of one cell, in UTF-16 units as Excel counts.
MAX_TEXT_LENGTH = 32_767


@dataclass(frozen=True)
class LoadedInput:
    data: InputData
    source: SourceInfo
    sheet: str
    dates: tuple[date, ...]
    # The cell that holds (or should hold) the committee date: right of its label,
    # or the sheet alone when the table has no « Date du comité » label.
    date_place: str = ""
    # The file's bytes exactly as read and hashed (archived as the month's input).
    content: bytes = field(default=b"", repr=False)
    # Where the table and the plan differ without it being an error (a mission
    # or an échéance of the plan with no row or column): said, never blocking.
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Cell:
    value: Any
    percent_format: bool


def load_input(path: Path, plan: Plan, plan_name: str | None = None) -> LoadedInput:
    """Read ``path``; raise InputError listing every problem found in it.

    ``plan_name`` names the plan's file in the problems where the input and
    the plan disagree (None: the plan embedded in the tool).
    """
    with opened_workbook(path, INPUT_ROLE) as (raw, sheets):
        source = SourceInfo(file_name=path.name, sha256=hashlib.sha256(raw).hexdigest())
        loaded = parse_sheets(sheets, plan, source, plan_name)
        return dataclasses.replace(loaded, content=raw)


@contextlib.contextmanager
def opened_workbook(path: Path, role: Role) -> Iterator[tuple[bytes, SheetCells]]:
    """The bytes of the workbook at ``path`` and its sheets, read safely.

    The file is judged before openpyxl sees it: its kind (a CSV, an .xls, an
    encrypted workbook... each gets its own message) and the sizes its archive
    declares (zip bombs), so that no parser is ever fed a hostile file blind.
    Whatever goes wrong becomes an InputError naming the file as ``role``.
    """
    require_defused_xml()
    raw = read_input(path, role)
    problem = refusal(identify(raw), path, role)
    if problem is not None:
        raise InputError([problem])
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            too_big = archive_problems(archive, path.name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile):
        raise InputError([damaged(path)]) from None
    if too_big:
        raise InputError(too_big)
    with warnings.catch_warnings():
        # openpyxl warns about parts it drops (extensions, slicers); we read values only.
        warnings.simplefilter("ignore")
        with _read_errors(path):
            workbook = openpyxl_workbook(raw)
        try:
            yield raw, SheetCells(workbook, path)
        finally:
            workbook.close()


def openpyxl_workbook(raw: bytes) -> Any:
    import openpyxl

    return openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)


@contextlib.contextmanager
def _read_errors(path: Path) -> Iterator[None]:
    """Turn whatever openpyxl or the XML parser raises on a bad file into a Problem."""
    from defusedxml import DefusedXmlException

    try:
        yield
    except InputError:
        raise
    except Exception as error:
        if not _caused_by(error, DefusedXmlException):
            # openpyxl fails in many ways on a damaged package (zip, XML, key errors).
            raise InputError([damaged(path)]) from None
        raise InputError([Problem(
            "xml-entities", path.name, "", "un classeur Excel ordinaire",
            "classeur refusé : il contient des déclarations d'entités XML, un procédé "
            "utilisé pour saturer la mémoire (« bombe XML ») ; demandez le fichier "
            "d'origine ou ressaisissez les taux dans un fichier créé par spes-report init",
        )]) from None


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    """Whether ``kind`` is anywhere in the chain (openpyxl wraps parser errors)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


class SheetCells(Mapping[str, list[list[Cell]]]):
    """A workbook's sheets by name, each read on first use within the bounded window.

    Lazy because the table is nearly always on the first sheet looked at: the
    template's other sheets (instructions, targets) need not be parsed. Rows
    keep only up to their last non-empty cell, and padding rows are empty
    lists, so a sheet stretched to XFD1048576 costs no more than a plain one.
    """

    def __init__(self, workbook: Any, path: Path) -> None:
        self._workbook = workbook
        self._path = path
        self._read: dict[str, list[list[Cell]]] = {}

    def __getitem__(self, name: str) -> list[list[Cell]]:
        if name not in self._read:
            with _read_errors(self._path):
                self._read[name] = _window(self._workbook[name])
        return self._read[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._workbook.sheetnames)

    def __len__(self) -> int:
        return len(self._workbook.sheetnames)


def _window(sheet: Any) -> list[list[Cell]]:
    from openpyxl.cell.read_only import EMPTY_CELL

    rows: list[list[Cell]] = []
    for row in sheet.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLUMNS):
        if all(cell is EMPTY_CELL for cell in row):
            # openpyxl pads the rows missing from the file: skip them fast.
            rows.append([])
            continue
        last = len(row)
        while last and row[last - 1].value is None:
            last -= 1
        rows.append([
            Cell(c.value, "%" in (getattr(c, "number_format", None) or ""))
            for c in row[:last]
        ])
    while rows and not rows[-1]:
        rows.pop()
    return rows


def place(sheet: str, row: int, column: int) -> str:
    """A cell address as the user sees it, from 0-based indexes: Saisie!D5."""
    from openpyxl.utils import get_column_letter

    return f"{sheet}!{get_column_letter(column + 1)}{row + 1}"


def _find_header(rows: list[list[Cell]]) -> int | None:
    for index, row in enumerate(rows):
        keys = {header_key(c.value) for c in row if isinstance(c.value, str)}
        if "number" in keys and "mission" in keys:
            return index
    for index, row in enumerate(rows):
        # A hand-made table may lack the title column: a number column and a date column.
        texts = [c for c in row if isinstance(c.value, str) and header_key(c.value) == "number"]
        dated = [c for c in row if isinstance(parse_date(c.value), date)]
        if texts and dated:
            return index
    return None


def parse_sheets(
    sheets: Mapping[str, list[list[Cell]]], plan: Plan, source: SourceInfo,
    plan_name: str | None = None,
) -> LoadedInput:
    """Find the Saisie table and read it; pure, for testing without files."""
    named = [name for name in sheets if fold(name) == fold(SHEET_NAME)]
    if not named and any(fold(name) == fold(PLAN_SHEET) for name in sheets):
        # Its table has the same first columns: read as an input, targets would become rates.
        raise InputError([Problem(
            "input-is-plan", source.file_name, "", "",
            "ce classeur est un plan (feuille « Plan »), pas un fichier de saisie : indiquez "
            "le fichier de saisie, par exemple inputs/input.xlsx (spes-report init en crée un)",
        )])
    candidates = named + [name for name in sheets if name not in named]
    for name in candidates:
        header = _find_header(sheets[name])
        if header is not None:
            return _parse_table(name, sheets[name], header, plan, source,
                                plan_name or EMBEDDED_PLAN_LABEL)
    raise InputError([Problem(
        "missing-table", source.file_name, ", ".join(sheets) or "aucune feuille",
        "une feuille « Saisie » avec une ligne d'en-tête « N° », « Mission » et les échéances",
        "le tableau de saisie est introuvable",
    )])


def _committee_date(
    sheet: str, rows: list[list[Cell]], header: int, problems: list[Problem]
) -> tuple[date | None, str]:
    """The committee date (right of its label, above the table) and the cell it is in."""
    for r, row in enumerate(rows[:header]):
        for c, cell in enumerate(row):
            if isinstance(cell.value, str) and header_key(cell.value) == "committee_date":
                value = row[c + 1].value if c + 1 < len(row) else None
                where = place(sheet, r, c + 1)
                parsed = parse_date(value)
                if isinstance(parsed, Unreadable):
                    problems.append(Problem(
                        "committee-date-unreadable", where, shown(value),
                        parsed.expected, f"date du comité illisible : {parsed.message}",
                    ))
                    return None, where
                return parsed, where
    return None, sheet


def _parse_table(
    sheet: str,
    rows: list[list[Cell]],
    header: int,
    plan: Plan,
    source: SourceInfo,
    plan_name: str,
) -> LoadedInput:
    problems: list[Problem] = window_edges(sheet, rows, header)
    committee_date, date_place = _committee_date(sheet, rows, header, problems)

    columns: dict[str, int] = {}
    date_columns: dict[int, date] = {}
    for c, cell in enumerate(rows[header]):
        value = cell.value
        key = header_key(value) if isinstance(value, str) else None
        if key is not None and key != "committee_date":
            columns.setdefault(key, c)
            continue
        parsed = parse_date(value)
        if isinstance(parsed, date):
            if parsed in date_columns.values():
                problems.append(Problem(
                    "duplicate-date-column", place(sheet, header, c), french.short_date(parsed),
                    "une seule colonne par date", "cette date figure déjà dans une autre colonne",
                ))
            else:
                date_columns[c] = parsed
        elif isinstance(parsed, Unreadable) and (
            not isinstance(value, str) or looks_like_date_attempt(value)
        ):
            problems.append(Problem(
                "date-header-unreadable", place(sheet, header, c), shown(value),
                parsed.expected, f"en-tête de colonne illisible : {parsed.message}",
            ))
        # Any other header (e.g. "Observations") is an extra column: ignored.

    number_column = columns["number"]
    measurements: list[Measurement] = []
    notes: dict[int, Notes] = {}
    seen: dict[int, int] = {}
    for r in range(header + 1, len(rows)):
        row = rows[r]
        if all(c.value is None or (isinstance(c.value, str) and not c.value.strip()) for c in row):
            continue
        raw_number = row[number_column].value if number_column < len(row) else None
        number = mission_number(raw_number)
        where = place(sheet, r, number_column)
        if number is None:
            if not _has_figures(row, date_columns, columns):
                continue  # a note or a total line under the table, with no rate in it
            problems.append(Problem(
                "mission-number-unreadable", where, shown(raw_number or ""),
                "un numéro de mission (ex. 3)", "numéro de mission absent ou illisible",
            ))
            continue
        if plan.mission(number) is None:
            known = ", ".join(str(m.number) for m in plan.missions)
            problems.append(Problem(
                "unknown-mission", where, shown(raw_number), f"un des numéros {known}",
                f"la mission n° {number} n'existe pas dans le plan ({plan_name})",
            ))
            continue
        if number in seen:
            problems.append(Problem(
                "duplicate-mission", where, shown(raw_number), "une seule ligne par mission",
                f"la mission n° {number} figure déjà à la ligne {seen[number] + 1}",
            ))
            continue
        seen[number] = r
        for c, day in date_columns.items():
            cell = row[c] if c < len(row) else Cell(None, False)
            rate = parse_rate(cell.value, cell.percent_format)
            if isinstance(rate, Unreadable):
                problems.append(Problem(
                    rate.code, place(sheet, r, c), shown(cell.value), rate.expected,
                    f"mission n° {number}, {french.short_date(day)} : {rate.message}",
                ))
            elif rate is not None:
                measurements.append(Measurement(number, day, rate))
        texts = [_text(row, columns.get(key)) for key in TEXT_COLUMNS]
        for key, text in zip(TEXT_COLUMNS, texts, strict=True):
            if _excel_length(text) > MAX_TEXT_LENGTH:
                problems.append(Problem(
                    "text-too-long", place(sheet, r, columns[key]), shown(text),
                    f"au plus {french.integer(MAX_TEXT_LENGTH)} caractères",
                    f"texte trop long ({french.integer(_excel_length(text))} caractères) : une "
                    f"cellule Excel en contient au plus {french.integer(MAX_TEXT_LENGTH)}",
                ))
        comment, attention, next_steps = texts
        notes[number] = Notes(comment, attention, next_steps,
                              _weather(sheet, r, row, columns, number, problems))

    problems += _other_plan(sheet, header, date_columns, plan, plan_name)
    if problems:
        raise InputError(problems)
    return LoadedInput(
        data=InputData(committee_date, tuple(measurements), notes),
        source=source,
        sheet=sheet,
        dates=tuple(sorted(date_columns.values())),
        date_place=date_place,
        warnings=tuple(_plan_gaps(sheet, header, date_columns, seen, plan, plan_name)),
    )


def _other_plan(sheet: str, header: int, date_columns: dict[int, date], plan: Plan,
                plan_name: str) -> list[Problem]:
    """A table whose dates all lie outside the plan's period (before its first échéance
    or after its last) was made for another plan: its rates would all be measured
    against targets it never showed. One date within the period is enough: a
    measurement between two échéances is as valid as one on an échéance."""
    echeances = plan.milestone_dates
    if not date_columns or not echeances or any(
            echeances[0] <= day <= echeances[-1] for day in date_columns.values()):
        return []
    first = min(date_columns)
    span = f"du {french.short_date(echeances[0])} au {french.short_date(echeances[-1])}"
    return [Problem(
        "input-other-plan", place(sheet, header, first),
        french.short_date(date_columns[first]), f"des dates de la période du plan ({span})",
        f"aucune colonne de date ne tombe dans la période du plan ({plan_name}, {span}) : "
        "ce fichier de saisie a été fait pour un autre plan ; créez-en un pour le plan en "
        "vigueur avec « spes-report init » (ou indiquez le bon plan avec --plan)",
    )]


def _plan_gaps(sheet: str, header: int, date_columns: dict[int, date],
               rows_seen: dict[int, int], plan: Plan, plan_name: str) -> list[Problem]:
    """Warnings for what the plan has and the table lacks: an échéance column, a
    mission row. Legal (their figures are simply missing), but after a plan
    revision it is what staff must add."""
    # Quotes do not nest in the f-strings of Python 3.11: the words with an apostrophe.
    the_milestone, has, have = "l'échéance", "n'a", "n'ont"
    warnings = []
    columns = set(date_columns.values())
    missing_dates = [day for day in plan.milestone_dates if day not in columns]
    if missing_dates:
        listed = french.listing([french.short_date(day) for day in missing_dates])
        several = len(missing_dates) > 1
        warnings.append(Problem(
            "input-milestone-column-missing", f"{sheet}, ligne {header + 1}", "", "",
            f"{french.plural(len(missing_dates), the_milestone, 'les échéances')} du {listed} "
            f"du plan ({plan_name}) {french.plural(len(missing_dates), has, have)} pas de "
            "colonne dans le fichier de saisie : ajoutez "
            f"{'une colonne par date' if several else 'une colonne'}, la date en en-tête, "
            "pour y saisir les taux"))
    missing = [m.number for m in plan.missions if m.number not in rows_seen]
    if missing:
        listed = french.listing([str(n) for n in missing])
        warnings.append(Problem(
            "input-mission-row-missing", sheet, "", "",
            f"{french.plural(len(missing), 'la mission', 'les missions')} n° {listed} du plan "
            f"({plan_name}) {french.plural(len(missing), has, have)} pas de ligne dans "
            f"le fichier de saisie : {french.plural(len(missing), 'elle sera', 'elles seront')} "
            "« Non renseigné » ; ajoutez une ligne par mission, avec son numéro, pour y saisir "
            "ses taux (la feuille est protégée sans mot de passe : Révision › Ôter la "
            "protection de la feuille)"))
    return warnings


def mission_number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        # "3", "M3", "n° 3", "Mission 3"
        digits = fold(value).removeprefix("mission").strip(" mn°o.-")
        if digits.isdigit():
            return int(digits)
    return None


def _weather(sheet: str, r: int, row: list[Cell], columns: dict[str, int], number: int,
             problems: list[Problem]) -> Weather | None:
    """The « Météo » cell of a mission's row: None when the column or the value is absent."""
    column = columns.get("weather")
    if column is None or column >= len(row):
        return None
    value = row[column].value
    weather = parse_weather(value)
    if isinstance(weather, Unreadable):
        problems.append(Problem(
            weather.code, place(sheet, r, column), shown(value), weather.expected,
            f"mission n° {number} : {weather.message}",
        ))
        return None
    return weather


def _has_figures(row: list[Cell], date_columns: dict[int, date], columns: dict[str, int]) -> bool:
    wanted = set(date_columns) | {columns[k] for k in (*TEXT_COLUMNS, "weather") if k in columns}
    return any(
        c < len(row) and row[c].value not in (None, "") for c in wanted
    )


def window_edges(sheet: str, rows: list[list[Cell]], header: int) -> list[Problem]:
    """Problems when the table reaches the edge of the window read: what lies
    beyond would be ignored, so the user is told rather than left guessing."""
    problems = []
    if len(rows) >= MAX_ROWS:
        problems.append(Problem(
            "table-too-long", place(sheet, MAX_ROWS - 1, 0), "",
            f"un tableau de moins de {french.integer(MAX_ROWS)} lignes",
            f"la feuille est remplie jusqu'à la ligne {french.integer(MAX_ROWS)}, limite de ce "
            "que l'outil lit : supprimez les lignes inutiles sous le tableau",
        ))
    if len(rows[header]) >= MAX_COLUMNS:
        problems.append(Problem(
            "table-too-wide", place(sheet, header, MAX_COLUMNS - 1), "",
            f"un tableau de moins de {MAX_COLUMNS} colonnes",
            f"la ligne d'en-tête atteint la colonne {MAX_COLUMNS}, limite de ce que l'outil "
            "lit : supprimez les colonnes inutiles",
        ))
    return problems


def _excel_length(text: str) -> int:
    """Length as Excel counts it: characters beyond U+FFFF take two units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _text(row: list[Cell], column: int | None) -> str:
    if column is None or column >= len(row) or row[column].value is None:
        return ""
    value = row[column].value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
