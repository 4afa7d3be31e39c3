"""The input template (`spes-report init`) and the committed sample input."""

from __future__ import annotations

import importlib.util
import re
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import openpyxl
import pytest
from support import FIXTURES, ROOT, SAMPLE

from spes_report import files
from spes_report.builder import build_report
from spes_report.cli.messages import template_exists_text
from spes_report.loader import load_input
from spes_report.model import InputData, Measurement, Notes, Plan, Status, Weather
from spes_report.plan import load_plan
from spes_report.writers.template import PilotReturn, TemplateExistsError, write_template

LIBREOFFICE_FIXTURE = FIXTURES / "input_saved_by_libreoffice.xlsx"
ECHEANCES = [date(2020, 5, 11), date(2020, 6, 1), date(2020, 7, 1), date(2020, 9, 1)]
# Rows 6-13, columns C-F hold the rates; G-I the three text columns.
RATE_COLUMNS = "CDEF"
NOTE_COLUMNS = "HIJ"
SAMPLE_PERCENT = {
    1: (78, 87), 2: (82, 91), 3: (45, 67), 4: (80, 92),
    5: (70, 74), 6: (81, 86), 7: (45, 56), 8: (52, 63),
}


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_plan()


@pytest.fixture
def blank(tmp_path: Path, plan: Plan) -> Any:
    path = tmp_path / "inputs" / "input.xlsx"
    assert write_template(path, plan, today=date(2020, 6, 1)) is None
    return openpyxl.load_workbook(path)


def as_day(value: object) -> date:
    assert isinstance(value, datetime), value
    return value.date()


def test_sheets_in_order(blank: Any) -> None:
    assert blank.sheetnames == ["Saisie", "Mode d'emploi", "Cibles"]
    assert blank.active.title == "Saisie"


def test_title_label_and_empty_committee_date(blank: Any) -> None:
    ws = blank["Saisie"]
    assert ws["A1"].value == "SPES — Saisie des taux de réalisation"
    assert ws["A3"].value == "Date du comité"
    assert ws["B3"].value is None
    assert ws["B3"].number_format == "dd/mm/yyyy"


def test_committee_date_is_prefilled(tmp_path: Path, plan: Plan) -> None:
    path = tmp_path / "input.xlsx"
    write_template(path, plan, committee_date=date(2020, 6, 1))
    cell = openpyxl.load_workbook(path)["Saisie"]["B3"]
    assert as_day(cell.value) == date(2020, 6, 1)
    assert cell.number_format == "dd/mm/yyyy"


def test_header_row_holds_real_dates(blank: Any) -> None:
    row = [cell for cell in blank["Saisie"][5]]
    assert [c.value for c in row[:2]] == ["N°", "Mission"]
    assert [as_day(c.value) for c in row[2:6]] == ECHEANCES
    assert all(c.number_format == "dd/mm/yyyy" for c in row[2:6])
    assert [c.value for c in row[6:]] == ["Météo", "Commentaire", "Points d'attention",
                                         "Prochaines étapes"]


def test_one_row_per_mission(blank: Any, plan: Plan) -> None:
    ws = blank["Saisie"]
    rows = [(ws.cell(r, 1).value, ws.cell(r, 2).value) for r in range(6, ws.max_row + 1)]
    assert rows == [(m.number, m.title) for m in plan.missions]
    assert len(rows) == 8


def test_rate_cells_are_percent_and_empty(blank: Any) -> None:
    ws = blank["Saisie"]
    for row in range(6, 14):
        for column in RATE_COLUMNS:
            cell = ws[f"{column}{row}"]
            assert cell.value is None
            assert cell.number_format == "0%"


def test_rate_validation(blank: Any) -> None:
    validations = blank["Saisie"].data_validations.dataValidation
    [rates] = [dv for dv in validations if dv.type == "decimal"]
    assert str(rates.sqref) == "C6:F13"
    assert rates.operator in (None, "between")
    assert (float(rates.formula1), float(rates.formula2)) == (0, 1)
    assert rates.error == "Saisissez un taux entre 0 % et 100 %, par exemple 75 %."
    assert rates.showErrorMessage
    assert rates.prompt and "75 %" in rates.prompt


def test_weather_is_a_drop_down_of_the_four_words(blank: Any) -> None:
    ws = blank["Saisie"]
    validations = ws.data_validations.dataValidation
    [weather] = [dv for dv in validations if dv.type == "list"]
    assert str(weather.sqref) == "G6:G13"
    assert weather.formula1 == '"Soleil,Nuageux,Couvert,Orage"'
    assert weather.showErrorMessage and weather.error and "Orage" in weather.error
    # Empty by default (never a default weather) and open to staff on the protected sheet.
    assert all(ws[f"G{row}"].value is None for row in range(6, 14))
    assert ws["G6"].protection.locked is False


