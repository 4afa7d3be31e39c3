"""The archive's folders and names: outputs/archive/<YYYY-MM>/, superseded and staging folders."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ..files import PREPARED_MARK

ARCHIVE_DIR = "archive"
MANIFEST_NAME = "manifest.json"
SUPERSEDED_PREFIX = "superseded-"
# The month's plan is kept as plan.xlsx or plan.toml, whatever it was called.
PLAN_STEM = "plan"
PLAN_SUFFIXES = (".xlsx", ".toml")
# A snapshot being filed lives in <root>/.<YYYY-MM>.en-cours-<random>/ (files.py).
STAGING_MARK = PREPARED_MARK
MONTH_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
MONTH_INPUT = re.compile(r"^\s*(?:(\d{4})-(\d{1,2})|(\d{1,2})/(\d{4}))\s*$")


def archive_root(output_dir: Path) -> Path:
    """Where the snapshots of builds written to ``output_dir`` live."""
    return Path(output_dir) / ARCHIVE_DIR


def month_name(report_date: date) -> str:
    """``2020-06``: the name of the month's folder."""
    return f"{report_date:%Y-%m}"


def month_folder(root: Path, report_date: date) -> Path:
    """The folder of the committee held on ``report_date``: ``<root>/2020-06``."""
    return root / month_name(report_date)


def month_folders(root: Path) -> list[Path]:
    """The archived months, oldest first."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and MONTH_PATTERN.match(p.name))


def misplaced(root: Path) -> list[Path]:
    """What stands where the archive or one of its months should be, but is no folder:
    a file ``outputs/archive``, or ``outputs/archive/2020-06``."""
    if root.exists() and not root.is_dir():
        return [root]
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if MONTH_PATTERN.match(p.name) and not p.is_dir())


def superseded_folders(month: Path) -> tuple[Path, ...]:
    """The earlier snapshots a month keeps, oldest first."""
    return tuple(sorted(p for p in month.glob(SUPERSEDED_PREFIX + "*") if p.is_dir()))


def staging_leftovers(root: Path) -> list[Path]:
    """Staging folders left by a build that was interrupted."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.name.startswith(".") and STAGING_MARK in p.name)


def stored_plan_name(suffix: str) -> str:
    """``plan.xlsx`` (or ``plan.toml``): the plan a month was built with, in its folder."""
    return f"{PLAN_STEM}{suffix}"


def stored_input_name(input_name: str, workbook_name: str) -> str:
    """The input keeps its name in the snapshot unless another file has it."""
    # Compared case-blind: Windows and macOS take Plan.xlsx and plan.xlsx for one file.
    taken = {n.casefold() for n in (workbook_name, MANIFEST_NAME,
                                    *(stored_plan_name(s) for s in PLAN_SUFFIXES))}
    if input_name.casefold() in taken or input_name.startswith(
            (SUPERSEDED_PREFIX, ".")):
        return f"saisie-{input_name.lstrip('.')}"
    return input_name


def parse_month(text: str) -> str | None:
    """``2020-06`` from ``2020-06``, ``06/2020`` or a date in that month; None if unreadable."""
    from ..parsing import parse_date

    found = MONTH_INPUT.match(text)
    if found:
        year, month = (found[1], found[2]) if found[1] else (found[4], found[3])
        return f"{int(year):04d}-{int(month):02d}" if 1 <= int(month) <= 12 else None
    parsed = parse_date(text)
    return month_name(parsed) if isinstance(parsed, date) else None
