"""Sending over SMTP, against a real server started on 127.0.0.1 for each test."""

from __future__ import annotations

import json
import socket
import ssl
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session
from support import run
from support.mail import EMAIL_SECTION, RECIPIENTS, XLSX, attachments, bodies, parse
from support.smtp import Recorder, free_port, smtp_server
from support.workbooks import sample_report

from spes_report.archive import NotNoted
from spes_report.archive.layout import MANIFEST_NAME, month_folder
from spes_report.archive.manifest import make_manifest, read_manifest, sha256_file, write_manifest
from spes_report.cli.messages import sending_note_line
from spes_report.config import SmtpSettings, load_config
from spes_report.mailing.jobs import PreparedEmail, Sending, send_and_record
from spes_report.mailing.message import compose
from spes_report.mailing.render import render_email
from spes_report.mailing.smtp import SendError, send
from spes_report.mailing.wording import email_context
from spes_report.plan import read_plan

REPORT_DATE = date(2020, 6, 1)
PASSWORD_ENV = "SPES_TEST_SMTP_MOT_DE_PASSE"


def authenticator(server: SMTPServer, session: Session, envelope: Envelope, mechanism: str,
                  auth_data: Any) -> AuthResult:
    assert isinstance(auth_data, LoginPassword)
    ok = (auth_data.login, auth_data.password) == (b"spes", b"bon mot de passe")
    return AuthResult(success=ok, handled=False)


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_file(authority: trustme.CA, tmp_path: Path) -> Path:
    path = tmp_path / "ac-test.pem"
    authority.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture
