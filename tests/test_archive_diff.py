"""Why an archived month refuses a new build: each difference named, the history included."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support import run, tree
from support.archive import JUNE, make_month, rates_until, set_key

from spes_report import __version__
from spes_report.archive import verify
from spes_report.archive.manifest import read_manifest
from spes_report.cli.messages import already_archived_text, difference_text


def test_after_replacing_a_month_the_next_one_names_the_history(
        three_months: Path, inputs: dict[str, Path], out: Path) -> None:
    june = rates_until(JUNE)
    june[2, JUNE] = 0.80  # the 1 June figure of mission 2 corrected
    (inputs["june"].parent / "v2").mkdir()
    corrected = make_month(inputs["june"].parent / "v2", JUNE, "saisie_juin.xlsx", june)
    assert run("build", corrected, "--output-dir", out, "--replace").exit_code == 0
    before = tree(out)

    result = run("build", inputs["july"], "--output-dir", out)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Le mois 2020-07 est déjà archivé (le comité du 1er juillet 2020, dans "
        f"{three_months / '2020-07'}) et le nouveau classeur du 1er juillet 2020 en diffère :",
        "  - historique des comités précédents : le comité du 1er juin 2020 a été remplacé "
        "depuis (--replace) ;",
        "  - chiffres présentés au comité différents : mission 2.",
        "Rien n'a été écrit. Un mois précédent a été remplacé depuis l'archivage de celui-ci : "
        "son classeur ne peut plus être reconstruit à l'identique. Pour l'archiver avec "
        "l'historique à jour, relancez avec --replace : l'ancienne version sera conservée "
        "dans un dossier superseded-<horodatage>.",
    ]
    assert tree(out) == before
    assert run("build", inputs["july"], "--output-dir", out, "--replace").exit_code == 0
    assert verify(three_months).problems == ()


def _other_input(manifest: dict[str, Any]) -> None:
    manifest["input"] = {**manifest["input"], "name": "juin_v2.xlsx", "sha256": "1" * 64}


def _revised_plan(manifest: dict[str, Any]) -> None:
    manifest["definitions_sha256"] = manifest["plan"]["sha256"] = "3" * 64
    manifest["plan"]["missions"][6]["milestones"][3]["target"] = 0.7


def _renamed_input(manifest: dict[str, Any]) -> None:
    manifest["input"] = {**manifest["input"], "name": "juin_v2.xlsx"}


def _edited_input(manifest: dict[str, Any]) -> None:
    manifest["input"] = {**manifest["input"], "sha256": "1" * 64}


def _rates(manifest: dict[str, Any]) -> None:
    rates = manifest["measurements"]
    rates[0] = {**rates[0], "rate": 0.1}
    rates.append({"mission": 1, "date": "2020-06-20", "rate": 0.9})
    del rates[1:3]


def _figures(manifest: dict[str, Any]) -> None:
    summary = manifest["summary"]
    summary["missions"][4] = {**summary["missions"][4], "status": "Conforme"}
    summary["average_actual"] = 0.5


def _history(manifest: dict[str, Any]) -> None:
    may = manifest["history"][0]
    manifest["history"] = [{**may, "report_date": "2020-04-06"}]


def _workbook_only(manifest: dict[str, Any]) -> None:
    manifest["files"] = {**manifest["files"], manifest["workbook"]: "2" * 64}


@pytest.mark.parametrize(("change", "said", "history"), [
    (set_key("report_date", "2020-06-16"),
     "date du comité : 1er juin 2020 dans l'archive, 16 juin 2020 maintenant", False),
    (_other_input, "fichier de saisie : saisie_juin.xlsx dans l'archive, juin_v2.xlsx "
                   "maintenant (contenu différent)", False),
    (_renamed_input, "nom du fichier de saisie : saisie_juin.xlsx dans l'archive, "
                     "juin_v2.xlsx maintenant (même contenu)", False),
    (_edited_input, "fichier de saisie saisie_juin.xlsx modifié depuis l'archivage", False),
    (set_key("tolerance_points", 1.5), "tolérance : 5 points dans l'archive, 1,5 point maintenant",
     False),
    (set_key("tool_version", "9.9.9"), f"version de l'outil : {__version__} dans l'archive, 9.9.9 "
                                    "maintenant", False),
    (_revised_plan, "plan modifié depuis l'archivage (missions, cibles ou textes)", False),
    (set_key("definitions_sha256", "3" * 64),
     "plan : même contenu, mais un autre fichier (autre nom, autre format ou enregistré à "
     "nouveau)", False),
    (_history, "historique des comités précédents : le comité du 6 avril 2020 a été archivé "
               "depuis ; le comité du 11 mai 2020 n'est plus dans l'archive", True),
    (_rates, "taux saisis : 1 valeur modifiée, 1 valeur ajoutée, 2 valeurs effacées", False),
    (_figures, "chiffres présentés au comité différents : mission 5, taux moyen", False),
    (_workbook_only, "classeur différent avec la même saisie et les mêmes réglages : cause "
                     "inconnue, à signaler à l'équipe qui maintient l'outil", False),
])
def test_each_difference_is_named(three_months: Path,
                                  change: Callable[[dict[str, Any]], None],
                                  said: str, history: bool) -> None:
    from spes_report.archive import AlreadyArchivedError

    new = read_manifest(three_months / "2020-06")
    archived = read_manifest(three_months / "2020-06")
    change(new)
    error = AlreadyArchivedError(three_months / "2020-06", archived, None, new)
    assert [difference_text(item) for item in error.differences.items] == [said]
    assert error.differences.history is history
    text = already_archived_text(error)
    assert f"  - {said}." in text.splitlines()
    assert ("Un mois précédent a été remplacé" in text) is history
