"""french.py: every French rendering, and one rounding rule shared by all outputs."""

from __future__ import annotations

import csv
import math
import random
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from support import run
from support.inputs import make_input, mission_row
from support.mail import EMAIL_SECTION, bodies, parse

from spes_report import french
from spes_report.model import Status

NBSP = "\u00a0"


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (0.6025 * 100, 1, "60.3"),  # stored as 60.249999…: Excel shows 60.3
    (0.2 + 0.1, 1, "0.3"), (2.675, 2, "2.68"), (-2.5, 0, "-3"), (-0.04, 1, "0.0"),
    (1e-7, 6, "0.000000"), (99.95, 1, "100.0"),
])
def test_rounded_as_excel_shows(value: float, decimals: int, expected: str) -> None:
    assert french.rounded(value, decimals) == Decimal(expected)
    assert str(french.rounded(value, decimals)) == expected


def test_numbers_and_percentages() -> None:
    assert french.number(5.0) == "5"
    assert french.number(2.5) == "2,5"
    assert french.number(2.5, 2, keep_zeros=True) == "2,50"
    assert french.integer(12345) == "12\u202f345"
    assert french.percent(0.85) == f"85{NBSP}%"
    assert french.percent(0.875) == f"87,5{NBSP}%"
    assert french.percent(0.85, keep_zeros=True) == f"85,0{NBSP}%"
    assert french.percent(0.6525, decimals=6) == f"65,25{NBSP}%"
    assert french.percent(None) == "—"
    assert french.file_size(12 * 1024 * 1024 + 512 * 1024) == "12,5 Mio"


def test_plurals_follow_the_french_rule() -> None:
    assert [french.count(n, "problème") for n in (0, 1, 2)] == [
        "0 problème", "1 problème", "2 problèmes"]
    assert french.count(3, "taux lu", "taux lus") == "3 taux lus"
    assert french.plural(1.5, "point") == "point"
    assert [french.listing(items) for items in ([], ["3"], ["3", "5"], ["3", "5", "7"])] == [
        "", "3", "3 et 5", "3, 5 et 7"]


def test_status_counts_leave_out_empty_statuses() -> None:
    counts = [(Status.CONFORME, 5), (Status.VIGILANCE, 1), (Status.ALERTE, 0),
              (Status.NON_RENSEIGNE, 2)]
    assert french.status_counts(counts) == "5 conformes, 1 en vigilance, 2 non renseignées"


@pytest.mark.parametrize(
    ("fraction", "expected"),
    [(0.85, "85 %"), (0.875, "87,5 %"), (1.0, "100 %"), (0.0, "0 %"), (0.7700000001, "77 %"),
     (None, "—")],
)
def test_french_percent(fraction: float | None, expected: str) -> None:
    assert french.percent(fraction) == expected.replace(" ", french.NBSP)


@pytest.mark.parametrize(
    ("points", "signed", "phrase"),
    [(-12.0, "−12", "−12 points"), (2.0, "+2", "+2 points"), (1.0, "+1", "+1 point"),
     (-1.5, "−1,5", "−1,5 point"), (-2.5, "−2,5", "−2,5 points"), (0.0, "0", "0 point"),
     (-0.04, "0", "0 point"), (-3.0000001, "−3", "−3 points"), (-1.96, "−2", "−2 points")],
)
def test_points_use_a_real_minus_and_french_agreement(points: float, signed: str,
                                                      phrase: str) -> None:
    assert french.signed_points(points) == signed.replace("−", french.MINUS)
    assert french.points(points, signed=True) == phrase.replace("−", french.MINUS).replace(
        " ", french.NBSP)
    assert "-" not in french.points(points, signed=True)


@pytest.mark.parametrize(("day", "expected"), [
    (date(2020, 6, 1), "1er juin 2020"),
    (date(2020, 6, 2), "2 juin 2020"),
    (date(2021, 8, 15), "15 août 2021"),
    (date(2020, 12, 31), "31 décembre 2020"),
    (date(2020, 2, 1), "1er février 2020"),
    (date(2021, 2, 2), "2 février 2021"),
])
def test_french_long_date(day: date, expected: str) -> None:
    assert french.long_date(day) == expected


def test_french_date_and_number() -> None:
    assert french.short_date(date(2020, 5, 11)) == "11/05/2020"
    assert french.short_date(None) == "—"
    assert french.number(5.0) == "5"
    assert french.number(2.5) == "2,5"


# --- the same figure in every output -----------------------------------------------------

def libreoffice_shows(workbook: Path, out: Path) -> list[list[str]]:
    """The cells of the first sheet as LibreOffice displays them (CSV "as shown")."""
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(out),
         str(workbook)],
        check=False, capture_output=True, timeout=180,
    )
    with (out / (workbook.stem + ".csv")).open(encoding="utf-8", newline="") as stream:
        return list(csv.reader(stream))


needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) absent : apt-get install libreoffice-calc-nogui")


def test_averages_round_half_up_on_the_true_figure() -> None:
    """Three hundred averages of eight whole-percent rates, as committees see them.

    The builder averages binary floats (six times 60 % and twice 61 % gives
    0.60249999…); french.percent must still show what the true average
    rounds to, halves up, as Excel shows a ``0.0 %`` cell (Excel reads 15
    significant digits). The true average is computed here in exact fractions.
    """
    rng = random.Random(2020)
    cases = [[rng.randint(0, 100) for _ in range(8)] for _ in range(300)]
    cases += [[60] * 6 + [61] * 2, [59] * 6 + [60] * 2, [0] * 8, [100] * 8]
    for percents in cases:
        average = sum(p / 100 for p in percents) / len(percents)  # as builder.py does
        exact = Fraction(sum(percents), len(percents))  # in percent
        tenths = math.floor(exact * 10 + Fraction(1, 2))  # half up
        expected = f"{tenths // 10},{tenths % 10}{NBSP}%"
        assert french.percent(average, keep_zeros=True) == expected, percents


@pytest.mark.libreoffice
@needs_libreoffice
def test_one_average_reads_the_same_in_the_email_the_archive_and_the_workbook(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Six missions at 60 % and two at 61 %: 60,25 %, shown 60,3 % everywhere (the
    email once said 60,2 % while the workbook showed 60,3 %)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "spes-report.toml").write_text(EMAIL_SECTION, encoding="utf-8")
    rates = [0.60] * 6 + [0.61] * 2
    make_input(tmp_path / "saisie.xlsx",
               [mission_row(n, None, rate) for n, rate in enumerate(rates, start=1)])

    result = run("email", "saisie.xlsx")
    assert result.exit_code == 0, result.output
    text, html = bodies(parse((tmp_path / "outputs" / "SPES_COPIL_2020-06-01.eml").read_bytes()))
    assert f"Taux moyen de réalisation : 60,3{NBSP}%" in text
    assert f"60,3{NBSP}%" in html and "60,2" not in html

    listed = run("archive", "list")
    assert f"taux moyen 60,3{NBSP}%" in listed.output

    sheets_as_shown = libreoffice_shows(tmp_path / "outputs" / "SPES_COPIL_2020-06-01.xlsx",
                                        tmp_path)
    average_row = next(row for row in sheets_as_shown if "Taux moyen de réalisation" in row)
    assert "60.3 %" in average_row
