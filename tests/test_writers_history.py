"""The Historique sheet, and the Synthèse notes on the trend and on corrections, as read back
from the workbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from support.workbooks import MEASUREMENTS, NS, Package, committee, load, sample_report, tag

from spes_report import InputData, Measurement, build_report, write_workbook
from spes_report.model import PastCommittee
from spes_report.writers import history as history_sheet

MAY, JUNE = date(2020, 5, 11), date(2020, 6, 1)


def history_report(past: tuple[PastCommittee, ...]) -> Any:
    report, plan = sample_report()
    data = InputData(committee_date=JUNE, measurements=MEASUREMENTS)
    report = build_report(plan, data, JUNE, source=report.source, tool_version="0.1.0",
                          history=past)
    return report, plan


def sheet_rows(ws: Any) -> list[list[Any]]:
    return [[c.value for c in row] for row in ws.iter_rows()]


@pytest.fixture
def with_history(tmp_path: Path) -> tuple[Any, Path]:
    april = committee(date(2020, 4, 15), {1: 0.5, 2: None}, average=0.5)
    may = committee(MAY, {n: 0.6 + n / 100 for n in range(1, 9)}, average=0.645,
                    measurements=(Measurement(3, MAY, 0.45), Measurement(4, MAY, 0.7)))
    report, plan = history_report((april, may))
    return report, write_workbook(report, plan, tmp_path / "h.xlsx")


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
    assert any(text.endswith("Tendance : évolution du réalisé depuis le comité du 11 mai "
                             "2020, en points.") for text in texts)
    warning = next(c for row in ws.iter_rows() for c in row
                   if isinstance(c.value, str) and c.value.startswith("Attention"))
    assert warning.value == ("Attention : 2 valeurs déjà présentées à un comité précédent ont "
                             "été modifiées dans le fichier de saisie (voir la feuille "
                             "Historique).")
    assert warning.hyperlink.location == "Historique!A1"
    # The trend column holds the change since May's figure (61 % for M1, 86 % now).
    assert ws["G8"].value == pytest.approx(25.0)


def test_without_history_the_sheet_says_so_and_has_no_chart(tmp_path: Path) -> None:
    report, plan = history_report(())
    path = write_workbook(report, plan, tmp_path / "first.xlsx")
    rows = sheet_rows(load(path)["Historique"])
    assert rows[3][:3] == ["N°", "Mission", "01/06/2020\n(ce comité)"]
    flat = [v for row in rows for v in row]
    assert history_sheet.NO_HISTORY in flat
    assert history_sheet.CORRECTIONS_TITLE not in flat  # nothing to compare with
    package = Package(path)
    assert package.charts(package.sheets()["Historique"]) == []
    synthese = [v for row in sheet_rows(load(path)["Synthèse"]) for v in row]
    assert any(isinstance(v, str) and v.endswith(
        "Tendance : évolution du réalisé depuis la mesure précédente, en points.")
        for v in synthese)
    assert not any(isinstance(v, str) and v.startswith("Attention") for v in synthese)


def test_history_without_corrections_says_so(tmp_path: Path) -> None:
    may = committee(MAY, {1: 0.75}, measurements=(Measurement(1, MAY, 0.75),))
    report, plan = history_report((may,))
    path = write_workbook(report, plan, tmp_path / "clean.xlsx")
    flat = [v for row in sheet_rows(load(path)["Historique"]) for v in row]
    assert history_sheet.NO_CORRECTION in flat


def test_only_the_latest_committees_are_shown(tmp_path: Path) -> None:
    past = tuple(committee(date(2019, month, 1), {1: month / 100}) for month in range(1, 13))
    report, plan = history_report(past)
    ws = load(write_workbook(report, plan, tmp_path / "long.xlsx"))["Historique"]
    headers = [ws.cell(4, col).value for col in range(3, 3 + history_sheet.MAX_COMMITTEES)]
    assert headers[0] == "01/02/2019"  # January left out: 11 archived + this one
    assert headers[-1] == "01/06/2020\n(ce comité)"
    flat = [c.value for row in ws.iter_rows() for c in row]
    assert ("Seuls les 12 derniers comités sont affichés ; 1 comité plus ancien reste dans "
            "l'archive.") in flat
