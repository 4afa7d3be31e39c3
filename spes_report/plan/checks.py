"""The checks every plan gets, whatever its format: one set of rules, one set of messages.

Each reader (plan.xlsx, TOML) turns its file into draft missions that know
where each of their values was found; ``finish`` checks them together and
returns the Plan with its warnings, or raises InputError with every problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from .. import french
from ..model import Milestone, Mission, Plan
from ..problems import InputError, Problem, shown

# The service named when the plan names none.
DEFAULT_SERVICE = "SPES"


@dataclass
class DraftTarget:
    due: date
    target: float
    place: str


@dataclass
class DraftMission:
    """A mission as read, before the checks; every ``*_place`` says where a value was."""

    number: int
    place: str
    title: str
    title_place: str
    objective: str = ""
    description: str = ""
    pilot: str = ""
    pilot_email: str = ""
    email_place: str = ""
    revision_reason: str = ""
    targets: list[DraftTarget] = field(default_factory=list)
    # Target cells the reader refused (already reported): not "no target at all".
    refused_targets: int = 0


@dataclass(frozen=True)
class CheckedPlan:
    plan: Plan
    # Suspicious but legal: shown, never blocking.
    warnings: tuple[Problem, ...]


def finish(service: str, title: str, drafts: list[DraftMission], problems: list[Problem],
           place: str, service_place: str = "",
           warnings: list[Problem] | None = None) -> CheckedPlan:
    """Check ``drafts`` (with the readers' own ``problems``) and make the Plan.

    ``place`` names the plan as a whole, for a plan with no mission at all;
    ``service_place`` where the service's name is (or should be); ``warnings``
    are the reader's own.
    """
    problems = list(problems)
    warnings = list(warnings or [])
    missions: list[Mission] = []
    first_seen: dict[int, DraftMission] = {}
    for draft in drafts:
        if draft.number in first_seen:
            problems.append(Problem(
                "plan-duplicate-mission", draft.place, str(draft.number), "un numéro unique",
                f"la mission n° {draft.number} figure déjà ({first_seen[draft.number].place})"))
            continue
        first_seen[draft.number] = draft
        problems.extend(_mission_problems(draft))
        warnings.extend(_target_warnings(draft))
        missions.append(Mission(
            number=draft.number,
            title=_one_line(draft.title),
            objective=_one_line(draft.objective),
            description=_one_line(draft.description),
            milestones=tuple(Milestone(t.due, t.target)
                             for t in sorted(draft.targets, key=lambda t: t.due)),
            pilot=_one_line(draft.pilot),
            pilot_email=draft.pilot_email.strip(),
            revision_reason=_one_line(draft.revision_reason),
        ))
    if not drafts and not problems:
        problems.append(Problem("plan-empty", place, "", "au moins une mission",
                                "le plan ne contient aucune mission"))
    if problems:
        raise InputError(problems)
    if not service.strip():
        warnings.insert(0, Problem(
            "plan-service-missing", service_place or place, "", "le nom du service (ex. SPES)",
            f"le nom du service n'est pas renseigné : « {DEFAULT_SERVICE} » est utilisé dans "
            "le classeur et le message"))
    return CheckedPlan(
        Plan(service=_one_line(service) or DEFAULT_SERVICE, title=_one_line(title),
             missions=tuple(sorted(missions, key=lambda m: m.number))),
        tuple(warnings))


def _mission_problems(draft: DraftMission) -> list[Problem]:
    problems = []
    if not draft.title.strip():
        problems.append(Problem("plan-title-missing", draft.title_place, "",
                                "l'intitulé de la mission",
                                f"la mission n° {draft.number} n'a pas d'intitulé"))
    if not draft.targets and not draft.refused_targets:
        problems.append(Problem(
            "plan-no-target", draft.place, "", "au moins une cible à une échéance",
            f"la mission n° {draft.number} n'a aucune cible : renseignez son taux cible à "
            "une échéance au moins"))
    email = draft.pilot_email.strip()
    if email and not valid_email(email):
        problems.append(Problem(
            "plan-pilot-email", draft.email_place, shown(email),
            "une adresse comme prenom.nom@ministere.gouv.fr",
            f"le courriel du pilote de la mission n° {draft.number} n'est pas une adresse "
            "valide"))
    return problems


def _target_warnings(draft: DraftMission) -> list[Problem]:
    """A target lower than the one before it: legal (a plan may lower its ambition
    on the way), but more often a typo, so it is said."""
    warnings = []
    ordered = sorted(draft.targets, key=lambda t: t.due)
    for before, after in pairwise(ordered):
        if after.target < before.target:
            warnings.append(Problem(
                "plan-target-lower", after.place, french.percent(after.target),
                f"au moins {french.percent(before.target)}",
                f"mission n° {draft.number} : la cible du {french.short_date(after.due)} "
                f"est plus basse que celle du {french.short_date(before.due)} ; vérifiez-la "
                "(c'est permis, mais rare)"))
    return warnings


# The plain dot-atom form nearly every address has (prenom.nom@ministere.gouv.fr):
# each such address is one the email package accepts, so it is taken at once; any
# other form goes to the package's parser, which decides.
_PLAIN_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


def valid_email(text: str) -> bool:
    """A single plain address (``nom@domaine.fr``), checked by the email package's parser
    (its addr-spec parser, after a fast path for the plain form: a thousand pilots
    cost milliseconds)."""
    from email.errors import HeaderParseError
    from email.headerregistry import Address

    if not text or any(ch.isspace() for ch in text):
        return False
    if _PLAIN_ADDRESS.fullmatch(text):
        return True
    try:
        address = Address(addr_spec=text)
    except (HeaderParseError, ValueError, IndexError):  # defects are ValueErrors too
        return False
    return bool(address.username) and "." in address.domain


def _one_line(text: str) -> str:
    return " ".join(text.split())
