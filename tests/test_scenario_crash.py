"""Crash consistency, proven by interrupting the tool at every change it makes on disk.

Every write, sync, rename, removal and folder creation of outputs/ goes
through spes_report.durable. For each command below, the harness counts
those points, then for each point N in turn, from the same starting folder:

- kill: a forked process runs the command and dies at point N (``os._exit``,
  no clean-up, as a kill or a power cut would leave it); the next command
  (``archive verify``) must say it repaired something when something was
  left, leave outputs/ exactly as before the command or exactly as after it
  (file for file, byte for byte), with no prepared file nor journal anywhere,
  and find the archive whole;
- disk full: the command gets ``ENOSPC`` at point N, in this process: it
  must fail leaving outputs/ exactly as it was, with nothing left behind,
  or (past its last rename) succeed, and the next command find the new state;
- Ctrl+C: KeyboardInterrupt at point N: outputs/ old or new, whole, once the
  next command has run.

A few real SIGKILLs of the real command, at random moments, complete it. The
number of points covered is printed at the end of the run (conftest.py).

``build --pdf`` makes two changes: the workbook and its month, then the PDF beside
it and in the month (so that a PDF that cannot be made leaves the workbook built).
Its scenarios have a third whole state, the middle one (the same build without
--pdf), which an interruption of the PDF's change may leave; a failed PDF step is
a failed command (the fake LibreOffice of support.libreoffice prints, in no time).
"""

from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from support import console_script, run, tree
from support.archive import JULY, JUNE, make_month, rates_until
from support.libreoffice import quick_soffice
from support.mail import EMAIL_SECTION, attachments, bodies, parse

from spes_report import durable
from spes_report.archive import archive_root, record_sending
from spes_report.files import is_prepared
from spes_report.journal import JOURNAL_NAME
from spes_report.locking import LOCK_NAME
from spes_report.pdf import Settings
from spes_report.pipeline import BuildResult, build

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"),
                                reason="the harness forks a process per interruption (POSIX)")

NOW = datetime(2020, 7, 2, 9, 30, tzinfo=UTC)
KILLED = 137
# Points covered, by scenario and mode: printed at the end of the run (conftest.py).
COVERED: dict[str, int] = {}


@dataclass(frozen=True)
class Scenario:
    name: str
    # Builds made before, to set the starting folder: (input, tolerance, replace), and
    # optionally archive and pdf (both default: True, False).
    before: tuple[tuple[str, float, bool] | tuple[str, float, bool, bool, bool], ...]
    # The command interrupted, run in the working folder.
    command: Callable[[Path], object]
    # A command of two changes (build --pdf): the first alone, whose state it may leave.
    first_change: Callable[[Path], object] | None = None


def build_june(tolerance: float = 5, replace: bool = False, archive: bool = True,
               pdf: str | None = None) -> Callable[[Path], object]:
    """June's build; with ``pdf``, printed by the fake LibreOffice with that mark."""
    def command(folder: Path) -> object:
        settings = None
        if pdf is not None:
            (folder / "lo" / "marque").write_text(pdf, encoding="utf-8")
            settings = Settings(folder / "lo" / "soffice", 30)
        result = build(folder / "juin.xlsx", folder / "outputs", now=NOW,
                       tolerance_points=tolerance, replace=replace, archive=archive,
                       pdf=settings)
        return _failed_if_no_pdf(result)
    return command


def _failed_if_no_pdf(result: BuildResult) -> BuildResult:
    """A PDF step that failed fails the command, as `build --pdf` exits 1."""
    if result.pdf_error is not None:
        raise result.pdf_error
    return result


def build_july(folder: Path) -> object:
    return build(folder / "juillet.xlsx", folder / "outputs", now=NOW)


def note_sending(folder: Path) -> object:
    return record_sending(archive_root(folder / "outputs"), JUNE,
                          folder / "outputs" / "SPES_COPIL_2020-06-01.xlsx",
                          {"sent_at": "2020-06-02T07:00:00Z", "recipients": ["copil@exemple.fr"],
                           "server": "127.0.0.1:25", "answer": "250 OK"})


