"""For the email tests: spes-report.toml, a staff working folder, the sample email, a .eml
taken apart."""

from __future__ import annotations

import shutil
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from spes_report.mailing.render import RenderedEmail, render_email
from spes_report.mailing.wording import email_context
from support import SAMPLE, run
from support.workbooks import sample_report

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
SMTP_SECTION = """
[smtp]
host = "smtp.exemple.gouv.fr"
port = 587
security = "starttls"
username = "spes"
password_env = "SPES_SMTP_MOT_DE_PASSE"
timeout = 20
"""


def write_config(folder: Path, text: str) -> Path:
    """``folder``/spes-report.toml holding ``text``."""
    path = folder / "spes-report.toml"
    path.write_text(text, encoding="utf-8")
    return path


def workspace(folder: Path, config: str | None = EMAIL_SECTION) -> Path:
    """A working directory as staff have it: the input, and spes-report.toml if given."""
    (folder / "inputs").mkdir(parents=True)
    shutil.copy(SAMPLE, folder / "inputs" / "input.xlsx")
    if config is not None:
        write_config(folder, config)
    return folder


def emailed_sample(folder: Path) -> Path:
    """``spes-report email`` run on the sample in a workspace made in ``folder``; the
    outputs folder, holding the workbook and the message."""
    import pytest

    workspace(folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        result = run("email")
    assert result.exit_code == 0, result.output
    return folder / "outputs"


def rendered_sample(overrides: Path | None = None) -> RenderedEmail:
    """The email of the sample report, from the packaged templates or ``overrides``."""
    report, _ = sample_report()
    return render_email(email_context(report, "[SPES]", "SPES_COPIL_2020-06-01.xlsx"),
                        overrides)


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
