"""The jobs behind the commands: check an input, build and file the month's workbook."""

from __future__ import annotations

import contextlib
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from . import journal
from .archive import (
    ArchivePathError,
    ExcludedMonth,
    Filing,
    MonthPdf,
    Repair,
    Snapshot,
    archive_root,
    load_history,
    month_pdf,
    open_outputs,
    prepare_filing,
    prepare_pdf_filing,
)
from .archive.manifest import sha256_bytes
from .archive.recovery import repair as repair_outputs
from .builder import DEFAULT_FRESHNESS_DAYS, DEFAULT_TOLERANCE_POINTS, resolve_report_date
from .files import free_dated_name, mode_for, new_token, utc_timestamp, write_prepared
from .loader import LoadedInput, load_input
from .model import Report
from .naming import DEFAULT_INPUT, DEFAULT_OUTPUT_DIR, REPLACED_LABEL, pdf_name, workbook_name
from .plan import LoadedPlan, read_plan
from .problems import InputError, Problem, ToolError

if TYPE_CHECKING:  # pdf.py (subprocess, tempfile) is loaded by a build that prints
    from .pdf import Settings

# Room kept free beyond what a build writes (the manifest, folder entries).
SPACE_MARGIN = 1024 * 1024


class OutputIsFolderError(ToolError):
    """Something other than a file (a folder) stands where the workbook goes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} is not a file")


class NoSpaceError(ToolError):
    """The disk holding ``folder`` has less free space than the build will write."""

    def __init__(self, folder: Path, needed: int, free: int) -> None:
        self.folder = folder
        self.needed = needed
        self.free = free
        super().__init__(f"{folder}: {needed} bytes needed, {free} free")


@dataclass(frozen=True)
class Printed:
    """The workbook's PDF, put beside it (build --pdf), and its place in the archive."""

    path: Path
    pages: int
    made_with: str
    # How long LibreOffice took; 0 when the PDF was taken from the archive.
    seconds: float
    # What the month's snapshot holds of it (None with --no-archive).
    month: MonthPdf | None
    # Filed in the month's snapshot by this build.
    filed: bool


@dataclass(frozen=True)
class BuildResult:
    workbook: Path
    report: Report
    # The earlier workbook of the same name, kept because its content differed.
    replaced: Path | None
    # The month's snapshot in the archive (None with --no-archive).
    filing: Filing | None = None
    # Archived months left out of the history: unreadable, or changed since filed.
    excluded: tuple[ExcludedMonth, ...] = ()
    # What was repaired of an earlier, interrupted command before this one.
    repair: Repair = field(default_factory=Repair)
    # The plan the report was built with.
    plan: LoadedPlan | None = None
    # What the input lacks of the plan (loader warnings): said, never blocking.
    warnings: tuple[Problem, ...] = ()
    # The PDF (build --pdf), or what stopped it once the workbook was in place: a
    # pdf.PdfError, or an OSError, NoSpaceError or JournalError while putting it in place.
    pdf: Printed | None = None
    pdf_error: Exception | None = None
    # The earlier PDF, kept aside with the earlier workbook it was printed from.
    replaced_pdf: Path | None = None


