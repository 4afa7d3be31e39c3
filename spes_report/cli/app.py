"""The `spes-report` commands: options in, library calls, French lines out.

Each command parses its options, calls the library, and prints what
messages.py writes from the results. Errors reach the user through
failures.py (one place); heavy libraries are imported inside the commands
that need them, so that ``--help`` loads little more than click.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .. import __version__
from ..naming import DEFAULT_INPUT, DEFAULT_OUTPUT_DIR
from .clicktext import FrenchGroup
from .failures import Failure, failure_for
from .params import FrenchDate, Month, Points

if TYPE_CHECKING:
    from ..config import Config
    from ..pdf import Settings as PdfSettings
    from ..pipeline import BuildResult
    from ..plan import LoadedPlan

T = TypeVar("T")

# Kept here rather than imported from builder.py, so that `--help` loads no
# more than it needs (a test keeps them equal).
DEFAULT_TOLERANCE_POINTS = 5.0
DEFAULT_FRESHNESS_DAYS = 45


class SpesGroup(FrenchGroup):
    """The top group: every foreseen error of a command becomes a French Failure here."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.ClickException:
            raise
        except Exception as error:
            failure = failure_for(error)
            if failure is None:
                raise
            raise failure from error


PLAN_OPTION = click.option(
    "--plan", "plan_file", type=click.Path(path_type=Path), default=None, metavar="FICHIER",
    help="Plan des missions et des cibles (.xlsx ou .toml). Par défaut : plan.xlsx dans le "
         "dossier courant s'il existe, sinon le plan intégré à l'outil.")


def plan_in_force(plan_file: Path | None,
                   outcome: str | None = "aucun fichier n'a été écrit") -> LoadedPlan:
    """Read the plan the command uses and say its warnings; a French failure (nothing
    written) when it has problems. Which plan it is, commands say with their result."""
    from ..plan import plan_path, read_plan
    from ..problems import InputError
    from .messages import plan_problem_lines, warning_lines

    path = plan_path(plan_file)
    try:
        plan = read_plan(path)
    except InputError as error:
        raise Failure(plan_problem_lines(error.problems, path, outcome)) from error
    for line in warning_lines(plan.warnings):
        click.echo(line, err=True)
    return plan


INPUT_ARGUMENT = click.argument(
    "input_path", metavar="[FICHIER]", required=False, default=DEFAULT_INPUT,
    type=click.Path(path_type=Path),
)


@click.group(cls=SpesGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", message="spes-report %(version)s",
                      help="Affiche la version.")
def cli() -> None:
    """Tableau de bord mensuel du SPES : du fichier de saisie au classeur du comité."""


@cli.command(short_help="Crée le fichier de saisie vierge (par défaut inputs/input.xlsx).")
@click.argument("path", metavar="[FICHIER]", required=False, default=DEFAULT_INPUT,
                type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True,
              help="Remplace un fichier existant (l'ancien est gardé en copie datée).")
@PLAN_OPTION
def init(path: Path, force: bool, plan_file: Path | None) -> None:
    """Crée le fichier de saisie vierge (par défaut inputs/input.xlsx), avec les missions
    et les échéances du plan."""
    from ..writers.template import TemplateExistsError, write_template
    from .messages import plan_line, template_exists_text

    plan = plan_in_force(plan_file)
    try:
        backup = write_template(path, plan.plan, force=force)
    except TemplateExistsError as error:
        raise Failure(template_exists_text(error.path)) from error
    if backup is not None:
        click.echo(f"Ancien fichier conservé : {backup}")
    click.echo(f"Fichier de saisie créé : {path}")
    click.echo(plan_line(plan))


@cli.command()
@INPUT_ARGUMENT
@PLAN_OPTION
def check(input_path: Path, plan_file: Path | None) -> None:
    """Vérifie le fichier de saisie (et le plan) sans rien écrire."""
    from ..pipeline import check as check_input
    from ..problems import InputError
    from .messages import check_line, input_problem_lines, plan_line, warning_lines

    plan = plan_in_force(plan_file)
    try:
        loaded = check_input(input_path, plan)
    except InputError as error:
        raise Failure(input_problem_lines(error.problems, input_path)) from error
    measurements = loaded.data.measurements
    click.echo(check_line(input_path, len(measurements), len({m.mission for m in measurements}),
                          len(loaded.dates)))
    click.echo(plan_line(plan))
    for line in warning_lines(loaded.warnings):
        click.echo(line, err=True)


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
@PLAN_OPTION
@click.option("--freshness", type=click.IntRange(1, 366), default=None, metavar="JOURS",
              help="Sans comité archivé, âge en jours au-delà duquel le dernier taux d'une "
                   "mission est « non actualisé » (par défaut : la clé freshness_days de "
                   "spes-report.toml, sinon 45).")
