"""The corpus of hostile and broken inputs: each case builds its file and says what we expect.

Shared by tests/test_scenario_hostile_inputs.py and benchmarks/hostile.py (which
times the corpus and measures its memory). Files that only a real program can make
(.ods, .xls) are committed in fixtures/hostile/; the others are built here.
"""

from __future__ import annotations

import io
import random
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from support import FIXTURES, SAMPLE
from support.inputs import make_input, mission_row

HOSTILE_FIXTURES = FIXTURES / "hostile"
MIB = 1024 * 1024

# "Billion laughs": ten levels of ten references, 10^9 copies of "lol".
BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
              for i in range(1, 10))
    + "]>\n"
)


@dataclass(frozen=True)
class Case:
    """One input: how to make it, and the (code, place) problems it must give.

    ``place`` is written with ``{name}`` for the file's name and ``{path}`` for
    the path as given; an empty ``expected`` means the file must load.
    """

    name: str
    make: Callable[[Path], Path]
    expected: tuple[tuple[str, str], ...]
    # Words the message must contain: the kind of file the user gave us.
    phrase: str = ""


def copy_of(source: Path, name: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        return Path(shutil.copy(source, folder / name))
    return make


def with_bytes(name: str, content: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content)
        return path
    return make


def rewrite_parts(source: Path, target: Path,
                  change: Callable[[str, bytes], bytes | None],
                  extra: dict[str, bytes] | None = None) -> Path:
    """Copy the package ``source`` to ``target``, passing each part through
    ``change`` (None drops the part), then adding the ``extra`` parts."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w",
                                                         zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info))
            if data is not None:
                new.writestr(info.filename, data)
        for part, data in (extra or {}).items():
            new.writestr(part, data)
    return target


def xml_bomb(part: str) -> Callable[[Path], Path]:
    """The sample with an entity-expansion bomb declared at the top of ``part``."""
    def make(folder: Path) -> Path:
        def change(name: str, data: bytes) -> bytes:
            if name != part:
                return data
            body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", data)
            # Referenced right inside the root element: expanding it would
            # take gigabytes.
            return BILLION_LAUGHS.encode() + re.sub(rb"^(<[^>]*[^/]>)", rb"\1&lol9;", body)
        return rewrite_parts(SAMPLE, folder / "input.xlsx", change)
    return make


def zip_bomb(folder: Path) -> Path:
    """The sample plus a part that inflates from a few hundred kilobytes to 200 MiB."""
    target = folder / "input.xlsx"
    rewrite_parts(SAMPLE, target, lambda _, data: data)
    with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as archive, \
            archive.open("xl/media/image1.png", "w", force_zip64=True) as part:
        block = bytes(MIB)
        for _ in range(200):
            part.write(block)
    return target


def compressed_filler(folder: Path) -> Path:
    """Under the total limit, but one part is 8 MiB of zeros: a bomb's signature."""
    return rewrite_parts(SAMPLE, folder / "input.xlsx", lambda _, data: data,
                         {"xl/worksheets/sheet1.xml.bak": bytes(8 * MIB)})


def lying_sizes(folder: Path) -> Path:
    """A sheet that declares 4 KiB but inflates to 32 MiB: zipfile must stop at 4 KiB."""
    target = folder / "input.xlsx"
    filler = b"<row/>" * (32 * MIB // 6)

    def change(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        return data.replace(b"<sheetData>", b"<sheetData>" + filler, 1)
    rewrite_parts(SAMPLE, target, change)
    raw = bytearray(target.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    # Patch the uncompressed size in the local header (offset 22) and in the
    # central directory entry (offset 24) of that part.
    for signature, offset, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (start := raw.find(signature, start)) >= 0:
            if raw[start + name_at:start + name_at + len(name)] == name:
                raw[start + offset:start + offset + 4] = (4096).to_bytes(4, "little")
            start += 4
    target.write_bytes(bytes(raw))
    return target


def many_parts(folder: Path) -> Path:
    extra = {f"customXml/item{i}.xml": b"<a/>" for i in range(1200)}
    return rewrite_parts(SAMPLE, folder / "input.xlsx", lambda _, data: data, extra)


def big_styles(folder: Path) -> Path:
    """styles.xml is parsed whole into memory: 6 MiB of it is refused."""
    noise = random.Random(7).randbytes(3 * MIB).hex().encode()

    def change(name: str, data: bytes) -> bytes:
        if name != "xl/styles.xml":
            return data
        return data.replace(b"</styleSheet>", b"<!--" + noise + b"--></styleSheet>")
    return rewrite_parts(SAMPLE, folder / "input.xlsx", change)


def stretched_dimension(folder: Path) -> Path:
    """Only the <dimension> tag claims A1:XFD1048576, as some exporters write."""
    def change(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        changed, count = re.subn(rb'<dimension ref="[^"]*"\s*/>',
                                 b'<dimension ref="A1:XFD1048576"/>', data)
        assert count == 1
        return changed
    return rewrite_parts(SAMPLE, folder / "input.xlsx", change)


def stretched_cell(folder: Path) -> Path:
    """A real cell at XFD1048576, the last cell of a sheet."""
    import openpyxl

    path = Path(shutil.copy(SAMPLE, folder / "input.xlsx"))
    workbook = openpyxl.load_workbook(path)
    workbook["Saisie"]["XFD1048576"] = "x"
    workbook.save(path)
    return path


def long_comment(length: int, char: str = "x") -> Callable[[Path], Path]:
    """A comment of ``length`` characters. openpyxl cuts text at 32,767 when
    it writes, so longer text (a crafted file) is put into the XML afterwards."""
    def make(folder: Path) -> Path:
        draft = make_input(folder / "draft.xlsx",
                           [mission_row(1, 0.8, comment="LONG-TEXT"), mission_row(2, 0.9)])
        text = (char * length).encode()

        def change(_: str, data: bytes) -> bytes:
            return data.replace(b"LONG-TEXT", text)
        path = rewrite_parts(draft, folder / "input.xlsx", change)
        draft.unlink()
        return path
    return make


def notes_below(count: int) -> Callable[[Path], Path]:
    """A normal table followed by ``count`` rows of notes with no figure."""
    def make(folder: Path) -> Path:
        rows: list[list[object]] = [mission_row(n, 0.5) for n in range(1, 9)]
        rows += [[f"Note {i}", "texte libre"] for i in range(count)]
        return make_input(folder / "input.xlsx", rows)
    return make


def unknown_missions(count: int) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        return make_input(folder / "input.xlsx", [mission_row(100 + i, 0.5)
                                                  for i in range(count)])
    return make


def damaged_sheet(folder: Path) -> Path:
    """A well-formed package whose sheet XML is cut in the middle of a tag."""
    def change(name: str, data: bytes) -> bytes:
        return data[: len(data) // 2] if name == "xl/worksheets/sheet1.xml" else data
    return rewrite_parts(SAMPLE, folder / "input.xlsx", change)


def encrypted(folder: Path) -> Path:
    """The sample encrypted with a password, as Excel does (ECMA-376 agile encryption)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    target = folder / "input.xlsx"
    with SAMPLE.open("rb") as plain, target.open("wb") as out:
        OOXMLFile(plain).encrypt("secret", out)
    return target


def zip_with(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, b"<x/>")
    return buffer.getvalue()


# Excel's lock file: the user's name, padded, then again in UTF-16 (165 bytes).
EXCEL_LOCK = (bytes([6]) + b"agent1".ljust(54) + b"\x06\x00"
              + "agent1".encode("utf-16-le").ljust(108, b"\x00"))
CSV = "N°;Mission;11/05/2020;01/06/2020\n1;Accompagner;75 %;80 %\n"
FILE = ("{name}",)
NOT_LOADED = "aucun fichier n'a été écrit"


def corpus() -> list[Case]:
    sample_bytes = SAMPLE.read_bytes()
    return [
        # 1. wrong kinds of file
        Case("empty", with_bytes("input.xlsx", b""), (("file-empty", "{name}"),),
             "fichier vide"),
        Case("random-bytes", with_bytes("input.xlsx", random.Random(3).randbytes(4096)),
             (("unknown-file", "{name}"),), "type inconnu"),
        Case("csv-renamed", with_bytes("input.xlsx", CSV.encode("utf-8")),
             (("csv-or-text", "{name}"),), "fichier CSV ou texte renommé en .xlsx"),
        Case("csv-windows-1252", with_bytes("input.xlsx", CSV.encode("cp1252")),
             (("csv-or-text", "{name}"),), "fichier CSV ou texte renommé en .xlsx"),
        Case("text-utf16", with_bytes("input.xlsx", CSV.replace(";", "\t").encode("utf-16")),
             (("csv-or-text", "{name}"),), "fichier CSV ou texte renommé en .xlsx"),
        Case("csv-named-csv", with_bytes("input.csv", CSV.encode("utf-8")),
             (("csv-or-text", "{name}"),), "fichier CSV ou texte, pas un classeur"),
        Case("html-renamed", with_bytes("input.xlsx", b"<html><body><table><tr><td>1</td>"
                                        b"</tr></table></body></html>"),
             (("html-page", "{name}"),), "page web (HTML)"),
        Case("pdf", with_bytes("input.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
             (("pdf-file", "{name}"),), "document PDF"),
        Case("legacy-xls", copy_of(HOSTILE_FIXTURES / "saisie_excel97.xls", "input.xls"),
             (("legacy-xls", "{name}"),), "ancien format Excel .xls : enregistrez-le au "
             "format .xlsx"),
        Case("legacy-xls-renamed", copy_of(HOSTILE_FIXTURES / "saisie_excel97.xls", "input.xlsx"),
             (("legacy-xls", "{name}"),), "ancien format Excel .xls"),
        Case("ods", copy_of(HOSTILE_FIXTURES / "saisie_libreoffice.ods", "input.ods"),
             (("ods-workbook", "{name}"),), "classeur OpenDocument .ods"),
        Case("ods-renamed", copy_of(HOSTILE_FIXTURES / "saisie_libreoffice.ods", "input.xlsx"),
             (("ods-workbook", "{name}"),), "classeur OpenDocument .ods"),
        Case("encrypted", encrypted, (("encrypted-workbook", "{name}"),),
             "classeur protégé par mot de passe"),
        Case("excel-lock-file", with_bytes("~$input.xlsx", EXCEL_LOCK),
             (("excel-lock-file", "{name}"),), "fichier de verrouillage d'Excel (~$…)"),
        Case("libreoffice-lock-file",
             with_bytes(".~lock.input.xlsx#", b"agent1,poste,agent1,29.11.2026 09:30,\n"),
             (("libreoffice-lock-file", "{name}"),), "fichier de verrouillage de LibreOffice"),
        Case("missing", lambda folder: folder / "absent.xlsx", (("file-missing", "{path}"),),
             "fichier introuvable"),
        Case("folder", lambda folder: folder, (("file-is-folder", "{path}"),), "dossier"),
        Case("truncated-download", with_bytes("input.xlsx",
                                              sample_bytes[: len(sample_bytes) // 2]),
             (("damaged-workbook", "{name}"),), "classeur Excel endommagé ou incomplet"),
        Case("damaged-sheet-xml", damaged_sheet, (("damaged-workbook", "{name}"),),
             "classeur Excel endommagé ou incomplet"),
        Case("xlsb", with_bytes("input.xlsx", zip_with(["[Content_Types].xml",
                                                         "xl/workbook.bin"])),
             (("xlsb-workbook", "{name}"),), "classeur Excel binaire .xlsb"),
        Case("word-document", with_bytes("input.xlsx", zip_with(["[Content_Types].xml",
                                                                  "word/document.xml"])),
             (("office-not-spreadsheet", "{name}"),), "document Word ou PowerPoint"),
        Case("plain-zip", with_bytes("input.xlsx", zip_with(["photos/1.jpg"])),
             (("zip-not-workbook", "{name}"),), "archive zip"),
        # 2. resource attacks
        *(Case(f"xml-bomb-{part.rsplit('/', 1)[-1]}", xml_bomb(part),
               (("xml-entities", "{name}"),), "bombe XML")
          for part in ("xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "xl/workbook.xml",
                       "xl/styles.xml", "[Content_Types].xml")),
        Case("zip-bomb", zip_bomb, (("archive-too-large", "{name}"),), "bombe zip"),
        Case("compressed-filler", compressed_filler, (("compression-ratio", "{name}"),),
             "bombe zip"),
        Case("lying-sizes", lying_sizes, (("damaged-workbook", "{name}"),),
             "endommagé"),
        Case("many-parts", many_parts, (("too-many-parts", "{name}"),),
             "nombre anormal de parties"),
        Case("big-styles", big_styles, (("part-too-large", "{name}"),),
             "anormalement volumineuse"),
        Case("stretched-dimension", stretched_dimension, ()),
        Case("stretched-cell", stretched_cell, ()),
        Case("text-32767", long_comment(32_767), ()),
        Case("text-32768", long_comment(32_768), (("text-too-long", "Saisie!G6"),),
             "texte trop long"),
        # Excel counts in UTF-16 units: 16,384 emoji are 32,768 of them.
        Case("text-emoji-32768", long_comment(16_384, "😀"), (("text-too-long", "Saisie!G6"),),
             "texte trop long"),
        Case("notes-4000-rows", notes_below(4000), ()),
        Case("rows-to-the-window-edge", notes_below(5000), (("table-too-long", "Saisie!A5000"),),
             "supprimez les lignes inutiles"),
    ]


def expected_places(case: Case, path: Path) -> list[tuple[str, str]]:
    return [(code, place.format(name=path.name, path=path)) for code, place in case.expected]