def check(input_path: Path, plan: LoadedPlan | None = None,
          report_date: date | None = None) -> LoadedInput:
    """Load ``input_path``; raise InputError with every problem ``build`` would meet.

    ``plan`` defaults to the plan embedded in the package (plan.read_plan).
    A missing file, a folder, an unreadable or wrong kind of file are the
    loader's to name (filekind.py), for library callers too.
    """
    plan = plan or read_plan()
    loaded = load_input(input_path, plan.plan, plan.source.file_name)
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
    plan: LoadedPlan | None = None,
    archive: bool = True,
    replace: bool = False,
    freshness_days: int = DEFAULT_FRESHNESS_DAYS,
    pdf: Settings | None = None,
) -> BuildResult:
    """Read the input, build the report and write ``SPES_COPIL_<date>.xlsx``.

    ``plan`` defaults to the plan embedded in the package. The
    archived earlier months give the history; unless ``archive`` is false the
    month is then filed in ``<output_dir>/archive`` (archive.prepare_filing,
    which refuses a different snapshot of the month unless ``replace``).

    With ``pdf``, the workbook in place is then printed to ``SPES_COPIL_<date>.pdf``
    beside it and filed with the month (``_print``): a second change of the
    outputs, so that a PDF that cannot be made leaves the workbook built. Its
    failure is in the result (``pdf_error``), not raised.
    """
    from .compose import compose

    plan = plan or read_plan()
    loaded = check(input_path, plan, report_date)
    day = report_day(loaded, report_date)
    target = output_dir / workbook_name(day)
    root = archive_root(output_dir)
    # One command at a time in the outputs folder, repaired first (archive.open_outputs).
    with open_outputs(output_dir) as repair:
        pdf_target = target.with_name(pdf_name(target))
        for path in (target, *((pdf_target,) if pdf is not None else ())):
            if path.exists() and not path.is_file():
                raise OutputIsFolderError(path)
        if root.exists() and not root.is_dir():
            raise ArchivePathError(root)
        history = load_history(root, day)
        composed = compose(plan, loaded, day, tolerance_points, history.committees,
                           excluded=[e.committee for e in history.excluded],
                           freshness_days=freshness_days)
        report, content = composed.report, composed.workbook
        _check_space(output_dir, 2 * len(content) + len(loaded.content) + len(plan.content)
                     if archive else len(content))
        moment = now or datetime.now().astimezone()
        token = new_token()
        # Everything new is written under prepared names first: a full disk or any
        # failure stops the build with nothing the user sees changed.
        prepared = write_prepared(target, content, token, mode_for(target))
        moves: list[journal.Move] = []
        discard: list[str] = []
        filing = None
        try:
            if archive:
                filed = prepare_filing(output_dir, Snapshot(
                    report, loaded.data.measurements, input_path.name,
                    loaded.content, target.name, content, plan,
                ), moment, token, replace)
                filing = filed.filing
                moves += filed.moves
                discard += filed.discard
            replaced = replaced_pdf = None
            if target.exists() and target.read_bytes() == content:
                discard.append(prepared.name)
            else:
                if target.exists():
                    # A rebuild never loses the earlier workbook: it moves aside first.
                    replaced = free_dated_name(target, REPLACED_LABEL, moment)
                    moves.append(journal.Move(target.name, replaced.name))
                if pdf_target.is_file():
                    # A PDF beside is always the print of the workbook beside it: the
                    # earlier one goes aside with its workbook.
                    replaced_pdf = free_dated_name(pdf_target, REPLACED_LABEL, moment)
                    moves.append(journal.Move(pdf_target.name, replaced_pdf.name))
                moves.append(journal.Move(prepared.name, target.name))
        except BaseException:
            # Best effort: what cannot be removed now, the next command's sweep removes.
            with contextlib.suppress(OSError):
                journal.drop(output_dir, [prepared.name, *(m.source for m in moves), *discard])
            raise
        about = {"workbook": target.name}
        if filing is not None:
            about["month"] = filing.folder.name
        # The journal, then the renames: an interruption from here on is finished
        # by the next command (archive.open_outputs); a failure is undone.
        journal.apply(output_dir, journal.Change(tuple(moves), tuple(discard), about))
        printed, failed = None, None
        if pdf is not None:
            from .pdf import PdfError

            try:
                printed = _print(target, content, report.report_date, archive, pdf, moment)
            except (PdfError, NoSpaceError, OSError, journal.JournalError) as error:
                failed = error
    return BuildResult(target, report, replaced, filing, history.excluded, repair, plan,
                       loaded.warnings, printed, failed, replaced_pdf)


def _print(workbook: Path, content: bytes, day: date, archive: bool, settings: Settings,
           moment: datetime) -> Printed:
    """Print the workbook in place (``content``) and put its PDF beside it and, unless
    --no-archive, in the month's snapshot, in one change. Call it holding the outputs lock.

    A month that holds the PDF of this very workbook already gives it back:
    printed once, it stays the PDF of record (another print would differ in
    its bytes, if not in what it shows).
    """
    from .pdf import page_count, render

    output_dir = workbook.parent
    if journal.has_journal(output_dir):
        # The workbook's change is made, but its journal could not be removed (a full
        # disk): finished first, as the next command would (else JournalError).
        repair_outputs(output_dir)
    target = workbook.with_name(pdf_name(workbook))
    month = (month_pdf(archive_root(output_dir), day, sha256_bytes(content), target.name)
             if archive else None)
    if month is not None and month.archived is not None:
        printed = Printed(target, page_count(month.archived), month.made_with, 0.0, month,
                          filed=False)
        document = month.archived
    else:
        rendered = render(content, workbook.name, settings)
        printed = Printed(target, rendered.pages, rendered.made_with, rendered.seconds, month,
                          filed=month is not None and month.not_filed is None)
        document = rendered.content
    in_place = target.is_file() and target.read_bytes() == document
    if in_place and not printed.filed:
        return printed
    _check_space(output_dir, 2 * len(document))
    token = new_token()
    moves: tuple[journal.Move, ...] = ()
    discard: tuple[str, ...] = ()
    prepared = None
    if not in_place:
        prepared = write_prepared(target, document, token, mode_for(target))
        moves, discard = journal.replacing(output_dir, target.name, prepared.name)
    about = {"pdf": target.name}
    try:
        if printed.filed and month is not None:
            entry = {"workbook_sha256": sha256_bytes(content), "made_with": printed.made_with,
                     "made_at": utc_timestamp(moment), "pages": printed.pages}
            filed, dropped = prepare_pdf_filing(output_dir, month.folder, target.name, document,
                                                entry, token)
            moves, discard = (*moves, *filed), (*discard, *dropped)
            about["pdf_month"] = month.folder.name
    except BaseException:
        if prepared is not None:
            with contextlib.suppress(OSError):
                journal.drop(output_dir, [prepared.name])
        raise
    journal.apply(output_dir, journal.Change(moves, discard, about))
    return printed


def _check_space(folder: Path, size: int) -> None:
    """Refuse, before anything is written, a build the disk cannot hold."""
    needed = size + SPACE_MARGIN
    free = shutil.disk_usage(folder).free
    if free < needed:
        raise NoSpaceError(folder, needed, free)
