"""The README's pictures are made by the tool itself: the script runs (through build's own
PDF path) and writes them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
    reason="LibreOffice (soffice) ou pdftoppm absent : "
           "apt-get install libreoffice-calc-nogui poppler-utils")


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


def test_the_pictures_are_remade_from_the_sample(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_doc_pictures.py"),
                             str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    # The same sizes as the committed pictures: the README's layout stays as it is.
    names = ("synthese.png", "pdf.png", "plan.png")
    for name in names:
        assert png_size(tmp_path / name) == png_size(ROOT / "docs" / name), name
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [part.split(")")[0] for part in readme.split("](docs/")[1:]] == [
        "synthese.png", "pdf.png", "plan.png"]