def write_draft(folder: Path) -> object:
    """``email`` once the workbook is built: the .eml draft written beside it."""
    from spes_report import load_input
    from spes_report.compose import compose
    from spes_report.config import load_config
    from spes_report.mailing.jobs import prepare_email
    from spes_report.plan import read_plan

    config_path = folder / "spes-report.toml"
    config_path.write_text(EMAIL_SECTION, encoding="utf-8")
    plan = read_plan()
    report = compose(plan, load_input(folder / "juin.xlsx", plan.plan), JUNE, 5,
                     ()).report
    return prepare_email(report, folder / "outputs" / "SPES_COPIL_2020-06-01.xlsx",
                         load_config(config_path).email, now=NOW)


SCENARIOS = [
    Scenario("first-build", (), build_june()),
    Scenario("identical-rebuild", (("juin", 5, False),), build_june()),
    Scenario("replace", (("juin", 5, False),), build_june(3, replace=True)),
    Scenario("replace-again", (("juin", 5, False), ("juin", 3, True)), build_june(2, True)),
    Scenario("no-archive", (("juin", 5, False),), build_june(3, archive=False)),
    Scenario("next-month", (("juin", 5, False),), build_july),
    Scenario("sending-noted", (("juin", 5, False),), note_sending),
    Scenario("email-draft", (("juin", 5, False),), write_draft),
    # The month filed without its PDF: the rebuild files it (the first change is empty).
    Scenario("rebuild-adds-pdf", (("juin", 5, False),), build_june(pdf="apres")),
    Scenario("replace-pdf", (("juin", 5, False, True, True),),
             build_june(3, replace=True, pdf="apres"), first_change=build_june(3, True)),
    # The workbook unchanged, the PDF beside printed again (no archive): replaced.
    Scenario("rebuild-pdf-no-archive", (("juin", 5, False, False, True),),
             build_june(archive=False, pdf="apres"), first_change=build_june(archive=False)),
]


@pytest.fixture(scope="module")
def saisies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("saisies")
    make_month(folder, JUNE, "juin.xlsx")
    make_month(folder, JULY, "juillet.xlsx", rates_until(JULY))
    quick_soffice(folder / "lo")
    return folder


def starting_folder(scenario: Scenario, saisies: Path, folder: Path) -> Path:
    shutil.copytree(saisies, folder)
    for name, tolerance, replace, *more in scenario.before:
        archive, pdf = (*more, True, False)[:2] if more else (True, False)
        if pdf:
            (folder / "lo" / "marque").write_text("avant", encoding="utf-8")
        result = build(folder / f"{name}.xlsx", folder / "outputs", tolerance_points=tolerance,
                       replace=replace, now=datetime(2020, 6, 2, 8, 0, tzinfo=UTC),
                       archive=bool(archive),
                       pdf=Settings(folder / "lo" / "soffice", 30) if pdf else None)
        _failed_if_no_pdf(result)
    return folder


def state(folder: Path) -> dict[str, bytes]:
    """Every file of outputs/ (the lock file aside: it stays, empty, by design).

    A draft's Message-ID and MIME boundaries are new at each run: a .eml stands
    for what it carries, its subject, text and attachment, read back whole.
    """
    return {name: essentials(content) if name.endswith(".eml") else content
            for name, content in tree(folder / "outputs").items() if name != LOCK_NAME}


def essentials(eml: bytes) -> bytes:
    message = parse(eml)
    text, _ = bodies(message)
    (attached,) = attachments(message)
    payload = attached.get_content()
    assert isinstance(payload, bytes)
    return str(message["Subject"]).encode() + text.encode() + payload


def leftovers(folder: Path) -> list[str]:
    """Prepared files and folders, and the journal, anywhere under outputs/."""
    found = []
    for parent, folders, files in os.walk(folder / "outputs"):
        for name in (*folders, *files):
            if is_prepared(Path(name)) or name == JOURNAL_NAME:
                found.append(os.path.join(parent, name))
    return found


