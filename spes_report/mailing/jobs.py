"""The jobs behind `email` and `build --email`: write the draft, send it, note the sending."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path

from ..archive import MANIFEST_NAME, append_to_manifest, month_folder
from ..config import EmailSettings, SmtpSettings
from ..pipeline import BuildResult
from .message import compose, eml_name, write_draft
from .render import OVERRIDES_DIR, render_email
from .smtp import Receipt, send
from .wording import email_context

# The manifest section that lists the sendings of a month.
SENDINGS = "envois"


@dataclass(frozen=True)
class PreparedEmail:
    draft: Path  # the .eml written beside the workbook
    message: EmailMessage  # the message as it is sent (without X-Unsent)
    attachment: Path


@dataclass(frozen=True)
class Sending:
    receipt: Receipt
    # The manifest the sending was noted in; None when the month has no archive.
    manifest: Path | None
    # Why the sending could not be noted although the server accepted it.
    record_error: str | None = None


def prepare_email(result: BuildResult, settings: EmailSettings, now: datetime | None = None,
                  overrides: Path | None = OVERRIDES_DIR) -> PreparedEmail:
    """Write ``SPES_COPIL_<date>.eml`` beside the workbook; raise InputError on a bad template."""
    context = email_context(result.report, settings.subject_prefix, result.workbook.name)
    rendered = render_email(context, overrides)
    message = compose(rendered, settings, result.workbook, now or datetime.now().astimezone())
    draft = write_draft(message, result.workbook.with_name(eml_name(result.workbook)))
    return PreparedEmail(draft, message, result.workbook)


def send_and_record(prepared: PreparedEmail, settings: SmtpSettings, report_date: date,
                    archive_root: Path, environ: Mapping[str, str] | None = None) -> Sending:
    """Send the message (raises smtp.SendError), then note it in the month's manifest.

    Nothing is noted unless the server accepted the message.
    """
    receipt = send(prepared.message, settings, environ)
    folder = month_folder(archive_root, report_date)
    manifest = folder / MANIFEST_NAME
    if not manifest.is_file():
        return Sending(receipt, None)
    entry = {
        "sent_at": receipt.sent_at.isoformat(timespec="seconds"),
        "recipients": list(receipt.recipients),
        "server": receipt.server,
        "answer": receipt.answer,
        "message_id": str(prepared.message["Message-ID"]),
        "subject": str(prepared.message["Subject"]),
        "attachment": prepared.attachment.name,
        "attachment_sha256": hashlib.sha256(prepared.attachment.read_bytes()).hexdigest(),
    }
    try:
        append_to_manifest(folder, SENDINGS, entry)
    except (OSError, ValueError) as error:  # ValueError: a manifest that is not JSON
        return Sending(receipt, None, f"{manifest} : {error}")
    return Sending(receipt, manifest)
