"""Reads ``spes-report.toml``: who the email goes to, the SMTP relay that sends it, the rates'
freshness, and whether (and with which LibreOffice) the PDF is made."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from email.headerregistry import Address
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

from .problems import InputError, Problem, shown

CONFIG_NAME = "spes-report.toml"
EXAMPLE_NAME = "spes-report.exemple.toml"

SECURITY_MODES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
DEFAULT_TIMEOUT_SECONDS = 30.0

SECTIONS = ("email", "smtp", "report", "output")
EMAIL_KEYS = ("from", "to", "cc", "subject_prefix", "attachments")
# What the message may carry: the workbook, its PDF.
ATTACHMENT_KINDS = ("xlsx", "pdf")
OUTPUT_KEYS = ("pdf", "soffice", "pdf_timeout")
# Seconds one run of LibreOffice may take; the bounds catch a slip (minutes for seconds).
PDF_TIMEOUT_RANGE = (1, 3600)
REPORT_KEYS = ("freshness_days",)
# A rate older than this (without an archived committee) is « non actualisé »; the
# bounds keep a typing slip (4500 for 45) from passing unnoticed.
FRESHNESS_RANGE = (1, 366)
SMTP_KEYS = ("host", "port", "security", "username", "password_env", "timeout", "ca_file")


@dataclass(frozen=True)
class EmailSettings:
    sender: Address
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    subject_prefix: str
    # The kinds attached (ATTACHMENT_KINDS), as the [email] attachments key lists them;
    # None: the workbook, and its PDF when there is one.
    attachments: tuple[str, ...] | None = None


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # one of SECURITY_MODES
    username: str | None
    # The NAME of the environment variable holding the password: the file
    # itself never holds a secret, so it can be shared and committed.
    password_env: str | None
    timeout: float
    # A CA certificate to trust besides the system's (a ministry's own CA).
    ca_file: Path | None


@dataclass(frozen=True)
class OutputSettings:
    """The [output] section: the PDF made by every build, the LibreOffice to use, and how
    long it may take (None: pdf.py's default)."""

    pdf: bool = False
    soffice: Path | None = None
    pdf_timeout: float | None = None


@dataclass(frozen=True)
class Config:
    email: EmailSettings
    smtp: SmtpSettings | None
    path: Path


def load_config(path: Path = Path(CONFIG_NAME), need_smtp: bool = False) -> Config:
    """Read and check ``path``; raise InputError listing every problem found.

    ``need_smtp``: the ``[smtp]`` section must then be present and complete
    (it is optional for writing the .eml alone).
    """
    name = str(path)
    if not path.is_file():
        raise InputError([Problem(
            "config-missing", name, "", f"un fichier {CONFIG_NAME} dans le dossier courant",
            f"le fichier de configuration est introuvable : copiez {EXAMPLE_NAME} sous le nom "
            f"{CONFIG_NAME} et complétez-le (voir le README)",
        )])
    data = _read_toml(path)

    problems: list[Problem] = []
    checker = _Checker(name, problems)
    checker.unknown_keys(data, SECTIONS, "")
    email = checker.email(data.get("email"))
    smtp = None
    if need_smtp or "smtp" in data:
        smtp = checker.smtp(data.get("smtp"), path.parent, required=need_smtp)
    if problems:
        raise InputError(problems)
    assert email is not None
    return Config(email, smtp, path)


def _read_toml(path: Path) -> dict[str, Any]:
    """The file's TOML, or InputError saying in French why it cannot be read."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputError([Problem("config-encoding", str(path), "", "un texte en UTF-8",
                                  "le fichier n'est pas enregistré en UTF-8")]) from None
    except tomllib.TOMLDecodeError as error:
        raise InputError([_syntax_problem(str(path), error)]) from None


def load_freshness(path: Path = Path(CONFIG_NAME)) -> int | None:
    """``freshness_days`` of the ``[report]`` section, or None when the file or the key is
    absent. Read by ``build`` with or without the [email] section (emails need that).
    Raises InputError (French, with its place) for a file or a value it cannot use."""
    if not path.is_file():
        return None
    name = str(path)
    data = _read_toml(path)
    problems: list[Problem] = []
    checker = _Checker(name, problems)
    table = checker.section(data.get("report"), "report", required=False)
    value = None
    if table is not None:
        checker.unknown_keys(table, REPORT_KEYS, "report")
        value = table.get("freshness_days")
        low, high = FRESHNESS_RANGE
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                  or not low <= value <= high):
            checker.add("config-bad-value", checker.place("report", "freshness_days"), value,
                        f"un nombre entier de jours, de {low} à {high}",
                        "la fraîcheur des taux doit être un nombre entier de jours")
            value = None
    if problems:
        raise InputError(problems)
    return value


def load_output(path: Path = Path(CONFIG_NAME)) -> OutputSettings:
    """The ``[output]`` section (defaults when the file or the section is absent). Read by
    ``build`` with or without an [email] section; nothing here looks for LibreOffice.
    Raises InputError (French, with its place) for a value it cannot use."""
    if not path.is_file():
        return OutputSettings()
    data = _read_toml(path)
    problems: list[Problem] = []
    checker = _Checker(str(path), problems)
    table = checker.section(data.get("output"), "output", required=False)
    if table is None:
        if problems:
            raise InputError(problems)
        return OutputSettings()
    checker.unknown_keys(table, OUTPUT_KEYS, "output")
    pdf = table.get("pdf", False)
    if not isinstance(pdf, bool):
        checker.add("config-wrong-type", checker.place("output", "pdf"), pdf,
                    "true ou false, sans guillemets",
                    "ce doit être true (produire le PDF à chaque construction) ou false")
    soffice = checker.text(table, "output", "soffice", required=False)
    timeout = table.get("pdf_timeout")
    low, high = PDF_TIMEOUT_RANGE
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, int | float)
                                or not low <= timeout <= high):
        checker.add("config-bad-value", checker.place("output", "pdf_timeout"), timeout,
                    f"un nombre de secondes, de {low} à {high} (ex. 120)",
                    "délai accordé à LibreOffice invalide")
    if problems:
        raise InputError(problems)
    return OutputSettings(
        pdf=bool(pdf),
        # Relative to the file's folder, like ca_file; ~ for the user's folder.
        soffice=path.parent / Path(soffice).expanduser() if soffice else None,
        pdf_timeout=None if timeout is None else float(timeout))


def parse_address(text: str) -> Address | None:
    """One address such as ``SPES <spes@exemple.gouv.fr>``; None when it is not one.

    Line breaks are refused outright: in a header they would start a new one.
    """
    if any(ch in text for ch in "\r\n\0"):
        return None
    try:
        header = default_policy.header_factory("to", text)
    except (IndexError, ValueError):  # the parser trips on some inputs, e.g. "spes@"
        return None
    addresses: tuple[Address, ...] = getattr(header, "addresses", ())
    if header.defects or len(addresses) != 1:
        return None
    address = addresses[0]
    if not address.username or not address.domain:
        return None
    return address


_LINE = re.compile(r"at line (\d+), column (\d+)")


def _syntax_problem(name: str, error: tomllib.TOMLDecodeError) -> Problem:
    where = _LINE.search(str(error))
    place = f"{name}, ligne {where.group(1)}" if where else name
    column = f", colonne {where.group(2)}" if where else ""
    return Problem(
        "config-syntax", place, "", "la syntaxe TOML (clé = \"valeur\")",
        f"le fichier est mal écrit à cet endroit{column} : vérifiez les guillemets, les "
        "crochets et les signes « = »",
    )


# Problems about a value's type: the value is quoted as written in the file, so
# that `timeout = "30"` shows its quotes ("30", not 30) and `port = true` shows true.
_TYPE_PROBLEMS = frozenset({"config-not-a-section", "config-wrong-type", "config-bad-value"})
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def as_written(value: object) -> str:
    """A value read from TOML, in TOML notation (strings in quotes, true, [1, 2])."""
    if isinstance(value, str):
        # JSON's escapes (\", \\, \n, \uXXXX) are TOML's too.
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(as_written(item) for item in value) + "]"
    if isinstance(value, dict):
        pairs = (f"{k if _BARE_KEY.fullmatch(k) else as_written(k)} = {as_written(v)}"
                 for k, v in value.items())
        return "{ " + ", ".join(pairs) + " }" if value else "{}"
    if isinstance(value, date | time):  # datetime is a date
        return value.isoformat()
    return str(value)  # int and float: TOML writes them as Python does (inf, nan too)


class _Checker:
    """Collects the problems of one file; each is placed by its section and key."""

    def __init__(self, name: str, problems: list[Problem]) -> None:
        self.name = name
        self.problems = problems

    def place(self, section: str, key: str = "") -> str:
        return f"{self.name} [{section}]" + (f" {key}" if key else "")

    def add(self, code: str, place: str, value: object, expected: str, message: str) -> None:
        if value is None:
            found = ""
        elif code in _TYPE_PROBLEMS:
            found = shown(as_written(value))
        else:
            found = shown(value)
        self.problems.append(Problem(code, place, found, expected, message))

    def unknown_keys(self, table: Mapping[str, Any], known: tuple[str, ...],
                     section: str) -> None:
        for key in table:
            if key not in known:
                place = self.place(section, key) if section else f"{self.name} [{key}]"
                what = "cette clé" if section else "cette section"
                self.add("config-unknown-key", place, None, ", ".join(known),
                         f"{what} n'est pas connue (faute de frappe ?)")

    def section(self, value: object, section: str, required: bool) -> Mapping[str, Any] | None:
        if value is None:
            if required:
                self.add("config-missing-section", self.place(section), None,
                         f"une section [{section}]", f"la section [{section}] manque")
            return None
        if not isinstance(value, dict):
            self.add("config-not-a-section", self.place(section), value,
                     f"une section [{section}]", "ce doit être une section, pas une valeur")
            return None
        return value

    def email(self, value: object) -> EmailSettings | None:
        table = self.section(value, "email", required=True)
        if table is None:
            return None
        self.unknown_keys(table, EMAIL_KEYS, "email")
        sender = self.addresses(table, "from", single=True)
        to = self.addresses(table, "to", single=False)
        cc = self.addresses(table, "cc", single=False, required=False)
        prefix = self.text(table, "email", "subject_prefix", required=False) or ""
        known = len(self.problems)
        attachments = self.attachments(table.get("attachments"))
        if sender is None or to is None or cc is None or len(self.problems) > known:
            return None
        return EmailSettings(sender[0], to, cc, prefix, attachments)

    def attachments(self, value: object) -> tuple[str, ...] | None:
        """The kinds to attach, in their order, once each; None when unset or unusable
        (then with a problem)."""
        if value is None:
            return None
        expected = "une liste parmi " + ", ".join(f"\"{kind}\"" for kind in ATTACHMENT_KINDS)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.add("config-wrong-type", self.place("email", "attachments"), value, expected,
                     "ce doit être une liste de types de fichiers entre guillemets")
            return None
        unknown = [item for item in value if item not in ATTACHMENT_KINDS]
        if unknown:
            self.add("config-bad-value", self.place("email", "attachments"), unknown[0],
                     expected, "type de pièce jointe inconnu")
            return None
        if not value:
            self.add("config-bad-value", self.place("email", "attachments"), value, expected,
                     "aucune pièce jointe : le message annoncerait un tableau de bord absent")
            return None
        return tuple(dict.fromkeys(value))

    def addresses(self, table: Mapping[str, Any], key: str, single: bool,
                  required: bool = True) -> tuple[Address, ...] | None:
        place = self.place("email", key)
        expected = ("une adresse, ex. \"SPES <spes@exemple.gouv.fr>\"" if single else
                    "une liste d'adresses, ex. [\"copil@exemple.gouv.fr\"]")
        value = table.get(key)
        if value is None:
            if not required:
                return ()
            message = ("l'adresse de l'expéditeur manque" if single else
                       "aucun destinataire n'est indiqué : le message ne partirait à personne")
            self.add("config-missing-key", place, None, expected, message)
            return None
        # A single recipient written without brackets is accepted as a list of one.
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or (single and len(items) != 1) or not all(
                isinstance(item, str) for item in items):
            self.add("config-wrong-type", place, value, expected,
                     "ce doit être une adresse entre guillemets" if single else
                     "ce doit être une liste d'adresses entre guillemets")
            return None
        if not items and required:
            self.add("config-no-recipient", place, "[]", expected,
                     "aucun destinataire n'est indiqué : le message ne partirait à personne")
            return None
        found: list[Address] = []
        for item in items:
            address = parse_address(item)
            if address is None:
                self.add("config-bad-address", place, item,
                         "une adresse comme spes@exemple.gouv.fr ou "
                         "\"Nom <spes@exemple.gouv.fr>\"",
                         "cette adresse électronique n'est pas valide")
            else:
                found.append(address)
        return tuple(found) if len(found) == len(items) else None

    def text(self, table: Mapping[str, Any], section: str, key: str,
             required: bool) -> str | None:
        value = table.get(key)
        if value is None:
            if required:
                self.add("config-missing-key", self.place(section, key), None,
                         "un texte entre guillemets", "cette clé manque")
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            self.add("config-wrong-type", self.place(section, key), value,
                     "un texte entre guillemets", "ce doit être un texte non vide")
            return None
        if any(ch in value for ch in "\r\n\0"):
            self.add("config-wrong-type", self.place(section, key), value,
                     "un texte sur une seule ligne", "ce texte ne doit pas contenir de "
                     "retour à la ligne")
            return None
        return value

    def smtp(self, value: object, base: Path, required: bool) -> SmtpSettings | None:
        table = self.section(value, "smtp", required=required)
        if table is None:
            return None
        if "password" in table:
            self.add("config-password-in-file", self.place("smtp", "password"), None,
                     "password_env = \"NOM_DE_VARIABLE\"",
                     "le mot de passe ne doit jamais être écrit dans ce fichier : "
                     "supprimez cette ligne, mettez le mot de passe dans une variable "
                     "d'environnement et indiquez le nom de cette variable dans password_env")
        self.unknown_keys({k: v for k, v in table.items() if k != "password"},
                          SMTP_KEYS, "smtp")
        host = self.text(table, "smtp", "host", required=True)
        security = table.get("security", "starttls")
        if security not in SECURITY_MODES:
            self.add("config-bad-value", self.place("smtp", "security"), security,
                     " ou ".join(f"\"{mode}\"" for mode in SECURITY_MODES),
                     "mode de sécurité inconnu")
            security = "starttls"
        port = table.get("port", DEFAULT_PORTS[security])
        if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
            self.add("config-bad-value", self.place("smtp", "port"), port,
                     "un nombre entier de 1 à 65535, sans guillemets (ex. 587)",
                     "numéro de port invalide")
        username = self.text(table, "smtp", "username", required=False)
        password_env = self.text(table, "smtp", "password_env", required=False)
        if username and not password_env:
            self.add("config-missing-key", self.place("smtp", "password_env"), None,
                     "le nom d'une variable d'environnement, ex. \"SPES_SMTP_MOT_DE_PASSE\"",
                     "un identifiant (username) est indiqué : il faut aussi le nom de la "
                     "variable d'environnement qui contient le mot de passe")
        timeout = table.get("timeout", DEFAULT_TIMEOUT_SECONDS)
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
            self.add("config-bad-value", self.place("smtp", "timeout"), timeout,
                     "un nombre de secondes positif (ex. 30)", "délai d'attente invalide")
        ca_file = None
        ca_text = self.text(table, "smtp", "ca_file", required=False)
        if ca_text:
            ca_file = base / ca_text
            if not ca_file.is_file():
                self.add("config-ca-missing", self.place("smtp", "ca_file"), ca_text,
                         "un fichier de certificat (.pem) existant",
                         "ce fichier de certificat est introuvable")
        if host is None or "password" in table or len(self.problems):
            return None
        return SmtpSettings(host, int(port), str(security), username, password_env,
                            float(timeout), ca_file)
