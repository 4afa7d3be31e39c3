"""The archive of committees: one snapshot per month under outputs/archive/<YYYY-MM>/.

Its public surface, used by the build job, the mailing package and the CLI;
nobody outside this package builds archive paths or reads manifests by hand.

- layout: where months, superseded and staging folders are, and their names;
- manifest (+ shape): ``manifest.json`` written atomically, read back checked;
- filing: a month's snapshot prepared whole, and the renames that file it (--replace
  keeping the old one), made through the journal; later, the workbook's PDF;
- recovery: the outputs folder locked and repaired before any command works in it;
- diff: what differs between an archived snapshot and a new build (records);
- history: the committees before a date, for the next build;
- listing, verification: ``archive list`` and ``archive verify``;
- sendings: a sending noted in its own committee's manifest.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# What every build needs, loaded with the package.
from .filing import (
    AlreadyArchivedError,
    ArchivePathError,
    Filing,
    MonthPdf,
    Outcome,
    PdfNotFiled,
    PreparedFiling,
    Snapshot,
    check_folders,
    month_pdf,
    prepare_filing,
    prepare_pdf_filing,
)
from .history import ExcludedMonth, History, load_history
from .layout import MANIFEST_NAME, SUPERSEDED_PREFIX, archive_root, month_folder, parse_month
from .recovery import Repair, UnfinishedChangeError, open_outputs
from .shape import ManifestError

# What only a refusal, a listing, a verification or a sending needs: loaded on first
# use (PEP 562), so that a build does not pay for it.
_LAZY = {
    **{name: "diff" for name in (
        "CommitteeChange", "DateChanged", "PlanChanged", "Difference", "Differences",
        "FreshnessChanged",
        "FiguresChanged", "HistoryChanged", "InputChanged", "RatesChanged", "ToleranceChanged",
        "ToolVersionChanged", "Unexplained")},
    "ArchivedMonth": "listing", "archived_months": "listing",
    "NotNoted": "sendings", "SendingNote": "sendings", "record_sending": "sendings",
    "FigureChange": "verification", "Recomputed": "verification",
    "Verification": "verification", "verify": "verification",
}

if TYPE_CHECKING:
    from .diff import (
        CommitteeChange,
        DateChanged,
        Difference,
        Differences,
        FiguresChanged,
        FreshnessChanged,
        HistoryChanged,
        InputChanged,
        PlanChanged,
        RatesChanged,
        ToleranceChanged,
        ToolVersionChanged,
        Unexplained,
    )
    from .listing import ArchivedMonth, archived_months
    from .sendings import NotNoted, SendingNote, record_sending
    from .verification import FigureChange, Recomputed, Verification, verify


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'spes_report.archive' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "MANIFEST_NAME",
    "SUPERSEDED_PREFIX",
    "AlreadyArchivedError",
    "ArchivePathError",
    "ArchivedMonth",
    "CommitteeChange",
    "DateChanged",
    "Difference",
    "Differences",
    "ExcludedMonth",
    "FigureChange",
    "FiguresChanged",
    "Filing",
    "FreshnessChanged",
    "History",
    "HistoryChanged",
    "InputChanged",
    "ManifestError",
    "MonthPdf",
    "NotNoted",
    "Outcome",
    "PdfNotFiled",
    "PlanChanged",
    "PreparedFiling",
    "RatesChanged",
    "Recomputed",
    "Repair",
    "SendingNote",
    "Snapshot",
    "ToleranceChanged",
    "ToolVersionChanged",
    "Unexplained",
    "UnfinishedChangeError",
    "Verification",
    "archive_root",
    "archived_months",
    "check_folders",
    "load_history",
    "month_folder",
    "month_pdf",
    "open_outputs",
    "parse_month",
    "prepare_filing",
    "prepare_pdf_filing",
    "record_sending",
    "verify",
]
