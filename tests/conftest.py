"""Fixtures shared by several test modules; pytest finds them by name (never import this file).

Plain helpers are in the ``support`` package; a fixture that only one module
uses stays in that module.
"""

from __future__ import annotations

import shutil
import sys
from datetime import date
from pathlib import Path

import pytest
from support import SAMPLE, run
from support.archive import JULY, JUNE, MAY, make_month, rates_until
from support.mail import workspace


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the committed sample input (committee of 1 June 2020): tmp_path/input.xlsx."""
    return Path(shutil.copy(SAMPLE, tmp_path / "input.xlsx"))


@pytest.fixture
def staff_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The working directory, as staff have it: inputs/input.xlsx and spes-report.toml
    with an [email] section. The test runs in it."""
    monkeypatch.chdir(workspace(tmp_path / "service"))
    return tmp_path / "service"


# --- an archive built month after month ------------------------------------------------

@pytest.fixture
def out(tmp_path: Path) -> Path:
    """The output folder given to the builds (not made in advance)."""
    return tmp_path / "outputs"


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    """May's, June's and July's inputs; July's corrects M3's and empties M5's 1 June rate."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    july: dict[tuple[int, date], float] = rates_until(JULY)
    july[3, JUNE] = 0.50  # shown as 55 % on 1 June
    del july[5, JUNE]  # shown as 70 % on 1 June, now emptied
    return {
        "may": make_month(folder, MAY, "saisie_mai.xlsx"),
        "june": make_month(folder, JUNE, "saisie_juin.xlsx"),
        "july": make_month(folder, JULY, "saisie_juillet.xlsx", july),
    }


@pytest.fixture
def three_months(inputs: dict[str, Path], out: Path) -> Path:
    """The archive after building May, June and July in turn."""
    for key in ("may", "june", "july"):
        result = run("build", inputs[key], "--output-dir", out)
        assert result.exit_code == 0, result.output
    return out / "archive"


@pytest.fixture
def june_only(inputs: dict[str, Path], out: Path) -> Path:
    """June's snapshot folder, June alone having been built."""
    assert run("build", inputs["june"], "--output-dir", out).exit_code == 0
    return out / "archive" / "2020-06"


# --- the crash harness's count -------------------------------------------------------------

def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How many interruption points tests/test_scenario_crash.py covered (README quotes it)."""
    module = sys.modules.get("test_scenario_crash")
    covered: dict[str, int] = getattr(module, "COVERED", {})
    if not covered:
        return
    terminalreporter.section("crash harness")
    for name, count in covered.items():
        terminalreporter.write_line(f"{count:4d}  {name}")
    kills = sum(count for name, count in covered.items() if name.endswith("(kill)"))
    terminalreporter.write_line(
        f"{sum(covered.values())} interruptions in all, of which {kills} kills at each "
        "write, sync, rename and removal of the commands")
