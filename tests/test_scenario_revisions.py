"""A plan revised between two committees, then a new plan period, through the real commands:
what the console, the workbook, the email and the archive say of it."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from support import run
from support.archive import ARCHIVE_0_1_0
from support.inputs import make_input
from support.mail import EMAIL_SECTION, bodies, parse
from support.plans import plan_toml
from support.workbooks import load

from spes_report.model import Milestone, Mission, Plan

JULY_15 = datetime(2020, 7, 15)


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with June and July inputs, June built on a fresh plan.xlsx."""
    monkeypatch.chdir(tmp_path)
    for month in ("juin", "juillet"):
        shutil.copy(ARCHIVE_0_1_0 / f"{month}.xlsx", tmp_path / f"{month}.xlsx")
    assert run("plan", "init").exit_code == 0
    assert run("build", "juin.xlsx").exit_code == 0
    return tmp_path


def revise(plan_file: Path) -> None:
    """What the README's plan section tells a newcomer to do, done with openpyxl: lower
    M7's last target, insert a mid-July échéance, add a ninth mission."""
    book = openpyxl.load_workbook(plan_file)
    sheet = book["Plan"]
    sheet.insert_cols(10)  # before 01/09/2020 (J)
    sheet.cell(7, 10, JULY_15).number_format = "dd/mm/yyyy"
    for row in range(8, 16):
        sheet.cell(row, 10, sheet.cell(row, 9).value).number_format = "0 %"
    sheet.cell(14, 11, 0.7)  # M7 on 01/09/2020: 80 % → 70 %
    sheet.cell(14, 12, "Moyens réduits")
    for col, value in enumerate([9, "Numériser les archives du service", "Objectif",
                                 "Description", "Jeanne Martin",
                                 "jeanne.martin@exemple.gouv.fr", None, None, 0.3, 0.4, 0.8],
                                start=1):
        cell = sheet.cell(16, col, value)
        if col >= 7:
            cell.number_format = "0 %"
    book.save(plan_file)


def test_a_revised_plan_is_shown_everywhere_and_june_still_verifies(office: Path) -> None:
    revise(office / "plan.xlsx")
    assert run("plan", "check").exit_code == 0
    (office / "spes-report.toml").write_text(EMAIL_SECTION, encoding="utf-8")
    result = run("email", "juillet.xlsx")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    start = lines.index("Le plan a été révisé depuis le comité du 1er juin 2020 (3 révisions) :")
    assert lines[start + 1:start + 4] == [
        "  - échéance du 15/07/2020 ajoutée",
        "  - M7, 01/09/2020 : cible 80\u00a0% → 70\u00a0% (motif : Moyens réduits)",
        "  - mission n° 9 ajoutée : « Numériser les archives du service »",
    ]
    # The input lacks the new column and row: said, not blocking.
    assert "l'échéance du 15/07/2020 du plan (plan.xlsx) n'a pas de colonne" in result.stderr
    assert "la mission n° 9 du plan (plan.xlsx) n'a pas de ligne" in result.stderr

    book = load(office / "outputs" / "SPES_COPIL_2020-07-01.xlsx")
    history = [[c for c in row if c is not None]
               for row in book["Historique"].iter_rows(values_only=True)]
    at = history.index(["Révisions du plan"])
    assert history[at + 2:at + 5] == [
        ["Échéance du 15/07/2020 ajoutée"],
        ["M7", "M7, 01/09/2020 : cible 80\u00a0% → 70\u00a0% (motif : Moyens réduits)"],
        ["M9", "Mission n° 9 ajoutée : « Numériser les archives du service »"],
    ]
    assert ["Plan révisé au comité du 01/07/2020 (voir « Révisions du plan » ci-dessous)."] in (
        history)
    # M9 did not exist on 1 June: an empty cell there, never a figure.
    m9 = next(row for row in book["Historique"].iter_rows(values_only=True) if row[0] == "M9")
    assert m9[2] is None

    synthese = book["Synthèse"]
    headers = [c.value for c in synthese[7]]
    assert headers[3:5] == ["Cible initiale", "Cible révisée"]
    notes = [row[0] for row in synthese.iter_rows(min_row=17, values_only=True) if row[0]]
    assert ("Attention : le plan a été révisé depuis le comité du 1er juin 2020 (3 révisions) "
            ": voir la feuille Historique, « Révisions du plan ».") in notes
    m7 = next(name for name in book.sheetnames if name.startswith("M7"))
    texts = [c for row in book[m7].iter_rows(values_only=True) for c in row
             if isinstance(c, str)]
    assert ("Cibles révisées (cible initiale du plan présenté au comité du 1er juin 2020 → "
            "cible révisée, en vigueur) : 01/09/2020 : 80\u00a0% → 70\u00a0%. Motif : Moyens "
            "réduits.") in texts
    m9_sheet = next(name for name in book.sheetnames if name.startswith("M9"))
    assert ["Pilote", "Jeanne Martin (jeanne.martin@exemple.gouv.fr)"] in [
        [c for c in row if c] for row in book[m9_sheet].iter_rows(values_only=True)]

    text, _ = bodies(parse((office / "outputs" / "SPES_COPIL_2020-07-01.eml").read_bytes()))
    assert "Révisions du plan depuis le comité précédent :" in text
    assert "- M7, 01/09/2020 : cible 80\u00a0% → 70\u00a0% (motif : Moyens réduits)" in text

    verified = run("archive", "verify")
    assert verified.exit_code == 0, verified.output
    listed = run("archive", "list").output.splitlines()
    assert "modifié depuis le mois précédent" in listed[1]


