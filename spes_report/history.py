"""Compare the current input with archived committees: earlier figures and corrections. Pure.

Returns records (Correction); the CLI's messages and the workbook word them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from .model import Correction, Measurement, PastCommittee

# Two rates closer than this (in fraction) are the same figure: 65 % typed as
# 0,65 or as 65 % may differ in the last binary digit.
SAME_RATE = 1e-9


def earlier_committees(history: Iterable[PastCommittee], report_date: date) -> tuple[
        PastCommittee, ...]:
    """The committees held before ``report_date``, oldest first, one per date."""
    by_date = {c.report_date: c for c in history if c.report_date < report_date}
    return tuple(by_date[day] for day in sorted(by_date))


def find_corrections(current: Iterable[Measurement],
                     history: Sequence[PastCommittee]) -> tuple[Correction, ...]:
    """Every rate shown to an archived committee that ``current`` changes or empties.

    A committee was shown the rates dated on or before its own date. When
    several committees showed the same (mission, date), the change is measured
    from the latest of them: an earlier correction was already flagged then.
    """
    shown: dict[tuple[int, date], tuple[float, date]] = {}
    for past in sorted(history, key=lambda c: c.report_date):
        for m in past.measurements:
            if m.on <= past.report_date:
                shown[m.mission, m.on] = (m.rate, past.report_date)
    now = {(m.mission, m.on): m.rate for m in current}
    corrections = []
    for key in sorted(shown):
        reported, committee = shown[key]
        rate = now.get(key)
        if rate is None or abs(rate - reported) > SAME_RATE:
            corrections.append(Correction(mission=key[0], on=key[1], reported=reported,
                                          now=rate, committee=committee))
    return tuple(corrections)
