"""`archive list`: one line per archived month, its figures, or why its manifest is unreadable."""

from __future__ import annotations

import shutil
from pathlib import Path

from support import run
from support.archive import ARCHIVE_0_1_0

from spes_report.archive import archived_months
from spes_report.cli.messages import month_line
from spes_report.plan import embedded_plan_bytes


def test_archive_list(three_months: Path, inputs: dict[str, Path], out: Path) -> None:
    run("build", inputs["june"], "--output-dir", out, "--tolerance", "2", "--replace")
    result = run("archive", "list", "--output-dir", out)
    assert result.exit_code == 0
    plan = "plan « Reprise des activités au secrétariat général » (28a179…)"
    assert result.output.splitlines() == [
        "2020-05 — comité du 11 mai 2020 : 2 conformes, 1 en vigilance, 5 en alerte ; "
        f"taux moyen 60,3\u00a0% ; {plan} ; non remplacé",
        "2020-06 — comité du 1er juin 2020 : 3 conformes, 5 en alerte ; "
        f"taux moyen 72,4\u00a0% ; {plan} ; remplacé 1 fois (versions antérieures conservées)",
        "2020-07 — comité du 1er juillet 2020 : 4 conformes, 1 en vigilance, 3 en alerte ; "
        f"taux moyen 79,4\u00a0% ; {plan} ; non remplacé",
    ]


def test_archive_list_flags_the_months_whose_plan_changed(
        three_months: Path, inputs: dict[str, Path], out: Path, tmp_path: Path) -> None:
    revised = tmp_path / "revise.toml"
    revised.write_bytes(embedded_plan_bytes().replace(
        b"{ due = 2020-09-01, target_percent = 80 }",
        b"{ due = 2020-09-01, target_percent = 70 }"))
    assert run("build", inputs["july"], "--output-dir", out, "--plan", revised,
               "--replace").exit_code == 0
    lines = run("archive", "list", "--output-dir", out).output.splitlines()
    assert ["modifié depuis le mois précédent" in line for line in lines] == [
        False, False, True]
    assert "(28a179…)" in lines[1] and "(28a179…" not in lines[2]


def test_archive_list_names_the_plan_of_a_month_filed_by_0_1_0(tmp_path: Path) -> None:
    shutil.copytree(ARCHIVE_0_1_0 / "archive", tmp_path / "archive")
    lines = run("archive", "list", "--output-dir", tmp_path).output.splitlines()
    assert all("plan intégré à l'outil 0.1.0 (28a179…)" in line for line in lines)


def test_archive_list_when_empty_or_damaged(tmp_path: Path) -> None:
    result = run("archive", "list", "--output-dir", tmp_path)
    assert result.output == f"Aucun comité n'est archivé dans {tmp_path / 'archive'}.\n"
    broken = tmp_path / "archive" / "2020-06"
    broken.mkdir(parents=True)
    (broken / "manifest.json").write_text("{", encoding="utf-8")
    assert [month_line(m) for m in archived_months(tmp_path / "archive")] == [
        "2020-06 — fiche du comité illisible : le fichier n'est pas du JSON valide (ligne 1, "
        "colonne 2) ; non remplacé"]
    # The list is shown whole, and the status says something is wrong.
    result = run("archive", "list", "--output-dir", tmp_path)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "2020-06 — fiche du comité illisible : le fichier n'est pas du JSON valide (ligne 1, "
        "colonne 2) ; non remplacé",
        "Le mois 2020-06 a une fiche illisible : lancez « spes-report archive verify » pour "
        "le détail."]