def server_tls(authority: trustme.CA) -> ssl.SSLContext:
    """The server side of TLS: a certificate for 127.0.0.1 signed by the test CA."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    return context


def settings(port: int, **changes: Any) -> SmtpSettings:
    base = SmtpSettings(host="127.0.0.1", port=port, security="none", username=None,
                        password_env=None, timeout=5.0, ca_file=None)
    return replace(base, **changes)


@pytest.fixture
def prepared(tmp_path: Path) -> PreparedEmail:
    """A message carrying a workbook, as `email` prepares it."""
    config = load_config(_write(tmp_path / "spes-report.toml", EMAIL_SECTION))
    workbook = tmp_path / "SPES_COPIL_2020-06-01.xlsx"
    workbook.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 20)
    report, _ = sample_report()
    rendered = render_email(email_context(report, "[SPES]", workbook.name), None)
    message = compose(rendered, config.email, workbook, datetime.now().astimezone())
    return PreparedEmail(tmp_path / "SPES_COPIL_2020-06-01.eml", message, workbook, (workbook,))


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def archived_month(root: Path, workbook: Path, report_date: date = REPORT_DATE) -> Path:
    """A month folder whose manifest records ``workbook`` for the committee of
    ``report_date``, as a build files it."""
    folder = month_folder(root, report_date)
    folder.mkdir(parents=True)
    report, _ = sample_report(report_date)
    input_sha = "0" * 64
    write_manifest(folder, make_manifest(
        report, measurements=(), input_name="input.xlsx", input_file="input.xlsx",
        input_sha256=input_sha, workbook=workbook.name,
        files={workbook.name: sha256_file(workbook), "input.xlsx": input_sha,
               "plan.toml": read_plan().source.sha256},
        plan=read_plan(), plan_file="plan.toml", built_at="2020-06-02T07:30:00Z"))
    return folder


def said(sending: Sending) -> str:
    """Why the sending was not noted, as the command says it (inside its parentheses)."""
    line, warning = sending_note_line(sending.note, REPORT_DATE, "SPES_COPIL_2020-06-01.xlsx")
    assert warning
    return line.split("l'archive (", 1)[1].removesuffix(").")


# --- delivery --------------------------------------------------------------------------

def test_delivers_to_every_recipient_and_notes_the_sending(prepared: PreparedEmail,
                                                           tmp_path: Path) -> None:
    handler = Recorder()
    folder = archived_month(tmp_path / "archive", prepared.attachment)
    with smtp_server(handler) as port:
        sending = send_and_record(prepared, settings(port), REPORT_DATE, tmp_path / "archive")
    (envelope,) = handler.received
    assert envelope.mail_from == "spes@exemple.gouv.fr"
    assert envelope.rcpt_tos == RECIPIENTS
    assert isinstance(envelope.original_content, bytes)
    received = parse(envelope.original_content)
    assert received["Subject"] == prepared.message["Subject"]
    assert received["X-Unsent"] is None  # recipients must not get a draft
    (attached,) = attachments(received)
    assert attached.get_content_type() == XLSX
    assert attached.get_content() == prepared.attachment.read_bytes()
    text, html = bodies(received)
    assert "Bonjour" in text and "<table" in html

    assert sending.note.manifest == folder / MANIFEST_NAME and sending.note.not_noted is None
    (entry,) = read_manifest(folder)["envois"]
    assert entry["recipients"] == RECIPIENTS
    assert entry["server"] == f"127.0.0.1:{port}"
    assert entry["answer"] == "250 2.0.0 Message accepte (file 42)"
    assert entry["message_id"] == prepared.message["Message-ID"]
    assert entry["attachment"] == "SPES_COPIL_2020-06-01.xlsx"
    assert entry["attached"] == [{"file": "SPES_COPIL_2020-06-01.xlsx",
                                  "sha256": sha256_file(prepared.attachment)}]
    assert datetime.fromisoformat(entry["sent_at"]).tzinfo is not None


def test_a_month_without_archive_notes_nothing(prepared: PreparedEmail,
                                               tmp_path: Path) -> None:
    handler = Recorder()
    with smtp_server(handler) as port:
        sending = send_and_record(prepared, settings(port), REPORT_DATE, tmp_path / "archive")
    assert len(handler.received) == 1
    assert sending.note.not_noted is NotNoted.NO_ARCHIVE
    assert not (tmp_path / "archive").exists()


def test_a_manifest_that_cannot_be_updated_does_not_hide_the_sending(
        prepared: PreparedEmail, tmp_path: Path) -> None:
    folder = month_folder(tmp_path / "archive", REPORT_DATE)
    folder.mkdir(parents=True)
    (folder / MANIFEST_NAME).write_text("{ abîmé", encoding="utf-8")
    with smtp_server(Recorder()) as port:
        sending = send_and_record(prepared, settings(port), REPORT_DATE, tmp_path / "archive")
    assert sending.receipt.answer.startswith("250")
    assert sending.note.not_noted is NotNoted.UNREADABLE
    assert said(sending) == (f"{folder / MANIFEST_NAME} : fiche du comité illisible : le "
                             "fichier n'est pas du JSON valide (ligne 1, colonne 3)")


def test_a_sending_is_noted_only_in_the_snapshot_of_its_own_committee(
        prepared: PreparedEmail, tmp_path: Path) -> None:
    """The month may hold another committee of the month, or this one's date with
    another workbook: the sending belongs to neither."""
    other_day = archived_month(tmp_path / "a", prepared.attachment, date(2020, 6, 16))
    other_book = archived_month(tmp_path / "b", prepared.attachment)
    manifest = read_manifest(other_book)
    write_manifest(other_book, {**manifest, "files": {
        **manifest["files"], prepared.attachment.name: "f" * 64}})
    before = {folder: (folder / MANIFEST_NAME).read_bytes()
              for folder in (other_day, other_book)}
    with smtp_server(Recorder()) as port:
        by_date = send_and_record(prepared, settings(port), REPORT_DATE, tmp_path / "a")
        by_book = send_and_record(prepared, settings(port), REPORT_DATE, tmp_path / "b")
    assert by_date.note.not_noted is NotNoted.OTHER_COMMITTEE
    assert by_book.note.not_noted is NotNoted.OTHER_WORKBOOK
    assert said(by_date) == (
        f"{other_day / MANIFEST_NAME} : ce mois est archivé pour le comité du 16 juin 2020, "
        "pas pour celui du 1er juin 2020 dont le message vient de partir")
    assert said(by_book) == (
        f"{other_book / MANIFEST_NAME} : le classeur envoyé (SPES_COPIL_2020-06-01.xlsx) "
        "n'est pas celui archivé pour ce comité (empreintes SHA-256 différentes : construit "
        "avec d'autres réglages ou une autre saisie, par exemple avec --no-archive)")
    for folder, content in before.items():
        assert (folder / MANIFEST_NAME).read_bytes() == content  # nothing recorded


# --- refusals and failures: each a French sentence, nothing sent, nothing noted --------

def failure(prepared: PreparedEmail, smtp: SmtpSettings, tmp_path: Path,
            environ: dict[str, str] | None = None) -> str:
    folder = archived_month(tmp_path / "archive", prepared.attachment)
    before = (folder / MANIFEST_NAME).read_bytes()
    with pytest.raises(SendError) as caught:
        send_and_record(prepared, smtp, REPORT_DATE, tmp_path / "archive", environ or {})
    assert (folder / MANIFEST_NAME).read_bytes() == before  # nothing noted as sent
    return str(caught.value)


def test_a_refused_recipient_stops_the_whole_sending(prepared: PreparedEmail,
                                                     tmp_path: Path) -> None:
    handler = Recorder(refuse=("jeanne.dupre@exemple.gouv.fr",))
    with smtp_server(handler) as port:
        message = failure(prepared, settings(port), tmp_path)
    assert handler.received == []  # nobody got a message the others did not
    assert message == (
        f"le serveur 127.0.0.1:{port} refuse ce(s) destinataire(s) : "
        "jeanne.dupre@exemple.gouv.fr (550 5.1.1 Boîte inconnue). Le message n'a été envoyé "
        "à personne : corrigez les adresses dans spes-report.toml")


def test_starttls_login_and_delivery(prepared: PreparedEmail, tmp_path: Path, ca_file: Path,
                                     server_tls: ssl.SSLContext) -> None:
    handler = Recorder()
    with smtp_server(handler, tls_context=server_tls, require_starttls=True,
                     authenticator=authenticator) as port:
        smtp = settings(port, security="starttls", username="spes",
                        password_env=PASSWORD_ENV, ca_file=ca_file)
        receipt = send(prepared.message, smtp, {PASSWORD_ENV: "bon mot de passe"})
    assert receipt.answer.startswith("250 ")
    assert len(handler.received) == 1 and handler.logins


def test_wrong_password_is_an_authentication_failure(prepared: PreparedEmail, tmp_path: Path,
                                                     ca_file: Path,
                                                     server_tls: ssl.SSLContext) -> None:
    handler = Recorder()
    with smtp_server(handler, tls_context=server_tls, require_starttls=True,
                     authenticator=authenticator) as port:
        smtp = settings(port, security="starttls", username="spes",
                        password_env=PASSWORD_ENV, ca_file=ca_file)
        message = failure(prepared, smtp, tmp_path, {PASSWORD_ENV: "mauvais"})
    assert handler.received == []
    assert message.startswith(f"le serveur 127.0.0.1:{port} refuse l'identification du compte "
                              "spes (535 ")
    assert f"mot de passe contenu dans la variable {PASSWORD_ENV}" in message
    assert "mauvais" not in message


def test_implicit_tls(prepared: PreparedEmail, ca_file: Path,
                      server_tls: ssl.SSLContext) -> None:
    handler = Recorder()
    with smtp_server(handler, ssl_context=server_tls) as port:
        receipt = send(prepared.message, settings(port, security="ssl", ca_file=ca_file), {})
    assert receipt.answer.startswith("250 ") and len(handler.received) == 1


def test_an_unknown_certificate_is_refused(prepared: PreparedEmail, tmp_path: Path,
                                           server_tls: ssl.SSLContext) -> None:
    handler = Recorder()
    with smtp_server(handler, ssl_context=server_tls) as port:
        message = failure(prepared, settings(port, security="ssl"), tmp_path)
    assert handler.received == []
    assert message.startswith(f"le certificat du serveur 127.0.0.1:{port} n'a pas pu être "
                              "vérifié")
    assert "ca_file" in message


def test_starttls_against_a_server_without_it(prepared: PreparedEmail,
                                              tmp_path: Path) -> None:
    with smtp_server(Recorder()) as port:
        message = failure(prepared, settings(port, security="starttls"), tmp_path)
    assert message == (f"le serveur 127.0.0.1:{port} ne propose pas le chiffrement STARTTLS : "
                       "vérifiez les clés security et username de la section [smtp]")


def test_login_against_a_server_without_auth(prepared: PreparedEmail,
                                            tmp_path: Path) -> None:
    with smtp_server(Recorder()) as port:
        smtp = settings(port, username="spes", password_env=PASSWORD_ENV)
        message = failure(prepared, smtp, tmp_path, {PASSWORD_ENV: "x"})
    assert message == (f"le serveur 127.0.0.1:{port} ne propose pas l'identification (AUTH) : "
                       "vérifiez les clés security et username de la section [smtp]")


def test_an_unreadable_ca_file(prepared: PreparedEmail, tmp_path: Path) -> None:
    garbage = _write(tmp_path / "ac.pem", "ceci n'est pas un certificat\n")
    message = failure(prepared, settings(465, security="ssl", ca_file=garbage), tmp_path)
    assert message.startswith(f"le fichier {garbage} (clé ca_file de la section [smtp]) n'est "
                              "pas un certificat lisible")


def test_closed_port_is_unreachable(prepared: PreparedEmail, tmp_path: Path) -> None:
    port = free_port()  # nothing listens there any more
    message = failure(prepared, settings(port), tmp_path)
    assert message == (f"le serveur 127.0.0.1:{port} refuse la connexion (aucun service de "
                       "messagerie à cette adresse) : vérifiez les clés host et port de la "
                       "section [smtp]")


def test_unknown_host_name(prepared: PreparedEmail, tmp_path: Path) -> None:
    smtp = settings(25, host="serveur-inexistant.invalid")
    message = failure(prepared, smtp, tmp_path)
    assert message == ("le serveur « serveur-inexistant.invalid » est introuvable (nom inconnu "
                       "ou réseau indisponible) : vérifiez la clé host de la section [smtp]")


def test_a_silent_server_times_out(prepared: PreparedEmail, tmp_path: Path) -> None:
    # A socket that accepts connections (the kernel does it) but never speaks.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        started = datetime.now()
        message = failure(prepared, settings(port, timeout=0.5), tmp_path)
    assert (datetime.now() - started).total_seconds() < 5
    assert message == (f"le serveur 127.0.0.1:{port} n'a pas répondu dans le délai de 0,5 "
                       "seconde (clé timeout de la section [smtp])")


def test_missing_password_variable(prepared: PreparedEmail, tmp_path: Path) -> None:
    smtp = settings(25, username="spes", password_env=PASSWORD_ENV)
    message = failure(prepared, smtp, tmp_path, {})
    assert message.startswith(f"la variable d'environnement {PASSWORD_ENV}, qui doit contenir "
                              "le mot de passe du compte spes, n'est pas définie")


# --- through the command ---------------------------------------------------------------

def smtp_config(port: int, extra: str = "") -> str:
    return (EMAIL_SECTION + f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
            f"timeout = 5\n{extra}")


def test_email_send_delivers_the_sample(staff_folder: Path) -> None:
    handler = Recorder()
    with smtp_server(handler) as port:
        _write(staff_folder / "spes-report.toml", smtp_config(port))
        result = run("email", "--send")
    assert result.exit_code == 0, result.output
    assert f"Envoi à {', '.join(RECIPIENTS)} par 127.0.0.1:{port}…" in result.output
    assert ("Message envoyé : le serveur a répondu « 250 2.0.0 Message accepte (file 42) »."
            in result.output)
    (envelope,) = handler.received
    assert envelope.rcpt_tos == RECIPIENTS
    received = parse(envelope.original_content)  # type: ignore[arg-type]
    workbook = staff_folder / "outputs" / "SPES_COPIL_2020-06-01.xlsx"
    (attached,) = attachments(received)
    assert attached.get_filename() == workbook.name
    assert attached.get_content() == workbook.read_bytes()
    text, html = bodies(received)
    draft = parse((staff_folder / "outputs" / "SPES_COPIL_2020-06-01.eml").read_bytes())
    assert (text, html) == bodies(draft)
    assert received["Message-ID"] == draft["Message-ID"]
    # The build archived the month: the sending is noted there.
    manifest = month_folder(staff_folder / "outputs" / "archive", REPORT_DATE) / MANIFEST_NAME
    assert f"Envoi noté dans {Path('outputs/archive/2020-06/manifest.json')}" in result.output
    sendings = json.loads(manifest.read_text(encoding="utf-8"))["envois"]
    assert [s["recipients"] for s in sendings] == [RECIPIENTS]


def test_send_without_an_archive_is_delivered_but_noted_nowhere(staff_folder: Path) -> None:
    handler = Recorder()
    with smtp_server(handler) as port:
        _write(staff_folder / "spes-report.toml", smtp_config(port))
        result = run("email", "--send", "--no-archive")
    assert result.exit_code == 0, result.output
    assert len(handler.received) == 1
    assert "Ce mois n'a pas d'archive" in result.output
    assert not (staff_folder / "outputs" / "archive").exists()


def test_build_send_failure_exits_1_with_a_french_message(staff_folder: Path) -> None:
    handler = Recorder(refuse=("copil-spes@exemple.gouv.fr",))
    with smtp_server(handler) as port:
        _write(staff_folder / "spes-report.toml", smtp_config(port))
        result = run("build", "--send")
    assert result.exit_code == 1
    assert ("Le message n'a pas été envoyé : le serveur 127.0.0.1:"
            f"{port} refuse ce(s) destinataire(s) : copil-spes@exemple.gouv.fr "
            "(550 5.1.1 Boîte inconnue)") in result.output
    assert "Rien n'est noté comme envoyé. Le message reste prêt dans" in result.output
    assert "Traceback" not in result.output
    assert handler.received == []
    assert (staff_folder / "outputs" / "SPES_COPIL_2020-06-01.eml").is_file()
    for manifest in (staff_folder / "outputs").rglob(MANIFEST_NAME):
        assert "envois" not in json.loads(manifest.read_text(encoding="utf-8"))


def test_unreachable_server_through_the_command(staff_folder: Path) -> None:
    _write(staff_folder / "spes-report.toml", smtp_config(free_port()))
    result = run("email", "--send")
    assert result.exit_code == 1
    assert "refuse la connexion (aucun service de messagerie à cette adresse)" in result.output


def test_send_of_another_committee_of_the_month_is_not_noted(staff_folder: Path) -> None:
    """June holds the 16 June committee; the 20 June message is sent without archiving."""
    assert run("build", "--date", "16/06/2020").exit_code == 0
    manifest = month_folder(staff_folder / "outputs" / "archive", REPORT_DATE) / MANIFEST_NAME
    before = manifest.read_bytes()
    handler = Recorder()
    with smtp_server(handler) as port:
        _write(staff_folder / "spes-report.toml", smtp_config(port))
        result = run("build", "--date", "20/06/2020", "--no-archive", "--send")
    assert result.exit_code == 0, result.output
    assert len(handler.received) == 1
    assert ("Attention : le message est parti, mais l'envoi n'a pas pu être noté dans "
            f"l'archive ({Path('outputs/archive/2020-06/manifest.json')} : ce mois est archivé "
            "pour le comité du 16 juin 2020, pas pour celui du 20 juin 2020 dont le message "
            "vient de partir).") in result.output
    assert "Envoi noté" not in result.output
    assert manifest.read_bytes() == before


def test_send_without_archiving_is_noted_only_for_the_archived_workbook(
        staff_folder: Path) -> None:
    """Same committee date: noted when the workbook sent is the archived one, byte for
    byte; not when other settings made another workbook."""
    assert run("build").exit_code == 0
    manifest = month_folder(staff_folder / "outputs" / "archive", REPORT_DATE) / MANIFEST_NAME
    with smtp_server(Recorder()) as port:
        _write(staff_folder / "spes-report.toml", smtp_config(port))
        other = run("build", "--no-archive", "--tolerance", "2", "--send")
        assert "envois" not in json.loads(manifest.read_text(encoding="utf-8"))
        same = run("build", "--no-archive", "--send")
    assert other.exit_code == 0 and same.exit_code == 0, other.output + same.output
    assert ("le classeur envoyé (SPES_COPIL_2020-06-01.xlsx) n'est pas celui archivé pour ce "
            "comité") in other.output
    assert f"Envoi noté dans {Path('outputs/archive/2020-06/manifest.json')}" in same.output
    (sending,) = json.loads(manifest.read_text(encoding="utf-8"))["envois"]
    workbook = staff_folder / "outputs" / "SPES_COPIL_2020-06-01.xlsx"
    assert sending["attachment_sha256"] == sha256_file(workbook)