def counted(scenario: Scenario, folder: Path) -> list[str]:
    """The kinds of the points the command goes through, in order."""
    points: list[str] = []
    with durable.hooked(lambda kind, path: points.append(kind)):
        scenario.command(folder)
    return points


def killed_at(scenario: Scenario, folder: Path, point: int, failing: int | None = None) -> int:
    """Run the command in a forked process that dies at ``point``; its exit status.

    With ``failing``, the disk first refuses the operation at that point (the
    process goes on, undoing what it did), and the kill comes later.
    """
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 0
        try:
            seen = 0

            def kill(kind: str, path: Path) -> None:
                nonlocal seen
                seen += 1
                if seen == failing:
                    raise OSError(errno.EIO, os.strerror(errno.EIO), str(path))
                if seen == point:
                    os._exit(KILLED)

            with durable.hooked(kill):
                scenario.command(folder)
        except BaseException:
            code = 1
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def failing_at(scenario: Scenario, folder: Path, point: int,
               error: Callable[[Path], BaseException]) -> BaseException | None:
    """Run the command here, ``error`` raised at ``point``; what it raised, if anything."""
    seen = 0

    def fail(kind: str, path: Path) -> None:
        nonlocal seen
        seen += 1
        if seen == point:
            raise error(path)

    try:
        with durable.hooked(fail):
            scenario.command(folder)
    except BaseException as raised:
        return raised
    return None


def check_next_command(folder: Path, before: dict[str, bytes], after: dict[str, bytes],
                       expect: tuple[str, ...] = (), middle: dict[str, bytes] | None = None,
                       ) -> str:
    """The next command repairs what was left and finds outputs/ before or after, whole
    (or, for a command of two changes, in the ``middle`` state between them).

    ``archive list`` is that next command (it repairs like every command);
    the states it may find are each verified once by ``verified``.
    """
    left = leftovers(folder)
    result = run("archive", "list", "--output-dir", folder / "outputs")
    assert result.exit_code == 0, result.output
    if left:
        assert "Reprise après une commande interrompue" in result.output, (left, result.output)
    else:
        assert "Reprise après" not in result.output
    assert leftovers(folder) == []
    now = state(folder)
    middle = before if middle is None else middle
    assert now in (before, middle, after), sorted(set(now) ^ set(before) ^ set(after))
    which = "before" if now == before else "middle" if now == middle else "after"
    if expect:
        assert which in expect
    return which


def verified(folder: Path) -> dict[str, bytes]:
    """The state of ``folder``'s outputs, once ``archive verify`` has found it whole."""
    if (folder / "outputs" / "archive").exists():
        result = run("archive", "verify", "--output-dir", folder / "outputs")
        assert result.exit_code == 0, result.output
        assert "Reprise après" not in result.output
    return state(folder)


@dataclass(frozen=True)
class Reference:
    """The starting folder, the states before, after and (for a command of two changes)
    between them, each verified whole, and the points the command goes through."""

    pristine: Path
    before: dict[str, bytes]
    after: dict[str, bytes]
    points: list[str]
    middle: dict[str, bytes]

    @property
    def failed(self) -> tuple[str, ...]:
        """The states a failed command may leave: before, or its first change made."""
        return ("before", "middle")


