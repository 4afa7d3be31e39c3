"""What the commands print: results, records and errors turned into French lines.

The library returns data (a filing, corrections, differences, skipped months,
a verification, a sending note) and raises exceptions that carry data; every
sentence the console shows is written here, from that data.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .. import french
from ..archive import (
    MANIFEST_NAME,
    SUPERSEDED_PREFIX,
    AlreadyArchivedError,
    ExcludedMonth,
    Filing,
    ManifestError,
    Outcome,
    PdfNotFiled,
    Repair,
    UnfinishedChangeError,
)
from ..french import DASH
from ..locking import OutputBusyError
from ..model import ArchivedFigure, Correction, Exclusion, Plan, Report
from ..problems import Problem, disk_full, os_error_text

if TYPE_CHECKING:  # loaded by the functions that word them: a build does not need them
    from ..archive import (
        ArchivedMonth,
        CommitteeChange,
        Difference,
        FigureChange,
        Recomputed,
        SendingNote,
        Verification,
    )
    from ..pdf import PdfError
    from ..pipeline import Printed
    from ..plan import LoadedPlan

# Problems listed on screen; the count of the others follows.
MAX_LISTED = 50


# --- problems ------------------------------------------------------------------------

def problem_lines(heading: str, problems: Sequence[Problem], limit: int | None = MAX_LISTED,
                  ) -> list[str]:
    """``heading``, then one line per problem (the first ``limit`` of them)."""
    shown = problems if limit is None else problems[:limit]
    lines = [heading, *(f"  - {problem}" for problem in shown)]
    if len(problems) > len(shown):
        # A file with thousands of wrong rows: the first ones show what to fix.
        rest = french.integer(len(problems) - len(shown))
        lines.append(f"  … et {rest} autres problèmes : corrigez d'abord ceux-ci, puis "
                     "relancez la vérification.")
    return lines


def input_problem_lines(problems: Sequence[Problem], source: Path | None) -> list[str]:
    """The problems of an input, a configuration or a plan, and that nothing was written."""
    where = f"Le fichier {source}" if source else "L'entrée"
    return problem_lines(f"{where} contient {french.count(len(problems), 'problème')} ; aucun "
                         "fichier n'a été écrit.", problems)


def warning_lines(warnings: Sequence[Problem]) -> list[str]:
    """Legal but suspicious things in the plan or the input: said, never blocking."""
    return [f"Attention : {warning}" for warning in warnings]


def plan_problem_lines(problems: Sequence[Problem], source: Path | None,
                       outcome: str | None = "aucun fichier n'a été écrit") -> list[str]:
    """The plan's problems; ``outcome`` says what the command did not do (None: nothing
    to say, as for ``plan check``)."""
    from ..naming import EMBEDDED_PLAN_LABEL

    name = source if source is not None else EMBEDDED_PLAN_LABEL
    found = french.count(len(problems), "problème")
    heading = (f"Le plan {name} contient {found} ; {outcome}." if outcome
               else f"Le plan {name} contient {found} à corriger :")
    return problem_lines(heading, problems)


def plan_line(plan: LoadedPlan) -> str:
    """``Plan : plan.xlsx (a3f9c1…)``: which plan a command used."""
    return f"Plan : {plan.source.file_name} ({plan.source.short_hash}…)"


def plan_summary_line(plan: LoadedPlan) -> str:
    """``plan.xlsx : aucun problème. 8 missions, 4 échéances (…), 32 cibles.``"""
    missions = plan.plan.missions
    dates = plan.plan.milestone_dates
    targets = sum(len(m.milestones) for m in missions)
    span = (f" (du {french.short_date(dates[0])} au {french.short_date(dates[-1])})"
            if len(dates) > 1 else "")
    title = f" « {plan.plan.title} »" if plan.plan.title else ""
    problems = ("aucun problème" if not plan.warnings else
                f"aucun problème, {french.count(len(plan.warnings), 'avertissement')}")
    return (f"{plan.source.file_name} ({plan.source.short_hash}…) : {problems}. Plan{title} "
            f"du service {plan.plan.service} : {french.count(len(missions), 'mission')}, "
            f"{french.count(len(dates), 'échéance')}{span}, "
            f"{french.count(targets, 'cible')}.")


def plan_table_lines(plan: Plan, width: int) -> list[str]:
    """The plan as a compact table for a terminal ``width`` characters wide."""
    dates = plan.milestone_dates
    pilots = any(m.pilot for m in plan.missions)
    number_width = max(2, *(len(str(m.number)) for m in plan.missions))
    pilot_width = min(24, max((len(m.pilot) for m in plan.missions), default=0))
    fixed = number_width + 2 + 12 * len(dates) + (pilot_width + 2 if pilots else 0)
    title_width = max(16, width - 1 - fixed)

    def cut(text: str, size: int) -> str:
        return text if len(text) <= size else text[:size - 1] + "…"

    def line(number: str, title: str, cells: Sequence[str], pilot: str) -> str:
        text = f"{number:>{number_width}}  {cut(title, title_width):<{title_width}}"
        text += "".join(f"{cell:>12}" for cell in cells)
        if pilots:
            text += f"  {cut(pilot, pilot_width)}"
        return text.rstrip()

    heading = f"{plan.service} — {plan.title}" if plan.title else plan.service
    lines = [heading, line("N°", "Mission", [french.short_date(d) for d in dates], "Pilote")]
    for mission in plan.missions:
        targets = {ms.due: ms.target for ms in mission.milestones}
        lines.append(line(str(mission.number), mission.title,
                          [french.percent(targets.get(d)) for d in dates], mission.pilot))
    return lines


def template_problem_lines(problems: Sequence[Problem], outcome: str) -> list[str]:
    return problem_lines(f"Les modèles de message contiennent "
                         f"{french.count(len(problems), 'problème')} ; {outcome}.",
                         problems, limit=None)


# --- check ---------------------------------------------------------------------------

def check_line(path: Path, rates: int, missions: int, dates: int) -> str:
    """``inputs/input.xlsx : aucun problème. 16 taux lus pour 8 missions, sur 4 dates.``"""
    dates_text = french.count(dates, "date") if dates else "aucune date"
    if rates:
        found = (f"{french.count(rates, 'taux lu', 'taux lus')} pour "
                 f"{french.count(missions, 'mission')}, sur {dates_text}")
    else:
        found = f"aucun taux n'est encore saisi ({dates_text})"
    return f"{path} : aucun problème. {french.capitalised(found)}."


# --- build ---------------------------------------------------------------------------

def excluded_month_line(excluded: ExcludedMonth) -> str:
    """Why an archived month is left out of this committee's history."""
    if excluded.reason is Exclusion.EDITED:
        month = excluded.folder.name
        return (f"Attention : le mois {month} a été modifié à la main depuis son archivage : "
                f"lancez « spes-report archive verify {month} ». Il est exclu de l'historique "
                "de ce comité (la Synthèse le signale).")
    error = manifest_error_text(excluded.error) if excluded.error else ""
    return (f"Attention : le comité archivé dans {excluded.folder} est ignoré dans "
            f"l'historique : sa fiche ({MANIFEST_NAME}) est illisible : {error}.")


