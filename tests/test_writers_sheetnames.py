"""Sheet names from mission titles: Excel's rules (31 UTF-16 units, forbidden characters,
unique ignoring case, reserved names), for any text."""

from __future__ import annotations

import io

import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from spes_report.writers.sheetnames import sheet_name, sheet_names, utf16_length


def test_sheet_name_is_truncated_to_31() -> None:
    name = sheet_name("M1 Accompagner les transformations des services", [])
    assert name == "M1 Accompagner les transformati"
    assert len(name) == 31


def test_sheet_name_counts_utf16_units() -> None:
    name = sheet_name("M1 " + "😀" * 20, [])
    assert utf16_length(name) <= 31


def test_sheet_name_drops_forbidden_characters_and_edge_apostrophes() -> None:
    assert sheet_name("'M2 a[b]c:d*e?f/g\\h'", []) == "M2 a b c d e f g h"
    assert sheet_name("'''", []) == "Feuille"
    # Truncation must not leave an apostrophe at the end.
    assert not sheet_name("M3 " + "x" * 27 + "'y", []).endswith("'")


def test_sheet_names_are_unique_ignoring_case() -> None:
    names = sheet_names(["Bilan", "BILAN", "bilan", "Synthèse"], taken=["Synthèse"])
    assert names == ["Bilan", "BILAN (2)", "bilan (3)", "Synthèse (2)"]


def test_duplicate_long_names_keep_the_suffix_within_31() -> None:
    long = "M1 " + "x" * 40
    first, second = sheet_names([long, long.upper()])
    assert len(first) == 31 and len(second) == 31
    assert second.endswith(" (2)")


def test_reserved_history_name_is_avoided() -> None:
    assert sheet_name("History", []) == "History (2)"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=60), max_size=12))
def test_sheet_names_from_any_text_are_accepted_by_excel_rules(candidates: list[str]) -> None:
    """Whatever titles the plan hold, xlsxwriter (which applies Excel's rules:
    31 characters, no []:*?/\\, no edge apostrophe, unique ignoring case) takes them."""
    names = sheet_names(candidates, taken=("Synthèse", "Paramètres"))
    workbook = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    for name in ["Synthèse", "Paramètres", *names]:
        workbook.add_worksheet(name)  # raises on an invalid or duplicate name
    assert len({name.casefold() for name in names}) == len(names)
