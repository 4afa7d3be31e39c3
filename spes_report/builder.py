"""Business rules: targets at a date, gaps, statuses and trends. Pure: no I/O."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import pairwise

from .history import (
    SAME_RATE,
    continues,
    earlier_committees,
    find_corrections,
    find_revisions,
    forecast_checks,
    initial_plan,
)
from .model import (
    DEFAULT_PROJECTION_RULE,
    SUMMARY_STATUSES,
    ExcludedCommittee,
    InputData,
    Measurement,
    Mission,
    MissionStatus,
    Notes,
    PastCommittee,
    Plan,
    ProjectionRule,
    Report,
    SourceInfo,
    Status,
    TimelineRow,
    Trajectory,
    Weather,
    WeatherFlag,
    band,
    points,
)
from .projection import project

DEFAULT_TOLERANCE_POINTS = 5.0
# Without an archived committee, how old a mission's latest rate may be and still be news.
DEFAULT_FRESHNESS_DAYS = 45


def target_on(mission: Mission, day: date) -> tuple[float | None, date | None]:
    """The target due on ``day`` and the échéance it is measured against.

    An échéance's own target applies on its date and, after the last one, the
    last target stays. Between two échéances the target moves linearly from
    one to the next. Before the first échéance no target is due.
    """
    milestones = mission.milestones
    if not milestones or day < milestones[0].due:
        return None, None
    for before, after in pairwise(milestones):
        if before.due <= day < after.due:
            elapsed = (day - before.due).days / (after.due - before.due).days
            return before.target + elapsed * (after.target - before.target), before.due
    return milestones[-1].target, milestones[-1].due


BANDED_STATUSES = (Status.CONFORME, Status.VIGILANCE, Status.ALERTE)


def status_for(actual: float | None, target: float | None, tolerance_points: float) -> Status:
    if actual is None:
        return Status.NON_RENSEIGNE
    if target is None:
        return Status.SANS_CIBLE
    return BANDED_STATUSES[band(points(actual - target), tolerance_points)]


def resolve_report_date(requested: date | None, data: InputData) -> date | None:
    """``--date`` when given, else the input's committee date, else its latest measurement."""
    if requested is not None:
        return requested
    if data.committee_date is not None:
        return data.committee_date
    return max((m.on for m in data.measurements), default=None)


def mission_status(
    mission: Mission,
    measurements: Iterable[Measurement],
    notes: Notes,
    report_date: date,
    tolerance_points: float,
    rule: ProjectionRule = DEFAULT_PROJECTION_RULE,
) -> MissionStatus:
    # Figures reported after the report date are not known on that date.
    known = sorted((m for m in measurements if m.on <= report_date), key=lambda m: m.on)
    projection = project(mission.milestones, known, report_date, tolerance_points, rule)
    projected_on = dict(projection.at)
    rate_on = {m.on: m.rate for m in known}
    latest = known[-1] if known else None
    previous = known[-2] if len(known) > 1 else None
    target, reference = target_on(mission, report_date)
    actual = latest.rate if latest else None

    days = sorted({m.due for m in mission.milestones} | set(rate_on))
    timeline = []
    for day in days:
        day_target, _ = target_on(mission, day)
        day_actual = rate_on.get(day)
        if day > report_date:
            day_status = Status.A_VENIR
        else:
            day_status = status_for(day_actual, day_target, tolerance_points)
        timeline.append(TimelineRow(
            on=day,
            is_milestone=any(m.due == day for m in mission.milestones),
            target=day_target,
            actual=day_actual,
            gap_points=gap(day_actual, day_target),
            status=day_status,
            projection=projected_on.get(day),
        ))

    return MissionStatus(
        mission=mission,
        reference_milestone=reference,
        target=target,
        actual=actual,
        actual_date=latest.on if latest else None,
        gap_points=gap(actual, target),
        change_points=points(latest.rate - previous.rate) if latest and previous else None,
        status=status_for(actual, target, tolerance_points),
        notes=notes,
        timeline=tuple(timeline),
        projection=projection,
        weather_flag=weather_flag(notes.weather, projection.trajectory),
    )


def weather_flag(weather: Weather | None, trajectory: Trajectory) -> WeatherFlag | None:
    """The pilot's weather against the computed trajectory: only strong disagreements
    count (sun while off trajectory, storm while on track), for the committee to ask."""
    if weather is Weather.SOLEIL and trajectory is Trajectory.HORS_TRAJECTOIRE:
        return WeatherFlag.OPTIMISTIC
    if weather is Weather.ORAGE and trajectory is Trajectory.EN_BONNE_VOIE:
        return WeatherFlag.PESSIMISTIC
    return None


def gap(actual: float | None, target: float | None) -> float | None:
    return None if actual is None or target is None else points(actual - target)


