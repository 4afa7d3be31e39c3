"""Printing the workbook with LibreOffice: finding it, refusing it, stopping it, judging its PDF.

Fake ``soffice`` programs (support.libreoffice) stand for the ways LibreOffice
fails; the real one, when installed, prints the sample workbook.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from support import SAMPLE
from support.libreoffice import (
    ABSENT_REASON,
    HANG,
    NOT_A_PDF,
    NOTHING,
    REAL_SOFFICE,
    SMALL_PDF,
    alive,
    fake_soffice,
    runs,
    small_pdf,
)

from spes_report import pdf
from spes_report.pdf import PdfError, Settings, Trouble

needs_libreoffice = pytest.mark.skipif(REAL_SOFFICE is None, reason=ABSENT_REASON)


@pytest.fixture(scope="module")
def sample_workbook(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The sample's workbook, as build writes it."""
    from spes_report.pipeline import build

    out = tmp_path_factory.mktemp("build")
    return build(SAMPLE, out, archive=False).workbook.read_bytes()


def refusal(call: object) -> PdfError:
    assert callable(call)
    with pytest.raises(PdfError) as caught:
        call()
    return caught.value


# --- finding LibreOffice -------------------------------------------------------------------

def test_found_on_path_as_soffice_or_libreoffice(tmp_path: Path) -> None:
    soffice = fake_soffice(tmp_path / "a", NOTHING)
    assert pdf.find(environ={"PATH": str(soffice.parent)}, windows=False) == soffice
    other = fake_soffice(tmp_path / "b", NOTHING, name="libreoffice")
    assert pdf.find(environ={"PATH": str(other.parent)}, windows=False) == other


def test_absent_names_where_it_looked(tmp_path: Path) -> None:
    error = refusal(lambda: pdf.find(environ={"PATH": str(tmp_path)}, windows=False))
    assert error.trouble is Trouble.ABSENT
    assert error.searched == ()  # PATH only, on Linux and macOS


def test_found_in_the_windows_install_folder(tmp_path: Path) -> None:
    folder = tmp_path / "Program Files" / "LibreOffice" / "program"
    folder.mkdir(parents=True)
    (folder / "soffice.exe").write_bytes(b"")
    environ = {"PATH": str(tmp_path / "vide"), "ProgramFiles": str(tmp_path / "Program Files")}
    assert pdf.find(environ=environ, windows=True) == folder / "soffice.exe"
    # soffice.com, its console launcher, waits for the conversion and prints the version.
    (folder / "soffice.com").write_bytes(b"")
    assert pdf.find(environ=environ, windows=True) == folder / "soffice.com"
    assert pdf.searched_folders(environ, windows=True) == [str(folder)]
    # Not looked for there on Linux and macOS.
    with pytest.raises(PdfError):
        pdf.find(environ=environ, windows=False)


def test_the_configured_program_wins_file_or_folder(tmp_path: Path) -> None:
    on_path = fake_soffice(tmp_path / "path", NOTHING)
    chosen = fake_soffice(tmp_path / "opt" / "program", NOTHING)
    environ = {"PATH": str(on_path.parent)}
    assert pdf.find(chosen, environ, windows=False) == chosen
    assert pdf.find(tmp_path / "opt", environ, windows=False) == chosen
    error = refusal(lambda: pdf.find(tmp_path / "ailleurs" / "soffice", environ, windows=False))
    assert error.trouble is Trouble.NOT_THERE
    assert error.program == tmp_path / "ailleurs" / "soffice"


# --- its version -----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "version"), [
    ("LibreOffice 7.4.7.2 40(Build:2)", (7, 4, 7, 2)),
    ("LibreOffice 24.2.1.2 420(Build:2)", (24, 2, 1, 2)),
    ("LibreOfficeDev 25.8.0.0.alpha0 ab12", (25, 8, 0, 0)),
    ("Warning: failed to launch javaldx\nLibreOffice 6.4.7.2 40(Build:2)", (6, 4, 7, 2)),
    ("OpenOffice 4.1.14", None),
    ("", None),
])
def test_version_read_from_what_it_prints(text: str, version: tuple[int, ...] | None) -> None:
    assert pdf.parse_version(text) == version


def test_too_old_is_refused_with_its_version(tmp_path: Path) -> None:
    old = fake_soffice(tmp_path, SMALL_PDF, version="LibreOffice 6.4.7.2 40(Build:2)")
    error = refusal(lambda: pdf.identify(old, 10))
    assert (error.trouble, error.version) == (Trouble.TOO_OLD, "LibreOffice 6.4.7.2")
    with pytest.raises(PdfError):
        pdf.render(b"classeur", "c.xlsx", Settings(old, 10))
    assert runs(tmp_path) == [["--version"], ["--version"]]  # never asked to convert


def test_a_program_that_prints_no_version_is_judged_by_its_pdf(tmp_path: Path) -> None:
    quiet = fake_soffice(tmp_path, SMALL_PDF, version="")
    assert pdf.identify(quiet, 10) == pdf.LibreOffice(quiet, "")
    assert pdf.render(b"classeur", "c.xlsx", Settings(quiet, 10)).made_with == "LibreOffice"


def test_a_program_the_system_will_not_start(tmp_path: Path) -> None:
    program = tmp_path / "soffice"
    program.write_text("pas un programme")
    program.chmod(0o644)
    error = refusal(lambda: pdf.render(b"classeur", "c.xlsx", Settings(program, 10)))
    assert error.trouble is Trouble.CANNOT_RUN and error.program == program


