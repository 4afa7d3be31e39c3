"""`archive verify`: every snapshot checked against its manifest and rebuilt byte for byte,
those written by earlier versions included."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from support import run
from support.archive import ARCHIVE_0_1_0, ARCHIVE_SEALED, BUILT, edit_manifest

from spes_report import __version__
from spes_report.archive import verify
from spes_report.archive.layout import STAGING_MARK
from spes_report.archive.manifest import read_manifest, seal
from spes_report.model import Status
from spes_report.pipeline import build

# --- archive verify -------------------------------------------------------------------

def test_verify_an_intact_archive(three_months: Path, out: Path) -> None:
    result = run("archive", "verify", "--output-dir", out)
    assert result.exit_code == 0, result.output
    assert result.output == ("Archive vérifiée : 3 versions de comité (2020-05, 2020-06, "
                             "2020-07) ; fichiers intacts ; 3 classeurs reconstruits à "
                             "l'identique.\n")
    one = run("archive", "verify", "06/2020", "--output-dir", out)
    assert one.exit_code == 0
    assert "1 version de comité (2020-06)" in one.output


def damage(folder: Path) -> None:
    """A changed workbook, a removed input, an added file: three problems."""
    workbook = folder / "SPES_COPIL_2020-06-01.xlsx"
    workbook.write_bytes(workbook.read_bytes() + b"\0")
    (folder / "saisie_juin.xlsx").unlink()
    (folder / "notes.txt").write_text("ajouté", encoding="utf-8")


def test_verify_catches_changed_missing_and_added_files(three_months: Path,
                                                        out: Path) -> None:
    damage(three_months / "2020-06")
    checked = verify(three_months)
    assert [(p.code, p.place) for p in checked.problems] == [
        ("archive-file-changed", "2020-06/SPES_COPIL_2020-06-01.xlsx"),
        ("archive-file-missing", "2020-06/saisie_juin.xlsx"),
        ("archive-file-added", "2020-06/notes.txt"),
        ("archive-rebuild-skipped", "2020-06"),
    ]
    result = run("archive", "verify", "--output-dir", out)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f"L'archive {three_months} contient 4 problèmes :"
    assert lines[1] == ("  - 2020-06/SPES_COPIL_2020-06-01.xlsx : fichier modifié depuis "
                        "l'archivage (son empreinte SHA-256 ne correspond plus à celle du "
                        "manifeste)")
    assert lines[2] == ("  - 2020-06/saisie_juin.xlsx : fichier manquant (il figure au "
                        "manifeste)")
    assert lines[3] == ("  - 2020-06/notes.txt : fichier ajouté après l'archivage (absent "
                        "du manifeste)")
    # Another month is still fine on its own.
    assert run("archive", "verify", "2020-07", "--output-dir", out).exit_code == 0


def test_verify_checks_superseded_snapshots_too(three_months: Path, inputs: dict[str, Path],
                                                out: Path) -> None:
    build(inputs["july"], out, tolerance_points=2, replace=True, now=BUILT)
    old = three_months / "2020-07" / "superseded-2020-07-02-093000Z"
    (old / "saisie_juillet.xlsx").write_bytes(b"PK")
    codes = [(p.code, p.place) for p in verify(three_months, "2020-07").problems]
    assert codes == [
        ("archive-file-changed", "2020-07/superseded-2020-07-02-093000Z/saisie_juillet.xlsx"),
        ("archive-rebuild-skipped", "2020-07/superseded-2020-07-02-093000Z"),
    ]


def upgrade(monkeypatch: pytest.MonkeyPatch, version: str = "9.9.9") -> None:
    """This tool as a later version would be: it builds and names itself so."""
    import spes_report.archive.verification as verification_module
    import spes_report.compose as compose_module

    monkeypatch.setattr(verification_module, "__version__", version)
    monkeypatch.setattr(compose_module, "__version__", version)


def test_after_an_upgrade_the_figures_are_recomputed_not_the_bytes(
        three_months: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    upgrade(monkeypatch)
    result = verify(three_months, "2020-06")
    assert result.problems == ()
    (note,) = result.recomputed
    assert (note.snapshot, note.version, note.changes, note.legacy_plan) == (
        "2020-06", __version__, (), False)
    shown = run("archive", "verify", "--output-dir", out)
    assert shown.exit_code == 0
    assert shown.output.splitlines() == [
        "Archive vérifiée : 3 versions de comité (2020-05, 2020-06, 2020-07) ; fichiers "
        "intacts.",
        *(f"{month} : archivé par la version {__version__} de l'outil ; chiffres recalculés "
          "avec les règles actuelles : identiques à ceux présentés."
          for month in ("2020-05", "2020-06", "2020-07"))]


def test_rules_changed_since_are_information_figure_by_figure(
        three_months: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import spes_report.builder as builder_module

    upgrade(monkeypatch)
    # Rules stricter than the ones the committee saw: Vigilance becomes Alerte.
    stricter = builder_module.status_for
    monkeypatch.setattr(builder_module, "status_for", lambda actual, target, tolerance: (
        Status.ALERTE if stricter(actual, target, tolerance) is Status.VIGILANCE
        else stricter(actual, target, tolerance)))
    result = run("archive", "verify", "2020-06", "--output-dir", out)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1] == (f"2020-06 : archivé par la version {__version__} de l'outil ; chiffres "
                        "recalculés avec les règles actuelles (pour information, le comité a "
                        "vu les chiffres présentés) :")
    assert lines[2:] == [
        "  - M2 : statut présenté Vigilance, règles actuelles Alerte",
        "  - M4 : statut présenté Vigilance, règles actuelles Alerte",
        "  - missions « Alerte » : 3 présentées, 5 selon les règles actuelles",
        "  - missions « Vigilance » : 2 présentées, 0 selon les règles actuelles"]


def test_a_changed_archived_plan_fails_and_is_not_rebuilt(three_months: Path) -> None:
    plan = three_months / "2020-06" / "plan.toml"
    plan.write_bytes(plan.read_bytes().replace(b"target_percent = 85", b"target_percent = 84"))
    assert [(p.code, p.place) for p in verify(three_months, "2020-06").problems] == [
        ("archive-file-changed", "2020-06/plan.toml"),
        ("archive-rebuild-skipped", "2020-06")]


def test_each_month_is_rebuilt_with_its_own_plan(tmp_path: Path, inputs: dict[str, Path],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Revising the plan never makes an earlier month fail verification."""
    out = tmp_path / "outputs"
    monkeypatch.chdir(tmp_path)
    assert run("plan", "init").exit_code == 0
    assert run("build", inputs["june"], "--output-dir", out).exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    book["Plan"]["J14"] = 0.7  # M7 au 1er septembre : 80 % → 70 %
    book.save(tmp_path / "plan.xlsx")
    result = run("build", inputs["july"], "--output-dir", out)
    assert result.exit_code == 0, result.output
    june, july = (read_manifest(out / "archive" / m) for m in ("2020-06", "2020-07"))
    assert june["plan"]["sha256"] != july["plan"]["sha256"]
    assert [ms["target"] for ms in july["plan"]["missions"][6]["milestones"]][-1] == 0.7
    assert verify(out / "archive").problems == ()


