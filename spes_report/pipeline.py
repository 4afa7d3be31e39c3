"""The jobs behind the commands: check an input, build the month's workbook."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from . import __version__
from .builder import DEFAULT_TOLERANCE_POINTS, build_report, resolve_report_date
from .definitions import load_definitions
from .files import keep_dated_copy
from .loader import LoadedInput, load_input
from .model import Definitions, Report, Status
from .problems import InputError, Problem

DEFAULT_INPUT = Path("inputs/input.xlsx")
DEFAULT_OUTPUT_DIR = Path("outputs")
# The word in the name of an earlier workbook kept aside: SPES_COPIL_<date>.remplace-<time>.xlsx
REPLACED_LABEL = "remplace"


@dataclass(frozen=True)
class BuildResult:
    workbook: Path
    report: Report
    # The earlier workbook of the same name, kept because its content differed.
    replaced: Path | None


def check(input_path: Path, definitions: Definitions | None = None) -> LoadedInput:
    """Load ``input_path``; raise InputError with every problem found."""
    definitions = definitions or load_definitions()
    if not input_path.exists():
        raise InputError([Problem("file-missing", str(input_path), "", "un fichier .xlsx",
                                  "ce fichier n'existe pas")])
    if input_path.is_dir():
        raise InputError([Problem("file-is-folder", str(input_path), "", "un fichier .xlsx",
                                  "c'est un dossier, pas un fichier")])
    return load_input(input_path, definitions)


def build(
    input_path: Path = DEFAULT_INPUT,
    output_dir: Path = DEFAULT_OUTPUT_DIR,
    report_date: date | None = None,
    tolerance_points: float = DEFAULT_TOLERANCE_POINTS,
    now: datetime | None = None,
    definitions: Definitions | None = None,
) -> BuildResult:
    """Read the input, build the report and write ``SPES_COPIL_<date>.xlsx``.

    ``definitions`` defaults to the missions embedded in the package.
    """
    from .writers.workbook import write_workbook

    definitions = definitions or load_definitions()
    loaded = check(input_path, definitions)
    day = resolve_report_date(report_date, loaded.data)
    if day is None:
        raise InputError([Problem(
            "no-report-date", f"{loaded.sheet}!B3", "", "une date du comité ou au moins un taux",
            "impossible de savoir pour quelle date faire le rapport : renseignez la date du "
            "comité, ou utilisez l'option --date",
        )])
    report = build_report(
        definitions, loaded.data, day, tolerance_points, loaded.source, __version__
    )
    output_dir.mkdir(parents=True, exist_ok=True)
    target = output_dir / workbook_name(day)
    # A rebuild never loses the earlier workbook: it is copied aside first.
    replaced = keep_dated_copy(target, REPLACED_LABEL, now) if target.exists() else None
    write_workbook(report, definitions, target)
    if replaced is not None and replaced.read_bytes() == target.read_bytes():
        replaced.unlink()  # same content: nothing to keep
        replaced = None
    return BuildResult(target, report, replaced)


def workbook_name(day: date) -> str:
    return f"SPES_COPIL_{day:%Y-%m-%d}.xlsx"


def summary_line(report: Report) -> str:
    """`8 missions : 5 conformes, 2 en vigilance, 1 en alerte`."""
    wording = {
        Status.CONFORME: ("conforme", "conformes"),
        Status.VIGILANCE: ("en vigilance", "en vigilance"),
        Status.ALERTE: ("en alerte", "en alerte"),
        Status.NON_RENSEIGNE: ("non renseignée", "non renseignées"),
        Status.SANS_CIBLE: ("sans cible", "sans cible"),
    }
    parts = [
        f"{count} {wording[status][count > 1]}"
        for status, count in report.status_counts
        if count
    ]
    total = len(report.missions)
    return f"{total} mission{'s' if total > 1 else ''} : {', '.join(parts)}"
