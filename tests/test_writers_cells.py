"""xlsxwriter's error codes turned into a French WorkbookWriteError naming the cell."""

from __future__ import annotations

import pytest

from spes_report.writers.cells import WorkbookWriteError, checked


def test_checked_raises_on_xlsxwriter_error_codes() -> None:
    checked(0, "Synthèse", 0, 0)
    with pytest.raises(WorkbookWriteError, match=r"Synthèse!B3.*trop long"):
        checked(-2, "Synthèse", 2, 1)
    with pytest.raises(WorkbookWriteError, match="hors des limites"):
        checked(-1, "Synthèse", 0, 0)
