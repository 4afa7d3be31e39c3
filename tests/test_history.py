"""History without files: which figures shown to a committee were corrected since, and which
archived committees come before a report.

The trend against the last committee is in test_builder, the Historique sheet in
test_writers_history, the wording of a correction in test_cli_messages."""

from __future__ import annotations

from datetime import date

from support.workbooks import committee

from spes_report import Measurement
from spes_report.history import earlier_committees, find_corrections
from spes_report.model import Correction

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
