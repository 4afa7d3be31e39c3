"""Regenerate the README's pictures from the tool itself, so they never drift from it.

    .venv/bin/python scripts/make_doc_pictures.py [FOLDER]      # or: make pictures

Builds the committed sample (inputs/input.xlsx) and writes the default plan.xlsx
in a temporary folder, has LibreOffice print both to PDF (as a committee member
would print them), and renders with pdftoppm:

- docs/synthese.png: the workbook's first page, the Synthèse;
- docs/plan.png: the top of the Plan sheet (block, header, first missions).

Needs LibreOffice (soffice) and poppler-utils (pdftoppm), as the tests do.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from spes_report.pipeline import build
from spes_report.plan import load_plan
from spes_report.writers.plan import write_plan

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "inputs" / "input.xlsx"
TIMEOUT = 180  # seconds: a first start of LibreOffice builds its profile.
# pdftoppm settings: whole first page at 100 dpi; for the plan, its top at 160 dpi.
SYNTHESE = ("-r", "100")
PLAN = ("-r", "160", "-x", "60", "-y", "90", "-W", "1770", "-H", "620")


def to_pdf(workbook: Path, folder: Path) -> Path:
    """``workbook`` printed by LibreOffice, with a private profile (an open LibreOffice
    window does not interfere); judged by the PDF, since soffice exits 0 on failure."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(folder), str(workbook)],
                       check=False, capture_output=True, timeout=TIMEOUT)
    pdf = folder / f"{workbook.stem}.pdf"
    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise SystemExit(f"LibreOffice n'a pas produit de PDF pour {workbook.name}")
    return pdf


def first_page_png(pdf: Path, target: Path, options: tuple[str, ...]) -> None:
    """Page 1 of ``pdf`` as ``target`` (pdftoppm adds nothing to the name with -singlefile)."""
    subprocess.run(["pdftoppm", *options, "-f", "1", "-l", "1", "-singlefile", "-png",
                    str(pdf), str(target.with_suffix(""))], check=True, timeout=TIMEOUT)


def main(folder: Path) -> None:
    for tool in ("soffice", "pdftoppm"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} est absent : apt-get install libreoffice-calc-nogui "
                             "poppler-utils")
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        here = Path(work)
        workbook = build(SAMPLE, here / "outputs", archive=False).workbook
        plan = here / "plan.xlsx"
        write_plan(plan, load_plan(), today=date(2020, 6, 1))
        first_page_png(to_pdf(workbook, here), folder / "synthese.png", SYNTHESE)
        first_page_png(to_pdf(plan, here), folder / "plan.png", PLAN)
    print(f"écrit : {folder / 'synthese.png'}, {folder / 'plan.png'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
