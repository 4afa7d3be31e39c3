"""xlsxwriter's error codes turned into a WorkbookWriteError naming the cell (and its code)."""

from __future__ import annotations

import pytest

from spes_report.cli.messages import workbook_write_text
from spes_report.writers.cells import WorkbookWriteError, checked


def test_checked_raises_on_xlsxwriter_error_codes() -> None:
    checked(0, "Synthèse", 0, 0)
    checked(None, "Synthèse", 0, 0)
    with pytest.raises(WorkbookWriteError) as caught:
        checked(-2, "Synthèse", 2, 1)
    assert (caught.value.place, caught.value.code) == ("Synthèse!B3", -2)
    with pytest.raises(WorkbookWriteError) as caught:
        checked(-1, "Synthèse", 0, 0)
    assert (caught.value.place, caught.value.code) == ("Synthèse!A1", -1)


def test_the_refusal_is_said_in_french() -> None:
    assert workbook_write_text("Synthèse!B3", -2) == (
        "Le classeur n'a pas pu être écrit : écriture impossible en Synthèse!B3 : texte trop "
        "long (plus de 32\u202f767 caractères). Aucun fichier existant n'a été modifié.")
    assert "cellule hors des limites d'une feuille Excel" in workbook_write_text("A!A1", -1)
    assert "erreur -9" in workbook_write_text("A!A1", -9)
