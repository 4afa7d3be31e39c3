"""Filing monthly snapshots, built month after month in a temporary folder: layout, manifest,
refusal and --replace, byte-identical rebuilds, one change at a time per month.

The other archive modules have their own files: test_archive_listing (`archive
list`), test_archive_verification (`archive verify`), test_archive_manifest
(damaged manifests), test_archive_diff (why a month is refused), test_archive_layout."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from support import run, tree
from support.archive import ARCHIVE_0_1_0, BUILT, JULY, JUNE, MAY, RATES, edit_manifest, sha
from support.locks import holding
from support.workbooks import load

from spes_report import __version__, durable
from spes_report.archive import Outcome, verify
from spes_report.archive import filing as archive_module
from spes_report.archive.filing import append_to_manifest
from spes_report.archive.manifest import read_manifest, summary_json
from spes_report.cli.messages import busy_text
from spes_report.pipeline import build
from spes_report.plan import embedded_plan_bytes

# --- filing ---------------------------------------------------------------------------

def test_archive_layout_and_manifest(three_months: Path, inputs: dict[str, Path],
                                     out: Path) -> None:
    assert sorted(p.name for p in three_months.iterdir()) == ["2020-05", "2020-06", "2020-07"]
    folder = three_months / "2020-06"
    workbook = "SPES_COPIL_2020-06-01.xlsx"
    assert sorted(p.name for p in folder.iterdir()) == [
        workbook, "manifest.json", "plan.toml", "saisie_juin.xlsx"]
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
    # The plan in force, byte for byte: the embedded one here (no plan.xlsx).
    assert (folder / "plan.toml").read_bytes() == embedded_plan_bytes()
    assert manifest["definitions_sha256"] == sha(embedded_plan_bytes())
    assert {k: manifest["plan"][k] for k in ("name", "file", "sha256", "service", "title")} == {
        "name": "plan intégré à l'outil", "file": "plan.toml",
        "sha256": sha(embedded_plan_bytes()), "service": "SPES",
        "title": "Reprise des activités au secrétariat général"}
    m7 = manifest["plan"]["missions"][6]
    assert [ms["target"] for ms in m7["milestones"]] == [0.5, 0.6, 0.7, 0.8]
    assert manifest["files"] == {name: sha((folder / name).read_bytes())
                                 for name in (workbook, "saisie_juin.xlsx", "plan.toml")}
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
    assert lines[0] == f"Plan : plan intégré à l'outil ({sha(embedded_plan_bytes())[:6]}…)"
    assert lines[2] == f"Comité archivé : {out / 'archive' / '2020-07'}"
    assert lines[3:6] == [
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
    superseded = folder / "superseded-2020-07-02-093000Z"
    assert result.filing.superseded == superseded
    assert tree(superseded) == first
    assert read_manifest(folder)["tolerance_points"] == 2
    assert result.replaced is not None  # the outputs/ workbook was kept aside too

    # A second replacement keeps both earlier versions side by side.
    again = build(inputs["july"], out, tolerance_points=3, replace=True, now=BUILT)
    assert again.filing is not None
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == [
        "superseded-2020-07-02-093000Z", "superseded-2020-07-02-093000Z-2"]
    assert tree(folder / "superseded-2020-07-02-093000Z") == first
    assert read_manifest(folder / "superseded-2020-07-02-093000Z-2")["tolerance_points"] == 2
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
    failed = []

    def rename(kind: str, target: Path) -> None:
        # The last step, once: the staging folder becoming the month's folder (the undoing
        # then moves the earlier month back there).
        if kind == durable.RENAME and target.name == "2020-07" and not failed:
            failed.append(target)
            raise OSError(5, "Input/output error")

    with durable.hooked(rename), pytest.raises(OSError):
        build(inputs["july"], out, tolerance_points=3, replace=True)
    assert tree(out) == before


# --- one change at a time per month ---------------------------------------------------------

APPENDER = """
import sys
from pathlib import Path
from spes_report.archive.filing import append_to_manifest
from spes_report.locking import outputs_lock
folder, who, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
for n in range(count):
    with outputs_lock(folder.parent.parent):
        append_to_manifest(folder, "envois", {"par": who, "n": n})
"""

def hold_outputs(out: Path, seconds: float) -> contextlib.AbstractContextManager[
        subprocess.Popen[str]]:
    """Another process that takes the outputs' lock and keeps it ``seconds``."""
    return holding("spes_report.locking:outputs_lock", out, seconds)


