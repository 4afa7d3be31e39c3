"""The jobs behind the commands: check an input, build and file the month's workbook."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from .archive import (
    Filing,
    SkippedMonth,
    Snapshot,
    archive_root,
    definitions_sha256,
    file_snapshot,
    load_history,
)
from .builder import DEFAULT_TOLERANCE_POINTS, resolve_report_date
from .definitions import load_definitions
from .files import keep_dated_copy, staged
from .loader import LoadedInput, load_input
from .locking import output_lock
from .model import Definitions, Report
from .naming import DEFAULT_INPUT, DEFAULT_OUTPUT_DIR, REPLACED_LABEL, workbook_name
from .problems import InputError, Problem, ToolError


class OutputIsFolderError(ToolError):
    """Something other than a file (a folder) stands where the workbook goes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} is not a file")


@dataclass(frozen=True)
class BuildResult:
    workbook: Path
    report: Report
    # The earlier workbook of the same name, kept because its content differed.
    replaced: Path | None
    # The month's snapshot in the archive (None with --no-archive).
    filing: Filing | None = None
    # Archived months left out of the history: their manifest could not be read.
    skipped: tuple[SkippedMonth, ...] = ()


def check(input_path: Path, definitions: Definitions | None = None,
          report_date: date | None = None) -> LoadedInput:
    """Load ``input_path``; raise InputError with every problem ``build`` would meet.

    A missing file, a folder, an unreadable or wrong kind of file are the
    loader's to name (filekind.py), for library callers too.
    """
    loaded = load_input(input_path, definitions or load_definitions())
    report_day(loaded, report_date)
    return loaded


def report_day(loaded: LoadedInput, requested: date | None) -> date:
    """The date to report on (builder.resolve_report_date), or the problem saying why none."""
    day = resolve_report_date(requested, loaded.data)
    if day is None:
        raise InputError([Problem(
            "no-report-date", loaded.date_place, "", "une date du comité ou au moins un taux",
            "impossible de savoir pour quelle date faire le rapport : renseignez la date du "
            "comité, ou utilisez l'option --date",
        )])
    return day


def build(
    input_path: Path = DEFAULT_INPUT,
    output_dir: Path = DEFAULT_OUTPUT_DIR,
    report_date: date | None = None,
    tolerance_points: float = DEFAULT_TOLERANCE_POINTS,
    now: datetime | None = None,
    definitions: Definitions | None = None,
    archive: bool = True,
    replace: bool = False,
) -> BuildResult:
    """Read the input, build the report and write ``SPES_COPIL_<date>.xlsx``.

    ``definitions`` defaults to the missions embedded in the package. The
    archived earlier months give the history; unless ``archive`` is false the
    month is then filed in ``<output_dir>/archive`` (archive.file_snapshot,
    which refuses a different snapshot of the month unless ``replace``).
    """
    from .compose import compose

    definitions = definitions or load_definitions()
    loaded = check(input_path, definitions, report_date)
    day = report_day(loaded, report_date)
    root = archive_root(output_dir)
    history = load_history(root, day)
    composed = compose(definitions, loaded, day, tolerance_points, history.committees)
    report, content = composed.report, composed.workbook
    target = output_dir / workbook_name(day)
    output_dir.mkdir(parents=True, exist_ok=True)
    if target.exists() and not target.is_file():
        raise OutputIsFolderError(target)
    # One build at a time for this workbook: a second one waits (locking.py).
    # The workbook's bytes are written first, under a temporary name: a full disk
    # stops the build before the archive is touched. Then the archive, which may
    # refuse the month; only then is the workbook put in place.
    with output_lock(target), staged(target, content) as put_in_place:
        filing = None
        if archive:
            filing = file_snapshot(root, Snapshot(
                report, loaded.data.measurements, input_path.name,
                loaded.content, target.name, content,
                definitions_sha256(definitions),
            ), now or datetime.now(), replace)
        replaced = None
        if not target.exists() or target.read_bytes() != content:
            # A rebuild never loses the earlier workbook: it is copied aside first.
            replaced = keep_dated_copy(target, REPLACED_LABEL, now) if target.exists() else None
            try:
                put_in_place()
            except BaseException:
                # The workbook was left as it was: its copy would only be litter.
                if replaced is not None:
                    replaced.unlink(missing_ok=True)
                raise
    return BuildResult(target, report, replaced, filing, history.skipped)
