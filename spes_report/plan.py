"""Load and check the mission plan (the embedded TOML by default)."""

from __future__ import annotations

import tomllib
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from . import french
from .model import Milestone, Mission, Plan
from .problems import InputError, Problem, shown

EMBEDDED_NAME = "missions.toml"
# A plain path rather than importlib.resources: the package is always installed
# as files, and the lighter import keeps the command quick to start.
EMBEDDED_PATH = Path(__file__).parent / "data" / EMBEDDED_NAME


@cache
def embedded_plan_bytes() -> bytes:
    """The raw bytes of the embedded plan (hashed in the archive manifest)."""
    return EMBEDDED_PATH.read_bytes()


def load_plan(path: Path | None = None) -> Plan:
    """Read plan from ``path``, or the ones shipped with the package."""
    if path is None:
        return _embedded_plan()
    return _parse_toml(path.read_bytes(), path.name)


@cache
def _embedded_plan() -> Plan:
    # Plan are immutable: reading and checking them once per process is enough.
    return _parse_toml(embedded_plan_bytes(), EMBEDDED_NAME)


def _parse_toml(raw: bytes, place: str) -> Plan:
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(
            [Problem("plan-syntax", place, "", "un fichier TOML valide",
                     f"le fichier des missions est illisible : {exc}")]
        ) from None
    return parse_plan(data, place)


def parse_plan(data: dict[str, Any], place: str = EMBEDDED_NAME) -> Plan:
    """Turn the TOML structure into Plan, collecting every problem."""
    problems: list[Problem] = []

    def problem(code: str, where: str, value: object, expected: str, message: str) -> None:
        problems.append(Problem(code, f"{place} ({where})", shown(value), expected, message))

    document = data.get("document", {})
    missions: list[Mission] = []
    seen: set[int] = set()
    for index, entry in enumerate(data.get("mission", []), start=1):
        where = f"mission n° {entry.get('number', index)}"
        number = entry.get("number")
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            problem("plan-number", where, number, "un entier positif",
                    "le numéro de mission est invalide")
            continue
        if number in seen:
            problem("plan-duplicate", where, number, "un numéro unique",
                    "ce numéro de mission apparaît deux fois")
            continue
        seen.add(number)
        title = entry.get("title")
        if not isinstance(title, str) or not title.strip():
            problem("plan-title", where, title or "", "un intitulé",
                    "la mission n'a pas d'intitulé")
            continue
        milestones: list[Milestone] = []
        for item in entry.get("milestones", []):
            due, percent = item.get("due"), item.get("target_percent")
            if not isinstance(due, date):
                problem("plan-date", where, due, "une date AAAA-MM-JJ",
                        "une échéance n'a pas de date valide")
                continue
            if (not isinstance(percent, int | float) or isinstance(percent, bool)
                    or not 0 <= percent <= 100):
                problem("plan-target", where, percent, "un pourcentage de 0 à 100",
                        f"la cible de l'échéance du {french.short_date(due)} est invalide")
                continue
            milestones.append(Milestone(due, percent / 100))
        dates = [m.due for m in milestones]
        if len(set(dates)) != len(dates):
            problem("plan-date", where, "", "des dates toutes différentes",
                    "deux échéances ont la même date")
            continue
        missions.append(Mission(
            number=number,
            title=" ".join(title.split()),
            objective=" ".join(str(entry.get("objective", "")).split()),
            description=" ".join(str(entry.get("description", "")).split()),
            milestones=tuple(sorted(milestones, key=lambda m: m.due)),
        ))
    if not missions and not problems:
        problem("plan-empty", "document", "", "au moins une mission",
                "aucune mission n'est définie")
    if problems:
        raise InputError(problems)
    return Plan(
        service=str(document.get("service", "SPES")),
        title=str(document.get("title", "")),
        context=tuple(str(p) for p in document.get("context", [])),
        missions=tuple(sorted(missions, key=lambda m: m.number)),
    )
