"""plan.xlsx read back after staff edited it: every problem with its cell, the warnings,
and the hostile files the input reader refuses, refused here in the plan's name."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from support.hostile import CSV, EXCEL_LOCK, HOSTILE_FIXTURES, MIB, zip_with
from support.plan_sheets import (
    ECHEANCE_COLUMNS,
    FIRST_FREE_ROW,
    editing,
    mission_row,
    set_target,
    written_plan,
)

from spes_report import InputError, load_input
from spes_report.model import Milestone
from spes_report.plan import load_plan, read_plan
from spes_report.problems import Problem

JUNE, JULY, SEPTEMBER = date(2020, 6, 1), date(2020, 7, 1), date(2020, 9, 1)
Edit = Callable[[Any], None]


@pytest.fixture
def sheet_plan(tmp_path: Path) -> Path:
    """The default plan as plan init writes it: tmp_path/plan.xlsx."""
    return written_plan(tmp_path / "plan.xlsx")


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(InputError) as caught:
        read_plan(path)
    return list(caught.value.problems)


def cells(**values: object) -> Edit:
    """An edit typing plain values (no format change) into cells: cells(A10=2)."""
    def edit(sheet: Any) -> None:
        for cell, value in values.items():
            sheet[cell] = value
    return edit


def targets(**values: object) -> Edit:
    """An edit typing into target cells, keeping their percent format."""
    def edit(sheet: Any) -> None:
        for cell, value in values.items():
            set_target(sheet, cell, value)
    return edit


def day(year: int, month: int, dom: int) -> datetime:
    return datetime(year, month, dom)


# --- one problem at a time ------------------------------------------------------------------

# (edit, code, place, words of the message); M2 is on row 9, M3 on row 10.
ONE_PROBLEM: dict[str, tuple[Edit, str, str, str]] = {
    "duplicate-number": (cells(A10=2), "plan-duplicate-mission", "Plan!A10",
                         "la mission n° 2 figure déjà (Plan!A9)"),
    "unreadable-number": (cells(A10="trois"), "plan-number", "Plan!A10",
                          "numéro de mission absent ou illisible"),
    "missing-number": (cells(A10=None), "plan-number", "Plan!A10",
                       "numéro de mission absent ou illisible"),
    "zero-number": (cells(A10=0), "plan-number", "Plan!A10", "numéro de mission"),
    "empty-title": (cells(B10=None), "plan-title-missing", "Plan!B10",
                    "la mission n° 3 n'a pas d'intitulé"),
    "blank-title": (cells(B10="   "), "plan-title-missing", "Plan!B10",
                    "la mission n° 3 n'a pas d'intitulé"),
    "unreadable-date": (cells(H7="31/13/2020"), "plan-date-unreadable", "Plan!H7",
                        "date d'échéance illisible"),
    "duplicate-date": (cells(H7=day(2020, 5, 11)), "plan-duplicate-date", "Plan!H7",
                       "l'échéance du 11/05/2020 figure déjà dans une autre colonne"),
    "dates-out-of-order": (cells(I7=day(2020, 5, 15)), "plan-dates-order", "Plan!I7",
                           "les échéances doivent se suivre de gauche à droite"),
    "target-over-100": (targets(H9="120 %"), "rate-out-of-range", "Plan!H9",
                        "mission n° 2, échéance du 01/06/2020 : le taux doit être compris "
                        "entre 0 % et 100 %"),
    "target-negative": (targets(H9=-0.1), "rate-out-of-range", "Plan!H9",
                        "le taux doit être compris entre 0 % et 100 %"),
    "target-text": (targets(H9="beaucoup"), "rate-not-a-number", "Plan!H9",
                    "mission n° 2, échéance du 01/06/2020 : ce texte n'est pas un taux"),
    "target-date": (cells(H9=day(2020, 6, 1)), "rate-not-a-number", "Plan!H9",
                    "ce n'est pas un taux"),
    "80-in-a-percent-cell": (targets(H9=80), "rate-percent-cell-over-100", "Plan!H9",
                             "la cellule affiche 8\u202f000 % : elle contient le nombre 80 au "
                             "format pourcentage ; tapez « 80 % » ou « 0,8 »"),
    "no-target-at-all": (targets(G9=None, H9=None, I9=None, J9=None), "plan-no-target",
                         "Plan!A9", "la mission n° 2 n'a aucune cible"),
    "only-dashes": (targets(G9="—", H9="—", I9="-", J9="–"), "plan-no-target", "Plan!A9",
                    "la mission n° 2 n'a aucune cible"),
    "pilot-email": (cells(F9="pas une adresse"), "plan-pilot-email", "Plan!F9",
                    "le courriel du pilote de la mission n° 2 n'est pas une adresse valide"),
    "pilot-email-with-name": (cells(F9="Jean Martin <jean.martin@finances.gouv.fr>"),
                              "plan-pilot-email", "Plan!F9", "n'est pas une adresse valide"),
    "pilot-email-two": (cells(F9="a@x.gouv.fr; b@x.gouv.fr"), "plan-pilot-email", "Plan!F9",
                        "n'est pas une adresse valide"),
}


@pytest.mark.parametrize("case", ONE_PROBLEM, ids=str)
def test_each_problem_names_its_cell(sheet_plan: Path, case: str) -> None:
    edit, code, place, words = ONE_PROBLEM[case]
    with editing(sheet_plan) as sheet:
        edit(sheet)
    problems = problems_of(sheet_plan)
    assert [(p.code, p.place) for p in problems] == [(code, place)]
    assert words in problems[0].message


def test_a_duplicate_names_the_first_place_even_far_below(sheet_plan: Path) -> None:
    with editing(sheet_plan) as sheet:
        sheet[f"A{FIRST_FREE_ROW + 3}"] = 7
        sheet[f"B{FIRST_FREE_ROW + 3}"] = "Encore la 7"
        set_target(sheet, f"J{FIRST_FREE_ROW + 3}", 0.9)
    [problem] = problems_of(sheet_plan)
    assert (problem.code, problem.place) == ("plan-duplicate-mission", "Plan!A19")
    assert problem.message == "la mission n° 7 figure déjà (Plan!A14)"


def test_every_problem_is_collected_in_one_error(sheet_plan: Path) -> None:
    with editing(sheet_plan) as sheet:
        sheet["H7"] = "31/13/2020"  # column H is no longer an échéance
        sheet["L7"] = day(2020, 7, 1)  # a second 01/07/2020 column, right of the reason
        sheet["M7"] = day(2020, 6, 15)  # before 01/09/2020, on its right
        set_target(sheet, "I8", 80)  # M1
        sheet["F9"] = "pilote@"  # M2
        sheet["A10"] = 2  # M3 numbered 2
        for column in "GHIJ":  # M4
            sheet[f"{column}11"] = None
        sheet["B12"] = None  # M5
        set_target(sheet, "I13", "120 %")  # M6
        set_target(sheet, "J14", -0.2)  # M7
        set_target(sheet, "I15", "beaucoup")  # M8
        sheet["A16"], sheet["B16"] = "neuf", "Neuvième mission"
        set_target(sheet, "J16", 0.5)
    problems = problems_of(sheet_plan)
    assert sorted((p.code, p.place) for p in problems) == sorted([
        ("plan-date-unreadable", "Plan!H7"),
        ("plan-duplicate-date", "Plan!L7"),
        ("plan-dates-order", "Plan!M7"),
        ("rate-percent-cell-over-100", "Plan!I8"),
        ("plan-pilot-email", "Plan!F9"),
        ("plan-duplicate-mission", "Plan!A10"),
        ("plan-no-target", "Plan!A11"),
        ("plan-title-missing", "Plan!B12"),
        ("rate-out-of-range", "Plan!I13"),
        ("rate-out-of-range", "Plan!J14"),
        ("rate-not-a-number", "Plan!I15"),
        ("plan-number", "Plan!A16"),
    ])
    # The header's problems come first, then the rows from top to bottom as read.
    assert [p.place for p in problems[:3]] == ["Plan!H7", "Plan!L7", "Plan!M7"]


def test_a_refused_target_is_not_also_no_target(sheet_plan: Path) -> None:
    """A mission whose only target is refused gets that refusal, not « aucune cible »."""
    with editing(sheet_plan) as sheet:
        for column in "GHI":
            sheet[f"{column}9"] = None
        set_target(sheet, "J9", "cent")
    assert [(p.code, p.place) for p in problems_of(sheet_plan)] == [
        ("rate-not-a-number", "Plan!J9")]


# --- warnings -------------------------------------------------------------------------------

def test_the_embedded_plan_and_its_file_give_no_warning(sheet_plan: Path) -> None:
    assert read_plan().warnings == ()
    assert read_plan(sheet_plan).warnings == ()


def test_a_lower_target_is_a_warning_with_its_cell(sheet_plan: Path) -> None:
    with editing(sheet_plan) as sheet:
        set_target(sheet, "I9", 0.7)  # M2: 90 % on 01/06/2020, now 70 % on 01/07/2020
    loaded = read_plan(sheet_plan)
    [warning] = loaded.warnings
    assert (warning.code, warning.place) == ("plan-target-lower", "Plan!I9")
    assert (warning.value, warning.expected) == ("70\xa0%", "au moins 90\xa0%")
    assert warning.message.startswith("mission n° 2 : la cible du 01/07/2020 est plus basse "
                                      "que celle du 01/06/2020")
    mission = loaded.plan.mission(2)
    assert mission is not None and Milestone(JULY, 0.7) in mission.milestones


def test_a_lower_target_after_a_gap_is_compared_with_the_one_before(sheet_plan: Path) -> None:
    with editing(sheet_plan) as sheet:
        set_target(sheet, "I9", "—")
        set_target(sheet, "J9", 0.85)  # M2: 90 % on 01/06/2020, none on 01/07
    [warning] = read_plan(sheet_plan).warnings
    assert (warning.code, warning.place, warning.expected) == (
        "plan-target-lower", "Plan!J9", "au moins 90\xa0%")


def test_an_equal_target_is_no_warning(sheet_plan: Path) -> None:
    with editing(sheet_plan) as sheet:
        set_target(sheet, "J9", 0.9)  # M2: 90 % on 01/06, 01/07 and 01/09
    assert read_plan(sheet_plan).warnings == ()


@pytest.mark.parametrize("service", [None, "", "   "])
def test_an_empty_service_is_a_warning(sheet_plan: Path, service: str | None) -> None:
    with editing(sheet_plan) as sheet:
        sheet["B4"] = service
    loaded = read_plan(sheet_plan)
    assert [w.code for w in loaded.warnings] == ["plan-service-missing"]
    assert "« SPES » est utilisé" in loaded.warnings[0].message
    assert loaded.plan.service == "SPES"


def test_warnings_come_together(sheet_plan: Path) -> None:
    with editing(sheet_plan) as sheet:
        sheet["B4"] = None
        set_target(sheet, "J14", 0.6)  # M7: 70 % on 01/07/2020
    assert [(w.code, w.place) for w in read_plan(sheet_plan).warnings] == [
        ("plan-service-missing", "Plan!B4"), ("plan-target-lower", "Plan!J14")]


# --- what is read ---------------------------------------------------------------------------

@pytest.mark.parametrize("dash", ["—", "–", "-", " — "])
def test_a_dash_is_no_target(sheet_plan: Path, dash: str) -> None:
    with editing(sheet_plan) as sheet:
        set_target(sheet, "H9", dash)
    loaded = read_plan(sheet_plan)
    mission = loaded.plan.mission(2)
    assert mission is not None
    assert [m.due for m in mission.milestones] == [date(2020, 5, 11), JULY, SEPTEMBER]
    assert loaded.warnings == ()


def test_a_ninth_mission_typed_under_the_table_is_read(sheet_plan: Path) -> None:
    row = FIRST_FREE_ROW + 2  # two rows left empty between the table and it
    with editing(sheet_plan) as sheet:
        sheet[f"A{row}"] = 9
        sheet[f"B{row}"] = "  Ouvrir le  service aux usagers  "
        sheet[f"E{row}"] = "Léa Roux"
        sheet[f"F{row}"] = "lea.roux@developpement-durable.gouv.fr"
        sheet[f"I{row}"] = 0.4  # the spare rows are already percent-formatted
        sheet[f"J{row}"] = "60 %"
        sheet[f"K{row}"] = "Mission ajoutée au comité de juin"
    plan = read_plan(sheet_plan).plan
    assert [m.number for m in plan.missions] == list(range(1, 10))
    ninth = plan.mission(9)
    assert ninth is not None
    assert ninth.title == "Ouvrir le service aux usagers"
    assert (ninth.pilot, ninth.pilot_email) == ("Léa Roux",
                                                "lea.roux@developpement-durable.gouv.fr")
    assert ninth.milestones == (Milestone(JULY, 0.4), Milestone(SEPTEMBER, 0.6))
    assert ninth.revision_reason == "Mission ajoutée au comité de juin"
    assert plan.milestone_dates == tuple(ECHEANCE_COLUMNS)


def test_a_note_under_the_table_is_not_a_mission(sheet_plan: Path) -> None:
    with editing(sheet_plan) as sheet:
        sheet[f"C{FIRST_FREE_ROW + 1}"] = "Plan validé par le comité du 1er juin."
    assert len(read_plan(sheet_plan).plan.missions) == 8


def test_a_revised_target_and_its_reason_are_read(sheet_plan: Path) -> None:
    row = mission_row(7)
    with editing(sheet_plan) as sheet:
        set_target(sheet, f"J{row}", 0.7)
        sheet[f"K{row}"] = "Cible abaissée : recrutement reporté à l’automne"
    loaded = read_plan(sheet_plan)
    mission = loaded.plan.mission(7)
    assert mission is not None
    assert mission.milestones[-1] == Milestone(SEPTEMBER, 0.7)
    assert mission.revision_reason == "Cible abaissée : recrutement reporté à l’automne"
    assert loaded.warnings == ()  # 70 % on 01/07/2020 already


# --- hostile files, refused in the plan's name -------------------------------------------------

def encrypted_plan(folder: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = written_plan(folder / "clair.xlsx")
    target = folder / "plan.xlsx"
    with plain.open("rb") as source, target.open("wb") as out:
        OOXMLFile(source).encrypt("secret", out)
    return target


def inflated_plan(folder: Path) -> Path:
    """A real plan plus a part of zeros that inflates past the 10 MiB limit."""
    target = written_plan(folder / "plan.xlsx")
    with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/image1.png", bytes(11 * MIB))
    return target


def with_content(name: str, content: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        (folder / name).write_bytes(content)
        return folder / name
    return make


def ods_plan(folder: Path) -> Path:
    return Path(shutil.copy(HOSTILE_FIXTURES / "saisie_libreoffice.ods", folder / "plan.ods"))


def a_folder(folder: Path) -> Path:
    (folder / "plans").mkdir()
    return folder / "plans"


# (make, code, place: "name" or "path", the words naming the plan, or "" when the refusal
# does not name the file's role)
HOSTILE: dict[str, tuple[Callable[[Path], Path], str, str, str]] = {
    "csv-renamed": (with_content("plan.xlsx", CSV.encode("utf-8")), "csv-or-text", "name", ""),
    "encrypted": (encrypted_plan, "encrypted-workbook", "name", ""),
    "ods": (ods_plan, "ods-workbook", "name", ""),
    "excel-lock-file": (with_content("~$plan.xlsx", EXCEL_LOCK), "excel-lock-file", "name",
                        "ce n'est pas le plan"),
    "libreoffice-lock-file": (with_content(".~lock.plan.xlsx#", b"agent1,poste,,\n"),
                              "libreoffice-lock-file", "name", "ce n'est pas le plan"),
    "zip-bomb": (inflated_plan, "archive-too-large", "name", ""),
    "pdf": (with_content("plan.xlsx", b"%PDF-1.7\n1 0 obj\n"), "pdf-file", "name",
            "utilisez le plan (spes-report plan init en crée un)"),
    "plain-zip": (with_content("plan.xlsx", zip_with(["photos/1.jpg"])), "zip-not-workbook",
                  "name", "extrayez-en le plan"),
    "folder": (a_folder, "file-is-folder", "path",
               "indiquez le plan qu'il contient (par exemple plan.xlsx)"),
    "missing": (lambda folder: folder / "plan.xlsx", "file-missing", "path", ""),
    "lock-file-as-toml": (with_content("~$plan.toml", EXCEL_LOCK), "excel-lock-file", "name",
                          "ce n'est pas le plan"),
}


@pytest.mark.parametrize("case", HOSTILE, ids=str)
def test_hostile_files_get_the_inputs_refusals_in_the_plans_name(tmp_path: Path,
                                                                 case: str) -> None:
    make, code, place, words = HOSTILE[case]
    path = make(tmp_path)
    [problem] = problems_of(path)
    assert (problem.code, problem.place) == (code, path.name if place == "name" else str(path))
    assert "fichier de saisie" not in problem.message
    if not words:
        return
    assert words in problem.message
    # The same file given as the input: the same refusal, naming the input instead.
    with pytest.raises(InputError) as caught:
        load_input(path, load_plan())
    [as_input] = caught.value.problems
    assert as_input.code == code
    assert "fichier de saisie" in as_input.message
    assert "le plan" not in as_input.message
