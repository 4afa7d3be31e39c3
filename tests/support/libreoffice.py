"""LibreOffice for the PDF tests: the real one when installed, and fake ``soffice`` programs.

A fake is a small Python script named ``soffice`` that answers ``--version``
like LibreOffice and, asked to convert, does what the test wants: nothing at
all (exit 0, as LibreOffice does when it fails), hang (with a child process of
its own, to check the whole group is stopped), write something that is not a
PDF, or write a small PDF at once (a fast stand-in where LibreOffice itself is
not under test, as in the crash harness). Each run notes its arguments.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

REAL_SOFFICE = shutil.which("soffice")
ABSENT_REASON = "LibreOffice (soffice) absent : apt-get install libreoffice-calc-nogui"
POPPLER_REASON = "pdftotext/pdfinfo absents : apt-get install poppler-utils"
HAS_POPPLER = shutil.which("pdftotext") is not None and shutil.which("pdfinfo") is not None
VERSION = "LibreOffice 7.4.7.2 40(Build:2)"
# What a fake does when asked to convert.
NOTHING, HANG, NOT_A_PDF, SMALL_PDF = "nothing", "hang", "not-a-pdf", "small-pdf"

_SCRIPT = """\
#!{python}
import json, os, subprocess, sys, time
from pathlib import Path
here = Path({here!r})
args = sys.argv[1:]
with (here / "runs.jsonl").open("a", encoding="utf-8") as log:
    log.write(json.dumps(args) + "\\n")
if args == ["--version"]:
    print({version!r})
    sys.exit(0)
conversion = {conversion!r}
source = Path(args[-1])
target = Path(args[args.index("--outdir") + 1]) / (source.stem + ".pdf")
if conversion == "hang":
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    (here / "child.pid").write_text(str(child.pid))
    (here / "parent.pid").write_text(str(os.getpid()))
    time.sleep(600)
elif conversion == "not-a-pdf":
    target.write_bytes(b"<html>erreur</html>")
elif conversion == "small-pdf":
    # A mark beside the program (if any) makes one print differ from another, as
    # LibreOffice's do (their creation date), while each stays reproducible.
    mark = Path(__file__).resolve().parent / "marque"
    extra = mark.read_bytes() if mark.exists() else b""
    pdf = {pdf!r}
    target.write_bytes(pdf[:9] + (b"%" + extra + b"\\n" if extra else b"") + pdf[9:])
print("convert", source, "->", target)
"""


def small_pdf(pages: int = 2) -> bytes:
    """A minimal PDF of ``pages`` blank A4 landscape pages (enough for page_count)."""
    kids = " ".join(f"{3 + n} 0 R" for n in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode()]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] >>"] * pages
    body = b"%PDF-1.4\n"
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + content + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    body += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n"
             "%%EOF\n").encode()
    return body


def fake_soffice(folder: Path, conversion: str, version: str = VERSION,
                 name: str = "soffice") -> Path:
    """An executable fake LibreOffice ``folder``/``name``; ``folder`` is made if need be."""
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / name
    program.write_text(_SCRIPT.format(python=sys.executable, here=str(folder), version=version,
                                      conversion=conversion, pdf=small_pdf()),
                       encoding="utf-8")
    program.chmod(0o755)
    return program


_QUICK = """\
#!/bin/sh
# A fake LibreOffice in sh, which starts in no time: prints the small PDF, with the
# mark beside it if any (see fake_soffice).
here=$(dirname "$0")
if [ "$1" = "--version" ]; then echo "{version}"; exit 0; fi
previous=""
for argument in "$@"; do
    if [ "$previous" = "--outdir" ]; then outdir="$argument"; fi
    previous="$argument"; source="$argument"
done
name=$(basename "$source")
target="$outdir/${{name%.*}}.pdf"
head -c 9 "$here/petit.pdf" > "$target"
if [ -f "$here/marque" ]; then printf '%%' >> "$target"; cat "$here/marque" >> "$target"; \
printf '\\n' >> "$target"; fi
tail -c +10 "$here/petit.pdf" >> "$target"
"""


def quick_soffice(folder: Path, version: str = VERSION) -> Path:
    """A fake LibreOffice that prints the small PDF as ``fake_soffice(folder, SMALL_PDF)``
    does, written in sh to start in no time (POSIX only): for the crash harness, which
    runs a build at each of hundreds of points."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "petit.pdf").write_bytes(small_pdf())
    program = folder / "soffice"
    program.write_text(_QUICK.format(version=version), encoding="utf-8")
    program.chmod(0o755)
    return program


def runs(folder: Path) -> list[list[str]]:
    """The arguments of each run of the fake in ``folder``, in order."""
    log = folder / "runs.jsonl"
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie waiting to be reaped does not)."""
    stat = Path(f"/proc/{pid}/stat")
    if stat.exists():
        try:
            return stat.read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def pdf_pages(path: Path) -> list[str]:
    """The text of each page of the PDF at ``path``, laid out (pdftotext -layout)."""
    import subprocess

    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True, timeout=120).stdout
    return text.split("\f")[:-1]


def pdf_info(path: Path) -> dict[str, str]:
    """The PDF's document information (pdfinfo): Title, Subject, Author, Pages…"""
    import subprocess

    lines = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True,
                           text=True, timeout=120).stdout.splitlines()
    return {key.strip(): value.strip() for key, _, value in
            (line.partition(":") for line in lines) if value}
