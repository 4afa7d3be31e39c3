"""Refuse inputs that would exhaust memory or time, before any parser reads them."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable

from . import french
from .problems import InstallationError, Problem

MIB = 1024 * 1024
# A real input weighs a few dozen kilobytes; these limits leave room for a
# heavily formatted workbook and stop "zip bombs" long before memory runs out.
MAX_FILE_BYTES = 10 * MIB
MAX_UNCOMPRESSED_BYTES = 10 * MIB
# Parts that openpyxl reads whole into memory (shared strings, styles, the
# workbook, relations) cost about ten times their size there, unlike the
# sheets, which are streamed and read only within the loader's window.
MAX_WHOLE_PART_BYTES = 5 * MIB
MAX_PARTS = 1000
# XML usually compresses 5 to 30 times; a part that is both large and far more
# compressed than that is made of repeated filler, the mark of a zip bomb.
MAX_RATIO = 100
RATIO_CHECKED_FROM = MIB
STREAMED_PREFIX = "xl/worksheets/"

BOMB_HINT = "possible « bombe zip », fabriquée pour saturer la mémoire"


def require_defused_xml() -> None:
    """Refuse to read any workbook unless openpyxl parses XML through defusedxml.

    defusedxml rejects entity declarations, so a crafted workbook cannot make
    the XML parser expand a few bytes into gigabytes ("billion laughs").
    openpyxl uses it only when it is installed and not switched off by the
    OPENPYXL_DEFUSEDXML environment variable, hence the check at each load.
    """
    import openpyxl.xml
    from openpyxl.xml import functions

    if not openpyxl.xml.DEFUSEDXML or not functions.iterparse.__module__.startswith(
        "defusedxml"
    ):
        raise InstallationError(
            "Installation incomplète ou mal réglée : la protection contre les fichiers "
            "XML piégés (bibliothèque defusedxml) n'est pas active, l'outil refuse donc "
            "de lire le classeur. Réinstallez l'outil (make run, ou pip install -e .) et "
            "vérifiez que la variable d'environnement OPENPYXL_DEFUSEDXML n'est pas "
            "réglée sur False."
        )


def archive_problems(archive: zipfile.ZipFile, file_name: str) -> list[Problem]:
    """What is wrong with the sizes an archive declares, judged before reading it.

    Declared sizes can be trusted as bounds: zipfile never returns more bytes
    than an entry declares (it fails on the CRC check instead).
    """
    entries = archive.infolist()
    if len(entries) > MAX_PARTS:
        return [Problem(
            "too-many-parts", file_name, f"{len(entries)} parties",
            f"au plus {MAX_PARTS} parties",
            "classeur refusé : il contient un nombre anormal de parties internes",
        )]
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNCOMPRESSED_BYTES:
        return [Problem(
            "archive-too-large", file_name, f"{_mib(total)} une fois décompressé",
            f"au plus {MAX_UNCOMPRESSED_BYTES // MIB} Mio",
            f"classeur refusé : une fois décompressé, il occuperait {_mib(total)} ; "
            + BOMB_HINT,
        )]
    return list(_part_problems(entries, file_name))


def _part_problems(entries: Iterable[zipfile.ZipInfo], file_name: str) -> Iterable[Problem]:
    for entry in entries:
        if entry.file_size > MAX_WHOLE_PART_BYTES and not entry.filename.startswith(
            STREAMED_PREFIX
        ):
            yield Problem(
                "part-too-large", file_name, f"{entry.filename} : {_mib(entry.file_size)}",
                f"au plus {MAX_WHOLE_PART_BYTES // MIB} Mio pour cette partie",
                f"classeur refusé : la partie interne « {entry.filename} » est anormalement "
                "volumineuse",
            )
        elif entry.file_size >= RATIO_CHECKED_FROM:
            ratio = entry.file_size / max(entry.compress_size, 1)
            if ratio > MAX_RATIO:
                yield Problem(
                    "compression-ratio", file_name,
                    f"{entry.filename} : comprimée {french.number(ratio, 0)} fois",
                    f"au plus {MAX_RATIO} fois",
                    f"classeur refusé : la partie interne « {entry.filename} » est comprimée "
                    f"à l'excès ; {BOMB_HINT}",
                )


def _mib(size: int) -> str:
    return french.file_size(size)
