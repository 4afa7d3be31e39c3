"""The archive's folders and names: a month typed in any form, a month's folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import run
from support.archive import JUNE

from spes_report.archive import parse_month
from spes_report.archive.layout import month_folder


@pytest.mark.parametrize(("text", "month"), [
    ("2020-06", "2020-06"), ("2020-6", "2020-06"), ("06/2020", "2020-06"),
    ("01/06/2020", "2020-06"), ("1er juin 2020", "2020-06"), ("2020-13", None),
    ("juin", None),
])
def test_parse_month(text: str, month: str | None) -> None:
    assert parse_month(text) == month


def test_month_folder_and_damaged_history(tmp_path: Path, inputs: dict[str, Path]) -> None:
    root = tmp_path / "outputs" / "archive"
    assert month_folder(root, JUNE) == root / "2020-06"
    broken = root / "2020-05"
    broken.mkdir(parents=True)
    (broken / "manifest.json").write_text("[]", encoding="utf-8")
    result = run("build", inputs["june"], "--output-dir", tmp_path / "outputs")
    assert result.exit_code == 0
    assert "Attention : le comité archivé dans" in result.output
    assert "est ignoré dans l'historique" in result.output
