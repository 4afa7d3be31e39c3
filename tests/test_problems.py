"""Values quoted in problem messages look as a French spreadsheet shows them; a system error
is told in French."""

from __future__ import annotations

import errno
import os
from datetime import date, datetime, time
from pathlib import Path

import pytest
from support.inputs import make_input, mission_row

from spes_report import InputError, load_input, load_plan
from spes_report.problems import os_error_text, shown


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
        load_input(path, load_plan())
    (problem,) = caught.value.problems
    assert problem.place == "Saisie!C6"
    assert problem.value == found
    assert f"(valeur trouvée : {found} ;" in str(problem)


# --- system errors told in French ------------------------------------------------------

def test_other_system_errors_keep_the_system_text_in_parentheses() -> None:
    error = OSError(errno.EIO, os.strerror(errno.EIO), "a.xlsx")
    assert os_error_text(error) == ("Erreur d'accès au fichier a.xlsx : le système a refusé "
                                    f"l'opération ({os.strerror(errno.EIO)})")
    assert os_error_text(OSError("bizarre")) == ("Erreur d'accès au fichier : le système a "
                                                 "refusé l'opération (bizarre)")
    # A renaming names both files.
    moved = OSError(errno.EXDEV, os.strerror(errno.EXDEV), "a.tmp", None, "b.xlsx")
    assert os_error_text(moved).startswith("Erreur d'accès au fichier a.tmp → b.xlsx : ")


def test_a_file_open_in_excel_on_windows_is_named_as_such() -> None:
    error = PermissionError(errno.EACCES, "Permission denied", "outputs/a.xlsx")
    error.winerror = 32  # what Windows adds: ERROR_SHARING_VIOLATION
    assert os_error_text(error) == (
        "Erreur d'accès au fichier outputs/a.xlsx : ce fichier est ouvert dans un autre "
        "programme (Excel ?) : fermez-le, puis relancez la commande")
