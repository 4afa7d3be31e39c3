"""Every French rendering of the tool: dates, numbers, percentages, plurals, counts. Pure.

One home, so that the workbook, the email, the console and ``archive list``
never write the same figure two ways. Percentages are rounded by one rule,
the one Excel applies to the workbook's ``0.0 %`` cells (see ``rounded``).
Standard library only: the builder, the archive and the mailing package all
use it, and none of them should load a spreadsheet library for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import (
        NoProjection,
        Projection,
        ProjectionRule,
        Report,
        Revision,
        Status,
        Weather,
        WeatherFlag,
    )

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)
DASH = "—"
# French typography: a no-break space before "%" and between a number and its
# unit, so that a line never breaks inside "85 %"; a narrow one between
# thousands (12 345); a real minus sign in signed figures.
NBSP = "\u00a0"
NNBSP = "\u202f"
MINUS = "\u2212"
# Digits Excel keeps of a number when it shows it.
EXCEL_DIGITS = 15
MIB = 1024 * 1024


# --- dates ---------------------------------------------------------------------------

def long_date(day: date) -> str:
    """``1er juin 2020``: the first of the month is an ordinal in French."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: date | None) -> str:
    """``01/06/2020``, or a dash when there is no date."""
    return DASH if day is None else f"{day:%d/%m/%Y}"


# --- numbers -------------------------------------------------------------------------

def rounded(value: float, decimals: int) -> Decimal:
    """``value`` rounded to ``decimals`` places as Excel shows it in a cell.

    Excel reads a number to 15 significant digits, then rounds halves away
    from zero: 0.6025 is stored as 0.60249999999999992…, yet a ``0.0 %``
    cell shows 60.3 %. Python's ``round`` works on the binary value and gives
    60.2: the email and the workbook disagreed until both used this rule.
    """
    exact = Decimal(f"{value:.{EXCEL_DIGITS}g}")
    result = exact.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    return result + 0  # -0.0 is 0


def number(value: float, decimals: int = 6, keep_zeros: bool = False) -> str:
    """``5``, ``2,5`` (trailing zeros dropped), or ``2,50`` with ``keep_zeros``."""
    text = f"{rounded(value, decimals):f}"
    if not keep_zeros and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def integer(value: int) -> str:
    """``12 345``: thousands apart by a narrow no-break space."""
    return f"{value:_}".replace("_", NNBSP)


def percent(fraction: float | None, decimals: int = 1, keep_zeros: bool = False) -> str:
    """``85 %``, ``87,5 %`` (``85,0 %`` with ``keep_zeros``), or a dash for no figure.

    One decimal by default, as the workbook's ``0.0 %`` cells, rounded by the
    same rule (``rounded``).
    """
    if fraction is None:
        return DASH
    return f"{number(fraction * 100, decimals, keep_zeros)}{NBSP}%"


def signed_points(points: float | None) -> str:
    """``+2``, ``−11``, ``0``: a gap as shown in a column headed in points (one decimal)."""
    if points is None:
        return DASH
    text = number(abs(points), 1)
    if text == "0":
        return text
    return ("+" if points > 0 else MINUS) + text


def points(value: float, signed: bool = False) -> str:
    """``5 points``, ``1,5 point``, ``−12 points`` with ``signed``.

    French keeps the singular below two.
    """
    shown = signed_points(value) if signed else number(value, 1)
    unit = "point" if abs(rounded(value, 1)) < 2 else "points"
    return f"{shown}{NBSP}{unit}"


def file_size(size: int) -> str:
    """``12,5 Mio``: a size in mebibytes, as the limits are stated."""
    return f"{number(size / MIB, 1, keep_zeros=True)} Mio"


# --- words ---------------------------------------------------------------------------

def plural(amount: float | Decimal, singular: str, plural_form: str | None = None) -> str:
    """The word for ``amount`` things: French puts 0 and 1 (and 1,5) in the singular."""
    if abs(float(amount)) < 2:
        return singular
    return plural_form if plural_form is not None else singular + "s"


