"""The committees archived before a date: the history a new build compares with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..model import PastCommittee
from .layout import month_folders, month_name
from .manifest import committee_from_manifest, read_manifest


@dataclass(frozen=True)
class SkippedMonth:
    """An archived month left out of the history: its manifest could not be read."""

    folder: Path
    error: Exception


@dataclass(frozen=True)
class History:
    committees: tuple[PastCommittee, ...]
    skipped: tuple[SkippedMonth, ...] = ()


def load_history(root: Path, report_date: date) -> History:
    """The committees archived for months before ``report_date``'s, oldest first.

    A month whose manifest cannot be read is left out (``skipped``): a damaged
    old snapshot must not stop this month's committee (``archive verify``
    reports it in full).
    """
    committees, skipped = [], []
    current = month_name(report_date)
    for folder in month_folders(root):
        if folder.name >= current:
            continue
        try:
            committee = committee_from_manifest(read_manifest(folder))
        except (OSError, ValueError, KeyError, TypeError) as error:
            skipped.append(SkippedMonth(folder, error))
            continue
        if committee.report_date < report_date:
            committees.append(committee)
    return History(tuple(sorted(committees, key=lambda c: c.report_date)), tuple(skipped))
