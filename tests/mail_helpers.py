"""Shared pieces for the email tests: a configuration file, the sample, parsing a .eml."""

from __future__ import annotations

import shutil
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from click.testing import CliRunner, Result

from spes_report.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "inputs" / "input.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EMAIL_SECTION = """\
[email]
from = "SPES <spes@exemple.gouv.fr>"
to = ["copil-spes@exemple.gouv.fr", "Jeanne Dupré <jeanne.dupre@exemple.gouv.fr>"]
cc = ["secretariat@exemple.gouv.fr"]
subject_prefix = "[SPES]"
"""
RECIPIENTS = ["copil-spes@exemple.gouv.fr", "jeanne.dupre@exemple.gouv.fr",
              "secretariat@exemple.gouv.fr"]


def workspace(folder: Path, config: str | None = EMAIL_SECTION) -> Path:
    """A working directory as staff have it: the input, and spes-report.toml if given."""
    (folder / "inputs").mkdir(parents=True)
    shutil.copy(SAMPLE, folder / "inputs" / "input.xlsx")
    if config is not None:
        (folder / "spes-report.toml").write_text(config, encoding="utf-8")
    return folder


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def parse(data: bytes) -> EmailMessage:
    message = message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def bodies(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and HTML bodies, decoded, with the file's CRLF line ends as LF."""
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert isinstance(text, EmailMessage) and isinstance(html, EmailMessage)
    return (text.get_content().replace("\r\n", "\n"),
            html.get_content().replace("\r\n", "\n"))


def attachments(message: EmailMessage) -> list[EmailMessage]:
    return [part for part in message.iter_attachments() if isinstance(part, EmailMessage)]
