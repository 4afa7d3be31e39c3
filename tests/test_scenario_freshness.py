"""A figure nobody updated since the last committee is said so: on Synthèse, in the email,
with the freshness taken from the option, the configuration or the default."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from support import run
from support.inputs import make_input
from support.mail import EMAIL_SECTION, bodies, parse
from support.workbooks import load

from spes_report.archive.manifest import read_manifest
from spes_report.writers.summary import FIRST_ROW

HEADER = ["N°", "Mission", datetime(2020, 5, 11), datetime(2020, 6, 1), datetime(2020, 7, 1)]


@pytest.fixture
def stale_office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An input for 1 July where M2's last rate dates from 11 May (51 days before)."""
    monkeypatch.chdir(tmp_path)
    rows = [[n, f"Mission {n}", 0.5, 0.6, 0.7] for n in range(1, 9)]
    rows[1] = [2, "Mission 2", 0.8, None, None]
    make_input(tmp_path / "juillet.xlsx", rows, header=HEADER, committee_date=date(2020, 7, 1))
    return tmp_path


def trend_cells(workbook: Path) -> dict[str, object]:
    sheet = load(workbook)["Synthèse"]
    return {sheet.cell(FIRST_ROW + 1 + i, 1).value: sheet.cell(FIRST_ROW + 1 + i, 7).value
            for i in range(8)}


def test_without_an_archive_a_rate_older_than_45_days_is_not_fresh(stale_office: Path) -> None:
    result = run("build", "juillet.xlsx", "--no-archive")
    assert result.exit_code == 0, result.output
    trends = trend_cells(stale_office / "outputs" / "SPES_COPIL_2020-07-01.xlsx")
    assert trends["M2"] == "Non actualisé depuis le 11/05/2020"
    assert trends["M1"] == pytest.approx(10.0)  # 60 % then 70 %: a trend, fresh
    notes = [row[0] for row in load(stale_office / "outputs" / "SPES_COPIL_2020-07-01.xlsx")[
        "Synthèse"].iter_rows(min_row=17, values_only=True) if row[0]]
    assert ("Non actualisé : le dernier taux de la mission est saisi plus de 45 jours avant "
            "ce comité.") in notes


def test_the_option_then_the_configuration_set_the_freshness(stale_office: Path) -> None:
    assert run("build", "juillet.xlsx", "--no-archive", "--freshness", "60").exit_code == 0
    assert trend_cells(stale_office / "outputs" / "SPES_COPIL_2020-07-01.xlsx")["M2"] == "—"
    (stale_office / "spes-report.toml").write_text("[report]\nfreshness_days = 90\n",
                                             encoding="utf-8")
    assert run("build", "juillet.xlsx", "--output-dir", "o2").exit_code == 0
    assert trend_cells(stale_office / "o2" / "SPES_COPIL_2020-07-01.xlsx")["M2"] == "—"
    # Recorded with the month: verify rebuilds it with the same freshness.
    assert read_manifest(stale_office / "o2" / "archive" / "2020-07")["freshness_days"] == 90
    assert run("archive", "verify", "--output-dir", "o2").exit_code == 0
    # The option wins over the file.
    assert run("build", "juillet.xlsx", "--output-dir", "o3", "--freshness", "10").exit_code == 0
    assert trend_cells(stale_office / "o3" / "SPES_COPIL_2020-07-01.xlsx")["M2"] == (
        "Non actualisé depuis le 11/05/2020")


def test_a_bad_freshness_is_refused_before_anything_is_written(stale_office: Path) -> None:
    (stale_office / "spes-report.toml").write_text('[report]\nfreshness_days = "45"\n',
                                             encoding="utf-8")
    result = run("build", "juillet.xlsx")
    assert result.exit_code == 1
    assert ("spes-report.toml [report] freshness_days : la fraîcheur des taux doit être un "
            'nombre entier de jours (valeur trouvée : "45" ; attendu : un nombre entier de '
            "jours, de 1 à 366)") in result.output
    assert not (stale_office / "outputs").exists()
    assert run("build", "juillet.xlsx", "--freshness", "0").exit_code == 2


def test_with_an_archive_the_previous_committee_decides_and_the_email_says_so(
        stale_office: Path) -> None:
    june = [[n, f"Mission {n}", 0.5, 0.6] for n in range(1, 9)]
    make_input(stale_office / "juin.xlsx", june, header=HEADER[:4], committee_date=date(2020, 6, 1))
    assert run("build", "juin.xlsx").exit_code == 0
    rows = [[n, f"Mission {n}", 0.5, 0.6, 0.7] for n in range(1, 9)]
    rows[2] = [3, "Mission 3", 0.5, 0.6, None]  # nothing new since 1 June
    make_input(stale_office / "juillet.xlsx", rows, header=HEADER, committee_date=date(2020, 7, 1))
    (stale_office / "spes-report.toml").write_text(EMAIL_SECTION, encoding="utf-8")
    result = run("email", "juillet.xlsx")
    assert result.exit_code == 0, result.output
    trends = trend_cells(stale_office / "outputs" / "SPES_COPIL_2020-07-01.xlsx")
    assert trends["M3"] == "Non actualisé depuis le 01/06/2020"
    assert trends["M2"] == pytest.approx(10.0)
    text, _ = bodies(parse((stale_office / "outputs" / "SPES_COPIL_2020-07-01.eml").read_bytes()))
    assert "la mission 3 n'est pas actualisée depuis le 01/06/2020" in text
    assert "- Mission 3 — " in text and "non actualisé depuis le 01/06/2020" in text
