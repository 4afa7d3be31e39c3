"""Where a build reads and writes by default, and what its files are called."""

from __future__ import annotations

from datetime import date
from pathlib import Path

DEFAULT_INPUT = Path("inputs/input.xlsx")
DEFAULT_OUTPUT_DIR = Path("outputs")
# The word in the name of an earlier workbook kept aside: SPES_COPIL_<date>.remplace-<time>.xlsx
REPLACED_LABEL = "remplace"


def workbook_name(day: date) -> str:
    """``SPES_COPIL_2020-06-01.xlsx``: the committee's workbook."""
    return f"SPES_COPIL_{day:%Y-%m-%d}.xlsx"


def pdf_name(workbook: Path) -> str:
    """``SPES_COPIL_2020-06-01.pdf``: the workbook printed, beside it and in the archive."""
    return workbook.with_suffix(".pdf").name


def eml_name(workbook: Path) -> str:
    """``SPES_COPIL_2020-06-01.eml`` beside ``SPES_COPIL_2020-06-01.xlsx``."""
    return workbook.with_suffix(".eml").name


# How the console, the workbook, problems and the archive name the plan
# embedded in the tool (used when no plan file is given or found).
EMBEDDED_PLAN_LABEL = "plan intégré à l'outil"
