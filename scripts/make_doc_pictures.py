"""Regenerate the README's pictures from the tool itself, so they never drift from it.

    .venv/bin/python scripts/make_doc_pictures.py [FOLDER]      # or: make pictures

Builds the committed sample (inputs/input.xlsx) with its PDF, as `spes-report
build --pdf` does (the same LibreOffice run, private profile and checks: see
spes_report/pdf.py), prints the default plan.xlsx the same way, and renders
pages with pdftoppm:

- docs/synthese.png: the PDF's first page, the Synthèse, at 100 dpi;
- docs/pdf.png: the same first page whole, as a page of the PDF (margins, footer);
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

from spes_report.pdf import PdfError, Settings, render
from spes_report.pipeline import build
from spes_report.plan import load_plan
from spes_report.writers.plan import plan_bytes

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "inputs" / "input.xlsx"
TIMEOUT = 180  # seconds: a first start of LibreOffice builds its profile.
# pdftoppm settings: whole first page at 100 dpi; the PDF's page smaller, framed;
# for the plan, its top at 160 dpi.
SYNTHESE = ("-r", "100")
PAGE = ("-r", "60")
PLAN = ("-r", "160", "-x", "60", "-y", "90", "-W", "1770", "-H", "620")


def first_page_png(pdf: Path, target: Path, options: tuple[str, ...]) -> None:
    """Page 1 of ``pdf`` as ``target`` (pdftoppm adds nothing to the name with -singlefile)."""
    subprocess.run(["pdftoppm", *options, "-f", "1", "-l", "1", "-singlefile", "-png",
                    str(pdf), str(target.with_suffix(""))], check=True, timeout=TIMEOUT)


def framed(png: Path) -> None:
    """A one-pixel grey border around ``png``, so that the page shows as a page on the
    README's white background (Pillow, when installed; otherwise left as it is)."""
    try:
        from PIL import Image, ImageOps
    except ImportError:
        return
    with Image.open(png) as page:
        bordered = ImageOps.expand(page.convert("RGB"), border=1, fill=(160, 160, 160))
    bordered.save(png, optimize=True)


def main(folder: Path) -> None:
    for tool in ("soffice", "pdftoppm"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} est absent : apt-get install libreoffice-calc-nogui "
                             "poppler-utils")
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        here = Path(work)
        result = build(SAMPLE, here / "outputs", archive=False,
                       pdf=Settings(timeout=TIMEOUT))
        if result.pdf is None:
            raise SystemExit(f"Le PDF n'a pas été produit : {result.pdf_error!r}")
        first_page_png(result.pdf.path, folder / "synthese.png", SYNTHESE)
        first_page_png(result.pdf.path, folder / "pdf.png", PAGE)
        framed(folder / "pdf.png")
        try:
            plan = render(plan_bytes(load_plan(), date(2020, 6, 1)), "plan.xlsx",
                          Settings(timeout=TIMEOUT))
        except PdfError as error:
            raise SystemExit(f"LibreOffice n'a pas imprimé plan.xlsx : {error!r}") from error
        (here / "plan.pdf").write_bytes(plan.content)
        first_page_png(here / "plan.pdf", folder / "plan.png", PLAN)
    print(f"écrit : {folder / 'synthese.png'}, {folder / 'pdf.png'}, {folder / 'plan.png'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
