"""Regenerate the committed sample input, inputs/input.xlsx (a filled June 2020 month).

    .venv/bin/python scripts/make_sample_input.py [OUTPUT]

At the 01/06/2020 committee the sample gives 5 missions « Conforme »
(1, 2, 4, 6, 8), 2 « Vigilance » (3 and 7, 3 and 4 points under target)
and 1 « Alerte » (5, 11 points under target), with the default 5-point tolerance.
Its pace leads mission 5 off trajectory (91,5 % projected for 1 September against
100 %) while its pilot declares « Soleil »: the workbook flags that weather.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from spes_report.model import Notes, Weather
from spes_report.plan import load_plan
from spes_report.writers.template import write_template

COMMITTEE_DATE = date(2020, 6, 1)
MAY = date(2020, 5, 11)
JUNE = date(2020, 6, 1)

# Percentages at the 11/05 and 01/06 échéances.
PERCENT: dict[int, tuple[int, int]] = {
    1: (78, 87),  # target 75 → 85: conforme
    2: (82, 91),  # target 80 → 90: conforme
    3: (45, 67),  # target 50 → 70: vigilance (-3)
    4: (80, 92),  # target 80 → 90: conforme
    5: (70, 74),  # target 80 → 85: alerte (-11)
    6: (81, 86),  # target 80 → 85: conforme
    7: (45, 56),  # target 50 → 60: vigilance (-4)
    8: (52, 63),  # target 50 → 60: conforme
}

NOTES: dict[int, Notes] = {
    1: Notes(
        weather=Weather.SOLEIL,
        comment="Diagnostic organisationnel livré à deux directions ; trois séquences "
                "d’intelligence collective animées à distance avec les managers.",
        attention="Le marché de conseil arrive à échéance en septembre : le "
                  "renouvellement doit être lancé dès juillet.",
        next_steps="Restituer l’enquête usagers aux services déconcentrés et publier "
                   "la note de synthèse de veille de juin.",
    ),
    2: Notes(
        weather=Weather.SOLEIL,
        comment="Lettres de mission transmises aux huit opérateurs prioritaires ; grille "
                "commune d’exercice de la tutelle validée avec les DG métier.",
        attention="Deux conseils d’administration reportés : calendrier budgétaire des "
                  "écoles à sécuriser.",
        next_steps="Organiser le comité des tutelles du 25 juin et diffuser le guide des "
                   "bonnes pratiques.",
    ),
    3: Notes(
        weather=Weather.NUAGEUX,
        comment="Séminaire avec les directeurs régionaux tenu en visioconférence ; "
                "premier jeu d’indicateurs de performance partagé.",
        attention="Dialogue de gestion décalé de trois semaines : remontées des services "
                  "déconcentrés incomplètes pour quatre régions.",
        next_steps="Relancer les régions manquantes et présenter les orientations "
                   "stratégiques et de moyens au comité de juillet.",
    ),
    4: Notes(
        weather=Weather.SOLEIL,
        comment="Deux démarches LEAN conclues (courrier et marchés) ; trois dossiers FTAP "
                "déposés avec l’appui de la DITP.",
        attention="Disponibilité des équipes des directions réduite pendant la reprise "
                  "en présentiel.",
        next_steps="Suivre l’instruction des dossiers FTAP et lancer la démarche LEAN sur "
                   "le processus de recrutement.",
    ),
    5: Notes(
        weather=Weather.SOLEIL,
        comment="Inventaire des actifs fonciers mis à jour ; douze sites identifiés comme "
                "valorisables pour du logement.",
        attention="Procédures de cession bloquées pendant le confinement (visites, "
                  "estimations de la DGFIP) : retard de deux mois sur le calendrier.",
        next_steps="Réunir les ministères propriétaires et la DGFIP mi-juin pour "
                   "replanifier les cessions prioritaires ; renforcer l’appui aux services "
                   "déconcentrés.",
    ),
    6: Notes(
        weather=Weather.NUAGEUX,
        comment="Schéma pluriannuel immobilier actualisé ; programmation des crédits "
                "interministériels 2021 transmise à la direction du budget.",
        attention="Chantiers de maîtrise d’ouvrage ralentis par les règles sanitaires sur "
                  "les sites.",
        next_steps="Arbitrer la programmation 2021 et reprendre les visites de chantier "
                   "à partir du 15 juin.",
    ),
    7: Notes(
        weather=Weather.COUVERT,
        comment="Offre de formations à distance ouverte (six modules) ; centre de "
                "ressources pédagogiques en ligne enrichi.",
        attention="Événements en présentiel annulés et CSDD reporté ; moyens informatiques "
                  "insuffisants pour certains formateurs.",
        next_steps="Fixer la nouvelle date du CSDD et lancer deux accompagnements "
                   "innovants en mode projet avec les services.",
    ),
    8: Notes(
        weather=Weather.NUAGEUX,
        comment="Reporting consolidé des projets du plan de transformation envoyé aux "
                "cabinets ; ateliers de méthode tenus avec douze chefs de projet.",
        attention="Trois projets sans chef de projet désigné depuis la réorganisation.",
        next_steps="Désigner les chefs de projet manquants et préparer la revue de "
                   "projets de juillet avec les services déconcentrés.",
    ),
}


def sample_rates() -> dict[tuple[int, date], float]:
    """The sample's rates as fractions, keyed by (mission number, échéance)."""
    rates: dict[tuple[int, date], float] = {}
    for number, (may, june) in PERCENT.items():
        rates[number, MAY] = may / 100
        rates[number, JUNE] = june / 100
    return rates


def main(argv: list[str]) -> int:
    root = Path(__file__).resolve().parent.parent
    target = Path(argv[1]) if len(argv) > 1 else root / "inputs" / "input.xlsx"
    backup = write_template(
        target,
        load_plan(),
        force=True,
        committee_date=COMMITTEE_DATE,
        rates=sample_rates(),
        notes=NOTES,
    )
    # A backup identical to the new file is noise; a different one may hold real figures.
    if backup is not None and backup.read_bytes() == target.read_bytes():
        backup.unlink()
    elif backup is not None:
        print(f"ancien fichier conservé : {backup}")
    print(f"écrit : {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
