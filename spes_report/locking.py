"""One command at a time in an outputs folder: a lock file in it, released even by a crash.

Every command that writes outputs/ (build, email and the sending it notes)
or reads its archive (archive list, archive verify, a build's history) holds
this lock while it works, so that a reader never sees a month half filed and
two writers never interleave. Reading a year of archive takes seconds and a
build about one: a command that finds the lock taken waits for it (a minute
by default) rather than failing.

The lock is filelock's: fcntl on Linux and macOS, msvcrt on Windows, released
by the system when the process ends, however it ends.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import filelock

from .problems import ToolError

LOCK_NAME = ".spes-report.lock"
# A build takes about a second: a second command started at the same moment
# waits for the first rather than failing; only a stuck one makes it give up.
DEFAULT_WAIT_SECONDS = 60.0


class OutputBusyError(ToolError):
    """Another command held the lock on ``folder`` longer than ``seconds``."""

    def __init__(self, folder: Path, lock: Path, seconds: float) -> None:
        self.folder = folder
        self.lock = lock
        self.seconds = seconds
        super().__init__(f"{folder} busy (lock {lock}, waited {seconds:g} s)")


def lock_path(folder: Path) -> Path:
    """``outputs/.spes-report.lock``."""
    return folder / LOCK_NAME


@contextlib.contextmanager
def outputs_lock(folder: Path, wait_seconds: float | None = None) -> Iterator[None]:
    """Hold the lock of the outputs ``folder`` (created if need be) while the block runs.

    Waits at most ``wait_seconds`` (default DEFAULT_WAIT_SECONDS) for another
    holder, then raises OutputBusyError. Re-entrant within a process: the
    command line holds it across a build and its email, which take it again.
    """
    wait_seconds = DEFAULT_WAIT_SECONDS if wait_seconds is None else wait_seconds
    folder.mkdir(parents=True, exist_ok=True)
    path = lock_path(folder)
    lock = filelock.FileLock(path, is_singleton=True)
    try:
        lock.acquire(timeout=wait_seconds)
    except filelock.Timeout:
        raise OutputBusyError(folder, path, wait_seconds) from None
    try:
        yield
    finally:
        lock.release()
