"""Monthly snapshots, built month after month in a temporary folder: layout, manifest,
refusal and --replace, byte-identical rebuilds, `archive list` and `archive verify`."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from support import FIXTURES, run, tree
from support.archive import (
    BUILT,
    JULY,
    JUNE,
    MAY,
    RATES,
    drop_key,
    edit_manifest,
    make_month,
    rates_until,
    set_key,
    sha,
)
from support.locks import holding
from support.workbooks import load

from spes_report import __version__
from spes_report.archive import Outcome, archived_months, parse_month, verify
from spes_report.archive import filing as archive_module
from spes_report.archive.filing import append_to_manifest
from spes_report.archive.layout import STAGING_MARK, month_folder
from spes_report.archive.manifest import read_manifest
from spes_report.cli.messages import (
    already_archived_text,
    busy_text,
    difference_text,
    month_line,
)
from spes_report.definitions import embedded_definitions_bytes
from spes_report.pipeline import build

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
        "  - M3, 01/06/2020 : 55\u00a0% → 50\u00a0% (comité du 1er juin 2020)",
        "  - M5, 01/06/2020 : 70\u00a0% → vide (comité du 1er juin 2020)",
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
    assert result.output.splitlines() == [
        f"Le mois 2020-07 est déjà archivé (le comité du 1er juillet 2020, dans "
        f"{three_months / '2020-07'}) et le nouveau classeur du 1er juillet 2020 en diffère :",
        "  - tolérance : 5 points dans l'archive, 2 points maintenant.",
        "Rien n'a été écrit. Pour archiver la nouvelle version, relancez avec --replace : "
        "l'ancienne version sera conservée dans un dossier superseded-<horodatage>.",
    ]
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
        "taux moyen 60,3\u00a0% ; non remplacé",
        "2020-06 — comité du 1er juin 2020 : 3 conformes, 5 en alerte ; "
        "taux moyen 72,4\u00a0% ; remplacé 1 fois (versions antérieures conservées)",
        "2020-07 — comité du 1er juillet 2020 : 4 conformes, 1 en vigilance, 3 en alerte ; "
        "taux moyen 79,4\u00a0% ; non remplacé",
    ]


def test_archive_list_when_empty_or_damaged(tmp_path: Path) -> None:
    result = run("archive", "list", "--output-dir", tmp_path)
    assert result.output == f"Aucun comité n'est archivé dans {tmp_path / 'archive'}.\n"
    broken = tmp_path / "archive" / "2020-06"
    broken.mkdir(parents=True)
    (broken / "manifest.json").write_text("{", encoding="utf-8")
    assert [month_line(m) for m in archived_months(tmp_path / "archive")] == [
        "2020-06 — fiche du comité illisible : le fichier n'est pas du JSON valide (ligne 1, "
        "colonne 2) ; non remplacé"]


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


# --- damaged manifests --------------------------------------------------------------------

def _third_mission_number(manifest: dict[str, Any]) -> None:
    manifest["summary"]["missions"][2]["number"] = "trois"


def _nan_rate(manifest: dict[str, Any]) -> None:
    manifest["measurements"][0]["rate"] = float("nan")


SHAPE = "n'a pas la forme attendue"
# Each damage, and what `archive verify` says of it (after "2020-06/manifest.json : ").
DAMAGED: list[tuple[str, Callable[[dict[str, Any]], None] | bytes, list[str]]] = [
    ("input-text", set_key("input", "x"),
     [f"« input » {SHAPE} (valeur trouvée : x ; attendu : une section {{ … }})"]),
    ("files-list", set_key("files", ["SPES_COPIL_2020-06-01.xlsx"]),
     [f"« files » {SHAPE} (valeur trouvée : une liste [ … ] ; attendu : une section {{ … }})"]),
    ("bad-date", set_key("report_date", "2020-13-01"),
     [f"« report_date » {SHAPE} (valeur trouvée : 2020-13-01 ; attendu : une date "
      "AAAA-MM-JJ)"]),
    ("no-date", drop_key("report_date"), ["« report_date » manque"]),
    ("no-summary", drop_key("summary"), ["« summary » manque"]),
    ("history-item", set_key("history", [{"report_date": "hier", "actuals": [],
                                       "average_actual": None, "measurements": []}]),
     [f"« history, n° 1, report_date » {SHAPE} (valeur trouvée : hier ; attendu : une date "
      "AAAA-MM-JJ)"]),
    ("mission-number", _third_mission_number,
     [f"« summary, missions, n° 3, number » {SHAPE} (valeur trouvée : trois ; attendu : un "
      "nombre entier)"]),
    ("nan-rate", _nan_rate,
     [f"« measurements, n° 1, rate » {SHAPE} (valeur trouvée : nan ; attendu : un nombre)"]),
    ("tolerance-text", set_key("tolerance_points", "5"),
     [f"« tolerance_points » {SHAPE} (valeur trouvée : 5 ; attendu : un nombre de points "
      "entre 0 et 100)"]),
    ("escaping-file", set_key("files", {"../../secret.txt": "0" * 64}),
     [f"« files » {SHAPE} (valeur trouvée : ../../secret.txt ; attendu : un nom de fichier "
      "du dossier du comité)"]),
    ("unlisted-files", set_key("files", {}),
     ["« workbook » nomme un fichier absent de la liste « files » (valeur trouvée : "
      "SPES_COPIL_2020-06-01.xlsx)",
      "« input, file » nomme un fichier absent de la liste « files » (valeur trouvée : "
      "saisie_juin.xlsx)"]),
    ("newer-format", set_key("format", 2),
     ["« format » indique une fiche écrite par une version plus récente de l'outil (valeur "
      "trouvée : 2 ; attendu : le format 1)"]),
    ("not-an-object", b"[]",
     [f"le fichier {SHAPE} (valeur trouvée : une liste [ … ] ; attendu : une section {{ … }})"]),
    ("not-utf8", b"\xff\xfe{}", ["le fichier n'est pas un texte UTF-8"]),
    ("too-deep", b"[" * 100_000,
     ["le fichier n'est pas du JSON lisible (imbrication trop profonde)"]),
]


@pytest.mark.parametrize(("damage_", "said"), [(d, s) for _, d, s in DAMAGED],
                         ids=[name for name, _, _ in DAMAGED])
def test_a_damaged_manifest_is_reported_in_french(
        june_only: Path, out: Path, inputs: dict[str, Path],
        damage_: Callable[[dict[str, Any]], None] | bytes, said: list[str]) -> None:
    if isinstance(damage_, bytes):
        (june_only / "manifest.json").write_bytes(damage_)
    else:
        edit_manifest(june_only, damage_)
    place = "2020-06/manifest.json"

    checked = run("archive", "verify", "--output-dir", out)
    assert checked.exit_code == 1, checked.output
    noun = "problème" if len(said) == 1 else "problèmes"
    assert checked.output.splitlines() == [
        f"L'archive {out / 'archive'} contient {len(said)} {noun} :",
        *(f"  - {place} : fiche du comité illisible : {text}" for text in said)]
    assert {p.code for p in verify(out / "archive").problems} == {"archive-manifest-invalid"}

    listed = run("archive", "list", "--output-dir", out)
    assert listed.exit_code == 0
    more = len(said) - 1
    extra = f", et {more} autres défauts" if more > 1 else ", et 1 autre défaut" if more else ""
    assert listed.output == (f"2020-06 — fiche du comité illisible : {said[0]}{extra} ; "
                             "non remplacé\n")

    # The next month is still built, without the damaged one in its history.
    later = run("build", inputs["july"], "--output-dir", out)
    assert later.exit_code == 0, later.output
    assert (f"Attention : le comité archivé dans {june_only} est ignoré dans l'historique : "
            f"sa fiche (manifest.json) est illisible : {said[0]}") in later.output


def test_a_damaged_manifest_of_the_month_itself_is_named_when_rebuilding(
        june_only: Path, out: Path, inputs: dict[str, Path]) -> None:
    edit_manifest(june_only, drop_key("summary"))
    before = tree(out)
    result = run("build", inputs["june"], "--output-dir", out, "--tolerance", "2")
    assert result.exit_code == 1
    assert result.output == (
        f"Le mois 2020-06 est déjà archivé (dans {june_only}), mais sa fiche (manifest.json) "
        "est illisible : « summary » manque. Rien n'a été écrit. Vérifiez ce mois avec "
        "« spes-report archive verify 2020-06 » ; pour archiver la nouvelle version, relancez "
        "avec --replace : l'ancienne version sera conservée dans un dossier "
        "superseded-<horodatage>.\n")
    assert tree(out) == before


# --- why a month is refused ------------------------------------------------------------------

def test_after_replacing_a_month_the_next_one_names_the_history(
        three_months: Path, inputs: dict[str, Path], out: Path) -> None:
    june = rates_until(JUNE)
    june[2, JUNE] = 0.80  # the 1 June figure of mission 2 corrected
    (inputs["june"].parent / "v2").mkdir()
    corrected = make_month(inputs["june"].parent / "v2", JUNE, "saisie_juin.xlsx", june)
    assert run("build", corrected, "--output-dir", out, "--replace").exit_code == 0
    before = tree(out)

    result = run("build", inputs["july"], "--output-dir", out)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Le mois 2020-07 est déjà archivé (le comité du 1er juillet 2020, dans "
        f"{three_months / '2020-07'}) et le nouveau classeur du 1er juillet 2020 en diffère :",
        "  - historique des comités précédents : le comité du 1er juin 2020 a été remplacé "
        "depuis (--replace) ;",
        "  - chiffres présentés au comité différents : mission 2.",
        "Rien n'a été écrit. Un mois précédent a été remplacé depuis l'archivage de celui-ci : "
        "son classeur ne peut plus être reconstruit à l'identique. Pour l'archiver avec "
        "l'historique à jour, relancez avec --replace : l'ancienne version sera conservée "
        "dans un dossier superseded-<horodatage>.",
    ]
    assert tree(out) == before
    assert run("build", inputs["july"], "--output-dir", out, "--replace").exit_code == 0
    assert verify(three_months).problems == ()


def _other_input(manifest: dict[str, Any]) -> None:
    manifest["input"] = {**manifest["input"], "name": "juin_v2.xlsx", "sha256": "1" * 64}


def _renamed_input(manifest: dict[str, Any]) -> None:
    manifest["input"] = {**manifest["input"], "name": "juin_v2.xlsx"}


def _edited_input(manifest: dict[str, Any]) -> None:
    manifest["input"] = {**manifest["input"], "sha256": "1" * 64}


def _rates(manifest: dict[str, Any]) -> None:
    rates = manifest["measurements"]
    rates[0] = {**rates[0], "rate": 0.1}
    rates.append({"mission": 1, "date": "2020-06-20", "rate": 0.9})
    del rates[1:3]


def _figures(manifest: dict[str, Any]) -> None:
    summary = manifest["summary"]
    summary["missions"][4] = {**summary["missions"][4], "status": "Conforme"}
    summary["average_actual"] = 0.5


def _history(manifest: dict[str, Any]) -> None:
    may = manifest["history"][0]
    manifest["history"] = [{**may, "report_date": "2020-04-06"}]


def _workbook_only(manifest: dict[str, Any]) -> None:
    manifest["files"] = {**manifest["files"], manifest["workbook"]: "2" * 64}


@pytest.mark.parametrize(("change", "said", "history"), [
    (set_key("report_date", "2020-06-16"),
     "date du comité : 1er juin 2020 dans l'archive, 16 juin 2020 maintenant", False),
    (_other_input, "fichier de saisie : saisie_juin.xlsx dans l'archive, juin_v2.xlsx "
                   "maintenant (contenu différent)", False),
    (_renamed_input, "nom du fichier de saisie : saisie_juin.xlsx dans l'archive, "
                     "juin_v2.xlsx maintenant (même contenu)", False),
    (_edited_input, "fichier de saisie saisie_juin.xlsx modifié depuis l'archivage", False),
    (set_key("tolerance_points", 1.5), "tolérance : 5 points dans l'archive, 1,5 point maintenant",
     False),
    (set_key("tool_version", "9.9.9"), f"version de l'outil : {__version__} dans l'archive, 9.9.9 "
                                    "maintenant", False),
    (set_key("definitions_sha256", "3" * 64),
     "définitions des missions (cibles, textes) modifiées depuis l'archivage", False),
    (_history, "historique des comités précédents : le comité du 6 avril 2020 a été archivé "
               "depuis ; le comité du 11 mai 2020 n'est plus dans l'archive", True),
    (_rates, "taux saisis : 1 valeur modifiée, 1 valeur ajoutée, 2 valeurs effacées", False),
    (_figures, "chiffres présentés au comité différents : mission 5, taux moyen", False),
    (_workbook_only, "classeur différent avec la même saisie et les mêmes réglages : cause "
                     "inconnue, à signaler à l'équipe qui maintient l'outil", False),
])
def test_each_difference_is_named(three_months: Path,
                                  change: Callable[[dict[str, Any]], None],
                                  said: str, history: bool) -> None:
    from spes_report.archive import AlreadyArchivedError

    new = read_manifest(three_months / "2020-06")
    archived = read_manifest(three_months / "2020-06")
    change(new)
    error = AlreadyArchivedError(three_months / "2020-06", archived, None, new)
    assert [difference_text(item) for item in error.differences.items] == [said]
    assert error.differences.history is history
    text = already_archived_text(error)
    assert f"  - {said}." in text.splitlines()
    assert ("Un mois précédent a été remplacé" in text) is history


# --- one change at a time per month ---------------------------------------------------------

APPENDER = """
import sys
from pathlib import Path
from spes_report.archive.filing import append_to_manifest
folder, who, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
for n in range(count):
    append_to_manifest(folder, "envois", {"par": who, "n": n})
