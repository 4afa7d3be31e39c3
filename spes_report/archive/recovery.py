"""The outputs folder made whole again before any command works in it.

Every command that writes outputs/ or reads its archive opens it through
``open_outputs``: it takes the outputs lock, then, if an earlier command was
interrupted, finishes its change from the journal (journal.finish), completes
a replacement that spes-report 0.1.0 left half done, and removes every
prepared leftover. What was repaired is returned as data; the CLI says it in
one line.
"""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .. import durable, journal
from ..files import PREPARED_MARK, utc_stamp
from ..locking import outputs_lock
from .layout import MONTH_PATTERN, SUPERSEDED_PREFIX, archive_root, month_folders


@dataclass(frozen=True)
class Repair:
    """What was found and done when the outputs folder was opened."""

    # The interrupted change that was finished (journal.Change.about), if any.
    finished: Mapping[str, str] | None = None
    # Months whose replacement by spes-report 0.1.0 had been interrupted, now completed.
    completed_months: tuple[str, ...] = ()
    # Prepared files and folders removed, relative to the outputs folder.
    removed: tuple[str, ...] = ()
    # The folder could not be locked (read-only): read as it is, nothing repaired.
    unlocked: bool = False

    def __bool__(self) -> bool:
        return (self.finished is not None or bool(self.completed_months)
                or bool(self.removed) or self.unlocked)


class UnfinishedChangeError(Exception):
    """An interrupted change the journal describes could not be finished: every command
    stops (the folder mixes two states) until a person looks at it."""

    def __init__(self, path: Path, moves: tuple[journal.Move, ...]) -> None:
        self.journal = path
        self.moves = moves
        super().__init__(f"unfinished change in {path}")


@contextlib.contextmanager
def open_outputs(outputs: Path, create: bool = True) -> Iterator[Repair]:
    """Hold the outputs lock while the block runs, the folder repaired first.

    ``create`` false is for readers: an outputs folder that does not exist
    is not created (there is nothing to read, nor to lock), and one that
    cannot be locked because it is read-only (an auditor's copy, a share) is
    read as it is, the Repair saying so.
    """
    if not create and not outputs.is_dir():
        yield Repair()
        return
    if create and not outputs.exists():
        outputs.mkdir(parents=True, exist_ok=True)
        # A new folder survives a power cut only once its parent is synced.
        durable.sync_folder(outputs.parent)
    with contextlib.ExitStack() as held:
        try:
            held.enter_context(outputs_lock(outputs))
        except OSError as error:
            if create or error.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise
            yield Repair(unlocked=True)
            return
        yield repair(outputs)


def repair(outputs: Path) -> Repair:
    """Finish or undo what an interrupted command left. Call it holding the outputs lock.

    Raises UnfinishedChangeError when the journal's change cannot be
    finished, JournalError when the journal cannot be read.
    """
    root = archive_root(outputs)
    if not journal.has_journal(outputs) and not journal.leftovers(_prepared_in(outputs)):
        return Repair()  # the usual case: one listing of a few folders
    finished = journal.finish(outputs)
    if finished.unfinished:
        raise UnfinishedChangeError(outputs / journal.JOURNAL_NAME, finished.unfinished)
    completed = _complete_legacy_replacements(root) if root.is_dir() else ()
    return Repair(finished.finished, completed, journal.sweep(outputs, _prepared_in(outputs)))


def _prepared_in(outputs: Path) -> list[Path]:
    """The folders where commands prepare files: outputs/, its archive and each month."""
    root = archive_root(outputs)
    return [outputs, *([root, *month_folders(root)] if root.is_dir() else [])]


def _complete_legacy_replacements(root: Path) -> tuple[str, ...]:
    """Finish the replacements that spes-report 0.1.0 left half done.

    0.1.0 replaced a month by renames without a journal: the month's earlier
    versions (``superseded-*``) into ``.<month>.en-cours-<id>/``, which held
    the new snapshot, then the month itself, then that folder into the
    month's place. Killed between two of them, it left the staging folder
    holding some or all of the earlier versions, the month's folder gone or
    still holding the others. Such a staging folder holds the only copy of
    archived committees: it is completed in 0.1.0's own order (the month, if
    still there, becoming one more earlier version), never removed. A
    staging folder without earlier versions holds only a snapshot never
    filed: the sweep removes it.
    """
    completed = []
    for staging in sorted(p for p in root.iterdir() if p.is_dir() and PREPARED_MARK in p.name):
        month = staging.name[1:].split(PREPARED_MARK)[0]
        if not MONTH_PATTERN.match(month) or not any(
                p.name.startswith(SUPERSEDED_PREFIX) for p in staging.iterdir()):
            continue
        final = root / month
        if final.exists():
            for older in sorted(final.glob(SUPERSEDED_PREFIX + "*")):
                durable.rename(older, staging / older.name)
            name = f"{SUPERSEDED_PREFIX}{utc_stamp(datetime.now().astimezone())}-reprise"
            durable.rename(final, staging / name)
        durable.rename(staging, final)
        durable.sync_folder(root)
        completed.append(month)
    return tuple(completed)
