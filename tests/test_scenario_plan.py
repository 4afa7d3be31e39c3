"""The service owns its plan: plan init, edits in Excel, plan check and show, then the
month's input made from that plan, checked, built, archived and verified; and the ways the
input and the plan may disagree, through the real commands."""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from support import SAMPLE, run, tree
from support.hostile import CSV
from support.inputs import make_input, mission_row
from support.plan_sheets import (
    FIRST_FREE_ROW,
    editing,
    insert_echeance,
    set_target,
    written_plan,
)
from support.plans import plan_toml
from support.workbooks import load

from spes_report.model import Milestone, Mission, Plan
from spes_report.plan import load_plan, read_plan

MID_JULY = date(2020, 7, 15)
REASON = "Cible abaissée : recrutement du formateur reporté à l’automne"
# The targets of the new 15/07/2020 échéance, by mission (none above the 01/09 target).
MID_JULY_TARGETS = {1: 0.9, 2: 0.9, 3: 0.8, 4: 0.9, 5: 0.9, 6: 0.9, 7: 0.7, 8: 0.8, 9: 0.4}


@pytest.fixture
def planned_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The working folder (the test runs in it) after « spes-report plan init »."""
    monkeypatch.chdir(tmp_path)
    result = run("plan", "init")
    assert result.exit_code == 0, result.output
    return tmp_path


def revise(path: Path) -> None:
    """What the service does in Excel: M7's 01/09/2020 target lowered from 80 % to 70 %
    with its reason, a ninth mission typed under the table, a 15/07/2020 column inserted
    before the 01/09/2020 one."""
    with editing(path) as sheet:
        assert sheet["J14"].value == 0.8
        set_target(sheet, "J14", 0.7)
        sheet["K14"] = REASON
        sheet[f"A{FIRST_FREE_ROW}"] = 9
        sheet[f"B{FIRST_FREE_ROW}"] = "Ouvrir le service aux usagers"
        set_target(sheet, f"I{FIRST_FREE_ROW}", 0.3)
        set_target(sheet, f"J{FIRST_FREE_ROW}", 0.6)
        insert_echeance(sheet, "J", MID_JULY, MID_JULY_TARGETS)


def fill_input(path: Path, committee: date, rates: dict[int, tuple[float | None, ...]]) -> None:
    """Type the committee date and each mission's rates (from the first échéance on)."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Saisie"]
    sheet["B3"] = datetime.combine(committee, datetime.min.time())
    rows = {sheet.cell(row, 1).value: row for row in range(6, sheet.max_row + 1)}
    for number, values in rates.items():
        for offset, value in enumerate(values):
            if value is not None:
                sheet.cell(rows[number], 3 + offset, value)
    workbook.save(path)


def parameters(workbook: Path) -> dict[str, Any]:
    """The Paramètres sheet of a built workbook: each label with its value."""
    sheet = load(workbook)["Paramètres"]
    return {row[0].value: row[1].value for row in sheet.iter_rows(max_col=2) if row[0].value}


def cells_of(line: str) -> list[str]:
    """The cells of a line of « plan show » (70 % keeps its no-break space)."""
    return [cell for cell in line.split(" ") if cell]


