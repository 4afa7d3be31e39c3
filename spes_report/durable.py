"""Every change the tool makes on disk, one primitive at a time, each made durable.

Writing a file, syncing it, renaming, removing, creating a folder: all of
outputs/ is changed through these functions and nothing else, so that
(1) the order of what reaches the disk is the one the code says (a file is
synced before it is renamed into place, a folder after its entries change),
and (2) a test can stop the tool at any one of them, as a power cut or a kill
would, or make it fail as a full disk would (``interrupted_at``). That is how
tests/test_scenario_crash.py proves that an interrupted command never loses a month.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

# A test's hook, called before each primitive with its kind and path, and right
# after it with the kind marked DONE: it may raise (a simulated failure, or
# Ctrl+C just as a rename returns) or end the process (a simulated crash).
Hook = Callable[[str, Path], None]
_hook: Hook | None = None

# The kinds of primitive, as the hook sees them.
WRITE, SYNC, RENAME, REMOVE, MKDIR = "write", "sync", "rename", "remove", "mkdir"
DONE = ":done"


@contextlib.contextmanager
def hooked(hook: Hook) -> Iterator[None]:
    """Call ``hook(kind, path)`` before every primitive while inside (tests only)."""
    global _hook
    previous, _hook = _hook, hook
    try:
        yield
    finally:
        _hook = previous


def _point(kind: str, path: Path) -> None:
    if _hook is not None:
        _hook(kind, path)


def _done(kind: str, path: Path) -> None:
    if _hook is not None:
        _hook(kind + DONE, path)


def write_new(path: Path, content: bytes, mode: int | None = None) -> None:
    """Create ``path`` (it must not exist) with ``content``, synced to the disk."""
    _point(WRITE, path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o666 if mode is None else mode)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(content)
            stream.flush()
            _point(SYNC, path)
            os.fsync(stream.fileno())
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(path)
        if isinstance(error, OSError) and error.filename is None:
            # write() and fsync() name no file: say which one, for the message.
            raise OSError(error.errno, error.strerror, str(path)) from error
        raise
    if mode is not None:
        # The umask may have narrowed the mode asked for at creation.
        os.chmod(path, mode)
    _done(WRITE, path)


def rename(source: Path, target: Path) -> None:
    """Rename a file or folder; a file ``target`` is replaced in one step."""
    _point(RENAME, target)
    os.replace(source, target)
    _done(RENAME, target)


def remove(path: Path) -> None:
    """Remove a file if it is there."""
    _point(REMOVE, path)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    _done(REMOVE, path)


def remove_tree(path: Path) -> None:
    """Remove a folder and everything in it, if it is there."""
    _point(REMOVE, path)
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(path)
    _done(REMOVE, path)


def make_folder(path: Path) -> None:
    """Create a folder (its parent must exist); no error if it is there."""
    _point(MKDIR, path)
    with contextlib.suppress(FileExistsError):
        os.mkdir(path)
    _done(MKDIR, path)


def sync_folder(path: Path) -> None:
    """Make a folder's entries (names created, renamed, removed) durable.

    POSIX needs the folder itself synced for a rename to survive a power cut;
    Windows offers no way to open a folder for that (NTFS journals its
    metadata), so there it does nothing.
    """
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        return
    _point(SYNC, path)
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    _done(SYNC, path)


def new_file_mode() -> int:
    """The permissions a new file gets from the user's umask (0o644 with the usual 022)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