def filing_line(filing: Filing) -> str:
    """What `build` says about the month's snapshot."""
    if filing.outcome is Outcome.IDENTICAL:
        return (f"Comité déjà archivé à l'identique dans {filing.folder} : "
                "rien de nouveau à archiver.")
    if filing.outcome is Outcome.REPLACED:
        return (f"Comité archivé : {filing.folder} (la version précédente est conservée "
                f"dans {filing.superseded})")
    return f"Comité archivé : {filing.folder}"


def correction_lines(corrections: Sequence[Correction]) -> list[str]:
    """The archived figures the input has changed, under a heading; none: no line."""
    if not corrections:
        return []
    count = len(corrections)
    if count == 1:
        heading = "1 valeur déjà présentée en comité a été modifiée dans le fichier de saisie :"
    else:
        heading = (f"{count} valeurs déjà présentées en comité ont été modifiées dans le "
                   "fichier de saisie :")
    return [heading, *(f"  - {correction_text(c)}" for c in corrections)]


def revision_lines(report: Report) -> list[str]:
    """How the plan changed since the previous committee, under a heading; none: no line."""
    previous = report.previous_committee
    if not report.revisions or previous is None:
        return []
    return [french.revisions_heading(len(report.revisions), previous.report_date),
            *(f"  - {french.revision_text(r)}" for r in report.revisions)]


def correction_text(correction: Correction) -> str:
    """``M3, 01/06/2020 : 70 % → 65 % (comité du 1er juin 2020)``."""
    return (f"M{correction.mission}, {french.short_date(correction.on)} : "
            f"{_rate(correction.reported)} → {_rate(correction.now)} "
            f"(comité du {french.long_date(correction.committee)})")


