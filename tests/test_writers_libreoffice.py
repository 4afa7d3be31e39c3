"""The workbook opens in LibreOffice and prints: converted to PDF, as a reader would."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import pytest
from support.workbooks import load, sample_report

from spes_report import write_workbook

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(shutil.which("soffice") is None,
                       reason="LibreOffice (soffice) absent : "
                              "apt-get install libreoffice-calc-nogui"),
]

TIMEOUT = 120  # seconds; a first start of LibreOffice builds its profile.


def convert_to_pdf(workbook: Path, out: Path) -> Path:
    profile = out / "profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), str(workbook)],
        check=False, capture_output=True, timeout=TIMEOUT,
    )
    # soffice exits 0 even when it could not load the file: judge by the PDF.
    return out / (workbook.stem + ".pdf")


def test_workbook_converts_to_pdf(tmp_path: Path) -> None:
    report, plan = sample_report()
    workbook = write_workbook(report, plan, tmp_path / "comite.xlsx")
    pdf = convert_to_pdf(workbook, tmp_path)
    assert pdf.is_file()
    content = pdf.read_bytes()
    assert content.startswith(b"%PDF")
    assert len(content) > 10_000

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext absent : apt-get install poppler-utils")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True, timeout=TIMEOUT).stdout
    assert "Comité de pilotage du 1er juin 2020" in text
    # Formula-like comments stay text (not evaluated) once LibreOffice loads them.
    assert "=cmd|' /C calc'!A0" in text
    # Statuses are formulas: LibreOffice shows them (cached or recalculated).
    for status in ("Conforme", "Vigilance", "Alerte", "Non renseigné", "À venir"):
        assert status in text
    # Each mission sheet prints on one page; the summary takes at most two
    # (its chart moves to a page of its own rather than being cut); without
    # archived committees the history is one page.
    pages = text.split("\f")[:-1]
    assert len(pages) <= len(report.missions) + 4
    assert "Historique des comités" in pages[-2]
    for ms in report.missions:
        on = [page for page in pages if f"Mission {ms.mission.number} —" in page]
        assert len(on) == 1
        assert "Prochaines étapes" in on[0]
    assert "Paramètres et règles de calcul" in pages[-1]
    assert "Cible et réalisé par mission" in pages[0] + pages[1]
    # The projection's columns print with the table, the trajectory beside the status.
    for header in ("Trajectoire", "Projection", "Rythme", "nécessaire"):
        assert header in pages[0]
    trajectories = {ms.projection.trajectory.value for ms in report.missions}
    assert all(trajectory in pages[0] for trajectory in trajectories)


def recalculated(workbook: Path, out: Path) -> Path:
    """``workbook`` opened and saved again by LibreOffice, its formulas recomputed."""
    profile = out / "profile"
    target = out / "recalculated"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(target),
         str(workbook)],
        check=False, capture_output=True, timeout=TIMEOUT,
    )
    return target / workbook.name


def test_gap_and_status_formulas_follow_an_edited_rate(tmp_path: Path) -> None:
    """What a committee member sees after correcting a Réalisé by hand.

    openpyxl saves formulas without their cached values, so LibreOffice must
    compute them: this checks the formulas themselves, not the builder's figures.
    """
    from spes_report.writers.summary import FIRST_ROW

    report, plan = sample_report()
    workbook = write_workbook(report, plan, tmp_path / "comite.xlsx")
    book = load(workbook)
    sheet = book["Synthèse"]
    rows = {sheet.cell(FIRST_ROW + 1 + i, 1).value: FIRST_ROW + 1 + i
            for i in range(len(report.missions))}
    # M1's target is 85 %: 80 % is exactly at the 5-point tolerance, so Vigilance;
    # 79 % is beyond it; an emptied rate is « Non renseigné ».
    sheet.cell(rows["M1"], 5).value = 0.80
    sheet.cell(rows["M2"], 5).value = 0.79
    sheet.cell(rows["M4"], 5).value = None
    sheet.cell(rows["M6"], 5).value = 0.99
    edited = tmp_path / "edited" / "comite.xlsx"
    edited.parent.mkdir()
    book.save(edited)

    values = load(recalculated(edited, tmp_path), data_only=True)["Synthèse"]
    gap_and_status = {
        name: (values.cell(row, 6).value, values.cell(row, 8).value)
        for name, row in rows.items() if name in ("M1", "M2", "M4", "M6")
    }
    assert gap_and_status == {
        "M1": (-5, "Vigilance"),
        "M2": (-11, "Alerte"),
        "M4": (None, "Non renseigné"),
        "M6": (14, "Conforme"),
    }


def test_formulas_use_the_revised_target_when_both_are_shown(tmp_path: Path) -> None:
    """With « Cible initiale » in the table, every column after it moves right: the gap
    and status formulas must still read the revised target and the actual."""
    from spes_report.model import Milestone
    from spes_report.writers.summary import FIRST_ROW

    report, plan = sample_report()
    first = report.missions[0]
    initial = tuple(Milestone(m.due, min(m.target + 0.1, 1.0)) for m in first.mission.milestones)
    revised = dataclasses.replace(first, initial_target=0.95, initial_milestones=initial)
    report = dataclasses.replace(report, missions=(revised, *report.missions[1:]))
    workbook = write_workbook(report, plan, tmp_path / "comite.xlsx")
    book = load(workbook)
    sheet = book["Synthèse"]
    assert [c.value for c in sheet[FIRST_ROW]][3:6] == ["Cible initiale", "Cible révisée",
                                                        "Réalisé"]
    row = FIRST_ROW + 1  # M1, revised target 85 %, initial 95 %
    assert (sheet.cell(row, 4).value, sheet.cell(row, 5).value) == (0.95, first.target)
    sheet.cell(row, 6).value = 0.80  # 5 points under the revised target, 15 under the initial
    edited = tmp_path / "edited" / "comite.xlsx"
    edited.parent.mkdir()
    book.save(edited)
    values = load(recalculated(edited, tmp_path), data_only=True)["Synthèse"]
    assert (values.cell(row, 7).value, values.cell(row, 9).value) == (-5, "Vigilance")
