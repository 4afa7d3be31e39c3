"""Filing a month's snapshot whole, and noting later events (a sending) in its manifest.

A snapshot is the input as read, the workbook and ``manifest.json`` (hashes,
summary figures, every rate read, and the history the workbook was built
with, so that it can be rebuilt on its own). Snapshots are filed whole: built
in a hidden folder of the archive and renamed into place.
"""

from __future__ import annotations

import contextlib
import enum
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import durable, journal
from ..files import PREPARED_MARK, mode_for, utc_stamp, utc_timestamp, write_prepared
from ..journal import Move
from ..model import Measurement, Report
from .layout import (
    MANIFEST_NAME,
    SUPERSEDED_PREFIX,
    archive_root,
    misplaced,
    month_folder,
    stored_input_name,
    stored_plan_name,
)
from .manifest import (
    PDF_KEY,
    SEAL_KEY,
    content_of,
    make_manifest,
    manifest_bytes,
    manifest_or_error,
    read_manifest,
    seal,
    seal_intact,
    sha256_bytes,
    write_manifest,
)
from .shape import Flaw, ManifestError

if TYPE_CHECKING:
    from ..plan import LoadedPlan
    from .diff import Differences


class NotRecordedError(Exception):
    """The month's manifest is not the one an event belongs to; ``reason`` says why."""

    def __init__(self, reason: object) -> None:
        self.reason = reason
        super().__init__(reason)


def append_to_manifest(folder: Path, section: str, entry: Mapping[str, Any],
                       check: Callable[[Mapping[str, Any]], object | None] | None = None,
                       ) -> None:
    """Add ``entry`` to the list ``section`` of the month's manifest (e.g. a sending).

    ``check`` sees the manifest and returns why the entry does not belong
    there (raised as NotRecordedError, nothing written) or None. Call it
    holding the outputs lock (locking.outputs_lock), so that a filing and a
    sending never undo one another.
    """
    manifest = read_manifest(folder)
    refusal = check(manifest) if check is not None else None
    if refusal is not None:
        raise NotRecordedError(refusal)
    entries = manifest.setdefault(section, [])
    if not isinstance(entries, list):
        raise ManifestError([Flaw(section, "n'a pas la forme attendue", "",
                                  "une liste [ … ]")])
    entries.append(dict(entry))
    write_manifest(folder, manifest)