def _rate(rate: float | None) -> str:
    """A rate as typed (``65 %``, ``65,25 %``): a correction may be in the decimals.
    An emptied cell reads « vide »."""
    return "vide" if rate is None else french.percent(rate, decimals=6)


def already_archived_text(error: AlreadyArchivedError) -> str:
    """Why the archive refused the month, and the way out (--replace)."""
    folder = error.folder
    keep = f"l'ancienne version sera conservée dans un dossier {SUPERSEDED_PREFIX}<horodatage>"
    if error.archived is None:
        reason = manifest_error_text(error.unreadable) if error.unreadable else ""
        return (f"Le mois {folder.name} est déjà archivé (dans {folder}), mais sa fiche "
                f"({MANIFEST_NAME}) est illisible : {reason}. Rien n'a été écrit. "
                f"Vérifiez ce mois avec « spes-report archive verify {folder.name} » ; pour "
                f"archiver la nouvelle version, relancez avec --replace : {keep}.")
    archived_day = date.fromisoformat(error.archived["report_date"])
    new_day = date.fromisoformat(error.new["report_date"])
    lines = [
        f"Le mois {folder.name} est déjà archivé (le comité du "
        f"{french.long_date(archived_day)}, dans {folder}) et le nouveau classeur du "
        f"{french.long_date(new_day)} en diffère :",
        *(f"  - {difference_text(item)} ;" for item in error.differences.items),
    ]
    lines[-1] = lines[-1].removesuffix(" ;") + "."
    if error.differences.history:
        lines.append(
            "Rien n'a été écrit. Un mois précédent a été remplacé depuis l'archivage de "
            "celui-ci : son classeur ne peut plus être reconstruit à l'identique. Pour "
            f"l'archiver avec l'historique à jour, relancez avec --replace : {keep}.")
    else:
        lines.append("Rien n'a été écrit. Pour archiver la nouvelle version, relancez "
                     f"avec --replace : {keep}.")
    return "\n".join(lines)


def difference_text(item: Difference) -> str:
    """One thing that differs between the archived month and the new build."""
    from ..archive import (
        DateChanged,
        FiguresChanged,
        FreshnessChanged,
        HistoryChanged,
        InputChanged,
        PlanChanged,
        RatesChanged,
        ToleranceChanged,
        ToolVersionChanged,
        Unexplained,
    )

    if isinstance(item, DateChanged):
        return (f"date du comité : {french.long_date(item.archived)} dans l'archive, "
                f"{french.long_date(item.new)} maintenant")
    if isinstance(item, InputChanged):
        if item.same_content:
            return (f"nom du fichier de saisie : {item.archived_name} dans l'archive, "
                    f"{item.new_name} maintenant (même contenu)")
        if item.archived_name == item.new_name:
            return f"fichier de saisie {item.new_name} modifié depuis l'archivage"
        return (f"fichier de saisie : {item.archived_name} dans l'archive, {item.new_name} "
                "maintenant (contenu différent)")
    if isinstance(item, ToleranceChanged):
        return (f"tolérance : {_points(item.archived)} dans l'archive, "
                f"{_points(item.new)} maintenant")
    if isinstance(item, ToolVersionChanged):
        return (f"version de l'outil : {item.archived} dans l'archive, {item.new} "
                "maintenant")
    if isinstance(item, FreshnessChanged):
        return (f"fraîcheur des taux : {item.archived} jours dans l'archive, "
                f"{item.new} jours maintenant")
    if isinstance(item, PlanChanged):
        if item.same_content:
            return ("plan : même contenu, mais un autre fichier (autre nom, autre format ou "
                    "enregistré à nouveau)")
        return "plan modifié depuis l'archivage (missions, cibles ou textes)"
    if isinstance(item, HistoryChanged):
        return "historique des comités précédents : " + " ; ".join(
            _committee_change(day, change) for day, change in item.changes)
    if isinstance(item, RatesChanged):
        parts = [f"{french.count(n, 'valeur')} {french.plural(n, singular, plural)}"
                 for n, singular, plural in ((item.changed, "modifiée", "modifiées"),
                                             (item.added, "ajoutée", "ajoutées"),
                                             (item.removed, "effacée", "effacées")) if n]
        return "taux saisis : " + (", ".join(parts) or "mêmes valeurs, dans un autre ordre")
    if isinstance(item, FiguresChanged):
        parts = []
        if item.missions:
            numbers = french.listing([str(n) for n in item.missions])
            parts.append(f"{french.plural(len(item.missions), 'mission')} {numbers}")
        if item.average:
            parts.append("taux moyen")
        return "chiffres présentés au comité différents : " + ", ".join(parts)
    assert isinstance(item, Unexplained)
    return ("classeur différent avec la même saisie et les mêmes réglages : cause "
            "inconnue, à signaler à l'équipe qui maintient l'outil")