def test_sendings_noted_at_the_same_time_are_all_kept(june_only: Path, out: Path) -> None:
    writers, count = 4, 30
    processes = [subprocess.Popen([sys.executable, "-c", APPENDER, str(june_only), str(w),
                                   str(count)]) for w in range(writers)]
    for process in processes:
        assert process.wait(timeout=120) == 0
    noted = sorted((e["par"], e["n"]) for e in read_manifest(june_only)["envois"])
    assert noted == sorted((str(w), n) for w in range(writers) for n in range(count))
    assert verify(out / "archive").problems == ()
    assert sorted(p.name for p in (out / "archive").iterdir()) == ["2020-06"]  # nothing left


def test_filing_waits_for_a_sending_being_noted(three_months: Path, inputs: dict[str, Path],
                                               out: Path) -> None:
    with hold_outputs(out, 2) as holder:
        start = time.monotonic()
        result = build(inputs["july"], out, tolerance_points=2, replace=True)
        waited = time.monotonic() - start
        assert holder.wait(timeout=60) == 0
    assert waited >= 1.5  # it waited for the holder (a lower bound cannot be flaky)
    assert result.filing is not None and result.filing.outcome is Outcome.REPLACED
    assert verify(three_months).problems == ()


def test_a_sending_waits_then_gives_up_on_busy_outputs(
        june_only: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from spes_report import locking
    from spes_report.archive import NotNoted, record_sending

    workbook = out / "SPES_COPIL_2020-06-01.xlsx"
    before = (june_only / "manifest.json").read_bytes()
    with hold_outputs(out, 2) as holder:
        start = time.monotonic()
        note = record_sending(out / "archive", JUNE, workbook, {"n": 1})
        assert time.monotonic() - start >= 1.5
        holder.wait(timeout=60)
    assert note.not_noted is None
    assert [e["n"] for e in read_manifest(june_only)["envois"]] == [1]

    (june_only / "manifest.json").write_bytes(before)
    monkeypatch.setattr(locking, "DEFAULT_WAIT_SECONDS", 0.3)
    with hold_outputs(out, 600):
        note = record_sending(out / "archive", JUNE, workbook, {"n": 2})
        assert note.not_noted is NotNoted.BUSY
        with pytest.raises(locking.OutputBusyError) as caught, locking.outputs_lock(out):
            pass
    assert busy_text(caught.value) == (
        f"Une autre commande spes-report travaille dans le dossier {out} (verrou "
        f"{out / '.spes-report.lock'}) et ne s'est pas terminée en 0,3 seconde : attendez "
        "qu'elle finisse, puis relancez la commande. Aucun fichier n'a été modifié.")
    assert (june_only / "manifest.json").read_bytes() == before


# --- the same inputs as version 0.1.0 ---------------------------------------------------

def test_the_same_input_gives_the_figures_version_0_1_0_presented(tmp_path: Path) -> None:
    """The workbook changed with 0.2.0 (the plan on Paramètres), the figures did not."""
    for month in ("juin", "juillet"):
        shutil.copy(ARCHIVE_0_1_0 / f"{month}.xlsx", tmp_path / f"{month}.xlsx")
    out = tmp_path / "outputs"
    shutil.copytree(ARCHIVE_0_1_0 / "archive", out / "archive")
    # June as first built; July with June in its history (the replaced version's tolerance).
    for month, folder, options in (("juin", "2020-06", {}),
                                   ("juillet", "2020-07", {"tolerance_points": 4.0})):
        report = build(tmp_path / f"{month}.xlsx", out, archive=False, **options).report
        archived = read_manifest(out / "archive" / folder)
        assert summary_json(report) == archived["summary"], month
        assert [c.report_date for c in report.history] == [
            date.fromisoformat(c["report_date"]) for c in archived["history"]]
    # Archiving it again is refused: the new workbook differs by the version alone.
    before = tree(out / "archive")
    result = run("build", tmp_path / "juin.xlsx", "--output-dir", out)
    assert result.exit_code == 1
    assert "  - version de l'outil : 0.1.0 dans l'archive, 0.3.0 maintenant." in (
        result.output.splitlines())
    assert tree(out / "archive") == before


# --- times in UTC ----------------------------------------------------------------------------

def test_times_are_written_in_utc_whatever_the_time_zone(inputs: dict[str, Path],
                                                         tmp_path: Path) -> None:
    """The same instant, seen from Paris and from Nouméa, names and dates the same files."""
    paris = timezone(timedelta(hours=2))
    noumea = timezone(timedelta(hours=11))
    names = []
    for zone, folder in ((paris, "paris"), (noumea, "noumea")):
        out = tmp_path / folder
        moment = datetime(2020, 7, 2, 7, 30, tzinfo=UTC).astimezone(zone)
        build(inputs["june"], out, now=moment)
        result = build(inputs["june"], out, tolerance_points=3, replace=True, now=moment)
        assert result.filing is not None and result.filing.superseded is not None
        assert result.replaced is not None
        manifest = read_manifest(out / "archive" / "2020-06")
        names.append((manifest["built_at"], result.filing.superseded.name, result.replaced.name))
    assert names[0] == names[1] == (
        "2020-07-02T07:30:00Z", "superseded-2020-07-02-073000Z",
        "SPES_COPIL_2020-06-01.remplace-2020-07-02-073000Z.xlsx")


def test_manifests_written_with_local_times_are_still_read(three_months: Path) -> None:
    """0.1.0 wrote ``built_at`` in local time without an offset: still a manifest."""
    edit_manifest(three_months / "2020-06", lambda m: m.update(built_at="2020-06-02T09:30:00"))
    assert read_manifest(three_months / "2020-06")["built_at"] == "2020-06-02T09:30:00"
    assert verify(three_months, "2020-06").problems == ()


# --- the month's PDF ------------------------------------------------------------------------

def test_month_pdf_says_whether_a_pdf_of_this_workbook_can_be_filed(june_only: Path) -> None:
    from spes_report.archive import PdfNotFiled, month_pdf, prepare_pdf_filing
    from spes_report.journal import Change, apply

    root, pdf = june_only.parent, "SPES_COPIL_2020-06-01.pdf"
    workbook = sha((june_only / "SPES_COPIL_2020-06-01.xlsx").read_bytes())
    assert month_pdf(root, JUNE, workbook, pdf).not_filed is None
    assert month_pdf(root, MAY, workbook, pdf).not_filed is PdfNotFiled.NO_MONTH
    assert month_pdf(root, date(2020, 6, 16), workbook, pdf).not_filed is (
        PdfNotFiled.OTHER_COMMITTEE)
    assert month_pdf(root, JUNE, "0" * 64, pdf).not_filed is PdfNotFiled.OTHER_WORKBOOK
    (june_only / pdf).write_bytes(b"%PDF- pose a la main")
    assert month_pdf(root, JUNE, workbook, pdf).not_filed is PdfNotFiled.NAME_TAKEN
    (june_only / pdf).unlink()

    # Filed: the manifest records it, sealed again; it is then the PDF of record.
    outputs = root.parent
    sealed = read_manifest(june_only)["seal"]
    moves, discard = prepare_pdf_filing(outputs, june_only, pdf, b"%PDF-1.4 imprime",
                                        {"workbook_sha256": workbook}, "cc")
    apply(outputs, Change(moves, discard))
    manifest = read_manifest(june_only)
    assert manifest["pdf"] == {"file": pdf, "sha256": sha(b"%PDF-1.4 imprime"),
                               "workbook_sha256": workbook}
    assert manifest["seal"] != sealed
    found = month_pdf(root, JUNE, workbook, pdf)
    assert (found.archived, found.not_filed) == (b"%PDF-1.4 imprime", None)
    assert verify(root).problems == ()

    # Changed since: left for archive verify, never replaced.
    (june_only / pdf).write_bytes(b"%PDF-1.4 retouche")
    assert month_pdf(root, JUNE, workbook, pdf).not_filed is PdfNotFiled.EDITED
    edit_manifest(june_only, lambda m: m["summary"].update(average_actual=0.99))
    assert month_pdf(root, JUNE, workbook, pdf).not_filed is PdfNotFiled.EDITED
    (june_only / "manifest.json").write_text("{", encoding="utf-8")
    assert month_pdf(root, JUNE, workbook, pdf).not_filed is PdfNotFiled.UNREADABLE


def test_the_pdf_is_not_content_two_prints_are_one_snapshot(june_only: Path) -> None:
    """Its bytes depend on the LibreOffice that printed it: a month with a PDF is still the
    same snapshot as a build without one."""
    from spes_report.archive.manifest import content_of, seal, seal_intact

    manifest = read_manifest(june_only)
    with_pdf = {**manifest, "pdf": {"file": "SPES_COPIL_2020-06-01.pdf", "sha256": "a" * 64,
                                    "workbook_sha256": "b" * 64}}
    assert content_of(with_pdf) == content_of(manifest)
    assert seal(with_pdf) != seal(manifest)
    assert seal_intact(manifest) is True and seal_intact(with_pdf) is False
