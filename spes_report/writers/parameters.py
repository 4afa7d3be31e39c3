"""The Paramètres sheet: the tolerance and date the formulas use, the input's
identity, and the rules in plain French."""

from __future__ import annotations

from typing import Any

from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell

from ..french import DASH, pace_rule, points
from ..model import Report, Status, Trajectory
from .cells import Cells
from .pagination import RowHeights
from .printing import Page, set_up_page
from .rules import REPORT_DATE_NAME, TOLERANCE_NAME
from .styles import Styles
from .text import row_height, wrapped_lines

SHEET_NAME = "Paramètres"
LABEL_WIDTH, VALUE_WIDTH = 26, 160
TITLE_ROW = 0
TOLERANCE_ROW, DATE_ROW = 2, 3
VALUE_COL = 1
ROW_PT = 15

RULES = (
    ("Cible", "À chaque échéance, la cible est celle fixée pour la mission ; entre deux "
              "échéances, elle est calculée au prorata des jours (interpolation linéaire) ; "
              "après la dernière échéance, la dernière cible reste due."),
    ("Réalisé", "Le dernier taux de réalisation saisi à la date du comité ou avant."),
    ("Écart (pts)", "Réalisé moins cible, en points de pourcentage."),
    ("Tendance", "Évolution du réalisé, en points, depuis le comité précédent quand il est "
                 "archivé (feuille Historique), sinon depuis la mesure précédente de la "
                 "mission."),
    (Status.CONFORME.value, "Le réalisé atteint ou dépasse la cible (écart positif ou nul)."),
    (Status.VIGILANCE.value, "Le réalisé est sous la cible d'au plus la tolérance ci-dessus."),
    (Status.ALERTE.value, "Le réalisé est sous la cible de plus que la tolérance."),
    (Status.NON_RENSEIGNE.value, "Aucun taux de réalisation n'a été saisi pour la mission."),
    (Status.SANS_CIBLE.value, "La première échéance n'est pas encore atteinte : aucune cible "
                              "n'est due."),
    (Status.A_VENIR.value, "Échéance postérieure à la date du comité (feuilles des missions)."),
    ("Non actualisé", "Dans la colonne Tendance de la Synthèse : le dernier taux de la mission "
                      "date du comité précédent archivé ou d'avant (ce comité l'a déjà vu) ; "
                      "sans comité archivé, il date de plus de jours que la fraîcheur "
                      "ci-dessus. Une mission sans aucun taux reste « Non renseigné »."),
)


def projection_rules(report: Report) -> tuple[tuple[str, str], ...]:
    """The projection's rules, with the report's window and tolerance."""
    rule = report.projection_rule
    tolerance = points(report.tolerance_points)
    return (
        ("Rythme actuel", f"En points par mois : {pace_rule(rule)} ; sinon, pas de rythme. "
                          "Un mois compte 30,44 jours (365,25 / 12)."),
        ("Projection", "Le rythme actuel prolongé en ligne droite depuis le dernier taux "
                       "jusqu'à chaque échéance à venir, borné entre 0 % et 100 %. Sans "
                       "rythme, aucune projection n'est affichée (—), avec sa raison."),
        ("Rythme nécessaire", "Les points par mois qu'il faudrait gagner depuis le dernier "
                              "taux pour atteindre la cible de l'échéance finale ; 0 si elle "
                              "est déjà atteinte."),
        (Trajectory.EN_BONNE_VOIE.value, "La projection à l'échéance finale atteint sa cible."),
        (Trajectory.A_SURVEILLER.value, "La projection à l'échéance finale reste sous sa "
                                        f"cible de {tolerance} ou moins (la tolérance)."),
        (Trajectory.HORS_TRAJECTOIRE.value, "La projection à l'échéance finale reste sous "
                                            f"sa cible de plus de {tolerance}."),
        (Trajectory.NON_PROJETABLE.value, "Pas de rythme (trop peu de taux récents), ou "
                                          "l'échéance finale est passée."),
        ("Statut et trajectoire", "Le statut dit où en est la mission aujourd'hui face à la "
                                  "cible du jour ; la trajectoire, où son rythme la mène à "
                                  "l'échéance finale. Les deux se lisent côte à côte."),
        ("Météo", "Déclarée par le pilote dans le fichier de saisie (Soleil, Nuageux, Couvert, "
                  "Orage) ; signalée quand la trajectoire la contredit nettement : Soleil "
                  "alors que la mission est hors trajectoire (optimiste), Orage alors "
                  "qu'elle est en bonne voie (pessimiste)."),
    )


