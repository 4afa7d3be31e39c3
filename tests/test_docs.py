"""The README stays true: every command and option is documented, and the example runs."""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path

import click
import pytest
from support import ROOT, SAMPLE, command_tree
from support.inputs import make_input, mission_row
from support.workbooks import load

README = (ROOT / "README.md").read_text(encoding="utf-8")
# Every command and group, nested ones included (archive list, archive verify).
COMMANDS = [(path, command) for path, command in command_tree() if path]


def full_name(path: tuple[str, ...]) -> str:
    return " ".join(("spes-report", *path))


def test_the_tree_holds_the_nested_commands() -> None:
    names = {full_name(path) for path, _ in COMMANDS}
    assert {"spes-report build", "spes-report archive", "spes-report archive list",
            "spes-report archive verify"} <= names


@pytest.mark.parametrize("name", [full_name(path) for path, _ in COMMANDS])
def test_every_command_is_documented(name: str) -> None:
    # The whole name, then its end, options or arguments: "spes-report archive" must not
    # pass for "spes-report archive verify", nor "spes-report build" for "... builder".
    assert re.search(rf"`{re.escape(name)}(?:`| \[| --)", README), name


@pytest.mark.parametrize(
    ("name", "option"),
    [
        (full_name(path), opt)
        for path, command in command_tree()
        for param in command.params
        if isinstance(param, click.Option)
        for opt in (*param.opts, *param.secondary_opts)
        if opt not in ("-h", "--help")
    ],
)
def test_every_option_is_documented(name: str, option: str) -> None:
    # The option as a word of its own: --email must not pass for --email-to.
    assert re.search(rf"`[^`]*{re.escape(option)}(?![\w-])[^`]*`", README), f"{name} {option}"


def run_the_example(folder: Path) -> None:
    example = re.search(r"```python\n(.*?)```", README, re.S)
    assert example is not None
    exec(compile(example.group(1), "README.md", "exec"), {})
    assert (folder / "outputs" / "essai.xlsx").stat().st_size > 0


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "inputs").mkdir()
    (tmp_path / "outputs").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_library_example_runs(workdir: Path) -> None:
    shutil.copy(SAMPLE, workdir / "inputs" / "input.xlsx")
    run_the_example(workdir)


@pytest.mark.parametrize(
    ("rows", "day"),
    [([mission_row(1, 0.5, None, 0.6)], datetime(2020, 7, 1)),  # the latest rate's date
     ([mission_row(1)], datetime(2020, 6, 1))],  # no rate at all: the example's own date
    ids=["latest-rate", "nothing"],
)
def test_the_library_example_runs_without_a_committee_date(
        workdir: Path, rows: list[list[object]], day: datetime) -> None:
    make_input(workdir / "inputs" / "input.xlsx", rows, committee_date=None)
    run_the_example(workdir)
    assert load(workdir / "outputs" / "essai.xlsx")["Paramètres"]["B4"].value == day


def test_public_api_is_complete() -> None:
    import spes_report

    for name in spes_report.__all__:
        assert getattr(spes_report, name) is not None
    assert spes_report.resolve_report_date.__module__ == "spes_report.builder"
