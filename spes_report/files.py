"""File writing that never loses what was there: atomic replacement and dated copies."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` so that a reader, or a crash, never sees half a file."""
    with staged(path, content) as put_in_place:
        put_in_place()


@contextlib.contextmanager
def staged(path: Path, content: bytes) -> Iterator[Callable[[], None]]:
    """Write ``content`` durably beside ``path`` under a temporary name.

    Inside the block, calling the function it gives puts the file in place in
    one step. Leaving the block without calling it, or through an error,
    removes the temporary file: ``path`` is then exactly as it was. This lets
    a caller do other work that may fail (filing the archive) after the slow,
    failure-prone part (writing the bytes) and before anything is replaced.
    """
    # mkstemp makes the file private: give it the mode it had, or the usual one.
    mode = path.stat().st_mode & 0o777 if path.is_file() else new_file_mode()
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        yield lambda: os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def new_file_mode() -> int:
    """The permissions a new file gets from the user's umask (0o644 with the usual 022)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def dated_copy_name(path: Path, label: str, moment: datetime, counter: int = 1) -> Path:
    """``input.sauvegarde-2026-11-29-093012.xlsx``, with ``-2``, ``-3``… when taken."""
    extra = "" if counter == 1 else f"-{counter}"
    return path.with_name(f"{path.stem}.{label}-{moment:%Y-%m-%d-%H%M%S}{extra}{path.suffix}")


def keep_dated_copy(path: Path, label: str, moment: datetime | None = None) -> Path:
    """Copy ``path`` beside itself under a dated name that no earlier copy uses."""
    data = path.read_bytes()
    moment = moment or datetime.now()
    counter = 1
    while True:
        candidate = dated_copy_name(path, label, moment, counter)
        try:
            # "x" refuses to replace a copy made in the same second.
            with candidate.open("xb") as handle:
                handle.write(data)
        except FileExistsError:
            counter += 1
            continue
        return candidate
