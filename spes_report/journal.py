"""Changing outputs/ all or nothing: prepared files, a journal, renames, and recovery.

A command that changes outputs/ (a build filing its month and putting its
workbook in place) works in three steps, in the spirit of a database's
write-ahead journal:

1. prepare: every new file is written under a hidden ``.<name>.en-cours-<id>``
   name and synced; nothing the user sees has changed, and a failure (a full
   disk) removes what was prepared;
2. journal: the list of renames that will make the change is written to
   ``outputs/.spes-report-journal.json`` and synced, before the first rename;
3. renames: each one atomic; then the journal is removed.

After an interruption at any point, the next command (holding the outputs
lock, archive.recovery) calls ``finish``: with a journal, it carries out the
renames not yet done — everything they need was prepared and synced before
the journal was written, so the change can always be finished; then
``sweep`` removes what was prepared and never used, since nothing visible
had changed with it. Either way no hidden file
is left behind, and the outputs hold either the old state or the new one.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from . import durable
from .files import is_prepared, new_token, prepared_path, write_prepared

JOURNAL_NAME = ".spes-report-journal.json"
JOURNAL_FORMAT = 1


@dataclass(frozen=True)
class Move:
    """One rename of a change, as paths relative to the outputs folder."""

    source: str
    target: str


@dataclass(frozen=True)
class Change:
    """What a command changes in outputs/: renames in order, then prepared things to drop.

    ``about`` describes the change for the line recovery prints (plain data:
    the month, the workbook's name).
    """

    moves: tuple[Move, ...]
    discard: tuple[str, ...] = ()
    about: Mapping[str, str] = field(default_factory=dict)


def replacing(root: Path, target: str, prepared: str) -> tuple[tuple[Move, ...], tuple[str, ...]]:
    """The moves that put the prepared ``prepared`` in place of ``target``, and what to drop.

    An existing ``target`` first steps aside under a prepared name of its own
    (dropped once the change is made): renamed over, it could not be put
    back if the change had to be undone.
    """
    if not (root / target).exists():
        return (Move(prepared, target),), ()
    aside = prepared_path(Path(target), new_token()).as_posix()
    return (Move(target, aside), Move(prepared, target)), (aside,)


def apply(root: Path, change: Change) -> None:
    """Make ``change`` in ``root``: journal, renames, clean-up, journal removed.

    If anything fails before the last rename (the process still running, an
    error or Ctrl+C), the renames found made on disk are undone, the journal
    is removed, then the prepared files: the outputs are as they were, and
    the error is raised. Only if the undoing fails too does the journal stay,
    for the next command to finish the change. Once the last rename is made
    the change is done: a failure while cleaning up is left to the next
    command's sweep.
    """
    journal = root / JOURNAL_NAME
    prepared = [m.source for m in change.moves] + list(change.discard)
    if change.moves:
        if journal.exists():
            # Recovery runs first, under the same lock: an earlier change is never
            # overwritten (nor removed by this one's failure).
            raise JournalError(journal)
        try:
            _write_journal(root, change)
        except BaseException:
            if _forget(journal):
                drop(root, prepared)
            raise
        try:
            for move in change.moves:
                _rename(root, move)
        except BaseException:
            # Counted on disk: a rename may have been made just before the interruption.
            made = _first_not_done(root, list(change.moves))
            if _undo(root, change.moves[:made]) and _forget(journal):
                drop(root, prepared)
            raise
    with contextlib.suppress(OSError):
        drop(root, change.discard)
        if change.moves:
            _forget(journal)


def _forget(journal: Path) -> bool:
    """Remove the journal (first: what it lists may go only once it is gone); whether done."""
    try:
        durable.remove(journal)
        durable.sync_folder(journal.parent)
    except OSError:
        return False
    return True


def _write_journal(root: Path, change: Change) -> None:
    journal = root / JOURNAL_NAME
    record = {"format": JOURNAL_FORMAT, "about": dict(change.about),
              "moves": [[m.source, m.target] for m in change.moves],
              "discard": list(change.discard)}
    content = (json.dumps(record, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    prepared = write_prepared(journal, content, new_token())
    try:
        durable.rename(prepared, journal)
    except BaseException:
        with contextlib.suppress(OSError):
            durable.remove(prepared)
        raise
    durable.sync_folder(root)


def _rename(root: Path, move: Move) -> None:
    source, target = root / move.source, root / move.target
    durable.rename(source, target)
    durable.sync_folder(target.parent)
    if source.parent != target.parent:
        durable.sync_folder(source.parent)


def _undo(root: Path, made: tuple[Move, ...]) -> bool:
    """Rename back, latest first; False at the first that fails (the journal then stays)."""
    try:
        for move in reversed(made):
            durable.rename(root / move.target, root / move.source)
        durable.sync_folder(root)
    except OSError:
        return False
    return True


def drop(root: Path, names: Iterable[str]) -> None:
    """Remove the prepared files and folders among ``names`` (relative to ``root``).

    Any other name is left alone, and so is a prepared folder that holds
    folders: those were moved into it (a month's earlier versions), and may
    be the only copy of what they hold.
    """
    for name in names:
        path = root / name
        if not is_prepared(path):
            continue
        if path.is_dir() and not path.is_symlink():
            if any(child.is_dir() for child in path.iterdir()):
                continue
            durable.remove_tree(path)
        elif path.exists() or path.is_symlink():
            durable.remove(path)


# --- recovery ------------------------------------------------------------------------

@dataclass(frozen=True)
class Recovery:
    """What ``finish`` found: the change it finished, or the renames it could not make."""

    # The interrupted change, finished (its ``about``); None when there was none.
    finished: Mapping[str, str] | None = None
    # Renames of the journal that could not be made: the journal stays, nothing more is done.
    unfinished: tuple[Move, ...] = ()


class JournalError(ValueError):
    """The journal is there but cannot be used: the commands stop and say so."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"unusable journal {path}")


def has_journal(root: Path) -> bool:
    return (root / JOURNAL_NAME).exists()


def leftovers(folders: Iterable[Path]) -> list[Path]:
    """The prepared files and folders in ``folders``: what an interrupted command left."""
    return [p for folder in folders if folder.is_dir() for p in sorted(folder.iterdir())
            if is_prepared(p)]


def finish(root: Path) -> Recovery:
    """Carry out the renames of an interrupted change that are not done yet.

    Call it holding the outputs lock. Raises JournalError when the journal
    cannot be read. When a rename cannot be made, or something it would
    move is missing (the folder was changed by hand meanwhile), it stops
    there and says so: the journal stays, for a person to look at.
    """
    journal = root / JOURNAL_NAME
    if not journal.exists():
        return Recovery()
    about, moves = _read_journal(journal)
    remaining = moves[_first_not_done(root, moves):]
    # Every source was prepared and synced before the journal: one missing means a hand
    # went through the folder, and the renames would mix two states.
    if any(not (root / move.source).exists() for move in remaining):
        return Recovery(about, tuple(remaining))
    for index, move in enumerate(remaining):
        try:
            _rename(root, move)
        except OSError:
            # Stop there: the renames after it assume it was made.
            return Recovery(about, tuple(remaining[index:]))
    _forget(journal)
    return Recovery(about)


def sweep(root: Path, folders: Iterable[Path]) -> tuple[str, ...]:
    """Remove every prepared leftover in ``folders``; their names, relative to ``root``.

    Call it holding the outputs lock, after ``finish``: no command is then
    preparing anything, so whatever is prepared was left by an interrupted one.
    What cannot be removed now (a file another program holds open) is left
    for the next command, not reported as an error.
    """
    removed = []
    for path in leftovers(folders):
        try:
            drop(path.parent, [path.name])
        except OSError:
            continue
        if not path.exists():
            removed.append(path.relative_to(root).as_posix())
    return tuple(removed)


def _read_journal(journal: Path) -> tuple[dict[str, str], list[Move]]:
    try:
        record: Any = json.loads(journal.read_text(encoding="utf-8"))
        if record.get("format") != JOURNAL_FORMAT:
            raise ValueError("unknown journal format")
        moves = [Move(_inside(source), _inside(target)) for source, target in record["moves"]]
        about = {str(k): str(v) for k, v in record.get("about", {}).items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise JournalError(journal) from error
    return about, moves


def _inside(name: object) -> str:
    """A path of the journal, refused unless it stays inside the outputs folder."""
    path = PurePosixPath(str(name))
    if path.is_absolute() or ".." in path.parts or not path.parts or ":" in str(name):
        raise ValueError(f"path outside the outputs folder: {name}")
    return str(path)


def _first_not_done(root: Path, moves: list[Move]) -> int:
    """The index of the first rename still to make.

    Looked for from the end: a rename is done when its target is there and
    its source is gone. Renames run in order, so every one before the last
    done one is done too, even if a later one has since reused its source's
    name (a replaced month's folder takes the place it left). This relies on
    what the journal's renames move having been written and synced before
    the journal itself: an interruption never loses a source.
    """
    for index in range(len(moves) - 1, -1, -1):
        move = moves[index]
        if (root / move.target).exists() and not (root / move.source).exists():
            return index + 1
    return 0