class ArchivePathError(Exception):
    """Something other than a folder stands where the archive or a month's folder goes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} is not a folder")


def check_folders(root: Path) -> None:
    """Raise ArchivePathError when a file stands where the archive or a month should be."""
    wrong = misplaced(root)
    if wrong:
        raise ArchivePathError(wrong[0])


class AlreadyArchivedError(Exception):
    """The month is archived already with a different content; nothing was written.

    ``differences`` says what differs; when the archived manifest cannot be
    read, ``archived`` is None and ``unreadable`` is why.
    """

    def __init__(self, folder: Path, archived: Mapping[str, Any] | None,
                 unreadable: Exception | None, new: Mapping[str, Any]) -> None:
        self.folder = folder
        self.archived = archived
        self.new = new
        self.unreadable = unreadable
        from .diff import Differences, differences  # only a refusal needs them

        self.differences: Differences = (differences(archived, new) if archived is not None
                                           else Differences(()))
        super().__init__(f"month {folder} already archived with another content")


class Outcome(enum.Enum):
    NEW = "new"
    # The month held the very same snapshot (build time aside): nothing filed.
    IDENTICAL = "identical"
    REPLACED = "replaced"


@dataclass(frozen=True)
class Filing:
    folder: Path
    outcome: Outcome
    # Where the earlier snapshot went, after a --replace.
    superseded: Path | None = None


@dataclass(frozen=True)
class Snapshot:
    """The files of one build, ready to be filed."""

    report: Report
    measurements: tuple[Measurement, ...]
    input_name: str
    input_content: bytes
    workbook_name: str
    workbook_content: bytes
    plan: LoadedPlan


@dataclass(frozen=True)
class PreparedFiling:
    """A snapshot written in its staging folder, and the renames that will file it.

    Paths in ``moves`` and ``discard`` are relative to the outputs folder,
    as journal.Change wants them.
    """

    filing: Filing
    moves: tuple[Move, ...]
    discard: tuple[str, ...]


def prepare_filing(outputs: Path, snapshot: Snapshot, built_at: datetime, token: str,
                   replace: bool = False) -> PreparedFiling:
    """Write ``snapshot`` whole in a hidden staging folder of the archive and say how to file it.

    Nothing the user sees changes here: the snapshot becomes the month's
    folder only when the caller applies the moves (journal.apply). Raises
    AlreadyArchivedError when the month holds a different snapshot and
    ``replace`` is false; with ``replace`` the earlier snapshot will move to
    ``<month>/superseded-<time>/`` (with the ones it had replaced before).
    On any failure the staging folder is removed. Call it holding the
    outputs lock.
    """
    root = archive_root(outputs)
    final = month_folder(root, snapshot.report.report_date)
    for folder in (root, final):
        if folder.exists() and not folder.is_dir():
            raise ArchivePathError(folder)
    durable.make_folder(root)
    staging = root / f".{final.name}{PREPARED_MARK}{token}"
    durable.make_folder(staging)
    try:
        # Through JSON, as it will be read back (tuples become lists).
        manifest = json.loads(json.dumps(_write_snapshot(staging, snapshot, built_at)))
        durable.sync_folder(root)
        relative = _relative_to(outputs)
        if not final.exists():
            return PreparedFiling(Filing(final, Outcome.NEW),
                                  (Move(relative(staging), relative(final)),), ())
        previous, unreadable = manifest_or_error(final)
        if previous is not None and content_of(previous) == content_of(manifest):
            return PreparedFiling(Filing(final, Outcome.IDENTICAL), (), (relative(staging),))
        if not replace:
            raise AlreadyArchivedError(final, previous, unreadable, manifest)
    except BaseException:
        # Best effort: what cannot be removed now, the next command's sweep removes.
        with contextlib.suppress(OSError):
            durable.remove_tree(staging)
        raise
    superseded = _superseded_name(final, built_at)
    moves = [Move(relative(older), relative(staging / older.name))
             for older in sorted(final.glob(SUPERSEDED_PREFIX + "*"))]
    moves += [Move(relative(final), relative(staging / superseded)),
              Move(relative(staging), relative(final))]
    return PreparedFiling(Filing(final, Outcome.REPLACED, final / superseded), tuple(moves), ())


def _relative_to(outputs: Path) -> Callable[[Path], str]:
    return lambda path: path.relative_to(outputs).as_posix()


def _superseded_name(final: Path, built_at: datetime) -> str:
    """``superseded-2026-11-30-013224Z``, made unique among the month's earlier ones."""
    stamp = f"{SUPERSEDED_PREFIX}{utc_stamp(built_at)}"
    name, counter = stamp, 1
    while (final / name).exists():
        counter += 1
        name = f"{stamp}-{counter}"
    return name


def _write_snapshot(folder: Path, snapshot: Snapshot, built_at: datetime) -> dict[str, Any]:
    input_file = stored_input_name(snapshot.input_name, snapshot.workbook_name)
    plan_file = stored_plan_name(snapshot.plan.suffix)
    contents = {input_file: snapshot.input_content,
                snapshot.workbook_name: snapshot.workbook_content,
                plan_file: snapshot.plan.content}
    for name, content in contents.items():
        durable.write_new(folder / name, content, durable.new_file_mode())
    manifest = make_manifest(
        snapshot.report, measurements=snapshot.measurements, input_name=snapshot.input_name,
        input_file=input_file, input_sha256=sha256_bytes(snapshot.input_content),
        workbook=snapshot.workbook_name,
        files={name: sha256_bytes(content) for name, content in contents.items()},
        plan=snapshot.plan, plan_file=plan_file, built_at=utc_timestamp(built_at),
    )
    manifest["seal"] = seal(manifest)
    write_manifest(folder, manifest)
    durable.sync_folder(folder)
    return manifest


# --- the month's PDF ---------------------------------------------------------------------

