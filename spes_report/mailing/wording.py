"""What the email says, computed from the report: French figures, the summary sentence. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import french
from ..french import DASH, NBSP
from ..model import MissionStatus, ProjectionRule, Report, Status, Trajectory
from ..writers.styles import (
    GRID,
    HEADER_FILL,
    KEY_FILL,
    MUTED,
    NAVY,
    STATUS_COLOURS,
    TRAJECTORY_COLOURS,
)


def _numbers(missions: Sequence[MissionStatus], with_gap: bool) -> str:
    """``3 (−12 points), 5 (−8 points) et 7 (−6 points)``, or ``3 et 5``."""
    items = [
        f"{m.mission.number} ({french.points(m.gap_points, signed=True)})"
        if with_gap and m.gap_points is not None else str(m.mission.number)
        for m in missions
    ]
    return french.listing(items)


def _about(missions: Sequence[MissionStatus], singular: str, plural: str,
           with_gap: bool = False) -> str:
    """``la mission 3 est en alerte (−12 points)`` or ``les missions 3 et 5 sont…``."""
    if len(missions) == 1:
        only = missions[0]
        gap = (f" ({french.points(only.gap_points, signed=True)})"
               if with_gap and only.gap_points is not None else "")
        return f"la mission {only.mission.number} {singular}{gap}"
    return f"les missions {_numbers(missions, with_gap)} {plural}"


def _stale_clause(missions: Sequence[MissionStatus]) -> str:
    """``la mission 3 n'est pas actualisée depuis le 01/06/2020``, or nothing."""
    stale = [m for m in missions if m.stale_since is not None]
    if not stale:
        return ""
    if len(stale) == 1:
        return (f"la mission {stale[0].mission.number} n'est pas actualisée depuis le "
                f"{french.short_date(stale[0].stale_since)}")
    items = french.listing([f"{m.mission.number} (depuis le {french.short_date(m.stale_since)})"
                            for m in stale])
    return f"les missions {items} ne sont pas actualisées"


def _off_track_clause(missions: Sequence[MissionStatus]) -> str:
    """``la mission 3 est hors trajectoire : 78 % projetés au 1er septembre 2020 pour une
    cible de 100 %``, or nothing."""
    off = [m for m in missions if m.projection.trajectory is Trajectory.HORS_TRAJECTOIRE]
    if not off:
        return ""
    if len(off) == 1:
        return french.projection_sentence(off[0].mission.number, off[0].projection)
    items = french.listing([f"{m.mission.number} ({french.projected_phrase(m.projection)})"
                            for m in off])
    return f"les missions {items} sont hors trajectoire"


def summary_sentence(report: Report) -> str:
    """``5 missions sur 8 sont conformes ; la mission 3 est en alerte (−12 points).``"""
    total = len(report.missions)
    if total == 0:
        return "Aucune mission n'est suivie."
    by_status = {status: [m for m in report.missions if m.status is status] for status in Status}
    conform = len(by_status[Status.CONFORME])
    alerts = by_status[Status.ALERTE]
    # What today's status does not say: where the pace leads, and figures nobody updated.
    later = [c for c in (_off_track_clause(report.missions), _stale_clause(report.missions))
             if c]
    if conform == total:
        return ("La mission est conforme" if total == 1
                else f"Les {total} missions sont conformes") + "".join(
            f"{NBSP}; {clause}" for clause in later) + "."
    if conform == 0:
        clauses = [f"Aucune mission sur {total} n'est conforme"]
    elif conform == 1:
        clauses = [f"1 mission sur {total} est conforme"]
    else:
        clauses = [f"{conform} missions sur {total} sont conformes"]
    if alerts:
        clauses.append(_about(alerts, "est en alerte", "sont en alerte", with_gap=True))
    else:
        clauses.append("aucune n'est en alerte")
    others = (
        (Status.VIGILANCE, "est en vigilance", "sont en vigilance", True),
        (Status.NON_RENSEIGNE, "n'est pas renseignée", "ne sont pas renseignées", False),
        (Status.SANS_CIBLE, "n'a pas encore de cible", "n'ont pas encore de cible", False),
    )
    for status, singular, plural, with_gap in others:
        if by_status[status]:
            clauses.append(_about(by_status[status], singular, plural, with_gap))
    clauses += later
    # A no-break space keeps the semicolon from starting a line.
    return f"{NBSP}; ".join(clauses) + "."