def count(value: int, singular: str, plural_form: str | None = None) -> str:
    """``1 problème``, ``3 problèmes``, ``0 problème``."""
    return f"{integer(value)} {plural(value, singular, plural_form)}"


def listing(items: Sequence[str]) -> str:
    """``3``, ``3 et 5``, ``3, 5 et 7``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} et {items[-1]}"


def capitalised(text: str) -> str:
    """The sentence with its first letter in upper case (the rest kept)."""
    return text[:1].upper() + text[1:]


def uncapitalised(text: str) -> str:
    """A sentence made to continue another one: its first letter in lower case."""
    return text[:1].lower() + text[1:]


# --- statuses ------------------------------------------------------------------------

def _status_words() -> dict[Status, tuple[str, str]]:
    from .model import Status

    return {
        Status.CONFORME: ("conforme", "conformes"),
        Status.VIGILANCE: ("en vigilance", "en vigilance"),
        Status.ALERTE: ("en alerte", "en alerte"),
        Status.NON_RENSEIGNE: ("non renseignée", "non renseignées"),
        Status.SANS_CIBLE: ("sans cible", "sans cible"),
    }


def status_counts(counts: Iterable[tuple[Status, int]]) -> str:
    """``5 conformes, 2 en vigilance, 1 en alerte`` (statuses with no mission left out)."""
    words = _status_words()
    return ", ".join(f"{n} {plural(n, *words[status])}" for status, n in counts if n)


def summary_line(report: Report) -> str:
    """``8 missions : 5 conformes, 2 en vigilance, 1 en alerte``."""
    return f"{count(len(report.missions), 'mission')} : {status_counts(report.status_counts)}"


# --- plan revisions ------------------------------------------------------------------

def revision_text(revision: Revision) -> str:
    """``M7, 01/09/2020 : cible 80 % → 70 %``: one change of the plan, as a line."""
    from .model import RevisionKind

    kind = revision.kind
    mission = f"mission n° {revision.mission}"
    reason = f" (motif : {revision.reason})" if revision.reason else ""
    if kind is RevisionKind.NEW_PLAN:
        return f"nouveau plan : « {revision.after} » (précédemment « {revision.before} »)"
    if kind is RevisionKind.PLAN_RETITLED:
        return f"titre du plan : « {revision.before} » → « {revision.after} »"
    if kind is RevisionKind.MISSION_ADDED:
        return f"{mission} ajoutée : « {revision.after} »{reason}"
    if kind is RevisionKind.MISSION_REMOVED:
        return f"{mission} retirée : « {revision.before} »"
    if kind is RevisionKind.MISSION_RETITLED:
        return f"{mission} renommée : « {revision.before} » → « {revision.after} »"
    if kind is RevisionKind.MILESTONE_ADDED:
        return f"échéance du {short_date(revision.on)} ajoutée"
    if kind is RevisionKind.MILESTONE_REMOVED:
        return f"échéance du {short_date(revision.on)} retirée"
    if kind is RevisionKind.MILESTONE_MOVED:
        return (f"échéance du {short_date(revision.on)} déplacée au "
                f"{short_date(revision.moved_to)}")
    before, after = (float(v) if isinstance(v, int | float) and not isinstance(v, bool)
                     else None for v in (revision.before, revision.after))
    return (f"M{revision.mission}, {short_date(revision.on)} : cible {percent(before)} → "
            f"{percent(after)}{reason}")


def revisions_heading(count_: int, since: date) -> str:
    """The line above a plan's revisions, on the console and in the workbook."""
    return (f"Le plan a été révisé depuis le comité du {long_date(since)} "
            f"({count(count_, 'révision')}) :")


# --- projections ---------------------------------------------------------------------

def pace(points_per_month: float | None, signed: bool = True) -> str:
    """``+13 pts/mois``, ``4,3 pts/mois``: a pace, one decimal; a dash for none."""
    if points_per_month is None:
        return DASH
    shown = signed_points(points_per_month) if signed else number(points_per_month, 1)
    return f"{shown}{NBSP}pts/mois"


