"""Monthly snapshots, built month after month in a temporary folder: layout, manifest,
refusal and --replace, byte-identical rebuilds, `archive list` and `archive verify`."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from writer_helpers import load

from spes_report import __version__, load_definitions
from spes_report import archive as archive_module
from spes_report.archive import (
    STAGING_MARK,
    Outcome,
    append_to_manifest,
    month_folder,
    read_manifest,
    write_manifest,
)
from spes_report.archive_report import list_lines, parse_month, verify
from spes_report.cli import cli
from spes_report.definitions import embedded_definitions_bytes
from spes_report.pipeline import build
from spes_report.template import write_template

MAY, JUNE, JULY, SEPTEMBER = load_definitions().milestone_dates
BUILT = datetime(2020, 7, 2, 9, 30, 0)

# Rates per mission at each échéance, as staff type them month after month.
RATES = {
    MAY: [0.70, 0.65, 0.50, 0.72, 0.60, 0.70, 0.55, 0.40],
    JUNE: [0.86, 0.86, 0.55, 0.85, 0.70, 0.90, 0.62, 0.45],
    JULY: [0.90, 0.88, 0.65, 0.90, 0.80, 0.92, 0.70, 0.60],
}


def rates_until(day: date) -> dict[tuple[int, date], float]:
    return {(number, on): rate for on, rates in RATES.items() if on <= day
            for number, rate in enumerate(rates, start=1)}


def make_month(folder: Path, day: date, name: str,
               rates: dict[tuple[int, date], float] | None = None) -> Path:
    path = folder / name
    write_template(path, load_definitions(), committee_date=day,
                   rates=rates_until(day) if rates is None else rates)
    return path


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "inputs"
    folder.mkdir()
    july = rates_until(JULY)
    july[3, JUNE] = 0.50  # shown as 55 % on 1 June
    del july[5, JUNE]  # shown as 70 % on 1 June, now emptied
    return {
        "may": make_month(folder, MAY, "saisie_mai.xlsx"),
        "june": make_month(folder, JUNE, "saisie_juin.xlsx"),
        "july": make_month(folder, JULY, "saisie_juillet.xlsx", july),
    }


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) with its bytes."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "outputs"


@pytest.fixture
def three_months(inputs: dict[str, Path], out: Path) -> Path:
    for key in ("may", "june", "july"):
        result = run("build", inputs[key], "--output-dir", out)
        assert result.exit_code == 0, result.output
    return out / "archive"


# --- filing ---------------------------------------------------------------------------

def test_archive_layout_and_manifest(three_months: Path, inputs: dict[str, Path],
                                     out: Path) -> None:
    assert sorted(p.name for p in three_months.iterdir()) == ["2020-05", "2020-06", "2020-07"]
    folder = three_months / "2020-06"
    workbook = "SPES_COPIL_2020-06-01.xlsx"
    assert sorted(p.name for p in folder.iterdir()) == [
        workbook, "manifest.json", "saisie_juin.xlsx"]
    # The input byte for byte, and the very workbook written to outputs/.
    assert (folder / "saisie_juin.xlsx").read_bytes() == inputs["june"].read_bytes()
    assert (folder / workbook).read_bytes() == (out / workbook).read_bytes()

    manifest = read_manifest(folder)
    assert manifest["report_date"] == "2020-06-01"
    assert manifest["tool_version"] == __version__
    assert manifest["tolerance_points"] == 5.0
    datetime.fromisoformat(manifest["built_at"])
    assert manifest["input"] == {"name": "saisie_juin.xlsx", "file": "saisie_juin.xlsx",
                                 "sha256": sha(inputs["june"].read_bytes())}
    assert manifest["definitions_sha256"] == sha(embedded_definitions_bytes())
    assert manifest["files"] == {name: sha((folder / name).read_bytes())
                                 for name in (workbook, "saisie_juin.xlsx")}
    summary = manifest["summary"]
    m3 = summary["missions"][2]
    assert (m3["number"], m3["target"], m3["actual"], m3["gap_points"], m3["status"]) == (
        3, 0.70, 0.55, -15.0, "Alerte")
    assert summary["status_counts"] == {"Conforme": 3, "Vigilance": 2, "Alerte": 3,
                                        "Non renseigné": 0, "Sans cible": 0}
    assert summary["average_actual"] == pytest.approx(sum(RATES[JUNE]) / 8)
    assert len(manifest["measurements"]) == 16
    assert manifest["measurements"][0] == {"mission": 1, "date": "2020-05-11", "rate": 0.7}
    # The history the workbook was built with: May's committee.
    (may,) = manifest["history"]
    assert may["report_date"] == "2020-05-11"
    assert may["actuals"][0] == {"mission": 1, "actual": 0.7}
    # Readable like the other files (not private, as a temporary file is made).
    modes = {p.stat().st_mode & 0o777 for p in folder.iterdir()}
    assert modes == {(folder / workbook).stat().st_mode & 0o777}
    # No staging folder left behind.
    assert not [p for p in three_months.iterdir() if p.name.startswith(".")]


def test_build_prints_the_corrections_and_files_the_month(
        inputs: dict[str, Path], out: Path) -> None:
    assert run("build", inputs["may"], "--output-dir", out).exit_code == 0
    assert run("build", inputs["june"], "--output-dir", out).exit_code == 0
    result = run("build", inputs["july"], "--output-dir", out)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1] == f"Comité archivé : {out / 'archive' / '2020-07'}"
    assert lines[2:5] == [
        "2 valeurs déjà présentées en comité ont été modifiées dans le fichier de saisie :",
        "  - M3, 01/06/2020 : 55 % → 50 % (comité du 1er juin 2020)",
        "  - M5, 01/06/2020 : 70 % → vide (comité du 1er juin 2020)",
    ]


def test_historique_and_trend_from_the_archive(three_months: Path, out: Path) -> None:
    book = load(out / "SPES_COPIL_2020-07-01.xlsx")
    ws = book["Historique"]
    assert [ws.cell(4, col).value for col in range(3, 6)] == [
        "11/05/2020", "01/06/2020", "01/07/2020\n(ce comité)"]
    for number in range(1, 9):
        row = [ws.cell(4 + number, col).value for col in range(3, 6)]
        assert row == [RATES[day][number - 1] for day in (MAY, JUNE, JULY)]
    # Tendance: since the 1 June committee (M1: 86 % then, 90 % now).
    synthese = book["Synthèse"]
    assert synthese["G8"].value == pytest.approx(4.0)
    flat = [c.value for r in ws.iter_rows() for c in r]
    assert "M3" in flat and "effacée" in flat  # the corrections table


def test_second_build_of_an_archived_month_is_refused(three_months: Path,
                                                      inputs: dict[str, Path],
                                                      out: Path) -> None:
    before = tree(out)
    result = run("build", inputs["july"], "--output-dir", out, "--tolerance", "2")
    assert result.exit_code == 1
    assert result.output.startswith(
        f"Le mois 2020-07 est déjà archivé (le comité du 1er juillet 2020, dans "
        f"{three_months / '2020-07'}) et le nouveau classeur du 1er juillet 2020 en diffère. "
        "Rien n'a été écrit. Pour archiver la nouvelle version, relancez avec --replace")
    assert tree(out) == before  # neither the workbook nor the archive


def test_identical_rebuild_succeeds_without_a_new_snapshot(three_months: Path,
                                                           inputs: dict[str, Path],
                                                           out: Path) -> None:
    before = tree(out)
    result = run("build", inputs["july"], "--output-dir", out)
    assert result.exit_code == 0, result.output
    assert (f"Comité déjà archivé à l'identique dans {three_months / '2020-07'} : rien de "
            "nouveau à archiver.") in result.output
    assert tree(out) == before  # build time included: the snapshot is untouched


def test_sendings_recorded_later_do_not_make_a_snapshot_differ(three_months: Path,
                                                               inputs: dict[str, Path],
                                                               out: Path) -> None:
    folder = three_months / "2020-07"
    append_to_manifest(folder, "envois", {"date": "2020-07-02T10:00:00", "à": ["copil@x"]})
    result = build(inputs["july"], out)
    assert result.filing is not None and result.filing.outcome is Outcome.IDENTICAL
    assert read_manifest(folder)["envois"][0]["à"] == ["copil@x"]
    assert verify(three_months).problems == ()


def test_replace_keeps_the_earlier_snapshots(three_months: Path, inputs: dict[str, Path],
                                             out: Path) -> None:
    folder = three_months / "2020-07"
    first = tree(folder)
    result = build(inputs["july"], out, tolerance_points=2, replace=True, now=BUILT)
    assert result.filing is not None and result.filing.outcome is Outcome.REPLACED
    superseded = folder / "superseded-2020-07-02-093000"
    assert result.filing.superseded == superseded
    assert tree(superseded) == first
    assert read_manifest(folder)["tolerance_points"] == 2
    assert result.replaced is not None  # the outputs/ workbook was kept aside too

    # A second replacement keeps both earlier versions side by side.
    again = build(inputs["july"], out, tolerance_points=3, replace=True, now=BUILT)
    assert again.filing is not None
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == [
        "superseded-2020-07-02-093000", "superseded-2020-07-02-093000-2"]
    assert tree(folder / "superseded-2020-07-02-093000") == first
    assert read_manifest(folder / "superseded-2020-07-02-093000-2")["tolerance_points"] == 2
    checked = verify(three_months)
    assert checked.problems == ()
    assert len(checked.checked) == 5


def test_replace_through_the_command(three_months: Path, inputs: dict[str, Path],
                                     out: Path) -> None:
    result = run("build", inputs["july"], "--output-dir", out, "--tolerance", "2",
                 "--replace")
    assert result.exit_code == 0, result.output
    assert "la version précédente est conservée dans" in result.output
    assert len(list((three_months / "2020-07").glob("superseded-*"))) == 1


def test_no_archive_uses_the_history_but_files_nothing(inputs: dict[str, Path],
                                                       out: Path) -> None:
    run("build", inputs["may"], "--output-dir", out)
    run("build", inputs["june"], "--output-dir", out)
    result = run("build", inputs["july"], "--output-dir", out, "--no-archive")
    assert result.exit_code == 0, result.output
    assert "archivé" not in result.output.splitlines()[1]
    assert sorted(p.name for p in (out / "archive").iterdir()) == ["2020-05", "2020-06"]
    ws = load(out / "SPES_COPIL_2020-07-01.xlsx")["Historique"]
    assert ws["C4"].value == "11/05/2020" and ws["D4"].value == "01/06/2020"


def test_no_archive_and_replace_exclude_each_other(inputs: dict[str, Path],
                                                   out: Path) -> None:
    result = run("build", inputs["may"], "--output-dir", out, "--no-archive", "--replace")
    assert result.exit_code == 2
    assert "s'excluent" in result.output
    assert not out.exists()


def test_interrupted_filing_leaves_the_archive_as_it_was(
        three_months: Path, inputs: dict[str, Path], out: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree(out)

    def broken(folder: Path, manifest: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(archive_module, "write_manifest", broken)
    with pytest.raises(OSError):
        build(inputs["july"], out, tolerance_points=2, replace=True)
    with pytest.raises(OSError):
        build(inputs["may"], out / "other")
    assert tree(out) == before
    assert not (out / "other" / "archive" / "2020-05").exists()


def test_failed_replacement_is_undone(three_months: Path, inputs: dict[str, Path],
                                      out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    replace_once = run("build", inputs["july"], "--output-dir", out, "--tolerance", "2",
                       "--replace")
    assert replace_once.exit_code == 0
    before = tree(out)
    real_rename = os.rename

    def rename(source: Any, target: Any) -> None:
        # The last step: the staging folder becoming the month's folder.
        if STAGING_MARK in Path(source).name and Path(target).name == "2020-07":
            raise OSError(5, "Input/output error")
        real_rename(source, target)

    monkeypatch.setattr(archive_module.os, "rename", rename)
    with pytest.raises(OSError):
        build(inputs["july"], out, tolerance_points=3, replace=True)
    assert tree(out) == before


# --- archive list ---------------------------------------------------------------------

def test_archive_list(three_months: Path, inputs: dict[str, Path], out: Path) -> None:
    run("build", inputs["june"], "--output-dir", out, "--tolerance", "2", "--replace")
    result = run("archive", "list", "--output-dir", out)
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "2020-05 — comité du 11 mai 2020 : 2 conformes, 1 en vigilance, 5 en alerte ; "
        "taux moyen 60,3 % ; non remplacé",
        "2020-06 — comité du 1er juin 2020 : 3 conformes, 5 en alerte ; "
        "taux moyen 72,4 % ; remplacé 1 fois (versions antérieures conservées)",
        "2020-07 — comité du 1er juillet 2020 : 4 conformes, 1 en vigilance, 3 en alerte ; "
        "taux moyen 79,4 % ; non remplacé",
    ]


def test_archive_list_when_empty_or_damaged(tmp_path: Path) -> None:
    result = run("archive", "list", "--output-dir", tmp_path)
    assert result.output == f"Aucun comité n'est archivé dans {tmp_path / 'archive'}.\n"
    broken = tmp_path / "archive" / "2020-06"
    broken.mkdir(parents=True)
    (broken / "manifest.json").write_text("{", encoding="utf-8")
    assert list_lines(tmp_path / "archive") == [
        "2020-06 — manifeste illisible (JSON invalide, ligne 1) ; non remplacé"]


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
    old = three_months / "2020-07" / "superseded-2020-07-02-093000"
    (old / "saisie_juillet.xlsx").write_bytes(b"PK")
    codes = [(p.code, p.place) for p in verify(three_months, "2020-07").problems]
    assert codes == [
        ("archive-file-changed", "2020-07/superseded-2020-07-02-093000/saisie_juillet.xlsx"),
        ("archive-rebuild-skipped", "2020-07/superseded-2020-07-02-093000"),
    ]


def edit_manifest(folder: Path, change: Callable[[dict[str, Any]], None]) -> None:
    manifest = read_manifest(folder)
    change(manifest)
    write_manifest(folder, manifest)


def test_verify_rebuilds_and_names_the_likely_cause(three_months: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import spes_report.archive_report as report_module

    monkeypatch.setattr(report_module, "__version__", "9.9.9")
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
    (problem,) = verify(three_months).problems
    assert (problem.code, problem.place) == ("archive-manifest-differs",
                                            "2020-06/manifest.json")


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


@pytest.mark.parametrize(("text", "month"), [
    ("2020-06", "2020-06"), ("2020-6", "2020-06"), ("06/2020", "2020-06"),
    ("01/06/2020", "2020-06"), ("1er juin 2020", "2020-06"), ("2020-13", None),
    ("juin", None),
])
def test_parse_month(text: str, month: str | None) -> None:
    assert parse_month(text) == month


def test_month_folder_and_damaged_history(tmp_path: Path, inputs: dict[str, Path]) -> None:
    root = tmp_path / "outputs" / "archive"
    assert month_folder(root, JUNE) == root / "2020-06"
    broken = root / "2020-05"
    broken.mkdir(parents=True)
    (broken / "manifest.json").write_text("[]", encoding="utf-8")
    result = run("build", inputs["june"], "--output-dir", tmp_path / "outputs")
    assert result.exit_code == 0
    assert "Attention : le comité archivé dans" in result.output
    assert "est ignoré dans l'historique" in result.output