class PdfNotFiled(enum.Enum):
    """Why the month's snapshot does not take the PDF just printed."""

    NO_MONTH = "no-month"  # the month has no snapshot
    OTHER_COMMITTEE = "other-committee"  # it holds another committee of the month
    OTHER_WORKBOOK = "other-workbook"  # this committee, with another workbook
    EDITED = "edited"  # its manifest, or the PDF filed before, changed since
    UNREADABLE = "unreadable"  # its manifest cannot be read
    NAME_TAKEN = "name-taken"  # a file of the PDF's name is there, not in the manifest


@dataclass(frozen=True)
class MonthPdf:
    """What the month's snapshot holds of the PDF of one workbook."""

    folder: Path
    # The PDF filed with this very workbook, its SHA-256 checked: printed once, kept.
    archived: bytes | None = None
    # What printed it (``LibreOffice 7.4.7.2``), as its manifest says.
    made_with: str = ""
    # Why no PDF can be filed there; None when one can (or is already).
    not_filed: PdfNotFiled | None = None


def month_pdf(root: Path, report_date: date, workbook_sha256: str, pdf_name: str) -> MonthPdf:
    """The PDF of the workbook ``workbook_sha256`` in the month's snapshot, or why a new one
    cannot be filed there. Call it holding the outputs lock."""
    folder = month_folder(root, report_date)
    if not (folder / MANIFEST_NAME).is_file():
        return MonthPdf(folder, not_filed=PdfNotFiled.NO_MONTH)
    manifest, _ = manifest_or_error(folder)
    if manifest is None:
        return MonthPdf(folder, not_filed=PdfNotFiled.UNREADABLE)
    if date.fromisoformat(manifest["report_date"]) != report_date:
        return MonthPdf(folder, not_filed=PdfNotFiled.OTHER_COMMITTEE)
    if manifest["files"].get(manifest["workbook"]) != workbook_sha256:
        return MonthPdf(folder, not_filed=PdfNotFiled.OTHER_WORKBOOK)
    if seal_intact(manifest) is False:
        return MonthPdf(folder, not_filed=PdfNotFiled.EDITED)
    filed = manifest.get(PDF_KEY)
    if filed is None:
        taken = (folder / pdf_name).exists()
        return MonthPdf(folder, not_filed=PdfNotFiled.NAME_TAKEN if taken else None)
    path = folder / filed["file"]
    content = path.read_bytes() if path.is_file() else b""
    if sha256_bytes(content) != filed["sha256"] or filed["workbook_sha256"] != workbook_sha256:
        # Left as it is, for archive verify to report.
        return MonthPdf(folder, not_filed=PdfNotFiled.EDITED)
    return MonthPdf(folder, archived=content, made_with=str(filed.get("made_with", "")))


def prepare_pdf_filing(outputs: Path, folder: Path, name: str, content: bytes,
                       entry: Mapping[str, Any], token: str,
                       ) -> tuple[tuple[Move, ...], tuple[str, ...]]:
    """Prepare the PDF ``content`` and the manifest that records it (``entry`` added to the
    ``pdf`` section, the seal written again) in the month's ``folder``; return the renames
    that file them (PDF first, as journal.Change wants them) and what to drop then.

    Call it holding the outputs lock, once ``month_pdf`` said a PDF can be filed.
    """
    manifest = read_manifest(folder)
    manifest[PDF_KEY] = {"file": name, "sha256": sha256_bytes(content), **entry}
    if SEAL_KEY in manifest:
        # month_pdf found it intact: sealing it again seals only what this adds.
        manifest[SEAL_KEY] = seal(manifest)
    target = folder / MANIFEST_NAME
    pdf = write_prepared(folder / name, content, token, durable.new_file_mode())
    try:
        updated = write_prepared(target, manifest_bytes(manifest), token, mode_for(target))
        durable.sync_folder(folder)
    except BaseException:
        with contextlib.suppress(OSError):
            journal.drop(folder, [pdf.name, f".{MANIFEST_NAME}{PREPARED_MARK}{token}"])
        raise
    relative = _relative_to(outputs)
    moves, discard = journal.replacing(outputs, relative(target), relative(updated))
    return (Move(relative(pdf), relative(folder / name)), *moves), discard
