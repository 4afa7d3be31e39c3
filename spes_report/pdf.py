"""The committee's PDF: the workbook printed by LibreOffice, run headless on a private profile.

LibreOffice is looked for only when a PDF is asked for: on ``PATH``
(``soffice``, ``libreoffice``), in the usual Windows install folders, or at
the path the configuration gives. Each conversion runs in a temporary folder
of its own, with a fresh LibreOffice profile in it: an instance already open
on the desktop (which would otherwise take the job over and do nothing) does
not interfere, and the profile sets the French locale, so that the PDF writes
``77,0 %`` as French Excel shows the cell, whatever the machine's language.
LibreOffice exits 0 even when it could not convert, so the result is judged
by the PDF it leaves. Nothing here touches the outputs folder: the caller
places the bytes returned (pipeline.py, through the journal).

Failures are data (``PdfError`` and its ``Trouble``); cli/messages.py says them.
"""

from __future__ import annotations

import contextlib
import enum
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# Tested with 7.4; 7.0 (2020) is the oldest release that supported distributions still
# ship, and the oldest whose XLSX import of the workbook's data bars and charts we vouch for.
MINIMUM_VERSION = (7, 0)
# A first start builds the profile: a few seconds here, much more on a loaded office PC.
DEFAULT_TIMEOUT_SECONDS = 120.0
PROGRAM_NAMES = ("soffice", "libreoffice")
# Where the Windows installer puts it, under each of these environment variables.
WINDOWS_ROOTS = ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)")
WINDOWS_FOLDER = Path("LibreOffice", "program")
# Where macOS installs it (not on PATH either).
MACOS_PROGRAM = Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")
# The private profile's settings: the French locale (decimal comma, French dates).
PROFILE_SETTINGS = """\
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" \
oor:op="fuse"><value>fr-FR</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" \
oor:op="fuse"><value>fr-FR</value></prop></item>
</oor:items>
"""
# What LibreOffice says is kept for the message, shortened.
DETAIL_LIMIT = 300
_VERSION = re.compile(r"LibreOffice(?:Dev)?\s+(\d+)\.(\d+)(?:\.(\d+))?(?:\.(\d+))?")
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


class Trouble(enum.Enum):
    """Why no PDF was made."""

    ABSENT = "absent"  # found neither on PATH nor in the usual folders
    NOT_THERE = "not-there"  # the configured program does not exist
    CANNOT_RUN = "cannot-run"  # the system would not start it
    TOO_OLD = "too-old"
    TIMED_OUT = "timed-out"
    NO_PDF = "no-pdf"  # it ended without leaving a PDF (or a damaged one)


class PdfError(Exception):
    """No PDF: ``trouble`` says why; the other fields what the message needs."""

    def __init__(self, trouble: Trouble, program: Path | None = None, *,
                 version: str = "", seconds: float = 0.0, detail: str = "",
                 searched: Sequence[str] = (), error_number: int | None = None) -> None:
        # ``searched``: the install folders looked in beyond PATH (Windows);
        # ``error_number``: the system's errno when it would not start the program.
        self.trouble = trouble
        self.error_number = error_number
        self.program = program
        self.version = version
        self.seconds = seconds
        self.detail = detail
        self.searched = tuple(searched)
        super().__init__(f"{trouble.value}: {program} {version} {detail}".strip())


@dataclass(frozen=True)
class Settings:
    """How to make the PDF: the program given in the configuration (else looked for), and
    how long one run of LibreOffice may take."""

    program: Path | None = None
    timeout: float = DEFAULT_TIMEOUT_SECONDS


@dataclass(frozen=True)
class LibreOffice:
    program: Path
    # ``LibreOffice 7.4.7.2``; empty when the program did not say (then not refused).
    version: str


@dataclass(frozen=True)
class Rendered:
    content: bytes
    pages: int
    made_with: str  # ``LibreOffice 7.4.7.2``
    seconds: float


