"""plan.xlsx as `spes-report plan init` writes it: read back by plan/sheet.py, and its layout."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from spes_report.model import Milestone, Mission, Plan
from spes_report.plan import load_plan, read_plan
from spes_report.writers.plan import SPARE_ROWS, plan_bytes, write_plan
from spes_report.writers.template import TemplateExistsError

TODAY = date(2020, 6, 1)
ECHEANCES = [date(2020, 5, 11), date(2020, 6, 1), date(2020, 7, 1), date(2020, 9, 1)]
# Row 7 is the header; the missions start on row 8, the targets in columns G-J.
TARGET_COLUMNS = "GHIJ"
HEADERS = ["N°", "Mission", "Objectif", "Description", "Pilote", "Courriel du pilote"]

REVISED = Plan(
    service="DREAL Bretagne",
    title="Plan de reprise 2021",
    missions=(
        Mission(
            number=1, title="Moderniser l’accueil du public",
            objective="Réduire l’attente au guichet", description="=1+1 n’est pas une formule",
            milestones=(Milestone(date(2021, 3, 1), 0.25), Milestone(date(2021, 9, 1), 0.875)),
            pilot="Marie-Hélène Dupont",
            pilot_email="marie-helene.dupont@developpement-durable.gouv.fr",
            revision_reason="Cible abaissée : recrutement reporté à l’automne"),
        # No target at the second échéance: its cell stays empty.
        Mission(
            number=2, title="Dématérialiser les demandes", objective="", description="",
            milestones=(Milestone(date(2021, 3, 1), 0.5), Milestone(date(2021, 12, 15), 1.0))),
        Mission(
            number=4, title="-Former les agents", objective="@tous", description="",
            milestones=(Milestone(date(2021, 9, 1), 0.6),), pilot="Jean Martin"),
    ),
)


@pytest.fixture(scope="module")
def embedded() -> Plan:
    return load_plan()


@pytest.fixture
def plan_file(tmp_path: Path, embedded: Plan) -> Path:
    path = tmp_path / "plan.xlsx"
    assert write_plan(path, embedded, today=TODAY) is None
    return path


@pytest.fixture
def plan_book(plan_file: Path) -> Any:
    return openpyxl.load_workbook(plan_file)


def as_day(value: object) -> date:
    assert isinstance(value, datetime), value
    return value.date()


def test_default_plan_round_trips(plan_file: Path, embedded: Plan) -> None:
    loaded = read_plan(plan_file)
    assert loaded.plan == embedded
    assert loaded.warnings == ()
    assert loaded.suffix == ".xlsx"


def test_pilots_reasons_and_missing_targets_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    write_plan(path, REVISED, today=TODAY)
    loaded = read_plan(path)
    assert loaded.plan == REVISED
    assert loaded.warnings == ()


def test_risky_text_is_written_as_text(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    write_plan(path, REVISED, today=TODAY)
    ws = openpyxl.load_workbook(path)["Plan"]
    assert ws["D8"].value == "=1+1 n’est pas une formule"
    assert ws["D8"].data_type == "s"
    assert ws["B10"].value == "-Former les agents"
    assert ws["C10"].value == "@tous"


def test_sheets_title_and_block(plan_book: Any) -> None:
    assert plan_book.sheetnames == ["Plan", "Mode d'emploi"]
    assert plan_book.active.title == "Plan"
    ws = plan_book["Plan"]
    assert ws["A1"].value == "SPES — Plan de pilotage"
    assert "spes-report plan check" in ws["A2"].value
    assert (ws["A4"].value, ws["B4"].value) == ("Service", "SPES")
    assert (ws["A5"].value, ws["B5"].value) == (
        "Titre du plan", "Reprise des activités au secrétariat général")
    assert ws["A4"].font.b and ws["A4"].fill.fgColor.rgb.endswith("F2F2F2")
    assert ws["B4"].fill.fgColor.rgb.endswith("FFF4CC")


def test_header_row_holds_real_dates(plan_book: Any) -> None:
    row = list(plan_book["Plan"][7])
    assert [c.value for c in row[:6]] == HEADERS
    assert [as_day(c.value) for c in row[6:10]] == ECHEANCES
    assert all(c.number_format == "dd/mm/yyyy" for c in row[6:10])
    assert [c.value for c in row[10:]] == ["Motif de révision"]


def test_one_row_per_mission_with_its_targets(plan_book: Any, embedded: Plan) -> None:
    ws = plan_book["Plan"]
    for row, mission in enumerate(embedded.missions, start=8):
        assert ws[f"A{row}"].value == mission.number
        assert ws[f"B{row}"].value == mission.title
        assert ws[f"C{row}"].value == mission.objective
        assert ws[f"D{row}"].value == mission.description
        targets = {m.due: m.target for m in mission.milestones}
        for column, day in zip(TARGET_COLUMNS, ECHEANCES, strict=True):
            cell = ws[f"{column}{row}"]
            assert cell.value == pytest.approx(targets[day])
            assert cell.number_format == "0 %"
        assert ws[f"B{row}"].alignment.wrap_text
        assert ws[f"D{row}"].alignment.wrap_text
    assert ws.max_row == 8 + len(embedded.missions) + SPARE_ROWS - 1


def test_missing_target_is_an_empty_percent_cell(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    write_plan(path, REVISED, today=TODAY)
    ws = openpyxl.load_workbook(path)["Plan"]
    # Échéances 01/03, 01/09, 15/12/2021 in G-I; mission 2 has none on 01/09.
    assert [as_day(ws[f"{c}7"].value) for c in "GHI"] == [
        date(2021, 3, 1), date(2021, 9, 1), date(2021, 12, 15)]
    assert ws["H9"].value is None
    assert ws["H9"].number_format == "0 %"
    # 87.5 % keeps its decimal; whole percents have none.
    assert (ws["H8"].value, ws["H8"].number_format) == (0.875, "0.0 %")
    assert (ws["G8"].value, ws["G8"].number_format) == (0.25, "0 %")
    assert (ws["E8"].value, ws["F8"].value) == (
        "Marie-Hélène Dupont", "marie-helene.dupont@developpement-durable.gouv.fr")
    assert ws["J7"].value == "Motif de révision"
    assert ws["J8"].value == "Cible abaissée : recrutement reporté à l’automne"


def test_target_validation_covers_spare_rows(plan_book: Any, embedded: Plan) -> None:
    ws = plan_book["Plan"]
    [targets] = ws.data_validations.dataValidation
    last = 8 + len(embedded.missions) + SPARE_ROWS - 1
    assert str(targets.sqref) == f"G8:J{last}"
    assert targets.type == "decimal"
    assert targets.operator in (None, "between")
    assert (float(targets.formula1), float(targets.formula2)) == (0, 1)
    assert targets.showErrorMessage
    assert targets.error and "75 %" in targets.error and len(targets.error) <= 255
    assert targets.prompt and "75 %" in targets.prompt and len(targets.prompt) <= 255
    assert len(targets.errorTitle) <= 32 and len(targets.promptTitle) <= 32
    for column in TARGET_COLUMNS:
        assert ws[f"{column}{last}"].number_format == "0 %"


def test_a_mission_typed_in_a_spare_row_is_read(plan_file: Path, plan_book: Any,
                                                embedded: Plan) -> None:
    ws = plan_book["Plan"]
    row = 8 + len(embedded.missions)
    ws[f"A{row}"] = 9
    ws[f"B{row}"] = "Nouvelle mission"
    ws[f"J{row}"] = 0.7  # typed as 70 % into the percent-formatted cell
    plan_book.save(plan_file)
    ninth = read_plan(plan_file).plan.mission(9)
    assert ninth is not None
    assert ninth.title == "Nouvelle mission"
    assert ninth.milestones == (Milestone(date(2020, 9, 1), 0.7),)


def test_plan_sheet_is_not_protected(plan_book: Any) -> None:
    assert not plan_book["Plan"].protection.sheet
    assert plan_book["Mode d'emploi"].protection.sheet
    assert not plan_book["Mode d'emploi"].protection.password


def test_freeze_panes_below_header_right_of_mission(plan_book: Any) -> None:
    assert plan_book["Plan"].freeze_panes == "C8"


def test_print_setup_a4_landscape_one_page_wide(plan_book: Any) -> None:
    for ws in plan_book.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.paperSize == 9, ws.title
        assert ws.page_setup.fitToWidth in (None, 1), ws.title
        assert ws.page_setup.fitToHeight == 0, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    assert plan_book["Plan"].print_title_rows == "$7:$7"


def test_document_properties(plan_book: Any) -> None:
    assert plan_book.properties.title == "SPES — Plan de pilotage"
    assert plan_book.properties.subject == "Reprise des activités au secrétariat général"
    assert plan_book.properties.creator == "SPES"
    assert plan_book.properties.created == datetime(2020, 6, 1)


def test_mode_d_emploi_explains_each_task(plan_book: Any) -> None:
    ws = plan_book["Mode d'emploi"]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    for expected in ("plan.xlsx", "plan intégré", "Réviser une cible", "« Motif de révision »",
                     "cible initiale et la cible révisée", "Ajouter une mission",
                     "inputs/input.xlsx", "Ajouter ou déplacer une échéance", "ordre des dates",
                     "nouvelle période", "historique", "facultatives",
                     "spes-report plan check", "spes-report plan show"):
        assert expected in text, expected


def test_same_call_gives_same_bytes(tmp_path: Path, embedded: Plan) -> None:
    one, two = tmp_path / "one.xlsx", tmp_path / "two.xlsx"
    write_plan(one, embedded, today=TODAY)
    write_plan(two, embedded, today=TODAY)
    assert one.read_bytes() == two.read_bytes() == plan_bytes(embedded, TODAY)
    assert plan_bytes(embedded, date(2021, 1, 4)) != plan_bytes(embedded, TODAY)


def test_no_overwrite_without_force(tmp_path: Path, embedded: Plan) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"our plan")
    with pytest.raises(TemplateExistsError) as caught:
        write_plan(path, embedded)
    assert caught.value.path == path
    assert path.read_bytes() == b"our plan"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.xlsx"]


def test_force_keeps_a_dated_backup(tmp_path: Path, embedded: Plan) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"our plan")
    backup = write_plan(path, embedded, force=True, today=TODAY)
    assert backup is not None
    assert backup.parent == tmp_path
    assert re.fullmatch(r"plan\.sauvegarde-\d{4}-\d\d-\d\d-\d{6}Z\.xlsx", backup.name)
    assert backup.read_bytes() == b"our plan"
    assert path.read_bytes() == plan_bytes(embedded, TODAY)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["plan.xlsx", backup.name])


def test_writes_into_a_new_folder(tmp_path: Path, embedded: Plan) -> None:
    path = tmp_path / "dossier" / "plan.xlsx"
    assert write_plan(path, embedded, force=True, today=TODAY) is None
    assert read_plan(path).plan == embedded