def test_the_template_s_own_words_read_back_as_weathers(tmp_path: Path, plan: Plan) -> None:
    notes = {number: Notes(weather=weather)
             for number, weather in zip((1, 2, 3, 4), Weather, strict=True)}
    path = tmp_path / "input.xlsx"
    write_template(path, plan, committee_date=date(2020, 6, 1), notes=notes)
    loaded = load_input(path, plan)
    assert {n: loaded.data.notes[n].weather for n in (1, 2, 3, 4, 5)} == {
        1: Weather.SOLEIL, 2: Weather.NUAGEUX, 3: Weather.COUVERT, 4: Weather.ORAGE, 5: None}


def test_committee_date_validation(blank: Any) -> None:
    validations = blank["Saisie"].data_validations.dataValidation
    [day] = [dv for dv in validations if dv.type == "date"]
    assert str(day.sqref) == "B3"
    assert day.error and "jj/mm/aaaa" in day.error
    assert day.showErrorMessage


def test_protection_without_password_allows_inserting(blank: Any) -> None:
    protection = blank["Saisie"].protection
    assert protection.sheet
    assert not protection.password
    # In the file format False means "not protected", i.e. allowed.
    assert protection.insertColumns is False
    assert protection.insertRows is False
    assert protection.formatCells is False
    assert protection.deleteColumns is not False


def test_input_cells_unlocked_everything_else_locked(blank: Any) -> None:
    ws = blank["Saisie"]
    assert ws["B3"].protection.locked is False
    for row in range(6, 14):
        for column in RATE_COLUMNS + NOTE_COLUMNS:
            assert ws[f"{column}{row}"].protection.locked is False, f"{column}{row}"
        assert ws[f"A{row}"].protection.locked
        assert ws[f"B{row}"].protection.locked
    for address in ("A1", "A3", "A5", "B5", "G5", "H5", "I5"):
        assert ws[address].protection.locked, address


def test_echeance_headers_unlocked_for_inserted_columns(blank: Any) -> None:
    # An inserted column copies the format on its left: its date must be typable.
    ws = blank["Saisie"]
    assert all(ws[f"{c}5"].protection.locked is False for c in RATE_COLUMNS)


def test_freeze_panes_below_header_right_of_mission(blank: Any) -> None:
    assert blank["Saisie"].freeze_panes == "C6"


def test_print_setup_a4_landscape_one_page_wide(blank: Any) -> None:
    for ws in blank.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.paperSize == 9, ws.title
        assert ws.page_setup.fitToWidth in (None, 1), ws.title  # 1 is the default
        assert ws.page_setup.fitToHeight == 0, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title


def test_mode_d_emploi_explains_the_rules(blank: Any) -> None:
    ws = blank["Mode d'emploi"]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    for expected in ("B3", "75 %", "0,75", "(75 → 75 %)", "(0,75 → 75 %)", "« 1 % » et non 1",
                     "Insérer", "Commentaire", "Points d’attention", "Prochaines étapes",
                     "spes-report build", "make run", "SPES_COPIL_AAAA-MM-JJ.xlsx", "outputs",
                     "pas de mot de passe"):
        assert expected in text, expected
    assert ws.protection.sheet


def test_cibles_lists_the_32_targets(blank: Any, plan: Plan) -> None:
    ws = blank["Cibles"]
    assert ws.protection.sheet
    assert [as_day(ws.cell(4, c).value) for c in range(3, 7)] == ECHEANCES
    found = {}
    for row in range(5, 13):
        number = ws.cell(row, 1).value
        for column, day in enumerate(ECHEANCES, start=3):
            cell = ws.cell(row, column)
            assert cell.number_format == "0%"
            found[number, day] = cell.value
    expected = {(m.number, ms.due): ms.target for m in plan.missions for ms in m.milestones}
    assert len(expected) == 32
    assert found == pytest.approx(expected)


def test_document_created_date_is_fixed(blank: Any, tmp_path: Path,
                                        plan: Plan) -> None:
    assert blank.properties.created == datetime(2020, 6, 1)
    one, two = tmp_path / "one.xlsx", tmp_path / "two.xlsx"
    write_template(one, plan, committee_date=date(2020, 6, 1))
    write_template(two, plan, committee_date=date(2020, 6, 1))
    assert one.read_bytes() == two.read_bytes()