"""

def hold_month(folder: Path, seconds: float) -> contextlib.AbstractContextManager[
        subprocess.Popen[str]]:
    """Another process that takes the month's lock and keeps it ``seconds``."""
    return holding("spes_report.archive.filing:month_lock", folder, seconds)


def test_sendings_noted_at_the_same_time_are_all_kept(june_only: Path, out: Path) -> None:
    writers, count = 4, 30
    processes = [subprocess.Popen([sys.executable, "-c", APPENDER, str(june_only), str(w),
                                   str(count)]) for w in range(writers)]
    for process in processes:
        assert process.wait(timeout=120) == 0
    noted = sorted((e["par"], e["n"]) for e in read_manifest(june_only)["envois"])
    assert noted == sorted((str(w), n) for w in range(writers) for n in range(count))
    assert verify(out / "archive").problems == ()
    assert sorted(p.name for p in (out / "archive").iterdir()) == ["2020-06"]  # no lock left


def test_filing_waits_for_a_sending_being_noted(three_months: Path, inputs: dict[str, Path],
                                               out: Path) -> None:
    july = three_months / "2020-07"
    with hold_month(july, 2) as holder:
        start = time.monotonic()
        result = build(inputs["july"], out, tolerance_points=2, replace=True)
        waited = time.monotonic() - start
        assert holder.wait(timeout=60) == 0
    assert waited >= 1.5  # it waited for the holder (a lower bound cannot be flaky)
    assert result.filing is not None and result.filing.outcome is Outcome.REPLACED
    assert verify(three_months).problems == ()


