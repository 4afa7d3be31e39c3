"""The command line, as staff use it: exit statuses, French messages, files written or not."""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from support import SAMPLE, command_tree, console_script, run, run_main
from support.inputs import HEADER, make_input, mission_row
from support.workbooks import load

from spes_report.locking import LOCK_NAME


def one_line_help(command: click.Command) -> str:
    """What a group's --help lists for ``command``: its short help, or its first paragraph."""
    if command.short_help:
        return command.short_help
    assert command.help, f"{command.name} has no help"
    return " ".join(command.help.split("\n\n")[0].split())


def test_build_the_sample(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("build", sample, "--output-dir", out)
    assert result.exit_code == 0, result.output
    workbook = out / "SPES_COPIL_2020-06-01.xlsx"
    assert workbook.is_file()
    assert f"Classeur écrit : {workbook}" in result.output
    assert result.output.splitlines()[-2:] == [
        "8 missions : 5 conformes, 2 en vigilance, 1 en alerte",
        "Trajectoires : 7 en bonne voie, 1 hors trajectoire"]
    # No temporary file left, here or in the month's snapshot.
    # The workbook and the archive, nothing else (the lock file goes with the lock).
    assert sorted(p.name for p in out.iterdir()) == [workbook.name, "archive"]
    assert [p.name for p in (out / "archive").iterdir()] == ["2020-06"]


def test_build_with_date_and_tolerance(sample: Path, tmp_path: Path) -> None:
    result = run("build", sample, "--output-dir", tmp_path, "--date", "11/05/2020")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "SPES_COPIL_2020-05-11.xlsx").is_file()
    strict = run("build", sample, "--output-dir", tmp_path / "strict", "--tolerance", "0")
    assert strict.exit_code == 0
    assert "en vigilance" not in strict.output
    assert "3 en alerte" in strict.output


