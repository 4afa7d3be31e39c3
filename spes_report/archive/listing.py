"""The archived months as found on disk, with the figures each committee was shown."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

from ..model import SUMMARY_STATUSES, Status
from .diff import plan_content
from .layout import month_folders, superseded_folders
from .manifest import manifest_or_error


@dataclass(frozen=True)
class ArchivedMonth:
    """One month's folder: its committee's figures, or why its manifest is unreadable."""

    folder: Path
    superseded: tuple[Path, ...]
    report_date: date | None = None
    status_counts: tuple[tuple[Status, int], ...] = ()
    average_actual: float | None = None
    error: Exception | None = None
    # The plan's title and SHA-256 (a month filed by 0.1.0 has no title: its plan
    # was the one embedded in that version).
    plan_title: str | None = None
    plan_sha256: str = ""
    # What its committee saw of the plan (diff.plan_content), and whether that differs
    # from the previous month's: a plan saved again, or renamed, is the same plan.
    plan_content: Any = None
    plan_changed: bool = False

    @property
    def name(self) -> str:
        return self.folder.name


def archived_months(root: Path) -> list[ArchivedMonth]:
    """Every archived month, oldest first."""
    months: list[ArchivedMonth] = []
    for folder in month_folders(root):
        superseded = superseded_folders(folder)
        manifest, error = manifest_or_error(folder)
        if manifest is None:
            months.append(ArchivedMonth(folder, superseded, error=error))
            continue
        # read_manifest checked the manifest's shape: these keys are there, well typed.
        summary = manifest["summary"]
        average = summary["average_actual"]
        months.append(ArchivedMonth(
            folder, superseded,
            report_date=date.fromisoformat(manifest["report_date"]),
            status_counts=tuple((status, int(summary["status_counts"].get(status.value, 0)))
                                for status in SUMMARY_STATUSES),
            average_actual=None if average is None else float(average),
            plan_title=manifest["plan"]["title"] if "plan" in manifest else None,
            plan_sha256=(manifest["plan"]["sha256"] if "plan" in manifest
                         else str(manifest["definitions_sha256"])),
            plan_content=plan_content(manifest),
        ))
    readable = [m for m in months if m.report_date is not None]
    changed = {after.folder for before, after in pairwise(readable)
               if before.plan_content != after.plan_content}
    return [dataclasses.replace(m, plan_changed=m.folder in changed) for m in months]