def test_no_overwrite_without_force(tmp_path: Path, plan: Plan) -> None:
    path = tmp_path / "input.xlsx"
    path.write_bytes(b"my figures")
    with pytest.raises(TemplateExistsError) as caught:
        write_template(path, plan)
    assert path.read_bytes() == b"my figures"
    assert caught.value.path == path
    assert template_exists_text(caught.value.path) == (
        f"Le fichier {path} existe déjà : ajoutez --force pour le remplacer "
        "(l'ancien sera conservé en copie datée)."
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["input.xlsx"]


def test_force_keeps_a_dated_backup(tmp_path: Path, plan: Plan) -> None:
    path = tmp_path / "input.xlsx"
    path.write_bytes(b"my figures")
    backup = write_template(path, plan, force=True)
    assert backup is not None
    assert backup.parent == tmp_path
    # The time in UTC, marked so (Z): two time zones never name the same moment twice.
    assert re.fullmatch(r"input\.sauvegarde-\d{4}-\d\d-\d\d-\d{6}Z\.xlsx", backup.name)
    assert backup.read_bytes() == b"my figures"
    assert openpyxl.load_workbook(path).sheetnames[0] == "Saisie"
    # Nothing else left behind (no temporary file).
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["input.xlsx", backup.name])


class _FrozenClock(datetime):
    @classmethod
    def now(cls, tz: Any = None) -> _FrozenClock:
        return cls(2026, 11, 29, 9, 30, 12, tzinfo=UTC)


def test_backup_never_overwrites_a_backup(tmp_path: Path, plan: Plan,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "datetime", _FrozenClock)
    path = tmp_path / "input.xlsx"
    names = []
    for content in (b"first", b"second", b"third"):
        path.write_bytes(content)
        backup = write_template(path, plan, force=True)
        assert backup is not None
        names.append((backup.name, backup.read_bytes()))
    assert names == [
        ("input.sauvegarde-2026-11-29-093012Z.xlsx", b"first"),
        ("input.sauvegarde-2026-11-29-093012Z-2.xlsx", b"second"),
        ("input.sauvegarde-2026-11-29-093012Z-3.xlsx", b"third"),
    ]


def test_creates_missing_folders(tmp_path: Path, plan: Plan) -> None:
    path = tmp_path / "a" / "b" / "input.xlsx"
    assert write_template(path, plan) is None
    assert path.is_file()


def test_prefilled_rates_and_notes_land_in_their_cells(tmp_path: Path,
                                                      plan: Plan) -> None:
    path = tmp_path / "input.xlsx"
    rates = {(1, date(2020, 5, 11)): 0.78, (3, date(2020, 7, 1)): 0.5,
             (8, date(2020, 9, 1)): 1.0}
    notes = {2: Notes(comment="=SOMME(A1)", attention="http://exemple.fr", next_steps="0075")}
    write_template(path, plan, rates=rates, notes=notes)
    ws = openpyxl.load_workbook(path)["Saisie"]
    filled = {(r, c): ws[f"{c}{r}"].value for r in range(6, 14) for c in RATE_COLUMNS
              if ws[f"{c}{r}"].value is not None}
    assert filled == {(6, "C"): 0.78, (8, "E"): 0.5, (13, "F"): 1.0}
    # Text stays text: no formula, link or number made of it.
    assert [ws[f"{c}7"].value for c in NOTE_COLUMNS] == ["=SOMME(A1)", "http://exemple.fr",
                                                        "0075"]
    assert [ws[f"{c}7"].data_type for c in NOTE_COLUMNS] == ["s", "s", "s"]
    # Quote-prefixed like the committee workbook's text, so that editing the
    # cell in Excel does not turn it into a formula.
    assert [ws[f"{c}7"].quotePrefix for c in NOTE_COLUMNS] == [True, False, False]
    assert not ws._hyperlinks


@pytest.mark.parametrize(("rates", "notes", "message"), [
    ({(9, date(2020, 5, 11)): 0.5}, {}, "unknown mission 9"),
    ({(1, date(2020, 5, 12)): 0.5}, {}, "not an échéance"),
    ({(1, date(2020, 5, 11)): 75.0}, {}, "not a fraction"),
    ({}, {9: Notes(comment="x")}, "notes for unknown mission 9"),
])
def test_prefill_that_does_not_fit_is_refused(
    tmp_path: Path, plan: Plan,
    rates: dict[tuple[int, date], float], notes: dict[int, Notes], message: str,
) -> None:
    path = tmp_path / "input.xlsx"
    with pytest.raises(ValueError, match=message):
        write_template(path, plan, rates=rates, notes=notes)
    assert not path.exists()


# --- the committed sample ---------------------------------------------------


def read_rates(path: Path) -> tuple[date, dict[tuple[int, date], float]]:
    ws = openpyxl.load_workbook(path)["Saisie"]
    rates = {}
    for row in range(6, 14):
        for column in RATE_COLUMNS:
            value = ws[f"{column}{row}"].value
            if value is not None:
                rates[ws[f"A{row}"].value, as_day(ws[f"{column}5"].value)] = value
    return as_day(ws["B3"].value), rates


