"""spes-report.toml: its [email] and [smtp] sections read and checked, every problem named
with its key, and a value of the wrong type quoted as written in the file."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest
from support import ROOT
from support.mail import EMAIL_SECTION, SMTP_SECTION, write_config

from spes_report import InputError
from spes_report.config import OutputSettings, as_written, load_config, load_output, parse_address

EMAIL = '[email]\nfrom = "spes@exemple.gouv.fr"\nto = ["copil@exemple.gouv.fr"]\n'


def problems_of(path: Path, need_smtp: bool = False) -> list[tuple[str, str, str]]:
    """The (code, place, value) of each problem of the file at ``path``."""
    with pytest.raises(InputError) as caught:
        load_config(path, need_smtp=need_smtp)
    return [(p.code, p.place, p.value) for p in caught.value.problems]


def problems_in(tmp_path: Path, text: str) -> list[tuple[str, str, str]]:
    """The problems of ``text`` as spes-report.toml, read to send: places without the path."""
    path = tmp_path / "spes-report.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_config(path, need_smtp=True)
    return [(p.code, p.place.removeprefix(str(path)), p.value) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("line", "key", "found"),
    [
        ('timeout = "30"', "timeout", '"30"'),
        ("timeout = -1", "timeout", "-1"),
        ("timeout = true", "timeout", "true"),
        ('port = "587"', "port", '"587"'),
        ("port = 587.5", "port", "587.5"),
        ("port = [587]", "port", "[587]"),
        ('security = "tls"', "security", '"tls"'),
        ('host = ""', "host", '""'),
        ("host = 25", "host", "25"),
        ('host = "a\\nb"', "host", '"a\\nb"'),
    ],
)
def test_wrong_types_show_the_value_as_written(tmp_path: Path, line: str, key: str,
                                               found: str) -> None:
    smtp = {"host": 'host = "relais"', key: line}
    text = EMAIL + "[smtp]\n" + "\n".join(smtp.values()) + "\n"
    (problem,) = problems_in(tmp_path, text)
    assert problem[1:] == (f" [smtp] {key}", found)


def test_the_quotes_tell_a_text_from_a_number(tmp_path: Path) -> None:
    path = tmp_path / "spes-report.toml"
    path.write_text(EMAIL + '[smtp]\nhost = "relais"\ntimeout = "30"\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_config(path, need_smtp=True)
    assert '(valeur trouvée : "30" ; attendu : un nombre de secondes positif (ex. 30))' in str(
        caught.value)


def test_a_value_where_a_section_belongs(tmp_path: Path) -> None:
    assert problems_in(tmp_path, 'email = "spes@exemple.gouv.fr"\n') == [
        ("config-not-a-section", " [email]", '"spes@exemple.gouv.fr"'),
        ("config-missing-section", " [smtp]", ""),
    ]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("30", '"30"'),
        ('dit "oui"\\', '"dit \\"oui\\"\\\\"'),
        ("é", '"é"'),
        (True, "true"),
        (False, "false"),
        (30, "30"),
        (30.5, "30.5"),
        (float("inf"), "inf"),
        ([], "[]"),
        ([1, "a", [True]], '[1, "a", [true]]'),
        ({}, "{}"),
        ({"a": 1, "b c": "d"}, '{ a = 1, "b c" = "d" }'),
        (date(2020, 6, 1), "2020-06-01"),
        (datetime(2020, 6, 1, 10, 30), "2020-06-01T10:30:00"),
        (time(10, 30), "10:30:00"),
    ],
)
def test_as_written(value: object, written: str) -> None:
    assert as_written(value) == written


# --- the [email] and [smtp] sections ---------------------------------------------------

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


# --- [output]: the PDF -------------------------------------------------------------------------

def test_output_defaults_when_the_file_or_the_section_is_absent(tmp_path: Path) -> None:
    assert load_output(tmp_path / "spes-report.toml") == OutputSettings()
    assert load_output(write_config(tmp_path, EMAIL_SECTION)) == OutputSettings(pdf=False)


def test_output_section_read(tmp_path: Path) -> None:
    path = write_config(tmp_path, '[output]\npdf = true\nsoffice = "lo/program/soffice"\n'
                                  "pdf_timeout = 45\n")
    assert load_output(path) == OutputSettings(True, tmp_path / "lo/program/soffice", 45.0)
    # An absolute path (Windows' as written in single quotes) is kept as it is.
    absolute = tmp_path / "LibreOffice" / "program" / "soffice.exe"
    path = write_config(tmp_path, f"[output]\nsoffice = '{absolute}'\n")
    assert load_output(path).soffice == absolute
    # A LibreOffice that is not there is not a mistake in the file: only --pdf needs it.
    assert not absolute.exists()


@pytest.mark.parametrize(("line", "code", "key", "found"), [
    ('pdf = "oui"', "config-wrong-type", "pdf", '"oui"'),
    ("pdf_timeout = 0", "config-bad-value", "pdf_timeout", "0"),
    ("pdf_timeout = 36000", "config-bad-value", "pdf_timeout", "36000"),
    ('pdf_timeout = "120"', "config-bad-value", "pdf_timeout", '"120"'),
    ("soffice = 3", "config-wrong-type", "soffice", "3"),
    ("pdf_delai = 120", "config-unknown-key", "pdf_delai", ""),
])
def test_output_problems_name_their_key(tmp_path: Path, line: str, code: str, key: str,
                                        found: str) -> None:
    path = write_config(tmp_path, f"[output]\n{line}\n")
    with pytest.raises(InputError) as caught:
        load_output(path)
    assert [(p.code, p.place, p.value) for p in caught.value.problems] == [
        (code, f"{path} [output] {key}", found)]


def test_the_output_section_is_known_to_the_email_settings(tmp_path: Path) -> None:
    path = write_config(tmp_path, EMAIL_SECTION + "[output]\npdf = true\n")
    assert load_config(path).email.attachments is None


@pytest.mark.parametrize(("value", "kinds"), [
    ('["pdf"]', ("pdf",)), ('["xlsx", "pdf"]', ("xlsx", "pdf")), ('["pdf", "pdf"]', ("pdf",)),
])
def test_attachments_listed(tmp_path: Path, value: str, kinds: tuple[str, ...]) -> None:
    path = write_config(tmp_path, EMAIL_SECTION + f"attachments = {value}\n")
    assert load_config(path).email.attachments == kinds


@pytest.mark.parametrize(("value", "code", "found"), [
    ("[]", "config-bad-value", "[]"),
    ('["classeur"]', "config-bad-value", '"classeur"'),
    ('"pdf"', "config-wrong-type", '"pdf"'),
])
def test_attachments_refused(tmp_path: Path, value: str, code: str, found: str) -> None:
    path = write_config(tmp_path, EMAIL_SECTION + f"attachments = {value}\n")
    assert problems_of(path) == [(code, f"{path} [email] attachments", found)]


def test_the_example_output_section_reads_once_uncommented(tmp_path: Path) -> None:
    """As staff enable it: the lines of spes-report.exemple.toml without their « # »."""
    example = (ROOT / "spes-report.exemple.toml").read_text(encoding="utf-8")
    section = example[example.index("# [output]"):]
    enabled = "\n".join(line.removeprefix("# ") for line in section.splitlines())
    settings = load_output(write_config(tmp_path, enabled))
    assert settings.pdf is True and settings.pdf_timeout == 120
    assert str(settings.soffice).endswith(r"C:\Program Files\LibreOffice\program\soffice.exe")
