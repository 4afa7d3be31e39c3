"""The console script's own guards: a Ctrl+C Python cannot raise is not shown as a traceback."""

from __future__ import annotations

import sys
from types import SimpleNamespace

import pytest

from spes_report import entry


def unraisable(error: BaseException) -> SimpleNamespace:
    """What Python hands sys.unraisablehook (the fields it reads)."""
    return SimpleNamespace(exc_type=type(error), exc_value=error, exc_traceback=None,
                           err_msg="Exception ignored in", object=None)


def test_a_ctrl_c_inside_a_callback_is_not_printed(capsys: pytest.CaptureFixture[str]) -> None:
    entry._quiet_interrupt(unraisable(KeyboardInterrupt()))  # type: ignore[arg-type]
    assert capsys.readouterr().err == ""


def test_other_unraisable_errors_are_still_reported(
        monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []
    monkeypatch.setattr(sys, "__unraisablehook__", seen.append)
    other = unraisable(ValueError("boom"))
    entry._quiet_interrupt(other)  # type: ignore[arg-type]
    assert seen == [other]
