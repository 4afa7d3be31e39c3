"""The month's email: wording, configuration, templates, the .eml and the commands."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path

import pytest
from support import ROOT, run
from support.mail import (
    EMAIL_SECTION,
    SMTP_SECTION,
    XLSX,
    attachments,
    bodies,
    parse,
    rendered_sample,
    write_config,
)
from support.workbooks import sample_report

from spes_report.config import load_config, parse_address
from spes_report.definitions import load_definitions
from spes_report.french import MINUS, NBSP, signed_points
from spes_report.french import percent as french_percent
from spes_report.french import points as french_points
from spes_report.mailing.message import compose, draft, to_bytes, write_draft
from spes_report.mailing.render import RenderedEmail, check_templates, render_email
from spes_report.mailing.sample import sample_reports
from spes_report.mailing.wording import email_context, summary_sentence
from spes_report.model import Mission, MissionStatus, Notes, Report, Status
from spes_report.problems import InputError

PARIS = timezone(timedelta(hours=2))
NOW = datetime(2020, 6, 2, 9, 30, tzinfo=PARIS)


# --- French figures --------------------------------------------------------------------

@pytest.mark.parametrize(
    ("fraction", "expected"),
    [(0.85, "85 %"), (0.875, "87,5 %"), (1.0, "100 %"), (0.0, "0 %"), (0.7700000001, "77 %"),
     (None, "—")],
)
def test_french_percent(fraction: float | None, expected: str) -> None:
    assert french_percent(fraction) == expected.replace(" ", NBSP)


@pytest.mark.parametrize(
    ("points", "signed", "phrase"),
    [(-12.0, "−12", "−12 points"), (2.0, "+2", "+2 points"), (1.0, "+1", "+1 point"),
     (-1.5, "−1,5", "−1,5 point"), (-2.5, "−2,5", "−2,5 points"), (0.0, "0", "0 point"),
     (-0.04, "0", "0 point"), (-3.0000001, "−3", "−3 points")],
)
def test_points_use_a_real_minus_and_french_agreement(points: float, signed: str,
                                                      phrase: str) -> None:
    assert signed_points(points) == signed.replace("−", MINUS)
    assert french_points(points, signed=True) == phrase.replace("−", MINUS).replace(" ", NBSP)
    assert "-" not in french_points(points, signed=True)


def report_of(*missions: tuple[Status, float | None]) -> Report:
    """A report whose missions have these statuses and gaps (in points)."""
    statuses = tuple(
        MissionStatus(Mission(number, f"Mission {number}", "", "", ()), None, 0.8,
                      None if status is Status.NON_RENSEIGNE else 0.8, None, gap, None,
                      status, Notes(), ())
        for number, (status, gap) in enumerate(missions, start=1)
    )
    counts = tuple((s, sum(m.status is s for m in statuses)) for s in Status)
    return Report("SPES", date(2020, 6, 1), 5.0, statuses, 0.8, counts, None, "0.1.0")


OK, VIG, ALERT = Status.CONFORME, Status.VIGILANCE, Status.ALERTE


@pytest.mark.parametrize(
    ("missions", "sentence"),
    [
        ([(OK, 2.0)] * 5 + [(VIG, -3.0), (VIG, -4.0), (ALERT, -12.0)],
         "5 missions sur 8 sont conformes ; la mission 8 est en alerte (−12 points) ; "
         "les missions 6 (−3 points) et 7 (−4 points) sont en vigilance."),
        ([(OK, 0.0)] * 8, "Les 8 missions sont conformes."),
        ([(OK, 0.0)], "La mission est conforme."),
        ([(OK, 1.0), (VIG, -1.0)],
         "1 mission sur 2 est conforme ; aucune n'est en alerte ; "
         "la mission 2 est en vigilance (−1 point)."),
        ([(ALERT, -12.0), (OK, 1.0), (ALERT, -8.5), (ALERT, -6.0)],
         "1 mission sur 4 est conforme ; les missions 1 (−12 points), 3 (−8,5 points) et "
         "4 (−6 points) sont en alerte."),
        ([(ALERT, -20.0), (ALERT, -7.0)],
         "Aucune mission sur 2 n'est conforme ; les missions 1 (−20 points) et "
         "2 (−7 points) sont en alerte."),
        ([(OK, 0.0), (OK, 3.0), (Status.NON_RENSEIGNE, None), (Status.NON_RENSEIGNE, None),
          (Status.SANS_CIBLE, None)],
         "2 missions sur 5 sont conformes ; aucune n'est en alerte ; les missions 3 et 4 ne "
         "sont pas renseignées ; la mission 5 n'a pas encore de cible."),
    ],
)
def test_summary_sentence(missions: list[tuple[Status, float | None]], sentence: str) -> None:
    expected = sentence.replace("−", MINUS).replace(" points", NBSP + "points")
    expected = expected.replace(" point)", NBSP + "point)").replace(" ;", NBSP + ";")
    assert summary_sentence(report_of(*missions)) == expected


def test_context_holds_french_figures_and_workbook_colours() -> None:
    report, _ = sample_report()
    context = email_context(report, "[SPES]", "SPES_COPIL_2020-06-01.xlsx")
    assert context["date_comite"] == "1er juin 2020"
    assert context["date_comite_courte"] == "01/06/2020"
    third = context["missions"][2]
    assert (third["statut"], third["couleur_fond"], third["couleur_texte"]) == (
        "Alerte", "#FFC7CE", "#9C0006")
    assert third["realise"] == f"55{NBSP}%" and third["ecart"] == f"{MINUS}15"
    assert [m["numero"] for m in context["points_attention"]] == [2, 3]
    assert context["tolerance"] == f"5{NBSP}points"


# --- configuration ---------------------------------------------------------------------

def problems_of(path: Path, need_smtp: bool = False) -> list[tuple[str, str, str]]:
    with pytest.raises(InputError) as caught:
        load_config(path, need_smtp=need_smtp)
    return [(p.code, p.place, p.value) for p in caught.value.problems]


def test_config_is_read(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, EMAIL_SECTION + SMTP_SECTION))
    assert str(config.email.sender) == "SPES <spes@exemple.gouv.fr>"
    assert [a.addr_spec for a in config.email.to] == [
        "copil-spes@exemple.gouv.fr", "jeanne.dupre@exemple.gouv.fr"]
    assert config.email.to[1].display_name == "Jeanne Dupré"
    assert config.email.subject_prefix == "[SPES]"
    assert config.smtp is not None
    assert (config.smtp.host, config.smtp.port, config.smtp.security, config.smtp.timeout) == (
        "smtp.exemple.gouv.fr", 587, "starttls", 20.0)
    assert config.smtp.password_env == "SPES_SMTP_MOT_DE_PASSE"


def test_smtp_defaults_follow_the_security_mode(tmp_path: Path) -> None:
    text = EMAIL_SECTION + '[smtp]\nhost = "relais"\nsecurity = "ssl"\n'
    config = load_config(write_config(tmp_path, text), need_smtp=True)
    assert config.smtp is not None
    assert (config.smtp.port, config.smtp.username, config.smtp.timeout) == (465, None, 30.0)


def test_the_committed_example_is_valid() -> None:
    example = ROOT / "spes-report.exemple.toml"
    config = load_config(example, need_smtp=True)
    assert config.email.to and config.smtp is not None


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_config(tmp_path / "spes-report.toml")
    (problem,) = caught.value.problems
    assert problem.code == "config-missing"
    assert "spes-report.exemple.toml" in problem.message


@pytest.mark.parametrize(
    ("to_line", "code", "value"),
    [("", "config-missing-key", ""), ("to = []", "config-no-recipient", "[]"),
     ('to = "copil"', "config-bad-address", "copil"),
     ('to = ["a@b.fr", "c@"]', "config-bad-address", "c@"),
     ("to = 3", "config-wrong-type", "3")],
)
def test_recipients_are_required_and_valid(tmp_path: Path, to_line: str, code: str,
                                           value: str) -> None:
    text = f'[email]\nfrom = "spes@exemple.gouv.fr"\n{to_line}\n'
    path = write_config(tmp_path, text)
    assert problems_of(path) == [(code, f"{path} [email] to", value)]


def test_single_recipient_may_be_written_without_brackets(tmp_path: Path) -> None:
    text = '[email]\nfrom = "spes@exemple.gouv.fr"\nto = "copil@exemple.gouv.fr"\n'
    config = load_config(write_config(tmp_path, text))
    assert [a.addr_spec for a in config.email.to] == ["copil@exemple.gouv.fr"]
    assert config.email.cc == () and config.email.subject_prefix == ""


def test_every_problem_is_reported_with_its_key(tmp_path: Path) -> None:
    text = ('[email]\nfrom = "pas une adresse"\nto = ["ok@exemple.gouv.fr"]\n'
            'cc = ["x@y.fr\\nBcc: espion@z.fr"]\nobjet = "faute"\n'
            '[smtp]\nhost = "relais"\nport = "587"\nsecurity = "tls"\nusername = "spes"\n'
            'password = "secret"\ntimeout = 0\n[autre]\n')
    path = write_config(tmp_path, text)
    found = problems_of(path, need_smtp=True)
    assert sorted((code, place.removeprefix(str(path))) for code, place, _ in found) == sorted([
        ("config-unknown-key", " [autre]"),
        ("config-unknown-key", " [email] objet"),
        ("config-bad-address", " [email] from"),
        ("config-bad-address", " [email] cc"),
        ("config-password-in-file", " [smtp] password"),
        ("config-bad-value", " [smtp] security"),
        ("config-bad-value", " [smtp] port"),
        ("config-missing-key", " [smtp] password_env"),
        ("config-bad-value", " [smtp] timeout"),
    ])
    assert "secret" not in str(found)  # a password is never repeated on screen


def test_smtp_section_is_required_only_to_send(tmp_path: Path) -> None:
    path = write_config(tmp_path, EMAIL_SECTION)
    assert load_config(path).smtp is None
    assert problems_of(path, need_smtp=True) == [
        ("config-missing-section", f"{path} [smtp]", "")]


def test_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = write_config(tmp_path, '[email]\nfrom = "spes@exemple.gouv.fr\nto = []\n')
    assert problems_of(path) == [("config-syntax", f"{path}, ligne 2", "")]


def test_ca_file_is_relative_to_the_config_and_must_exist(tmp_path: Path) -> None:
    text = EMAIL_SECTION + '[smtp]\nhost = "relais"\nca_file = "ac.pem"\n'
    path = write_config(tmp_path, text)
    assert problems_of(path) == [("config-ca-missing", f"{path} [smtp] ca_file", "ac.pem")]
    (tmp_path / "ac.pem").write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    config = load_config(path)
    assert config.smtp is not None and config.smtp.ca_file == tmp_path / "ac.pem"


@pytest.mark.parametrize("text", ["spes@exemple.gouv.fr", "Équipe SPES <spes@exemple.gouv.fr>",
                                  '"Dupont, Jean" <jean.dupont@exemple.gouv.fr>'])
def test_valid_addresses(text: str) -> None:
    assert parse_address(text) is not None


@pytest.mark.parametrize("text", ["spes", "spes@", "@exemple.gouv.fr", "a b@c.fr",
                                  "a@b.fr, c@d.fr", "a@b.fr\r\nBcc: x@y.fr", ""])
def test_invalid_addresses(text: str) -> None:
    assert parse_address(text) is None


# --- templates -------------------------------------------------------------------------

def test_packaged_templates_render_french_text() -> None:
    rendered = rendered_sample()
    assert rendered.subject == (
        "[SPES] Comité de pilotage du 1er juin 2020 : tableau de bord des missions")
    assert "\n" not in rendered.subject
    summary = summary_sentence(sample_report()[0])
    assert summary in rendered.text
    assert f"Taux moyen de réalisation : 72,7{NBSP}%." in rendered.text  # 0.72714…
    assert "- Mission 5 — Non renseigné : aucun taux saisi" in rendered.text
    assert "{{" not in rendered.text + rendered.html and "{#" not in rendered.html


def test_html_escapes_text_from_the_input_and_the_text_body_does_not() -> None:
    rendered = rendered_sample()
    # Mission 2's "point d'attention" is a link, mission 3's comment holds "&".
    assert "https://example.org/piege" in rendered.html
    assert "<a " not in rendered.html
    hostile = "Tabulation en tête"
    assert hostile in rendered.text and hostile in rendered.html


def test_html_markup_in_data_stays_text(tmp_path: Path) -> None:
    report, _ = sample_report()
    context = email_context(report, "<b>[SPES]</b> & co", "x.xlsx")
    context["missions"][0]["titre"] = "<script>alert(1)</script>"
    rendered = render_email(context, None)
    assert "<script>" not in rendered.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.html
    assert "&lt;b&gt;[SPES]&lt;/b&gt; &amp; co" in rendered.html
    assert "<script>alert(1)</script>" in rendered.text
    assert rendered.subject.startswith("<b>[SPES]</b> & co ")


def test_status_cells_carry_the_workbook_colours() -> None:
    html = rendered_sample().html
    assert "background-color:#FFC7CE;color:#9C0006" in html  # Alerte
    assert "background-color:#C6EFCE;color:#006100" in html  # Conforme
    assert "background-color:#1F4E79" in html  # the workbook's header fill
    assert "<style" not in html and "class=" not in html  # inline styles only


def test_a_file_in_templates_overrides_the_packaged_one(tmp_path: Path) -> None:
    (tmp_path / "objet.txt").write_text("Tableau de bord du {{ date_comite }}\n\n",
                                        encoding="utf-8")
    rendered = rendered_sample(tmp_path)
    assert rendered.subject == "Tableau de bord du 1er juin 2020"
    assert "Bonjour" in rendered.text  # the other two still come from the package


def test_undefined_variable_in_a_template_is_reported_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "message.txt").write_text("Bonjour,\n\n{{ date_du_comite }}\n",
                                          encoding="utf-8")
    with pytest.raises(InputError) as caught:
        rendered_sample(tmp_path)
    (problem,) = caught.value.problems
    assert (problem.code, problem.place, problem.value) == (
        "template-undefined", f"{tmp_path / 'message.txt'}, ligne 3", "date_du_comite")


def test_template_syntax_error_is_reported_before_anything_is_built(tmp_path: Path) -> None:
    (tmp_path / "message.html").write_text("<p>\n{% if resume %}\n{{ resume }</p>\n",
                                           encoding="utf-8")
    with pytest.raises(InputError) as caught:
        check_templates(tmp_path)
    (problem,) = caught.value.problems
    assert problem.code == "template-syntax"
    assert problem.place == f"{tmp_path / 'message.html'}, ligne 3"


@pytest.mark.parametrize(
    ("line", "what"),
    [('{{ nombre_missions + "a" }}', "il combine des valeurs de types incompatibles"),
     ("{{ nombre_missions / 0 }}", "il divise par zéro"),
     ("{{ service.index('y') }}", "il transforme une valeur qui ne s'y prête pas"),
     ("{{ missions[0].numero.real.imag.bit_length(1) }}", "il combine des valeurs")],
)
def test_any_error_while_filling_a_template_is_a_problem(tmp_path: Path, line: str,
                                                         what: str) -> None:
    (tmp_path / "message.txt").write_text(f"Bonjour,\n\n{line}\n", encoding="utf-8")
    for attempt in (rendered_sample, check_templates):
        with pytest.raises(InputError) as caught:
            attempt(tmp_path)
        (problem,) = caught.value.problems
        assert (problem.code, problem.place, problem.value) == (
            "template-error", f"{tmp_path / 'message.txt'}, ligne 3", line)
        assert problem.message.startswith(f"ce modèle ne peut pas être rempli : {what}")


def test_check_fills_the_templates_with_every_kind_of_mission(tmp_path: Path) -> None:
    """Errors in branches that only some months take are caught before the build."""
    statuses = {m.status for report in sample_reports(load_definitions(), "0.1.0")
                for m in report.missions}
    assert statuses == {Status.CONFORME, Status.VIGILANCE, Status.ALERTE,
                        Status.NON_RENSEIGNE, Status.SANS_CIBLE}
    branches = {
        "alert": "{% for m in missions %}{% if m.statut == 'Alerte' %}{{ m.ecartt }}"
                 "{% endif %}{% endfor %}",
        "attention": "{% for m in points_attention %}{{ m.point_attention + 1 }}{% endfor %}",
        "no figure": "{% for m in missions %}{% if not m.a_un_taux %}{{ m.realise + 1 }}"
                     "{% endif %}{% endfor %}",
        "no target": "{% for m in missions %}{% if not m.a_une_cible %}{{ 1 / 0 }}"
                     "{% endif %}{% endfor %}",
    }
    for branch, text in branches.items():
        (tmp_path / "message.txt").write_text(text, encoding="utf-8")
        with pytest.raises(InputError) as caught:
            check_templates(tmp_path)
        assert [p.place for p in caught.value.problems] == [
            f"{tmp_path / 'message.txt'}, ligne 1"], branch
    (tmp_path / "message.txt").unlink()
    check_templates(tmp_path)  # the packaged ones fill every sample


def test_an_empty_subject_is_refused(tmp_path: Path) -> None:
    (tmp_path / "objet.txt").write_text("{# rien #}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        rendered_sample(tmp_path)
    assert caught.value.problems[0].code == "template-empty-subject"
    with pytest.raises(InputError) as early:
        check_templates(tmp_path)
    assert [p.code for p in early.value.problems] == ["template-empty-subject"]


# --- the MIME message ------------------------------------------------------------------

def sample_message(tmp_path: Path, attachment_name: str = "SPES_COPIL_2020-06-01.xlsx",
                   ) -> tuple[EmailMessage, RenderedEmail, Path]:
    attachment = tmp_path / attachment_name
    attachment.write_bytes(os.urandom(3000))
    config = load_config(write_config(tmp_path, EMAIL_SECTION))
    rendered = rendered_sample()
    return compose(rendered, config.email, attachment, NOW), rendered, attachment


def parts(message: EmailMessage) -> list[EmailMessage]:
    """The direct children of a multipart message."""
    children = message.get_payload()
    assert isinstance(children, list)
    return [child for child in children if isinstance(child, EmailMessage)]


def test_message_structure_headers_bodies_and_attachment(tmp_path: Path) -> None:
    message, rendered, attachment = sample_message(tmp_path)
    parsed = parse(to_bytes(message))
    assert parsed.get_content_type() == "multipart/mixed"
    alternative, attached = parts(parsed)
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in parts(alternative)] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in parts(alternative))
    assert attached.get_content_type() == XLSX
    assert attached.get_filename() == attachment.name
    assert attached.get_content_disposition() == "attachment"
    assert attached.get_content() == attachment.read_bytes()
    text, html = bodies(parsed)
    assert text == rendered.text and html == rendered.html
    assert parsed["From"] == "SPES <spes@exemple.gouv.fr>"
    assert parsed["To"].addresses[1].display_name == "Jeanne Dupré"
    assert parsed["Cc"] == "secretariat@exemple.gouv.fr"
    assert parsed["Subject"] == rendered.subject
    assert parsed["Date"].datetime == NOW
    assert parsed["Message-ID"].endswith("@exemple.gouv.fr>")
    assert parsed["X-Unsent"] is None  # the message as sent is not a draft


def test_message_is_seven_bit_with_crlf_line_ends(tmp_path: Path) -> None:
    message, _, _ = sample_message(tmp_path)
    data = to_bytes(message)
    assert data.isascii()  # any relay accepts it, 8BITMIME or not
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 998


def test_draft_opens_as_unsent_in_outlook(tmp_path: Path) -> None:
    message, _, _ = sample_message(tmp_path)
    path = write_draft(message, tmp_path / "brouillon.eml")
    assert parse(path.read_bytes())["X-Unsent"] == "1"
    assert message["X-Unsent"] is None and draft(message)["X-Unsent"] == "1"


def test_non_ascii_file_name_is_encoded(tmp_path: Path) -> None:
    message, _, attachment = sample_message(tmp_path, "Synthèse du comité.xlsx")
    data = to_bytes(message)
    assert b"filename*=utf-8''Synth%C3%A8se%20du%20comit%C3%A9.xlsx" in data
    assert attachments(parse(data))[0].get_filename() == "Synthèse du comité.xlsx"
    assert attachments(parse(data))[0].get_content() == attachment.read_bytes()


# --- the commands ----------------------------------------------------------------------

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
               "les missions 3 (−3 points) et 7 (−4 points) sont en vigilance.")
    summary = summary.replace("−", MINUS).replace(" points", NBSP + "points")
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