def test_verify_catches_an_edited_manifest(three_months: Path) -> None:
    def lie(manifest: dict[str, Any]) -> None:
        manifest["summary"]["missions"][2]["status"] = "Conforme"

    edit_manifest(three_months / "2020-06", lie)
    # Its seal no longer matches, and the figures differ from the rebuilt ones.
    assert [(p.code, p.place) for p in verify(three_months).problems] == [
        ("archive-manifest-edited", "2020-06/manifest.json"),
        ("archive-manifest-differs", "2020-06/manifest.json")]


def test_verify_unknown_month_missing_manifest_and_leftover(three_months: Path,
                                                           out: Path) -> None:
    result = run("archive", "verify", "2019-01", "--output-dir", out)
    assert result.exit_code == 1
    assert "aucun comité n'est archivé pour le mois 2019-01" in result.output
    assert run("archive", "verify", "juin", "--output-dir", out).exit_code == 2
    (three_months / "2020-05" / "manifest.json").unlink()
    (three_months / f".2020-07{STAGING_MARK}abcd").mkdir()
    assert [p.code for p in verify(three_months).problems] == [
        "archive-manifest-missing", "archive-staging-left"]


def test_verify_empty_archive(tmp_path: Path) -> None:
    result = run("archive", "verify", "--output-dir", tmp_path)
    assert result.exit_code == 0
    assert "rien à vérifier" in result.output


# --- archives written by earlier versions -------------------------------------------------

def test_an_archive_written_by_version_0_1_0_still_verifies(tmp_path: Path) -> None:
    """June, July with a correction, and July replaced once, as spes-report 0.1.0 filed
    them (tests/fixtures/README.md): every snapshot still rebuilds byte for byte."""
    out = tmp_path / "outputs"
    shutil.copytree(ARCHIVE_0_1_0 / "archive", out / "archive")
    result = run("archive", "verify", "--output-dir", out)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Archive vérifiée : 3 versions de comité (2020-06, 2020-07, "
                               "2020-07/superseded-")
    assert lines[0].endswith(" ; fichiers intacts.")
    # Filed by 0.1.0, without their plan: recomputed with the embedded one, and said so.
    assert lines[1:] == [
        f"{label} : archivé par la version 0.1.0 de l'outil (avant l'archivage des plans : "
        "vérifié avec le plan intégré à l'outil) ; chiffres recalculés avec les règles "
        "actuelles : identiques à ceux présentés."
        for label in ("2020-06", "2020-07", "2020-07/superseded-2026-11-30-015827")]


def test_a_month_sealed_before_plans_were_archived_keeps_its_seal(tmp_path: Path) -> None:
    """Adding the plan to the manifest must not break the seals written before it."""
    out = tmp_path / "outputs"
    shutil.copytree(ARCHIVE_SEALED / "archive", out / "archive")
    result = verify(out / "archive")
    assert result.problems == ()
    assert [note.snapshot for note in result.recomputed] == ["2020-06", "2020-07"]
    # The next month takes both in its history: neither is taken for an edited one.
    shutil.copy(ARCHIVE_0_1_0 / "juillet.xlsx", tmp_path / "aout.xlsx")
    built = build(tmp_path / "aout.xlsx", out, report_date=date(2020, 8, 3), archive=False)
    assert built.excluded == ()
    assert [c.report_date for c in built.report.history] == [date(2020, 6, 1),
                                                               date(2020, 7, 1)]


def test_a_plan_section_removed_from_a_manifest_is_an_edit(three_months: Path) -> None:
    edit_manifest(three_months / "2020-06", lambda m: m.pop("plan"))
    codes = [p.code for p in verify(three_months, "2020-06").problems]
    assert "archive-manifest-edited" in codes


def test_a_plan_section_that_disagrees_with_the_plan_file_is_caught(
        three_months: Path) -> None:
    def lower(manifest: dict[str, Any]) -> None:
        manifest["plan"]["missions"][6]["milestones"][3]["target"] = 0.7
        manifest["seal"] = seal(manifest)  # resealed: only the plan file can tell

    edit_manifest(three_months / "2020-06", lower)
    assert [(p.code, p.place) for p in verify(three_months, "2020-06").problems] == [
        ("archive-manifest-differs", "2020-06/manifest.json")]