def expected_sample_rates() -> dict[tuple[int, date], float]:
    return {(number, day): percent / 100
            for number, pair in SAMPLE_PERCENT.items()
            for day, percent in zip(ECHEANCES[:2], pair, strict=True)}


@pytest.mark.parametrize("path", [SAMPLE, LIBREOFFICE_FIXTURE], ids=["sample", "libreoffice"])
def test_committed_sample_has_its_date_and_16_rates(path: Path) -> None:
    committee, rates = read_rates(path)
    assert committee == date(2020, 6, 1)
    assert len(rates) == 16
    assert rates == pytest.approx(expected_sample_rates())


def test_committed_sample_gives_the_intended_mix_of_statuses(plan: Plan) -> None:
    _, rates = read_rates(SAMPLE)
    data = InputData(date(2020, 6, 1),
                     tuple(Measurement(n, d, r) for (n, d), r in sorted(rates.items())))
    report = build_report(plan, data, date(2020, 6, 1))
    by_mission = {s.mission.number: s.status for s in report.missions}
    assert [n for n, s in by_mission.items() if s is Status.VIGILANCE] == [3, 7]
    assert [n for n, s in by_mission.items() if s is Status.ALERTE] == [5]
    assert report.count(Status.CONFORME) == 5


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_sample_input", ROOT / "scripts" / "make_sample_input.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cell_values(path: Path) -> dict[str, list[tuple[object, ...]]]:
    workbook = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}


def test_committed_sample_is_what_the_script_writes(tmp_path: Path) -> None:
    script = load_script()
    assert script.sample_rates() == expected_sample_rates()
    target = tmp_path / "input.xlsx"
    assert script.main(["make_sample_input.py", str(target)]) == 0
    assert cell_values(target) == cell_values(SAMPLE)


def test_sample_notes_fill_every_text_cell() -> None:
    ws = openpyxl.load_workbook(SAMPLE)["Saisie"]
    for row in range(6, 14):
        for column in NOTE_COLUMNS:
            value = ws[f"{column}{row}"].value
            assert isinstance(value, str) and len(value) > 20, f"{column}{row}"


def test_a_cell_xlsxwriter_refuses_is_a_french_error_and_nothing_is_written(
    tmp_path: Path, plan: Plan
) -> None:
    from spes_report.writers.cells import WorkbookWriteError

    path = tmp_path / "input.xlsx"
    with pytest.raises(WorkbookWriteError) as caught:
        write_template(path, plan, notes={1: Notes("x" * 40_000)})
    assert (caught.value.place, caught.value.code) == ("Saisie!H6", -2)
    assert list(tmp_path.iterdir()) == []


# --- a pilot's return (collect prepare) -----------------------------------------------


@pytest.mark.parametrize(("committee", "missions", "message"), [
    (None, (1,), "needs the committee date"),
    (date(2020, 7, 1), (9,), "unknown missions"),
    (date(2020, 7, 1), (), "unknown missions"),
])
def test_a_return_that_does_not_fit_is_refused(
    tmp_path: Path, plan: Plan, committee: date | None, missions: tuple[int, ...],
    message: str,
) -> None:
    path = tmp_path / "retour.xlsx"
    with pytest.raises(ValueError, match=message):
        write_template(path, plan, committee_date=committee,
                       pilot_return=PilotReturn("Jeanne Martin", missions))
    assert not path.exists()


def test_a_return_refuses_a_rate_of_another_pilots_mission(tmp_path: Path, plan: Plan) -> None:
    with pytest.raises(ValueError, match="unknown mission 2"):
        write_template(tmp_path / "retour.xlsx", plan, committee_date=date(2020, 7, 1),
                       rates={(2, date(2020, 6, 1)): 0.5},
                       pilot_return=PilotReturn("Jeanne Martin", (1,)))


def test_a_return_s_help_speaks_to_its_pilot(tmp_path: Path, plan: Plan) -> None:
    path = tmp_path / "retour.xlsx"
    write_template(path, plan, committee_date=date(2020, 7, 1),
                   pilot_return=PilotReturn("Jeanne Martin", (1, 4)))
    workbook = openpyxl.load_workbook(path)
    text = " ".join(str(c.value) for row in workbook["Mode d'emploi"].iter_rows()
                    for c in row if c.value)
    assert "Ce fichier est destiné à Jeanne Martin, pilote des missions n° 1 et 4." in text
    assert "au 1er juillet 2020" in text
    assert "la colonne du 01/07/2020 est marquée « À remplir »" in text
    assert "Renvoyer le fichier" in text
    assert workbook.properties.description == (
        "Fichier de retour créé par spes-report collect prepare")
