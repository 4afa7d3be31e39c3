"""Read a plan written in TOML: the embedded default (data/missions.toml) and ``--plan x.toml``."""

from __future__ import annotations

import tomllib
from datetime import date
from typing import Any

from .. import french
from ..problems import InputError, Problem, shown
from .checks import CheckedPlan, DraftMission, DraftTarget, finish


def read_toml(raw: bytes, name: str) -> CheckedPlan:
    """The plan in ``raw`` (a TOML file called ``name``), checked."""
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError([Problem("plan-syntax", name, "", "un fichier TOML valide",
                                  f"le plan est illisible : {exc}")]) from None
    return parse_toml_plan(data, name)


def parse_toml_plan(data: dict[str, Any], name: str) -> CheckedPlan:
    """The plan in a TOML structure: ``[document]`` then one ``[[mission]]`` each."""
    problems: list[Problem] = []
    document = data.get("document", {})
    if not isinstance(document, dict):
        document = {}
    drafts = []
    entries = data.get("mission", [])
    for index, entry in enumerate(entries if isinstance(entries, list) else [], start=1):
        if not isinstance(entry, dict):
            continue
        number = entry.get("number")
        where = f"{name} ([[mission]] n° {index})"
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            problems.append(Problem("plan-number", where, shown(number), "un entier positif",
                                    "le numéro de mission est absent ou invalide"))
            continue
        where = f"{name} (mission n° {number})"
        draft = DraftMission(
            number=number, place=where, title=_text(entry.get("title")), title_place=where,
            objective=_text(entry.get("objective")),
            description=_text(entry.get("description")),
            pilot=_text(entry.get("pilot")), pilot_email=_text(entry.get("pilot_email")),
            email_place=where, revision_reason=_text(entry.get("revision_reason")))
        seen: set[date] = set()
        for item in entry.get("milestones", []):
            due, percent = item.get("due"), item.get("target_percent")
            if not isinstance(due, date):
                problems.append(Problem("plan-date", where, shown(due), "une date AAAA-MM-JJ",
                                        "une échéance n'a pas de date valide"))
                continue
            if due in seen:
                problems.append(Problem(
                    "plan-duplicate-date", where, french.short_date(due),
                    "des dates toutes différentes",
                    f"l'échéance du {french.short_date(due)} figure deux fois"))
                continue
            seen.add(due)
            if (not isinstance(percent, int | float) or isinstance(percent, bool)
                    or not 0 <= percent <= 100):
                problems.append(Problem(
                    "plan-target", where, shown(percent), "un pourcentage de 0 à 100",
                    f"la cible de l'échéance du {french.short_date(due)} est invalide"))
                draft.refused_targets += 1
                continue
            draft.targets.append(DraftTarget(
                due, percent / 100, f"{where}, échéance du {french.short_date(due)}"))
        drafts.append(draft)
    return finish(_text(document.get("service")), _text(document.get("title")), drafts,
                  problems, name)


def _text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)
