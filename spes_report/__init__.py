"""spes-report: the SPES monthly steering workbook, built from one input file.

The library is usable without the command line::

    from spes_report import load_definitions, load_input, build_report, write_workbook

Heavy libraries (openpyxl, xlsxwriter) are imported only by the functions that
need them, so that importing this package stays cheap.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .builder import DEFAULT_TOLERANCE_POINTS, build_report
from .definitions import load_definitions
from .model import (
    Definitions,
    InputData,
    Measurement,
    Milestone,
    Mission,
    MissionStatus,
    Notes,
    Report,
    SourceInfo,
    Status,
    TimelineRow,
)
from .problems import InputError, Problem

if TYPE_CHECKING:
    from .loader import LoadedInput

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_TOLERANCE_POINTS",
    "Definitions",
    "InputData",
    "InputError",
    "Measurement",
    "Milestone",
    "Mission",
    "MissionStatus",
    "Notes",
    "Problem",
    "Report",
    "SourceInfo",
    "Status",
    "TimelineRow",
    "__version__",
    "build_report",
    "load_definitions",
    "load_input",
    "write_workbook",
]


def load_input(path: Path, definitions: Definitions) -> LoadedInput:
    """Read an input workbook; raises InputError listing every problem found."""
    from .loader import load_input as _load_input

    return _load_input(path, definitions)


def write_workbook(report: Report, definitions: Definitions, path: Path) -> Path:
    """Write the steering workbook for ``report`` to ``path`` (atomically)."""
    from .writers.workbook import write_workbook as _write_workbook

    return _write_workbook(report, definitions, path)