def build_report(
    plan: Plan,
    data: InputData,
    report_date: date,
    tolerance_points: float = DEFAULT_TOLERANCE_POINTS,
    source: SourceInfo | None = None,
    tool_version: str = "",
    history: Sequence[PastCommittee] = (),
    excluded: Sequence[ExcludedCommittee] = (),
    plan_source: SourceInfo | None = None,
    freshness_days: int = DEFAULT_FRESHNESS_DAYS,
    projection_rule: ProjectionRule = DEFAULT_PROJECTION_RULE,
) -> Report:
    """Combine the plan with the input into the report for ``report_date``.

    ``history`` holds the archived committees (read by the caller); only those
    before ``report_date`` count. ``excluded`` are archived months the caller
    did not trust (edited by hand, unreadable): the report names them. With a
    history, the trend compares with the latest committee rather than with
    the previous measurement.
    """
    by_mission: dict[int, list[Measurement]] = {}
    for measurement in data.measurements:
        by_mission.setdefault(measurement.mission, []).append(measurement)
    statuses = tuple(
        mission_status(
            mission,
            by_mission.get(mission.number, []),
            data.notes.get(mission.number, Notes()),
            report_date,
            tolerance_points,
            projection_rule,
        )
        for mission in plan.missions
    )
    past = earlier_committees(history, report_date)
    if past:
        statuses = tuple(_trend_since(s, past[-1]) for s in statuses)
    previous = past[-1].report_date if past else None
    statuses = tuple(dataclasses.replace(
        s, stale_since=stale_since(s.actual_date, report_date, previous, freshness_days))
        for s in statuses)
    first = initial_plan(past, plan)
    if first is not None and first.plan is not None:
        statuses = tuple(_initial_targets(s, first.plan, report_date) for s in statuses)
    previous_plan = past[-1].plan if past else None
    lineage = [c for c in past if c.plan is None or continues(c.plan, plan)]
    actuals = [s.actual for s in statuses if s.actual is not None]
    return Report(
        service=plan.service,
        report_date=report_date,
        tolerance_points=tolerance_points,
        missions=statuses,
        average_actual=sum(actuals) / len(actuals) if actuals else None,
        status_counts=tuple(
            (status, sum(1 for s in statuses if s.status is status)) for status in SUMMARY_STATUSES
        ),
        source=source,
        tool_version=tool_version,
        history=past,
        # A new plan period starts a new input: the earlier plan's figures are not in
        # it, and their absence corrects nothing (nor measures its projections).
        corrections=find_corrections(data.measurements, lineage),
        excluded=tuple(sorted(excluded, key=lambda e: e.month)),
        plan_title=plan.title,
        plan_source=plan_source,
        revisions=(find_revisions(previous_plan, plan) if previous_plan is not None else ()),
        initial_plan_date=first.report_date if first is not None else None,
        freshness_days=freshness_days,
        projection_rule=projection_rule,
        forecasts=forecast_checks(lineage, data.measurements, report_date),
    )


def stale_since(actual_date: date | None, report_date: date, previous: date | None,
                freshness_days: int) -> date | None:
    """The date of a mission's latest rate when it is no news: dated on or before the
    previous archived committee (that committee saw it already), or, with no
    archived committee, more than ``freshness_days`` before the report date. None
    for a fresh rate, and for no rate at all (« Non renseigné » says that)."""
    if actual_date is None:
        return None
    if previous is not None:
        return actual_date if actual_date <= previous else None
    return actual_date if (report_date - actual_date).days > freshness_days else None


def _initial_targets(status: MissionStatus, first: Plan, report_date: date) -> MissionStatus:
    """Both targets when the plan in force revised the mission's since ``first``: the
    committee must see a lowered target, never a mission that merely looks better.

    Revised means a target of ``first``'s échéances changed or went, or the target
    due today differs (an échéance added in between moves it too).
    """
    initial = first.mission(status.mission.number)
    if initial is None:
        return dataclasses.replace(status, in_initial_plan=False)
    now = {m.due: m.target for m in status.mission.milestones}
    changed = any(m.due not in now or abs(now[m.due] - m.target) > SAME_RATE
                  for m in initial.milestones)
    target, _ = target_on(initial, report_date)
    today = ((target is None) != (status.target is None)
             or (target is not None and status.target is not None
                 and abs(target - status.target) > SAME_RATE))
    if not changed and not today:
        return status
    return dataclasses.replace(status, initial_target=target,
                               initial_milestones=initial.milestones)


def _trend_since(status: MissionStatus, committee: PastCommittee) -> MissionStatus:
    """The change since ``committee``; none when either side has no figure."""
    before = committee.actual(status.mission.number)
    change = (None if status.actual is None or before is None
              else points(status.actual - before))
    return dataclasses.replace(status, change_points=change)
