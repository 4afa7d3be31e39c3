"""What the commands print, worded from the library's records."""

from __future__ import annotations

from datetime import date

from spes_report.cli.messages import correction_text as describe
from spes_report.model import Correction

MAY, JUNE, JULY = date(2020, 5, 11), date(2020, 6, 1), date(2020, 7, 1)


def test_correction_wording() -> None:
    assert describe(Correction(3, JUNE, 0.70, 0.65, JUNE)) == (
        "M3, 01/06/2020 : 70\u00a0% → 65\u00a0% (comité du 1er juin 2020)")
    assert describe(Correction(12, MAY, 0.655, None, JULY)) == (
        "M12, 11/05/2020 : 65,5\u00a0% → vide (comité du 1er juillet 2020)")
    assert describe(Correction(1, MAY, 1.0, 0.6525, JULY)) == (
        "M1, 11/05/2020 : 100\u00a0% → 65,25\u00a0% (comité du 1er juillet 2020)")