def test_the_service_revises_its_plan_and_builds_a_month_with_it(planned_folder: Path) -> None:
    plan_file = planned_folder / "plan.xlsx"
    result = run("plan", "check")
    assert result.exit_code == 0, result.output
    assert re.fullmatch(
        r"plan\.xlsx \([0-9a-f]{6}…\) : aucun problème\. Plan « Reprise des activités au "
        r"secrétariat général » du service SPES : 8 missions, 4 échéances \(du 11/05/2020 au "
        r"01/09/2020\), 32 cibles\.\n", result.stdout)
    assert result.stderr == ""

    revise(plan_file)
    result = run("plan", "check")
    assert result.exit_code == 0, result.output
    assert "aucun problème. " in result.stdout
    assert "9 missions, 5 échéances (du 11/05/2020 au 01/09/2020), 43 cibles." in result.stdout
    assert result.stderr == ""  # 70 % on 01/07, 15/07 and 01/09 for M7: nothing lower

    result = run("plan", "show")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    short_hash = hashlib.sha256(plan_file.read_bytes()).hexdigest()[:6]
    assert lines[0] == f"Plan : plan.xlsx ({short_hash}…)"
    assert cells_of(lines[2])[2:] == ["11/05/2020", "01/06/2020", "01/07/2020", "15/07/2020",
                                    "01/09/2020"]
    table = lines[3:]
    assert [cells_of(line)[0] for line in table] == [str(n) for n in range(1, 10)]
    assert cells_of(table[6])[-5:] == ["50\xa0%", "60\xa0%", "70\xa0%", "70\xa0%", "70\xa0%"]
    assert re.search(r"—\s+—\s+30\xa0%\s+40\xa0%\s+60\xa0%$", table[8])

    result = run("init")
    assert result.exit_code == 0, result.output
    assert result.stdout == ("Fichier de saisie créé : inputs/input.xlsx\n"
                             f"Plan : plan.xlsx ({short_hash}…)\n")
    template = openpyxl.load_workbook("inputs/input.xlsx")["Saisie"]
    assert [c.value for c in template[5]][2:7] == [
        datetime(2020, 5, 11), datetime(2020, 6, 1), datetime(2020, 7, 1),
        datetime(2020, 7, 15), datetime(2020, 9, 1)]
    assert (template["H5"].value, template["I5"].value) == ("Météo", "Commentaire")
    assert [template[f"A{row}"].value for row in range(6, 15)] == list(range(1, 10))
    assert template["B14"].value == "Ouvrir le service aux usagers"
    assert template["A15"].value is None

    rates: dict[int, tuple[float | None, ...]] = {n: (0.75, 0.85, 0.9) for n in range(1, 9)}
    rates[7] = (0.5, 0.55, 0.6)  # under its 70 % target of 01/07/2020
    rates[9] = (None, None, 0.3)
    fill_input(Path("inputs/input.xlsx"), date(2020, 7, 1), rates)
    result = run("check")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "inputs/input.xlsx : aucun problème. 25 taux lus pour 9 missions, sur 5 dates.",
        f"Plan : plan.xlsx ({short_hash}…)"]
    assert result.stderr == ""

    result = run("build")
    assert result.exit_code == 0, result.output
    assert "Plan : plan.xlsx (" in result.stdout
    assert "Classeur écrit : outputs/SPES_COPIL_2020-07-01.xlsx" in result.stdout
    assert "9 missions" in result.stdout.splitlines()[-2]
    assert result.stdout.splitlines()[-1].startswith("Trajectoires : ")
    assert result.stderr == ""
    shown = parameters(Path("outputs/SPES_COPIL_2020-07-01.xlsx"))
    assert shown["Plan"] == "plan.xlsx — Reprise des activités au secrétariat général"
    assert shown["Empreinte SHA-256 du plan"] == hashlib.sha256(
        plan_file.read_bytes()).hexdigest()
    assert Path("outputs/archive/2020-07/plan.xlsx").read_bytes() == plan_file.read_bytes()

    result = run("archive", "verify")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Archive vérifiée : 1 version de comité (2020-07) ; "
                                    "fichiers intacts ; 1 classeur reconstruit à l'identique")

    # The plan changed after the month was built: verify still uses the plan archived with it.
    with editing(plan_file) as sheet:
        set_target(sheet, "I8", 0.2)
    assert run("archive", "verify").exit_code == 0


