"""One command at a time in an outputs folder: a lock file in it, released even by a crash.

Every command that writes outputs/ (build, email and the sending it notes)
or reads its archive (archive list, archive verify, a build's history) holds
this lock while it works, so that a reader never sees a month half filed and
two writers never interleave. Reading a year of archive takes seconds and a
build about one: a command that finds the lock taken waits for it (a minute
by default) rather than failing.

The lock is the system's: ``flock`` on Linux and macOS, ``msvcrt.locking`` on
Windows, released by the system when the process ends, however it ends.
Written here rather than taken from the filelock library: measured with
callgrind, importing filelock cost 59 million instructions per command
(three quarters of what the crash-consistency work added to a build, and
enough to break bench.py's startup target), for twenty lines of code.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from .problems import ToolError

LOCK_NAME = ".spes-report.lock"
# A build takes about a second: a second command started at the same moment
# waits for the first rather than failing; only a stuck one makes it give up.
DEFAULT_WAIT_SECONDS = 60.0
POLL_SECONDS = 0.05

# Locks this thread holds, by path, with how many times it entered them: the
# command line holds the lock across a build and its email, which take it again.
_held = threading.local()


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
    holder, another process or another thread, then raises OutputBusyError.
    Re-entrant within a thread.
    """
    wait_seconds = DEFAULT_WAIT_SECONDS if wait_seconds is None else wait_seconds
    folder.mkdir(parents=True, exist_ok=True)
    path = lock_path(folder)
    key = os.path.abspath(path)
    entered: dict[str, int] = _held.__dict__.setdefault("entered", {})
    if entered.get(key):
        entered[key] += 1
        try:
            yield
        finally:
            entered[key] -= 1
        return
    fd = _acquire(folder, path, wait_seconds)
    entered[key] = 1
    try:
        yield
    finally:
        del entered[key]
        # Removed while still held, so that nobody can lock a file on its way out.
        with contextlib.suppress(OSError):
            path.unlink()
        _unlock(fd)
        os.close(fd)


def _acquire(folder: Path, path: Path, wait_seconds: float) -> int:
    """The descriptor of the lock file, locked; waits, then raises OutputBusyError.

    The lock file is removed on release: a waiter that had opened it before
    then finds another file in its place, and starts over.
    """
    deadline = time.monotonic() + wait_seconds
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        if _try_lock(fd):
            if _still_in_place(fd, path):
                return fd
            _unlock(fd)
        os.close(fd)
        if time.monotonic() >= deadline:
            raise OutputBusyError(folder, path, wait_seconds)
        time.sleep(POLL_SECONDS)


def _still_in_place(fd: int, path: Path) -> bool:
    try:
        on_disk = path.stat()
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (on_disk.st_dev, on_disk.st_ino)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
