"""Problems found in the user's files, kept as data and reported together."""

from __future__ import annotations

import errno
from dataclasses import dataclass
from datetime import date, datetime, time


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an input, as the user can find and fix it.

    ``code`` is stable (tests and tools rely on it); ``place`` is a spreadsheet
    address such as ``Saisie!D5`` or a file name; ``message`` is French.
    """

    code: str
    place: str
    value: str
    expected: str
    message: str

    def __str__(self) -> str:
        text = f"{self.place} : {self.message}"
        if self.value:
            text += f" (valeur trouvée : {self.value}"
            text += f" ; attendu : {self.expected})" if self.expected else ")"
        elif self.expected:
            text += f" (attendu : {self.expected})"
        return text


class InputError(Exception):
    """The input cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ToolError(Exception):
    """A failure outside the input's content that the user can act on.

    Its text is the French message shown as is: a workbook that could not be
    written, an output already being built, a missing protection.
    """


class InstallationError(ToolError):
    """The tool's installation lacks something it relies on (not the user's input)."""


def shown(value: object, limit: int = 60) -> str:
    """A cell value as quoted in a message, as a French spreadsheet shows it: short, on
    one line; VRAI/FAUX, 01/06/2020 (10:30), 0,75."""
    text = " ".join(_as_in_a_spreadsheet(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _as_in_a_spreadsheet(value: object) -> str:
    # bool before the numbers (True is an int); datetime before date (it is one).
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, datetime):
        if value.time() == time(0):
            return f"{value:%d/%m/%Y}"
        return f"{value:%d/%m/%Y %H:%M}" + (f":{value:%S}" if value.second else "")
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, time):
        return f"{value:%H:%M}" + (f":{value:%S}" if value.second else "")
    if isinstance(value, float):
        # 15 significant digits, as Excel shows: 0.1 + 0.2 is 0,3, not 0,30000000000000004.
        return f"{value:.15g}".replace(".", ",")
    return str(value)


# What the system's error means, in French. Anything else keeps the system's own
# (English) wording, in parentheses, after a French sentence.
_OS_ERRORS = {
    errno.ENOENT: "ce fichier ou ce dossier n'existe pas",
    errno.EACCES: "accès refusé : vous n'avez pas les droits nécessaires sur ce fichier ou "
                  "ce dossier",
    errno.EPERM: "opération refusée par le système : vous n'avez pas les droits nécessaires",
    errno.EISDIR: "c'est un dossier, alors qu'un fichier est attendu",
    errno.ENOTDIR: "une partie de ce chemin est un fichier, alors qu'un dossier est attendu",
    errno.ENOSPC: "le disque est plein : libérez de la place, puis relancez la commande",
    errno.EROFS: "ce disque est en lecture seule : choisissez un autre dossier",
    errno.EEXIST: "un fichier ou un dossier de ce nom existe déjà",
    errno.ENAMETOOLONG: "le nom du fichier ou du chemin est trop long",
    errno.EMFILE: "trop de fichiers sont ouverts : fermez des programmes, puis relancez la "
                  "commande",
    errno.ENFILE: "trop de fichiers sont ouverts sur ce poste : fermez des programmes, puis "
                  "relancez la commande",
    errno.EBUSY: "ce fichier est utilisé par un autre programme : fermez-le, puis relancez la "
                 "commande",
}
if hasattr(errno, "EDQUOT"):  # not on Windows
    _OS_ERRORS[errno.EDQUOT] = ("votre quota d'espace disque est atteint : libérez de la "
                                "place, puis relancez la commande")
# Windows refuses a file that Excel has open with EACCES, as if rights were missing;
# its own code tells the two apart.
_WINDOWS_SHARING_VIOLATION = 32
_OPEN_ELSEWHERE = ("ce fichier est ouvert dans un autre programme (Excel ?) : fermez-le, "
                   "puis relancez la commande")


def disk_full(error: OSError) -> bool:
    """Whether the system refused a write for want of space (or of quota)."""
    return error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))


def os_error_text(error: OSError) -> str:
    """The French sentence for a file the system would not let us read or write."""
    names = [str(n) for n in (error.filename, error.filename2) if n is not None]
    where = f" {' → '.join(names)}" if names else ""
    if getattr(error, "winerror", None) == _WINDOWS_SHARING_VIOLATION:
        reason: str | None = _OPEN_ELSEWHERE
    else:
        reason = _OS_ERRORS.get(error.errno) if error.errno is not None else None
    if reason is None:
        reason = f"le système a refusé l'opération ({error.strerror or error})"
    return f"Erreur d'accès au fichier{where} : {reason}"
