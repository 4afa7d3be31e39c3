"""The service collects the month's figures from the missions' pilots: `collect prepare`
writes one return file per pilot, which the input loader reads as an input."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from support import SAMPLE, run, tree
from support.inputs import DATES, HEADER, make_input, mission_row
from support.mail import attachments, bodies, parse
from support.plans import plan_toml
from support.smtp import Recorder, smtp_server

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


# --- the messages to the pilots (--emails, --return-by, --send) --------------------------

EMAIL_CONFIG = """\
[email]
from = "SPES <spes@exemple.gouv.fr>"
to = ["copil-spes@exemple.gouv.fr"]
cc = ["secretariat@exemple.gouv.fr"]
subject_prefix = "[SPES]"
"""
RECIPIENTS = {JEANNE: "jeanne.martin@exemple.gouv.fr", PAUL: "paul.durand@exemple.gouv.fr",
              ERIC: "eric.durand@exemple.gouv.fr"}


@pytest.fixture
def mail_folder(folder: Path) -> Path:
    """The working folder with spes-report.toml's [email] section."""
    (folder / "spes-report.toml").write_text(EMAIL_CONFIG, encoding="utf-8")
    return folder


def drafted(path: Path) -> EmailMessage:
    return parse(path.with_suffix(".eml").read_bytes())


def test_emails_writes_one_draft_per_pilot_with_their_file(mail_folder: Path) -> None:
    result = prepare("--date", "2020-07-01", "--emails", "--return-by", "26/06/2020")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-3:] == [
        f"Message prêt pour Jeanne Martin : {JEANNE.with_suffix('.eml')}",
        f"Message prêt pour Paul/Éric Durand : {PAUL.with_suffix('.eml')}",
        f"Message prêt pour Paul:Éric Durand : {ERIC.with_suffix('.eml')}",
    ]
    for path, address in RECIPIENTS.items():
        message = drafted(path)
        assert message["X-Unsent"] == "1"
        assert message["From"] == "SPES <spes@exemple.gouv.fr>"
        assert message["To"].addresses[0].addr_spec == address
        assert message["Cc"] is None
        assert message["Subject"] == ("[SPES] Taux de réalisation à transmettre au plus tard le "
                                      "26 juin 2020 (comité du 1er juillet 2020)")
        (attached,) = attachments(message)
        assert attached.get_filename() == path.name
        assert attached.get_content() == (mail_folder / path).read_bytes()
    assert drafted(JEANNE)["To"].addresses[0].display_name == "Jeanne Martin"
    text, html = bodies(drafted(JEANNE))
    text = text.replace("\N{NO-BREAK SPACE}", " ")  # « 87 % » keeps its figure and sign together
    assert "par les 3 missions dont vous êtes pilote :" in text
    assert ("- Mission 1 : Accompagner les transformations des services centraux, locaux et "
            "des opérateurs\n  Dernier taux connu : 87 % au 01/06/2020 ; cible au 01/07/2020 "
            ": 90 %.") in text
    assert "au plus tard le 26 juin 2020." in text
    assert "<strong>au plus tard le 26 juin 2020</strong>" in html
    assert "par la mission dont vous êtes pilote :" in bodies(drafted(PAUL))[0]


def test_the_service_s_own_template_is_used(mail_folder: Path) -> None:
    (mail_folder / "templates").mkdir()
    (mail_folder / "templates" / "collecte_objet.txt").write_text(
        "Relevé {{ date_comite_courte }} — {{ pilote }}\n", encoding="utf-8")
    result = prepare("--date", "2020-07-01", "--emails", "--return-by", "2020-06-26")
    assert result.exit_code == 0, result.output
    assert drafted(JEANNE)["Subject"] == "Relevé 01/07/2020 — Jeanne Martin"


def test_a_broken_template_stops_before_anything_is_written(mail_folder: Path) -> None:
    (mail_folder / "templates").mkdir()
    (mail_folder / "templates" / "collecte_message.txt").write_text(
        "Bonjour {{ pilot }}\n", encoding="utf-8")
    result = prepare("--date", "2020-07-01", "--emails", "--return-by", "2020-06-26")
    assert result.exit_code == 1
    assert "templates/collecte_message.txt, ligne 1" in result.output
    assert "ce modèle utilise une variable qui n'existe pas" in result.output
    assert not (mail_folder / "inputs" / "returns").exists()


@pytest.mark.parametrize(("args", "said"), [
    (("--emails",), "--return-by DATE"),
    (("--send",), "--return-by DATE"),
    (("--return-by", "2020-06-26"), "--return-by sert aux messages : ajoutez --emails."),
])
def test_return_by_goes_with_emails(mail_folder: Path, args: tuple[str, ...],
                                    said: str) -> None:
    result = prepare("--date", "2020-07-01", *args)
    assert result.exit_code == 2
    assert said in result.output
    assert not (mail_folder / "inputs" / "returns").exists()


def test_a_deadline_after_the_committee_is_refused(mail_folder: Path) -> None:
    result = prepare("--date", "2020-07-01", "--emails", "--return-by", "2020-07-02")
    assert result.exit_code == 1
    assert result.output.startswith("La date limite de retour (02/07/2020) tombe après le "
                                    "comité du 1er juillet 2020")
    assert not (mail_folder / "inputs" / "returns").exists()