def trajectory_counts(report: Report) -> str:
    """``Trajectoires : 7 en bonne voie, 1 hors trajectoire`` (none left out but zeros)."""
    from .model import Trajectory

    words = {
        Trajectory.EN_BONNE_VOIE: ("en bonne voie", "en bonne voie"),
        Trajectory.A_SURVEILLER: ("à surveiller", "à surveiller"),
        Trajectory.HORS_TRAJECTOIRE: ("hors trajectoire", "hors trajectoire"),
        Trajectory.NON_PROJETABLE: ("non projetable", "non projetables"),
    }
    counts = [(t, report.count_trajectory(t)) for t in Trajectory]
    return "Trajectoires : " + ", ".join(f"{n} {plural(n, *words[t])}" for t, n in counts if n)


def no_projection_reason(reason: NoProjection, rule: ProjectionRule) -> str:
    """Why a mission has no projection, as a phrase (``moins de 2 taux sur les 90 derniers
    jours``)."""
    from .model import NoProjection

    if reason is NoProjection.NO_RATE:
        return "aucun taux saisi"
    if reason is NoProjection.TOO_FEW:
        return f"moins de {rule.min_measurements} taux sur les {rule.window_days} derniers jours"
    if reason is NoProjection.TOO_SHORT:
        return (f"taux des {rule.window_days} derniers jours étalés sur moins de "
                f"{rule.min_span_days} jours")
    if reason is NoProjection.NO_MILESTONE:
        return "aucune échéance"
    return "dernière échéance atteinte ou passée"


def pace_rule(rule: ProjectionRule) -> str:
    """The pace rule in a sentence, for the workbook, the email and the README."""
    return (f"pente (moindres carrés) des taux des {rule.window_days} jours précédant le "
            f"comité, s'il y en a au moins {rule.min_measurements} étalés sur "
            f"{rule.min_span_days} jours ou plus")


def trajectory_rule(tolerance_points: float) -> str:
    """How the trajectory is read from the projection at the final échéance."""
    return (f"En bonne voie si la projection atteint la cible finale, À surveiller si elle "
            f"en reste à {points(tolerance_points)} ou moins, Hors trajectoire au-delà, "
            "Non projetable sans rythme ou une fois la dernière échéance atteinte")


def projected_phrase(projection: Projection) -> str:
    """``78 % projetés au 1er septembre 2020 pour une cible de 100 %``."""
    assert projection.final_due is not None
    return (f"{percent(projection.at_final)} projetés au {long_date(projection.final_due)} "
            f"pour une cible de {percent(projection.final_target)}")


def projection_sentence(number_: int, projection: Projection) -> str:
    """``la mission 3 est hors trajectoire : 78 % projetés au 1er septembre 2020 pour une
    cible de 100 %``."""
    return f"la mission {number_} est hors trajectoire : {projected_phrase(projection)}"


# --- the pilot's weather ------------------------------------------------------------

WEATHER_MISSING = "Non renseignée"


def weather_symbols() -> dict[Weather, str]:
    """The symbol shown beside each weather word. Sun, cloud, two clouds, lightning:
    symbols the usual fonts carry (Segoe UI Symbol under Excel, DejaVu under
    LibreOffice), where « sun behind cloud » and « storm » are not."""
    from .model import Weather

    return {Weather.SOLEIL: "☀", Weather.NUAGEUX: "☁", Weather.COUVERT: "☁☁",
            Weather.ORAGE: "⚡"}


def weather(value: Weather | None) -> str:
    """``☀ Soleil``, or ``Non renseignée`` (never a default weather)."""
    return WEATHER_MISSING if value is None else f"{weather_symbols()[value]} {value.value}"


def weather_flag(flag: WeatherFlag) -> str:
    """``optimiste`` (sun while off trajectory) or ``pessimiste`` (storm while on track)."""
    from .model import WeatherFlag

    return "optimiste" if flag is WeatherFlag.OPTIMISTIC else "pessimiste"
