"""Pace, projection and trajectory without any file: the rule the committee is told,
case by case, through the builder, and its properties."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.workbooks import committee

from spes_report import InputData, Measurement, Milestone, Mission, Status, build_report
from spes_report.french import no_projection_reason
from spes_report.model import (
    DEFAULT_PROJECTION_RULE,
    NoProjection,
    Plan,
    ProjectionRule,
    Report,
    Trajectory,
)
from spes_report.projection import DAYS_PER_MONTH, needed_pace, project, projected

MAY, JUNE, JULY, SEPTEMBER = date(2020, 5, 11), date(2020, 6, 1), date(2020, 7, 1), date(2020, 9, 1)
TARGETS = (Milestone(MAY, 0.50), Milestone(JUNE, 0.60), Milestone(JULY, 0.70),
           Milestone(SEPTEMBER, 1.00))


@dataclass(frozen=True)
class Case:
    rates: dict[date, float]
    trajectory: Trajectory
    status: Status | None = None
    # Points per month, and the rate projected on 1 September (None: no projection).
    pace: float | None = None
    at_final: float | None = None
    reason: NoProjection | None = None
    needed: float | None = None
    milestones: tuple[Milestone, ...] = TARGETS
    on: date = JUNE


def days(n: int) -> date:
    return JUNE - timedelta(days=n)


# Thirty days of progress, in points, for a pace of ``p`` points per month.
def month(p: float) -> float:
    return p / 100 * 30 / DAYS_PER_MONTH


CASES = {
    # 20 points a month since 1 May: 60 % on 1 June, 100 % reached before 1 September.
    "steady, on track": Case(
        {days(31): 0.60 - month(20) * 31 / 30, JUNE: 0.60},
        Trajectory.EN_BONNE_VOIE, Status.CONFORME, pace=20.0, at_final=1.0),
    # On target today (60 %) but 2 points a month leads to 66 % on 1 September.
    "conforming today, off trajectory": Case(
        {days(30): 0.60 - month(2), JUNE: 0.60},
        Trajectory.HORS_TRAJECTOIRE, Status.CONFORME, pace=2.0,
        at_final=0.60 + 0.02 * 92 / DAYS_PER_MONTH),
    # 40 % against 60 % today, but 30 points a month: 100 % by September.
    "in alert, recovering": Case(
        {days(30): 0.40 - month(30), JUNE: 0.40},
        Trajectory.EN_BONNE_VOIE, Status.ALERTE, pace=30.0, at_final=1.0),
    # Short of 100 % by 3 points: within the tolerance.
    "a little short": Case(
        {days(30): 0.6 - month(12.5), JUNE: 0.60},
        Trajectory.A_SURVEILLER, pace=12.5, at_final=0.60 + 0.125 * 92 / DAYS_PER_MONTH),
    "single measurement": Case(
        {JUNE: 0.60}, Trajectory.NON_PROJETABLE, reason=NoProjection.TOO_FEW),
    "no measurement": Case({}, Trajectory.NON_PROJETABLE, Status.NON_RENSEIGNE,
                           reason=NoProjection.NO_RATE),
    "two measurements a week apart": Case(
        {days(7): 0.55, JUNE: 0.60}, Trajectory.NON_PROJETABLE, reason=NoProjection.TOO_SHORT),
    # The March rate is outside the 90 days: the pace is the last two rates' only.
    "window excludes old points": Case(
        {days(120): 0.0, days(30): 0.60 - month(10), JUNE: 0.60},
        Trajectory.HORS_TRAJECTOIRE, pace=10.0, at_final=0.60 + 0.10 * 92 / DAYS_PER_MONTH),
    "only old points in the window": Case(
        {days(120): 0.30, days(100): 0.40, days(91): 0.60},
        Trajectory.NON_PROJETABLE, reason=NoProjection.TOO_FEW),
    "capped at 100 %": Case(
        {days(30): 0.60 - month(50), JUNE: 0.60},
        Trajectory.EN_BONNE_VOIE, pace=50.0, at_final=1.0),
    "falling, capped at 0 %": Case(
        {days(30): 0.20 + month(30), JUNE: 0.20},
        Trajectory.HORS_TRAJECTOIRE, pace=-30.0, at_final=0.0),
    "past final échéance": Case(
        {days(30): 0.40, JUNE: 0.60}, Trajectory.NON_PROJETABLE,
        reason=NoProjection.FINAL_PASSED, milestones=TARGETS[:2]),
    "no échéance at all": Case(
        {days(30): 0.40, JUNE: 0.60}, Trajectory.NON_PROJETABLE,
        reason=NoProjection.NO_MILESTONE, milestones=()),
    # 96 % then 97 % a month later: 99,97 % projected, shown 100,0 %: on track, as shown.
    "shown at the target": Case(
        {days(31): 0.96, JUNE: 0.97}, Trajectory.EN_BONNE_VOIE,
        pace=1 * DAYS_PER_MONTH / 31, at_final=0.97 + 0.01 * 92 / 31),
    # 91 % then 92 %: 94,97 % projected, shown 95,0 %: short by exactly the tolerance.
    "shown at the tolerance": Case(
        {days(31): 0.91, JUNE: 0.92}, Trajectory.A_SURVEILLER,
        pace=1 * DAYS_PER_MONTH / 31, at_final=0.92 + 0.01 * 92 / 31),
    # Final target already reached: nothing more is needed, whatever the pace.
    "already at target": Case(
        {days(30): 1.0, JUNE: 1.0}, Trajectory.EN_BONNE_VOIE, pace=0.0, at_final=1.0,
        needed=0.0),
}


def points_per_month(missing: float, days_left: int) -> float:
    return missing * 100 / (days_left / DAYS_PER_MONTH)


def report_for(case: Case, rule: ProjectionRule = DEFAULT_PROJECTION_RULE) -> Report:
    mission = Mission(1, "Essai", "", "", case.milestones)
    data = InputData(case.on, tuple(Measurement(1, d, r) for d, r in case.rates.items()))
    return build_report(Plan("SPES", "Plan", (mission,)), data, case.on,
                        projection_rule=rule)


@pytest.mark.parametrize("name", CASES)
def test_projection_cases(name: str) -> None:
    case = CASES[name]
    ms = report_for(case).missions[0]
    projection = ms.projection
    assert projection.trajectory is case.trajectory
    if case.status is not None:
        assert ms.status is case.status
    assert projection.reason is case.reason
    if case.pace is None:
        assert projection.pace_points is None
        assert projection.at == ()
        assert projection.at_final is None
    else:
        assert projection.pace_points == pytest.approx(case.pace, abs=1e-6)
        assert projection.at_final == pytest.approx(case.at_final)
        # Every échéance after the committee, none before.
        assert [d for d, _ in projection.at] == [JULY, SEPTEMBER]
    if case.needed is not None:
        assert projection.needed_points == pytest.approx(case.needed)


def test_needed_pace_from_the_latest_rate() -> None:
    projection = report_for(CASES["single measurement"]).missions[0].projection
    # 40 points to go in 92 days (about 3.02 months).
    assert projection.needed_points == pytest.approx(points_per_month(0.40, 92), abs=1e-5)
    assert projection.start == (JUNE, 0.60)
    assert projection.final_due == SEPTEMBER
    assert projection.final_target == 1.0


def test_no_needed_pace_without_a_rate_or_after_the_final_échéance() -> None:
    assert report_for(CASES["no measurement"]).missions[0].projection.needed_points is None
    assert report_for(CASES["past final échéance"]).missions[0].projection.needed_points is None


def test_the_timeline_carries_the_projection_of_future_échéances_only() -> None:
    ms = report_for(CASES["steady, on track"]).missions[0]
    projected_rows = {row.on: row.projection for row in ms.timeline if row.projection is not None}
    assert set(projected_rows) == {JULY, SEPTEMBER}
    assert projected_rows[SEPTEMBER] == 1.0


def test_later_rates_are_not_known_on_the_report_date() -> None:
    case = CASES["steady, on track"]
    rates = {**case.rates, JULY: 0.0}
    ms = report_for(Case(rates, case.trajectory)).missions[0]
    assert ms.projection.pace_points == pytest.approx(20.0)


def test_the_rule_is_a_parameter() -> None:
    case = CASES["two measurements a week apart"]
    loose = ProjectionRule(window_days=90, min_measurements=2, min_span_days=7)
    assert report_for(case, loose).missions[0].projection.pace_points is not None
    strict = ProjectionRule(min_measurements=3)
    steady = report_for(CASES["steady, on track"], strict).missions[0].projection
    assert steady.reason is NoProjection.TOO_FEW
    assert report_for(case).projection_rule == ProjectionRule()


def test_the_least_squares_pace_weighs_every_rate_in_the_window() -> None:
    # 0 %, 20 %, 10 % a month apart: the slope of the best line is 5 points a month
    # per 30 days, not the 20 points of the first step nor the -10 of the last.
    rates = (Measurement(1, days(60), 0.0), Measurement(1, days(30), 0.2),
             Measurement(1, JUNE, 0.1))
    projection = project(TARGETS, rates, JUNE, 5.0)
    assert projection.pace_points == pytest.approx(5.0 * DAYS_PER_MONTH / 30)


def test_staleness_with_and_without_an_archive() -> None:
    mission = Mission(1, "Essai", "", "", TARGETS)
    plan = Plan("SPES", "Plan", (mission,))
    data = InputData(JULY, (Measurement(1, MAY, 0.5), Measurement(1, JUNE, 0.6)))
    # No archive: 30 days old is fresh under the default 45 days, not under 20.
    assert build_report(plan, data, JULY).missions[0].stale_since is None
    assert build_report(plan, data, JULY, freshness_days=20).missions[0].stale_since == JUNE
    # The 1 June committee saw the 1 June rate already.
    june = committee(JUNE, {1: 0.6}, data.measurements)
    assert build_report(plan, data, JULY, history=(june,)).missions[0].stale_since == JUNE


RATES = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@pytest.mark.parametrize(
    ("reason", "phrase"),
    [
        (NoProjection.NO_RATE, "aucun taux saisi"),
        (NoProjection.TOO_FEW, "moins de 2 taux sur les 90 derniers jours"),
        (NoProjection.TOO_SHORT, "taux des 90 derniers jours étalés sur moins de 14 jours"),
        (NoProjection.FINAL_PASSED, "dernière échéance atteinte ou passée"),
        (NoProjection.NO_MILESTONE, "aucune échéance"),
    ],
)
def test_each_reason_reads_in_french(reason: NoProjection, phrase: str) -> None:
    assert no_projection_reason(reason, DEFAULT_PROJECTION_RULE) == phrase


@given(rates=st.lists(RATES, min_size=2, max_size=6),
       tilt=st.floats(min_value=0.0, max_value=0.01, allow_nan=False))
def test_a_steeper_history_never_lowers_the_projection(rates: list[float], tilt: float) -> None:
    # The same rates tilted upward over time, from the latest one backwards: a higher
    # pace from the same latest rate.
    on = [JUNE - timedelta(days=20 * i) for i in range(len(rates))]
    plain = [Measurement(1, day, rate) for day, rate in zip(on, rates, strict=True)]
    tilted = [Measurement(1, m.on, m.rate - tilt * (JUNE - m.on).days / 20) for m in plain]
    before, after = (project(TARGETS, ms, JUNE, 5.0) for ms in (plain, tilted))
    if before.pace_points is None:
        return
    assert after.pace_points is not None and after.pace_points >= before.pace_points - 1e-6
    assert after.at_final is not None and before.at_final is not None
    assert after.at_final >= before.at_final - 1e-12


@given(start=RATES, slope=st.floats(min_value=-0.1, max_value=0.1, allow_nan=False),
       more=st.floats(min_value=0.0, max_value=0.1, allow_nan=False),
       ahead=st.integers(min_value=0, max_value=2000))
def test_a_higher_pace_never_lowers_the_projection(start: float, slope: float, more: float,
                                                    ahead: int) -> None:
    later = JUNE + timedelta(days=ahead)
    assert projected(JUNE, start, slope + more, later) >= projected(JUNE, start, slope, later)


@given(rates=st.lists(RATES, min_size=1, max_size=8),
       gaps=st.lists(st.integers(min_value=1, max_value=60), min_size=8, max_size=8))
def test_a_projection_never_leaves_0_to_100_percent(rates: list[float], gaps: list[int]) -> None:
    on, measurements = JUNE, []
    for rate, gap in zip(reversed(rates), gaps, strict=False):
        measurements.append(Measurement(1, on, rate))
        on -= timedelta(days=gap)
    projection = project(TARGETS, measurements, JUNE, 5.0)
    assert all(0.0 <= rate <= 1.0 for _, rate in projection.at)
    if projection.needed_points is not None:
        assert projection.needed_points >= 0


@given(rate=RATES, days_left=st.integers(min_value=1, max_value=1000))
def test_the_needed_pace_reaches_the_final_target(rate: float, days_left: int) -> None:
    final = Milestone(JUNE + timedelta(days=days_left), 1.0)
    needed = needed_pace(JUNE, rate, final)
    reached = rate + needed / 100 * days_left / DAYS_PER_MONTH
    assert reached == pytest.approx(1.0, abs=1e-6)