def test_a_new_plan_period_builds_archives_verifies_and_emails(office: Path) -> None:
    assert run("build", "juillet.xlsx").exit_code == 0
    march, june = date(2021, 3, 1), date(2021, 6, 1)
    plan_2021 = Plan("SPES", "Plan de transformation 2021", (
        Mission(1, "Accompagner les transformations (2021)", "", "",
                (Milestone(march, 0.4), Milestone(june, 0.8))),
        Mission(10, "Ouvrir les données du service", "", "",
                (Milestone(march, 0.2), Milestone(june, 0.6)), pilot="Paul Durand"),
    ))
    (office / "plan-2021.toml").write_text(plan_toml(plan_2021), encoding="utf-8")
    make_input(office / "mars-2021.xlsx",
               [[1, "Accompagner", 0.45, None], [10, "Ouvrir", 0.1, None]],
               header=["N°", "Mission", datetime(2021, 3, 1), datetime(2021, 6, 1)],
               committee_date=date(2021, 3, 1))
    (office / "spes-report.toml").write_text(EMAIL_SECTION, encoding="utf-8")
    result = run("email", "mars-2021.xlsx", "--plan", "plan-2021.toml")
    assert result.exit_code == 0, result.output
    assert ("  - nouveau plan : « Plan de transformation 2021 » (précédemment « Reprise des "
            "activités au secrétariat général »)") in result.stdout.splitlines()

    book = load(office / "outputs" / "SPES_COPIL_2021-03-01.xlsx")
    sheet = book["Historique"]
    rows = list(sheet.iter_rows(values_only=True))
    assert [c for c in rows[3] if c] == ["N°", "Mission", "01/06/2020", "01/07/2020",
                                         "01/03/2021\n(ce comité)"]
    by_number = {row[0]: row for row in rows if row[0] in ("M1", "M10")}
    # M1 keeps its number: its earlier figures are shown; M10 is new: empty cells.
    assert by_number["M1"][2:4] == (0.87, 0.93)
    assert by_number["M10"][2:4] == (None, None)
    assert ("Nouveau plan à partir du comité du 01/03/2021 : « Plan de transformation "
            "2021 » (précédemment « Reprise des activités au secrétariat général »).",) in [
        tuple(c for c in row if c) for row in rows]
    # A new title starts anew: no « Cible initiale » from the previous plan.
    assert [c.value for c in book["Synthèse"][7]][3] == "Cible"
    assert (office / "outputs" / "SPES_COPIL_2021-03-01.eml").exists()

    assert run("archive", "verify").exit_code == 0
    assert (office / "outputs" / "archive" / "2021-03" / "plan.toml").read_text(
        encoding="utf-8") == plan_toml(plan_2021)
