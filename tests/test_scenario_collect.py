"""The service collects the month's figures from the missions' pilots: `collect prepare`
writes one return file per pilot, which the input loader reads as an input."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from support import SAMPLE, run, tree
from support.inputs import DATES, HEADER, make_input, mission_row
from support.plans import plan_toml

from spes_report.loader import load_input
from spes_report.model import Measurement, Plan
from spes_report.plan import load_plan, read_plan
from spes_report.writers.styles import INPUT_FILL, KNOWN_FILL, OPEN_EDGE

JULY = date(2020, 7, 1)
RETURNS = Path("inputs/returns/2020-07")
# Missions 1, 2 and 6 for Jeanne Martin (written twice with other spaces and case),
# 3 and 5 for two pilots whose names give the same file name; 4, 7 and 8 have none.
PILOTS = {
    1: ("Jeanne Martin", "jeanne.martin@exemple.gouv.fr"),
    2: ("Jeanne Martin", ""),
    3: ("Paul/Éric Durand", "paul.durand@exemple.gouv.fr"),
    5: ("Paul:Éric Durand", "eric.durand@exemple.gouv.fr"),
    6: ("jeanne  martin", ""),
}
JEANNE = RETURNS / "Jeanne Martin.xlsx"
PAUL = RETURNS / "Paul-Éric Durand.xlsx"
ERIC = RETURNS / "Paul-Éric Durand (2).xlsx"
# The committed sample's rates (committee of 1 June 2020) on 11/05 and 01/06.
SAMPLE_RATES = {1: (0.78, 0.87), 2: (0.82, 0.91), 3: (0.45, 0.67), 5: (0.70, 0.74),
                6: (0.81, 0.86)}


def piloted_plan() -> Plan:
    plan = load_plan()
    return dataclasses.replace(plan, missions=tuple(
        dataclasses.replace(m, pilot=PILOTS.get(m.number, ("", ""))[0],
                            pilot_email=PILOTS.get(m.number, ("", ""))[1])
        for m in plan.missions))


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The working folder (the test runs in it): plan.toml naming pilots, and the sample
    input of the 1 June 2020 committee in inputs/input.xlsx."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.toml").write_text(plan_toml(piloted_plan()), encoding="utf-8")
    (tmp_path / "inputs").mkdir()
    shutil.copy(SAMPLE, tmp_path / "inputs" / "input.xlsx")
    return tmp_path


def prepare(*args: str) -> Any:
    return run("collect", "prepare", "--plan", "plan.toml", *args)


@pytest.fixture
def july_returns(folder: Path) -> Path:
    """The returns for the 1 July 2020 committee."""
    result = prepare("--date", "2020-07-01")
    assert result.exit_code == 0, result.output
    return folder


def saisie(path: Path) -> Any:
    return openpyxl.load_workbook(path)["Saisie"]


def numbers(sheet: Any, first_row: int) -> list[object]:
    return [sheet.cell(row, 1).value for row in range(first_row, sheet.max_row + 1)
            if sheet.cell(row, 1).value is not None]


def as_day(value: object) -> date:
    assert isinstance(value, datetime), value
    return value.date()


def test_each_pilot_gets_a_file_with_only_their_missions(folder: Path) -> None:
    result = prepare("--date", "01/07/2020")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1] == ("Comité du 1er juillet 2020 : taux déjà connus repris de "
                        "inputs/input.xlsx (ceux datés d'avant le 01/07/2020).")
    assert lines[2:] == [
        f"Fichier écrit pour Jeanne Martin (missions 1, 2 et 6) : {JEANNE}",
        f"Fichier écrit pour Paul/Éric Durand (mission 3) : {PAUL}",
        f"Fichier écrit pour Paul:Éric Durand (mission 5) : {ERIC}",
        "Missions sans pilote, qui restent dans inputs/input.xlsx : 4, 7 et 8.",
    ]
    assert sorted(tree(folder / RETURNS)) == sorted(p.name for p in (JEANNE, PAUL, ERIC))
    expected = {JEANNE: [1, 2, 6], PAUL: [3], ERIC: [5]}
    for path, missions in expected.items():
        workbook = openpyxl.load_workbook(path)
        assert workbook.sheetnames == ["Saisie", "Mode d'emploi", "Cibles"]
        assert numbers(workbook["Saisie"], 6) == missions
        assert numbers(workbook["Cibles"], 5) == missions
    assert "Jeanne Martin" in saisie(JEANNE)["A1"].value


def test_the_committee_date_is_filled_and_locked(july_returns: Path) -> None:
    cell = saisie(JEANNE)["B3"]
    assert as_day(cell.value) == JULY
    assert cell.protection.locked


def test_known_rates_are_shown_grey_and_locked(july_returns: Path) -> None:
    sheet = saisie(JEANNE)
    assert [as_day(sheet[f"{c}5"].value) for c in "CDEF"] == [d.date() for d in DATES]
    for row, number in zip((6, 7, 8), (1, 2, 6), strict=True):
        may, june = SAMPLE_RATES[number]
        assert sheet[f"C{row}"].value == pytest.approx(may)
        assert sheet[f"D{row}"].value == pytest.approx(june)
        for column in "CDF":  # the past échéances, and the one still to come
            cell = sheet[f"{column}{row}"]
            assert cell.protection.locked, f"{column}{row}"
            assert cell.fill.fgColor.rgb == "FF" + KNOWN_FILL[1:]
        assert sheet[f"F{row}"].value is None


def test_the_committee_column_is_open_and_highlighted(july_returns: Path) -> None:
    sheet = saisie(JEANNE)
    assert as_day(sheet["E5"].value) == JULY
    assert sheet["E4"].value == "À remplir ↓"
    assert sheet["E5"].fill.fgColor.rgb == "FF" + OPEN_EDGE[1:]
    assert sheet["D5"].fill.fgColor.rgb != sheet["E5"].fill.fgColor.rgb
    for row in (6, 7, 8):
        cell = sheet[f"E{row}"]
        assert cell.value is None
        assert cell.protection.locked is False
        assert cell.fill.fgColor.rgb == "FF" + INPUT_FILL[1:]
        assert cell.border.left.color.rgb == "FF" + OPEN_EDGE[1:]
        # The weather and the three texts are this committee's too.
        assert all(sheet[f"{c}{row}"].protection.locked is False for c in "GHIJ")
        assert all(sheet[f"{c}{row}"].protection.locked for c in "AB")
    protection = sheet.protection
    assert protection.sheet and not protection.password
    # A return keeps the layout asked for: no column or row inserted.
    assert protection.insertColumns is not False
    assert protection.insertRows is not False


def test_the_return_reads_back_as_an_input_with_the_known_figures(july_returns: Path) -> None:
    plan = read_plan(Path("plan.toml")).plan
    loaded = load_input(JEANNE, plan)
    assert loaded.data.committee_date == JULY
    assert sorted(loaded.data.measurements, key=lambda m: (m.mission, m.on)) == [
        Measurement(number, day.date(), rate)
        for number in (1, 2, 6)
        for day, rate in zip(DATES, SAMPLE_RATES[number], strict=False)
    ]
    # The other pilots' missions are simply absent: a warning, never a problem.
    assert [w.code for w in loaded.warnings] == ["input-mission-row-missing"]


def test_what_the_pilot_types_reads_back(july_returns: Path) -> None:
    workbook = openpyxl.load_workbook(JEANNE)
    sheet = workbook["Saisie"]
    sheet["E6"] = 0.9
    sheet["H6"] = "Formations terminées"
    sheet["G6"] = "Soleil"
    workbook.save(JEANNE)
    loaded = load_input(JEANNE, read_plan(Path("plan.toml")).plan)
    assert Measurement(1, JULY, 0.9) in loaded.data.measurements
    assert loaded.data.notes[1].comment == "Formations terminées"
    assert run("check", JEANNE, "--plan", "plan.toml").exit_code == 0


def test_a_committee_between_echeances_gets_its_own_open_column(folder: Path) -> None:
    result = prepare("--date", "16/06/2020")
    assert result.exit_code == 0, result.output
    sheet = saisie(folder / "inputs/returns/2020-06/Jeanne Martin.xlsx")
    assert [as_day(sheet[f"{c}5"].value) for c in "CDEFG"] == [
        date(2020, 5, 11), date(2020, 6, 1), date(2020, 6, 16), JULY, date(2020, 9, 1)]
    assert sheet["E4"].value == "À remplir ↓"
    assert sheet["E6"].protection.locked is False
    assert sheet["F6"].protection.locked
    assert sheet["H5"].value == "Météo"


def test_only_rates_dated_before_the_committee_are_shown(folder: Path) -> None:
    """A measurement between échéances gets its locked column; a rate already typed for the
    committee's date, or after it, is not shown as known."""
    header = [*HEADER[:3], datetime(2020, 5, 20), *HEADER[3:]]
    rows = [[1, "Mission 1", 0.5, 0.55, 0.6, 0.7, None, "", "", ""]]
    make_input(folder / "inputs" / "input.xlsx", rows, header=header, committee_date=None)
    result = prepare("--date", "2020-06-01")
    assert result.exit_code == 0, result.output
    sheet = saisie(folder / "inputs/returns/2020-06/Jeanne Martin.xlsx")
    assert [as_day(sheet[f"{c}5"].value) for c in "CDEFG"] == [
        date(2020, 5, 11), date(2020, 5, 20), date(2020, 6, 1), JULY, date(2020, 9, 1)]
    assert [sheet[f"{c}6"].value for c in "CDEFG"] == [0.5, 0.55, None, None, None]
    assert sheet["D6"].protection.locked
    assert sheet["E6"].protection.locked is False