def test_a_mission_the_plan_lacks_is_refused_naming_both_files(planned_folder: Path) -> None:
    rows = [mission_row(n, 0.5, 0.6) for n in range(1, 10)]
    make_input(Path("input.xlsx"), rows)
    for command in ("check", "build"):
        result = run(command, "input.xlsx")
        assert result.exit_code == 1, result.output
        assert "Le fichier input.xlsx contient 1 problème ; aucun fichier n'a été écrit." \
            in result.output
        assert ("Saisie!A14 : la mission n° 9 n'existe pas dans le plan (plan.xlsx) "
                "(valeur trouvée : 9 ; attendu : un des numéros 1, 2, 3, 4, 5, 6, 7, 8)"
                in result.output)
    assert not Path("outputs").exists()


def test_the_mission_is_accepted_once_the_plan_has_it(planned_folder: Path) -> None:
    with editing(planned_folder / "plan.xlsx") as sheet:
        sheet[f"A{FIRST_FREE_ROW}"], sheet[f"B{FIRST_FREE_ROW}"] = 9, "Neuvième"
        set_target(sheet, f"J{FIRST_FREE_ROW}", 0.5)
    make_input(Path("input.xlsx"), [mission_row(n, 0.5, 0.6) for n in range(1, 10)])
    result = run("check", "input.xlsx")
    assert result.exit_code == 0, result.output
    assert "18 taux lus pour 9 missions" in result.stdout


def test_an_input_made_for_another_plan_is_refused(planned_folder: Path) -> None:
    header = ["N°", "Mission", datetime(2021, 3, 1), datetime(2021, 9, 1), "Commentaire"]
    make_input(Path("input.xlsx"), [[n, f"Mission {n}", 0.5, 0.7, ""] for n in range(1, 9)],
               header=header, committee_date=date(2021, 3, 1))
    result = run("check", "input.xlsx")
    assert result.exit_code == 1, result.output
    assert "Le fichier input.xlsx contient 1 problème" in result.output
    assert ("Saisie!C5 : aucune colonne de date ne tombe dans la période du plan (plan.xlsx, "
            "du 11/05/2020 au 01/09/2020) : ce fichier de saisie a été fait pour un autre "
            "plan" in result.output)


def test_an_input_measured_between_echeances_only_is_valid(planned_folder: Path) -> None:
    """As in 0.1.0: a date between two échéances is a measurement like any other."""
    header = ["N°", "Mission", datetime(2020, 6, 15), "Commentaire"]
    make_input(Path("input.xlsx"), [[n, f"Mission {n}", 0.8, ""] for n in range(1, 9)],
               header=header, committee_date=date(2020, 6, 15))
    result = run("check", "input.xlsx")
    assert result.exit_code == 0, result.output


def test_an_input_made_for_another_plan_gives_its_code(planned_folder: Path) -> None:
    from spes_report import InputError, load_input

    header = ["N°", "Mission", datetime(2021, 3, 1), "Commentaire"]
    make_input(Path("input.xlsx"), [[1, "Mission 1", 0.5, ""]], header=header)
    with pytest.raises(InputError) as caught:
        load_input(Path("input.xlsx"), read_plan(Path("plan.xlsx")).plan, "plan.xlsx")
    assert [(p.code, p.place) for p in caught.value.problems] == [
        ("input-other-plan", "Saisie!C5")]


def test_an_echeance_the_input_lacks_is_a_warning(planned_folder: Path) -> None:
    with editing(planned_folder / "plan.xlsx") as sheet:
        insert_echeance(sheet, "J", MID_JULY, {n: 0.9 for n in range(1, 7)} | {7: 0.7, 8: 0.8})
    input_path = Path("input.xlsx")
    input_path.write_bytes(SAMPLE.read_bytes())  # made for the four échéances of the default
    warning = ("Attention : Saisie, ligne 5 : l'échéance du 15/07/2020 du plan (plan.xlsx) "
               "n'a pas de colonne dans le fichier de saisie : ajoutez une colonne, la date en "
               "en-tête, pour y saisir les taux\n")
    result = run("check", input_path)
    assert result.exit_code == 0, result.output
    assert result.stderr == warning
    result = run("build", input_path)
    assert result.exit_code == 0, result.output
    assert warning in result.stderr
    assert Path("outputs/SPES_COPIL_2020-06-01.xlsx").exists()


