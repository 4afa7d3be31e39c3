"""The `spes-report` command: parses options, calls the library, prints in French."""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .clitext import french_click
from .problems import InstallationError, ToolError, os_error_text

if TYPE_CHECKING:
    from .config import Config
    from .pipeline import BuildResult
    from .problems import InputError

# Kept here rather than imported, so that `--help` loads nothing but click
# (pipeline.py holds the same defaults for library callers; a test keeps them equal).
DEFAULT_INPUT = Path("inputs/input.xlsx")
DEFAULT_OUTPUT_DIR = Path("outputs")
DEFAULT_TOLERANCE_POINTS = 5.0

# Exit statuses, documented in the README.
EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
# Problems listed on screen; the count of the others follows.
MAX_LISTED = 50


class FrenchDate(click.ParamType[date, object]):
    name = "date"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        from .parsing import parse_date

        parsed = parse_date(value)
        if not isinstance(parsed, date):
            self.fail(f"date illisible : « {value} » (exemple : 01/06/2020 ou 2020-06-01)",
                      param, ctx)
        return parsed


class Points(click.ParamType[float, object]):
    """A tolerance in points from 0 to 100, with a decimal comma or point.

    Not click.FloatRange: it lets "nan" and "inf" through (xlsxwriter then fails
    on them) and speaks of "float range" and "0<=x<=100".
    """

    name = "points"
    LIMIT = 100.0
    # Digits only: no "nan", "inf", "1e3" or "1_0", which float() would accept.
    _NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)  # the default, or a caller's own value
        else:
            text = str(value).strip()
            if not self._NUMBER.fullmatch(text):
                self.fail(f"« {value} » n'est pas un nombre de points (exemple : 5 ou 2,5)",
                          param, ctx)
            number = float(text.replace(",", ".")) + 0.0  # + 0.0: "-0" is 0, not -0
        if not 0 <= number <= self.LIMIT:  # also False for NaN
            self.fail(f"« {value} » est hors limites : la tolérance va de 0 à "
                      f"{self.LIMIT:g} points", param, ctx)
        return number


def report_problems(error: InputError, source: Path | None = None) -> None:
    count = len(error.problems)
    where = f"Le fichier {source}" if source else "L'entrée"
    noun = "problème" if count == 1 else "problèmes"
    click.echo(f"{where} contient {count} {noun} ; aucun fichier n'a été écrit.", err=True)
    for problem in error.problems[:MAX_LISTED]:
        click.echo(f"  - {problem}", err=True)
    if count > MAX_LISTED:
        # A file with thousands of wrong rows: the first ones show what to fix.
        rest = f"{count - MAX_LISTED:_}".replace("_", "\u202f")
        click.echo(f"  … et {rest} autres problèmes : corrigez d'abord ceux-ci, puis relancez "
                   "la vérification.", err=True)


class FrenchHelpFormatter(click.HelpFormatter):
    def write_heading(self, heading: str) -> None:
        # French typography: a space before the colon ("Options :").
        self.write(f"{'':>{self.current_indent}}{heading} :\n")


class FrenchContext(click.Context):
    formatter_class = FrenchHelpFormatter