def test_rebuild_keeps_a_different_earlier_workbook(sample: Path, tmp_path: Path) -> None:
    # Without the archive, which refuses a different rebuild (see test_archive_filing.py).
    out = tmp_path / "out"
    assert run("build", sample, "--output-dir", out, "--no-archive").exit_code == 0
    first = (out / "SPES_COPIL_2020-06-01.xlsx").read_bytes()
    again = run("build", sample, "--output-dir", out, "--no-archive")
    assert "conservée" not in again.output  # identical rebuild: nothing to keep
    assert [p.name for p in out.iterdir() if p.name != LOCK_NAME] == [
        "SPES_COPIL_2020-06-01.xlsx"]
    changed = run("build", sample, "--output-dir", out, "--tolerance", "2", "--no-archive")
    assert changed.exit_code == 0
    kept = [p for p in out.iterdir() if ".remplace-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == first
    assert "Version précédente conservée" in changed.output


def test_input_problems_exit_1_and_write_nothing(tmp_path: Path) -> None:
    bad = make_input(tmp_path / "bad.xlsx", [mission_row(1, "beaucoup"), mission_row(42, 0.5)])
    out = tmp_path / "out"
    result = run("build", bad, "--output-dir", out)
    assert result.exit_code == 1
    assert "contient 2 problèmes ; aucun fichier n'a été écrit." in result.output
    assert "Saisie!C6 : mission n° 1, 11/05/2020 : ce texte n'est pas un taux" in result.output
    assert "Saisie!A7 : la mission n° 42 n'existe pas" in result.output
    assert "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())


def test_missing_input(tmp_path: Path) -> None:
    result = run("build", tmp_path / "absent.xlsx", "--output-dir", tmp_path / "out")
    assert result.exit_code == 1
    assert "ce fichier n'existe pas" in result.output
    assert not (tmp_path / "out").exists()


def test_bad_option_is_a_usage_error(sample: Path, tmp_path: Path) -> None:
    result = run("build", sample, "--output-dir", tmp_path, "--date", "bientôt")
    assert result.exit_code == 2
    assert "date illisible" in result.output
    assert run("build", sample, "--tolerance", "-3").exit_code == 2


def test_check_reports_without_writing(sample: Path, tmp_path: Path) -> None:
    result = run("check", sample)
    assert result.exit_code == 0
    assert result.output == (f"{sample} : aucun problème. 16 taux lus pour 8 missions, "
                             "sur 4 dates.\nPlan : plan intégré à l'outil (28a179…)\n")
    bad = make_input(tmp_path / "bad.xlsx", [mission_row(1, 1.5, 120)])
    before = sorted(tmp_path.iterdir())
    result = run("check", bad)
    assert result.exit_code == 1
    assert "Saisie!D6" in result.output
    assert sorted(tmp_path.iterdir()) == before


@pytest.mark.parametrize(
    ("rows", "dates", "counted"),
    [
        ([mission_row(1, 0.5)], 4, "1 taux lu pour 1 mission, sur 4 dates"),
        ([mission_row(1, 0.5, 0.6), mission_row(2)], 4, "2 taux lus pour 1 mission, sur 4 dates"),
        ([[1, "Mission 1", 0.5]], 1, "1 taux lu pour 1 mission, sur 1 date"),
        ([mission_row(1), mission_row(2)], 4, "Aucun taux n'est encore saisi (4 dates)"),
        ([[1, "Mission 1", None]], 1, "Aucun taux n'est encore saisi (1 date)"),
    ],
)
def test_check_counts_agree_in_number(tmp_path: Path, rows: list[list[object]], dates: int,
                                      counted: str) -> None:
    header = HEADER if dates == 4 else HEADER[:3]
    source = make_input(tmp_path / "input.xlsx", rows, header=header)
    result = run("check", source)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"{source} : aucun problème. {counted}."


def test_init_never_overwrites_without_force(tmp_path: Path) -> None:
    target = tmp_path / "inputs" / "input.xlsx"
    assert run("init", target).exit_code == 0
    original = target.read_bytes()
    refused = run("init", target)
    assert refused.exit_code == 1
    assert "--force" in refused.output
    assert target.read_bytes() == original
    forced = run("init", target, "--force")
    assert forced.exit_code == 0
    backups = [p for p in target.parent.iterdir() if p != target]
    assert len(backups) == 1 and backups[0].read_bytes() == original
    assert str(backups[0]) in forced.output


def test_init_then_build_on_the_blank_template(tmp_path: Path) -> None:
    template = tmp_path / "input.xlsx"
    assert run("init", template).exit_code == 0
    result = run("build", template, "--output-dir", tmp_path / "out", "--date", "01/06/2020")
    assert result.exit_code == 0, result.output
    assert "8 missions : 8 non renseignées" in result.output


def test_blank_template_without_date_asks_for_one(tmp_path: Path) -> None:
    template = tmp_path / "input.xlsx"
    run("init", template)
    result = run("build", template, "--output-dir", tmp_path / "out")
    assert result.exit_code == 1
    assert "--date" in result.output


def test_real_command_from_a_working_directory(tmp_path: Path) -> None:
    """The installed command, run as staff run it: defaults relative to the folder."""
    (tmp_path / "inputs").mkdir()
    shutil.copy(SAMPLE, tmp_path / "inputs" / "input.xlsx")
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    done = subprocess.run([console_script(), "build"], cwd=tmp_path, capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "outputs" / "SPES_COPIL_2020-06-01.xlsx").is_file()
    broken = make_input(tmp_path / "inputs" / "input.xlsx", [mission_row(1, "?")])
    done = subprocess.run([sys.executable, "-m", "spes_report", "check", str(broken)],
                          cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "Saisie!C6" in done.stderr


def test_version_and_help() -> None:
    from spes_report import __version__

    assert run("--version").output.strip() == f"spes-report {__version__}"
    groups = [(path, c) for path, c in command_tree() if isinstance(c, click.Group)]
    assert [path for path, _ in groups] == [(), ("archive",), ("plan",), ("collect",)]
    for path, group in groups:
        help_text = run(*path, "--help").output
        for name, command in group.commands.items():  # type: ignore[attr-defined]
            # Whole, on the command's line: click would cut a long one with "...".
            line = rf"^  {re.escape(name)} +{re.escape(one_line_help(command))}$"
            assert re.search(line, help_text, re.M), (name, help_text)


def test_unexpected_error_gives_a_short_message_and_a_report(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import spes_report.pipeline

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(spes_report.pipeline, "build", broken)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)
    assert run_main(monkeypatch, "build", sample, "--output-dir", tmp_path / "out") == 3
    err = capsys.readouterr().err
    assert "Erreur interne inattendue" in err
    assert "Traceback" not in err
    (log,) = tmp_path.glob("spes-report-erreur-*.txt")
    assert "RuntimeError: boom" in log.read_text(encoding="utf-8")


def test_file_system_error_is_explained(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    assert run_main(monkeypatch, "build", sample, "--output-dir", blocker / "sub") == 1
    err = capsys.readouterr().err
    assert err.startswith("Erreur d'accès au fichier")
    assert "une partie de ce chemin est un fichier, alors qu'un dossier est attendu" in err
    assert "Not a directory" not in err
    assert "Traceback" not in err


def test_a_full_disk_names_the_folder(monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    import spes_report.pipeline

    def refused(*_: object, **__: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC),
                      "outputs/.SPES_COPIL_2020-06-01.xlsx.en-cours-0a1b2c3d")

    monkeypatch.setattr(spes_report.pipeline, "check", refused)
    assert run_main(monkeypatch, "check") == 1
    assert capsys.readouterr().err == (
        "Le disque qui contient le dossier outputs est plein : libérez de la place, puis "
        "relancez la commande. Rien n'a été modifié.\n")


@pytest.mark.parametrize(
    ("code", "french"),
    [
        (errno.ENOENT, "ce fichier ou ce dossier n'existe pas"),
        (errno.EACCES, "accès refusé : vous n'avez pas les droits nécessaires"),
        (errno.EPERM, "opération refusée par le système"),
        (errno.EISDIR, "c'est un dossier, alors qu'un fichier est attendu"),
        (errno.ENOTDIR, "une partie de ce chemin est un fichier"),
        (errno.EROFS, "ce disque est en lecture seule"),
        (errno.EEXIST, "un fichier ou un dossier de ce nom existe déjà"),
        (errno.ENAMETOOLONG, "le nom du fichier ou du chemin est trop long"),
        (errno.EMFILE, "trop de fichiers sont ouverts"),
        (errno.ENFILE, "trop de fichiers sont ouverts sur ce poste"),
        (errno.EBUSY, "ce fichier est utilisé par un autre programme"),
    ],
)
def test_system_errors_are_told_in_french(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], code: int,
    french: str,
) -> None:
    import spes_report.pipeline

    def refused(*_: object, **__: object) -> None:
        raise OSError(code, os.strerror(code), "outputs/SPES_COPIL_2020-06-01.xlsx")

    monkeypatch.setattr(spes_report.pipeline, "check", refused)
    assert run_main(monkeypatch, "check") == 1
    err = capsys.readouterr().err
    assert err.startswith("Erreur d'accès au fichier outputs/SPES_COPIL_2020-06-01.xlsx : ")
    assert french in err
    assert os.strerror(code) not in err  # the system's English stays out


@pytest.mark.parametrize(("typed", "points"), [("2,5", 2.5), ("2.5", 2.5), ("0", 0.0),
                                               ("100", 100.0), (" 7 ", 7.0)])
def test_tolerance_takes_a_decimal_comma(sample: Path, tmp_path: Path, typed: str,
                                         points: float) -> None:
    result = run("build", sample, "--output-dir", tmp_path, "--no-archive",
                 "--tolerance", typed)
    assert result.exit_code == 0, result.output
    book = load(tmp_path / "SPES_COPIL_2020-06-01.xlsx")
    assert book["Paramètres"]["B3"].value == points


@pytest.mark.parametrize("typed", ["nan", "NaN", "inf", "-inf", "infinity", "1e3", "1_0",
                                   "", "5 points", "-0,5", "100,01"])
def test_tolerance_refuses_what_is_not_a_number_of_points(sample: Path, tmp_path: Path,
                                                          typed: str) -> None:
    result = run("build", sample, "--output-dir", tmp_path / "out", "--tolerance", typed)
    assert result.exit_code == 2
    assert "Valeur incorrecte" not in result.output
    assert f"valeur incorrecte pour '--tolerance' : « {typed} »" in result.output
    assert not (tmp_path / "out").exists()


def test_command_line_defaults_match_the_library() -> None:
    import spes_report.cli.app as cli_module
    from spes_report import DEFAULT_TOLERANCE_POINTS, naming

    assert cli_module.DEFAULT_INPUT == naming.DEFAULT_INPUT
    assert cli_module.DEFAULT_OUTPUT_DIR == naming.DEFAULT_OUTPUT_DIR
    assert cli_module.DEFAULT_TOLERANCE_POINTS == DEFAULT_TOLERANCE_POINTS
    from spes_report.builder import DEFAULT_FRESHNESS_DAYS

    assert cli_module.DEFAULT_FRESHNESS_DAYS == DEFAULT_FRESHNESS_DAYS
