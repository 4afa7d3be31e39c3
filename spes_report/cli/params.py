"""The command line's own parameter types: a French date, a tolerance in points, a month."""

from __future__ import annotations

import re
from datetime import date

import click


class FrenchDate(click.ParamType[date, object]):
    name = "date"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        from ..parsing import parse_date

        parsed = parse_date(value)
        if not isinstance(parsed, date):
            self.fail(f"date illisible : « {value} » (exemple : 01/06/2020 ou 2020-06-01)",
                      param, ctx)
        return parsed


class Points(click.ParamType[float, object]):
    """A tolerance in points from 0 to 100, with a decimal comma or point.

    Not click.FloatRange: it lets "nan" and "inf" through (xlsxwriter then fails
    on them) and speaks of "float range" and "0<=x<=100".
    """

    name = "points"
    LIMIT = 100.0
    # Digits only: no "nan", "inf", "1e3" or "1_0", which float() would accept.
    _NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)  # the default, or a caller's own value
        else:
            text = str(value).strip()
            if not self._NUMBER.fullmatch(text):
                self.fail(f"« {value} » n'est pas un nombre de points (exemple : 5 ou 2,5)",
                          param, ctx)
            number = float(text.replace(",", ".")) + 0.0  # + 0.0: "-0" is 0, not -0
        if not 0 <= number <= self.LIMIT:  # also False for NaN
            self.fail(f"« {value} » est hors limites : la tolérance va de 0 à "
                      f"{self.LIMIT:g} points", param, ctx)
        return number


class Month(click.ParamType[str, object]):
    """A month of the archive: ``2020-06``, ``06/2020`` or a date in it."""

    name = "mois"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        from ..archive import parse_month

        month = parse_month(str(value))
        if month is None:
            self.fail(f"mois illisible : « {value} » (exemple : 2020-06 ou 06/2020)", param, ctx)
        return month
