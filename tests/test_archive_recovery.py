"""archive.recovery: the outputs folder repaired before any command works in it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
from support import console_script, run, tree
from support.archive import ARCHIVE_0_1_0

from spes_report import durable
from spes_report.archive.recovery import open_outputs, repair
from spes_report.journal import JOURNAL_NAME


def archive_of_0_1_0(tmp_path: Path) -> Path:
    """The outputs folder spes-report 0.1.0 left (tests/fixtures/README.md), copied."""
    out = tmp_path / "outputs"
    shutil.copytree(ARCHIVE_0_1_0 / "archive", out / "archive")
    for name in ("SPES_COPIL_2020-06-01.xlsx", "SPES_COPIL_2020-07-01.xlsx"):
        shutil.copy(ARCHIVE_0_1_0 / name, out / name)
    return out


@pytest.mark.parametrize("moved_month", [True, False])
def test_a_month_hidden_by_an_interrupted_0_1_0_replacement_comes_back(
        tmp_path: Path, moved_month: bool) -> None:
    """spes-report 0.1.0 killed between the renames of ``build --replace``: the month's
    only copy sat in a hidden staging folder, and ``archive list`` said nothing was archived;
    or, killed earlier, the month was still there without some of its earlier versions."""
    out = archive_of_0_1_0(tmp_path)
    shutil.copy(ARCHIVE_0_1_0 / "juillet.xlsx", tmp_path / "juillet.xlsx")
    # A second earlier version, so that some can be moved and some not.
    assert run("build", tmp_path / "juillet.xlsx", "--output-dir", out, "--tolerance", "3",
               "--replace").exit_code == 0
    july = out / "archive" / "2020-07"
    staging = out / "archive" / ".2020-07.en-cours-1a2b3c4d"
    # What 0.1.0 left: the new snapshot staged; the earlier versions (all of them, or one)
    # moved into it; then the month itself, or not yet.
    shutil.copytree(july, staging / "new", ignore=shutil.ignore_patterns("superseded-*"))
    for name in os.listdir(staging / "new"):
        os.rename(staging / "new" / name, staging / name)
    (staging / "new").rmdir()
    earlier = sorted(july.glob("superseded-*"))
    for older in earlier if moved_month else earlier[:1]:
        os.rename(older, staging / older.name)
    if moved_month:
        os.rename(july, staging / "superseded-2026-11-30-020000")
    versions = len(earlier) + 1

    result = run("archive", "list", "--output-dir", out)
    assert result.exit_code == 0, result.output
    assert ("Reprise après une commande interrompue : remplacement du mois 2020-07 dans "
            "l'archive terminé (versions antérieures conservées).") in result.output
    assert f"remplacé {versions} fois" in result.output
    assert not staging.exists() and july.is_dir()
    assert len(list(july.glob("superseded-*"))) == versions
    verified = run("archive", "verify", "--output-dir", out)
    assert verified.exit_code == 0, verified.output


def test_a_staging_folder_without_earlier_versions_is_a_snapshot_never_filed(
        tmp_path: Path) -> None:
    out = archive_of_0_1_0(tmp_path)
    before = tree(out)
    staging = out / "archive" / ".2020-08.en-cours-00ff00ff"
    staging.mkdir()
    (staging / "manifest.json").write_text("{}", encoding="utf-8")
    (out / ".SPES_COPIL_2020-08-01.xlsx.k3j4_x9a.tmp").write_bytes(b"PK")  # 0.1.0's litter
    result = run("archive", "verify", "--output-dir", out)
    assert result.exit_code == 0, result.output
    assert ("Reprise après une commande interrompue : 2 fichiers ou dossiers temporaires "
            "supprimés."
            in result.output)
    assert tree(out) == before


def test_nothing_to_repair_says_nothing_and_touches_nothing(tmp_path: Path) -> None:
    out = archive_of_0_1_0(tmp_path)
    before = tree(out)
    points: list[str] = []
    with durable.hooked(lambda kind, path: points.append(kind)):
        assert not repair(out)
    assert points == [] and tree(out) == before
    assert "Reprise" not in run("archive", "list", "--output-dir", out).output


def test_an_unreadable_journal_stops_the_command_and_is_kept(tmp_path: Path) -> None:
    out = archive_of_0_1_0(tmp_path)
    (out / JOURNAL_NAME).write_text("{ abîmé", encoding="utf-8")
    result = run("archive", "list", "--output-dir", out)
    assert result.exit_code == 1
    assert f"Le journal {out / JOURNAL_NAME}, laissé par une commande interrompue, est " \
           "illisible" in result.output
    assert (out / JOURNAL_NAME).exists()


def test_a_journal_whose_renames_cannot_be_made_is_kept_and_reported(tmp_path: Path) -> None:
    out = archive_of_0_1_0(tmp_path)
    (out / JOURNAL_NAME).write_text(json.dumps({
        "format": 1, "about": {"workbook": "SPES_COPIL_2020-08-01.xlsx"},
        "moves": [[".SPES_COPIL_2020-08-01.xlsx.en-cours-01020304",
                   "SPES_COPIL_2020-08-01.xlsx"]], "discard": []}), encoding="utf-8")
    journal_before = (out / JOURNAL_NAME).read_bytes()
    before = tree(out)
    shutil.copy(ARCHIVE_0_1_0 / "juillet.xlsx", tmp_path / "juillet.xlsx")
    # Every command stops there, a build too: it would otherwise mix a third state in.
    for args in (("archive", "list"), ("build", tmp_path / "juillet.xlsx", "--tolerance", "3",
                                       "--replace")):
        result = run(*args, "--output-dir", out)
        assert result.exit_code == 1, result.output
        assert "Une commande interrompue n'a pas pu être terminée" in result.output
    assert (out / JOURNAL_NAME).read_bytes() == journal_before
    assert tree(out) == before


def test_readers_never_see_a_month_half_filed(tmp_path: Path) -> None:
    """``archive verify`` started while a ``build --replace`` renames: it waits for the
    build, then finds the whole new month (it once reported false damage)."""
    out = archive_of_0_1_0(tmp_path)
    shutil.copy(ARCHIVE_0_1_0 / "juillet.xlsx", tmp_path / "juillet.xlsx")
    readers: list[subprocess.Popen[str]] = []

    def between_renames(kind: str, path: Path) -> None:
        if kind == durable.RENAME and not readers:
            readers.append(subprocess.Popen(
                [console_script(), "archive", "verify", "--output-dir", str(out)],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
            time.sleep(3)  # verifying three snapshots takes about a second, unhindered
            assert readers[0].poll() is None  # the reader is waiting for the build

    with durable.hooked(between_renames):
        built = run("build", tmp_path / "juillet.xlsx", "--output-dir", out, "--tolerance",
                    "3", "--replace")
    assert built.exit_code == 0, built.output
    (reader,) = readers
    said, _ = reader.communicate(timeout=120)
    assert reader.returncode == 0, said
    assert said.startswith("Archive vérifiée : 4 versions de comité"), said


def test_open_outputs_for_a_reader_creates_nothing(tmp_path: Path) -> None:
    with open_outputs(tmp_path / "absent", create=False) as repaired:
        assert not repaired
    assert not (tmp_path / "absent").exists()


@pytest.mark.parametrize("path", ["archive", "archive/2020-07"])
def test_a_file_where_a_folder_of_the_archive_goes_is_named_by_every_command(
        tmp_path: Path, path: str) -> None:
    out = archive_of_0_1_0(tmp_path)
    shutil.copy(ARCHIVE_0_1_0 / "juillet.xlsx", tmp_path / "juillet.xlsx")
    target = out / path
    shutil.rmtree(target)
    target.write_bytes(b"")
    said = f"{target} devrait être un dossier de l'archive, mais c'est un fichier"
    for args in (("build", tmp_path / "juillet.xlsx", "--tolerance", "4"), ("archive", "list"),
                 ("archive", "verify")):
        result = run(*args, "--output-dir", out)
        assert result.exit_code == 1, (args, result.output)
        assert said in result.output, (args, result.output)


def test_the_wait_for_a_busy_folder_is_bounded(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from spes_report import locking

    out = archive_of_0_1_0(tmp_path)
    monkeypatch.setattr(locking, "DEFAULT_WAIT_SECONDS", 0.2)
    held, done = threading.Event(), threading.Event()

    def hold() -> None:
        with locking.outputs_lock(out):
            held.set()
            done.wait(timeout=30)

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(timeout=30)
    try:
        result = run("archive", "list", "--output-dir", out)
    finally:
        done.set()
        holder.join()
    # Another thread of this process holds it: the lock is re-entrant per thread only.
    assert result.exit_code == 1
    assert "Une autre commande spes-report travaille dans le dossier" in result.output


def test_a_read_only_outputs_folder_is_still_read(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """An auditor's copy or a read-only share: the lock file cannot be made there. Readers
    read it as it is and say so; a build still refuses (it would have to write)."""
    import errno

    from spes_report.archive import recovery

    out = archive_of_0_1_0(tmp_path)
    shutil.copy(ARCHIVE_0_1_0 / "juillet.xlsx", tmp_path / "juillet.xlsx")

    def read_only(folder: Path, wait_seconds: float | None = None) -> object:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES),
                              str(folder / ".spes-report.lock"))

    monkeypatch.setattr(recovery, "outputs_lock", read_only)
    for command in ("list", "verify"):
        result = run("archive", command, "--output-dir", out)
        assert result.exit_code == 0, result.output
        assert "le dossier des classeurs est en lecture seule" in result.output
    listed = run("archive", "list", "--output-dir", out).output
    assert "2020-07 — comité du 1er juillet 2020" in listed
    built = run("build", tmp_path / "juillet.xlsx", "--output-dir", out, "--tolerance", "5")
    assert built.exit_code == 1 and "accès refusé" in built.output
