"""Say what the user gave us, from its path and first bytes, so a wrong file is named plainly."""

from __future__ import annotations

import enum
import io
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from . import french
from .problems import InputError, Problem
from .safety import MAX_FILE_BYTES, MIB

EXPECTED = "un classeur Excel (.xlsx)"
SAVE_AS_XLSX = (
    "ouvrez-le dans Excel ou LibreOffice et enregistrez-le au format "
    "« Classeur Excel (.xlsx) »"
)
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
SNIFFED_BYTES = 64 * 1024


@dataclass(frozen=True)
class Role:
    """What a workbook is for, so that a refusal names the file the user meant to give."""

    # "le fichier de saisie", "le plan"
    name: str
    # A path to give instead: "inputs/input.xlsx"
    example: str
    # The command that writes a fresh one.
    maker: str


INPUT_ROLE = Role("le fichier de saisie", "inputs/input.xlsx", "spes-report init")
PLAN_ROLE = Role("le plan", "plan.xlsx", "spes-report plan init")


class Kind(enum.Enum):
    """What a file really is, whatever its name says."""

    XLSX = "xlsx"
    EMPTY = "empty"
    TEXT = "text"
    HTML = "html"
    PDF = "pdf"
    LEGACY_XLS = "xls"
    ENCRYPTED = "encrypted"
    OTHER_OLE = "ole"
    ODS = "ods"
    OTHER_OPENDOCUMENT = "opendocument"
    XLSB = "xlsb"
    OTHER_OFFICE = "office"
    ZIP = "zip"
    DAMAGED_ZIP = "damaged-zip"
    UNKNOWN = "unknown"


def read_input(path: Path, role: Role = INPUT_ROLE) -> bytes:
    """The bytes of ``path``, or InputError naming what stands in the way.

    Lock files are refused by name before reading: Excel keeps them locked
    and their content means nothing to the user.
    """
    where = str(path)
    if is_lock_file(path):
        raise InputError([_lock_file_problem(path.name, role)])
    try:
        status = path.stat()
    except FileNotFoundError:
        raise _single("file-missing", where,
                      "fichier introuvable : ce fichier n'existe pas à cet endroit ; "
                      "vérifiez son nom et son dossier") from None
    except PermissionError:
        raise _unreadable(where) from None
    if path.is_dir():
        raise _single("file-is-folder", where,
                      f"c'est un dossier, pas un fichier : indiquez {role.name} "
                      f"qu'il contient (par exemple {role.example})")
    if not stat.S_ISREG(status.st_mode):
        # A pipe or a device could block the read forever or never end.
        raise _single("not-a-regular-file", where,
                      "ce n'est pas un fichier ordinaire (périphérique ou tube)")
    size = status.st_size
    if size > MAX_FILE_BYTES:
        raise InputError([Problem(
            "file-too-large", where, french.file_size(size),
            f"au plus {MAX_FILE_BYTES // MIB} Mio",
            f"fichier trop volumineux pour {role.name} (qui pèse quelques dizaines de Ko) : "
            "vérifiez qu'il s'agit du bon fichier",
        )])
    try:
        with path.open("rb") as handle:
            # Ask for what stat() announced (read(n) reserves n bytes), then,
            # should the file have grown since, for the rest up to the limit.
            raw = handle.read(size + 1)
            if len(raw) > size:
                raw += handle.read(MAX_FILE_BYTES + 1 - len(raw))
    except PermissionError:
        raise _unreadable(where) from None
    if len(raw) > MAX_FILE_BYTES:
        raise _single("file-too-large", where, "fichier trop volumineux")
    return raw


def identify(raw: bytes) -> Kind:
    """The kind of file ``raw`` holds, judged from its signature and structure."""
    if not raw:
        return Kind.EMPTY
    if raw.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(raw)
    if raw.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _ole_kind(raw)
    if raw.startswith(b"%PDF-"):
        return Kind.PDF
    text = _as_text(raw[:SNIFFED_BYTES])
    if text is None:
        return Kind.UNKNOWN
    head = text[:2048].lstrip("\ufeff \t\r\n").lower()
    if head.startswith(("<!doctype html", "<html")) or "<table" in head:
        return Kind.HTML
    return Kind.TEXT


