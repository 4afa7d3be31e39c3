"""Read a plan written in TOML: the embedded default (data/missions.toml) and ``--plan x.toml``."""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime
from typing import Any

from .. import french
from ..problems import InputError, Problem, shown
from .checks import CheckedPlan, DraftMission, DraftTarget, finish

MILESTONE_EXPECTED = "{ due = 2020-09-01, target_percent = 80 }"
MILESTONES_EXPECTED = f"une liste [{MILESTONE_EXPECTED}, …]"


def read_toml(raw: bytes, name: str) -> CheckedPlan:
    """The plan in ``raw`` (a TOML file called ``name``), checked."""
    try:
        # utf-8-sig: an editor may begin the file with a byte order mark.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError([Problem(
            "plan-syntax", name, "", "un fichier TOML valide, enregistré en UTF-8",
            "le plan est illisible : ce n'est pas un texte en UTF-8 (enregistrez-le en UTF-8 "
            "dans votre éditeur)")]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError([Problem("plan-syntax", _syntax_place(name, exc), "",
                                  "un fichier TOML valide",
                                  "le plan est illisible : erreur de syntaxe TOML")]) from None
    return parse_toml_plan(data, name)


def _syntax_place(name: str, error: tomllib.TOMLDecodeError) -> str:
    """Where tomllib stopped, in French: ``x.toml, ligne 7, colonne 53`` (its own
    message is English, and Python 3.11 gives the place only inside it)."""
    found = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
    if found is None:
        return f"{name}, fin du fichier" if "end of document" in str(error) else name
    return f"{name}, ligne {found.group(1)}, colonne {found.group(2)}"


def parse_toml_plan(data: dict[str, Any], name: str) -> CheckedPlan:
    """The plan in a TOML structure: ``[document]`` then one ``[[mission]]`` each."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
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
            problems.append(Problem("plan-number", where, _shown(number), "un entier positif",
                                    "le numéro de mission est absent ou invalide"))
            continue
        where = f"{name} (mission n° {number})"
        draft = DraftMission(
            # The entry's rank too: two entries of one number must be told apart.
            number=number, place=f"{name} ([[mission]] n° {index}, mission n° {number})",
            title=_text(entry.get("title")), title_place=where,
            objective=_text(entry.get("objective")),
            description=_text(entry.get("description")),
            pilot=_text(entry.get("pilot")), pilot_email=_text(entry.get("pilot_email")),
            email_place=where, revision_reason=_text(entry.get("revision_reason")))
        seen: set[date] = set()
        milestones = entry.get("milestones", [])
        if not isinstance(milestones, list):
            problems.append(Problem(
                "plan-milestones", where, shown(milestones), MILESTONES_EXPECTED,
                "les échéances de la mission (milestones) ne sont pas une liste"))
            draft.refused_targets += 1
            milestones = []
        for item in milestones:
            if not isinstance(item, dict):
                problems.append(Problem(
                    "plan-milestones", where, shown(item), MILESTONE_EXPECTED,
                    "une échéance de la mission n'a pas la forme { due = …, "
                    "target_percent = … }"))
                draft.refused_targets += 1
                continue
            due, percent = item.get("due"), item.get("target_percent")
            # A TOML date-time is a datetime, itself a date: refused, it has an hour.
            if not isinstance(due, date) or isinstance(due, datetime):
                problems.append(Problem("plan-date", where, _shown(due),
                                        "une date AAAA-MM-JJ (sans heure)",
                                        "une échéance n'a pas de date valide"))
                draft.refused_targets += 1
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
                    "plan-target", where, _shown(percent), "un pourcentage de 0 à 100",
                    f"la cible de l'échéance du {french.short_date(due)} "
                    f"{'est invalide' if percent is not None else 'manque (target_percent)'}"))
                draft.refused_targets += 1
                continue
            at = f"{where}, échéance du {french.short_date(due)}"
            if 0 < percent < 1:
                # 0.8 meant as 80 %: the file's unit is the percentage, as in the document.
                warnings.append(Problem(
                    "plan-target-fraction", at, _shown(percent), f"{french.number(percent * 100)}",
                    f"cible de {french.percent(percent / 100)} : target_percent s'écrit en "
                    f"pourcentage ({french.number(percent * 100)} pour "
                    f"{french.percent(percent)}) ; vérifiez-la"))
            draft.targets.append(DraftTarget(due, percent / 100, at))
        drafts.append(draft)
    return finish(_text(document.get("service")), _text(document.get("title")), drafts,
                  problems, name, warnings=warnings)


def _shown(value: object) -> str:
    """A TOML value as quoted in a message; nothing for a missing one (not « None »)."""
    return "" if value is None else shown(value)


def _text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)
