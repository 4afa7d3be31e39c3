"""Reports that stand for any month, to try the email templates before anything is built.

A template that names an unknown variable, or adds a number to a text, fails
only when it is filled; filling it with these reports first lets `build
--email` refuse it before the workbook is written. Several reports, so that
both sides of the usual conditions run: every status, with and without
figures, notes, points of attention and an average. Pure.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..builder import DEFAULT_TOLERANCE_POINTS, build_report, target_on
from ..model import InputData, Measurement, Notes, Plan, Report, SourceInfo
from ..naming import pdf_name, workbook_name
from .wording import email_context

# A file name no real input has, so that a template can be tried on its
# branches for the real file without the sample taking them.
SAMPLE_SOURCE = SourceInfo("exemple-de-saisie.xlsx", "0" * 64)
# Added to each mission's target, in turn: conforme, vigilance, alerte, no figure.
OFFSETS = (0.02, -0.03, -0.15, None)
SAMPLE_NOTES = Notes(comment="Commentaire d'exemple", attention="Point d'attention d'exemple",
                     next_steps="Prochaine étape d'exemple")


def sample_reports(plan: Plan, tool_version: str) -> tuple[Report, ...]:
    """Three months: at the last échéance with figures of every status and notes; the
    same with nothing typed; before the first échéance, when no target is due yet."""
    dates = plan.milestone_dates
    first = dates[0] if dates else date(2020, 1, 1)
    last = dates[-1] if dates else first
    before = first - timedelta(days=1)
    measurements: list[Measurement] = []
    early: list[Measurement] = []
    notes: dict[int, Notes] = {}
    for index, mission in enumerate(plan.missions):
        offset = OFFSETS[index % len(OFFSETS)]
        if offset is None:
            continue
        target, _ = target_on(mission, last)
        rate = min(1.0, max(0.0, (0.5 if target is None else target) + offset))
        # Two figures, so that the mission has a trend as well as a level.
        measurements += [Measurement(mission.number, first, rate / 2),
                         Measurement(mission.number, last, rate)]
        early.append(Measurement(mission.number, before, rate / 4))
        if index % 2 == 0:
            notes[mission.number] = SAMPLE_NOTES
    months: tuple[tuple[date, tuple[Measurement, ...], dict[int, Notes]], ...] = (
        (last, tuple(measurements), notes), (last, (), {}), (before, tuple(early), notes))
    return tuple(build_report(plan, InputData(day, figures, month_notes), day,
                              DEFAULT_TOLERANCE_POINTS, SAMPLE_SOURCE, tool_version)
                 for day, figures, month_notes in months)


def sample_contexts(plan: Plan, tool_version: str,
                    subject_prefix: str = "[SPES]") -> list[dict[str, Any]]:
    """The templates' variables for each sample report, with each set of attachments in
    turn (the workbook and its PDF, the workbook, the PDF)."""
    contexts = []
    for index, report in enumerate(sample_reports(plan, tool_version)):
        workbook = workbook_name(report.report_date)
        pdf = pdf_name(Path(workbook))
        attached = ([workbook, pdf], [workbook], [pdf])[index % 3]
        contexts.append(email_context(report, subject_prefix, attached[0], attached))
    return contexts