def _points(value: float) -> str:
    """``2,25 points``: every decimal, since two tolerances may differ only there."""
    return f"{french.number(value)} {french.plural(value, 'point')}"


def _committee_change(day: date, change: CommitteeChange) -> str:
    from ..archive import CommitteeChange

    what = {CommitteeChange.GONE: "n'est plus dans l'archive",
            CommitteeChange.ADDED: "a été archivé depuis",
            CommitteeChange.REPLACED: "a été remplacé depuis (--replace)"}[change]
    return f"le comité du {french.long_date(day)} {what}"


def manifest_error_text(error: Exception, brief: bool = False) -> str:
    """Why a manifest could not be read, inside a sentence; ``brief``: its first flaw only."""
    if isinstance(error, ManifestError):
        if brief and len(error.flaws) > 1:
            more = len(error.flaws) - 1
            return f"{error.flaws[0]}, et {french.count(more, 'autre défaut', 'autres défauts')}"
        return str(error)
    if isinstance(error, FileNotFoundError):
        return "fichier absent"
    if isinstance(error, OSError):
        # "Erreur d'accès au fichier … : accès refusé…", inside a sentence here.
        return french.uncapitalised(os_error_text(error))
    if isinstance(error, KeyError):
        return f"information manquante : {error.args[0]}"
    return str(error) or type(error).__name__


# --- archive list and verify ---------------------------------------------------------

def month_line(month: ArchivedMonth) -> str:
    """``2020-06 — comité du 1er juin 2020 : 5 conformes, … ; taux moyen 78,4 % ; non remplacé``."""
    replaced = len(month.superseded)
    replaced_text = ("non remplacé" if not replaced
                     else f"remplacé {replaced} fois (versions antérieures conservées)")
    if month.report_date is None:
        error = manifest_error_text(month.error, brief=True) if month.error else ""
        return f"{month.name} — fiche du comité illisible : {error} ; {replaced_text}"
    plan = (f"plan « {month.plan_title} »" if month.plan_title
            else "plan intégré à l'outil 0.1.0" if month.plan_title is None
            else "plan sans titre")
    changed = ", modifié depuis le mois précédent" if month.plan_changed else ""
    return (f"{month.name} — comité du {french.long_date(month.report_date)} : "
            f"{french.status_counts(month.status_counts)} ; "
            f"taux moyen {french.percent(month.average_actual, keep_zeros=True)} ; "
            f"{plan} ({month.plan_sha256[:6]}…{changed}) ; {replaced_text}")


def damaged_months_text(months: Sequence[str]) -> str:
    """Why ``archive list`` ends with status 1."""
    listed = french.listing(list(months))
    return (f"{french.capitalised(french.plural(len(months), 'le mois', 'les mois'))} "
            f"{listed} {french.plural(len(months), 'a', 'ont')} une fiche illisible : lancez "
            f"« spes-report archive verify » pour le détail.")


def export_line(target: Path, figures: Sequence[ArchivedFigure]) -> str:
    """``Archive exportée : outputs/comites.csv (2 comités, 64 lignes).``"""
    committees = len({f.report_date for f in figures})
    if not figures:
        return f"Archive exportée : {target} (aucun comité archivé : en-têtes seuls)."
    return (f"Archive exportée : {target} ({french.count(committees, 'comité')}, "
            f"{french.count(len(figures), 'ligne')}).")


def export_excluded_line(excluded: ExcludedMonth) -> str:
    """A month the export leaves out, and what to do."""
    if excluded.reason is Exclusion.EDITED:
        why = ("modifié depuis son archivage, ou construit avec un plan que l'outil ne "
               "connaît plus")
    else:
        error = manifest_error_text(excluded.error) if excluded.error else ""
        why = f"fiche ({MANIFEST_NAME}) illisible : {error}"
    return (f"Attention : le mois {excluded.folder.name} n'est pas exporté ({why}) : lancez "
            f"« spes-report archive verify {excluded.folder.name} ».")