@click.option("--pdf/--no-pdf", "with_pdf", default=None,
              help="Produit aussi le PDF du classeur, outputs/SPES_COPIL_<date>.pdf, imprimé "
                   "par LibreOffice (par défaut : la clé pdf de la section [output] de "
                   "spes-report.toml, sinon non).")
def build(input_path: Path, report_date: date | None, output_dir: Path,
          tolerance: float, no_archive: bool, replace: bool, with_email: bool,
          send: bool, plan_file: Path | None, freshness: int | None,
          with_pdf: bool | None) -> None:
    """Produit le classeur du comité : outputs/SPES_COPIL_<date>.xlsx."""
    from ..locking import outputs_lock
    from ..pipeline import build as run_build
    from ..problems import InputError
    from . import messages

    if no_archive and replace:
        raise click.UsageError("--replace et --no-archive s'excluent : --replace remplace "
                               "le comité archivé, --no-archive n'archive rien.")
    # Checked before building: a mistake in the plan or the configuration leaves no file.
    plan = plan_in_force(plan_file)
    freshness_days = freshness or _configured_freshness()
    mail_config = _email_setup(send) if with_email or send else None
    pdf, pdf_asked_by = _pdf_settings(with_pdf, mail_config)
    with contextlib.ExitStack() as held:
        if mail_config is not None:
            # The draft and the sending note follow the build under the same lock: no
            # other build can put another workbook in place between them.
            held.enter_context(outputs_lock(output_dir))
        try:
            result = run_build(input_path, output_dir, report_date, tolerance, plan=plan,
                               archive=not no_archive, replace=replace,
                               freshness_days=freshness_days, pdf=pdf)
        except InputError as error:
            raise Failure(messages.input_problem_lines(error.problems, input_path)) from error
        _report_build(result)
        if result.pdf_error is not None:
            # The workbook stands; the message, which may carry the PDF, waits for it.
            raise Failure(messages.pdf_failure_lines(
                result.pdf_error, result.workbook, archived=result.filing is not None,
                asked_by=pdf_asked_by, message_waits=mail_config is not None,
            )) from result.pdf_error
        if mail_config is not None:
            _circulate(result, mail_config, send)


def _pdf_settings(with_pdf: bool | None, mail_config: Config | None,
                  ) -> tuple[PdfSettings | None, str]:
    """How to make the PDF when this build makes one, and what asked for it: --pdf
    ("option"), else the [output] pdf key ("config"), and always when the message must
    carry it ("attachments"). Nothing here looks for LibreOffice: the build does, once
    the workbook is in place."""
    from ..config import CONFIG_NAME, load_output
    from ..problems import InputError
    from .messages import input_problem_lines

    try:
        output = load_output(Path(CONFIG_NAME))
    except InputError as error:
        raise Failure(input_problem_lines(error.problems, Path(CONFIG_NAME))) from error
    wanted = output.pdf if with_pdf is None else with_pdf
    asked_by = "option" if with_pdf else "config"
    attached = mail_config.email.attachments if mail_config is not None else None
    if attached is not None and "pdf" in attached:
        if with_pdf is False:
            raise click.UsageError("--no-pdf ne va pas avec la clé attachments de la section "
                                   "[email] de spes-report.toml, qui demande le PDF en pièce "
                                   "jointe.")
        # The message needs it whatever asked for it too: « rebuild without --pdf » would
        # be refused, so the advice is the attachments key's.
        asked_by, wanted = "attachments", True
    if not wanted:
        return None, ""
    from ..pdf import DEFAULT_TIMEOUT_SECONDS, Settings

    return Settings(output.soffice, output.pdf_timeout or DEFAULT_TIMEOUT_SECONDS), asked_by


def _configured_freshness() -> int:
    """``freshness_days`` from spes-report.toml's [report] section, else the default."""
    from ..config import CONFIG_NAME, load_freshness
    from ..problems import InputError
    from .messages import input_problem_lines

    try:
        configured = load_freshness(Path(CONFIG_NAME))
    except InputError as error:
        raise Failure(input_problem_lines(error.problems, Path(CONFIG_NAME))) from error
    return configured if configured is not None else DEFAULT_FRESHNESS_DAYS


