"""The worksheet class used for every sheet: xlsxwriter's, with a shortcut for plain formulas."""

from __future__ import annotations

import re

from xlsxwriter.worksheet import Worksheet

# xlsxwriter prefixes functions newer than Excel 2007 (``_xlfn.XLOOKUP``) by
# trying about a hundred regular expressions on every formula and every
# conditional-format rule: a third of the time spent writing our workbook. A
# formula that calls only the functions below, all of them older, cannot be
# changed by that rewriting, so it is skipped; any other formula takes
# xlsxwriter's own path. tests/test_writer.py checks that the files are the same.
CLASSIC_FUNCTIONS = frozenset({
    "AND", "AVERAGE", "COUNT", "COUNTA", "COUNTIF", "IF", "ISNUMBER", "NOT", "OR", "ROUND",
})
_CALLED = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\(")


class SheetWithPlainFormulas(Worksheet):  # type: ignore[misc]
    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        if all(name.upper() in CLASSIC_FUNCTIONS for name in _CALLED.findall(formula)):
            # The same trimming as xlsxwriter's: array braces and the leading "=".
            formula = formula.removeprefix("{").removeprefix("=").removesuffix("}")
            return formula
        prepared: str = super()._prepare_formula(formula, expand_future_functions)
        return prepared
