"""Business rules without any file: targets, interpolation, gaps, statuses, trends (against
the previous measurement or the last archived committee), corrections."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from support.workbooks import MEASUREMENTS, committee

from spes_report import (
    InputData,
    Measurement,
    Milestone,
    Mission,
    Notes,
    Status,
    build_report,
    load_plan,
)
from spes_report.builder import (
    points,
    resolve_report_date,
    status_for,
    target_on,
    weather_flag,
)
from spes_report.model import (
    Correction,
    PastCommittee,
    Plan,
    Trajectory,
    Weather,
    WeatherFlag,
)

MAY, JUNE, JULY = date(2020, 5, 11), date(2020, 6, 1), date(2020, 7, 1)

MISSION = Mission(
    number=1, title="Essai", objective="", description="",
    milestones=(
        Milestone(date(2020, 5, 11), 0.75),
        Milestone(date(2020, 6, 1), 0.85),
        Milestone(date(2020, 7, 1), 0.90),
        Milestone(date(2020, 9, 1), 1.00),
    ),
)


@pytest.mark.parametrize(
    ("day", "target", "reference"),
    [
        (date(2020, 5, 10), None, None),  # before the first échéance: nothing due
        (date(2020, 5, 11), 0.75, date(2020, 5, 11)),
        (date(2020, 6, 1), 0.85, date(2020, 6, 1)),
        (date(2020, 6, 16), 0.875, date(2020, 6, 1)),  # half way from 85 % to 90 %
        (date(2020, 5, 21), 0.75 + 0.10 * 10 / 21, date(2020, 5, 11)),
        (date(2020, 9, 1), 1.0, date(2020, 9, 1)),
        (date(2021, 1, 1), 1.0, date(2020, 9, 1)),  # after the last: the last target stays
    ],
)
def test_target_on(day: date, target: float | None, reference: date | None) -> None:
    got_target, got_reference = target_on(MISSION, day)
    assert got_reference == reference
    if target is None:
        assert got_target is None
    else:
        assert got_target == pytest.approx(target)


@pytest.mark.parametrize(
    ("actual", "target", "status"),
    [
        (0.90, 0.85, Status.CONFORME),
        (0.85, 0.85, Status.CONFORME),  # on target
        (0.849, 0.85, Status.VIGILANCE),  # just below
        (0.80, 0.85, Status.VIGILANCE),  # exactly at the tolerance, despite floating point
        (0.7999, 0.85, Status.ALERTE),  # just beyond it
        (0.55, 0.70, Status.ALERTE),
        (None, 0.85, Status.NON_RENSEIGNE),
        (0.40, None, Status.SANS_CIBLE),
    ],
)
def test_status_at_and_around_the_tolerance(
    actual: float | None, target: float | None, status: Status
) -> None:
    assert status_for(actual, target, 5.0) is status


def test_tolerance_is_a_parameter() -> None:
    assert status_for(0.80, 0.85, 4.9) is Status.ALERTE
    assert status_for(0.80, 0.85, 0.0) is Status.ALERTE
    assert status_for(0.84, 0.85, 10.0) is Status.VIGILANCE


def test_points_are_exact_at_the_boundary() -> None:
    assert points(0.85 - 0.90) == -5.0
    assert points(0.7 - 0.65) == 5.0


def plan() -> Plan:
    return Plan("SPES", "", (MISSION, Mission(2, "Deux", "", "", MISSION.milestones)))


def test_report_uses_latest_actual_on_or_before_the_date_and_the_change() -> None:
    data = InputData(
        committee_date=None,
        measurements=(
            Measurement(1, date(2020, 5, 11), 0.70),
            Measurement(1, date(2020, 6, 1), 0.82),
            Measurement(1, date(2020, 7, 1), 0.95),  # after the report date: ignored
            Measurement(2, date(2020, 5, 11), 0.80),
        ),
        notes={1: Notes("ok", "", "")},
    )
    report = build_report(plan(), data, date(2020, 6, 1), tolerance_points=5.0)
    first, second = report.missions
    assert first.target == pytest.approx(0.85)
    assert first.actual == pytest.approx(0.82)
    assert first.actual_date == date(2020, 6, 1)
    assert first.gap_points == pytest.approx(-3.0)
    assert first.change_points == pytest.approx(12.0)
    assert first.status is Status.VIGILANCE
    assert first.notes.comment == "ok"
    # Mission 2 last reported on 11 May: that figure is compared with June's target.
    assert second.actual == pytest.approx(0.80)
    assert second.gap_points == pytest.approx(-5.0)
    assert second.status is Status.VIGILANCE
    assert second.change_points is None
    assert report.average_actual == pytest.approx(0.81)
    assert report.count(Status.VIGILANCE) == 2
    assert report.count(Status.CONFORME) == 0


def test_timeline_holds_milestones_and_intermediate_measurements() -> None:
    data = InputData(None, (
        Measurement(1, date(2020, 6, 1), 0.85),
        Measurement(1, date(2020, 6, 16), 0.86),
    ))
    report = build_report(plan(), data, date(2020, 6, 16))
    timeline = report.missions[0].timeline
    assert [row.on for row in timeline] == [
        date(2020, 5, 11), date(2020, 6, 1), date(2020, 6, 16), date(2020, 7, 1), date(2020, 9, 1)
    ]
    intermediate = timeline[2]
    assert not intermediate.is_milestone
    assert intermediate.target == pytest.approx(0.875)
    assert intermediate.gap_points == pytest.approx(-1.5)
    assert intermediate.status is Status.VIGILANCE
    assert [row.status for row in timeline] == [
        Status.NON_RENSEIGNE, Status.CONFORME, Status.VIGILANCE, Status.A_VENIR, Status.A_VENIR
    ]
    assert report.missions[0].reference_milestone == date(2020, 6, 1)


def test_mission_without_any_figure_is_not_filled_in() -> None:
    report = build_report(plan(), InputData(None, ()), date(2020, 6, 1))
    assert all(m.status is Status.NON_RENSEIGNE for m in report.missions)
    assert report.average_actual is None
    assert report.count(Status.NON_RENSEIGNE) == 2


def test_report_date_resolution() -> None:
    data = InputData(date(2020, 6, 1), (Measurement(1, date(2020, 7, 1), 0.9),))
    assert resolve_report_date(date(2020, 5, 11), data) == date(2020, 5, 11)
    assert resolve_report_date(None, data) == date(2020, 6, 1)
    assert resolve_report_date(None, InputData(None, data.measurements)) == date(2020, 7, 1)
    assert resolve_report_date(None, InputData(None, ())) is None


def test_embedded_missions_report_on_the_first_of_june() -> None:
    report = build_report(load_plan(), InputData(None, ()), date(2020, 6, 1))
    assert [round(m.target * 100) for m in report.missions if m.target is not None] == [
        85, 90, 70, 90, 85, 85, 60, 60
    ]


# --- the trend and corrections against archived committees ------------------------------

def build(history: tuple[PastCommittee, ...], day: date = JUNE) -> Any:
    data = InputData(committee_date=day, measurements=MEASUREMENTS)
    return build_report(load_plan(), data, day, history=history)


def trend(report: Any, number: int) -> float | None:
    return next(ms.change_points for ms in report.missions if ms.mission.number == number)


def test_trend_without_history_is_since_the_previous_measurement() -> None:
    report = build(())
    assert report.previous_committee is None
    assert trend(report, 1) == pytest.approx(11.0)  # 75 % on 11/05, 86 % on 01/06
    assert trend(report, 2) is None  # a single measurement


def test_trend_compares_with_the_previous_committee() -> None:
    may = committee(MAY, {1: 0.80, 2: 0.70, 3: None})
    report = build((may,))
    assert report.previous_committee == may
    assert trend(report, 1) == pytest.approx(6.0)  # 80 % shown in May, 86 % now
    assert trend(report, 2) == pytest.approx(16.0)  # no earlier measurement, but May's figure
    assert trend(report, 3) is None  # May had no figure for M3
    assert trend(report, 5) is None  # no figure now


def test_committees_on_or_after_the_report_date_are_ignored() -> None:
    later = committee(JULY, {1: 0.1}, (Measurement(1, JUNE, 0.1),))
    same_day = committee(JUNE, {1: 0.2}, (Measurement(1, JUNE, 0.2),))
    report = build((later, same_day))
    assert report.history == ()
    assert report.corrections == ()
    assert trend(report, 1) == pytest.approx(11.0)


def test_report_lists_corrections_of_archived_figures() -> None:
    may = committee(MAY, {3: 0.45}, (Measurement(3, MAY, 0.45), Measurement(1, MAY, 0.75)))
    report = build((may,))
    assert report.corrections == (Correction(3, MAY, 0.45, 0.40, MAY),)


def test_a_rate_is_stale_once_the_previous_committee_has_seen_it() -> None:
    from spes_report.builder import stale_since

    june, july = date(2020, 6, 1), date(2020, 7, 1)
    # With an archived committee (1 June): its own figures and older ones are no news.
    assert stale_since(june, july, june, 45) == june
    assert stale_since(date(2020, 5, 11), july, june, 45) == date(2020, 5, 11)
    assert stale_since(date(2020, 6, 20), july, june, 45) is None
    # Without one: older than the freshness, in days.
    assert stale_since(date(2020, 5, 16), july, None, 45) == date(2020, 5, 16)  # 46 days
    assert stale_since(date(2020, 5, 17), july, None, 45) is None  # 45 days: still fresh
    assert stale_since(date(2020, 5, 16), july, None, 46) is None
    # No rate at all is « Non renseigné », not stale.
    assert stale_since(None, july, june, 45) is None


@pytest.mark.parametrize(
    ("weather", "trajectory", "flag"),
    [
        (Weather.SOLEIL, Trajectory.HORS_TRAJECTOIRE, WeatherFlag.OPTIMISTIC),
        (Weather.ORAGE, Trajectory.EN_BONNE_VOIE, WeatherFlag.PESSIMISTIC),
        # Only strong disagreements: a cloud is an opinion, not a contradiction.
        (Weather.SOLEIL, Trajectory.A_SURVEILLER, None),
        (Weather.NUAGEUX, Trajectory.HORS_TRAJECTOIRE, None),
        (Weather.COUVERT, Trajectory.EN_BONNE_VOIE, None),
        (Weather.ORAGE, Trajectory.HORS_TRAJECTOIRE, None),
        (Weather.SOLEIL, Trajectory.NON_PROJETABLE, None),
        (None, Trajectory.HORS_TRAJECTOIRE, None),
    ],
)
def test_the_declared_weather_is_flagged_when_the_trajectory_contradicts_it(
        weather: Weather | None, trajectory: Trajectory, flag: WeatherFlag | None) -> None:
    assert weather_flag(weather, trajectory) is flag


def test_the_report_carries_the_weather_flag() -> None:
    plan = Plan("SPES", "", (MISSION,))
    # 2 points a month from 60 % on 1 June: far from 100 % on 1 September.
    data = InputData(JUNE, (Measurement(1, date(2020, 5, 2), 0.58), Measurement(1, JUNE, 0.60)),
                     {1: Notes(weather=Weather.SOLEIL)})
    ms = build_report(plan, data, JUNE).missions[0]
    assert ms.projection.trajectory is Trajectory.HORS_TRAJECTOIRE
    assert ms.weather_flag is WeatherFlag.OPTIMISTIC
