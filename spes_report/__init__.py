"""spes-report: the SPES monthly steering workbook, built from one input file.

The library is usable without the command line::

    from spes_report import (build_report, load_plan, load_input,
                             resolve_report_date, write_workbook)

Heavy libraries (openpyxl, xlsxwriter) are imported only by the functions that
need them, so that importing this package stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.3.0"

# Where each public name lives. They are imported on first use (PEP 562) so that
# `spes-report --help` does not pay for modules it does not need.
_PUBLIC = {
    "DEFAULT_TOLERANCE_POINTS": "builder",
    "build_report": "builder",
    "resolve_report_date": "builder",
    "load_plan": "plan",
    "load_input": "loader",
    "write_workbook": "writers.workbook",
    "InputError": "problems",
    "Problem": "problems",
    **{
        name: "model"
        for name in (
            "Correction", "Plan", "InputData", "Measurement", "Milestone", "Mission",
            "MissionStatus", "Notes", "PastCommittee", "Report", "SourceInfo", "Status",
            "TimelineRow",
        )
    },
}

__all__ = [
    "DEFAULT_TOLERANCE_POINTS",
    "Correction",
    "InputData",
    "InputError",
    "Measurement",
    "Milestone",
    "Mission",
    "MissionStatus",
    "Notes",
    "PastCommittee",
    "Plan",
    "Problem",
    "Report",
    "SourceInfo",
    "Status",
    "TimelineRow",
    "__version__",
    "build_report",
    "load_input",
    "load_plan",
    "resolve_report_date",
    "write_workbook",
]

if TYPE_CHECKING:
    from .builder import DEFAULT_TOLERANCE_POINTS, build_report, resolve_report_date
    from .loader import load_input
    from .model import (
        Correction,
        InputData,
        Measurement,
        Milestone,
        Mission,
        MissionStatus,
        Notes,
        PastCommittee,
        Plan,
        Report,
        SourceInfo,
        Status,
        TimelineRow,
    )
    from .plan import load_plan
    from .problems import InputError, Problem
    from .writers.workbook import write_workbook


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'spes_report' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_PUBLIC[name]}", __name__), name)
    globals()[name] = value
    return value