def verification_lines(root: Path, result: Verification) -> list[str]:
    """The problems found in the archive, or what was checked; then, in both cases, what
    the current rules say of the months filed by another version."""
    notes = [line for item in result.recomputed for line in recomputed_lines(item)]
    if result.problems:
        return [*problem_lines(f"L'archive {root} contient "
                               f"{french.count(len(result.problems), 'problème')} :",
                               result.problems, limit=None), *notes]
    if not result.checked:
        return [f"Aucun comité n'est archivé dans {root} : rien à vérifier."]
    same = len(result.checked) - len(result.recomputed)
    rebuilt = (f" ; {french.count(same, 'classeur reconstruit', 'classeurs reconstruits')} "
               "à l'identique" if same else "")
    # A PDF's bytes depend on the LibreOffice that printed it: checked, never printed again.
    count = len(result.pdfs)
    pdfs = (f" ; {count} PDF {french.plural(count, 'conforme à son', 'conformes à leur')} "
            "empreinte, sans réimpression" if count else "")
    return [f"Archive vérifiée : {french.count(len(result.checked), 'version')} de comité "
            f"({', '.join(result.checked)}) ; fichiers intacts{rebuilt}{pdfs}.", *notes]


def recomputed_lines(item: Recomputed) -> list[str]:
    """A month filed by another version: its figures under the current rules."""
    head = f"{item.snapshot} : archivé par la version {item.version} de l'outil"
    if item.legacy_plan:
        head += " (avant l'archivage des plans : vérifié avec le plan intégré à l'outil)"
    if not item.plan_known:
        return [f"{head} ; le plan intégré a changé depuis : seules les empreintes des "
                "fichiers sont vérifiées."]
    if item.unreadable:
        return [f"{head} ; sa saisie ne se relit plus avec les règles actuelles (pour "
                "information, les fichiers sont intacts) :",
                *(f"  - {problem}" for problem in item.unreadable)]
    if not item.changes:
        return [f"{head} ; chiffres recalculés avec les règles actuelles : identiques à "
                "ceux présentés."]
    lines = [f"{head} ; chiffres recalculés avec les règles actuelles (pour information, "
             "le comité a vu les chiffres présentés) :"]
    lines += [f"  - {figure_change_text(change)}" for change in item.changes]
    return lines


_FIGURE_NAMES = {"target": "cible", "actual": "réalisé", "gap_points": "écart",
                 "status": "statut", "average_actual": "taux moyen"}


def figure_change_text(change: FigureChange) -> str:
    """``M3 : statut présenté Vigilance, règles actuelles Alerte``."""
    def value(figure: str, raw: object) -> str:
        if raw is None:
            return DASH
        if figure in ("target", "actual", "average_actual") and isinstance(raw, int | float):
            return french.percent(float(raw))
        if figure == "gap_points" and isinstance(raw, int | float):
            return french.points(float(raw), signed=True)
        return str(raw)

    if change.figure.startswith("count:"):
        status = change.figure.removeprefix("count:")
        shown = int(change.presented)
        return (f"missions « {status} » : {shown} {french.plural(shown, 'présentée')}, "
                f"{change.now} selon les règles actuelles")
    name = _FIGURE_NAMES.get(change.figure, change.figure)
    who = f"M{change.mission} : " if change.mission is not None else ""
    return (f"{who}{name} présenté{'e' if name in ('cible',) else ''} "
            f"{value(change.figure, change.presented)}, règles actuelles "
            f"{value(change.figure, change.now)}")


# --- email ---------------------------------------------------------------------------

def sending_note_line(note: SendingNote, report_date: date, attachment: str,
                      ) -> tuple[str, bool]:
    """Where the sending was noted, or why not; and whether that is a warning."""
    from ..archive import NotNoted

    if note.not_noted is None:
        return f"Envoi noté dans {note.manifest}", False
    if note.not_noted is NotNoted.NO_ARCHIVE:
        return (f"Ce mois n'a pas d'archive ({note.manifest.parent}) : l'envoi n'y est pas "
                "noté.", False)
    if note.not_noted is NotNoted.OTHER_COMMITTEE:
        assert note.archived_date is not None
        why = (f"ce mois est archivé pour le comité du {french.long_date(note.archived_date)}, "
               f"pas pour celui du {french.long_date(report_date)} dont le message vient de "
               "partir")
    elif note.not_noted is NotNoted.OTHER_WORKBOOK:
        why = (f"le classeur envoyé ({attachment}) n'est pas celui archivé pour ce comité "
               "(empreintes SHA-256 différentes : construit avec d'autres réglages ou une "
               "autre saisie, par exemple avec --no-archive)")
    elif note.not_noted is NotNoted.UNREADABLE:
        error = manifest_error_text(note.error) if note.error else ""
        why = f"fiche du comité illisible : {error}"
    else:
        why = ("une autre commande modifiait ce mois de l'archive et ne s'est pas terminée "
               "à temps ; le message est bien parti, ne le renvoyez pas")
    return ("Attention : le message est parti, mais l'envoi n'a pas pu être noté dans "
            f"l'archive ({note.manifest} : {why})."), True