def reference(scenario: Scenario, saisies: Path, tmp_path: Path) -> Reference:
    pristine = starting_folder(scenario, saisies, tmp_path / "pristine")
    before = verified(pristine)
    finished = tmp_path / "finished"
    shutil.copytree(pristine, finished)
    points = counted(scenario, finished)
    after = verified(finished)
    assert leftovers(finished) == []
    assert points, "the command changed nothing on disk"
    middle = before
    if scenario.first_change is not None:
        halfway = tmp_path / "halfway"
        shutil.copytree(pristine, halfway)
        scenario.first_change(halfway)
        middle = verified(halfway)
        assert middle != after
        shutil.rmtree(halfway)
    return Reference(pristine, before, after, points, middle)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_killed_at_every_point_the_outputs_are_old_or_new_and_whole(
        scenario: Scenario, saisies: Path, tmp_path: Path) -> None:
    ref = reference(scenario, saisies, tmp_path)
    outcomes = []
    # A kill just after an operation is a kill just before the next one.
    for point in (n for n, kind in enumerate(ref.points, start=1) if durable.DONE not in kind):
        folder = tmp_path / f"kill-{point}"
        shutil.copytree(ref.pristine, folder)
        assert killed_at(scenario, folder, point) == KILLED
        outcomes.append(check_next_command(folder, ref.before, ref.after, middle=ref.middle))
        shutil.rmtree(folder)
    COVERED[f"{scenario.name} (kill)"] = len(outcomes)
    # Past its journal the command is always finished; before it, never visible.
    assert outcomes == sorted(outcomes, key=("before", "middle", "after").index)
    assert "after" in outcomes or ref.before == ref.after


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
@pytest.mark.parametrize("mode", ["disk-full", "ctrl-c"])
def test_a_failure_at_every_point_changes_nothing_or_completes(
        scenario: Scenario, mode: str, saisies: Path, tmp_path: Path) -> None:
    ref = reference(scenario, saisies, tmp_path)

    def error(path: Path) -> BaseException:
        if mode == "ctrl-c":
            return KeyboardInterrupt()
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    # A full disk refuses an operation; Ctrl+C may also come just as one returns.
    chosen = [n for n, kind in enumerate(ref.points, start=1)
              if mode == "ctrl-c" or durable.DONE not in kind]
    for point in chosen:
        folder = tmp_path / f"{mode}-{point}"
        shutil.copytree(ref.pristine, folder)
        raised = failing_at(scenario, folder, point, error)
        if mode == "disk-full" and raised is not None:
            # A failed change changed nothing, and cleaned up after itself.
            assert state(folder) in (ref.before, ref.middle), (point, raised)
            assert leftovers(folder) == []
            check_next_command(folder, ref.before, ref.after, expect=ref.failed,
                               middle=ref.middle)
        else:
            # Ctrl+C may come after the last rename: the change is then made.
            check_next_command(folder, ref.before, ref.after, middle=ref.middle)
        shutil.rmtree(folder)
    COVERED[f"{scenario.name} ({mode})"] = len(chosen)


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if "build" in s.name
                                      or "replace" in s.name],
                         ids=lambda s: s.name)
def test_killed_while_undoing_a_failed_rename(scenario: Scenario, saisies: Path,
                                              tmp_path: Path) -> None:
    """A rename fails (a file held open by another program), and while the command undoes
    what it did, it is killed: at every point of that undoing in turn."""
    ref = reference(scenario, saisies, tmp_path)
    renames = [n for n, kind in enumerate(ref.points, start=1) if kind == durable.RENAME]
    runs = 0
    for failing in renames:
        for point in range(failing + 1, len(ref.points) + 1):
            folder = tmp_path / f"fail-{failing}-kill-{point}"
            shutil.copytree(ref.pristine, folder)
            status = killed_at(scenario, folder, point, failing)
            if status != KILLED:  # the undoing was over before this point
                assert status == 1
                shutil.rmtree(folder)
                break
            check_next_command(folder, ref.before, ref.after, middle=ref.middle)
            runs += 1
            shutil.rmtree(folder)
    COVERED[f"{scenario.name} (rename fails, then kill)"] = runs