def windows_candidates(environ: Mapping[str, str]) -> list[Path]:
    """``soffice.exe`` in the usual install folders (``%ProgramFiles%\\LibreOffice\\program``)."""
    roots = dict.fromkeys(environ[name] for name in WINDOWS_ROOTS if environ.get(name))
    return [Path(root) / WINDOWS_FOLDER / "soffice.exe" for root in roots]


def searched_folders(environ: Mapping[str, str] | None = None,
                     windows: bool | None = None) -> list[str]:
    """The install folders ``find`` looks in beyond PATH, as the refusal names them."""
    environ = os.environ if environ is None else environ
    windows = sys.platform == "win32" if windows is None else windows
    return [str(path.parent) for path in windows_candidates(environ)] if windows else []


def find(configured: Path | None = None, environ: Mapping[str, str] | None = None,
         windows: bool | None = None) -> Path:
    """The LibreOffice program to run; raise PdfError (ABSENT or NOT_THERE) if none.

    The configured path wins (a file, or the folder that holds ``soffice``);
    then ``soffice`` or ``libreoffice`` on PATH; then, on Windows, the usual
    install folders (the installer does not add LibreOffice to PATH), on macOS
    the application's.
    """
    environ = os.environ if environ is None else environ
    windows = sys.platform == "win32" if windows is None else windows
    if configured is not None:
        found = _program_at(configured, windows)
        if found is None:
            raise PdfError(Trouble.NOT_THERE, configured)
        return found
    path = environ.get("PATH", os.defpath)
    for name in PROGRAM_NAMES:
        hit = shutil.which(name, path=path)
        if hit is not None:
            return _console_twin(Path(hit), windows)
    if windows:
        for candidate in windows_candidates(environ):
            if candidate.is_file():
                return _console_twin(candidate, windows)
    elif sys.platform == "darwin" and MACOS_PROGRAM.is_file():  # pragma: no cover - macOS
        return MACOS_PROGRAM
    raise PdfError(Trouble.ABSENT, searched=searched_folders(environ, windows))


def _program_at(configured: Path, windows: bool) -> Path | None:
    if configured.is_dir():
        names = ("soffice.exe", "soffice.com") if windows else PROGRAM_NAMES
        inside = [configured / name for name in names]
        inside += [configured / "program" / name for name in names]
        configured = next((p for p in inside if p.is_file()), configured)
    return _console_twin(configured, windows) if configured.is_file() else None


def _console_twin(program: Path, windows: bool) -> Path:
    """On Windows, ``soffice.com`` beside ``soffice.exe``: the console launcher, which
    waits for the conversion and passes on what LibreOffice prints (``--version``)."""
    if windows and program.name.lower() == "soffice.exe":
        twin = program.with_name("soffice.com")
        if twin.is_file():
            return twin
    return program


def parse_version(text: str) -> tuple[int, ...] | None:
    """``(7, 4, 7, 2)`` from ``LibreOffice 7.4.7.2 40(Build:2)``; None if not there."""
    found = _VERSION.search(text)
    if found is None:
        return None
    return tuple(int(part) for part in found.groups() if part is not None)


def identify(program: Path, timeout: float) -> LibreOffice:
    """Ask ``program --version``; refuse a LibreOffice older than MINIMUM_VERSION.

    A program that prints no version it can read is not refused: the PDF it
    makes will tell (some packagings print nothing).
    """
    output = _run([str(program), "--version"], timeout, program)
    version = parse_version(output)
    if version is None:
        return LibreOffice(program, "")
    text = f"LibreOffice {'.'.join(str(part) for part in version)}"
    if version[:2] < MINIMUM_VERSION:
        raise PdfError(Trouble.TOO_OLD, program, version=text)
    return LibreOffice(program, text)