def attached_text(attached: Sequence[Path]) -> str:
    """``pièces jointes : SPES_COPIL_2020-06-01.xlsx et SPES_COPIL_2020-06-01.pdf``."""
    names = french.listing([path.name for path in attached])
    return f"{french.plural(len(attached), 'pièce jointe', 'pièces jointes')} : {names}"


# --- the PDF -------------------------------------------------------------------------

_NOT_FILED = {
    PdfNotFiled.NO_MONTH: "ce mois n'a pas d'archive",
    PdfNotFiled.OTHER_COMMITTEE: "ce mois est archivé pour un autre comité",
    PdfNotFiled.OTHER_WORKBOOK: "le classeur archivé pour ce comité n'est pas celui-ci",
    PdfNotFiled.EDITED: "le mois {month} a été modifié à la main depuis son archivage",
    PdfNotFiled.UNREADABLE: "la fiche du mois {month} est illisible",
    PdfNotFiled.NAME_TAKEN: ("un fichier {name} est déjà dans {folder} sans figurer dans la "
                             "fiche du comité"),
}


def pdf_lines(printed: Printed) -> list[tuple[str, bool]]:
    """What build says of the PDF it put beside the workbook; each line with whether it is
    a warning."""
    month = printed.month
    pages = french.count(printed.pages, "page")
    if month is not None and month.archived is not None:
        made = f", imprimé par {month.made_with}" if month.made_with else ""
        lines = [(f"PDF repris de l'archive du comité ({pages}{made} lors d'une construction "
                  f"précédente) : {printed.path}", False)]
    else:
        seconds = french.number(printed.seconds, 1)
        lines = [(f"PDF écrit : {printed.path} ({pages}, imprimé par {printed.made_with} en "
                  f"{seconds} s)", False)]
    if printed.filed and month is not None:
        lines.append((f"PDF archivé avec le comité : {month.folder / printed.path.name}", False))
    elif month is not None and month.not_filed is not None:
        why = _NOT_FILED[month.not_filed].format(month=month.folder.name,
                                                  name=printed.path.name, folder=month.folder)
        advice = ("" if month.not_filed in (PdfNotFiled.NO_MONTH, PdfNotFiled.OTHER_COMMITTEE,
                                            PdfNotFiled.OTHER_WORKBOOK)
                  else f" : lancez « spes-report archive verify {month.folder.name} »")
        lines.append((f"Attention : le PDF n'est pas archivé avec le comité ({why}){advice}.",
                      True))
    return lines


def _start_refusal(error: PdfError) -> str:
    """Why the system would not start LibreOffice, in French where the errno says it."""
    import errno

    reasons = {errno.EACCES: "droit d'exécution refusé",
               errno.EPERM: "droit d'exécution refusé",
               errno.ENOEXEC: "ce fichier n'est pas un programme",
               errno.ENOENT: "fichier introuvable"}
    known = reasons.get(error.error_number) if error.error_number is not None else None
    return known or f"refus du système : {error.detail}"


