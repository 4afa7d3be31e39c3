"""Turn any text into a worksheet name Excel accepts, unique in the workbook. Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_LENGTH = 31  # Excel's limit, counted in UTF-16 units.
FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
# Excel keeps this name for its change-tracking sheet.
RESERVED = frozenset({"history"})
FALLBACK = "Feuille"


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def truncate(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` UTF-16 units, never splitting a character."""
    while utf16_length(text) > limit:
        text = text[:-1]
    return text


def clean(text: str, limit: int = MAX_LENGTH) -> str:
    """``text`` without forbidden characters, edge apostrophes or extra spaces."""
    text = " ".join(FORBIDDEN.sub(" ", text).split())
    text = truncate(text.strip("'").strip(), limit).rstrip()
    # Truncation can leave an apostrophe (or a space before one) at the end.
    return text.rstrip("' ").lstrip("' ")


def sheet_name(candidate: str, taken: Iterable[str]) -> str:
    """A valid name close to ``candidate`` that differs, ignoring case, from ``taken``.

    Duplicates get `` (2)``, `` (3)``… with the text shortened to make room.
    """
    return _free_name(candidate, {name.casefold() for name in taken} | RESERVED)


def _free_name(candidate: str, used: set[str]) -> str:
    """``sheet_name`` against ``used``, names already casefolded."""
    base = clean(candidate) or FALLBACK
    if base.casefold() not in used:
        return base
    counter = 2
    while True:
        suffix = f" ({counter})"
        name = clean(base, MAX_LENGTH - len(suffix)) + suffix
        if name.casefold() not in used:
            return name
        counter += 1


def sheet_names(candidates: Iterable[str], taken: Iterable[str] = ()) -> list[str]:
    """Valid, unique names for each candidate in order, avoiding ``taken`` too."""
    # One set kept up to date: a thousand missions cost a thousand look-ups, not a
    # million (the set was rebuilt for each name).
    used = {name.casefold() for name in taken} | RESERVED
    names = []
    for candidate in candidates:
        name = _free_name(candidate, used)
        used.add(name.casefold())
        names.append(name)
    return names
