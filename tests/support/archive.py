"""For the archive tests: the inputs staff type month after month, and manifests edited by hand.

The fixtures that build these months into an archive (``inputs``, ``out``,
``three_months``, ``june_only``) are in tests/conftest.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from spes_report import load_plan
from spes_report.archive.manifest import read_manifest, write_manifest
from spes_report.writers.template import write_template
from support import FIXTURES

MAY, JUNE, JULY, SEPTEMBER = load_plan().milestone_dates
BUILT = datetime(2020, 7, 2, 9, 30, 0)
# The outputs/ folder of three builds by spes-report 0.1.0 (tests/fixtures/README.md).
ARCHIVE_0_1_0 = FIXTURES / "archive_0.1.0"
# An archive sealed by the development version before plans were archived (fixtures/README.md).
ARCHIVE_SEALED = FIXTURES / "archive_sealed"

# Rates per mission at each échéance, as staff type them month after month.
RATES = {
    MAY: [0.70, 0.65, 0.50, 0.72, 0.60, 0.70, 0.55, 0.40],
    JUNE: [0.86, 0.86, 0.55, 0.85, 0.70, 0.90, 0.62, 0.45],
    JULY: [0.90, 0.88, 0.65, 0.90, 0.80, 0.92, 0.70, 0.60],
}


def rates_until(day: date) -> dict[tuple[int, date], float]:
    return {(number, on): rate for on, rates in RATES.items() if on <= day
            for number, rate in enumerate(rates, start=1)}


def make_month(folder: Path, day: date, name: str,
               rates: dict[tuple[int, date], float] | None = None) -> Path:
    """The input template filled for the committee of ``day`` (by default with RATES)."""
    path = folder / name
    write_template(path, load_plan(), committee_date=day,
                   rates=rates_until(day) if rates is None else rates)
    return path


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def edit_manifest(folder: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """The month's manifest.json rewritten after ``change``, as someone editing it would."""
    manifest = read_manifest(folder)
    change(manifest)
    write_manifest(folder, manifest)


def set_key(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda manifest: manifest.update({key: value})


def drop_key(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda manifest: manifest.pop(key)