def pdf_failure_lines(error: Exception, workbook: Path, archived: bool, asked_by: str,
                      message_waits: bool) -> list[str]:
    """Why the PDF was not made, what to do, and that the workbook stands."""
    from ..journal import JournalError
    from ..pdf import MINIMUM_VERSION, PdfError, Trouble
    from ..pipeline import NoSpaceError

    skip = {"option": "ou relancez la commande sans --pdf",
            "config": "ou relancez la commande avec --no-pdf (spes-report.toml demande le PDF "
                      "à chaque construction : section [output], clé pdf)",
            "attachments": "ou retirez \"pdf\" de la clé attachments de la section [email] "
                           "de spes-report.toml"}[asked_by]
    install = ("installez LibreOffice (gratuit : https://fr.libreoffice.org), ou indiquez où "
               "il se trouve dans spes-report.toml (section [output], clé soffice)")
    if isinstance(error, PdfError):
        program = error.program
        if error.trouble is Trouble.ABSENT:
            folders = "".join(f", ni dans {folder}" for folder in error.searched)
            what = ("LibreOffice est introuvable sur ce poste (ni soffice ni libreoffice dans "
                    f"les dossiers du PATH{folders})")
            todo = f"{french.capitalised(install)}, {skip}."
        elif error.trouble is Trouble.NOT_THERE:
            what = (f"LibreOffice est introuvable à l'emplacement indiqué dans spes-report.toml "
                    f"(section [output], clé soffice : {program})")
            todo = (f"Corrigez ce chemin (le programme soffice, ou le dossier qui le contient), "
                    f"{skip}.")
        elif error.trouble is Trouble.CANNOT_RUN:
            what = f"le système refuse de lancer {program} ({_start_refusal(error)})"
            todo = (f"Vérifiez que c'est bien LibreOffice et que vous avez le droit de "
                    f"l'exécuter, {skip}.")
        elif error.trouble is Trouble.TOO_OLD:
            minimum = ".".join(str(part) for part in MINIMUM_VERSION)
            what = (f"LibreOffice est trop ancien sur ce poste ({error.version}, {program}) : "
                    f"il faut la version {minimum} ou une plus récente")
            todo = f"Mettez LibreOffice à jour, {skip}."
        elif error.trouble is Trouble.TIMED_OUT:
            seconds = french.number(error.seconds)
            what = (f"LibreOffice ({program}) n'a pas terminé en {seconds} "
                    f"{french.plural(error.seconds, 'seconde')} : il a été arrêté")
            todo = ("Relancez la commande (un premier lancement de LibreOffice est plus long) ; "
                    "si cela se reproduit, accordez-lui plus de temps (section [output], clé "
                    f"pdf_timeout de spes-report.toml, en secondes), {skip}.")
        else:
            said = f" ; il a affiché : « {error.detail} »" if error.detail else ""
            version = f", {error.version}" if error.version else ""
            what = (f"LibreOffice ({program}{version}) s'est terminé sans produire de PDF "
                    f"lisible{said}")
            todo = (f"Vérifiez que LibreOffice ouvre ce classeur normalement, puis relancez la "
                    f"commande, {skip}.")
    elif isinstance(error, JournalError):
        what = (f"le journal de la construction ({error.path}) n'a pas pu être retiré ; la "
                "prochaine commande le retirera")
        todo = f"Libérez de la place ou corrigez la cause, puis relancez la commande, {skip}."
    elif isinstance(error, NoSpaceError):
        what = (f"le disque qui contient le dossier {error.folder} est presque plein (il faut "
                f"{french.file_size(error.needed)}, il reste {french.file_size(error.free)})")
        todo = f"Libérez de la place, puis relancez la commande, {skip}."
    else:
        assert isinstance(error, OSError)
        if disk_full(error):
            what = f"le disque qui contient le dossier {workbook.parent} est plein"
            todo = f"Libérez de la place, puis relancez la commande, {skip}."
        else:
            what = french.uncapitalised(os_error_text(error))
            todo = f"Corrigez la cause, puis relancez la commande, {skip}."
    redo = "le PDF et le message" if message_waits else "le PDF"
    kept = (f"Le classeur {workbook} est bien écrit{' et archivé' if archived else ''} ; "
            f"relancée, la même commande ne fera plus que {redo}.")
    lines = [f"Le PDF n'a pas été produit : {what}.", todo, kept]
    if message_waits:
        lines.insert(2, "Le message du comité n'a pas été préparé : il attend le PDF.")
    return lines


# --- errors --------------------------------------------------------------------------

def busy_text(error: OutputBusyError) -> str:
    seconds = f"{french.number(error.seconds, 1)} {french.plural(error.seconds, 'seconde')}"
    return (f"Une autre commande spes-report travaille dans le dossier {error.folder} (verrou "
            f"{error.lock}) et ne s'est pas terminée en {seconds} : attendez qu'elle finisse, "
            "puis relancez la commande. Aucun fichier n'a été modifié.")


def no_space_text(folder: Path, needed: int, free: int) -> str:
    return (f"Le disque qui contient le dossier {folder} est presque plein : la construction "
            f"demande {french.file_size(needed)} et il reste {french.file_size(free)}. "
            "Libérez de la place, puis relancez la commande. Rien n'a été modifié.")


