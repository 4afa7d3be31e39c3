"""`archive export`: the archive as one long table, read back and checked against the manifests."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

from support import run
from support.archive import ARCHIVE_0_1_0, edit_manifest
from support.workbooks import load

from spes_report.archive.export import HEADERS
from spes_report.archive.manifest import read_manifest
from spes_report.plan import embedded_plan_bytes


def csv_rows(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";")
    assert tuple(reader.fieldnames or ()) == HEADERS
    return list(reader)


def french_number(text: str) -> float | None:
    return None if text == "" else float(text.replace(",", "."))


def test_every_committee_mission_and_echeance_matches_its_manifest(three_months: Path,
                                                                   out: Path) -> None:
    result = run("archive", "export", "--output-dir", out)
    assert result.exit_code == 0, result.output
    assert result.output == (f"Archive exportée : {out / 'comites.csv'} (3 comités, "
                             "96 lignes).\n")
    rows = csv_rows(out / "comites.csv")
    assert len(rows) == 3 * 8 * 4
    for month in ("2020-05", "2020-06", "2020-07"):
        manifest = read_manifest(three_months / month)
        day = manifest["report_date"]
        mine = [r for r in rows if r["Date du comité"] == day]
        rates = {(m["mission"], m["date"]): m["rate"] for m in manifest["measurements"]}
        targets = {(m["number"], ms["due"]): ms["target"]
                   for m in manifest["plan"]["missions"] for ms in m["milestones"]}
        assert {(int(r["N° de mission"]), r["Échéance"]) for r in mine} == set(targets)
        for row in mine:
            key = (int(row["N° de mission"]), row["Échéance"])
            assert french_number(row["Cible (%)"]) == round(targets[key] * 100, 6)
            actual = rates.get(key) if row["Échéance"] <= day else None
            assert french_number(row["Réalisé (%)"]) == (
                None if actual is None else round(actual * 100, 6))
            if row["Échéance"] > day:
                assert row["Statut"] == "À venir"
            assert row["Empreinte du plan"] == manifest["plan"]["sha256"]
            assert row["Empreinte de la saisie"] == manifest["input"]["sha256"]
    # A figure the committee saw, as French Excel reads it: M3 on 1 June, 55 % for 70 %.
    m3 = next(r for r in rows if (r["Date du comité"], r["N° de mission"], r["Échéance"])
              == ("2020-06-01", "3", "2020-06-01"))
    assert (m3["Cible (%)"], m3["Réalisé (%)"], m3["Écart (points)"], m3["Statut"]) == (
        "70", "55", "-15", "Alerte")


def test_the_xlsx_export_holds_the_same_figures(three_months: Path, out: Path,
                                                tmp_path: Path) -> None:
    assert run("archive", "export", tmp_path / "comites.csv", "--output-dir", out).exit_code == 0
    result = run("archive", "export", tmp_path / "comites.xlsx", "--output-dir", out)
    assert result.exit_code == 0, result.output
    sheet = load(tmp_path / "comites.xlsx")["Comités"]
    cells = list(sheet.iter_rows(values_only=True))
    assert cells[0] == (*HEADERS[:4], "Cible", "Réalisé", *HEADERS[6:])
    assert sheet.auto_filter.ref == "A1:J97"
    for row, line in zip(cells[1:], csv_rows(tmp_path / "comites.csv"), strict=True):
        assert row[0] == datetime.fromisoformat(line["Date du comité"])
        assert row[1:3] == (int(line["N° de mission"]), line["Mission"])
        assert row[3] == datetime.fromisoformat(line["Échéance"])
        for value, text in ((row[4], line["Cible (%)"]), (row[5], line["Réalisé (%)"])):
            expected = french_number(text)
            assert (value is None and expected is None) or (
                value is not None and expected is not None
                and round(value * 100, 6) == expected)
        assert row[7:] == (line["Statut"], line["Empreinte du plan"],
                           line["Empreinte de la saisie"])
    # The same archive gives the same bytes.
    before = (tmp_path / "comites.xlsx").read_bytes()
    run("archive", "export", tmp_path / "comites.xlsx", "--output-dir", out)
    assert (tmp_path / "comites.xlsx").read_bytes() == before


def test_an_edited_month_is_left_out_and_named(three_months: Path, out: Path) -> None:
    def lie(manifest: dict[str, Any]) -> None:
        manifest["summary"]["missions"][2]["status"] = "Conforme"

    edit_manifest(three_months / "2020-06", lie)
    result = run("archive", "export", "--output-dir", out)
    assert result.exit_code == 0
    assert ("Attention : le mois 2020-06 n'est pas exporté (modifié depuis son archivage, "
            "ou construit avec un plan que l'outil ne connaît plus) : lancez « spes-report "
            "archive verify 2020-06 ».") in result.stderr
    days = {r["Date du comité"] for r in csv_rows(out / "comites.csv")}
    assert days == {"2020-05-11", "2020-07-01"}


def test_months_filed_by_0_1_0_are_exported_with_the_embedded_plan(tmp_path: Path) -> None:
    shutil.copytree(ARCHIVE_0_1_0 / "archive", tmp_path / "archive")
    assert run("archive", "export", "--output-dir", tmp_path).exit_code == 0
    rows = csv_rows(tmp_path / "comites.csv")
    assert {r["Date du comité"] for r in rows} == {"2020-06-01", "2020-07-01"}
    assert {r["Empreinte du plan"] for r in rows} == {
        hashlib.sha256(embedded_plan_bytes()).hexdigest()}


def test_an_empty_archive_and_a_wrong_extension(tmp_path: Path) -> None:
    result = run("archive", "export", "--output-dir", tmp_path)
    assert result.exit_code == 0
    assert "aucun comité archivé" in result.output
    assert csv_rows(tmp_path / "comites.csv") == []
    wrong = run("archive", "export", tmp_path / "comites.ods", "--output-dir", tmp_path)
    assert wrong.exit_code == 2
    assert "le fichier doit se terminer par .csv ou .xlsx" in wrong.output
    assert not (tmp_path / "comites.ods").exists()