def test_a_full_disk_is_refused_before_anything_is_written(
        saisies: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The space a build needs is checked first: the message names the folder."""
    folder = starting_folder(SCENARIOS[2], saisies, tmp_path / "w")
    before = state(folder)

    class Usage:
        total, used, free = 10**9, 10**9 - 4096, 4096

    monkeypatch.setattr(shutil, "disk_usage", lambda path: Usage())
    result = run("build", folder / "juin.xlsx", "--output-dir", folder / "outputs",
                 "--tolerance", "3", "--replace")
    assert result.exit_code == 1
    assert f"Le disque qui contient le dossier {folder / 'outputs'} est presque plein" in (
        result.output)
    assert "Rien n'a été modifié." in result.output
    assert state(folder) == before and leftovers(folder) == []


def test_a_disk_filling_up_during_the_build_is_reported_with_its_folder(
        saisies: Path, tmp_path: Path) -> None:
    folder = starting_folder(SCENARIOS[2], saisies, tmp_path / "w")
    before = state(folder)

    def full(kind: str, path: Path) -> None:
        # The disk fills up while the month's snapshot is written in its staging folder.
        if kind == durable.WRITE and ".en-cours-" in path.parent.name:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    with durable.hooked(full):
        result = run("build", folder / "juin.xlsx", "--output-dir", folder / "outputs",
                     "--tolerance", "3", "--replace")
    assert result.exit_code == 1
    assert "Le disque qui contient le dossier" in result.output
    assert "est plein" in result.output and "Rien n'a été modifié." in result.output
    assert state(folder) == before and leftovers(folder) == []


# --- real kills of the real command ---------------------------------------------------------

def test_real_kills_at_random_moments(saisies: Path, tmp_path: Path) -> None:
    """SIGKILL to ``spes-report build --replace`` at random moments of its run."""
    pristine = starting_folder(SCENARIOS[2], saisies, tmp_path / "pristine")
    before = state(pristine)
    command = [console_script(), "build", "juin.xlsx", "--tolerance", "3", "--replace"]
    timing = tmp_path / "timing"
    shutil.copytree(pristine, timing)
    start = time.monotonic()
    subprocess.run(command, cwd=timing, check=True, capture_output=True)
    duration = time.monotonic() - start
    rng = random.Random(9)
    for attempt in range(8):
        folder = tmp_path / f"sigkill-{attempt}"
        shutil.copytree(pristine, folder)
        process = subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.0) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait()
        # The "after" state has the time of the real run in its names: judge by shape.
        left = leftovers(folder)
        result = run("archive", "verify", "--output-dir", folder / "outputs")
        assert result.exit_code == 0, result.output
        if left:
            assert "Reprise après une commande interrompue" in result.output
        assert leftovers(folder) == []
        now = state(folder)
        if now != before:  # the new state, whole: every part of --replace is there
            assert any("superseded-" in name for name in now)
            assert any(".remplace-" in name for name in now)
        shutil.rmtree(folder)
    COVERED["real SIGKILL of build --replace"] = 8


def test_ctrl_c_of_the_real_command_never_shows_a_traceback(saisies: Path,
                                                            tmp_path: Path) -> None:
    """SIGINT while our code runs: « Commande interrompue. », status 1, never a traceback."""
    folder = tmp_path / "w"
    shutil.copytree(saisies, folder)
    rng = random.Random(3)
    for _ in range(12):
        process = subprocess.Popen([console_script(), "build", "juin.xlsx", "--no-archive"],
                                   cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True)
        time.sleep(rng.uniform(0.1, 0.5))
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
        if "Fatal Python error: init_import_site" in err:
            # The signal came while the interpreter itself loaded its site packages (the
            # editable install's path hook), before any line of the tool could run:
            # Python reports that itself, and nothing was touched.
            continue
        assert "Traceback" not in err
        # 0: done before the signal; -SIGINT: the signal came while Python itself was
        # starting or shutting down (its default handler then, which prints nothing).
        assert process.returncode in (0, 1, -signal.SIGINT), (process.returncode, err)
        if process.returncode == 1:
            assert err.strip().endswith("Commande interrompue."), err
    assert leftovers(folder) == [] or run("archive", "list", "--output-dir",
                                          folder / "outputs").exit_code == 0


def test_ctrl_c_while_the_libraries_load_is_said_in_french(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Whatever is being imported when Ctrl+C comes, the entry point says it in French."""
    from spes_report import entry

    def interrupted() -> None:
        raise KeyboardInterrupt

    import spes_report.cli

    monkeypatch.setattr(spes_report.cli, "main", interrupted)
    monkeypatch.setattr(sys, "argv", ["spes-report", "build"])
    with pytest.raises(SystemExit) as exited:
        entry.main()
    assert exited.value.code == 1
    assert capsys.readouterr().err == "Commande interrompue.\n"
