"""The README stays true: every command and option is documented, and the example runs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import click
import pytest

from spes_report.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(cli.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_documented(name: str) -> None:
    assert f"spes-report {name}" in README


@pytest.mark.parametrize(
    ("name", "option"),
    [
        (name, opt)
        for name in COMMANDS
        for param in cli.commands[name].params  # type: ignore[attr-defined]
        if isinstance(param, click.Option)
        for opt in param.opts
        if opt not in ("-h", "--help")
    ],
)
def test_every_option_is_documented(name: str, option: str) -> None:
    assert option in README, f"{name} {option}"


def test_the_library_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    example = re.search(r"```python\n(.*?)```", README, re.S)
    assert example is not None
    (tmp_path / "inputs").mkdir()
    (tmp_path / "outputs").mkdir()
    shutil.copy(ROOT / "inputs" / "input.xlsx", tmp_path / "inputs" / "input.xlsx")
    monkeypatch.chdir(tmp_path)
    exec(compile(example.group(1), "README.md", "exec"), {})
    assert (tmp_path / "outputs" / "essai.xlsx").stat().st_size > 0


def test_public_api_is_complete() -> None:
    import spes_report

    for name in spes_report.__all__:
        assert getattr(spes_report, name) is not None
