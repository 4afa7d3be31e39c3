"""`build --pdf` from end to end: the PDF beside the workbook and in the month's archive, read
back page by page; the refusals, with the workbook kept; verification; the email.

The printed PDF comes from the real LibreOffice (those tests are skipped, with their
reason, where it is absent). The refusals and the plumbing run with fake ``soffice``
programs put on PATH (support.libreoffice), which take no time.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import SAMPLE, run, tree
from support.libreoffice import (
    ABSENT_REASON,
    HANG,
    HAS_POPPLER,
    NOTHING,
    POPPLER_REASON,
    REAL_SOFFICE,
    SMALL_PDF,
    fake_soffice,
    pdf_info,
    pdf_pages,
    runs,
    small_pdf,
)
from support.mail import EMAIL_SECTION, XLSX, attachments, bodies, parse, workspace, write_config

from spes_report.archive.manifest import read_manifest, sha256_file
from spes_report.files import is_prepared

WORKBOOK, PDF = "SPES_COPIL_2020-06-01.xlsx", "SPES_COPIL_2020-06-01.pdf"
TITLE = "SPES — Comité de pilotage du 1er juin 2020"


@dataclass(frozen=True)
class Printed:
    """The sample built with --pdf by the real LibreOffice, once for the module."""

    folder: Path  # the working folder: input.xlsx, outputs/
    output: str

    @property
    def outputs(self) -> Path:
        return self.folder / "outputs"

    def copy(self, target: Path) -> Path:
        """A copy of the working folder to change: ``target``."""
        shutil.copytree(self.folder, target)
        return target


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Printed:
    if REAL_SOFFICE is None or not HAS_POPPLER:
        pytest.skip(ABSENT_REASON if REAL_SOFFICE is None else POPPLER_REASON)
    folder = tmp_path_factory.mktemp("imprime")
    shutil.copy(SAMPLE, folder / "input.xlsx")
    result = run("build", folder / "input.xlsx", "--output-dir", folder / "outputs", "--pdf")
    assert result.exit_code == 0, result.output
    return Printed(folder, result.output)


@pytest.fixture
def fake_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder as the only PATH (no LibreOffice); put a fake ``soffice`` in it."""
    folder = tmp_path / "programmes"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    return folder


