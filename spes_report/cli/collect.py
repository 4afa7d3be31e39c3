"""`spes-report collect`: the figures gathered from the missions' pilots, one file each."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..naming import DEFAULT_INPUT
from .app import PLAN_OPTION, mail_config, plan_in_force, require_password
from .clicktext import FrenchGroup
from .failures import Failure
from .params import FrenchDate

if TYPE_CHECKING:
    from ..collect import ReturnFile
    from ..config import Config
    from ..loader import LoadedInput
    from ..mailing.collect import PilotEmail
    from ..plan import LoadedPlan


@click.group("collect", cls=FrenchGroup,
             short_help="Collecte des taux auprès des pilotes des missions.")
def collect_group() -> None:
    """Collecte des taux auprès des pilotes des missions : un fichier par pilote."""


@collect_group.command("prepare", short_help="Prépare un fichier de retour par pilote.")
@click.option("--date", "committee", type=FrenchDate(), default=None,
              help="Date du comité (ex. 01/07/2020). Par défaut : la date du comité saisie "
                   "dans inputs/input.xlsx, si aucun taux n'y est encore daté de ce jour "
                   "ou après.")
@PLAN_OPTION
@click.option("--force", is_flag=True,
              help="Remplace les fichiers de retour existants (les anciens sont gardés en "
                   "copie datée).")
@click.option("--emails", is_flag=True,
              help="Prépare aussi un message par pilote, son fichier joint : "
                   "<pilote>.eml à côté du fichier (expéditeur dans spes-report.toml).")
@click.option("--return-by", "return_by", type=FrenchDate(), default=None, metavar="DATE",
              help="Date limite de retour des fichiers, dite dans les messages (obligatoire "
                   "avec --emails).")
@click.option("--send", is_flag=True,
              help="Envoie aussi les messages par le serveur SMTP décrit dans "
                   "spes-report.toml (implique --emails).")
def collect_prepare(committee: date | None, plan_file: Path | None, force: bool,
                    emails: bool, return_by: date | None, send: bool) -> None:
    """Écrit, pour chaque pilote nommé dans le plan, inputs/returns/<AAAA-MM>/<pilote>.xlsx :
    ses missions, les taux déjà connus (protégés) et la colonne du comité à remplir ; avec
    --emails, un message par pilote (<pilote>.eml), que --send envoie."""
    from .. import french
    from ..collect import (
        ReturnsExistError,
        known_rates,
        planned_returns,
        returns_folder,
        unpiloted,
        write_returns,
    )
    from .messages import plan_line

    emails = emails or send
    if emails and return_by is None:
        raise click.UsageError("--emails et --send demandent la date limite de retour des "
                               "fichiers : --return-by DATE (ex. --return-by 26/06/2020).")
    if return_by is not None and not emails:
        raise click.UsageError("--return-by sert aux messages : ajoutez --emails.")
    plan = plan_in_force(plan_file)
    if not any(m.pilot.strip() for m in plan.plan.missions):
        raise Failure(no_pilot_text(plan))
    loaded = _known_input(plan)
    day = _committee_day(committee, loaded)
    planned = planned_returns(plan.plan, day, returns_folder(day))
    # Checked before writing: a mistake in the configuration or a template leaves no file.
    config = _mail_setup(plan, planned, day, return_by, send) if return_by else None
    rates = known_rates(loaded, day)
    try:
        written = write_returns(plan.plan, day, planned, rates, force=force,
                                drafts=config is not None)
    except ReturnsExistError as error:
        raise Failure(returns_exist_lines(error.paths)) from error
    click.echo(plan_line(plan))
    click.echo(f"Comité du {french.long_date(day)} : "
               + (f"taux déjà connus repris de {DEFAULT_INPUT} (ceux datés d'avant le "
                  f"{french.short_date(day)})." if loaded is not None
                  else f"{DEFAULT_INPUT} n'existe pas, aucun taux déjà connu n'est repris."))
    for line in written_lines(written):
        click.echo(line)
    left = unpiloted(plan.plan)
    if left:
        stay = french.plural(len(left), "Mission sans pilote, qui reste",
                             "Missions sans pilote, qui restent")
        click.echo(f"{stay} dans {DEFAULT_INPUT} : {french.listing([str(n) for n in left])}.")
    if config is not None and return_by is not None:
        _write_and_send(plan, written, day, return_by, rates, config, send)


def _mail_setup(plan: LoadedPlan, planned: tuple[ReturnFile, ...], day: date,
                return_by: date, send: bool) -> Config:
    """spes-report.toml, the collecte_* templates, every pilot's address and, to send,
    the SMTP password: each checked before anything is written."""
    from .. import french
    from ..mailing.collect import check_collect_templates, pilot_address

    if return_by > day:
        raise Failure(f"La date limite de retour ({french.short_date(return_by)}) tombe après "
                      f"le comité du {french.long_date(day)} : indiquez une date antérieure "
                      "avec --return-by. Aucun fichier n'a été écrit.")
    config = mail_config(send, check_collect_templates)
    missing = [item.pilot for item in planned if pilot_address(item.pilot) is None]
    if missing:
        raise Failure([
            f"Le plan ({plan.source.file_name}) ne donne pas le courriel de "
            f"{french.plural(len(missing), 'ce pilote', 'ces pilotes')} : complétez la colonne "
            "« Courriel du pilote » du plan, ou lancez la commande sans --emails ni --send. "
            "Aucun fichier n'a été écrit.",
            *(f"  - {pilot.name} ({french.plural(len(pilot.missions), 'mission', 'missions')} "
              f"{french.listing([str(n) for n in pilot.missions])})" for pilot in missing)])
    require_password(config, send, "Les messages ne peuvent pas être envoyés")
    return config


def _write_and_send(plan: LoadedPlan, written: tuple[ReturnFile, ...], day: date,
                    return_by: date, rates: dict[tuple[int, date], float], config: Config,
                    send: bool) -> None:
    """Each pilot's .eml draft beside their file and, with --send, each message sent."""
    from ..mailing.collect import prepare_pilot_emails
    from ..problems import InputError
    from .messages import template_problem_lines

    try:
        prepared = prepare_pilot_emails(plan.plan, written, day, return_by, config.email,
                                        rates)
    except InputError as error:
        raise Failure(template_problem_lines(
            error.problems, "les fichiers sont écrits, mais pas les messages")) from error
    for email in prepared:
        click.echo(f"Message prêt pour {email.pilot.name} : {email.draft}")
    if send and config.smtp is not None:
        _send_all(prepared, config)


