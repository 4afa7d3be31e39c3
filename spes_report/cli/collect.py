"""`spes-report collect`: the figures gathered from the missions' pilots, one file each."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..naming import DEFAULT_INPUT
from .app import PLAN_OPTION, _plan_in_force
from .clicktext import FrenchGroup
from .failures import Failure
from .params import FrenchDate

if TYPE_CHECKING:
    from ..collect import ReturnFile
    from ..loader import LoadedInput
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
def collect_prepare(committee: date | None, plan_file: Path | None, force: bool) -> None:
    """Écrit, pour chaque pilote nommé dans le plan, inputs/returns/<AAAA-MM>/<pilote>.xlsx :
    ses missions, les taux déjà connus (protégés) et la colonne du comité à remplir."""
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

    plan = _plan_in_force(plan_file)
    if not any(m.pilot.strip() for m in plan.plan.missions):
        raise Failure(no_pilot_text(plan))
    loaded = _known_input(plan)
    day = _committee_day(committee, loaded)
    planned = planned_returns(plan.plan, day, returns_folder(day))
    try:
        written = write_returns(plan.plan, day, planned, known_rates(loaded, day), force=force)
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
        click.echo(f"{french.capitalised(french.plural(len(left), 'mission', 'missions'))} "
                   f"sans pilote, qui restent dans {DEFAULT_INPUT} : "
                   f"{french.listing([str(n) for n in left])}.")


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
