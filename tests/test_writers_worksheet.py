"""The formula shortcut of worksheet.py against xlsxwriter's own Worksheet: the same bytes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import xlsxwriter.worksheet
from support.workbooks import MEASUREMENTS, sample_report

from spes_report import InputData, Measurement, build_report
from spes_report.model import PastCommittee
from spes_report.writers import workbook as workbook_module
from spes_report.writers import worksheet as worksheet_module


def report_with_history() -> tuple[Any, Any]:
    """The sample with a past committee and a correction: every sheet kind and rule."""
    report, plan = sample_report()
    may = date(2020, 5, 11)
    past = PastCommittee(may, tuple((n, 0.6 + n / 100) for n in range(1, 9)), 0.645,
                         (Measurement(3, may, 0.45), Measurement(4, may, 0.7)))
    data = InputData(committee_date=date(2020, 6, 1), measurements=MEASUREMENTS)
    report = build_report(plan, data, date(2020, 6, 1), source=report.source,
                          tool_version="0.1.0", history=(past,))
    assert report.corrections and report.history
    return report, plan


@pytest.mark.parametrize("make_report", [sample_report, report_with_history])
def test_both_worksheet_classes_write_the_same_bytes(make_report: Any,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The formula shortcut and xlsxwriter's own Worksheet (the fallback) give one file."""
    if not worksheet_module.shortcut_fits():
        pytest.skip("the installed XlsxWriter no longer fits the formula shortcut: "
                    "every build already uses its standard Worksheet")
    report, plan = make_report()
    used: list[type] = []
    choose = worksheet_module.worksheet_class

    def spy() -> type:
        used.append(choose())
        return used[-1]

    monkeypatch.setattr(workbook_module, "worksheet_class", spy)
    fast = workbook_module.workbook_bytes(report, plan)
    monkeypatch.setattr(worksheet_module, "shortcut_fits", lambda: False)
    standard = workbook_module.workbook_bytes(report, plan)
    assert used == [worksheet_module.SheetWithPlainFormulas, xlsxwriter.worksheet.Worksheet]
    assert fast == standard


def test_shortcut_needs_the_method_it_replaces() -> None:
    class Renamed:
        def _prepare_formula_text(self, formula: str) -> str:
            return formula

    class OtherParameters:
        def _prepare_formula(self, formula: str, future: bool = False, extra: int = 0) -> str:
            return formula

    class OtherDefault:
        def _prepare_formula(self, formula: str, expand_future_functions: bool = True) -> str:
            return formula

    assert worksheet_module.shortcut_fits(xlsxwriter.worksheet.Worksheet)
    for base in (Renamed, OtherParameters, OtherDefault):
        assert not worksheet_module.shortcut_fits(base), base.__name__


def test_xlsxwriter_leaves_classic_functions_alone() -> None:
    """The shortcut's premise, checked against the installed xlsxwriter: its
    rewriting never changes a formula calling only the classic functions."""
    sheet = xlsxwriter.worksheet.Worksheet()
    sheet.use_future_functions = True
    for name in sorted(worksheet_module.CLASSIC_FUNCTIONS):
        formula = f"={name}(A1,{name.lower()}(B2))"
        assert sheet._prepare_formula(formula, True) == formula[1:]
        assert sheet._prepare_formula("{" + formula + "}") == formula[1:]
