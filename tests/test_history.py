"""History without files: which figures shown to a committee were corrected since, and which
archived committees come before a report.

The trend against the last committee is in test_builder, the Historique sheet in
test_writers_history, the wording of a correction in test_cli_messages."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from support.workbooks import committee

from spes_report import Measurement, french
from spes_report.history import (
    earlier_committees,
    find_corrections,
    find_revisions,
    forecast_checks,
    initial_plan,
)
from spes_report.model import (
    Correction,
    ForecastCheck,
    Milestone,
    Mission,
    PastCommittee,
    Plan,
    Revision,
    RevisionKind,
)

MAY, JUNE, JULY = date(2020, 5, 11), date(2020, 6, 1), date(2020, 7, 1)


def test_a_changed_and_an_emptied_value_are_corrections() -> None:
    june = committee(JUNE, {}, (Measurement(3, JUNE, 0.70), Measurement(5, JUNE, 0.60),
                                Measurement(1, JUNE, 0.80)))
    now = [Measurement(3, JUNE, 0.65), Measurement(1, JUNE, 0.80), Measurement(1, JULY, 0.9)]
    assert find_corrections(now, [june]) == (
        Correction(3, JUNE, 0.70, 0.65, JUNE),
        Correction(5, JUNE, 0.60, None, JUNE),
    )


def test_same_rate_typed_differently_is_not_a_correction() -> None:
    june = committee(JUNE, {}, (Measurement(1, JUNE, 0.7),))
    assert find_corrections([Measurement(1, JUNE, 70 / 100 + 1e-12)], [june]) == ()


def test_only_rates_the_committee_was_shown_count() -> None:
    # A July figure already typed in June's input was not shown on 1 June.
    june = committee(JUNE, {}, (Measurement(1, JUNE, 0.8), Measurement(1, JULY, 0.85)))
    assert find_corrections([Measurement(1, JUNE, 0.8), Measurement(1, JULY, 0.9)],
                            [june]) == ()


def test_a_value_shown_twice_is_compared_with_the_latest_committee() -> None:
    june = committee(JUNE, {}, (Measurement(3, JUNE, 0.70),))
    july = committee(JULY, {}, (Measurement(3, JUNE, 0.68),))
    (correction,) = find_corrections([Measurement(3, JUNE, 0.65)], [july, june])
    assert (correction.reported, correction.committee) == (0.68, JULY)


def test_earlier_committees_are_sorted_and_before_the_report() -> None:
    got = earlier_committees([committee(JULY, {}), committee(MAY, {}), committee(JUNE, {})],
                             JULY)
    assert [c.report_date for c in got] == [MAY, JUNE]


# --- revisions of the plan ------------------------------------------------------------

SEPT = date(2020, 9, 1)


def plan_of(*missions: Mission, title: str = "Plan 2020") -> Plan:
    return Plan("SPES", title, missions)


def mission(number: int, targets: dict[date, float], title: str = "",
            reason: str = "") -> Mission:
    return Mission(number, title or f"Mission {number}", "", "",
                   tuple(Milestone(day, rate) for day, rate in sorted(targets.items())),
                   revision_reason=reason)


BEFORE = plan_of(mission(1, {JUNE: 0.5, SEPT: 1.0}), mission(7, {JUNE: 0.6, SEPT: 0.8}),
                 mission(8, {JUNE: 0.5, SEPT: 1.0}))


def test_an_unchanged_plan_has_no_revision() -> None:
    assert find_revisions(BEFORE, BEFORE) == ()


def test_each_kind_of_revision_is_found() -> None:
    mid_july = date(2020, 7, 15)
    after = plan_of(
        mission(1, {JUNE: 0.5, mid_july: 0.7, SEPT: 1.0}, title="Mission 1 renommée"),
        mission(7, {JUNE: 0.6, mid_july: 0.65, SEPT: 0.7}, reason="Moyens réduits"),
        mission(9, {mid_july: 0.3, SEPT: 0.8}, reason="Nouvelle priorité"),
    )
    assert find_revisions(BEFORE, after) == (
        Revision(RevisionKind.MILESTONE_ADDED, on=mid_july),
        Revision(RevisionKind.MISSION_RETITLED, 1, before="Mission 1",
                 after="Mission 1 renommée"),
        Revision(RevisionKind.TARGET_CHANGED, 7, on=SEPT, before=0.8, after=0.7,
                 reason="Moyens réduits"),
        Revision(RevisionKind.MISSION_REMOVED, 8, before="Mission 8"),
        Revision(RevisionKind.MISSION_ADDED, 9, after="Mission 9", reason="Nouvelle priorité"),
    )
    assert [french.revision_text(r) for r in find_revisions(BEFORE, after)] == [
        "échéance du 15/07/2020 ajoutée",
        "mission n° 1 renommée : « Mission 1 » → « Mission 1 renommée »",
        "M7, 01/09/2020 : cible 80\u00a0% → 70\u00a0% (motif : Moyens réduits)",
        "mission n° 8 retirée : « Mission 8 »",
        "mission n° 9 ajoutée : « Mission 9 » (motif : Nouvelle priorité)",
    ]


def test_a_moved_echeance_compares_its_targets_at_the_new_date() -> None:
    later = date(2020, 9, 15)
    after = plan_of(mission(1, {JUNE: 0.5, later: 1.0}), mission(7, {JUNE: 0.6, later: 0.75}),
                    mission(8, {JUNE: 0.5, later: 1.0}))
    assert find_revisions(BEFORE, after) == (
        Revision(RevisionKind.MILESTONE_MOVED, on=SEPT, moved_to=later),
        Revision(RevisionKind.TARGET_CHANGED, 7, on=later, before=0.8, after=0.75),
    )
    removed = plan_of(mission(1, {JUNE: 0.5}), mission(7, {JUNE: 0.6}), mission(8, {JUNE: 0.5}))
    assert find_revisions(BEFORE, removed) == (
        Revision(RevisionKind.MILESTONE_REMOVED, on=SEPT),)


def test_a_target_dropped_at_a_kept_echeance_is_a_revision() -> None:
    after = plan_of(mission(1, {JUNE: 0.5, SEPT: 1.0}), mission(7, {SEPT: 0.8}),
                    mission(8, {JUNE: 0.5, SEPT: 1.0}))
    assert find_revisions(BEFORE, after) == (
        Revision(RevisionKind.TARGET_CHANGED, 7, on=JUNE, before=0.6, after=None),)
    assert french.revision_text(find_revisions(BEFORE, after)[0]) == (
        "M7, 01/06/2020 : cible 60\u00a0% → —")


def test_a_plan_with_no_echeance_in_common_is_a_new_plan_not_a_list() -> None:
    new = plan_of(mission(1, {date(2021, 3, 1): 0.4}), title="Plan 2021")
    assert find_revisions(BEFORE, new) == (
        Revision(RevisionKind.NEW_PLAN, before="Plan 2020", after="Plan 2021"),)
    # The same title over new dates is a new period too.
    same_title = plan_of(mission(1, {date(2021, 3, 1): 0.4}))
    assert [r.kind for r in find_revisions(BEFORE, same_title)] == [RevisionKind.NEW_PLAN]


def test_a_retitled_plan_still_lists_its_target_changes() -> None:
    """A title fixed in passing must not hide a lowered target."""
    after = plan_of(mission(1, {JUNE: 0.5, SEPT: 1.0}), mission(7, {JUNE: 0.6, SEPT: 0.7}),
                    mission(8, {JUNE: 0.5, SEPT: 1.0}), title="Plan 2020 (révisé)")
    assert find_revisions(BEFORE, after) == (
        Revision(RevisionKind.PLAN_RETITLED, before="Plan 2020", after="Plan 2020 (révisé)"),
        Revision(RevisionKind.TARGET_CHANGED, 7, on=SEPT, before=0.8, after=0.7))


def test_dates_on_both_sides_of_a_kept_echeance_are_no_move() -> None:
    december = date(2020, 12, 1)
    kept = {m.number: next(ms.target for ms in m.milestones if ms.due == SEPT)
            for m in BEFORE.missions}
    after = plan_of(*(mission(number, {SEPT: target, december: 1.0})
                      for number, target in kept.items()))
    assert [(r.kind, r.on) for r in find_revisions(BEFORE, after)] == [
        (RevisionKind.MILESTONE_REMOVED, JUNE), (RevisionKind.MILESTONE_ADDED, december)]


def test_the_initial_plan_is_the_first_committee_of_the_lineage() -> None:
    unknown = committee(date(2020, 4, 1), {}, ())
    older = dataclasses.replace(committee(MAY, {}, ()), plan=plan_of(
        mission(1, {MAY: 0.5}), title="Plan 2019"))
    june = dataclasses.replace(committee(JUNE, {}, ()), plan=BEFORE)
    july = dataclasses.replace(committee(JULY, {}, ()), plan=plan_of(mission(1, {JUNE: 0.4})))
    assert initial_plan([unknown, older, june, july], BEFORE) is june
    assert initial_plan([older], BEFORE) is None
    # Back to the first committee of another plan only: 2020 dates again later are a new lineage.
    renewed = dataclasses.replace(committee(date(2020, 10, 1), {}, ()), plan=plan_of(
        mission(1, {date(2021, 3, 1): 0.4})))
    assert initial_plan([june, renewed], BEFORE) is None


# --- forecasts' track record -------------------------------------------------------------

def _projected(day: date, *projections: tuple[int, date, float]) -> PastCommittee:
    return PastCommittee(day, (), None, (), projections=projections)


def test_the_latest_projection_before_each_passed_échéance_meets_its_rate() -> None:
    may, june, july, sept = (date(2020, 5, 11), date(2020, 6, 1), date(2020, 7, 1),
                             date(2020, 9, 1))
    past = (
        _projected(may, (1, july, 0.70), (1, sept, 0.90)),
        _projected(june, (1, july, 0.80), (2, july, 0.50), (1, sept, 0.95)),
    )
    measured = (Measurement(1, june, 0.60), Measurement(1, date(2020, 6, 20), 0.74),
                Measurement(1, july, 0.78), Measurement(2, date(2020, 6, 15), 0.40))
    checks = forecast_checks(past, measured, date(2020, 7, 15))
    assert checks == (
        # June's projection, the later one, against the rate measured on 1 July.
        ForecastCheck(1, july, 0.80, june, 0.78),
        # Nothing measured on the échéance: a rate of 15 June says nothing of 1 July.
        ForecastCheck(2, july, 0.50, june, None),
    )
    assert checks[0].gap_points == pytest.approx(-2.0)
    assert checks[1].gap_points is None
    # September is not due yet; once it is, May's and June's projections are checked.
    later = forecast_checks(past, measured, sept)
    assert [(c.mission, c.due) for c in later] == [(1, sept), (1, july), (2, july)]
    assert later[0] == ForecastCheck(1, sept, 0.95, june, None)


def test_a_committee_on_or_after_the_échéance_forecasts_nothing_for_it() -> None:
    july = date(2020, 7, 1)
    past = (_projected(july, (1, july, 0.8)), _projected(date(2020, 7, 10), (1, july, 0.9)))
    assert forecast_checks(past, (), date(2020, 8, 1)) == ()
