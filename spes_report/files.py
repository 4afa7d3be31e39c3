"""File writing that never loses what was there: prepared files, atomic replacement, dated copies.

A new file's content is first written and synced under a hidden prepared
name beside it (``.<name>.en-cours-<id>``), then renamed into place in one
step: a reader, or a crash, sees the old file or the new one, never half. A
command interrupted in between leaves only a prepared file, which the next
command removes (journal.sweep). Every disk change goes through durable.py.
"""

from __future__ import annotations

import contextlib
import os
import re
from datetime import UTC, datetime
from pathlib import Path

from . import durable

PREPARED_MARK = ".en-cours-"
# What an earlier version (0.1.0) left when interrupted: mkstemp's temporary
# files, ".SPES_COPIL_2020-06-01.xlsx.k3j4_x9a.tmp".
_LEGACY_TEMPORARY = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


def new_token() -> str:
    """A random tag that keeps two prepared names apart."""
    return os.urandom(4).hex()


def prepared_path(target: Path, token: str) -> Path:
    """Where ``target``'s new content is prepared: ``.<name>.en-cours-<token>`` beside it."""
    return target.with_name(f".{target.name}{PREPARED_MARK}{token}")


def is_prepared(path: Path) -> bool:
    """A file or folder a command prepared (or an earlier version's temporary file)."""
    name = path.name
    return name.startswith(".") and (PREPARED_MARK in name or bool(_LEGACY_TEMPORARY.match(name)))


def write_prepared(target: Path, content: bytes, token: str, mode: int | None = None) -> Path:
    """Write ``content`` durably under ``target``'s prepared name; return that path."""
    path = prepared_path(target, token)
    durable.write_new(path, content, mode)
    return path


def mode_for(path: Path) -> int:
    """The permissions a new version of ``path`` gets: those it has, or the usual ones."""
    return path.stat().st_mode & 0o777 if path.is_file() else durable.new_file_mode()


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` so that a reader, or a crash, never sees half a file.

    The file keeps its permissions, or gets the usual ones if it is new. On
    failure ``path`` is as it was and the prepared copy is removed.
    """
    prepared = write_prepared(path, content, new_token(), mode_for(path))
    try:
        durable.rename(prepared, path)
    except BaseException:
        durable.remove(prepared)
        raise
    # The file is in place: a failure to sync its folder cannot undo that.
    with contextlib.suppress(OSError):
        durable.sync_folder(path.parent)


def utc_stamp(moment: datetime | None = None) -> str:
    """``2026-11-30-013224Z``: a moment in UTC for a file or folder name (no colon,
    which Windows refuses; the Z says UTC, so that two time zones never disagree)."""
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return f"{moment:%Y-%m-%d-%H%M%S}Z"


def utc_timestamp(moment: datetime | None = None) -> str:
    """``2026-11-30T01:32:24Z``: a moment in UTC, for a manifest."""
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}Z"


def dated_name(path: Path, label: str, moment: datetime | None = None, counter: int = 1) -> Path:
    """``input.sauvegarde-2026-11-29-093012Z.xlsx``, with ``-2``, ``-3``… when taken."""
    extra = "" if counter == 1 else f"-{counter}"
    return path.with_name(f"{path.stem}.{label}-{utc_stamp(moment)}{extra}{path.suffix}")


def free_dated_name(path: Path, label: str, moment: datetime | None = None) -> Path:
    """The first ``dated_name`` of ``path`` that no file uses yet."""
    counter = 1
    while (candidate := dated_name(path, label, moment, counter)).exists():
        counter += 1
    return candidate


def keep_dated_copy(path: Path, label: str, moment: datetime | None = None) -> Path:
    """Copy ``path`` beside itself under a dated name that no earlier copy uses.

    The copy is prepared and renamed into place: it is whole, or not there.
    """
    data = path.read_bytes()
    while True:
        candidate = free_dated_name(path, label, moment)
        prepared = write_prepared(candidate, data, new_token(), mode_for(path))
        if not candidate.exists():  # os.replace would overwrite one made meanwhile
            durable.rename(prepared, candidate)
            durable.sync_folder(path.parent)
            return candidate
        durable.remove(prepared)