def test_a_sending_waits_then_gives_up_on_a_stuck_month(
        june_only: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from spes_report import locking

    before = (june_only / "manifest.json").read_bytes()
    with hold_month(june_only, 2) as holder:
        start = time.monotonic()
        append_to_manifest(june_only, "envois", {"n": 1})
        assert time.monotonic() - start >= 1.5
        holder.wait(timeout=60)
    assert read_manifest(june_only)["envois"] == [{"n": 1}]

    (june_only / "manifest.json").write_bytes(before)
    monkeypatch.setattr(locking, "DEFAULT_WAIT_SECONDS", 0.3)
    with hold_month(june_only, 600), pytest.raises(locking.OutputBusyError) as caught:
        append_to_manifest(june_only, "envois", {"n": 2})
    assert busy_text(caught.value) == (
        "Le mois 2020-06 de l'archive est en cours de modification par une autre commande "
        f"(verrou {june_only.parent / '.2020-06.lock'}), qui ne s'est pas terminée en 0,3 "
        "seconde : attendez qu'elle finisse, puis relancez la commande.")
    assert (june_only / "manifest.json").read_bytes() == before


def test_a_manifest_that_cannot_be_opened(june_only: Path, out: Path) -> None:
    manifest = june_only / "manifest.json"
    manifest.unlink()
    manifest.mkdir()  # a folder in its place: the system refuses to read it as a file
    (problem,) = verify(out / "archive").problems
    assert (problem.code, problem.place) == ("archive-manifest-unreadable",
                                            "2020-06/manifest.json")
    assert problem.message == (f"fiche du comité illisible : erreur d'accès au fichier "
                               f"{manifest} : c'est un dossier, alors qu'un fichier est attendu")
    assert [month_line(m) for m in archived_months(out / "archive")] == [
        f"2020-06 — fiche du comité illisible : erreur d'accès au fichier {manifest} : c'est "
        "un dossier, alors qu'un fichier est attendu ; non remplacé"]


# --- archives written by earlier versions -------------------------------------------------

FIXTURE_ARCHIVE = FIXTURES / "archive_0.1.0"


def test_an_archive_written_by_version_0_1_0_still_verifies(tmp_path: Path) -> None:
    """June, July with a correction, and July replaced once, as spes-report 0.1.0 filed
    them (tests/fixtures/README.md): every snapshot still rebuilds byte for byte."""
    out = tmp_path / "outputs"
    shutil.copytree(FIXTURE_ARCHIVE / "archive", out / "archive")
    result = run("archive", "verify", "--output-dir", out)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Archive vérifiée : 3 versions de comité (2020-06, "
                                    "2020-07, 2020-07/superseded-")


def test_the_same_input_gives_the_same_workbook_as_version_0_1_0(tmp_path: Path) -> None:
    for month in ("juin", "juillet"):
        shutil.copy(FIXTURE_ARCHIVE / f"{month}.xlsx", tmp_path / f"{month}.xlsx")
    out = tmp_path / "outputs"
    shutil.copytree(FIXTURE_ARCHIVE / "archive", out / "archive")
    # June as first built; July with June in its history (the replaced version's tolerance).
    result = run("build", tmp_path / "juin.xlsx", "--output-dir", out)
    assert result.exit_code == 0, result.output
    assert "rien de nouveau à archiver" in result.output
    result = run("build", tmp_path / "juillet.xlsx", "--output-dir", out, "--tolerance", "4")
    assert result.exit_code == 0, result.output
    assert "rien de nouveau à archiver" in result.output
    for name in ("SPES_COPIL_2020-06-01.xlsx", "SPES_COPIL_2020-07-01.xlsx"):
        assert (out / name).read_bytes() == (FIXTURE_ARCHIVE / name).read_bytes(), name