def define_names(workbook: Any) -> None:
    """Names the formulas use, so they read ``>=-Tolerance`` rather than a
    cell address on another sheet."""
    sheet = quote_sheetname(SHEET_NAME)
    for name, row in ((TOLERANCE_NAME, TOLERANCE_ROW), (REPORT_DATE_NAME, DATE_ROW)):
        cell = xl_rowcol_to_cell(row, VALUE_COL, row_abs=True, col_abs=True)
        if workbook.define_name(name, f"={sheet}!{cell}") < 0:
            raise ValueError(f"invalid defined name {name}")


def write_parameters(worksheet: Any, styles: Styles, report: Report, page: Page) -> None:
    cells = Cells(worksheet, styles)
    heights = RowHeights(worksheet)
    worksheet.set_column(0, 0, LABEL_WIDTH)
    worksheet.set_column(1, 1, VALUE_WIDTH)
    cells.merged_text(TITLE_ROW, 0, VALUE_COL, "Paramètres et règles de calcul", "title")
    heights.set(TITLE_ROW, 26)

    heights.set(TOLERANCE_ROW, ROW_PT)
    heights.set(DATE_ROW, ROW_PT)
    cells.text(TOLERANCE_ROW, 0, "Tolérance (points)", "param_label")
    cells.number(TOLERANCE_ROW, VALUE_COL, report.tolerance_points, "param_number")
    cells.text(DATE_ROW, 0, "Date du comité", "param_label")
    cells.date(DATE_ROW, VALUE_COL, report.report_date, "param_date")
    source, plan, rule = report.source, report.plan_source, report.projection_rule
    identity = (
        ("Fichier d'entrée", source.file_name if source else DASH),
        ("Empreinte SHA-256 du fichier", source.sha256 if source else DASH),
        ("Plan", f"{plan.file_name} — {report.plan_title}" if plan and report.plan_title
         else plan.file_name if plan else DASH),
        ("Empreinte SHA-256 du plan", plan.sha256 if plan else DASH),
        ("Version de l'outil", report.tool_version or DASH),
        ("Fraîcheur des taux", f"{report.freshness_days} jours (sans comité archivé, un taux "
                               "plus ancien est « non actualisé »)"),
        ("Fenêtre du rythme", f"{rule.window_days} jours avant la date du comité"),
        ("Mesures pour un rythme", f"au moins {rule.min_measurements}, étalées sur "
                                   f"{rule.min_span_days} jours ou plus"),
    )
    row = DATE_ROW
    for label, value in identity:
        row += 1
        cells.text(row, 0, label, "param_label")
        cells.text(row, VALUE_COL, value, "param_value")
        heights.set(row, _fitted_height(value))
    row += 1
    cells.text(row, 0, "Les statuts des autres feuilles sont des formules qui utilisent la "
                       "tolérance et la date du comité ci-dessus : ils se mettent à jour si "
                       "on les modifie (les cibles, les projections et les trajectoires, "
                       "elles, ne sont pas recalculées).", "note")

    row += 2
    header_row = row
    cells.text(row, 0, "Règle", "header")
    cells.text(row, VALUE_COL, "Définition", "header")
    for label, definition in (*RULES, *projection_rules(report)):
        row += 1
        cells.text(row, 0, label, "param_label")
        cells.text(row, VALUE_COL, definition, "param_value")
        heights.set(row, _fitted_height(definition))
    heights.set(header_row, ROW_PT)
    set_up_page(worksheet, page, row, VALUE_COL, header_row=header_row)


def _fitted_height(text: str) -> float:
    # Neither Excel nor LibreOffice fits row heights to wrapped text when
    # opening a file, so the height comes from an estimate of the lines.
    return max(row_height(wrapped_lines(text, VALUE_WIDTH)), ROW_PT)