def _report_build(result: BuildResult) -> None:
    """What the build did, line by line."""
    from .. import french
    from . import messages

    for line in messages.repair_lines(result.repair):
        click.echo(line, err=True)
    if result.plan is not None:
        click.echo(messages.plan_line(result.plan))
    for line in messages.warning_lines(result.warnings):
        click.echo(line, err=True)
    for excluded in result.excluded:
        click.echo(messages.excluded_month_line(excluded), err=True)
    if result.replaced is not None:
        click.echo(f"Version précédente conservée : {result.replaced}")
    if result.replaced_pdf is not None:
        click.echo(f"PDF précédent conservé : {result.replaced_pdf}")
    click.echo(f"Classeur écrit : {result.workbook}")
    if result.filing is not None:
        click.echo(messages.filing_line(result.filing))
    if result.pdf is not None:
        for line, warning in messages.pdf_lines(result.pdf):
            click.echo(line, err=warning)
    for line in messages.revision_lines(result.report):
        click.echo(line)
    for line in messages.correction_lines(result.report.corrections):
        click.echo(line)
    click.echo(french.summary_line(result.report))
    if result.report.missions:
        click.echo(french.trajectory_counts(result.report))


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
    from ..mailing.render import check_templates

    config = mail_config(send, check_templates)
    require_password(config, send, "Le message ne peut pas être envoyé")
    return config


def mail_config(send: bool, check: Callable[[], None]) -> Config:
    """spes-report.toml (its [smtp] section too when sending) and the templates, tried
    by ``check``: a mistake in either stops the command before anything is written."""
    from ..config import CONFIG_NAME, load_config
    from ..problems import InputError
    from .messages import input_problem_lines, template_problem_lines

    try:
        config = load_config(Path(CONFIG_NAME), need_smtp=send)
    except InputError as error:
        raise Failure(input_problem_lines(error.problems, Path(CONFIG_NAME))) from error
    try:
        check()
    except InputError as error:
        raise Failure(template_problem_lines(error.problems,
                                             "aucun fichier n'a été écrit")) from error
    return config


def require_password(config: Config, send: bool, cannot_send: str) -> None:
    """When sending, the SMTP password must be found before anything is written;
    ``cannot_send`` opens the refusal (« Le message ne peut pas être envoyé »)."""
    from ..mailing.smtp import SendError, password_for

    if send and config.smtp is not None:
        try:
            password_for(config.smtp)
        except SendError as error:
            raise Failure(f"{cannot_send} : {error}. Aucun fichier n'a été écrit.") from error


def _circulate(result: BuildResult, config: Config, send: bool) -> None:
    """Write the .eml draft beside the workbook and, with --send, send it."""
    from ..archive import archive_root
    from ..mailing.jobs import prepare_email, send_and_record
    from ..mailing.smtp import SendError
    from ..problems import InputError
    from . import messages
    from .messages import draft_failed_text, sending_note_line, template_problem_lines

    try:
        prepared = prepare_email(result.report, result.workbook, config.email)
    except InputError as error:
        raise Failure(template_problem_lines(
            error.problems, "le classeur est écrit, mais pas le message")) from error
    except OSError as error:
        # The workbook and the archive are done: say so, and what stopped the message.
        raise Failure(draft_failed_text(result.workbook, error)) from error
    click.echo(f"Message prêt : {prepared.draft} (Outlook l'ouvre comme un brouillon à "
               f"envoyer) ; {messages.attached_text(prepared.attached)}")
    if not send or config.smtp is None:
        return
    smtp = config.smtp
    recipients = [a.addr_spec for a in (*config.email.to, *config.email.cc)]
    click.echo(f"Envoi à {', '.join(recipients)} par {smtp.host}:{smtp.port}…")
    day = result.report.report_date
    try:
        sending = send_and_record(prepared, smtp, day, archive_root(result.workbook.parent))
    except SendError as error:
        raise Failure([f"Le message n'a pas été envoyé : {error}.",
                       "Rien n'est noté comme envoyé. Le message reste prêt dans "
                       f"{prepared.draft}"]) from error
    click.echo(f"Message envoyé : le serveur a répondu « {sending.receipt.answer} ».")
    line, warning = sending_note_line(sending.note, day, prepared.attachment.name)
    click.echo(line, err=warning)


