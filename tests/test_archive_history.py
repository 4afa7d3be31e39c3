"""archive.history: earlier committees are trusted only once checked against what was filed."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from support import run
from support.archive import ARCHIVE_0_1_0, JULY, JUNE, edit_manifest
from support.workbooks import load

from spes_report.archive import load_history
from spes_report.archive.manifest import read_manifest
from spes_report.model import ExcludedCommittee, Exclusion


def raise_june_average(manifest: dict[str, Any]) -> None:
    manifest["summary"]["average_actual"] = 0.99
    manifest["summary"]["missions"][0]["actual"] = 0.99


def test_untouched_months_are_the_history(june_only: Path, out: Path) -> None:
    history = load_history(out / "archive", JULY)
    assert [c.report_date for c in history.committees] == [JUNE]
    assert history.excluded == ()


def test_a_figure_edited_by_hand_keeps_the_month_out_of_the_history(
        june_only: Path, inputs: dict[str, Path], out: Path) -> None:
    edit_manifest(june_only, raise_june_average)
    result = run("build", inputs["july"], "--output-dir", out)
    assert result.exit_code == 0, result.output
    assert ("Attention : le mois 2020-06 a été modifié à la main depuis son archivage : "
            "lancez « spes-report archive verify 2020-06 ».") in result.output
    # No trend nor correction from the edited month: it is not used at all.
    assert "déjà présentée" not in result.output
    july = read_manifest(out / "archive" / "2020-07")
    assert july["history"] == []
    assert july["excluded"] == [{"month": "2020-06", "reason": "edited"}]
    synthese = load(out / "SPES_COPIL_2020-07-01.xlsx")["Synthèse"]
    notes = [c.value for row in synthese.iter_rows() for c in row if isinstance(c.value, str)]
    assert ("Attention : comité archivé exclu de l'historique et de la tendance : 2020-06 "
            "(modifié à la main depuis son archivage). Vérifiez l'archive avec "
            "« spes-report archive verify ».") in notes
    verified = run("archive", "verify", "2020-07", "--output-dir", out)
    assert verified.exit_code == 0, verified.output  # July rebuilds, exclusion included
    assert run("archive", "verify", "2020-06", "--output-dir", out).exit_code == 1


def test_an_archived_file_changed_keeps_the_month_out(june_only: Path, out: Path) -> None:
    (june_only / "SPES_COPIL_2020-06-01.xlsx").write_bytes(b"PK\x03\x04 replaced")
    history = load_history(out / "archive", JULY)
    assert history.committees == ()
    assert [e.committee for e in history.excluded] == [
        ExcludedCommittee("2020-06", Exclusion.EDITED)]


def test_a_sending_noted_later_leaves_the_seal_valid(june_only: Path, out: Path) -> None:
    edit_manifest(june_only, lambda m: m.setdefault("envois", []).append({"n": 1}))
    assert [c.report_date for c in load_history(out / "archive", JULY).committees] == [JUNE]


def test_a_month_filed_by_0_1_0_is_checked_against_its_input(tmp_path: Path) -> None:
    """0.1.0 wrote no seal: the figures a later build takes are recomputed from the
    archived input. Untouched, the month is used; edited, it is left out."""
    root = tmp_path / "archive"
    shutil.copytree(ARCHIVE_0_1_0 / "archive", root)
    assert "seal" not in read_manifest(root / "2020-06")
    august = JULY.replace(month=8)
    assert [c.report_date for c in load_history(root, august).committees] == [JUNE, JULY]
    edit_manifest(root / "2020-06", raise_june_average)
    history = load_history(root, august)
    assert [c.report_date for c in history.committees] == [JULY]
    assert [e.committee.month for e in history.excluded] == ["2020-06"]


def test_an_unreadable_month_is_named_and_left_out(june_only: Path, out: Path) -> None:
    (june_only / "manifest.json").write_text("{ abîmé", encoding="utf-8")
    history = load_history(out / "archive", JULY)
    (excluded,) = history.excluded
    assert excluded.reason is Exclusion.UNREADABLE and excluded.error is not None
