"""Helpers shared by the test modules: imported as ``support``, never from another test file.

Fixtures live in tests/conftest.py, which pytest loads by itself; plain helpers
(functions, constants, classes) live here, each defined once:

- this module: where the repository is, the committed sample input, running the
  command line (in-process with ``run``, or its real entry point with ``run_main``),
  the installed console script, the tree of commands, the files under a folder;
- ``support.inputs``: small input workbooks made with openpyxl;
- ``support.plan_sheets``: plan.xlsx as plan init writes it, edited with openpyxl;
- ``support.workbooks``: a sample report, and the written workbook read back
  (openpyxl, raw XML);
- ``support.mail``: the [email] section, a staff working folder, a .eml taken apart;
- ``support.archive``: inputs typed month after month, manifests edited;
- ``support.hostile``: the corpus of hostile inputs (also timed by benchmarks/hostile.py);
- ``support.locks``: another process holding one of our locks.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used, so that benchmarks/hostile.py stays light
    import click
    import pytest
    from click.testing import Result

ROOT = Path(__file__).resolve().parent.parent.parent
# spes_report.locking.LOCK_NAME, written out so that this module imports nothing heavy.
LOCK_FILE = ".spes-report.lock"
SAMPLE = ROOT / "inputs" / "input.xlsx"
FIXTURES = ROOT / "tests" / "fixtures"


def run(*args: str | Path) -> Result:
    """``spes-report *args`` in this process; an unexpected exception fails the test."""
    from click.testing import CliRunner

    from spes_report.cli import cli

    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def run_main(monkeypatch: pytest.MonkeyPatch, *args: str | Path) -> int:
    """The real entry point (its error handling included) with these arguments: the exit status."""
    import pytest

    from spes_report.cli import main

    monkeypatch.setattr(sys, "argv", ["spes-report", *map(str, args)])
    with pytest.raises(SystemExit) as exited:
        main()
    return int(exited.value.code or 0)


def console_script() -> str:
    """The installed ``spes-report`` command, beside this Python if it is there."""
    script = Path(sys.executable).with_name("spes-report")
    return str(script) if script.exists() else "spes-report"


def command_tree(command: click.Command | None = None,
                 path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every command and group under ``command`` (``spes-report`` itself by default, first),
    with its path of names."""
    import click

    from spes_report.cli import cli

    command = cli if command is None else command
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from command_tree(sub, (*path, name))


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) with its bytes; the outputs' lock
    file aside (it stays, empty, once a command has run there: locking.py)."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != LOCK_FILE}
