"""Pace, projection and trajectory: where a mission's current pace leads. Pure: no I/O.

The rule, as the committee is told it (Paramètres, README « Règles de calcul »):
the pace is the least-squares slope of the rates measured in the last
``window_days`` days before the report date, when there are at least
``min_measurements`` of them spanning at least ``min_span_days`` days. The
projection extends that pace in a straight line from the latest rate, capped
to 0–100 %. No pace, no projection: the mission is « Non projetable ».
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from .french import rounded
from .model import (
    DEFAULT_PROJECTION_RULE,
    Measurement,
    Milestone,
    NoProjection,
    Projection,
    ProjectionRule,
    Trajectory,
    band,
    points,
)

# A month as the pace counts it: the mean Gregorian month, so that twelve months
# are a year whatever the calendar months crossed.
DAYS_PER_MONTH = 365.25 / 12
BANDED_TRAJECTORIES = (Trajectory.EN_BONNE_VOIE, Trajectory.A_SURVEILLER,
                       Trajectory.HORS_TRAJECTOIRE)


def pace_per_day(measurements: Sequence[Measurement], report_date: date,
                 rule: ProjectionRule) -> tuple[float | None, NoProjection | None]:
    """The least-squares slope, as a fraction per day, of the rates measured in the
    window ending on ``report_date``; or None and why there is none."""
    start = report_date - timedelta(days=rule.window_days)
    window = sorted((m for m in measurements if start <= m.on <= report_date),
                    key=lambda m: m.on)
    if len(window) < rule.min_measurements:
        return None, NoProjection.TOO_FEW
    # Rates all on one day have no slope, whatever the rule's minimum span.
    if (window[-1].on - window[0].on).days < max(rule.min_span_days, 1):
        return None, NoProjection.TOO_SHORT
    days = [(m.on - window[0].on).days for m in window]
    mean_day = sum(days) / len(days)
    mean_rate = sum(m.rate for m in window) / len(window)
    spread = sum((d - mean_day) ** 2 for d in days)
    slope = sum((d - mean_day) * (m.rate - mean_rate)
                for d, m in zip(days, window, strict=True)) / spread
    return slope, None


def projected(start: date, rate: float, slope_per_day: float, on: date) -> float:
    """The rate reached on ``on`` at ``slope_per_day`` from ``rate`` on ``start``,
    capped to 0–100 %: no rate goes below nothing done or above all done."""
    return min(1.0, max(0.0, rate + slope_per_day * (on - start).days))


def per_month(slope_per_day: float) -> float:
    """A slope in fractions per day as points per month."""
    return points(slope_per_day * DAYS_PER_MONTH)


def needed_pace(start: date, rate: float, final: Milestone) -> float:
    """Points per month from ``rate`` on ``start`` to the final target; 0 when reached."""
    if rate >= final.target:
        return 0.0
    months = (final.due - start).days / DAYS_PER_MONTH
    return points((final.target - rate) / months)


def trajectory_for(at_final: float, final_target: float,
                   tolerance_points: float) -> Trajectory:
    """The status rule, applied to the projection at the final échéance as it is shown
    (to 0.1 point): a projection shown at 100,0 % for a target of 100 % is on track."""
    shown = float(rounded(at_final * 100, 1))
    return BANDED_TRAJECTORIES[band(round(shown - final_target * 100, 6), tolerance_points)]


def project(milestones: Sequence[Milestone], measurements: Sequence[Measurement],
            report_date: date, tolerance_points: float,
            rule: ProjectionRule = DEFAULT_PROJECTION_RULE) -> Projection:
    """A mission's pace, the rates it leads to at each échéance after ``report_date``,
    the pace needed to reach the final target, and its trajectory."""
    known = sorted((m for m in measurements if m.on <= report_date), key=lambda m: m.on)
    final = milestones[-1] if milestones else None
    base = Projection(
        Trajectory.NON_PROJETABLE,
        final_due=final.due if final else None,
        final_target=final.target if final else None,
    )
    if not known:
        return replace(base, reason=NoProjection.NO_RATE)
    latest = known[-1]
    base = replace(base, start=(latest.on, latest.rate))
    if final is None:
        return replace(base, reason=NoProjection.NO_MILESTONE)
    if final.due <= report_date:
        return replace(base, reason=NoProjection.FINAL_PASSED)
    base = replace(base, needed_points=needed_pace(latest.on, latest.rate, final))
    slope, reason = pace_per_day(known, report_date, rule)
    if slope is None:
        return replace(base, reason=reason)
    at = tuple((m.due, projected(latest.on, latest.rate, slope, m.due))
               for m in milestones if m.due > report_date)
    return replace(base, pace_points=per_month(slope), at=at,
                 trajectory=trajectory_for(at[-1][1], final.target, tolerance_points))
