"""From an input read to the report and its workbook's bytes: the one path that
``build`` takes and that ``archive verify`` retraces to rebuild an archived month."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from . import __version__
from .builder import DEFAULT_FRESHNESS_DAYS, build_report
from .loader import LoadedInput
from .model import ExcludedCommittee, PastCommittee, Report
from .plan import LoadedPlan
from .writers.workbook import workbook_bytes


@dataclass(frozen=True)
class Composed:
    report: Report
    workbook: bytes


def compose(plan: LoadedPlan, loaded: LoadedInput, report_date: date,
            tolerance_points: float, history: Sequence[PastCommittee],
            input_name: str | None = None,
            excluded: Sequence[ExcludedCommittee] = (),
            plan_name: str | None = None,
            freshness_days: int = DEFAULT_FRESHNESS_DAYS) -> Composed:
    """The report on ``report_date`` and its workbook, as this version of the tool makes them.

    ``input_name`` and ``plan_name`` are the names the workbook gives the
    input and the plan when they differ from the files read (an archived
    copy keeps the name it was built under).
    """
    source = (loaded.source if input_name is None
              else dataclasses.replace(loaded.source, file_name=input_name))
    plan_source = (plan.source if plan_name is None
                   else dataclasses.replace(plan.source, file_name=plan_name))
    report = build_report(plan.plan, loaded.data, report_date, tolerance_points, source,
                          __version__, history, excluded, plan_source, freshness_days)
    return Composed(report, workbook_bytes(report, plan.plan))
