"""The messages to the pilots (``collect prepare --emails``): each pilot's return file
attached, the deadline, from the collecte_* templates (the service's own in templates/)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from .. import french
from ..builder import target_on
from ..collect import Pilot, ReturnFile, draft_path
from ..config import EmailSettings, SmtpSettings, parse_address
from ..model import Milestone, Mission, Plan
from ..writers.styles import GRID, HEADER_FILL, KEY_FILL, MUTED, NAVY
from .message import compose, write_draft
from .render import OVERRIDES_DIR, check_templates, render_email
from .smtp import Receipt, send

COLLECT_SUBJECT = "collecte_objet.txt"
COLLECT_TEXT = "collecte_message.txt"
COLLECT_HTML = "collecte_message.html"
COLLECT_TEMPLATES = (COLLECT_SUBJECT, COLLECT_TEXT, COLLECT_HTML)


@dataclass(frozen=True)
class PilotEmail:
    pilot: Pilot
    draft: Path  # the .eml beside the pilot's file
    message: EmailMessage  # as it is sent (without X-Unsent)
    attachment: Path


def pilot_address(pilot: Pilot) -> Address | None:
    """The pilot's address from the plan, named after the pilot; None without one."""
    address = parse_address(pilot.email) if pilot.email else None
    if address is None:
        return None
    return Address(address.display_name or pilot.name, addr_spec=address.addr_spec)


def pilot_context(plan: Plan, pilot: Pilot, committee: date, return_by: date,
                  file_name: str, rates: Mapping[tuple[int, date], float],
                  subject_prefix: str) -> dict[str, Any]:
    """The variables the collecte_* templates see (French names: staff edit them), every
    figure already written out in French."""
    missions = []
    for number in pilot.missions:
        mission = plan.mission(number)
        assert mission is not None
        known = sorted((day, rate) for (n, day), rate in rates.items()
                       if n == number and day < committee)
        target, _ = target_on(mission, committee)
        missions.append({
            "numero": number,
            "titre": mission.title,
            "dernier_taux": french.percent(known[-1][1], 0) if known else "",
            "date_dernier_taux": french.short_date(known[-1][0]) if known else "",
            "cible": french.percent(target, 0) if target is not None else "",
        })
    return {
        "service": plan.service,
        "titre_plan": plan.title,
        "prefixe_objet": subject_prefix,
        "pilote": pilot.name,
        "courriel_pilote": pilot.email,
        "date_comite": french.long_date(committee),
        "date_comite_courte": french.short_date(committee),
        "date_retour": french.long_date(return_by),
        "date_retour_courte": french.short_date(return_by),
        "fichier": file_name,
        "nombre_missions": len(missions),
        "missions": missions,
        "couleurs": {"titre": NAVY, "entete": HEADER_FILL, "grille": GRID, "discret": MUTED,
                     "fond_cle": KEY_FILL},
    }


def sample_pilot_contexts(subject_prefix: str = "[SPES]") -> list[dict[str, Any]]:
    """Two pilots to try the templates on before anything is written: one mission with
    neither rate nor target, and three with both."""
    def mission(number: int, due: date | None) -> Mission:
        milestones = (Milestone(due, 0.5),) if due else ()
        return Mission(number, f"Mission d'exemple {number}", "", "", milestones)

    june, july = date(2020, 6, 1), date(2020, 7, 1)
    plan = Plan("SPES", "Plan d'exemple",
                (mission(1, None), mission(2, june), mission(3, june), mission(4, june)))
    alone = Pilot("Jeanne Martin", "jeanne.martin@exemple.gouv.fr", (1,))
    several = Pilot("Paul Durand", "", (2, 3, 4))
    rates = {(2, june): 0.4, (3, june): 0.55, (4, june): 1.0}
    return [pilot_context(plan, pilot, july, date(2020, 6, 26), "Pilote.xlsx", rates,
                          subject_prefix) for pilot in (alone, several)]


def check_collect_templates(overrides: Path | None = OVERRIDES_DIR) -> None:
    """Compile and fill the three collecte_* templates on samples; InputError otherwise."""
    check_templates(overrides, names=COLLECT_TEMPLATES, contexts=sample_pilot_contexts())


def prepare_pilot_emails(plan: Plan, returns: Sequence[ReturnFile], committee: date,
                         return_by: date, settings: EmailSettings,
                         rates: Mapping[tuple[int, date], float],
                         now: datetime | None = None,
                         overrides: Path | None = OVERRIDES_DIR) -> tuple[PilotEmail, ...]:
    """One message per pilot, its file attached, each written as ``<pilot>.eml`` beside
    the file. Every message is made before any draft is written: a template that fails
    on one pilot's figures leaves no draft (InputError)."""
    moment = now or datetime.now().astimezone()
    made = []
    for item in returns:
        address = pilot_address(item.pilot)
        if address is None:
            raise ValueError(f"no address for {item.pilot.name}")
        context = pilot_context(plan, item.pilot, committee, return_by, item.path.name,
                                rates, settings.subject_prefix)
        rendered = render_email(context, overrides, COLLECT_TEMPLATES)
        # From the service, to the pilot alone: the committee's recipients are not asked.
        mine = EmailSettings(settings.sender, (address,), (), settings.subject_prefix)
        made.append(PilotEmail(item.pilot, draft_path(item.path),
                               compose(rendered, mine, item.path, moment), item.path))
    for email in made:
        write_draft(email.message, email.draft)
    return tuple(made)


def send_pilot_email(email: PilotEmail, settings: SmtpSettings,
                     environ: Mapping[str, str] | None = None) -> Receipt:
    """Send one pilot's message (raises smtp.SendError); nothing is noted anywhere."""
    return send(email.message, settings, environ)