def test_a_plan_with_no_pilot_is_refused(folder: Path) -> None:
    before = tree(folder)
    result = run("collect", "prepare", "--date", "2020-07-01")
    assert result.exit_code == 1
    assert result.output.startswith("Le plan (plan intégré à l'outil) ne nomme aucun pilote")
    assert "Aucun fichier n'a été écrit." in result.output
    assert tree(folder) == before


def test_existing_returns_are_kept_without_force(july_returns: Path) -> None:
    before = tree(july_returns)
    result = prepare("--date", "2020-07-01")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Ces fichiers de retour existent déjà : ajoutez --force pour les remplacer (les "
        "anciens seront conservés en copie datée). Aucun fichier n'a été écrit.",
        f"  - {JEANNE}", f"  - {PAUL}", f"  - {ERIC}",
    ]
    assert tree(july_returns) == before


def test_force_keeps_a_dated_copy_of_each_return(july_returns: Path) -> None:
    old = (july_returns / JEANNE).read_bytes()
    result = prepare("--date", "2020-07-01", "--force")
    assert result.exit_code == 0, result.output
    kept = sorted((july_returns / RETURNS).glob("Jeanne Martin.sauvegarde-*.xlsx"))
    assert len(kept) == 1
    assert kept[0].read_bytes() == old
    assert f"Ancien fichier conservé : {RETURNS / kept[0].name}" in result.output
    assert len(list((july_returns / RETURNS).glob("*.sauvegarde-*.xlsx"))) == 3


