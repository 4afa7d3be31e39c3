"""The worksheet class used for every sheet: xlsxwriter's, with a shortcut for plain
formulas while xlsxwriter still has the private method the shortcut replaces."""

from __future__ import annotations

import inspect
import re

from xlsxwriter.worksheet import Worksheet

# xlsxwriter prefixes functions newer than Excel 2007 (``_xlfn.XLOOKUP``) by
# trying about a hundred regular expressions on every formula and every
# conditional-format rule: about 9 % of `spes-report build` on the sample
# (45 ms of 0.5 s) and a third of a 1,000-mission build. A formula that calls
# only the functions below, all of them older, cannot be changed by that
# rewriting, so it is skipped; any other formula takes xlsxwriter's own path.
#
# XlsxWriter has no public switch for this, so the shortcut overrides its
# private Worksheet._prepare_formula. It is used only while that method is
# there with the parameters below (see worksheet_class); otherwise every sheet
# is xlsxwriter's own Worksheet, which writes the same bytes, only slower.
# tests/test_writers_worksheet.py checks both classes give the same file.
CLASSIC_FUNCTIONS = frozenset({
    "AND", "AVERAGE", "COUNT", "COUNTA", "COUNTIF", "IF", "ISNUMBER", "NOT", "OR", "ROUND",
})
_CALLED = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\(")

# The overridden method's parameters as (name, kind, default), as in XlsxWriter 3.3.
_POSITIONAL = inspect.Parameter.POSITIONAL_OR_KEYWORD
EXPECTED_PARAMETERS = (
    ("self", _POSITIONAL, inspect.Parameter.empty),
    ("formula", _POSITIONAL, inspect.Parameter.empty),
    ("expand_future_functions", _POSITIONAL, False),
)


class SheetWithPlainFormulas(Worksheet):  # type: ignore[misc]
    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        if all(name.upper() in CLASSIC_FUNCTIONS for name in _CALLED.findall(formula)):
            # The same trimming as xlsxwriter's: array braces and the leading "=".
            formula = formula.removeprefix("{").removeprefix("=").removesuffix("}")
            return formula
        prepared: str = super()._prepare_formula(formula, expand_future_functions)
        return prepared


def shortcut_fits(base: type = Worksheet) -> bool:
    """Whether ``base`` still has the ``_prepare_formula`` SheetWithPlainFormulas replaces."""
    method = getattr(base, "_prepare_formula", None)
    if not callable(method):
        return False
    try:
        parameters = inspect.signature(method).parameters.values()
    except (TypeError, ValueError):
        return False
    return tuple((p.name, p.kind, p.default) for p in parameters) == EXPECTED_PARAMETERS


def worksheet_class() -> type:
    """The class for every sheet: the shortcut if it fits the installed
    xlsxwriter, else xlsxwriter's own Worksheet."""
    return SheetWithPlainFormulas if shortcut_fits() else Worksheet