def render(workbook: bytes, name: str, settings: Settings | None = None,
           office: LibreOffice | None = None) -> Rendered:
    """The PDF of the workbook ``workbook`` (its file name ``name``), as LibreOffice prints it.

    Raises PdfError when LibreOffice is absent, too old, runs past
    ``settings.timeout`` (it is then stopped, with everything it started), or
    leaves no valid PDF.
    """
    settings = settings or Settings()
    start = time.monotonic()
    if office is None:
        office = identify(find(settings.program), settings.timeout)
    # One time limit for the whole step: what --version took is spent.
    left = settings.timeout - (time.monotonic() - start)
    if left <= 0:
        raise PdfError(Trouble.TIMED_OUT, office.program, seconds=settings.timeout)
    with _workspace() as work:
        source = work / "classeur" / name
        source.parent.mkdir()
        source.write_bytes(workbook)
        target = work / "pdf"
        target.mkdir()
        output = _run([str(office.program), f"-env:UserInstallation={_profile(work).as_uri()}",
                       "--headless", "--norestore", "--convert-to", "pdf", "--outdir",
                       str(target), str(source)], left, office.program,
                      limit=settings.timeout)
        produced = target / f"{Path(name).stem}.pdf"
        content = produced.read_bytes() if produced.is_file() else b""
    pages = page_count(content)
    if not pages:
        raise PdfError(Trouble.NO_PDF, office.program, version=office.version,
                       detail=_shortened(output))
    return Rendered(content, pages, office.version or "LibreOffice",
                    time.monotonic() - start)


def page_count(content: bytes) -> int:
    """How many pages a PDF holds; 0 when ``content`` is no complete PDF."""
    if not content.startswith(b"%PDF-") or b"%%EOF" not in content[-1024:]:
        return 0
    return len(_PAGE.findall(content))


@contextlib.contextmanager
def _workspace() -> Iterator[Path]:
    # The system's temporary folder, never the outputs folder: what a kill leaves
    # there is the system's to clean, and LibreOffice may still hold files in it.
    with tempfile.TemporaryDirectory(prefix="spes-report-pdf-",
                                     ignore_cleanup_errors=True) as folder:
        yield Path(folder)


def _profile(work: Path) -> Path:
    """A fresh LibreOffice profile in ``work``, set to the French locale."""
    profile = work / "profil"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE_SETTINGS,
                                                                 encoding="utf-8")
    return profile


def _run(command: list[str], timeout: float, program: Path, limit: float | None = None,
         ) -> str:
    """Run ``command`` within ``timeout`` seconds; what it printed (stdout and stderr).
    ``limit``: the whole step's time limit, which a timeout names (else ``timeout``).

    The program runs in a process group (a session) of its own, so that on a
    timeout or an interruption everything it started is stopped with it.
    """
    windows = sys.platform == "win32"
    try:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            start_new_session=not windows,
            creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0) if windows else 0)
    except OSError as error:
        raise PdfError(Trouble.CANNOT_RUN, program, detail=error.strerror or str(error),
                       error_number=error.errno) from error
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise PdfError(Trouble.TIMED_OUT, program,
                       seconds=timeout if limit is None else limit) from None
    except BaseException:
        _stop(process)
        raise
    return bytes(output).decode("utf-8", "replace")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End ``process`` and everything it started, then reap it."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)],
                           capture_output=True, timeout=30, check=False)
        with contextlib.suppress(OSError):
            process.kill()
    else:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.communicate(timeout=10)
    # Whatever still holds its pipes, the process itself is gone: reap it, no zombie.
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


def _shortened(output: str) -> str:
    """What LibreOffice printed, on one line, without its usual noise: the Java warning,
    and the ``convert … -> … using filter`` line, which only names temporary files."""
    lines = [line.strip() for line in output.splitlines()
             if line.strip() and "javaldx" not in line and not line.startswith("convert ")]
    text = " ".join(lines)
    return text if len(text) <= DETAIL_LIMIT else text[:DETAIL_LIMIT - 1] + "…"