def test_without_an_input_file_the_returns_have_no_known_figures(folder: Path) -> None:
    (folder / "inputs" / "input.xlsx").unlink()
    result = prepare("--date", "2020-07-01")
    assert result.exit_code == 0, result.output
    assert "inputs/input.xlsx n'existe pas, aucun taux déjà connu n'est repris." in result.output
    assert load_input(JEANNE, piloted_plan()).data.measurements == ()


def test_without_date_nor_input_the_date_is_asked(folder: Path) -> None:
    (folder / "inputs" / "input.xlsx").unlink()
    result = prepare()
    assert result.exit_code == 1
    assert result.output.startswith("Indiquez la date du comité")
    assert not (folder / "inputs" / "returns").exists()


def test_the_date_typed_in_the_input_is_used_when_still_to_come(folder: Path) -> None:
    make_input(folder / "inputs" / "input.xlsx", [mission_row(1, 0.5, 0.6)],
               committee_date=datetime(2020, 7, 1))
    result = prepare()
    assert result.exit_code == 0, result.output
    assert as_day(saisie(JEANNE)["B3"].value) == JULY


def test_the_last_committees_date_is_not_taken_for_the_next(folder: Path) -> None:
    """The sample says 1 June 2020 and has rates on that date: that committee is past."""
    result = prepare()
    assert result.exit_code == 1
    assert result.output.startswith("inputs/input.xlsx porte déjà des taux pour le comité du "
                                    "1er juin 2020")
    assert not (folder / "inputs" / "returns").exists()


def test_an_input_with_errors_is_refused_and_nothing_written(folder: Path) -> None:
    make_input(folder / "inputs" / "input.xlsx", [mission_row(1, 150)])
    result = prepare("--date", "2020-07-01")
    assert result.exit_code == 1
    assert result.output.startswith("Le fichier inputs/input.xlsx contient 1 problème ; aucun "
                                    "fichier n'a été écrit.")
    assert not (folder / "inputs" / "returns").exists()
