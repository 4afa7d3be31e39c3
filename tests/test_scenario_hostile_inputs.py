"""Hostile and broken inputs: each is named in French, nothing is lost, nothing is executed."""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import errno
import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from support import ROOT, SAMPLE, run, run_main
from support.hostile import EXCEL_LOCK, NOT_LOADED, Case, corpus, expected_places, unknown_missions
from support.inputs import make_input, mission_row
from support.locks import holding
from support.plans import toml_plan
from support.workbooks import NS, Package, load, tag

from spes_report import InputError, load_input, load_plan
from spes_report.locking import LOCK_NAME
from spes_report.problems import InstallationError

CASES = corpus()
REFUSED = [case for case in CASES if case.expected]
LOADED = [case for case in CASES if not case.expected]
WORKBOOK = "SPES_COPIL_2020-06-01.xlsx"


def problems(path: Path) -> list[tuple[str, str]]:
    with pytest.raises(InputError) as caught:
        load_input(path, load_plan())
    return [(p.code, p.place) for p in caught.value.problems]


def make(case: Case, tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir(parents=True)
    return case.make(folder)


# --- 1 and 2: every case is recognised, named, and refused or read -----------------

@pytest.mark.parametrize("case", REFUSED, ids=lambda case: case.name)
def test_refused_input_names_its_kind_and_place(case: Case, tmp_path: Path) -> None:
    path = make(case, tmp_path)
    with pytest.raises(InputError) as caught:
        load_input(path, load_plan())
    assert [(p.code, p.place) for p in caught.value.problems] == expected_places(case, path)
    assert case.phrase in str(caught.value)


@pytest.mark.parametrize("case", REFUSED, ids=lambda case: case.name)
def test_refused_input_through_the_command(case: Case, tmp_path: Path) -> None:
    path = make(case, tmp_path)
    out = tmp_path / "out"
    checked = run("check", path)
    assert checked.exit_code == 1
    assert case.phrase in checked.output
    assert NOT_LOADED in checked.output
    assert "Traceback" not in checked.output
    built = run("build", path, "--output-dir", out)
    assert built.exit_code == 1
    assert case.phrase in built.output
    assert not out.exists() or not any(out.rglob("*.xlsx"))


@pytest.mark.parametrize("case", LOADED, ids=lambda case: case.name)
def test_odd_but_valid_input_builds(case: Case, tmp_path: Path) -> None:
    path = make(case, tmp_path)
    result = run("build", path, "--output-dir", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / WORKBOOK).is_file()


def test_stretched_sheet_reads_the_same_rates_as_the_sample(tmp_path: Path) -> None:
    expected = load_input(SAMPLE, load_plan()).data
    for case in LOADED:
        if case.name.startswith("stretched"):
            assert load_input(make(case, tmp_path / case.name), load_plan()).data == (
                expected), case.name


def test_longest_excel_text_is_written_whole(tmp_path: Path) -> None:
    (case,) = [case for case in LOADED if case.name == "text-32767"]
    assert run("build", make(case, tmp_path), "--output-dir", tmp_path).exit_code == 0
    package = Package(tmp_path / WORKBOOK)
    strings = [si.findtext(".//m:t", namespaces=NS) or ""
               for si in package.xml("xl/sharedStrings.xml").findall("m:si", NS)]
    assert "x" * 32_767 in strings


def test_thousands_of_wrong_rows_are_summed_up(tmp_path: Path) -> None:
    path = unknown_missions(3000)(tmp_path)
    result = run("check", path)
    assert result.exit_code == 1
    assert "contient 3\u202f000 problèmes" in result.output
    assert result.output.count("\n  - ") == 50
    assert "… et 2\u202f950 autres problèmes" in result.output


def test_unreadable_file_is_named(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as root, who reads everything: the refusal is simulated here."""
    path = sample
    real_open = Path.open

    def refusing_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refusing_open)
    assert problems(path) == [("file-unreadable", str(path))]
    # Every command that reads the input says so with status 1 (user-fixable).
    for command in ("check", "build"):
        result = run(command, path, *(() if command == "check" else ("--no-archive",)))
        assert result.exit_code == 1, (command, result.output)
        assert "lecture refusée (droits)" in result.output


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root reads any file whatever its permissions")
def test_unreadable_file_for_real(sample: Path) -> None:
    path = sample
    path.chmod(0)
    try:
        assert problems(path) == [("file-unreadable", str(path))]
    finally:
        path.chmod(0o644)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    pipe = tmp_path / "input.xlsx"
    os.mkfifo(pipe)
    assert problems(pipe) == [("not-a-regular-file", str(pipe))]


# --- 2: defusedxml must be in force ---------------------------------------------------

def test_loading_refuses_to_start_without_defusedxml(monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl.xml

    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    with pytest.raises(InstallationError, match="defusedxml"):
        load_input(SAMPLE, load_plan())


def test_command_without_defusedxml_stops_with_status_3(tmp_path: Path) -> None:
    """openpyxl drops defusedxml when OPENPYXL_DEFUSEDXML=False: the tool then refuses."""
    env = {**os.environ, "OPENPYXL_DEFUSEDXML": "False", "PYTHONWARNINGS": "error"}
    done = subprocess.run([sys.executable, "-m", "spes_report", "check", str(SAMPLE)],
                          cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 3
    assert "defusedxml" in done.stderr
    assert "Traceback" not in done.stderr


# --- 3: text from the input stays text --------------------------------------------------

HOSTILE_TEXTS = [
    "=cmd|' /C calc'!A0", "=HYPERLINK(\"https://example.org\",\"clic\")", "+33 1 40 81 21 22",
    "-2 agents", "@SUM(A1:A9)", "\tTabulation en tête", "\rRetour chariot",
    "https://example.org/piege", "=1+1",
]


def hostile_input(path: Path, texts: list[str]) -> Path:
    """The three text columns of each mission filled with ``texts``, kept as text cells."""
    rows = [mission_row(n, 0.8, comment="") for n in range(1, 9)]
    make_input(path, rows)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Saisie"]
    for index in range(8 * 3):
        # openpyxl would store "=..." as a formula; data_type "s" keeps it a string.
        cell = sheet.cell(6 + index // 3, 7 + index % 3, texts[index % len(texts)])
        cell.data_type = "s"
    workbook.save(path)
    return path


def formulas_and_links(path: Path) -> tuple[Counter[tuple[int, str, str]], list[Any]]:
    """Every formula (sheet position, cell, text) and every hyperlink of a workbook."""
    package = Package(path)
    formulas: Counter[tuple[int, str, str]] = Counter()
    links = []
    for position, part in enumerate(package.sheets().values()):
        root = package.xml(part)
        for cell in root.iter(tag("m", "c")):
            formula = cell.find("m:f", NS)
            if formula is not None:
                formulas[(position, cell.get("r", ""), formula.text or "")] += 1
        links += [(position, link.attrib) for link in root.iter(tag("m", "hyperlink"))]
    return formulas, links


def shared_strings(path: Path) -> list[str]:
    package = Package(path)
    return ["".join(t.text or "" for t in si.iter(tag("m", "t"))).replace("_x000D_", "\r")
            for si in package.xml("xl/sharedStrings.xml").findall("m:si", NS)]


def test_hostile_text_from_the_input_is_written_as_text(tmp_path: Path) -> None:
    benign = hostile_input(tmp_path / "benign.xlsx", ["Rien à signaler"])
    hostile = hostile_input(tmp_path / "hostile.xlsx", HOSTILE_TEXTS)
    assert run("build", benign, "--output-dir", tmp_path / "a").exit_code == 0
    assert run("build", hostile, "--output-dir", tmp_path / "b").exit_code == 0
    plain, hostile_out = tmp_path / "a" / WORKBOOK, tmp_path / "b" / WORKBOOK
    # The same formulas and links, at the same places: none came from the input.
    assert formulas_and_links(hostile_out) == formulas_and_links(plain)
    for _, attributes in formulas_and_links(hostile_out)[1]:
        assert tag("r", "id") not in attributes  # internal links only
    # The loader trims spaces, tabs and line breaks at both ends of a note.
    texts = {text.strip() for text in HOSTILE_TEXTS}
    assert texts <= set(shared_strings(hostile_out))
    # Risky cells carry a quote prefix, so they stay text once edited in Excel.
    book = load(hostile_out)
    quoted = {cell.value for sheet in book for row in sheet.iter_rows() for cell in row
              if isinstance(cell.value, str) and cell.quotePrefix}
    assert {text for text in texts if text[0] in "=+-@"} <= quoted


def test_hostile_titles_in_a_custom_plan_stay_text(tmp_path: Path) -> None:
    from spes_report.pipeline import build

    plan = load_plan()
    hostile = dataclasses.replace(plan, missions=tuple(
        dataclasses.replace(mission, title=HOSTILE_TEXTS[i % len(HOSTILE_TEXTS)],
                            objective="=2+2", description="@cmd")
        for i, mission in enumerate(plan.missions)))
    plain = build(SAMPLE, tmp_path / "a", plan=toml_plan(tmp_path / "plain.toml", plan),
                  archive=False).workbook
    odd = build(SAMPLE, tmp_path / "b", plan=toml_plan(tmp_path / "odd.toml", hostile),
                archive=False).workbook
    assert formulas_and_links(odd)[0] == formulas_and_links(plain)[0]
    names = load(odd).sheetnames
    assert len(names) == len({name.casefold() for name in names})
    assert all(len(name) <= 31 and not set(name) & set("[]:*?/\\") for name in names)
    assert "=cmd|' /C calc'!A0" in shared_strings(odd)


# --- 4: the writer checks what xlsxwriter returns -----------------------------------------

# Worksheet methods that report failure by a negative return value.
RETURNING = {
    "write", "write_string", "write_number", "write_blank", "write_formula", "write_url",
    "write_datetime", "write_boolean", "write_rich_string", "write_row", "write_column",
    "merge_range", "insert_chart", "insert_image", "insert_textbox", "set_row",
    "conditional_format", "data_validation", "add_table", "add_sparkline", "print_area",
    "repeat_rows", "repeat_columns", "define_name", "write_comment", "autofilter",
}


def unchecked_calls(source: str) -> list[str]:
    """Calls to RETURNING methods whose result is thrown away."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Attribute)
                and node.value.func.attr in RETURNING):
            found.append(f"line {node.lineno}: {node.value.func.attr}")
    return found


def test_unchecked_calls_are_detected() -> None:
    assert unchecked_calls("sheet.write_string(0, 0, 'x')") == ["line 1: write_string"]
    assert unchecked_calls("checked(sheet.write_string(0, 0, 'x'), 'S', 0, 0)") == []


def test_every_xlsxwriter_return_value_is_checked() -> None:
    writers = ROOT / "spes_report" / "writers"
    for module in sorted(writers.glob("*.py")):
        assert unchecked_calls(module.read_text(encoding="utf-8")) == [], module.name


# --- 5: outputs are never damaged ----------------------------------------------------------

def test_write_failing_midway_leaves_the_earlier_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out"
    assert run("build", SAMPLE, "--output-dir", out, "--tolerance", "2",
               "--no-archive").exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real_fdopen = os.fdopen

    class HalfWriter:
        """A file that takes half of what it is given, then finds the disk full."""

        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def write(self, data: bytes) -> int:
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

        def __enter__(self) -> HalfWriter:
            return self

        def __exit__(self, *_: object) -> None:
            self.handle.close()

    def failing_fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        return HalfWriter(real_fdopen(fd, *args, **kwargs))

    monkeypatch.setattr(os, "fdopen", failing_fdopen)
    status = run_main(monkeypatch, "build", SAMPLE, "--output-dir", out, "--no-archive")
    assert status == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before  # same files, same bytes: no temporary, no copy, no damage


def test_workbook_write_error_is_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:

    def refusing(*_: object, **__: object) -> int:
        return -2  # what xlsxwriter returns for a string it truncated

    monkeypatch.setattr("xlsxwriter.worksheet.Worksheet.write_string", refusing)
    status = run_main(monkeypatch, "build", SAMPLE, "--output-dir", tmp_path / "out",
                      "--no-archive")
    assert status == 1
    err = capsys.readouterr().err
    assert err.startswith("Le classeur n'a pas pu être écrit : écriture impossible en ")
    assert "texte trop long (plus de 32\u202f767 caractères)" in err
    assert not any((tmp_path / "out").glob("*.xlsx"))


def hold_lock(out: Path, seconds: float) -> contextlib.AbstractContextManager[
        subprocess.Popen[str]]:
    """Another process that takes the lock of the outputs ``out`` and keeps it ``seconds``."""
    return holding("spes_report.locking:outputs_lock", out, seconds)


def command(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "spes_report", *map(str, args)]


def test_two_builds_at_once_leave_one_sound_workbook(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", SAMPLE, "--output-dir", out, "--tolerance", "2",
               "--no-archive").exit_code == 0
    earlier = (out / WORKBOOK).read_bytes()
    builds = [subprocess.Popen(command("build", SAMPLE, "--output-dir", out, "--no-archive"),
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True) for _ in range(2)]
    for build in builds:
        _, err = build.communicate(timeout=120)
        assert build.returncode == 0, err
    with zipfile.ZipFile(out / WORKBOOK) as archive:
        assert archive.testzip() is None
    assert load(out / WORKBOOK)["Synthèse"] is not None
    # The first build kept the earlier workbook aside; the second found its own
    # result already there and kept nothing. No temporary file is left (the lock
    # file stays, empty, by design).
    kept = sorted(p.name for p in out.iterdir() if p.name not in (WORKBOOK, LOCK_NAME))
    assert len(kept) == 1 and ".remplace-" in kept[0], kept
    assert (out / kept[0]).read_bytes() == earlier


def test_build_waits_for_the_other_one(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with hold_lock(out, 3) as holder:
        start = time.monotonic()
        done = subprocess.run(command("build", SAMPLE, "--output-dir", out, "--no-archive"),
                              cwd=tmp_path, capture_output=True, text=True, timeout=120)
        # The holder finished its sleep and released the lock; only then did the build run.
        assert holder.wait(timeout=60) == 0
    assert time.monotonic() - start >= 2.5  # it waited (a lower bound cannot be flaky)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == [WORKBOOK]


def test_build_gives_up_on_a_stuck_one_and_a_crash_frees_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    from spes_report import locking

    out = tmp_path / "out"
    assert run("build", SAMPLE, "--output-dir", out, "--tolerance", "2",
               "--no-archive").exit_code == 0
    earlier = (out / WORKBOOK).read_bytes()
    monkeypatch.setattr(locking, "DEFAULT_WAIT_SECONDS", 0.3)
    with hold_lock(out, 600) as holder:
        assert run_main(monkeypatch, "build", SAMPLE, "--output-dir", out,
                        "--no-archive") == 1
        err = capsys.readouterr().err
        assert f"Une autre commande spes-report travaille dans le dossier {out}" in err
        assert (out / WORKBOOK).read_bytes() == earlier
        holder.kill()  # a crash: the holder never releases the lock itself
        holder.wait(timeout=60)
    # The system released the dead holder's lock: no obstacle.
    assert run_main(monkeypatch, "build", SAMPLE, "--output-dir", out, "--no-archive") == 0


def test_default_input_is_never_an_excel_lock_file(tmp_path: Path) -> None:
    """Excel leaves ~$input.xlsx beside the input while it is open: build ignores it."""
    (tmp_path / "inputs").mkdir()
    shutil.copy(SAMPLE, tmp_path / "inputs" / "input.xlsx")
    (tmp_path / "inputs" / "~$input.xlsx").write_bytes(EXCEL_LOCK)
    done = subprocess.run(command("build", "--no-archive"), cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "outputs" / WORKBOOK).is_file()
    named = subprocess.run(command("check", Path("inputs") / "~$input.xlsx"), cwd=tmp_path,
                           capture_output=True, text=True, timeout=120)
    assert named.returncode == 1
    assert "fichier de verrouillage d'Excel (~$…)" in named.stderr