def test_a_pilot_without_address_is_refused_with_emails(mail_folder: Path) -> None:
    plan = piloted_plan()
    plan = dataclasses.replace(plan, missions=tuple(
        dataclasses.replace(m, pilot_email="") if m.number == 3 else m for m in plan.missions))
    (mail_folder / "plan.toml").write_text(plan_toml(plan), encoding="utf-8")
    result = prepare("--date", "2020-07-01", "--emails", "--return-by", "2020-06-26")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Le plan (plan.toml) ne donne pas le courriel de ce pilote : complétez la colonne "
        "« Courriel du pilote » du plan, ou lancez la commande sans --emails ni --send. "
        "Aucun fichier n'a été écrit.",
        "  - Paul/Éric Durand (mission 3)",
    ]
    assert not (mail_folder / "inputs" / "returns").exists()
    # Without --emails, the files need no address.
    assert prepare("--date", "2020-07-01").exit_code == 0


def test_emails_without_configuration_is_refused(folder: Path) -> None:
    result = prepare("--date", "2020-07-01", "--emails", "--return-by", "2020-06-26")
    assert result.exit_code == 1
    assert "le fichier de configuration est introuvable" in result.output
    assert not (folder / "inputs" / "returns").exists()


def test_an_existing_draft_is_kept_without_force(mail_folder: Path) -> None:
    assert prepare("--date", "2020-07-01", "--emails", "--return-by", "2020-06-26"
                   ).exit_code == 0
    before = tree(mail_folder)
    for path in (JEANNE, PAUL, ERIC):
        (mail_folder / path).unlink()
    result = prepare("--date", "2020-07-01", "--emails", "--return-by", "2020-06-26")
    assert result.exit_code == 1
    assert f"  - {JEANNE.with_suffix('.eml')}" in result.output.splitlines()
    assert not (mail_folder / JEANNE).exists()
    result = prepare("--date", "2020-07-01", "--emails", "--return-by", "2020-06-26",
                     "--force")
    assert result.exit_code == 0, result.output
    assert drafted(JEANNE)["Message-ID"] != parse(
        before[f"inputs/returns/2020-07/{JEANNE.with_suffix('.eml').name}"])["Message-ID"]


def smtp_section(port: int) -> str:
    return f'\n[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\ntimeout = 5\n'


def test_send_delivers_each_pilot_their_own_message(mail_folder: Path) -> None:
    inbox = Recorder()
    with smtp_server(inbox) as port:
        (mail_folder / "spes-report.toml").write_text(EMAIL_CONFIG + smtp_section(port),
                                                      encoding="utf-8")
        result = prepare("--date", "2020-07-01", "--send", "--return-by", "2020-06-26")
    assert result.exit_code == 0, result.output
    assert ("Envoi à Jeanne Martin (Jeanne Martin <jeanne.martin@exemple.gouv.fr>) par "
            f"127.0.0.1:{port}…") in result.output
    assert result.output.count("Message envoyé : le serveur a répondu « 250 2.0.0 Message "
                               "accepte (file 42) ».") == 3
    assert [e.rcpt_tos for e in inbox.received] == [[a] for a in RECIPIENTS.values()]
    for envelope, path in zip(inbox.received, RECIPIENTS, strict=True):
        received = parse(envelope.original_content)
        assert received["X-Unsent"] is None
        assert received["Message-ID"] == drafted(path)["Message-ID"]
        (attached,) = attachments(received)
        assert attached.get_content() == (mail_folder / path).read_bytes()


def test_a_refused_pilot_stops_the_sending_and_says_what_left(mail_folder: Path) -> None:
    inbox = Recorder(refuse=("paul.durand@exemple.gouv.fr",))
    with smtp_server(inbox) as port:
        (mail_folder / "spes-report.toml").write_text(EMAIL_CONFIG + smtp_section(port),
                                                      encoding="utf-8")
        result = prepare("--date", "2020-07-01", "--send", "--return-by", "2020-06-26")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[-5].startswith("Le message à Paul/Éric Durand n'a pas été envoyé : le "
                                f"serveur 127.0.0.1:{port} refuse")
    assert lines[-4:] == [
        "Déjà envoyés : Jeanne Martin.",
        "Non envoyés ; leurs messages restent prêts :",
        f"  - {PAUL.with_suffix('.eml')}",
        f"  - {ERIC.with_suffix('.eml')}",
    ]
    assert [e.rcpt_tos for e in inbox.received] == [["jeanne.martin@exemple.gouv.fr"]]
    assert (mail_folder / ERIC.with_suffix(".eml")).is_file()



def test_a_single_mission_without_pilot_is_said_in_the_singular(folder: Path) -> None:
    plan = piloted_plan()
    only_eight = dataclasses.replace(plan, missions=tuple(
        m if m.pilot or m.number == 8 else dataclasses.replace(m, pilot="Jeanne Martin")
        for m in plan.missions))
    (folder / "plan.toml").write_text(plan_toml(only_eight), encoding="utf-8")
    result = prepare("--date", "01/07/2020")
    assert result.exit_code == 0, result.output
    assert ("Mission sans pilote, qui reste dans inputs/input.xlsx : 8."
            in result.output.splitlines())
