"""What the email says, from the report: the summary sentence and the templates' variables."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from support.workbooks import sample_report

from spes_report.french import MINUS, NBSP, number, percent
from spes_report.mailing.wording import email_context, summary_sentence
from spes_report.model import (
    Mission,
    MissionStatus,
    Notes,
    Projection,
    Report,
    Revision,
    RevisionKind,
    SourceInfo,
    Status,
    Trajectory,
    Weather,
    WeatherFlag,
)
from spes_report.writers.styles import TRAJECTORY_COLOURS


def report_of(*missions: tuple[Status, float | None]) -> Report:
    """A report whose missions have these statuses and gaps (in points)."""
    statuses = tuple(
        MissionStatus(Mission(number, f"Mission {number}", "", "", ()), None, 0.8,
                      None if status is Status.NON_RENSEIGNE else 0.8, None, gap, None,
                      status, Notes(), ())
        for number, (status, gap) in enumerate(missions, start=1)
    )
    counts = tuple((s, sum(m.status is s for m in statuses)) for s in Status)
    return Report("SPES", date(2020, 6, 1), 5.0, statuses, 0.8, counts, None, "0.1.0")


OK, VIG, ALERT = Status.CONFORME, Status.VIGILANCE, Status.ALERTE


@pytest.mark.parametrize(
    ("missions", "sentence"),
    [
        ([(OK, 2.0)] * 5 + [(VIG, -3.0), (VIG, -4.0), (ALERT, -12.0)],
         "5 missions sur 8 sont conformes ; la mission 8 est en alerte (−12 points) ; "
         "les missions 6 (−3 points) et 7 (−4 points) sont en vigilance."),
        ([(OK, 0.0)] * 8, "Les 8 missions sont conformes."),
        ([(OK, 0.0)], "La mission est conforme."),
        ([(OK, 1.0), (VIG, -1.0)],
         "1 mission sur 2 est conforme ; aucune n'est en alerte ; "
         "la mission 2 est en vigilance (−1 point)."),
        ([(ALERT, -12.0), (OK, 1.0), (ALERT, -8.5), (ALERT, -6.0)],
         "1 mission sur 4 est conforme ; les missions 1 (−12 points), 3 (−8,5 points) et "
         "4 (−6 points) sont en alerte."),
        ([(ALERT, -20.0), (ALERT, -7.0)],
         "Aucune mission sur 2 n'est conforme ; les missions 1 (−20 points) et "
         "2 (−7 points) sont en alerte."),
        ([(OK, 0.0), (OK, 3.0), (Status.NON_RENSEIGNE, None), (Status.NON_RENSEIGNE, None),
          (Status.SANS_CIBLE, None)],
         "2 missions sur 5 sont conformes ; aucune n'est en alerte ; les missions 3 et 4 ne "
         "sont pas renseignées ; la mission 5 n'a pas encore de cible."),
    ],
)
def test_summary_sentence(missions: list[tuple[Status, float | None]], sentence: str) -> None:
    expected = sentence.replace("−", MINUS).replace(" points", NBSP + "points")
    expected = expected.replace(" point)", NBSP + "point)").replace(" ;", NBSP + ";")
    assert summary_sentence(report_of(*missions)) == expected


def test_context_holds_french_figures_and_workbook_colours() -> None:
    report, _ = sample_report()
    context = email_context(report, "[SPES]", "SPES_COPIL_2020-06-01.xlsx")
    assert context["date_comite"] == "1er juin 2020"
    assert context["date_comite_courte"] == "01/06/2020"
    third = context["missions"][2]
    assert (third["statut"], third["couleur_fond"], third["couleur_texte"]) == (
        "Alerte", "#FFC7CE", "#9C0006")
    assert third["realise"] == f"55{NBSP}%" and third["ecart"] == f"{MINUS}15"
    assert [m["numero"] for m in context["points_attention"]] == [2, 3]
    assert context["tolerance"] == f"5{NBSP}points"


def test_pilots_plan_and_revisions_reach_the_templates() -> None:
    report, _ = sample_report()
    first = report.missions[0]
    piloted = dataclasses.replace(first, mission=dataclasses.replace(
        first.mission, pilot="Jeanne Martin", pilot_email="jeanne.martin@exemple.gouv.fr"))
    revised = dataclasses.replace(report, missions=(piloted, *report.missions[1:]),
                                  plan_title="Plan 2020",
                                  plan_source=SourceInfo("plan.xlsx", "a" * 64),
                                  revisions=(Revision(RevisionKind.MISSION_ADDED, 9,
                                                      after="Neuvième"),))
    context = email_context(revised, "[SPES]", "x.xlsx")
    assert (context["titre_plan"], context["plan"]) == ("Plan 2020", "plan.xlsx")
    assert context["revisions_plan"] == ["mission n° 9 ajoutée : « Neuvième »"]
    assert (context["missions"][0]["pilote"], context["missions"][0]["courriel_pilote"]) == (
        "Jeanne Martin", "jeanne.martin@exemple.gouv.fr")
    # Nothing requires a pilot: the others are empty, not missing.
    assert context["missions"][1]["pilote"] == context["missions"][1]["courriel_pilote"] == ""
    assert context["missions"][0]["cible_initiale"] == ""


def _with_projection(report: Report, number: int, **changes: object) -> Report:
    missions = tuple(
        dataclasses.replace(m, projection=dataclasses.replace(m.projection, **changes))
        if m.mission.number == number else m for m in report.missions)
    return dataclasses.replace(report, missions=missions)


def test_the_sentence_names_the_missions_off_trajectory_after_today_s_statuses() -> None:
    off = Projection(Trajectory.HORS_TRAJECTOIRE, 3.0, 8.0,
                     ((date(2020, 9, 1), 0.78),), date(2020, 9, 1), 1.0)
    report = report_of((OK, 1.0), (OK, 2.0), (OK, 0.0))
    one = _with_projection(report, 3, **dataclasses.asdict(off))
    assert summary_sentence(one) == (
        f"Les 3 missions sont conformes{NBSP}; la mission 3 est hors trajectoire : "
        f"78{NBSP}% projetés au 1er septembre 2020 pour une cible de 100{NBSP}%.")
    two = _with_projection(one, 1, **dataclasses.asdict(off))
    assert summary_sentence(two).endswith(
        f"les missions 1 (78{NBSP}% projetés au 1er septembre 2020 pour une cible de "
        f"100{NBSP}%) et 3 (78{NBSP}% projetés au 1er septembre 2020 pour une cible de "
        f"100{NBSP}%) sont hors trajectoire.")


def test_projection_variables_reach_the_templates() -> None:
    report, _ = sample_report()
    context = email_context(report, "[SPES]", "x.xlsx")
    rows = {m["numero"]: m for m in context["missions"]}
    # The sample's mission 3: 45 % then 55 % three weeks later, 100 % due on 1 September.
    third = report.missions[2].projection
    assert rows[3]["trajectoire"] == third.trajectory.value
    assert rows[3]["projection"] == percent(third.at_final)
    assert rows[3]["rythme"] == f"+{number(third.pace_points or 0, 1)}{NBSP}pts/mois"
    assert rows[3]["rythme_necessaire"] == f"{number(third.needed_points or 0, 1)}{NBSP}pts/mois"
    assert rows[3]["echeance_finale"] == "01/09/2020"
    assert rows[3]["non_projetable"] == ""
    assert (rows[3]["couleur_fond_trajectoire"], rows[3]["couleur_texte_trajectoire"]) == (
        TRAJECTORY_COLOURS[third.trajectory])
    assert [m["numero"] for m in context["hors_trajectoire"]] == [
        ms.mission.number for ms in report.missions
        if ms.projection.trajectory is Trajectory.HORS_TRAJECTOIRE]
    # No weather in the sample: not a default, « Non renseignée », and the column is off.
    assert context["meteo_saisie"] is False
    assert rows[3]["meteo"] == "Non renseignée" and rows[3]["meteo_signalee"] == ""


def test_no_projection_says_why_and_invents_no_figure() -> None:
    report = report_of((OK, 1.0))
    context = email_context(report, "[SPES]", "x.xlsx")
    row = context["missions"][0]
    assert row["trajectoire"] == "Non projetable"
    assert row["projection"] == row["rythme"] == row["rythme_necessaire"] == "—"
    assert row["non_projetable"] == "aucun taux saisi"


def test_a_flagged_weather_reaches_the_templates() -> None:
    report = report_of((OK, 1.0))
    mission = dataclasses.replace(report.missions[0], notes=Notes(weather=Weather.SOLEIL),
                                  weather_flag=WeatherFlag.OPTIMISTIC)
    context = email_context(dataclasses.replace(report, missions=(mission,)), "[SPES]", "x")
    assert context["meteo_saisie"] is True
    assert context["missions"][0]["meteo"] == "☀ Soleil"
    assert context["missions"][0]["meteo_signalee"] == "optimiste"


def test_the_attachments_are_named_for_the_templates() -> None:
    report, _ = sample_report()
    both = email_context(report, "[SPES]", "a.xlsx", ["a.xlsx", "a.pdf"])
    assert (both["fichier"], both["fichiers"], both["pieces_jointes"]) == (
        "a.xlsx", ["a.xlsx", "a.pdf"], "a.xlsx et a.pdf")
    assert (both["avec_classeur"], both["avec_pdf"]) == (True, True)
    alone = email_context(report, "[SPES]", "a.xlsx")  # as before: the workbook alone
    assert (alone["pieces_jointes"], alone["avec_classeur"], alone["avec_pdf"]) == (
        "a.xlsx", True, False)
    pdf = email_context(report, "[SPES]", "a.pdf", ["a.pdf"])
    assert (pdf["avec_classeur"], pdf["avec_pdf"]) == (False, True)


def test_the_templates_are_tried_with_each_set_of_attachments() -> None:
    from spes_report.mailing.sample import sample_contexts
    from spes_report.plan import load_plan

    shown = [context["fichiers"] for context in sample_contexts(load_plan(), "0.2.0")]
    assert shown == [["SPES_COPIL_2020-09-01.xlsx", "SPES_COPIL_2020-09-01.pdf"],
                     ["SPES_COPIL_2020-09-01.xlsx"], ["SPES_COPIL_2020-05-10.pdf"]]
