"""The build job's order of work: nothing is written, archive included, when a step fails."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from support import tree
from support.inputs import make_input, mission_row

from spes_report import InputError, pipeline
from spes_report.locking import LOCK_NAME


def test_check_refuses_what_build_would_refuse(tmp_path: Path) -> None:
    undated = make_input(tmp_path / "in.xlsx", [mission_row(1)], committee_date=None)
    with pytest.raises(InputError) as caught:
        pipeline.check(undated)
    assert [(p.code, p.place) for p in caught.value.problems] == [("no-report-date", "Saisie")]
    assert pipeline.check(undated, report_date=date(2020, 6, 1)).sheet == "Saisie"


def test_missing_date_is_placed_beside_its_label(tmp_path: Path) -> None:
    labelled = make_input(tmp_path / "in.xlsx", [mission_row(1)], committee_date="")
    with pytest.raises(InputError) as caught:
        pipeline.build(labelled, tmp_path / "out")
    assert [(p.code, p.place) for p in caught.value.problems] == [("no-report-date", "Saisie!B3")]
    assert not (tmp_path / "out").exists()


def test_workbook_path_taken_by_a_folder_writes_nothing(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "SPES_COPIL_2020-06-01.xlsx").mkdir(parents=True)
    with pytest.raises(pipeline.OutputIsFolderError):
        pipeline.build(sample, out)
    assert not (out / "archive").exists()
    assert [p.name for p in out.iterdir() if p.name != LOCK_NAME] == [
        "SPES_COPIL_2020-06-01.xlsx"]


def test_disk_full_while_writing_leaves_archive_and_outputs_as_they_were(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    source = sample
    pipeline.build(source, out, tolerance_points=4)
    before = tree(out)

    real_fdopen = os.fdopen

    def full_disk(fd: int, *args: object, **kwargs: object) -> object:
        handle = real_fdopen(fd, *args, **kwargs)  # type: ignore[call-overload]

        def refuse(_: bytes) -> int:
            raise OSError(28, "No space left on device")

        handle.write = refuse
        return handle

    monkeypatch.setattr(os, "fdopen", full_disk)
    with pytest.raises(OSError):
        pipeline.build(source, out, replace=True)
    monkeypatch.undo()
    assert tree(out) == before
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