def _read_archive(output_dir: Path, read: Callable[[Path], T]) -> T:
    """``read(archive root)`` as the archive commands do: one command at a time in the
    outputs folder, an interrupted one repaired first (and said), misplaced files refused."""
    from ..archive import archive_root, check_folders, open_outputs
    from .messages import repair_lines

    root = archive_root(output_dir)
    with open_outputs(output_dir, create=False) as repair:
        for line in repair_lines(repair):
            click.echo(line, err=True)
        check_folders(root)
        return read(root)


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
    from ..archive import archive_root, archived_months
    from .messages import damaged_months_text, month_line

    root = archive_root(output_dir)
    months = _read_archive(output_dir, archived_months)
    if not months:
        click.echo(f"Aucun comité n'est archivé dans {root}.")
    for month in months:
        click.echo(month_line(month))
    damaged = [month.name for month in months if month.report_date is None]
    if damaged:
        raise Failure(damaged_months_text(damaged))


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
    from ..archive import archive_root, verify
    from .messages import verification_lines

    root = archive_root(output_dir)
    result = _read_archive(output_dir, lambda root: verify(root, month))
    lines = verification_lines(root, result)
    if result.problems:
        raise Failure(lines)
    for line in lines:
        click.echo(line)


@archive.command("export", short_help="Tous les comités archivés en un tableau (CSV ou .xlsx).")
@click.argument("target", metavar="[FICHIER]", required=False, default=None,
                type=click.Path(path_type=Path, dir_okay=False))
@ARCHIVE_OUTPUT_DIR
def archive_export(target: Path | None, output_dir: Path) -> None:
    """Écrit tous les comités archivés en un seul tableau : une ligne par comité, mission et
    échéance. FICHIER en .csv (par défaut DOSSIER/comites.csv, pour Excel) ou en .xlsx.
    """
    from ..archive.export import archived_figures, csv_bytes, export_day
    from ..files import write_atomically
    from .messages import export_excluded_line, export_line

    target = target or output_dir / "comites.csv"
    suffix = target.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise click.BadParameter("le fichier doit se terminer par .csv ou .xlsx.",
                                 param_hint="FICHIER")
    exported = _read_archive(output_dir, archived_figures)
    if suffix == ".csv":
        content = csv_bytes(exported.figures)
    else:
        from ..writers.export import export_xlsx_bytes

        content = export_xlsx_bytes(exported.figures, export_day(exported.figures))
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, content)
    for excluded in exported.excluded:
        click.echo(export_excluded_line(excluded), err=True)
    click.echo(export_line(target, exported.figures))


@cli.group("plan", cls=FrenchGroup, short_help="Le plan : missions, échéances et cibles.")
def plan_group() -> None:
    """Le plan : missions, échéances et cibles (plan.xlsx, à modifier dans Excel)."""


@plan_group.command("init", short_help="Crée plan.xlsx, prérempli avec le plan intégré.")
@click.argument("path", metavar="[FICHIER]", required=False, default=Path("plan.xlsx"),
                type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True,
              help="Remplace un fichier existant (l'ancien est gardé en copie datée).")
def plan_init(path: Path, force: bool) -> None:
    """Crée plan.xlsx (ou FICHIER), prérempli avec le plan intégré à l'outil."""
    from ..plan import read_plan
    from ..writers.plan import write_plan
    from ..writers.template import TemplateExistsError
    from .messages import template_exists_text

    try:
        backup = write_plan(path, read_plan().plan, force=force)
    except TemplateExistsError as error:
        raise Failure(template_exists_text(error.path)) from error
    if backup is not None:
        click.echo(f"Ancien fichier conservé : {backup}")
    click.echo(f"Plan créé : {path} (modifiez-le dans Excel, puis vérifiez-le avec "
               "« spes-report plan check »)")


@plan_group.command("check", short_help="Vérifie le plan sans rien écrire.")
@click.argument("plan_file", metavar="[FICHIER]", required=False, default=None,
                type=click.Path(path_type=Path))
def plan_check(plan_file: Path | None) -> None:
    """Vérifie le plan sans rien écrire (par défaut plan.xlsx, sinon le plan intégré)."""
    from .messages import plan_summary_line

    plan = plan_in_force(plan_file, outcome=None)
    click.echo(plan_summary_line(plan))


@plan_group.command("show")
@click.argument("plan_file", metavar="[FICHIER]", required=False, default=None,
                type=click.Path(path_type=Path))
def plan_show(plan_file: Path | None) -> None:
    """Affiche les missions et leurs cibles sous forme de tableau."""
    import shutil

    from .messages import plan_line, plan_table_lines

    plan = plan_in_force(plan_file, outcome=None)
    click.echo(plan_line(plan))
    width = shutil.get_terminal_size((100, 24)).columns
    for line in plan_table_lines(plan.plan, width):
        click.echo(line)
