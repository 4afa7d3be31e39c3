"""locking.py: one command at a time per outputs folder, re-entrant within a thread."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from spes_report import locking


def test_re_entrant_in_a_thread_and_gone_once_released(tmp_path: Path) -> None:
    with locking.outputs_lock(tmp_path), locking.outputs_lock(tmp_path):
        assert locking.lock_path(tmp_path).exists()
    assert not locking.lock_path(tmp_path).exists()
    with locking.outputs_lock(tmp_path):  # and taken again afterwards
        pass


def test_another_thread_waits_then_gives_up(tmp_path: Path) -> None:
    refused: list[BaseException] = []

    def other() -> None:
        try:
            with locking.outputs_lock(tmp_path, wait_seconds=0.2):
                pass
        except locking.OutputBusyError as error:
            refused.append(error)

    with locking.outputs_lock(tmp_path):
        thread = threading.Thread(target=other)
        thread.start()
        thread.join(timeout=30)
    (error,) = refused
    assert isinstance(error, locking.OutputBusyError)
    assert (error.folder, error.lock, error.seconds) == (
        tmp_path, locking.lock_path(tmp_path), 0.2)


def test_an_error_inside_releases_the_lock(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), locking.outputs_lock(tmp_path):
        raise RuntimeError("boom")
    with locking.outputs_lock(tmp_path, wait_seconds=0):
        pass