@pytest.fixture
def staff(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The working folder as staff have it, without spes-report.toml; the test runs in it."""
    folder = workspace(tmp_path / "service", config=None)
    monkeypatch.chdir(folder)
    return folder


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if is_prepared(p) or p.name.startswith(".spes-report-j")]


def one_line(text: str) -> str:
    return " ".join(text.split())


# --- the PDF the real LibreOffice prints -----------------------------------------------------


@pytest.mark.libreoffice
def test_beside_the_workbook_and_in_the_archive(printed: Printed) -> None:
    pdf = printed.outputs / PDF
    archived = printed.outputs / "archive" / "2020-06" / PDF
    assert pdf.read_bytes() == archived.read_bytes()
    assert pdf.read_bytes().startswith(b"%PDF-")
    entry = read_manifest(archived.parent)["pdf"]
    assert entry["file"] == PDF and entry["sha256"] == sha256_file(archived)
    assert entry["workbook_sha256"] == sha256_file(printed.outputs / WORKBOOK)
    assert entry["pages"] == 12 and entry["made_with"].startswith("LibreOffice ")
    assert f"PDF écrit : {pdf} (12 pages, imprimé par LibreOffice " in printed.output
    assert f"PDF archivé avec le comité : {archived}" in printed.output
    assert leftovers(printed.folder) == []


@pytest.mark.libreoffice
def test_its_pages_in_the_committee_order_each_with_the_footer(printed: Printed) -> None:
    pages = pdf_pages(printed.outputs / PDF)
    assert len(pages) == 12
    assert "Missions suivies" in pages[0] and "Taux moyen de réalisation" in pages[0]
    # The chart has its page, without a table header over nothing.
    assert "Cible et réalisé par mission" in pages[1]
    assert "Échéance de" not in pages[1] and "Commentaire" not in pages[1]
    for number, page in enumerate(pages[2:10], start=1):
        assert re.search(rf"^\s*Mission {number} — ", page, re.M), number
        assert [n for n in range(1, 9) if f"Mission {n} —" in page] == [number]
    assert "Historique des comités" in pages[10]
    assert "Paramètres et règles de calcul" in pages[11]
    for number, page in enumerate(pages, start=1):
        footer = one_line(page.strip().splitlines()[-1])
        assert footer == f"{TITLE} Situation au 1er juin 2020 Page {number} / 12", number


@pytest.mark.libreoffice
def test_the_synthese_figures_are_printed_as_french_excel_shows_them(
        printed: Printed) -> None:
    table = one_line(pdf_pages(printed.outputs / PDF)[0])
    summary = read_manifest(printed.outputs / "archive" / "2020-06")["summary"]

    def percent(rate: float) -> str:
        return f"{rate * 100:.1f} %".replace(".", ",")

    assert f"Taux moyen de réalisation {percent(summary['average_actual'])}" in table
    for mission in summary["missions"]:
        row = re.search(rf"M{mission['number']} .*?(Conforme|Vigilance|Alerte)", table)
        assert row is not None, mission["number"]
        assert percent(mission["target"]) in row.group(0)
        assert percent(mission["actual"]) in row.group(0)
        assert row.group(1) == mission["status"]


@pytest.mark.libreoffice
def test_no_table_is_cut_by_a_page(printed: Printed) -> None:
    pages = pdf_pages(printed.outputs / PDF)
    table_lines = [line.split() for line in pages[0].splitlines()]
    assert [words[0] for words in table_lines if words and re.fullmatch(r"M\d", words[0])] == [
        f"M{number}" for number in range(1, 9)]
    # The table's notes, down to the last one, stay with it; the chart's page holds the
    # chart alone (its title, axis, legend) and the footer.
    assert "Météo déclarée optimiste au regard de la trajectoire pour M5" in pages[0]
    chart_page = [line.strip() for line in pages[1].splitlines() if line.strip()]
    assert not any(line.startswith(("Entre deux", "Trajectoire :", "Météo", "Non "))
                   for line in chart_page)
    for page in pages[2:10]:
        # The whole échéancier, and the comments block under it.
        for day in ("11/05/2020", "01/06/2020", "01/07/2020", "01/09/2020"):
            assert day in page
        assert "Prochaines étapes" in page
    assert "Taux moyen" in pages[10]
    for rule in ("Cible", "Tendance", "Non renseigné", "Sans cible", "Non actualisé"):
        assert rule in pages[11]


@pytest.mark.libreoffice
def test_document_information(printed: Printed) -> None:
    info = pdf_info(printed.outputs / PDF)
    assert info["Title"] == TITLE
    assert info["Subject"] == "Taux de réalisation des missions au 1er juin 2020"
    assert info["Author"] == "Secrétariat général — SPES"
    assert info["Pages"] == "12"
    # Whole keywords, as the workbook's properties give them.
    assert info["Keywords"] == "SPES, COPIL, pilotage, réalisation"
    assert info["Page size"].startswith("841.89 x 595.")  # A4 landscape


@pytest.mark.libreoffice
def test_verify_checks_the_pdf_by_its_fingerprint(printed: Printed, tmp_path: Path) -> None:
    outputs = printed.copy(tmp_path / "w") / "outputs"
    result = run("archive", "verify", "--output-dir", outputs)
    assert result.exit_code == 0, result.output
    assert "1 PDF conforme à son empreinte, sans réimpression" in result.output
    archived = outputs / "archive" / "2020-06" / PDF
    archived.write_bytes(archived.read_bytes() + b"%% ajout\n")
    result = run("archive", "verify", "--output-dir", outputs)
    assert result.exit_code == 1
    assert f"2020-06/{PDF} : fichier modifié depuis l'archivage" in result.output
    archived.unlink()
    result = run("archive", "verify", "--output-dir", outputs)
    assert f"2020-06/{PDF} : fichier manquant" in result.output


@pytest.mark.libreoffice
def test_a_rebuild_takes_the_pdf_of_record_from_the_archive(
        printed: Printed, tmp_path: Path, fake_path: Path) -> None:
    """Printed once, the month's PDF stays: no LibreOffice is even needed to get it
    back (PATH holds none here)."""
    folder = printed.copy(tmp_path / "w")
    (folder / "outputs" / PDF).unlink()
    result = run("build", folder / "input.xlsx", "--output-dir", folder / "outputs", "--pdf")
    assert result.exit_code == 0, result.output
    assert "PDF repris de l'archive du comité (12 pages, imprimé par LibreOffice" in (
        result.output)
    assert (folder / "outputs" / PDF).read_bytes() == (printed.outputs / PDF).read_bytes()


@pytest.mark.libreoffice
def test_email_attaches_the_pdf_beside_the_workbook(printed: Printed, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    folder = printed.copy(tmp_path / "w")
    write_config(folder, EMAIL_SECTION)
    monkeypatch.chdir(folder)
    result = run("email", "input.xlsx")
    assert result.exit_code == 0, result.output
    assert f"pièces jointes : {WORKBOOK} et {PDF}" in result.output
    message = parse((folder / "outputs" / "SPES_COPIL_2020-06-01.eml").read_bytes())
    workbook, pdf = attachments(message)
    assert (workbook.get_content_type(), workbook.get_filename()) == (XLSX, WORKBOOK)
    assert (pdf.get_content_type(), pdf.get_filename()) == ("application/pdf", PDF)
    assert pdf.get_content() == (folder / "outputs" / PDF).read_bytes()
    text, html = bodies(message)
    assert f"({WORKBOOK} et {PDF})" in one_line(text)
    assert "dans le classeur joint et dans sa version PDF, prête à imprimer" in one_line(text)
    assert f"<em>{WORKBOOK} et {PDF}</em>" in html


# --- refusals: the workbook stays ------------------------------------------------------------

def test_without_libreoffice_the_refusal_says_what_to_do(staff: Path, fake_path: Path) -> None:
    result = run("build", "--pdf")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "Le PDF n'a pas été produit : LibreOffice est introuvable sur ce poste (ni soffice " \
           "ni libreoffice dans les dossiers du PATH)." in lines
    assert ("Installez LibreOffice (gratuit : https://fr.libreoffice.org), ou indiquez où il "
            "se trouve dans spes-report.toml (section [output], clé soffice), ou relancez la "
            "commande sans --pdf.") in lines
    assert (f"Le classeur {Path('outputs') / WORKBOOK} est bien écrit et archivé ; relancée, "
            "la même commande ne fera plus que le PDF.") in lines
    # Built and filed as without --pdf; no PDF, nothing left behind.
    assert (staff / "outputs" / WORKBOOK).is_file()
    assert not (staff / "outputs" / PDF).exists()
    assert "pdf" not in read_manifest(staff / "outputs" / "archive" / "2020-06")
    assert leftovers(staff) == []
    assert run("archive", "verify").exit_code == 0


def test_libreoffice_that_exits_0_without_a_pdf(staff: Path, fake_path: Path) -> None:
    fake_soffice(fake_path, NOTHING)
    result = run("build", "--pdf")
    assert result.exit_code == 1
    assert (f"Le PDF n'a pas été produit : LibreOffice ({fake_path / 'soffice'}, LibreOffice "
            "7.4.7.2) s'est terminé sans produire de PDF lisible.") in result.output
    assert (staff / "outputs" / WORKBOOK).is_file() and not (staff / "outputs" / PDF).exists()
    assert leftovers(staff) == []


def test_libreoffice_past_its_time_limit(staff: Path, fake_path: Path) -> None:
    fake_soffice(fake_path, HANG)
    write_config(staff, "[output]\npdf_timeout = 1\n")
    result = run("build", "--pdf")
    assert result.exit_code == 1
    assert (f"Le PDF n'a pas été produit : LibreOffice ({fake_path / 'soffice'}) n'a pas "
            "terminé en 1 seconde : il a été arrêté.") in result.output
    assert "clé pdf_timeout de spes-report.toml" in result.output
    assert (staff / "outputs" / WORKBOOK).is_file() and not (staff / "outputs" / PDF).exists()


def test_libreoffice_too_old(staff: Path, fake_path: Path) -> None:
    fake_soffice(fake_path, SMALL_PDF, version="LibreOffice 6.0.7.3 00(Build:3)")
    result = run("build", "--pdf")
    assert result.exit_code == 1
    assert (f"LibreOffice est trop ancien sur ce poste (LibreOffice 6.0.7.3, "
            f"{fake_path / 'soffice'}) : il faut la version 7.0 ou une plus récente.") in (
        one_line(result.output))
    assert "Mettez LibreOffice à jour, ou relancez la commande sans --pdf." in result.output


def test_the_configured_libreoffice_is_used_and_checked(staff: Path, fake_path: Path,
                                                        tmp_path: Path) -> None:
    chosen = fake_soffice(tmp_path / "LibreOffice" / "program", SMALL_PDF)
    write_config(staff, f"[output]\nsoffice = '{tmp_path / 'LibreOffice'}'\n")
    result = run("build", "--pdf")
    assert result.exit_code == 0, result.output
    assert (staff / "outputs" / PDF).read_bytes() == small_pdf()
    assert runs(chosen.parent)[0] == ["--version"]
    write_config(staff, "[output]\nsoffice = 'C:/Programmes/LibreOffice/program/soffice.exe'\n")
    result = run("build", "--pdf", "--no-archive", "--date", "11/05/2020")
    assert result.exit_code == 1
    assert ("LibreOffice est introuvable à l'emplacement indiqué dans spes-report.toml "
            "(section [output], clé soffice : ") in result.output


def test_without_pdf_libreoffice_is_not_even_looked_for(staff: Path, fake_path: Path) -> None:
    fake_soffice(fake_path, SMALL_PDF)
    assert run("build").exit_code == 0
    assert run("build", "--no-pdf").exit_code == 0
    assert runs(fake_path) == []
    assert not (staff / "outputs" / PDF).exists()


# --- the PDF's place among the outputs ------------------------------------------------------

def test_the_output_section_asks_for_the_pdf_at_every_build(staff: Path,
                                                            fake_path: Path) -> None:
    fake_soffice(fake_path, SMALL_PDF)
    write_config(staff, "[output]\npdf = true\n")
    result = run("build")
    assert result.exit_code == 0, result.output
    assert (staff / "outputs" / PDF).read_bytes() == small_pdf()
    assert "PDF archivé avec le comité" in result.output
    (staff / "outputs" / PDF).unlink()
    assert run("build", "--no-pdf").exit_code == 0
    assert not (staff / "outputs" / PDF).exists()
    # Asked for by the file, the refusal says how to do without it for once (May is
    # not printed yet: June's PDF, archived, needed no LibreOffice).
    (fake_path / "soffice").unlink()
    assert run("build").exit_code == 0
    result = run("build", "--date", "11/05/2020")
    assert result.exit_code == 1
    assert "ou relancez la commande avec --no-pdf (spes-report.toml demande le PDF" in (
        one_line(result.output))


def test_a_mistake_in_the_output_section_stops_before_anything_is_written(
        staff: Path) -> None:
    write_config(staff, '[output]\npdf = "oui"\n')
    result = run("build", "--pdf")
    assert result.exit_code == 1
    assert "[output] pdf : ce doit être true" in result.output
    assert not (staff / "outputs").exists()


def test_the_earlier_pdf_goes_aside_with_its_workbook(staff: Path, fake_path: Path) -> None:
    fake_soffice(fake_path, SMALL_PDF)
    assert run("build", "--pdf").exit_code == 0
    earlier = (staff / "outputs" / PDF).read_bytes()
    # Another tolerance, without --pdf: the PDF beside would no longer be the workbook's.
    result = run("build", "--tolerance", "2", "--replace")
    assert result.exit_code == 0, result.output
    assert not (staff / "outputs" / PDF).exists()
    (aside,) = (staff / "outputs").glob("SPES_COPIL_2020-06-01.remplace-*.pdf")
    assert aside.read_bytes() == earlier
    assert aside.with_suffix(".xlsx").is_file()
    assert f"PDF précédent conservé : {Path('outputs') / aside.name}" in result.output
    # The earlier snapshot keeps its PDF among its superseded files.
    (superseded,) = (staff / "outputs" / "archive" / "2020-06").glob("superseded-*")
    assert (superseded / PDF).read_bytes() == earlier
    assert run("archive", "verify").exit_code == 0


def test_a_month_built_without_pdf_gets_it_later(staff: Path, fake_path: Path) -> None:
    assert run("build").exit_code == 0
    month = staff / "outputs" / "archive" / "2020-06"
    sealed = read_manifest(month)["seal"]
    fake_soffice(fake_path, SMALL_PDF)
    result = run("build", "--pdf")
    assert result.exit_code == 0, result.output
    assert "Comité déjà archivé à l'identique" in result.output
    assert (month / PDF).read_bytes() == small_pdf()
    manifest = read_manifest(month)
    assert manifest["seal"] != sealed  # sealed again, with the PDF
    verified = run("archive", "verify")
    assert verified.exit_code == 0, verified.output
    # The PDF is sealed: its fingerprint edited in the manifest is seen.
    from spes_report.archive.manifest import write_manifest

    write_manifest(month, {**manifest, "pdf": {**manifest["pdf"], "pages": 3}})
    result = run("archive", "verify")
    assert result.exit_code == 1
    assert "modifiée à la main depuis l'archivage" in result.output


def test_no_archive_puts_the_pdf_beside_only(staff: Path, fake_path: Path) -> None:
    fake_soffice(fake_path, SMALL_PDF)
    result = run("build", "--pdf", "--no-archive")
    assert result.exit_code == 0, result.output
    assert (staff / "outputs" / PDF).is_file()
    assert not (staff / "outputs" / "archive").exists()
    assert "PDF archivé" not in result.output


# --- the email ------------------------------------------------------------------------------

def test_email_with_the_pdf_alone(staff: Path, fake_path: Path) -> None:
    """[email] attachments = ["pdf"]: the PDF is made for the message, which carries it alone."""
    fake_soffice(fake_path, SMALL_PDF)
    write_config(staff, EMAIL_SECTION + 'attachments = ["pdf"]\n')
    result = run("email")
    assert result.exit_code == 0, result.output
    assert f"pièce jointe : {PDF}" in result.output
    message = parse((staff / "outputs" / "SPES_COPIL_2020-06-01.eml").read_bytes())
    (attached,) = attachments(message)
    assert (attached.get_content_type(), attached.get_filename()) == ("application/pdf", PDF)
    text, _ = bodies(message)
    assert f"({PDF})" in text and "est dans le PDF joint." in one_line(text)
    result = run("email", "--no-pdf")
    assert result.exit_code == 2
    assert "--no-pdf ne va pas avec la clé attachments" in result.output


def test_email_waits_for_a_pdf_that_could_not_be_made(staff: Path, fake_path: Path) -> None:
    fake_soffice(fake_path, NOTHING)
    write_config(staff, EMAIL_SECTION)
    result = run("email", "--pdf")
    assert result.exit_code == 1
    assert "Le message du comité n'a pas été préparé : il attend le PDF." in result.output
    assert "ne fera plus que le PDF et le message" in result.output
    assert (staff / "outputs" / WORKBOOK).is_file()
    assert not (staff / "outputs" / "SPES_COPIL_2020-06-01.eml").exists()


def test_without_a_pdf_the_email_carries_the_workbook_alone(staff: Path) -> None:
    write_config(staff, EMAIL_SECTION)
    result = run("email")
    assert result.exit_code == 0, result.output
    assert f"pièce jointe : {WORKBOOK}" in result.output
    assert sorted(tree(staff / "outputs")) == sorted(
        [WORKBOOK, "SPES_COPIL_2020-06-01.eml", *(f"archive/2020-06/{n}" for n in (
            WORKBOOK, "input.xlsx", "manifest.json", "plan.toml"))])


def test_a_pdf_changed_in_the_archive_keeps_its_month_out_of_the_history(
        staff: Path, fake_path: Path) -> None:
    """The PDF is one of the month's files: edited, the month is no longer trusted."""
    from support.archive import JULY, make_month

    fake_soffice(fake_path, SMALL_PDF)
    assert run("build", "--pdf").exit_code == 0
    archived = staff / "outputs" / "archive" / "2020-06" / PDF
    archived.write_bytes(archived.read_bytes() + b"% retouche\n")
    july = make_month(staff / "inputs", JULY, "juillet.xlsx")
    result = run("build", july)
    assert result.exit_code == 0, result.output
    assert ("Attention : le mois 2020-06 a été modifié à la main depuis son archivage : "
            "lancez « spes-report archive verify 2020-06 »") in result.output


def test_a_build_without_pdf_does_not_even_load_the_printing_code(staff: Path) -> None:
    import subprocess
    import sys

    from support import ROOT

    code = ("import sys\nfrom support import run\nassert run('build').exit_code == 0\n"
            "print('spes_report.pdf' in sys.modules)")
    shown = subprocess.run([sys.executable, "-c", code], cwd=staff, check=True, text=True,
                           capture_output=True, env={**os.environ,
                                                     "PYTHONPATH": str(ROOT / "tests")})
    assert shown.stdout.split() == ["False"]


@pytest.mark.parametrize("asked", [["--pdf"], []], ids=["option", "config"])
def test_a_pdf_the_message_needs_is_not_advised_away_with_an_option(
        staff: Path, fake_path: Path, asked: list[str]) -> None:
    """[email] attachments = ["pdf"] with --pdf, or with [output] pdf = true: when the PDF
    fails, the advice is the attachments key's, never an option the tool would refuse."""
    fake_soffice(fake_path, NOTHING)
    output = "" if asked else "\n[output]\npdf = true\n"
    write_config(staff, EMAIL_SECTION + 'attachments = ["pdf"]\n' + output)
    result = run("email", *asked)
    assert result.exit_code == 1
    assert "retirez \"pdf\" de la clé attachments" in result.output
    assert "sans --pdf" not in result.output and "--no-pdf" not in result.output