def _send_all(prepared: tuple[PilotEmail, ...], config: Config) -> None:
    """Send the messages one by one; at the first failure, say what was sent and what
    was not (its draft stays ready), and stop."""
    from ..mailing.collect import send_pilot_email
    from ..mailing.smtp import SendError

    smtp = config.smtp
    assert smtp is not None
    for index, email in enumerate(prepared):
        address = email.message["To"]
        click.echo(f"Envoi à {email.pilot.name} ({address}) par {smtp.host}:{smtp.port}…")
        try:
            receipt = send_pilot_email(email, smtp)
        except SendError as error:
            unsent = prepared[index:]
            raise Failure([
                f"Le message à {email.pilot.name} n'a pas été envoyé : {error}.",
                *([f"Déjà envoyés : {', '.join(e.pilot.name for e in prepared[:index])}."]
                  if index else []),
                "Non envoyés ; leurs messages restent prêts :",
                *(f"  - {e.draft}" for e in unsent)]) from error
        click.echo(f"Message envoyé : le serveur a répondu « {receipt.answer} ».")


def _known_input(plan: LoadedPlan) -> LoadedInput | None:
    """The input file read as build reads it, or None when there is none yet."""
    from ..loader import load_input
    from ..problems import InputError
    from .messages import input_problem_lines

    if not DEFAULT_INPUT.exists():
        return None
    try:
        return load_input(DEFAULT_INPUT, plan.plan, plan.source.file_name)
    except InputError as error:
        raise Failure(input_problem_lines(error.problems, DEFAULT_INPUT)) from error


def _committee_day(given: date | None, loaded: LoadedInput | None) -> date:
    """``--date``, else the committee date typed in the input file when it is still to
    come (no rate dated from it on): otherwise it is the last committee's, and the
    returns would ask again for figures already given."""
    from .. import french

    if given is not None:
        return given
    typed = loaded.data.committee_date if loaded is not None else None
    if loaded is None or typed is None:
        raise Failure("Indiquez la date du comité pour lequel collecter les taux, par exemple "
                      "--date 01/07/2020. Aucun fichier n'a été écrit.")
    if any(m.on >= typed for m in loaded.data.measurements):
        raise Failure(f"{DEFAULT_INPUT} porte déjà des taux pour le comité du "
                      f"{french.long_date(typed)} qu'il indique : indiquez la date du prochain "
                      "comité, par exemple --date 01/07/2020. Aucun fichier n'a été écrit.")
    return typed


def no_pilot_text(plan: LoadedPlan) -> str:
    return (f"Le plan ({plan.source.file_name}) ne nomme aucun pilote : il n'y a personne à "
            "qui envoyer un fichier. Indiquez le pilote de chaque mission dans la colonne "
            "« Pilote » du plan (plan.xlsx), puis relancez. Aucun fichier n'a été écrit.")


def returns_exist_lines(paths: tuple[Path, ...]) -> list[str]:

    if len(paths) > 1:
        first = ("Ces fichiers de retour existent déjà : ajoutez --force pour les remplacer "
                 "(les anciens seront conservés en copie datée).")
    else:
        first = ("Ce fichier de retour existe déjà : ajoutez --force pour le remplacer "
                 "(l'ancien sera conservé en copie datée).")
    return [f"{first} Aucun fichier n'a été écrit.",
            *(f"  - {path}" for path in paths)]


def written_lines(written: tuple[ReturnFile, ...]) -> list[str]:
    from .. import french

    lines = []
    for item in written:
        numbers = item.pilot.missions
        missions = french.plural(len(numbers), "mission", "missions")
        if item.backup is not None:
            lines.append(f"Ancien fichier conservé : {item.backup}")
        lines.append(f"Fichier écrit pour {item.pilot.name} ({missions} "
                     f"{french.listing([str(n) for n in numbers])}) : {item.path}")
    return lines
