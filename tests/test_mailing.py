"""The month's email through the commands (`email`, `build --email`): the draft beside the
workbook, and nothing written when the configuration or a template is wrong.

Each module of the mailing package has its own file: test_mailing_wording,
test_mailing_render, test_mailing_message, test_mailing_smtp (sending, and
`email --send`); spes-report.toml is tested in test_config."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import run
from support.mail import EMAIL_SECTION, SMTP_SECTION, XLSX, attachments, bodies, parse

from spes_report.french import MINUS, NBSP


def test_email_command_on_the_sample(staff_folder: Path) -> None:
    result = run("email")
    assert result.exit_code == 0, result.output
    eml = staff_folder / "outputs" / "SPES_COPIL_2020-06-01.eml"
    workbook = staff_folder / "outputs" / "SPES_COPIL_2020-06-01.xlsx"
    assert f"Classeur écrit : {Path('outputs') / workbook.name}" in result.output
    assert f"Message prêt : {Path('outputs') / eml.name}" in result.output
    message = parse(eml.read_bytes())
    assert message["X-Unsent"] == "1"
    assert message["Subject"] == (
        "[SPES] Comité de pilotage du 1er juin 2020 : tableau de bord des missions")
    assert [a.addr_spec for a in message["To"].addresses] == [
        "copil-spes@exemple.gouv.fr", "jeanne.dupre@exemple.gouv.fr"]
    (attached,) = attachments(message)
    assert attached.get_content_type() == XLSX
    assert attached.get_filename() == workbook.name
    assert attached.get_content() == workbook.read_bytes()
    text, html = bodies(message)
    summary = ("5 missions sur 8 sont conformes ; la mission 5 est en alerte (−11 points) ; "
               "les missions 3 (−3 points) et 7 (−4 points) sont en vigilance ; "
               "la mission 5 est hors trajectoire : 91,5 % projetés au 1er septembre 2020 "
               "pour une cible de 100 %.")
    summary = summary.replace("−", MINUS).replace(" points", NBSP + "points").replace(
        " %", NBSP + "%")
    assert summary.replace(" ;", NBSP + ";") in text
    assert f"Taux moyen de réalisation : 77{NBSP}%." in text
    assert "comité de pilotage du <strong>1er juin 2020</strong>" in html


def test_build_with_email_and_options(staff_folder: Path) -> None:
    result = run("build", "--email", "--date", "11/05/2020", "--output-dir", "envoi")
    assert result.exit_code == 0, result.output
    eml = staff_folder / "envoi" / "SPES_COPIL_2020-05-11.eml"
    message = parse(eml.read_bytes())
    assert "11 mai 2020" in message["Subject"]
    assert attachments(message)[0].get_filename() == "SPES_COPIL_2020-05-11.xlsx"


def test_build_without_email_writes_no_message(staff_folder: Path) -> None:
    assert run("build").exit_code == 0
    assert not list((staff_folder / "outputs").glob("*.eml"))


def test_user_template_is_used_by_the_command(staff_folder: Path) -> None:
    (staff_folder / "templates").mkdir()
    (staff_folder / "templates" / "objet.txt").write_text(
        "COPIL {{ service }} {{ date_comite_courte }} – {{ bilan }}", encoding="utf-8")
    assert run("email").exit_code == 0
    message = parse((staff_folder / "outputs" / "SPES_COPIL_2020-06-01.eml").read_bytes())
    assert message["Subject"] == (
        "COPIL SPES 01/06/2020 – 8 missions : 5 conformes, 2 en vigilance, 1 en alerte")


def nothing_written(folder: Path) -> bool:
    outputs = folder / "outputs"
    return not outputs.exists() or not any(outputs.iterdir())


def test_missing_config_exits_1_and_writes_nothing(staff_folder: Path) -> None:
    (staff_folder / "spes-report.toml").unlink()
    result = run("email")
    assert result.exit_code == 1
    assert ("Le fichier spes-report.toml contient 1 problème ; aucun fichier n'a été écrit."
            in result.output)
    assert "copiez spes-report.exemple.toml" in result.output
    assert nothing_written(staff_folder)


def test_missing_recipients_exit_1_and_write_nothing(staff_folder: Path) -> None:
    (staff_folder / "spes-report.toml").write_text(
        '[email]\nfrom = "spes@exemple.gouv.fr"\nto = []\n', encoding="utf-8")
    result = run("build", "--email")
    assert result.exit_code == 1
    assert ("spes-report.toml [email] to : aucun destinataire n'est indiqué : le message ne "
            "partirait à personne") in result.output
    assert nothing_written(staff_folder)


def test_broken_template_exits_1_before_building(staff_folder: Path) -> None:
    (staff_folder / "templates").mkdir()
    (staff_folder / "templates" / "message.txt").write_text("{% for m in missions %}\n",
                                                            encoding="utf-8")
    result = run("email")
    assert result.exit_code == 1
    assert ("Les modèles de message contiennent 1 problème ; aucun fichier n'a été écrit."
            in result.output)
    assert f"{Path('templates') / 'message.txt'}, ligne" in result.output
    assert nothing_written(staff_folder)


def test_unknown_variable_and_type_error_exit_1_before_building(staff_folder: Path) -> None:
    """The templates are filled with sample reports before the build: nothing is written."""
    (staff_folder / "templates").mkdir()
    (staff_folder / "templates" / "message.html").write_text("<p>{{ taux_moyen_du_mois }}</p>",
                                                             encoding="utf-8")
    (staff_folder / "templates" / "objet.txt").write_text(
        'Comité\n{{ nombre_missions + "a" }}\n', encoding="utf-8")
    result = run("email")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Les modèles de message contiennent 2 problèmes ; aucun fichier n'a été écrit.",
        f"  - {Path('templates/objet.txt')}, ligne 2 : ce modèle ne peut pas être rempli : il "
        "combine des valeurs de types incompatibles, par exemple un nombre et un texte "
        '(valeur trouvée : {{ nombre_missions + "a" }})',
        f"  - {Path('templates/message.html')}, ligne 1 : ce modèle utilise une variable qui "
        "n'existe pas (valeur trouvée : taux_moyen_du_mois ; attendu : une des variables "
        "décrites dans le README)",
    ]
    assert nothing_written(staff_folder)


def test_error_on_the_month_s_own_figures_leaves_the_workbook_and_no_message(
        staff_folder: Path) -> None:
    """A template that fails only on the real input's data passes the early check;
    filling it for real gives a problem with its line (exit 1), not a crash."""
    (staff_folder / "templates").mkdir()
    (staff_folder / "templates" / "message.txt").write_text(
        'Bonjour,\n{% if fichier_saisie == "input.xlsx" %}{{ nombre_missions + "a" }}'
        "{% endif %}\n", encoding="utf-8")
    result = run("email")
    assert result.exit_code == 1, result.output
    assert "le classeur est écrit, mais pas le message" in result.output
    assert (f"{Path('templates/message.txt')}, ligne 2 : ce modèle ne peut pas être rempli : "
            "il combine des valeurs de types incompatibles") in result.output
    assert "Erreur interne" not in result.output
    assert (staff_folder / "outputs" / "SPES_COPIL_2020-06-01.xlsx").is_file()
    assert not list((staff_folder / "outputs").glob("*.eml"))


def test_send_without_the_password_variable_writes_nothing(
        staff_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (staff_folder / "spes-report.toml").write_text(
        EMAIL_SECTION + SMTP_SECTION, encoding="utf-8")
    monkeypatch.delenv("SPES_SMTP_MOT_DE_PASSE", raising=False)
    result = run("email", "--send")
    assert result.exit_code == 1
    assert ("la variable d'environnement SPES_SMTP_MOT_DE_PASSE, qui doit contenir le mot de "
            "passe du compte spes, n'est pas définie") in result.output
    assert nothing_written(staff_folder)


def test_send_needs_an_smtp_section(staff_folder: Path) -> None:
    result = run("email", "--send")
    assert result.exit_code == 1
    assert "spes-report.toml [smtp] : la section [smtp] manque" in result.output
    assert nothing_written(staff_folder)
