"""One build at a time per output file (and one change at a time per archived month):
a lock file beside it, released even by a crash."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from .problems import ToolError

# A build takes about a second: a second build started at the same moment
# waits for the first rather than failing; only a stuck one makes it give up.
DEFAULT_WAIT_SECONDS = 60.0
POLL_SECONDS = 0.1


class OutputBusyError(ToolError):
    """Another command held the lock on ``subject`` longer than ``seconds``.

    ``kind`` says what the lock guards: a workbook being built, or a month of
    the archive being changed. The CLI's messages say it in French.
    """

    def __init__(self, kind: Literal["workbook", "month"], subject: Path, lock: Path,
                 seconds: float) -> None:
        self.kind = kind
        self.subject = subject
        self.lock = lock
        self.seconds = seconds
        super().__init__(f"{kind} {subject} busy (lock {lock}, waited {seconds:g} s)")


def lock_path(target: Path) -> Path:
    """``outputs/.SPES_COPIL_2020-06-01.xlsx.lock``: hidden, beside the output."""
    return target.with_name(f".{target.name}.lock")


@contextlib.contextmanager
def output_lock(target: Path, wait_seconds: float | None = None) -> Iterator[None]:
    """Hold the lock for ``target`` while the block runs, waiting for another holder
    at most ``wait_seconds`` (default DEFAULT_WAIT_SECONDS)."""
    with exclusive(lock_path(target), "workbook", target, wait_seconds):
        yield


@contextlib.contextmanager
def exclusive(path: Path, kind: Literal["workbook", "month"], subject: Path,
              wait_seconds: float | None = None) -> Iterator[None]:
    """Hold the lock file ``path`` while the block runs, waiting for another holder
    at most ``wait_seconds`` (default DEFAULT_WAIT_SECONDS); then raise
    OutputBusyError about ``subject``, a ``kind`` of thing.

    The operating system releases the lock when its process ends, however it
    ends, so a crash never leaves a build blocked. The lock file is removed on
    release; a waiter that had opened it before then notices and starts over.
    """
    wait_seconds = DEFAULT_WAIT_SECONDS if wait_seconds is None else wait_seconds
    deadline = time.monotonic() + wait_seconds
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        if _try_lock(fd):
            if _still_in_place(fd, path):
                break
            os.close(fd)  # removed by the previous holder while we waited: retry
            continue
        os.close(fd)
        if time.monotonic() >= deadline:
            raise OutputBusyError(kind, subject, path, wait_seconds)
        time.sleep(POLL_SECONDS)
    try:
        yield
    finally:
        # Removed while still held, so that nobody can lock a file on its way out.
        with contextlib.suppress(OSError):
            path.unlink()
        _unlock(fd)
        os.close(fd)


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
