"""History without files: corrections, the trend against the last committee, and the
Historique sheet and Synthèse notes as read back from the workbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from support.workbooks import MEASUREMENTS, NS, Package, committee, load, sample_report, tag

from spes_report import InputData, Measurement, build_report, load_definitions, write_workbook
from spes_report.cli.messages import correction_text as describe
from spes_report.history import earlier_committees, find_corrections
from spes_report.model import Correction, PastCommittee
from spes_report.writers import history as history_sheet

MAY, JUNE, JULY = date(2020, 5, 11), date(2020, 6, 1), date(2020, 7, 1)


# --- corrections ------------------------------------------------------------------------

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


def test_correction_wording() -> None:
    assert describe(Correction(3, JUNE, 0.70, 0.65, JUNE)) == (
        "M3, 01/06/2020 : 70\u00a0% → 65\u00a0% (comité du 1er juin 2020)")
    assert describe(Correction(12, MAY, 0.655, None, JULY)) == (
        "M12, 11/05/2020 : 65,5\u00a0% → vide (comité du 1er juillet 2020)")
    assert describe(Correction(1, MAY, 1.0, 0.6525, JULY)) == (
        "M1, 11/05/2020 : 100\u00a0% → 65,25\u00a0% (comité du 1er juillet 2020)")


def test_earlier_committees_are_sorted_and_before_the_report() -> None:
    got = earlier_committees([committee(JULY, {}), committee(MAY, {}), committee(JUNE, {})],
                             JULY)
    assert [c.report_date for c in got] == [MAY, JUNE]


# --- the builder ------------------------------------------------------------------------

def build(history: tuple[PastCommittee, ...], day: date = JUNE) -> Any:
    data = InputData(committee_date=day, measurements=MEASUREMENTS)
    return build_report(load_definitions(), data, day, history=history)


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


# --- the workbook -----------------------------------------------------------------------

def history_report(past: tuple[PastCommittee, ...]) -> Any:
    report, definitions = sample_report()
    data = InputData(committee_date=JUNE, measurements=MEASUREMENTS)
    report = build_report(definitions, data, JUNE, source=report.source, tool_version="0.1.0",
                          history=past)
    return report, definitions


def sheet_rows(ws: Any) -> list[list[Any]]:
    return [[c.value for c in row] for row in ws.iter_rows()]


@pytest.fixture
def with_history(tmp_path: Path) -> tuple[Any, Path]:
    april = committee(date(2020, 4, 15), {1: 0.5, 2: None}, average=0.5)
    may = committee(MAY, {n: 0.6 + n / 100 for n in range(1, 9)}, average=0.645,
                    measurements=(Measurement(3, MAY, 0.45), Measurement(4, MAY, 0.7)))
    report, definitions = history_report((april, may))
    return report, write_workbook(report, definitions, tmp_path / "h.xlsx")


def test_historique_sheet_values(with_history: tuple[Any, Path]) -> None:
    report, path = with_history
    book = load(path)
    assert book.sheetnames[-2:] == ["Historique", "Paramètres"]
    ws = book["Historique"]
    assert ws["A1"].value == "Historique des comités"
    assert [ws.cell(4, col).value for col in range(1, 6)] == [
        "N°", "Mission", "15/04/2020", "11/05/2020", "01/06/2020\n(ce comité)"]
    for index, ms in enumerate(report.missions):
        row = 5 + index
        number = ms.mission.number
        assert ws.cell(row, 1).value == f"M{number}"
        assert ws.cell(row, 1).hyperlink.location.endswith("!A1")
        assert ws.cell(row, 2).value == ms.mission.title
        assert ws.cell(row, 3).value == (0.5 if number == 1 else None)
        assert ws.cell(row, 4).value == pytest.approx(0.6 + number / 100)
        assert ws.cell(row, 5).value == ms.actual
        assert ws.cell(row, 5).number_format == "0.0 %"
    assert [ws.cell(13, col).value for col in range(2, 6)] == [
        "Taux moyen", 0.5, 0.645, report.average_actual]


def test_historique_lists_the_corrections(with_history: tuple[Any, Path]) -> None:
    _, path = with_history
    rows = sheet_rows(load(path)["Historique"])
    start = next(i for i, r in enumerate(rows) if r[0] == history_sheet.CORRECTIONS_TITLE)
    assert rows[start + 2][:6] == ["N°", *history_sheet.CORRECTION_HEADERS]
    # M3 was 45 % on 11 May at the May committee; the input now says 40 %.
    m3 = rows[start + 3]
    assert m3[0] == "M3"
    assert m3[1].startswith("11/05/2020 — Optimiser")
    assert m3[2:5] == [0.45, 0.40, pytest.approx(-5.0)]
    # M4 had a 11 May figure in May's input; it is gone from this one.
    m4 = rows[start + 4]
    assert m4[0] == "M4" and m4[2:4] == [0.7, history_sheet.EMPTIED] and m4[4] is None
    assert all(row[0] is None for row in rows[start + 5:])  # nothing more


def test_historique_chart_has_a_line_per_mission(with_history: tuple[Any, Path]) -> None:
    _, path = with_history
    package = Package(path)
    (chart,) = package.charts(package.sheets()["Historique"])
    xml = package.xml(chart)
    assert xml.find(".//c:lineChart", NS) is not None
    series = list(xml.iter(tag("c", "ser")))
    assert len(series) == 8
    refs = [f.text for f in series[0].iter(tag("c", "f"))]
    assert refs == ["Historique!$A$5", "Historique!$C$4:$E$4", "Historique!$C$5:$E$5"]


def test_synthese_says_what_the_trend_compares_with(with_history: tuple[Any, Path]) -> None:
    _, path = with_history
    ws = load(path)["Synthèse"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert ("Tendance : évolution du réalisé depuis le comité du 11 mai 2020, en points."
            in texts)
    warning = next(c for row in ws.iter_rows() for c in row
                   if isinstance(c.value, str) and c.value.startswith("Attention"))
    assert warning.value == ("Attention : 2 valeurs déjà présentées à un comité précédent ont "
                             "été modifiées dans le fichier de saisie (voir la feuille "
                             "Historique).")
    assert warning.hyperlink.location == "Historique!A1"
    # The trend column holds the change since May's figure (61 % for M1, 86 % now).
    assert ws["G8"].value == pytest.approx(25.0)


def test_without_history_the_sheet_says_so_and_has_no_chart(tmp_path: Path) -> None:
    report, definitions = history_report(())
    path = write_workbook(report, definitions, tmp_path / "first.xlsx")
    rows = sheet_rows(load(path)["Historique"])
    assert rows[3][:3] == ["N°", "Mission", "01/06/2020\n(ce comité)"]
    flat = [v for row in rows for v in row]
    assert history_sheet.NO_HISTORY in flat
    assert history_sheet.CORRECTIONS_TITLE not in flat  # nothing to compare with
    package = Package(path)
    assert package.charts(package.sheets()["Historique"]) == []
    synthese = [v for row in sheet_rows(load(path)["Synthèse"]) for v in row]
    assert "Tendance : évolution du réalisé depuis la mesure précédente, en points." in synthese
    assert not any(isinstance(v, str) and v.startswith("Attention") for v in synthese)


def test_history_without_corrections_says_so(tmp_path: Path) -> None:
    may = committee(MAY, {1: 0.75}, measurements=(Measurement(1, MAY, 0.75),))
    report, definitions = history_report((may,))
    path = write_workbook(report, definitions, tmp_path / "clean.xlsx")
    flat = [v for row in sheet_rows(load(path)["Historique"]) for v in row]
    assert history_sheet.NO_CORRECTION in flat


def test_only_the_latest_committees_are_shown(tmp_path: Path) -> None:
    past = tuple(committee(date(2019, month, 1), {1: month / 100}) for month in range(1, 13))
    report, definitions = history_report(past)
    ws = load(write_workbook(report, definitions, tmp_path / "long.xlsx"))["Historique"]
    headers = [ws.cell(4, col).value for col in range(3, 3 + history_sheet.MAX_COMMITTEES)]
    assert headers[0] == "01/02/2019"  # January left out: 11 archived + this one
    assert headers[-1] == "01/06/2020\n(ce comité)"
    flat = [c.value for row in ws.iter_rows() for c in row]
    assert ("Seuls les 12 derniers comités sont affichés ; 1 comité plus ancien reste dans "
            "l'archive.") in flat