class FrenchCommand(click.Command):
    """A command that speaks French: its help, its usage errors, click's own messages."""

    context_class = FrenchContext

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # Every way in (the console script, CliRunner, python -m) comes through here.
        with french_click():
            return super().main(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Affiche cette aide."
        return option


class FrenchGroup(FrenchCommand, click.Group):
    command_class = FrenchCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Click writes this one without gettext.
        kwargs.setdefault("subcommand_metavar", "COMMANDE [ARGUMENTS]...")
        super().__init__(*args, **kwargs)


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
    missions = len({m.mission for m in data.measurements})
    dates = _count(len(loaded.dates), "date", "dates", "aucune date")
    if data.measurements:
        rates = _count(len(data.measurements), "taux lu", "taux lus", "")
        found = f"{rates} pour {_count(missions, 'mission', 'missions', '')}, sur {dates}"
    else:
        found = f"aucun taux n'est encore saisi ({dates})"
    click.echo(f"{input_path} : aucun problème. {found[0].upper()}{found[1:]}.")


def _count(count: int, singular: str, plural: str, none: str) -> str:
    """A count with its noun, or ``none`` for 0; French agrees 0 and 1 in the singular."""
    if count == 0 and none:
        return none
    return f"{count} {singular if count <= 1 else plural}"


@cli.command()
@INPUT_ARGUMENT
@click.option("--date", "report_date", type=FrenchDate(), default=None,
              help="Date du comité (ex. 01/06/2020). Par défaut : la date du fichier de "
                   "saisie, sinon la dernière date renseignée.")
@click.option("--output-dir", type=click.Path(path_type=Path, file_okay=False),
              default=DEFAULT_OUTPUT_DIR, metavar="DOSSIER",
              help="Dossier où écrire le classeur (par défaut : outputs).")
@click.option("--tolerance", type=Points(), default=DEFAULT_TOLERANCE_POINTS, metavar="N",
              help="Écart toléré sous la cible, en points (de 0 à 100), avant de passer en "
                   "alerte (par défaut : 5).")
@click.option("--no-archive", is_flag=True,
              help="N'archive pas ce comité dans DOSSIER/archive (l'historique des comités "
                   "déjà archivés figure quand même dans le classeur).")
@click.option("--replace", is_flag=True,
              help="Archive ce comité même si son mois est déjà archivé avec un autre "
                   "contenu ; l'ancienne version est conservée (superseded-<horodatage>).")
@click.option("--email", "with_email", is_flag=True,
              help="Prépare aussi le message du comité : outputs/SPES_COPIL_<date>.eml "
                   "(destinataires dans spes-report.toml).")
@click.option("--send", is_flag=True,
              help="Envoie aussi le message par le serveur SMTP décrit dans "
                   "spes-report.toml (avec build, implique --email).")
def build(input_path: Path, report_date: date | None, output_dir: Path,
          tolerance: float, no_archive: bool, replace: bool, with_email: bool,
          send: bool) -> None:
    """Produit le classeur du comité : outputs/SPES_COPIL_<date>.xlsx."""
    from .archive import AlreadyArchivedError
    from .french import summary_line
    from .pipeline import build as run_build
    from .problems import InputError

    if no_archive and replace:
        raise click.UsageError("--replace et --no-archive s'excluent : --replace remplace "
                               "le comité archivé, --no-archive n'archive rien.")
    # Checked before building: a configuration mistake leaves no file behind.
    mail_config = _email_setup(send) if with_email or send else None
    try:
        result = run_build(input_path, output_dir, report_date, tolerance,
                           archive=not no_archive, replace=replace)
    except InputError as error:
        report_problems(error, input_path)
        sys.exit(EXIT_INPUT)
    except AlreadyArchivedError as error:
        click.echo(str(error), err=True)
        sys.exit(EXIT_INPUT)
    for warning in result.warnings:
        click.echo(f"Attention : {warning}", err=True)
    if result.replaced is not None:
        click.echo(f"Version précédente conservée : {result.replaced}")
    click.echo(f"Classeur écrit : {result.workbook}")
    _echo_archive(result)
    click.echo(summary_line(result.report))
    if mail_config is not None:
        _circulate(result, mail_config, send)


@cli.command("email", short_help="Produit le classeur et le message du comité (fichier .eml).")
@click.pass_context
def email_command(ctx: click.Context, /, **options: object) -> None:
    """Produit le classeur et le message du comité : outputs/SPES_COPIL_<date>.eml.

    Identique à « build --email » : mêmes options.
    """
    ctx.invoke(build, **{**options, "with_email": True})


# `email` takes every option of `build` (they are one job), --send included.
email_command.params = [p for p in build.params if p.name != "with_email"]


def _email_setup(send: bool) -> Config:
    """Read spes-report.toml and the templates, and find the SMTP password if sending."""
    from .config import CONFIG_NAME, load_config
    from .mailing.render import check_templates
    from .mailing.smtp import SendError, password_for
    from .problems import InputError

    try:
        config = load_config(Path(CONFIG_NAME), need_smtp=send)
    except InputError as error:
        report_problems(error, Path(CONFIG_NAME))
        sys.exit(EXIT_INPUT)
    try:
        check_templates()
    except InputError as error:
        _report_template_problems(error, "aucun fichier n'a été écrit")
        sys.exit(EXIT_INPUT)
    if send and config.smtp is not None:
        try:
            password_for(config.smtp)
        except SendError as error:
            click.echo(f"Le message ne peut pas être envoyé : {error}. Aucun fichier n'a été "
                       "écrit.", err=True)
            sys.exit(EXIT_INPUT)
    return config


def _report_template_problems(error: InputError, outcome: str) -> None:
    count = len(error.problems)
    noun = "problème" if count == 1 else "problèmes"
    click.echo(f"Les modèles de message contiennent {count} {noun} ; {outcome}.", err=True)
    for problem in error.problems:
        click.echo(f"  - {problem}", err=True)


def _circulate(result: BuildResult, config: Config, send: bool) -> None:
    """Write the .eml draft beside the workbook and, with --send, send it."""
    from .archive import archive_root, month_folder
    from .mailing.jobs import prepare_email, send_and_record
    from .mailing.smtp import SendError
    from .problems import InputError

    try:
        prepared = prepare_email(result, config.email)
    except InputError as error:
        _report_template_problems(error, "le classeur est écrit, mais pas le message")
        sys.exit(EXIT_INPUT)
    click.echo(f"Message prêt : {prepared.draft} (Outlook l'ouvre comme un brouillon à "
               "envoyer)")
    if not send or config.smtp is None:
        return
    smtp = config.smtp
    recipients = [a.addr_spec for a in (*config.email.to, *config.email.cc)]
    click.echo(f"Envoi à {', '.join(recipients)} par {smtp.host}:{smtp.port}…")
    archive = archive_root(result.workbook.parent)
    try:
        sending = send_and_record(prepared, smtp, result.report.report_date, archive)
    except SendError as error:
        click.echo(f"Le message n'a pas été envoyé : {error}.", err=True)
        click.echo(f"Rien n'est noté comme envoyé. Le message reste prêt dans {prepared.draft}",
                   err=True)
        sys.exit(EXIT_INPUT)
    click.echo(f"Message envoyé : le serveur a répondu « {sending.receipt.answer} ».")
    if sending.manifest is not None:
        click.echo(f"Envoi noté dans {sending.manifest}")
    elif sending.record_error is not None:
        click.echo("Attention : le message est parti, mais l'envoi n'a pas pu être noté dans "
                   f"l'archive ({sending.record_error}).", err=True)
    else:
        folder = month_folder(archive, result.report.report_date)
        click.echo(f"Ce mois n'a pas d'archive ({folder}) : l'envoi n'y est pas noté.")


def _echo_archive(result: BuildResult) -> None:
    """The month's snapshot, then every archived figure the input has changed."""
    from .archive import filing_line
    from .history import corrections_heading, describe

    if result.filing is not None:
        click.echo(filing_line(result.filing))
    corrections = result.report.corrections
    if corrections:
        click.echo(corrections_heading(len(corrections)))
        for correction in corrections:
            click.echo(f"  - {describe(correction)}")


class Month(click.ParamType[str, object]):
    name = "mois"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        from .archive_report import parse_month

        month = parse_month(str(value))
        if month is None:
            self.fail(f"mois illisible : « {value} » (exemple : 2020-06 ou 06/2020)", param, ctx)
        return month


ARCHIVE_OUTPUT_DIR = click.option(
    "--output-dir", type=click.Path(path_type=Path, file_okay=False), default=DEFAULT_OUTPUT_DIR,
    metavar="DOSSIER", help="Dossier des classeurs, dont l'archive est le sous-dossier archive "
                            "(par défaut : outputs).")


@cli.group(cls=FrenchGroup)
def archive() -> None:
    """Consulte et vérifie l'archive des comités (outputs/archive)."""


@archive.command("list", short_help="Une ligne par mois archivé : date, statuts, taux moyen.")
@ARCHIVE_OUTPUT_DIR
def archive_list(output_dir: Path) -> None:
    """Une ligne par mois archivé : date du comité, statuts, taux moyen, remplacements."""
    from .archive import archive_root
    from .archive_report import list_lines

    root = archive_root(output_dir)
    lines = list_lines(root)
    if not lines:
        click.echo(f"Aucun comité n'est archivé dans {root}.")
    for line in lines:
        click.echo(line)


@archive.command("verify", short_help="Vérifie que l'archive est intacte et se reconstruit "
                                      "à l'identique.")
@click.argument("month", metavar="[MOIS]", required=False, type=Month())
@ARCHIVE_OUTPUT_DIR
def archive_verify(month: str | None, output_dir: Path) -> None:
    """Vérifie que les comités archivés sont intacts et se reconstruisent à l'identique.

    Tous les mois, ou seulement le MOIS donné (2020-06 ou 06/2020) : empreinte de
    chaque fichier, fichiers manquants ou ajoutés, reconstruction du classeur à partir
    de la saisie archivée.
    """
    from .archive import archive_root
    from .archive_report import verify

    root = archive_root(output_dir)
    result = verify(root, month)
    count = len(result.problems)
    if count:
        noun = "problème" if count == 1 else "problèmes"
        click.echo(f"L'archive {root} contient {count} {noun} :", err=True)
        for problem in result.problems:
            click.echo(f"  - {problem}", err=True)
        sys.exit(EXIT_INPUT)
    if not result.checked:
        click.echo(f"Aucun comité n'est archivé dans {root} : rien à vérifier.")
        return
    snapshots = len(result.checked)
    click.echo(f"Archive vérifiée : {snapshots} version{'s' if snapshots > 1 else ''} de "
               f"comité ({', '.join(result.checked)}) ; fichiers intacts et classeurs "
               "reconstruits à l'identique.")


def main() -> None:
    try:
        cli(prog_name="spes-report")
    except ToolError as error:
        # A failure with its own French message: an unwritable workbook, a busy
        # output (both the user's to fix), a broken installation (internal).
        click.echo(str(error), err=True)
        sys.exit(EXIT_INTERNAL if isinstance(error, InstallationError) else EXIT_INPUT)
    except OSError as error:
        # A file the system would not let us read or write: the user can act on it.
        click.echo(os_error_text(error), err=True)
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