# --- converting ------------------------------------------------------------------------------

def test_the_conversion_runs_on_a_private_profile_in_a_temporary_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    program = fake_soffice(tmp_path / "lo", SMALL_PDF)
    rendered = pdf.render(b"classeur", "SPES_COPIL_2020-06-01.xlsx", Settings(program, 10))
    assert (rendered.content, rendered.pages) == (small_pdf(), 2)
    assert rendered.made_with == "LibreOffice 7.4.7.2"
    _, conversion = runs(tmp_path / "lo")
    profile = next(a for a in conversion if a.startswith("-env:UserInstallation="))
    assert profile.startswith(f"-env:UserInstallation={(tmp_path / 'tmp').as_uri()}/")
    assert {"--headless", "--norestore", "--convert-to", "pdf"} <= set(conversion)
    assert conversion[-1].endswith("SPES_COPIL_2020-06-01.xlsx")
    # Profile, workbook copy and PDF are gone with the temporary folder.
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.parametrize("conversion", [NOTHING, NOT_A_PDF])
def test_exit_0_without_a_pdf_is_no_pdf(tmp_path: Path, conversion: str) -> None:
    program = fake_soffice(tmp_path, conversion)
    error = refusal(lambda: pdf.render(b"classeur", "c.xlsx", Settings(program, 10)))
    assert error.trouble is Trouble.NO_PDF
    assert error.version == "LibreOffice 7.4.7.2"
    # What LibreOffice printed goes into the message, without the line that only names
    # temporary files.
    assert error.detail == ""


def test_what_libreoffice_printed_is_kept_short_and_useful() -> None:
    printed = ("Warning: failed to launch javaldx - java may not function correctly\n"
               "convert /tmp/x/classeur/a.xlsx -> /tmp/x/pdf/a.pdf using filter : "
               "calc_pdf_Export\nError: source file could not be loaded\n")
    assert pdf._shortened(printed) == "Error: source file could not be loaded"
    assert len(pdf._shortened("E" * 1000)) == pdf.DETAIL_LIMIT


def test_past_the_time_limit_it_is_stopped_with_what_it_started(tmp_path: Path) -> None:
    program = fake_soffice(tmp_path, HANG)
    start = time.monotonic()
    error = refusal(lambda: pdf.render(b"classeur", "c.xlsx", Settings(program, 2)))
    assert (error.trouble, error.seconds) == (Trouble.TIMED_OUT, 2)
    assert time.monotonic() - start < 15
    parent, child = (int((tmp_path / f"{who}.pid").read_text()) for who in ("parent", "child"))
    deadline = time.monotonic() + 5
    while (alive(parent) or alive(child)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(parent) and not alive(child)


def test_page_count_judges_a_whole_pdf() -> None:
    assert pdf.page_count(small_pdf(3)) == 3
    assert pdf.page_count(small_pdf(3)[:-200]) == 0  # cut short: no %%EOF
    assert pdf.page_count(b"") == 0
    assert pdf.page_count(b"PK\x03\x04" + small_pdf()[4:]) == 0


# --- the real LibreOffice --------------------------------------------------------------------

@pytest.mark.libreoffice
@needs_libreoffice
def test_libreoffice_prints_the_sample_workbook(sample_workbook: bytes) -> None:
    rendered = pdf.render(sample_workbook, "SPES_COPIL_2020-06-01.xlsx")
    assert rendered.content.startswith(b"%PDF-")
    # Synthèse, its chart, 8 missions, Historique, Paramètres.
    assert rendered.pages == 12
    assert rendered.made_with.startswith("LibreOffice ")
    version = pdf.parse_version(rendered.made_with)
    assert version is not None and version[:2] >= pdf.MINIMUM_VERSION


@pytest.mark.libreoffice
@needs_libreoffice
def test_an_open_libreoffice_does_not_take_the_job_over(
        sample_workbook: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """LibreOffice open on the desktop, on the user's own profile: a conversion run on
    that profile is handed over to it (and waits on, or is lost in, whatever that window
    is doing); ours runs in an instance of its own, and leaves the open one alone."""
    assert REAL_SOFFICE is not None
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    desktop = subprocess.Popen(
        [REAL_SOFFICE, "--headless", "--norestore", "--accept=pipe,name=spes-test;urp;"],
        env={**os.environ, "HOME": str(home)}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not list(home.rglob("registrymodifications.xcu")):
            assert time.monotonic() < deadline, "LibreOffice did not start"
            time.sleep(0.2)
        rendered = pdf.render(sample_workbook, "SPES_COPIL_2020-06-01.xlsx")
        assert rendered.pages == 12
        assert desktop.poll() is None  # the desktop's LibreOffice is left as it was
    finally:
        os.killpg(desktop.pid, signal.SIGKILL)
        desktop.wait()


def test_one_time_limit_covers_the_version_and_the_conversion(tmp_path: Path) -> None:
    # Each run alone would fit in 2 seconds, not both: the limit is the whole step's.
    slow = tmp_path / "lent"
    slow.mkdir()
    program = slow / "soffice"
    program.write_text('#!/bin/sh\nsleep 1.4\nif [ "$1" = "--version" ]; then '
                       'echo "LibreOffice 7.4.7.2"; fi\nsleep 0.1\n', encoding="utf-8")
    program.chmod(0o755)
    error = refusal(lambda: pdf.render(b"classeur", "c.xlsx", Settings(program, 2)))
    assert (error.trouble, error.seconds) == (Trouble.TIMED_OUT, 2)