def disk_full_text(path: Path | None) -> str:
    """A write refused because the disk is full, naming the folder."""
    where = f" qui contient le dossier {path.parent}" if path is not None else ""
    return (f"Le disque{where} est plein : libérez de la place, puis relancez la commande. "
            "Rien n'a été modifié.")


def archive_path_text(path: Path) -> str:
    return (f"{path} devrait être un dossier de l'archive, mais c'est un fichier (ou un autre "
            "objet qu'un dossier) : déplacez-le ou renommez-le, puis relancez la commande. "
            "Rien n'a été modifié.")


# What xlsxwriter's return codes mean.
WRITE_REFUSALS = {
    -1: "cellule hors des limites d'une feuille Excel",
    -2: f"texte trop long (plus de {french.integer(32_767)} caractères)",
    -3: "lien trop long",
    -4: "trop de liens dans la feuille",
}


def workbook_write_text(place: str, code: int) -> str:
    reason = WRITE_REFUSALS.get(code, f"erreur {code}")
    return (f"Le classeur n'a pas pu être écrit : écriture impossible en {place} : {reason}. "
            "Aucun fichier existant n'a été modifié.")


def draft_failed_text(workbook: Path, error: OSError) -> str:
    if disk_full(error):
        why = f"le disque qui contient le dossier {workbook.parent} est plein"
    else:
        why = french.uncapitalised(os_error_text(error))
    return (f"Le classeur {workbook} est écrit (et archivé s'il devait l'être), mais le message "
            f"n'a pas pu être préparé : {why}. Libérez de la place ou corrigez la cause, puis "
            "relancez la même commande : le classeur déjà écrit ne sera pas refait.")


def journal_text(path: Path) -> str:
    return (f"Le journal {path}, laissé par une commande interrompue, est illisible : rien n'a "
            "été modifié. Ne le supprimez pas : signalez-le à l'équipe qui maintient l'outil, "
            "qui saura terminer ou annuler la commande interrompue.")


def unfinished_text(error: UnfinishedChangeError) -> str:
    moves = ", ".join(f"{m.source} → {m.target}" for m in error.moves)
    return (f"Une commande interrompue n'a pas pu être terminée : le journal {error.journal} "
            f"est conservé (renommages restant à faire : {moves}). Rien d'autre n'a été "
            "modifié. Ne supprimez pas ce journal : signalez-le à l'équipe qui maintient "
            "l'outil.")


def repair_lines(repair: Repair) -> list[str]:
    """One line saying what an interrupted command left and what was done about it."""
    if not repair:
        return []
    if repair.unlocked:
        return ["Attention : le dossier des classeurs est en lecture seule : il est lu tel "
                "quel, sans verrou ni reprise d'une commande interrompue."]
    done = []
    if repair.finished is not None:
        what = [f"le classeur {repair.finished['workbook']}"] if "workbook" in repair.finished \
            else []
        if "month" in repair.finished:
            what.append(f"le comité archivé {repair.finished['month']}")
        if "pdf" in repair.finished:
            month = repair.finished.get("pdf_month")
            what.append(f"le PDF {repair.finished['pdf']}"
                        + (f" (et sa copie dans le comité archivé {month})" if month else ""))
        done.append(f"{french.listing(what) or 'ses fichiers'} mis en place")
    if repair.completed_months:
        months = french.listing(list(repair.completed_months))
        done.append(f"remplacement du mois {months} dans l'archive terminé (versions "
                    "antérieures conservées)")
    if repair.removed:
        done.append(french.count(len(repair.removed), "fichier ou dossier temporaire supprimé",
                                 "fichiers ou dossiers temporaires supprimés"))
    return [f"Reprise après une commande interrompue : {' ; '.join(done)}."]


def folder_in_place_text(path: Path) -> str:
    what = "le PDF" if path.suffix.lower() == ".pdf" else "le classeur"
    return (f"Impossible d'écrire {what} : {path} est un dossier (ou un autre objet "
            "qu'un fichier). Déplacez-le, ou choisissez un autre dossier avec --output-dir. "
            "Rien n'a été écrit.")


def template_exists_text(path: Path) -> str:
    return (f"Le fichier {path} existe déjà : ajoutez --force pour le remplacer (l'ancien "
            "sera conservé en copie datée).")