def email_context(report: Report, subject_prefix: str, attachment_name: str,
                  attached: Sequence[str] = ()) -> dict[str, Any]:
    """The variables the templates see. Their names are French: staff edit the templates.

    Every figure is already written out in French, so that a template never
    has to format a number. ``attached`` names the files attached (the
    workbook, its PDF); by default ``attachment_name`` alone.
    """
    missions = [_mission_row(m, report.projection_rule) for m in report.missions]
    files = list(attached) or [attachment_name]
    return {
        "service": report.service,
        "prefixe_objet": subject_prefix,
        "date_comite": french.long_date(report.report_date),
        "date_comite_courte": french.short_date(report.report_date),
        "resume": summary_sentence(report),
        "bilan": french.summary_line(report),
        "nombre_missions": len(report.missions),
        "taux_moyen": french.percent(report.average_actual),
        "tolerance": french.points(report.tolerance_points),
        "missions": missions,
        "points_attention": [
            row for row in missions
            if row["statut"] in (Status.ALERTE.value, Status.VIGILANCE.value)
            and row["point_attention"]
        ],
        "fichier": attachment_name,
        # What is attached: « SPES_COPIL_….xlsx et SPES_COPIL_….pdf ».
        "fichiers": files,
        "pieces_jointes": french.listing(files),
        "avec_classeur": any(name.lower().endswith(".xlsx") for name in files),
        "avec_pdf": any(name.lower().endswith(".pdf") for name in files),
        "fichier_saisie": report.source.file_name if report.source else "",
        "titre_plan": report.plan_title,
        "plan": report.plan_source.file_name if report.plan_source else "",
        "revisions_plan": [french.revision_text(r) for r in report.revisions],
        "hors_trajectoire": [row for row in missions
                             if row["trajectoire"] == Trajectory.HORS_TRAJECTOIRE.value],
        "meteo_saisie": any(m.notes.weather is not None for m in report.missions),
        "regle_rythme": french.pace_rule(report.projection_rule),
        "version": report.tool_version,
        # The workbook's own colours, so that the email looks like it.
        "couleurs": {
            "titre": NAVY, "entete": HEADER_FILL, "grille": GRID, "discret": MUTED,
            "fond_cle": KEY_FILL,
        },
    }


def _mission_row(mission: MissionStatus, rule: ProjectionRule) -> dict[str, Any]:
    fill, font = STATUS_COLOURS[mission.status]
    projection = mission.projection
    trajectory_fill, trajectory_font = TRAJECTORY_COLOURS[projection.trajectory]
    return {
        "numero": mission.mission.number,
        "titre": mission.mission.title,
        "cible": french.percent(mission.target),
        "realise": french.percent(mission.actual),
        "ecart": french.signed_points(mission.gap_points),
        "ecart_points": (DASH if mission.gap_points is None
                         else french.points(mission.gap_points, signed=True)),
        "statut": mission.status.value,
        "a_un_taux": mission.actual is not None,
        "a_une_cible": mission.target is not None,
        "couleur_fond": fill,
        "couleur_texte": font,
        "commentaire": mission.notes.comment,
        "point_attention": mission.notes.attention,
        "prochaines_etapes": mission.notes.next_steps,
        "non_actualise_depuis": (french.short_date(mission.stale_since)
                                 if mission.stale_since is not None else ""),
        "pilote": mission.mission.pilot,
        "courriel_pilote": mission.mission.pilot_email,
        "cible_initiale": (french.percent(mission.initial_target) if mission.revised
                           else ""),
        "trajectoire": projection.trajectory.value,
        "couleur_fond_trajectoire": trajectory_fill,
        "couleur_texte_trajectoire": trajectory_font,
        "projection": french.percent(projection.at_final),
        "echeance_finale": (french.short_date(projection.final_due)
                            if projection.final_due is not None else ""),
        "cible_finale": french.percent(projection.final_target),
        "rythme": french.pace(projection.pace_points),
        "rythme_necessaire": french.pace(projection.needed_points, signed=False),
        "non_projetable": (french.no_projection_reason(projection.reason, rule)
                           if projection.reason is not None else ""),
        "meteo": french.weather(mission.notes.weather),
        "meteo_signalee": (french.weather_flag(mission.weather_flag)
                           if mission.weather_flag is not None else ""),
    }
