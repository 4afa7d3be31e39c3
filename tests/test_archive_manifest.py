"""A damaged manifest.json: each flaw of its shape, or a manifest that cannot be read, is
named in French by `archive verify`, `archive list` and the next build."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support import run, tree
from support.archive import drop_key, edit_manifest, set_key

from spes_report.archive import archived_months, verify
from spes_report.cli.messages import month_line


def _third_mission_number(manifest: dict[str, Any]) -> None:
    manifest["summary"]["missions"][2]["number"] = "trois"


def _nan_rate(manifest: dict[str, Any]) -> None:
    manifest["measurements"][0]["rate"] = float("nan")


SHAPE = "n'a pas la forme attendue"
# Each damage, and what `archive verify` says of it (after "2020-06/manifest.json : ").
DAMAGED: list[tuple[str, Callable[[dict[str, Any]], None] | bytes, list[str]]] = [
    ("input-text", set_key("input", "x"),
     [f"« input » {SHAPE} (valeur trouvée : x ; attendu : une section {{ … }})"]),
    ("files-list", set_key("files", ["SPES_COPIL_2020-06-01.xlsx"]),
     [f"« files » {SHAPE} (valeur trouvée : une liste [ … ] ; attendu : une section {{ … }})"]),
    ("bad-date", set_key("report_date", "2020-13-01"),
     [f"« report_date » {SHAPE} (valeur trouvée : 2020-13-01 ; attendu : une date "
      "AAAA-MM-JJ)"]),
    ("no-date", drop_key("report_date"), ["« report_date » manque"]),
    ("no-summary", drop_key("summary"), ["« summary » manque"]),
    ("history-item", set_key("history", [{"report_date": "hier", "actuals": [],
                                       "average_actual": None, "measurements": []}]),
     [f"« history, n° 1, report_date » {SHAPE} (valeur trouvée : hier ; attendu : une date "
      "AAAA-MM-JJ)"]),
    ("mission-number", _third_mission_number,
     [f"« summary, missions, n° 3, number » {SHAPE} (valeur trouvée : trois ; attendu : un "
      "nombre entier)"]),
    ("nan-rate", _nan_rate,
     [f"« measurements, n° 1, rate » {SHAPE} (valeur trouvée : nan ; attendu : un nombre)"]),
    ("tolerance-text", set_key("tolerance_points", "5"),
     [f"« tolerance_points » {SHAPE} (valeur trouvée : 5 ; attendu : un nombre de points "
      "entre 0 et 100)"]),
    ("escaping-file", set_key("files", {"../../secret.txt": "0" * 64}),
     [f"« files » {SHAPE} (valeur trouvée : ../../secret.txt ; attendu : un nom de fichier "
      "du dossier du comité)"]),
    ("unlisted-files", set_key("files", {}),
     ["« workbook » nomme un fichier absent de la liste « files » (valeur trouvée : "
      "SPES_COPIL_2020-06-01.xlsx)",
      "« input, file » nomme un fichier absent de la liste « files » (valeur trouvée : "
      "saisie_juin.xlsx)",
      "« plan, file » nomme un fichier absent de la liste « files » (valeur trouvée : "
      "plan.toml)"]),
    ("pdf-without-sha", set_key("pdf", {"file": "SPES_COPIL_2020-06-01.pdf"}),
     ["« pdf, sha256 » manque", "« pdf, workbook_sha256 » manque"]),
    ("pdf-over-the-workbook", set_key("pdf", {"file": "SPES_COPIL_2020-06-01.xlsx",
                                              "sha256": "0" * 64, "workbook_sha256": "0" * 64}),
     ["« pdf, file » nomme un fichier déjà décrit par ailleurs (valeur trouvée : "
      "SPES_COPIL_2020-06-01.xlsx ; attendu : le nom du PDF du classeur)"]),
    ("newer-format", set_key("format", 2),
     ["« format » indique une fiche écrite par une version plus récente de l'outil (valeur "
      "trouvée : 2 ; attendu : le format 1)"]),
    ("not-an-object", b"[]",
     [f"le fichier {SHAPE} (valeur trouvée : une liste [ … ] ; attendu : une section {{ … }})"]),
    ("not-utf8", b"\xff\xfe{}", ["le fichier n'est pas un texte UTF-8"]),
    ("too-deep", b"[" * 100_000,
     ["le fichier n'est pas du JSON lisible (imbrication trop profonde)"]),
]


@pytest.mark.parametrize(("damage_", "said"), [(d, s) for _, d, s in DAMAGED],
                         ids=[name for name, _, _ in DAMAGED])
def test_a_damaged_manifest_is_reported_in_french(
        june_only: Path, out: Path, inputs: dict[str, Path],
        damage_: Callable[[dict[str, Any]], None] | bytes, said: list[str]) -> None:
    if isinstance(damage_, bytes):
        (june_only / "manifest.json").write_bytes(damage_)
    else:
        edit_manifest(june_only, damage_)
    place = "2020-06/manifest.json"

    checked = run("archive", "verify", "--output-dir", out)
    assert checked.exit_code == 1, checked.output
    noun = "problème" if len(said) == 1 else "problèmes"
    assert checked.output.splitlines() == [
        f"L'archive {out / 'archive'} contient {len(said)} {noun} :",
        *(f"  - {place} : fiche du comité illisible : {text}" for text in said)]
    assert {p.code for p in verify(out / "archive").problems} == {"archive-manifest-invalid"}

    listed = run("archive", "list", "--output-dir", out)
    assert listed.exit_code == 1  # a month is damaged: the status says so
    more = len(said) - 1
    extra = f", et {more} autres défauts" if more > 1 else ", et 1 autre défaut" if more else ""
    assert listed.output == (f"2020-06 — fiche du comité illisible : {said[0]}{extra} ; "
                             "non remplacé\nLe mois 2020-06 a une fiche illisible : lancez "
                             "« spes-report archive verify » pour le détail.\n")

    # The next month is still built, without the damaged one in its history.
    later = run("build", inputs["july"], "--output-dir", out)
    assert later.exit_code == 0, later.output
    assert (f"Attention : le comité archivé dans {june_only} est ignoré dans l'historique : "
            f"sa fiche (manifest.json) est illisible : {said[0]}") in later.output


def test_a_damaged_manifest_of_the_month_itself_is_named_when_rebuilding(
        june_only: Path, out: Path, inputs: dict[str, Path]) -> None:
    edit_manifest(june_only, drop_key("summary"))
    before = tree(out)
    result = run("build", inputs["june"], "--output-dir", out, "--tolerance", "2")
    assert result.exit_code == 1
    assert result.output == (
        f"Le mois 2020-06 est déjà archivé (dans {june_only}), mais sa fiche (manifest.json) "
        "est illisible : « summary » manque. Rien n'a été écrit. Vérifiez ce mois avec "
        "« spes-report archive verify 2020-06 » ; pour archiver la nouvelle version, relancez "
        "avec --replace : l'ancienne version sera conservée dans un dossier "
        "superseded-<horodatage>.\n")
    assert tree(out) == before


# --- a manifest the system cannot read ------------------------------------------------

def test_a_manifest_that_cannot_be_opened(june_only: Path, out: Path) -> None:
    manifest = june_only / "manifest.json"
    manifest.unlink()
    manifest.mkdir()  # a folder in its place: the system refuses to read it as a file
    (problem,) = verify(out / "archive").problems
    assert (problem.code, problem.place) == ("archive-manifest-unreadable",
                                            "2020-06/manifest.json")
    assert problem.message == (f"fiche du comité illisible : erreur d'accès au fichier "
                               f"{manifest} : c'est un dossier, alors qu'un fichier est attendu")
    assert [month_line(m) for m in archived_months(out / "archive")] == [
        f"2020-06 — fiche du comité illisible : erreur d'accès au fichier {manifest} : c'est "
        "un dossier, alors qu'un fichier est attendu ; non remplacé"]
