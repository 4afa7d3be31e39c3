"""Pure readers for what people type in spreadsheets: French rates, dates, headers."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from . import french
from .french import MONTHS
from .model import Weather

_MONTH_NUMBERS = {
    **{unicodedata.normalize("NFKD", m).encode("ascii", "ignore").decode(): i
       for i, m in enumerate(MONTHS, start=1)},
    "fevr": 2, "fev": 2, "janv": 1, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11,
    "dec": 12,
}
# Spaces people paste from Word or the web: no-break, narrow no-break, thin.
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")


def fold(text: str) -> str:
    """Lower case, no accents, single spaces: for comparing what people type."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", bare).strip().casefold()


# Header spellings accepted for each column, compared after fold() and with
# punctuation other than letters and digits removed.
_HEADER_KEYS = {
    "number": ("n", "no", "n o", "num", "numero", "n mission", "numero de mission", "mission n"),
    "mission": ("mission", "missions", "intitule", "intitule de la mission", "libelle"),
    "comment": ("commentaire", "commentaires"),
    "attention": ("points d attention", "point d attention", "points de vigilance"),
    "next_steps": ("prochaines etapes", "prochaine etape", "etapes suivantes"),
    "weather": ("meteo", "meteo du pilote", "meteo declaree", "meteo de la mission"),
    "committee_date": ("date du comite", "date du copil", "date du comite de pilotage",
                       "comite du", "date de comite"),
}


def header_key(text: str) -> str | None:
    """The column a header names (``number``, ``mission``...), or None."""
    # "°" and "º" are not letters: folding "N°" leaves "n".
    words = re.sub(r"[^0-9a-z]+", " ", fold(text)).strip()
    for key, spellings in _HEADER_KEYS.items():
        if words in spellings:
            return key
    return None


@dataclass(frozen=True)
class Unreadable:
    """Why a value could not be read; ``expected`` says what would have been."""

    code: str
    message: str
    expected: str


RATE_EXPECTED = "un taux entre 0 % et 100 % (ex. 75 %, 75 ou 0,75)"
_PERCENT_TEXT = re.compile(r"^([+-]?\d+(?:[.,]\d+)?)\s*%$")
_NUMBER_TEXT = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def parse_rate(value: object, percent_format: bool = False) -> float | Unreadable | None:
    """A completion rate as a fraction (0.75), None for an empty cell.

    The rule, so that 0.75 and 75 both mean 75 %:
    - a percent-formatted cell, or text ending in %, is read as shown
      (0.75 shown as 75 %, the text "75 %");
    - any other number above 1 is a percentage (75 means 75 %);
    - any other number from 0 to 1 is a fraction (0.75 means 75 %, 1 means 100 %),
      so 1 % must be typed "1 %".
    """
    if value is None:
        return None
    if isinstance(value, bool | datetime | date):
        return Unreadable("rate-not-a-number", "ce n'est pas un taux", RATE_EXPECTED)
    if isinstance(value, int | float):
        number, shown_as_percent = float(value), percent_format
    elif isinstance(value, str):
        text = _SPACES.sub(" ", value).strip()
        if not text:
            return None
        if match := _PERCENT_TEXT.match(text):
            number, shown_as_percent = float(match.group(1).replace(",", ".")) / 100, True
        elif _NUMBER_TEXT.match(text):
            number, shown_as_percent = float(text.replace(",", ".")), False
        else:
            return Unreadable("rate-not-a-number", "ce texte n'est pas un taux", RATE_EXPECTED)
    else:
        return Unreadable("rate-not-a-number", "ce n'est pas un taux", RATE_EXPECTED)
    if number != number or number in (float("inf"), float("-inf")):
        return Unreadable("rate-not-a-number", "ce n'est pas un taux", RATE_EXPECTED)
    if (shown_as_percent and not isinstance(value, str) and 1 < number <= 100
            and number.is_integer()):
        # 80 typed into a cell already formatted as a percentage, or formatted after:
        # Excel shows 8000 %. Said as the person sees it, with what to type instead.
        # (1.2 shown as 120 % is a rate over 100 %: the range message below says so.)
        return Unreadable(
            "rate-percent-cell-over-100",
            f"la cellule affiche {french.integer(round(number * 100))} % : elle contient le "
            f"nombre {french.number(number)} au format pourcentage ; tapez "
            f"« {french.number(number)} % » ou « {french.number(number / 100)} »",
            f"{french.number(number)} % (ou {french.number(number / 100)})")
    rate = number if shown_as_percent or number <= 1 else number / 100
    if not 0 <= rate <= 1:
        return Unreadable("rate-out-of-range", "le taux doit être compris entre 0 % et 100 %",
                          RATE_EXPECTED)
    return rate


DATE_EXPECTED = "une date (ex. 01/06/2020 ou 1er juin 2020)"
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]00:00(?::00)?)?$")
_LONG_DATE = re.compile(r"^(?:[a-z]+ )?(\d{1,2})(?: ?er)? ([a-z]+)\.? (\d{4})$")


def parse_date(value: object) -> date | Unreadable | None:
    """A date from a date cell or from text such as 01/06/2020 or 1er juin 2020."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return Unreadable("date-unreadable", "ce n'est pas une date", DATE_EXPECTED)
    text = fold(value)
    if not text:
        return None
    parts: tuple[int, int, int] | None = None
    if match := _NUMERIC_DATE.match(text):
        day, month, year = (int(g) for g in match.groups())
        parts = (year + 2000 if year < 100 else year, month, day)
    elif match := _ISO_DATE.match(text):
        parts = (int(match.group(1)), int(match.group(2)), int(match.group(3)))
    elif (match := _LONG_DATE.match(text)) and match.group(2) in _MONTH_NUMBERS:
        parts = (int(match.group(3)), _MONTH_NUMBERS[match.group(2)], int(match.group(1)))
    if parts is None:
        return Unreadable("date-unreadable", "ce texte n'est pas une date", DATE_EXPECTED)
    try:
        return date(*parts)
    except ValueError:
        return Unreadable("date-unreadable", "cette date n'existe pas", DATE_EXPECTED)


WEATHER_EXPECTED = "Soleil, Nuageux, Couvert ou Orage (ou vide)"
# The words, and the symbols the workbook shows beside them, pasted back.
_WEATHER_WORDS = {fold(w.value): w for w in Weather} | {
    symbol: w for w, symbol in french.weather_symbols().items()}
# « ☁ ☁ » is the two clouds of « Couvert », however spaced.
_SPACED_CLOUDS = re.compile(r"☁(?:\s*☁)+")


def parse_weather(value: object) -> Weather | Unreadable | None:
    """A weather from the drop-down's words (any case or accents), its symbol, or both
    (``☀ Soleil``, as the workbook shows it); None for an empty cell."""
    if value is None:
        return None
    if not isinstance(value, str):
        return Unreadable("weather-unreadable", "ce n'est pas une météo", WEATHER_EXPECTED)
    text = _SPACED_CLOUDS.sub("☁☁", fold(value.replace("\ufe0f", "")))
    words = {_WEATHER_WORDS.get(part) for part in text.split()}
    if not words:
        return None
    if len(words) == 1 and None not in words:
        return words.pop()
    return Unreadable("weather-unreadable", "météo inconnue", WEATHER_EXPECTED)


def looks_like_date_attempt(text: str) -> bool:
    """A header that was probably meant as a date (digits or a month name)."""
    folded = fold(text)
    return any(c.isdigit() for c in folded) or any(
        re.search(rf"\b{month}\b", folded) for month in _MONTH_NUMBERS
    )
