"""The archive of committees: one snapshot per month under outputs/archive/<YYYY-MM>/.

Its public surface, used by the build job, the mailing package and the CLI;
nobody outside this package builds archive paths or reads manifests by hand.

- layout: where months, superseded and staging folders are, and their names;
- manifest (+ shape): ``manifest.json`` written atomically, read back checked;
- filing: a month's snapshot filed whole under its lock, --replace keeping the old one;
- diff: what differs between an archived snapshot and a new build (records);
- history: the committees before a date, for the next build;
- listing, verification: ``archive list`` and ``archive verify``;
- sendings: a sending noted in its own committee's manifest.
"""

from __future__ import annotations

from .diff import (
    CommitteeChange,
    DateChanged,
    DefinitionsChanged,
    Difference,
    Differences,
    FiguresChanged,
    HistoryChanged,
    InputChanged,
    RatesChanged,
    ToleranceChanged,
    ToolVersionChanged,
    Unexplained,
)
from .filing import AlreadyArchivedError, Filing, Outcome, Snapshot, file_snapshot
from .history import History, SkippedMonth, load_history
from .layout import SUPERSEDED_PREFIX, archive_root, month_folder, parse_month
from .listing import ArchivedMonth, archived_months
from .manifest import definitions_sha256
from .sendings import NotNoted, SendingNote, record_sending
from .shape import ManifestError
from .verification import Verification, verify

__all__ = [
    "SUPERSEDED_PREFIX",
    "AlreadyArchivedError",
    "ArchivedMonth",
    "CommitteeChange",
    "DateChanged",
    "DefinitionsChanged",
    "Difference",
    "Differences",
    "FiguresChanged",
    "Filing",
    "History",
    "HistoryChanged",
    "InputChanged",
    "ManifestError",
    "NotNoted",
    "Outcome",
    "RatesChanged",
    "SendingNote",
    "SkippedMonth",
    "Snapshot",
    "ToleranceChanged",
    "ToolVersionChanged",
    "Unexplained",
    "Verification",
    "archive_root",
    "archived_months",
    "definitions_sha256",
    "file_snapshot",
    "load_history",
    "month_folder",
    "parse_month",
    "record_sending",
    "verify",
]
