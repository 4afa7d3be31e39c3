"""`archive verify`: every snapshot checked against its manifest and rebuilt byte for byte,
those written by earlier versions included."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from support import run
from support.archive import ARCHIVE_0_1_0, BUILT, edit_manifest

from spes_report import __version__
from spes_report.archive import verify
from spes_report.archive.layout import STAGING_MARK
from spes_report.pipeline import build

# --- archive verify -------------------------------------------------------------------

def test_verify_an_intact_archive(three_months: Path, out: Path) -> None:
    result = run("archive", "verify", "--output-dir", out)
    assert result.exit_code == 0, result.output
    assert result.output == ("Archive vérifiée : 3 versions de comité (2020-05, 2020-06, "
                             "2020-07) ; fichiers intacts et classeurs reconstruits à "
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


def test_verify_rebuilds_and_names_the_likely_cause(three_months: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import spes_report.archive.verification as report_module
    import spes_report.compose as compose_module

    # The version this tool would be after an upgrade: it builds and names itself so.
    monkeypatch.setattr(report_module, "__version__", "9.9.9")
    monkeypatch.setattr(compose_module, "__version__", "9.9.9")
    (problem,) = verify(three_months, "2020-06").problems
    assert problem.code == "archive-rebuild-differs"
    assert problem.message == (
        "le classeur reconstruit à partir de la saisie archivée diffère du classeur archivé : "
        f"la version de l'outil a changé depuis l'archivage ({__version__} → 9.9.9)")


def test_verify_reports_changed_definitions(three_months: Path) -> None:
    edit_manifest(three_months / "2020-06",
                  lambda m: m.update(definitions_sha256="0" * 64, tolerance_points=1))
    (problem,) = verify(three_months, "2020-06").problems
    assert problem.code == "archive-rebuild-differs"
    assert problem.message.endswith("les définitions des missions (cibles, textes) ont changé "
                                    "depuis l'archivage")


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
    assert result.output.startswith("Archive vérifiée : 3 versions de comité (2020-06, "
                                    "2020-07, 2020-07/superseded-")
