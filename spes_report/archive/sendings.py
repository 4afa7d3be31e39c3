"""Noting in a month's manifest that its committee's email was sent."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..locking import OutputBusyError, outputs_lock
from .filing import NotRecordedError, append_to_manifest
from .layout import MANIFEST_NAME, month_folder
from .manifest import sha256_file

# The manifest section that lists the sendings of a month.
SENDINGS = "envois"


class NotNoted(enum.Enum):
    """Why a sending the server accepted was noted nowhere."""

    NO_ARCHIVE = "no-archive"  # the month has no snapshot
    OTHER_COMMITTEE = "other-committee"  # the month holds another committee's snapshot
    OTHER_WORKBOOK = "other-workbook"  # same committee, another workbook (--no-archive…)
    UNREADABLE = "unreadable"  # the manifest cannot be read
    BUSY = "busy"  # another command held the month too long


@dataclass(frozen=True)
class SendingNote:
    manifest: Path
    # None when the sending was noted.
    not_noted: NotNoted | None = None
    # The committee the month is archived for (OTHER_COMMITTEE).
    archived_date: date | None = None
    # Why the manifest could not be read (UNREADABLE).
    error: Exception | None = None


def record_sending(root: Path, report_date: date, attachment: Path,
                   entry: Mapping[str, Any]) -> SendingNote:
    """Note ``entry`` (a sending of ``attachment``) in the month of ``report_date``.

    Only in the snapshot of this very committee: same date, same workbook
    (SHA-256). The month's folder may hold another committee of the month, or
    this one built with other settings (``--no-archive``): the sending is then
    noted nowhere, and the note says why. ``attachment_sha256`` is added to
    the entry.
    """
    folder = month_folder(root, report_date)
    manifest = folder / MANIFEST_NAME
    try:
        # The archive's folder is in the outputs folder, whose lock it shares.
        with outputs_lock(root.parent):
            return _note(manifest, report_date, attachment, entry)
    except OutputBusyError:
        return SendingNote(manifest, NotNoted.BUSY)


def _note(manifest: Path, report_date: date, attachment: Path,
          entry: Mapping[str, Any]) -> SendingNote:
    if not manifest.is_file():
        return SendingNote(manifest, NotNoted.NO_ARCHIVE)
    attachment_sha256 = sha256_file(attachment)

    def same_committee(archived: Mapping[str, Any]) -> SendingNote | None:
        archived_date = date.fromisoformat(archived["report_date"])
        if archived_date != report_date:
            return SendingNote(manifest, NotNoted.OTHER_COMMITTEE, archived_date)
        if archived["files"][archived["workbook"]] != attachment_sha256:
            return SendingNote(manifest, NotNoted.OTHER_WORKBOOK)
        return None

    try:
        append_to_manifest(manifest.parent, SENDINGS,
                           {**entry, "attachment": attachment.name,
                            "attachment_sha256": attachment_sha256},
                           same_committee)
    except NotRecordedError as refusal:
        assert isinstance(refusal.reason, SendingNote)
        return refusal.reason
    except (OSError, ValueError) as error:  # ValueError: a manifest that is not one
        return SendingNote(manifest, NotNoted.UNREADABLE, error=error)
    return SendingNote(manifest)
