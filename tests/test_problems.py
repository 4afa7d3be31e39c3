"""Values quoted in problem messages look as a French spreadsheet shows them."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest
from support.inputs import make_input, mission_row

from spes_report import InputError, load_definitions, load_input
from spes_report.problems import shown


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (True, "VRAI"),
        (False, "FAUX"),
        (datetime(2020, 1, 1), "01/01/2020"),
        (datetime(2020, 1, 1, 10, 30), "01/01/2020 10:30"),
        (datetime(2020, 1, 1, 10, 30, 15), "01/01/2020 10:30:15"),
        (datetime(2020, 1, 1, 0, 0, 15), "01/01/2020 00:00:15"),
        (date(2020, 6, 1), "01/06/2020"),
        (time(10, 30), "10:30"),
        (time(8, 5, 9), "08:05:09"),
        (0.75, "0,75"),
        (0.1 + 0.2, "0,3"),  # 15 significant digits, as Excel shows
        (1.5, "1,5"),
        (150.0, "150"),
        (150, "150"),
        (-3, "-3"),
        ("beaucoup", "beaucoup"),
        ("  deux\nlignes  ", "deux lignes"),
        ("x" * 100, "x" * 59 + "…"),
    ],
)
def test_shown(value: object, text: str) -> None:
    assert shown(value) == text


@pytest.mark.parametrize(
    ("cell", "found"),
    [(True, "VRAI"), (datetime(2020, 1, 1, 10, 30), "01/01/2020 10:30"), (150.5, "150,5")],
)
def test_a_wrong_cell_is_quoted_as_excel_shows_it(tmp_path: Path, cell: object,
                                                  found: str) -> None:
    path = make_input(tmp_path / "in.xlsx", [mission_row(1, cell)])
    with pytest.raises(InputError) as caught:
        load_input(path, load_definitions())
    (problem,) = caught.value.problems
    assert problem.place == "Saisie!C6"
    assert problem.value == found
    assert f"(valeur trouvée : {found} ;" in str(problem)
