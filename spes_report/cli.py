"""The `spes-report` command: parses options, calls the library, prints in French."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__

if TYPE_CHECKING:
    from .problems import InputError

# Kept here rather than imported, so that `--help` loads nothing but click
# (pipeline.py holds the same defaults for library callers; a test keeps them equal).
DEFAULT_INPUT = Path("inputs/input.xlsx")
DEFAULT_OUTPUT_DIR = Path("outputs")
DEFAULT_TOLERANCE_POINTS = 5.0

# Exit statuses, documented in the README.
EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class FrenchDate(click.ParamType[date, object]):
    name = "date"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        from .parsing import parse_date

        parsed = parse_date(value)
        if not isinstance(parsed, date):
            self.fail(f"date illisible : {value!r} (exemple : 01/06/2020 ou 2020-06-01)",
                      param, ctx)
        return parsed


def report_problems(error: InputError, source: Path | None = None) -> None:
    count = len(error.problems)
    where = f"Le fichier {source}" if source else "L'entrée"
    noun = "problème" if count == 1 else "problèmes"
    click.echo(f"{where} contient {count} {noun} ; aucun fichier n'a été écrit.", err=True)
    for problem in error.problems:
        click.echo(f"  - {problem}", err=True)


class FrenchCommand(click.Command):
    """A command whose --help option speaks French."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Affiche cette aide."
        return option


class FrenchGroup(FrenchCommand, click.Group):
    command_class = FrenchCommand


INPUT_ARGUMENT = click.argument(
    "input_path", metavar="[FICHIER]", required=False, default=DEFAULT_INPUT,
    type=click.Path(path_type=Path),
)


@click.group(cls=FrenchGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", message="spes-report %(version)s",
                      help="Affiche la version.")
def cli() -> None:
    """Tableau de bord mensuel du SPES : du fichier de saisie au classeur du comité."""


@cli.command()
@click.argument("path", metavar="[FICHIER]", required=False, default=DEFAULT_INPUT,
                type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True,
              help="Remplace un fichier existant (l'ancien est gardé en copie datée).")
def init(path: Path, force: bool) -> None:
    """Crée le fichier de saisie vierge (par défaut inputs/input.xlsx)."""
    from .definitions import load_definitions
    from .template import TemplateExistsError, write_template

    try:
        backup = write_template(path, load_definitions(), force=force)
    except TemplateExistsError as exc:
        click.echo(str(exc), err=True)
        sys.exit(EXIT_INPUT)
    if backup is not None:
        click.echo(f"Ancien fichier conservé : {backup}")
    click.echo(f"Fichier de saisie créé : {path}")


@cli.command()
@INPUT_ARGUMENT
def check(input_path: Path) -> None:
    """Vérifie le fichier de saisie sans rien écrire."""
    from .pipeline import check as check_input
    from .problems import InputError

    try:
        loaded = check_input(input_path)
    except InputError as error:
        report_problems(error, input_path)
        sys.exit(EXIT_INPUT)
    data = loaded.data
    missions = {m.mission for m in data.measurements}
    click.echo(
        f"{input_path} : aucun problème. {len(data.measurements)} taux lus pour "
        f"{len(missions)} missions, sur {len(loaded.dates)} dates."
    )


@cli.command()
@INPUT_ARGUMENT
@click.option("--date", "report_date", type=FrenchDate(), default=None,
              help="Date du comité (ex. 01/06/2020). Par défaut : la date du fichier de "
                   "saisie, sinon la dernière date renseignée.")
@click.option("--output-dir", type=click.Path(path_type=Path, file_okay=False),
              default=DEFAULT_OUTPUT_DIR, metavar="DOSSIER",
              help="Dossier où écrire le classeur (par défaut : outputs).")
@click.option("--tolerance", type=click.FloatRange(0, 100), default=DEFAULT_TOLERANCE_POINTS,
              metavar="N",
              help="Écart toléré sous la cible, en points, avant de passer en alerte "
                   "(par défaut : 5).")
def build(input_path: Path, report_date: date | None, output_dir: Path,
          tolerance: float) -> None:
    """Produit le classeur du comité : outputs/SPES_COPIL_<date>.xlsx."""
    from .pipeline import build as run_build
    from .pipeline import summary_line
    from .problems import InputError

    try:
        result = run_build(input_path, output_dir, report_date, tolerance)
    except InputError as error:
        report_problems(error, input_path)
        sys.exit(EXIT_INPUT)
    if result.replaced is not None:
        click.echo(f"Version précédente conservée : {result.replaced}")
    click.echo(f"Classeur écrit : {result.workbook}")
    click.echo(summary_line(result.report))


def main() -> None:
    try:
        cli(prog_name="spes-report")
    except OSError as error:
        # A file the system would not let us read or write: the user can act on it.
        name = f" {error.filename}" if error.filename else ""
        click.echo(f"Erreur d'accès au fichier{name} : {error.strerror or error}", err=True)
        sys.exit(EXIT_INPUT)
    except Exception:
        log = _write_crash_report()
        click.echo(
            "Erreur interne inattendue : le traitement a été interrompu et aucun fichier existant "
            f"n'a été modifié. Les détails techniques sont dans {log} : transmettez ce "
            "fichier à l'équipe qui maintient l'outil.",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)


def _write_crash_report() -> Path:
    import tempfile
    import traceback

    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", prefix="spes-report-erreur-", suffix=".txt", delete=False
    ) as report:
        report.write(f"spes-report {__version__}\n{' '.join(sys.argv)}\n\n")
        report.write(traceback.format_exc())
    return Path(report.name)
