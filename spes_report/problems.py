"""Problems found in the user's files, kept as data and reported together."""

from __future__ import annotations

from dataclasses import dataclass


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
    """A cell value as quoted in a message: short, on one line."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
