"""What the commands print, worded from the library's records."""

from __future__ import annotations

import errno
from datetime import date
from pathlib import Path

import pytest

from spes_report.archive import MonthPdf, PdfNotFiled, Repair
from spes_report.cli.messages import correction_text as describe
from spes_report.cli.messages import pdf_failure_lines, pdf_lines, repair_lines
from spes_report.journal import JournalError
from spes_report.model import Correction
from spes_report.pdf import PdfError, Trouble
from spes_report.pipeline import NoSpaceError, Printed

MAY, JUNE, JULY = date(2020, 5, 11), date(2020, 6, 1), date(2020, 7, 1)


def test_correction_wording() -> None:
    assert describe(Correction(3, JUNE, 0.70, 0.65, JUNE)) == (
        "M3, 01/06/2020 : 70\u00a0% → 65\u00a0% (comité du 1er juin 2020)")
    assert describe(Correction(12, MAY, 0.655, None, JULY)) == (
        "M12, 11/05/2020 : 65,5\u00a0% → vide (comité du 1er juillet 2020)")
    assert describe(Correction(1, MAY, 1.0, 0.6525, JULY)) == (
        "M1, 11/05/2020 : 100\u00a0% → 65,25\u00a0% (comité du 1er juillet 2020)")


# --- the PDF -----------------------------------------------------------------------------------

WORKBOOK = Path("outputs/SPES_COPIL_2020-06-01.xlsx")
SOFFICE = Path("/opt/libreoffice/program/soffice")


@pytest.mark.parametrize(("error", "what", "todo"), [
    (PdfError(Trouble.ABSENT, searched=[r"C:\Program Files\LibreOffice\program"]),
     "LibreOffice est introuvable sur ce poste (ni soffice ni libreoffice dans les dossiers "
     r"du PATH, ni dans C:\Program Files\LibreOffice\program)", "Installez LibreOffice"),
    (PdfError(Trouble.NOT_THERE, SOFFICE),
     "LibreOffice est introuvable à l'emplacement indiqué dans spes-report.toml (section "
     f"[output], clé soffice : {SOFFICE})", "Corrigez ce chemin"),
    (PdfError(Trouble.CANNOT_RUN, SOFFICE, detail="Permission denied",
              error_number=errno.EACCES),
     f"le système refuse de lancer {SOFFICE} (droit d'exécution refusé)",
     "Vérifiez que c'est bien"),
    (PdfError(Trouble.CANNOT_RUN, SOFFICE, detail="Exec format error",
              error_number=errno.ENOEXEC),
     f"le système refuse de lancer {SOFFICE} (ce fichier n'est pas un programme)",
     "Vérifiez que c'est bien"),
    (PdfError(Trouble.TOO_OLD, SOFFICE, version="LibreOffice 6.4.7.2"),
     f"LibreOffice est trop ancien sur ce poste (LibreOffice 6.4.7.2, {SOFFICE}) : il faut "
     "la version 7.0 ou une plus récente", "Mettez LibreOffice à jour"),
    (PdfError(Trouble.TIMED_OUT, SOFFICE, seconds=120),
     f"LibreOffice ({SOFFICE}) n'a pas terminé en 120 secondes : il a été arrêté",
     "Relancez la commande (un premier lancement"),
    (PdfError(Trouble.NO_PDF, SOFFICE, version="LibreOffice 7.4.7.2", detail="Error: source"),
     f"LibreOffice ({SOFFICE}, LibreOffice 7.4.7.2) s'est terminé sans produire de PDF "
     "lisible ; il a affiché : « Error: source »", "Vérifiez que LibreOffice ouvre"),
    (OSError(errno.ENOSPC, "No space left", "outputs/x"),
     "le disque qui contient le dossier outputs est plein", "Libérez de la place"),
    (JournalError(Path("outputs/.spes-report-journal.json")), "le journal de la construction "
     "(outputs/.spes-report-journal.json) n'a pas pu être retiré ; la prochaine commande le "
     "retirera", "Libérez de la place ou corrigez la cause"),
    (NoSpaceError(Path("outputs"), 3 * 1024**2, 1024), "le disque qui contient le dossier "
     "outputs est presque plein (il faut 3,0 Mio, il reste 0,0 Mio)", "Libérez de la place"),
])
def test_pdf_refusals_say_what_happened_and_what_to_do(error: Exception, what: str,
                                                       todo: str) -> None:
    lines = pdf_failure_lines(error, WORKBOOK, archived=True, asked_by="option",
                              message_waits=False)
    assert lines[0] == f"Le PDF n'a pas été produit : {what}."
    assert lines[1].startswith(todo) and lines[1].endswith(", ou relancez la commande sans "
                                                            "--pdf.")
    assert lines[2] == (f"Le classeur {WORKBOOK} est bien écrit et archivé ; relancée, la même "
                        "commande ne fera plus que le PDF.")


def test_a_pdf_not_filed_is_a_warning_naming_the_month() -> None:
    folder = Path("outputs/archive/2020-06")
    month = MonthPdf(folder, not_filed=PdfNotFiled.EDITED)
    printed = Printed(Path("outputs/SPES_COPIL_2020-06-01.pdf"), 12, "LibreOffice 7.4.7.2",
                      2.46, month, filed=False)
    assert pdf_lines(printed) == [
        ("PDF écrit : outputs/SPES_COPIL_2020-06-01.pdf (12 pages, imprimé par LibreOffice "
         "7.4.7.2 en 2,5 s)", False),
        ("Attention : le PDF n'est pas archivé avec le comité (le mois 2020-06 a été modifié à "
         "la main depuis son archivage) : lancez « spes-report archive verify 2020-06 ».", True)]


def test_a_pdf_put_in_place_after_an_interruption_is_said() -> None:
    repair = Repair(finished={"pdf": "SPES_COPIL_2020-06-01.pdf", "pdf_month": "2020-06"})
    assert repair_lines(repair) == [
        "Reprise après une commande interrompue : le PDF SPES_COPIL_2020-06-01.pdf (et sa "
        "copie dans le comité archivé 2020-06) mis en place."]
