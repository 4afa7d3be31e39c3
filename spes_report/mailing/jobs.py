"""The jobs behind `email` and `build --email`: write the draft, send it, note the sending."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path

from ..archive import SendingNote, record_sending
from ..archive.manifest import sha256_file
from ..config import EmailSettings, SmtpSettings
from ..files import utc_timestamp
from ..locking import outputs_lock
from ..model import Report
from ..naming import eml_name, pdf_name
from .message import compose, write_draft
from .render import OVERRIDES_DIR, render_email
from .smtp import Receipt, send
from .wording import email_context


@dataclass(frozen=True)
class PreparedEmail:
    draft: Path  # the .eml written beside the workbook
    message: EmailMessage  # the message as it is sent (without X-Unsent)
    # The committee's workbook: what a sending is noted against, attached or not.
    attachment: Path
    # The files attached, in order (the workbook, its PDF).
    attached: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Sending:
    receipt: Receipt
    # Where the sending was noted, or why it was not (archive.SendingNote).
    note: SendingNote


def attachments_for(workbook: Path, settings: EmailSettings) -> tuple[Path, ...]:
    """What the message carries: the kinds ``settings`` lists ([email] attachments), else
    the workbook and, when there is one beside it, its PDF. A PDF listed but absent is
    still named: reading it fails (FileNotFoundError), with its name."""
    pdf = workbook.with_name(pdf_name(workbook))
    kinds = settings.attachments or (("xlsx", "pdf") if pdf.is_file() else ("xlsx",))
    files = {"xlsx": workbook, "pdf": pdf}
    return tuple(files[kind] for kind in kinds)


def prepare_email(report: Report, workbook: Path, settings: EmailSettings,
                  now: datetime | None = None,
                  overrides: Path | None = OVERRIDES_DIR) -> PreparedEmail:
    """Write ``SPES_COPIL_<date>.eml`` beside ``workbook``, with the files
    ``attachments_for`` names; raise InputError on a bad template."""
    attached = attachments_for(workbook, settings)
    context = email_context(report, settings.subject_prefix, attached[0].name,
                            [path.name for path in attached])
    rendered = render_email(context, overrides)
    message = compose(rendered, settings, attached, now or datetime.now().astimezone())
    # Written in the outputs folder: under its lock, like every change there.
    with outputs_lock(workbook.parent):
        draft = write_draft(message, workbook.with_name(eml_name(workbook)))
    return PreparedEmail(draft, message, workbook, attached)


def send_and_record(prepared: PreparedEmail, settings: SmtpSettings, report_date: date,
                    archive_root: Path, environ: Mapping[str, str] | None = None) -> Sending:
    """Send the message (raises smtp.SendError), then note it in the month's manifest.

    Nothing is noted unless the server accepted the message, and only in the
    snapshot of this very committee (archive.record_sending).
    """
    receipt = send(prepared.message, settings, environ)
    entry: dict[str, object] = {
        "sent_at": utc_timestamp(receipt.sent_at),
        "recipients": list(receipt.recipients),
        "server": receipt.server,
        "answer": receipt.answer,
        "message_id": str(prepared.message["Message-ID"]),
        "subject": str(prepared.message["Subject"]),
    }
    if prepared.attached:
        entry["attached"] = [{"file": path.name, "sha256": sha256_file(path)}
                             for path in prepared.attached]
    note = record_sending(archive_root, report_date, prepared.attachment, entry)
    return Sending(receipt, note)
