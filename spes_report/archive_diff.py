"""What differs between a month's archived snapshot and a new build of it, in French.

Told to the user when the archive refuses the new build, so that a refusal
always says why: another input, tolerance, date, tool version or mission
definitions, an earlier month replaced since (the history), or the figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .french import long_date as french_long_date
from .french import number as french_number


@dataclass(frozen=True)
class Differences:
    # One French phrase per thing that differs, most likely cause first.
    items: tuple[str, ...]
    # The earlier committees differ: an earlier month was replaced (or archived) since.
    history: bool


def differences(archived: Mapping[str, Any], new: Mapping[str, Any]) -> Differences:
    """Compare two manifests of the same month (both of the shape archive writes)."""
    items: list[str] = []
    if archived["report_date"] != new["report_date"]:
        items.append(f"date du comité : {_day(archived['report_date'])} dans l'archive, "
                     f"{_day(new['report_date'])} maintenant")
    items.extend(_input(archived["input"], new["input"]))
    if archived["tolerance_points"] != new["tolerance_points"]:
        items.append(f"tolérance : {_points(archived['tolerance_points'])} dans l'archive, "
                     f"{_points(new['tolerance_points'])} maintenant")
    if archived["tool_version"] != new["tool_version"]:
        items.append(f"version de l'outil : {archived['tool_version']} dans l'archive, "
                     f"{new['tool_version']} maintenant")
    if archived["definitions_sha256"] != new["definitions_sha256"]:
        items.append("définitions des missions (cibles, textes) modifiées depuis l'archivage")
    history = _history(archived["history"], new["history"])
    if history:
        items.append("historique des comités précédents : " + " ; ".join(history))
    if archived["measurements"] != new["measurements"]:
        items.append("taux saisis : " + _rates(archived["measurements"], new["measurements"]))
    figures = _figures(archived["summary"], new["summary"])
    if figures:
        items.append(figures)
    if not items and archived != new:
        items.append("classeur différent avec la même saisie et les mêmes réglages : cause "
                     "inconnue, à signaler à l'équipe qui maintient l'outil")
    return Differences(tuple(items), bool(history))


def _day(iso: str) -> str:
    return french_long_date(date.fromisoformat(iso))


def _points(value: float) -> str:
    return f"{french_number(value)} point{'s' if abs(value) >= 2 else ''}"


def _input(archived: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    same_name = archived["name"] == new["name"]
    same_content = archived["sha256"] == new["sha256"]
    if same_name and same_content:
        return []
    if same_content:
        return [f"nom du fichier de saisie : {archived['name']} dans l'archive, "
                f"{new['name']} maintenant (même contenu)"]
    if same_name:
        return [f"fichier de saisie {new['name']} modifié depuis l'archivage"]
    return [f"fichier de saisie : {archived['name']} dans l'archive, {new['name']} "
            "maintenant (contenu différent)"]


def _history(archived: list[Mapping[str, Any]], new: list[Mapping[str, Any]]) -> list[str]:
    before = {c["report_date"]: c for c in archived}
    now = {c["report_date"]: c for c in new}
    phrases = []
    for day in sorted(before.keys() | now.keys()):
        if day not in now:
            phrases.append(f"le comité du {_day(day)} n'est plus dans l'archive")
        elif day not in before:
            phrases.append(f"le comité du {_day(day)} a été archivé depuis")
        elif before[day] != now[day]:
            phrases.append(f"le comité du {_day(day)} a été remplacé depuis (--replace)")
    return phrases


def _rates(archived: list[Mapping[str, Any]], new: list[Mapping[str, Any]]) -> str:
    before = {(m["mission"], m["date"]): m["rate"] for m in archived}
    now = {(m["mission"], m["date"]): m["rate"] for m in new}
    changed = sum(1 for key in before.keys() & now.keys() if before[key] != now[key])
    counts = [(changed, "modifiée", "modifiées"),
              (len(now.keys() - before.keys()), "ajoutée", "ajoutées"),
              (len(before.keys() - now.keys()), "effacée", "effacées")]
    parts = [f"{count} valeur{'s' if count > 1 else ''} {plural if count > 1 else singular}"
             for count, singular, plural in counts if count]
    return ", ".join(parts) or "mêmes valeurs, dans un autre ordre"


def _figures(archived: Mapping[str, Any], new: Mapping[str, Any]) -> str | None:
    """``chiffres présentés au comité : missions 3 et 5, taux moyen``, or None."""
    before = {m["number"]: m for m in archived["missions"]}
    now = {m["number"]: m for m in new["missions"]}
    numbers = sorted(n for n in before.keys() | now.keys() if before.get(n) != now.get(n))
    parts = []
    if numbers:
        listed = [str(n) for n in numbers]
        names = listed[0] if len(listed) == 1 else f"{', '.join(listed[:-1])} et {listed[-1]}"
        parts.append(f"mission{'s' if len(numbers) > 1 else ''} {names}")
    if archived["average_actual"] != new["average_actual"]:
        parts.append("taux moyen")
    if not parts:
        return None
    return "chiffres présentés au comité différents : " + ", ".join(parts)