def refusal(kind: Kind, path: Path, role: Role = INPUT_ROLE) -> Problem | None:
    """Why a file of this kind cannot be read, or None for a workbook we read."""
    if kind is Kind.XLSX:
        return None
    renamed = path.suffix.lower() in EXCEL_SUFFIXES
    as_named = f" renommé en {path.suffix.lower()}" if renamed else ""
    messages = {
        Kind.EMPTY: ("file-empty", "fichier vide (0 octet) : il a sans doute été mal copié "
                     "ou mal enregistré"),
        Kind.TEXT: ("csv-or-text", f"fichier CSV ou texte{as_named}, pas un classeur "
                    f"Excel : {SAVE_AS_XLSX}"),
        Kind.HTML: ("html-page", f"page web (HTML){' renommée en .xlsx' if renamed else ''}, "
                    f"pas un classeur Excel : {SAVE_AS_XLSX}"),
        Kind.PDF: ("pdf-file", f"document PDF, pas un classeur Excel : utilisez {role.name} "
                   f"({role.maker} en crée un)"),
        Kind.LEGACY_XLS: ("legacy-xls", "ancien format Excel .xls : enregistrez-le au "
                          "format .xlsx (dans Excel : Fichier > Enregistrer sous > "
                          "« Classeur Excel (.xlsx) »)"),
        Kind.ENCRYPTED: ("encrypted-workbook", "classeur protégé par mot de passe : l'outil "
                         "ne peut pas le lire ; dans Excel, retirez le mot de passe (Fichier "
                         "> Informations > Protéger le classeur > Chiffrer avec mot de passe, "
                         "videz le champ) puis enregistrez"),
        Kind.OTHER_OLE: ("office-not-spreadsheet", "document Word ou PowerPoint (ancien "
                         "format), pas un classeur Excel"),
        Kind.ODS: ("ods-workbook", "classeur OpenDocument .ods (LibreOffice) : "
                   "enregistrez-le au format .xlsx (dans LibreOffice : Fichier > "
                   "Enregistrer sous > type « Excel 2007-365 (.xlsx) »)"),
        Kind.OTHER_OPENDOCUMENT: ("opendocument-not-spreadsheet", "document OpenDocument "
                                  "(texte ou présentation), pas un classeur"),
        Kind.XLSB: ("xlsb-workbook", "classeur Excel binaire .xlsb : enregistrez-le au "
                    "format .xlsx (Fichier > Enregistrer sous > « Classeur Excel (.xlsx) »)"),
        Kind.OTHER_OFFICE: ("office-not-spreadsheet", "document Word ou PowerPoint, pas un "
                            "classeur Excel"),
        Kind.ZIP: ("zip-not-workbook", "archive zip qui n'est pas un classeur Excel : "
                   f"extrayez-en {role.name}"),
        Kind.DAMAGED_ZIP: ("damaged-workbook", DAMAGED_MESSAGE),
        Kind.UNKNOWN: ("unknown-file", "fichier d'un type inconnu, ni classeur Excel ni "
                       "texte : vérifiez qu'il s'agit du bon fichier"),
    }
    code, message = messages[kind]
    return Problem(code, path.name, "", EXPECTED, message)


DAMAGED_MESSAGE = (
    "classeur Excel endommagé ou incomplet (copie ou téléchargement interrompu ?) : "
    "ouvrez-le dans Excel, qui propose de le réparer, puis enregistrez-le"
)


def damaged(path: Path) -> Problem:
    """The problem for a file that looks like a workbook but cannot be read as one."""
    return Problem("damaged-workbook", path.name, "", EXPECTED, DAMAGED_MESSAGE)


def _zip_kind(raw: bytes) -> Kind:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as handle:
                    # Read a few bytes only: the entry could be a crafted giant.
                    mimetype = handle.read(100)
                if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
                    return Kind.ODS
                if mimetype.startswith(b"application/vnd.oasis.opendocument"):
                    return Kind.OTHER_OPENDOCUMENT
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError,
            EOFError, ValueError):
        return Kind.DAMAGED_ZIP
    if "xl/workbook.bin" in names:
        return Kind.XLSB
    if any(name.startswith("xl/") for name in names):
        return Kind.XLSX
    if any(name.startswith(("word/", "ppt/")) for name in names):
        return Kind.OTHER_OFFICE
    return Kind.ZIP


def _ole_kind(raw: bytes) -> Kind:
    """Legacy Office files and encrypted .xlsx share one container (OLE2)."""
    import olefile

    try:
        ole = olefile.OleFileIO(raw)
    except Exception:
        # olefile raises several types on a damaged container.
        return Kind.OTHER_OLE
    try:
        if ole.exists("EncryptedPackage"):
            return Kind.ENCRYPTED
        if ole.exists("Workbook") or ole.exists("Book"):
            return Kind.LEGACY_XLS
        return Kind.OTHER_OLE
    finally:
        ole.close()


def _as_text(head: bytes) -> str | None:
    """``head`` decoded when it reads as text (UTF-8, UTF-16 with BOM, or Windows-1252)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    try:
        # The sample may end in the middle of a character.
        return head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(head) - 3 and error.reason == "unexpected end of data":
            return head[: error.start].decode("utf-8")
    controls = set(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D}
    if any(byte in controls for byte in head) or b"\x7f" in head:
        return None
    return head.decode("cp1252", errors="replace")


def _lock_file_problem(name: str, role: Role) -> Problem:
    if name.startswith("~$"):
        message = ("fichier de verrouillage d'Excel (~$…) : Excel le crée tant qu'un classeur "
                   f"est ouvert, ce n'est pas {role.name} ; indiquez le classeur "
                   "lui-même (son nom ne commence pas par « ~$ »)")
        return Problem("excel-lock-file", name, "", EXPECTED, message)
    message = ("fichier de verrouillage de LibreOffice (.~lock.…#) : LibreOffice le crée tant "
               f"qu'un classeur est ouvert, ce n'est pas {role.name} ; indiquez le "
               "classeur lui-même")
    return Problem("libreoffice-lock-file", name, "", EXPECTED, message)


def is_lock_file(path: Path) -> bool:
    """True for the files Excel (``~$input.xlsx``) and LibreOffice
    (``.~lock.input.xlsx#``) put beside a workbook while it is open."""
    name = path.name
    return name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#"))


def _single(code: str, where: str, message: str) -> InputError:
    return InputError([Problem(code, where, "", EXPECTED, message)])


def _unreadable(where: str) -> InputError:
    return _single("file-unreadable", where,
                   "lecture refusée (droits) : le système ne permet pas de lire ce fichier ; "
                   "demandez l'accès, ou copiez-le dans un de vos dossiers")

