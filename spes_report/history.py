"""Compare the current input with archived committees: earlier figures and corrections. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from .french import long_date as french_long_date
from .french import number as french_number
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


def percent_text(rate: float | None) -> str:
    """``65 %``, ``65,5 %``; an emptied cell reads « vide »."""
    if rate is None:
        return "vide"
    return french_number(round(rate * 100, 6)) + " %"


def describe(correction: Correction) -> str:
    """``M3, 01/06/2020 : 70 % → 65 % (comité du 1er juin 2020)``."""
    return (f"M{correction.mission}, {correction.on:%d/%m/%Y} : "
            f"{percent_text(correction.reported)} → {percent_text(correction.now)} "
            f"(comité du {french_long_date(correction.committee)})")


def corrections_heading(count: int) -> str:
    """The line printed above the list of corrections."""
    if count == 1:
        return "1 valeur déjà présentée en comité a été modifiée dans le fichier de saisie :"
    return (f"{count} valeurs déjà présentées en comité ont été modifiées dans le fichier "
            "de saisie :")
