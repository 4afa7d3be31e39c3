"""Compare the current input and plan with archived committees: corrections, plan
revisions and how their projections turned out. Pure.

Returns records (Correction, Revision, ForecastCheck); the CLI's messages and the
workbook word them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from .model import (
    Correction,
    ForecastCheck,
    Measurement,
    Mission,
    PastCommittee,
    Plan,
    Revision,
    RevisionKind,
)

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


def plan_outline(plan: Plan) -> tuple[object, ...]:
    """What a committee saw of a plan: its title, and each mission's number, title and
    targets (an archived plan keeps no more: objectives and pilots do not count)."""
    return (plan.title, tuple((m.number, m.title, m.milestones) for m in plan.missions))


def same_plan(one: Plan | None, other: Plan | None) -> bool:
    if one is None or other is None:
        return one is other
    return plan_outline(one) == plan_outline(other)


def continues(before: Plan, after: Plan) -> bool:
    """Whether ``after`` revises ``before`` rather than replacing it: the same title and at
    least one échéance in common. The title is the plan's identity; a plan whose dates
    all changed starts a new period whatever its title."""
    return before.title == after.title and bool(
        set(before.milestone_dates) & set(after.milestone_dates))


def find_revisions(before: Plan, after: Plan) -> tuple[Revision, ...]:
    """Every change from ``before`` (the previous committee's plan) to ``after``.

    Plans with no échéance in common are two periods: one NEW_PLAN record, not a
    list of every mission and date replaced. Otherwise each change is listed (a
    new title too). Échéances are the plan's dates: one gone and one new with no
    kept échéance between them are read as a move (paired in date order);
    targets are compared at the échéances both plans have.
    """
    old_dates, new_dates = set(before.milestone_dates), set(after.milestone_dates)
    kept = old_dates & new_dates
    if not kept:
        return (Revision(RevisionKind.NEW_PLAN, before=before.title, after=after.title),)
    revisions: list[Revision] = []
    if before.title != after.title:
        revisions.append(Revision(RevisionKind.PLAN_RETITLED, before=before.title,
                                  after=after.title))
    moves = _moves(sorted(old_dates - new_dates), sorted(new_dates - old_dates), kept)
    for was, now in moves:
        revisions.append(Revision(RevisionKind.MILESTONE_MOVED, on=was, moved_to=now))
    moved = dict(moves)
    revisions += [Revision(RevisionKind.MILESTONE_REMOVED, on=day)
                  for day in sorted(old_dates - new_dates - moved.keys())]
    revisions += [Revision(RevisionKind.MILESTONE_ADDED, on=day)
                  for day in sorted(new_dates - old_dates - set(moved.values()))]
    common = kept | set(moved.values())
    old = {m.number: m for m in before.missions}
    new = {m.number: m for m in after.missions}
    for number in sorted(old.keys() | new.keys()):
        if number not in new:
            revisions.append(Revision(RevisionKind.MISSION_REMOVED, number,
                                      before=old[number].title))
        elif number not in old:
            revisions.append(Revision(RevisionKind.MISSION_ADDED, number,
                                      after=new[number].title, reason=new[number].revision_reason))
        else:
            if old[number].title != new[number].title:
                revisions.append(Revision(RevisionKind.MISSION_RETITLED, number,
                                          before=old[number].title, after=new[number].title))
            revisions += _target_changes(old[number], new[number], moved, common)
    return tuple(revisions)


def _moves(gone: list[date], added: list[date], kept: set[date]) -> list[tuple[date, date]]:
    """Pairs (old date, new date) read as one échéance moved: in date order, and only
    where no kept échéance lies between them (else it is a removal and an addition)."""
    pairs: list[tuple[date, date]] = []
    free = list(added)
    for was in gone:
        for now in free:
            low, high = min(was, now), max(was, now)
            if not any(low < day < high for day in kept):
                pairs.append((was, now))
                free.remove(now)
                break
    return pairs


def _target_changes(old: Mission, new: Mission, moved: dict[date, date],
                    common: set[date]) -> list[Revision]:
    """Targets that differ at an échéance both plans have (a moved one counts as the
    same): the targets of an added or removed échéance go with it."""
    was = {moved.get(ms.due, ms.due): ms.target for ms in old.milestones}
    now = {ms.due: ms.target for ms in new.milestones}
    changes = []
    for day in sorted(common):
        before, after = was.get(day), now.get(day)
        if (before is None) != (after is None) or (
                before is not None and after is not None and abs(before - after) > SAME_RATE):
            changes.append(Revision(RevisionKind.TARGET_CHANGED, new.number, on=day,
                                    before=before, after=after, reason=new.revision_reason))
    return changes


def plan_lineage(history: Sequence[PastCommittee], plan: Plan) -> tuple[PastCommittee, ...]:
    """The latest archived committees built on ``plan`` or an earlier revision of it
    (``continues``), oldest first: back to the first committee of another plan, or of
    an unknown one."""
    lineage: list[PastCommittee] = []
    for committee in reversed(history):
        if committee.plan is None or not continues(committee.plan, plan):
            break
        lineage.append(committee)
    return tuple(reversed(lineage))


def initial_plan(history: Sequence[PastCommittee], plan: Plan) -> PastCommittee | None:
    """The first archived committee of ``plan``'s lineage: its targets are the initial
    ones, those of ``plan`` the revised ones."""
    lineage = plan_lineage(history, plan)
    return lineage[0] if lineage else None


def forecast_checks(past: Sequence[PastCommittee], measurements: Iterable[Measurement],
                    report_date: date) -> tuple[ForecastCheck, ...]:
    """The forecasts' track record: for each échéance due by ``report_date`` that an
    archived committee projected before it, the latest such projection beside the rate
    measured on the échéance itself (a rate of another day would not say how the
    projection for that day turned out). Most recent échéance first."""
    latest: dict[tuple[int, date], tuple[date, float]] = {}
    for committee in sorted(past, key=lambda c: c.report_date):
        for mission, due, rate in committee.projections:
            if committee.report_date < due <= report_date:
                latest[mission, due] = (committee.report_date, rate)
    measured = {(m.mission, m.on): m.rate for m in measurements}
    checks = [ForecastCheck(mission, due, projected, shown_on, measured.get((mission, due)))
              for (mission, due), (shown_on, projected) in latest.items()]
    return tuple(sorted(checks, key=lambda c: (-c.due.toordinal(), c.mission)))
