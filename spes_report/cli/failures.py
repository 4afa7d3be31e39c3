"""Domain errors turned into click's exceptions, in one place: French lines, an exit status."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import click

# Exit statuses, documented in the README.
EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class Failure(click.ClickException):
    """A refusal the user can act on: its French lines go to the error stream as they are."""

    exit_code = EXIT_INPUT

    def __init__(self, lines: str | Sequence[str]) -> None:
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        super().__init__("\n".join(self.lines))

    def show(self, file: IO[Any] | None = None) -> None:
        for line in self.lines:
            click.echo(line, err=file is None, file=file)


class InternalFailure(Failure):
    """The tool's installation lacks something it relies on: not the user's doing."""

    exit_code = EXIT_INTERNAL


def failure_for(error: Exception) -> Failure | None:
    """The Failure that says ``error`` to the user; None for an error we did not foresee."""
    from ..archive import AlreadyArchivedError, ArchivePathError, UnfinishedChangeError
    from ..journal import JournalError
    from ..locking import OutputBusyError
    from ..pipeline import NoSpaceError, OutputIsFolderError
    from ..problems import InputError, InstallationError, ToolError, disk_full, os_error_text
    from ..writers.cells import WorkbookWriteError
    from . import messages

    if isinstance(error, InputError):
        return Failure(messages.input_problem_lines(error.problems, None))
    if isinstance(error, AlreadyArchivedError):
        return Failure(messages.already_archived_text(error))
    if isinstance(error, OutputBusyError):
        return Failure(messages.busy_text(error))
    if isinstance(error, OutputIsFolderError):
        return Failure(messages.folder_in_place_text(error.path))
    if isinstance(error, ArchivePathError):
        return Failure(messages.archive_path_text(error.path))
    if isinstance(error, NoSpaceError):
        return Failure(messages.no_space_text(error.folder, error.needed, error.free))
    if isinstance(error, WorkbookWriteError):
        return Failure(messages.workbook_write_text(error.place, error.code))
    if isinstance(error, UnfinishedChangeError):
        return Failure(messages.unfinished_text(error))
    if isinstance(error, JournalError):
        return Failure(messages.journal_text(error.path))
    if isinstance(error, InstallationError):
        return InternalFailure(str(error))
    if isinstance(error, ToolError):
        # Any other failure that carries its own French message.
        return Failure(str(error))
    if isinstance(error, BrokenPipeError):
        return None  # the reader of our output went away: entry.py ends quietly
    if isinstance(error, OSError):
        # A file the system would not let us read or write: the user can act on it.
        if disk_full(error):
            return Failure(messages.disk_full_text(
                Path(error.filename) if error.filename else None))
        return Failure(os_error_text(error))
    return None