def test_a_plan_with_an_error_stops_the_build_before_anything_is_written(
        planned_folder: Path) -> None:
    Path("inputs").mkdir()
    Path("inputs/input.xlsx").write_bytes(SAMPLE.read_bytes())
    assert run("build").exit_code == 0  # a month already archived: it must stay as it was
    with editing(planned_folder / "plan.xlsx") as sheet:
        set_target(sheet, "H9", 80)
    before = tree(planned_folder)
    for command in (("build",), ("build", "--replace"), ("email",), ("init", "--force"),
                    ("check",)):
        result = run(*command)
        assert result.exit_code == 1, (command, result.output)
        assert "Le plan plan.xlsx contient 1 problème" in result.output
        assert "Plan!H9 : mission n° 2, échéance du 01/06/2020 : la cellule affiche 8\u202f000 %" \
            in result.output
        assert tree(planned_folder) == before, command
    result = run("plan", "check")
    assert result.exit_code == 1
    assert "Plan!H9" in result.output


def test_a_hostile_plan_file_is_refused_in_the_plans_name(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("plan.xlsx").write_text(CSV, encoding="utf-8")
    Path("input.xlsx").write_bytes(SAMPLE.read_bytes())
    before = tree(tmp_path)
    result = run("build", "input.xlsx")
    assert result.exit_code == 1
    assert "Le plan plan.xlsx contient 1 problème ; aucun fichier n'a été écrit." \
        in result.output
    assert "plan.xlsx : fichier CSV ou texte renommé en .xlsx, pas un classeur Excel" \
        in result.output
    assert "fichier de saisie" not in result.output
    assert tree(tmp_path) == before


def test_an_excel_lock_file_beside_the_plan_is_no_matter(planned_folder: Path) -> None:
    Path("~$plan.xlsx").write_bytes(b"\x06agent1")  # Excel has plan.xlsx open
    result = run("check", SAMPLE)
    assert result.exit_code == 0, result.output
    assert "Plan : plan.xlsx (" in result.stdout


def test_option_plan_is_used_instead_of_plan_xlsx(planned_folder: Path) -> None:
    embedded = load_plan()
    ninth = Mission(number=9, title="Neuvième", objective="", description="",
                    milestones=(Milestone(date(2020, 9, 1), 0.5),))
    other = Plan(service="SPES", title="Plan révisé", missions=(*embedded.missions, ninth))
    Path("autre.toml").write_text(plan_toml(other), encoding="utf-8")
    make_input(Path("input.xlsx"), [mission_row(n, 0.5, 0.6) for n in range(1, 10)])

    assert run("check", "input.xlsx").exit_code == 1  # plan.xlsx has no mission 9
    result = run("check", "input.xlsx", "--plan", "autre.toml")
    assert result.exit_code == 0, result.output
    toml_hash = hashlib.sha256(Path("autre.toml").read_bytes()).hexdigest()
    assert f"Plan : autre.toml ({toml_hash[:6]}…)" in result.stdout

    result = run("build", "input.xlsx", "--plan", "autre.toml")
    assert result.exit_code == 0, result.output
    shown = parameters(Path("outputs/SPES_COPIL_2020-06-01.xlsx"))
    assert shown["Plan"] == "autre.toml — Plan révisé"
    assert shown["Empreinte SHA-256 du plan"] == toml_hash
    # Archived under the name every month's plan has there, in its own format.
    assert Path("outputs/archive/2020-06/plan.toml").read_bytes() == \
        Path("autre.toml").read_bytes()
    assert run("archive", "verify").exit_code == 0

    result = run("plan", "show", "autre.toml")
    assert result.exit_code == 0, result.output
    assert cells_of(result.stdout.splitlines()[-1])[:2] == ["9", "Neuvième"]


def test_option_plan_naming_a_missing_file_is_refused(planned_folder: Path) -> None:
    result = run("check", SAMPLE, "--plan", "absent.xlsx")
    assert result.exit_code == 1
    assert "Le plan absent.xlsx contient 1 problème" in result.output
    assert "absent.xlsx : fichier introuvable" in result.output


def test_plan_init_keeps_the_services_plan(planned_folder: Path) -> None:
    plan_file = planned_folder / "plan.xlsx"
    revise(plan_file)
    revised = plan_file.read_bytes()

    result = run("plan", "init")
    assert result.exit_code == 1
    assert result.output == ("Le fichier plan.xlsx existe déjà : ajoutez --force pour le "
                             "remplacer (l'ancien sera conservé en copie datée).\n")
    assert plan_file.read_bytes() == revised
    assert sorted(tree(planned_folder)) == ["plan.xlsx"]

    result = run("plan", "init", "--force")
    assert result.exit_code == 0, result.output
    [backup] = [name for name in tree(planned_folder) if name != "plan.xlsx"]
    assert re.fullmatch(r"plan\.sauvegarde-\d{4}-\d\d-\d\d-\d{6}Z\.xlsx", backup)
    assert result.stdout.startswith(f"Ancien fichier conservé : {backup}\nPlan créé : plan.xlsx")
    assert Path(backup).read_bytes() == revised
    assert read_plan(plan_file).plan == load_plan()
    assert len(read_plan(Path(backup)).plan.missions) == 9


def test_plan_init_writes_another_name(planned_folder: Path) -> None:
    result = run("plan", "init", "plans/plan-2021.xlsx")
    assert result.exit_code == 0, result.output
    assert read_plan(Path("plans/plan-2021.xlsx")).plan == load_plan()


def test_plan_check_says_the_warnings_and_still_succeeds(planned_folder: Path) -> None:
    with editing(planned_folder / "plan.xlsx") as sheet:
        set_target(sheet, "I9", 0.7)  # M2: 90 % on 01/06/2020
    result = run("plan", "check")
    assert result.exit_code == 0, result.output
    assert "aucun problème, 1 avertissement." in result.stdout
    assert result.stderr.startswith("Attention : Plan!I9 : mission n° 2 : la cible du "
                                    "01/07/2020 est plus basse que celle du 01/06/2020")


def test_a_plan_written_from_a_model_reads_as_that_model(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The other way to add an échéance: write the plan from a changed model."""
    monkeypatch.chdir(tmp_path)
    embedded = load_plan()
    moved = Plan(service=embedded.service, title=embedded.title, missions=tuple(
        Mission(number=m.number, title=m.title, objective=m.objective,
                description=m.description,
                milestones=(*m.milestones[:3], Milestone(MID_JULY, m.milestones[2].target),
                            m.milestones[3]))
        for m in embedded.missions))
    written_plan(Path("plan.xlsx"), moved)
    assert read_plan(Path("plan.xlsx")).plan == moved
    result = run("init")
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook("inputs/input.xlsx")["Saisie"]["F5"].value == \
        datetime(2020, 7, 15)


def test_the_plan_and_the_input_are_not_taken_for_each_other(planned_folder: Path) -> None:
    """Their tables share N° and Mission: read one as the other, targets become rates."""
    assert run("init", "input.xlsx").exit_code == 0
    before = tree(planned_folder)
    as_input = run("build", "plan.xlsx")
    assert as_input.exit_code == 1
    assert ("plan.xlsx : ce classeur est un plan (feuille « Plan »), pas un fichier de "
            "saisie") in as_input.output
    as_plan = run("plan", "check", "input.xlsx")
    assert as_plan.exit_code == 1
    assert ("input.xlsx : ce classeur est un fichier de saisie (feuille « Saisie »), pas un "
            "plan") in as_plan.output
    assert run("build", "input.xlsx", "--plan", "input.xlsx").exit_code == 1
    assert tree(planned_folder) == before
