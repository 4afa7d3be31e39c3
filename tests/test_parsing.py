"""Table tests for what people type: rates, dates and header spellings."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from spes_report.model import Weather
from spes_report.parsing import Unreadable, header_key, parse_date, parse_rate, parse_weather


@pytest.mark.parametrize(
    ("value", "percent_format", "expected"),
    [
        (0.75, True, 0.75),  # percent-formatted fraction, as Excel stores "75 %"
        (0.755, True, 0.755),
        (75, False, 0.75),  # plain number above 1: a percentage
        (75.5, False, 0.755),
        (0.75, False, 0.75),  # plain number from 0 to 1: a fraction
        (1, False, 1.0),
        (0, False, 0.0),
        (1, True, 1.0),
        ("75 %", False, 0.75),
        ("75%", False, 0.75),
        ("75,5 %", False, 0.755),
        ("75.5 %", False, 0.755),
        ("75\u00a0%", False, 0.75),  # no-break space
        ("75\u202f%", False, 0.75),  # narrow no-break space
        ("  75  ", False, 0.75),
        ("0,75", False, 0.75),
        ("1 %", False, 0.01),
        ("100 %", False, 1.0),
        (None, False, None),
        ("", False, None),
        ("   ", False, None),
    ],
)
def test_accepted_rates(value: object, percent_format: bool, expected: float | None) -> None:
    result = parse_rate(value, percent_format)
    assert result == pytest.approx(expected) if expected is not None else result is None


@pytest.mark.parametrize(
    ("value", "percent_format", "code"),
    [
        (120, False, "rate-out-of-range"),
        (75, True, "rate-percent-cell-over-100"),  # 75 in a percent cell shows 7500 %
        (150, True, "rate-out-of-range"),  # 15000 %: no rate meant, just out of range
        (1.2, True, "rate-out-of-range"),  # 120 % typed as such: over 100 %, not « type 1,2 % »
        (-5, False, "rate-out-of-range"),
        ("-5 %", False, "rate-out-of-range"),
        ("101 %", False, "rate-out-of-range"),
        ("en cours", False, "rate-not-a-number"),
        ("75 % environ", False, "rate-not-a-number"),
        ("#DIV/0!", False, "rate-not-a-number"),
        (True, False, "rate-not-a-number"),
        (datetime(2020, 6, 1), False, "rate-not-a-number"),
        (float("nan"), False, "rate-not-a-number"),
    ],
)
def test_refused_rates(value: object, percent_format: bool, code: str) -> None:
    result = parse_rate(value, percent_format)
    assert isinstance(result, Unreadable)
    assert result.code == code


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2020, 6, 1), date(2020, 6, 1)),
        (date(2020, 6, 1), date(2020, 6, 1)),
        ("01/06/2020", date(2020, 6, 1)),
        ("1/6/2020", date(2020, 6, 1)),
        ("01/06/20", date(2020, 6, 1)),
        ("01.06.2020", date(2020, 6, 1)),
        ("2020-06-01", date(2020, 6, 1)),
        ("1er juin 2020", date(2020, 6, 1)),
        ("1 juin 2020", date(2020, 6, 1)),
        ("1ᵉʳ juin 2020", date(2020, 6, 1)),
        ("11 mai 2020", date(2020, 5, 11)),
        ("1er septembre 2020", date(2020, 9, 1)),
        ("1er août 2020", date(2020, 8, 1)),
        ("1er aout 2020", date(2020, 8, 1)),
        ("15 FÉVRIER 2021", date(2021, 2, 15)),
        ("lundi 1er juin 2020", date(2020, 6, 1)),
        (None, None),
        ("", None),
    ],
)
def test_accepted_dates(value: object, expected: date | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["31/02/2020", "1er juinn 2020", "juin", "2020", 12.5, True])
def test_refused_dates(value: object) -> None:
    assert isinstance(parse_date(value), Unreadable)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("N°", "number"), ("n°", "number"), ("No", "number"), ("Numéro", "number"),
        ("NUMERO", "number"), (" N º ", "number"), ("n°\u00a0", "number"),
        ("Mission", "mission"), ("  MISSIONS ", "mission"),
        ("Commentaire", "comment"), ("commentaires", "comment"),
        ("Points d'attention", "attention"), ("Points d’attention", "attention"),
        ("POINTS  D'ATTENTION", "attention"),
        ("Prochaines étapes", "next_steps"), ("prochaines etapes", "next_steps"),
        ("Date du comité", "committee_date"), ("Date du comité :", "committee_date"),
        ("Observations", None), ("01/06/2020", None),
    ],
)
def test_header_spellings(text: str, key: str | None) -> None:
    assert header_key(text) == key


def test_a_number_in_a_percent_cell_is_explained_as_excel_shows_it() -> None:
    """80 typed into a cell formatted as a percentage: Excel shows 8000 %."""
    result = parse_rate(80, True)
    assert isinstance(result, Unreadable)
    assert result.message == ("la cellule affiche 8\u202f000 % : elle contient le nombre 80 au "
                              "format pourcentage ; tapez « 80 % » ou « 0,8 »")
    assert result.expected == "80 % (ou 0,8)"


@pytest.mark.parametrize(
    ("value", "weather"),
    [
        ("Soleil", Weather.SOLEIL),
        ("  nuageux ", Weather.NUAGEUX),
        ("COUVERT", Weather.COUVERT),
        ("Orage", Weather.ORAGE),
        # As the workbook shows it, pasted back: symbol and word, or the symbol alone.
        ("☀ Soleil", Weather.SOLEIL),
        ("☁☁", Weather.COUVERT),
        ("☁ ☁ Couvert", Weather.COUVERT),
        ("☁ Nuageux", Weather.NUAGEUX),
        ("⚡\ufe0f Orage", Weather.ORAGE),
        (None, None),
        ("  ", None),
    ],
)
def test_weather_words_and_symbols(value: object, weather: Weather | None) -> None:
    assert parse_weather(value) is weather


@pytest.mark.parametrize("value", ["Beau", "☀ Orage", "Soleil couchant", 3, 0.5])
def test_an_unknown_weather_is_unreadable(value: object) -> None:
    result = parse_weather(value)
    assert isinstance(result, Unreadable)
    assert result.code == "weather-unreadable"
    assert result.expected == "Soleil, Nuageux, Couvert ou Orage (ou vide)"
