"""The jobs behind `email` and `build --email`: write the draft, send it, note the sending."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from ..archive import (
    MANIFEST_NAME,
    NotRecordedError,
    append_to_manifest,
    month_folder,
    reason,
    sha256_file,
)
from ..config import EmailSettings, SmtpSettings
from ..french import long_date as french_long_date
from ..locking import OutputBusyError
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
    # Why the sending was not noted although the server accepted it (French):
    # the month's snapshot is of another committee or workbook, or is unreadable.
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

    Nothing is noted unless the server accepted the message, and only in the
    snapshot of this very committee: same date, same workbook (SHA-256). The
    month's folder may hold another committee of the month, or this one built
    with other settings (``--no-archive``): the sending is then noted nowhere,
    and ``record_error`` says why.
    """
    receipt = send(prepared.message, settings, environ)
    folder = month_folder(archive_root, report_date)
    manifest = folder / MANIFEST_NAME
    if not manifest.is_file():
        return Sending(receipt, None)
    attachment_sha256 = sha256_file(prepared.attachment)
    entry = {
        "sent_at": receipt.sent_at.isoformat(timespec="seconds"),
        "recipients": list(receipt.recipients),
        "server": receipt.server,
        "answer": receipt.answer,
        "message_id": str(prepared.message["Message-ID"]),
        "subject": str(prepared.message["Subject"]),
        "attachment": prepared.attachment.name,
        "attachment_sha256": attachment_sha256,
    }

    def same_committee(archived: Mapping[str, Any]) -> str | None:
        return belongs_elsewhere(archived, report_date, prepared.attachment.name,
                                 attachment_sha256)

    try:
        append_to_manifest(folder, SENDINGS, entry, same_committee)
    except NotRecordedError as refusal:
        return Sending(receipt, None, f"{manifest} : {refusal}")
    except (OSError, ValueError) as error:  # ValueError: a manifest that is not one
        return Sending(receipt, None, f"{manifest} : fiche du comité illisible : "
                                      f"{reason(error)}")
    except OutputBusyError:
        return Sending(receipt, None, f"{manifest} : une autre commande modifiait ce mois de "
                                      "l'archive et ne s'est pas terminée à temps ; le "
                                      "message est bien parti, ne le renvoyez pas")
    return Sending(receipt, manifest)


def belongs_elsewhere(archived: Mapping[str, Any], report_date: date, attachment: str,
                      attachment_sha256: str) -> str | None:
    """Why a sending of ``attachment`` for ``report_date`` is not this manifest's; None if it is."""
    archived_date = date.fromisoformat(archived["report_date"])
    if archived_date != report_date:
        return (f"ce mois est archivé pour le comité du {french_long_date(archived_date)}, "
                f"pas pour celui du {french_long_date(report_date)} dont le message vient "
                "de partir")
    if archived["files"][archived["workbook"]] != attachment_sha256:
        return (f"le classeur envoyé ({attachment}) n'est pas celui archivé pour ce comité "
                "(empreintes SHA-256 différentes : construit avec d'autres réglages ou une "
                "autre saisie, par exemple avec --no-archive)")
    return None
