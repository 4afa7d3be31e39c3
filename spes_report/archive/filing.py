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
import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..locking import exclusive, lock_path
from ..model import Measurement, Report
from .diff import Differences, differences
from .layout import STAGING_MARK, SUPERSEDED_PREFIX, month_folder, stored_input_name
from .manifest import (
    content_of,
    make_manifest,
    manifest_or_error,
    read_manifest,
    sha256_bytes,
    write_manifest,
)
from .shape import Flaw, ManifestError


@contextlib.contextmanager
def month_lock(folder: Path) -> Iterator[None]:
    """One change at a time to a month of the archive (``archive/.2020-06.lock``).

    Filing a snapshot and noting a sending both read the month's folder and
    then change it: without the lock, one could undo the other.
    """
    with exclusive(lock_path(folder), "month", folder):
        yield


class NotRecordedError(Exception):
    """The month's manifest is not the one an event belongs to; ``reason`` says why."""

    def __init__(self, reason: object) -> None:
        self.reason = reason
        super().__init__(reason)


def append_to_manifest(folder: Path, section: str, entry: Mapping[str, Any],
                       check: Callable[[Mapping[str, Any]], object | None] | None = None,
                       ) -> None:
    """Add ``entry`` to the list ``section`` of the month's manifest (e.g. a sending).

    ``check`` sees the manifest under the month's lock and returns why the
    entry does not belong there (raised as NotRecordedError, nothing written)
    or None.
    """
    with month_lock(folder):
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
        self.differences = (differences(archived, new) if archived is not None
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
    definitions_sha256: str


def file_snapshot(root: Path, snapshot: Snapshot, built_at: datetime,
                  replace: bool = False) -> Filing:
    """File ``snapshot`` as its month's folder; the archive is never left half-written.

    Raises AlreadyArchivedError when the month holds a different snapshot and
    ``replace`` is false. With ``replace`` the earlier snapshot moves to
    ``<month>/superseded-<time>/`` (with the ones it had replaced before).
    The month's lock is held from the comparison to the last rename, so that
    a sending noted meanwhile is never lost nor noted in the wrong snapshot.
    """
    report = snapshot.report
    final = month_folder(root, report.report_date)
    root.mkdir(parents=True, exist_ok=True)
    # mkdir (not mkdtemp) so that the folder gets the usual permissions, not private ones.
    staging = root / f".{final.name}{STAGING_MARK}{os.urandom(4).hex()}"
    staging.mkdir()
    with contextlib.ExitStack() as held:
        try:
            # Through JSON, as it will be read back (tuples become lists).
            manifest = json.loads(json.dumps(_write_snapshot(staging, snapshot, built_at)))
            held.enter_context(month_lock(final))
            if not final.exists():
                _rename_new(staging, final, manifest)
                return Filing(final, Outcome.NEW)
            previous, unreadable = manifest_or_error(final)
            if previous is not None and content_of(previous) == content_of(manifest):
                shutil.rmtree(staging)
                return Filing(final, Outcome.IDENTICAL)
            if not replace:
                raise AlreadyArchivedError(final, previous, unreadable, manifest)
        except BaseException:
            # The staging folder holds nothing but the new snapshot here.
            shutil.rmtree(staging, ignore_errors=True)
            raise
        # Outside the clean-up above: if a step of the replacement fails and cannot
        # be undone, the staging folder holds the earlier snapshot and must stay.
        return Filing(final, Outcome.REPLACED, _supersede(final, staging, built_at))


def _rename_new(staging: Path, final: Path, manifest: Mapping[str, Any]) -> None:
    try:
        os.rename(staging, final)
    except OSError:
        if final.exists():  # filed meanwhile by a process that ignored the lock
            previous, unreadable = manifest_or_error(final)
            raise AlreadyArchivedError(final, previous, unreadable, manifest) from None
        raise


def _write_snapshot(folder: Path, snapshot: Snapshot, built_at: datetime) -> dict[str, Any]:
    input_file = stored_input_name(snapshot.input_name, snapshot.workbook_name)
    contents = {input_file: snapshot.input_content,
                snapshot.workbook_name: snapshot.workbook_content}
    for name, content in contents.items():
        _write_new(folder / name, content)
    manifest = make_manifest(
        snapshot.report, measurements=snapshot.measurements, input_name=snapshot.input_name,
        input_file=input_file, input_sha256=sha256_bytes(snapshot.input_content),
        workbook=snapshot.workbook_name,
        files={name: sha256_bytes(content) for name, content in contents.items()},
        definitions_sha256=snapshot.definitions_sha256, built_at=built_at,
    )
    write_manifest(folder, manifest)
    return manifest


def _write_new(path: Path, content: bytes) -> None:
    with path.open("xb") as stream:
        stream.write(content)
        stream.flush()
        os.fsync(stream.fileno())


def _supersede(final: Path, staging: Path, built_at: datetime) -> Path:
    """Put the staged snapshot in ``final``'s place, keeping the old one inside it.

    Every step is a rename within the archive, so each file is always in
    exactly one place. If a step fails, the steps done are undone; should even
    that fail (or the process stop between two renames), what was moved is in
    the staging folder, which ``archive verify`` reports: nothing is lost.
    """
    stamp = f"{SUPERSEDED_PREFIX}{built_at:%Y-%m-%d-%H%M%S}"
    name, counter = stamp, 1
    while (final / name).exists() or (staging / name).exists():
        counter += 1
        name = f"{stamp}-{counter}"
    moves = [(older, staging / older.name)
             for older in sorted(final.glob(SUPERSEDED_PREFIX + "*"))]
    moves += [(final, staging / name), (staging, final)]
    done: list[tuple[Path, Path]] = []
    try:
        for source, target in moves:
            os.rename(source, target)
            done.append((source, target))
    except BaseException:
        if _undo(done):
            # Everything is back: the staging folder holds only the new snapshot.
            shutil.rmtree(staging, ignore_errors=True)
        raise
    return final / name


def _undo(renames: list[tuple[Path, Path]]) -> bool:
    """Rename back, latest first; False (and stop) at the first that fails."""
    for source, target in reversed(renames):
        try:
            os.rename(target, source)
        except OSError:
            return False
    return True
