"""The steering workbook, read back with openpyxl and as raw XML: its sheets, figures, rules,
charts, links, print setup and properties; written whole or not at all.

Modules of the writers package tested on their own have their files:
test_writers_text, test_writers_printing, test_writers_cells,
test_writers_sheetnames, test_writers_pagination, test_writers_worksheet,
test_writers_history (the Historique sheet), test_writers_template (the input
template), test_writers_libreoffice (the workbook in LibreOffice)."""

from __future__ import annotations

import ast
import dataclasses
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from support.workbooks import (
    HOSTILE,
    HOSTILE_TEXTS,
    NS,
    Package,
    attribute,
    load,
    sample_report,
    tag,
)

from spes_report import Measurement, Mission, Status, load_plan, write_workbook
from spes_report.writers import mission as mission_module
from spes_report.writers import summary
from spes_report.writers.cells import WorkbookWriteError
from spes_report.writers.text import wrapped_lines
from spes_report.writers.workbook import mission_sheet_names

TITLE = "SPES — Comité de pilotage du 1er juin 2020"
FIRST = 8  # first mission row of the Synthèse table (Excel numbering)
MISSION_FIRST = 9  # first timeline row of a mission sheet


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    report, plan = sample_report()
    return write_workbook(report, plan, tmp_path_factory.mktemp("wb") / "comite.xlsx")


@pytest.fixture(scope="module")
def book(written: Path) -> Any:
    return load(written)


@pytest.fixture(scope="module")
def cached(written: Path) -> Any:
    return load(written, data_only=True)


@pytest.fixture(scope="module")
def package(written: Path) -> Package:
    return Package(written)


# --- structure ------------------------------------------------------------------

def test_sheet_order_and_names(book: Any) -> None:
    report, _ = sample_report()
    expected = ["Synthèse", *mission_sheet_names(report), "Historique", "Paramètres"]
    assert book.sheetnames == expected
    assert book.sheetnames[1] == "M1 Accompagner les transformati"
    assert all(len(name) <= 31 for name in book.sheetnames)
    assert book.active.title == "Synthèse"


def test_summary_title_and_headers(book: Any) -> None:
    ws = book["Synthèse"]
    assert ws["A1"].value == TITLE
    assert [c.value for c in ws[FIRST - 1]] == [
        "N°", "Mission", "Échéance de référence", "Cible", "Réalisé", "Écart (pts)",
        "Tendance", "Statut", "Trajectoire", "Projection au 01/09/2020",
        "Rythme actuel (pts/mois)", "Rythme nécessaire (pts/mois)", "Commentaire",
    ]
    assert ws.freeze_panes == f"A{FIRST}"


def test_summary_values_and_formats(book: Any, cached: Any) -> None:
    report, _ = sample_report()
    ws, values = book["Synthèse"], cached["Synthèse"]
    for index, ms in enumerate(report.missions):
        row = FIRST + index
        assert ws[f"B{row}"].value == ms.mission.title
        assert ws[f"C{row}"].value.date() == ms.reference_milestone
        assert ws[f"C{row}"].number_format == "dd/mm/yyyy"
        assert ws[f"D{row}"].value == pytest.approx(ms.target)
        assert ws[f"E{row}"].value == (None if ms.actual is None else pytest.approx(ms.actual))
        for col in "DE":
            assert "%" in ws[f"{col}{row}"].number_format
        # Gap and status are live formulas whose cached values are the builder's.
        gap = f'=IF(OR(D{row}="",E{row}=""),"",ROUND((E{row}-D{row})*100,6))'
        assert ws[f"F{row}"].value == gap
        assert ws[f"F{row}"].number_format == "+0.0;-0.0;0.0"
        assert values[f"F{row}"].value == (
            None if ms.gap_points is None else pytest.approx(ms.gap_points))
        assert ws[f"H{row}"].value.startswith("=IF(")
        assert "Tolerance" in ws[f"H{row}"].value
        assert values[f"H{row}"].value == ms.status.value
        assert ws[f"M{row}"].value == ms.notes.comment


def test_summary_covers_every_status(cached: Any) -> None:
    statuses = [cached["Synthèse"][f"H{FIRST + i}"].value for i in range(8)]
    assert statuses == ["Conforme", "Vigilance", "Alerte", "Vigilance", "Non renseigné",
                        "Conforme", "Conforme", "Alerte"]


def test_trend_is_a_number_with_arrows_or_a_dash(book: Any) -> None:
    ws = book["Synthèse"]
    assert ws[f"G{FIRST}"].value == pytest.approx(11.0)  # M1: 75 % then 86 %
    assert "▲" in ws[f"G{FIRST}"].number_format and "▼" in ws[f"G{FIRST}"].number_format
    assert ws[f"G{FIRST + 1}"].value == "—"  # M2: a single measurement


def test_key_figures(book: Any, cached: Any) -> None:
    ws, values = book["Synthèse"], cached["Synthèse"]
    assert ws["B4"].value == "Missions suivies" and values["C4"].value == 8
    assert ws["B5"].value == "Taux moyen de réalisation"
    assert ws["C5"].value.startswith("=IF(COUNT(")
    assert values["C5"].value == pytest.approx(sum([.86, .86, .55, .85, .90, .62, .45]) / 7)
    labels = [ws.cell(4, col).value for col in range(4, 8)]
    assert labels == ["Conforme", "Vigilance", "Alerte", "Non renseigné"]
    assert [values.cell(5, col).value for col in range(4, 8)] == [3, 2, 2, 1]
    assert ws["D5"].value == f"=COUNTIF($H${FIRST}:$H${FIRST + 7},D4)"
    assert values["M4"].value == "Tolérance : 5 points"
    assert "Tolerance" in ws["M4"].value


def test_sans_cible_counted_only_when_present(tmp_path: Path) -> None:
    book = load(write_workbook(*sample_report(), tmp_path / "a.xlsx"))
    assert "Sans cible" not in [book["Synthèse"].cell(4, c).value for c in range(4, 9)]

    # A figure before the first échéance (11 May): no target is due yet.
    report, plan = sample_report(report_date=date(2020, 5, 1),
                                        extra=(Measurement(1, date(2020, 4, 30), 0.5),))
    assert report.count(Status.SANS_CIBLE) > 0
    path = write_workbook(report, plan, tmp_path / "b.xlsx")
    book, values = load(path), load(path, data_only=True)
    assert book["Synthèse"]["H4"].value == "Sans cible"
    assert values["Synthèse"]["H5"].value == report.count(Status.SANS_CIBLE)


def test_tolerance_is_a_defined_name_on_parameters(book: Any) -> None:
    assert book.defined_names["Tolerance"].attr_text == "Paramètres!$B$3"
    assert book.defined_names["DateComite"].attr_text == "Paramètres!$B$4"
    ws = book["Paramètres"]
    assert ws["B3"].value == 5
    assert ws["B4"].value.date() == date(2020, 6, 1)
    assert ws["B4"].number_format == "dd/mm/yyyy"
    texts = [c.value for c in ws["B"]]
    assert "saisie_juin_2020.xlsx" in texts
    assert "0123456789abcdef" * 4 in texts
    assert "0.1.0" in texts


def test_parameters_without_source_show_dashes(tmp_path: Path) -> None:
    report, plan = sample_report()
    report = dataclasses.replace(report, source=None, tool_version="")
    ws = load(write_workbook(report, plan, tmp_path / "p.xlsx"))["Paramètres"]
    assert [ws[f"B{row}"].value for row in (5, 6, 7)] == ["—", "—", "—"]


# --- conditional formats ----------------------------------------------------------

def rules_by_range(ws: Any) -> dict[str, list[Any]]:
    return {str(cf.sqref): list(cf.rules) for cf in ws.conditional_formatting}


def test_status_and_gap_colours_are_conditional_rules(book: Any) -> None:
    rules = rules_by_range(book["Synthèse"])
    last = FIRST + 7
    status = rules[f"H{FIRST}:H{last}"]
    colours = {r.formula[0]: (r.dxf.fill.bgColor.rgb, r.dxf.font.color.rgb) for r in status}
    assert colours['"Conforme"'] == ("FFC6EFCE", "FF006100")
    assert colours['"Vigilance"'] == ("FFFFEB9C", "FF9C5700")
    assert colours['"Alerte"'] == ("FFFFC7CE", "FF9C0006")
    assert '"Non renseigné"' in colours
    assert all(r.type == "cellIs" and r.operator == "equal" for r in status)

    gap = rules[f"F{FIRST}:F{last}"]
    formulas = [r.formula[0] for r in gap]
    assert formulas == [
        f"AND(ISNUMBER($F{FIRST}),$F{FIRST}>=0)",
        f"AND(ISNUMBER($F{FIRST}),$F{FIRST}<0,$F{FIRST}>=-Tolerance)",
        f"AND(ISNUMBER($F{FIRST}),$F{FIRST}<-Tolerance)",
    ]


def test_rate_data_bar_is_solid_from_0_to_1(book: Any, package: Package) -> None:
    (bar,) = rules_by_range(book["Synthèse"])[f"E{FIRST}:E{FIRST + 7}"]
    assert bar.type == "dataBar"
    assert [(v.type, float(v.val)) for v in bar.dataBar.cfvo] == [("num", 0.0), ("num", 1.0)]
    sheet = package.xml(package.sheets()["Synthèse"])
    (x14_bar,) = sheet.iter(tag("x14", "dataBar"))
    assert x14_bar.get("gradient") == "0"


def test_mission_sheet_rules_include_a_venir(book: Any) -> None:
    ws = book[book.sheetnames[1]]
    status = rules_by_range(ws)[f"E{MISSION_FIRST}:E{MISSION_FIRST + 3}"]
    assert '"À venir"' in [r.formula[0] for r in status]
    assert f"D{MISSION_FIRST}:D{MISSION_FIRST + 3}" in rules_by_range(ws)


# --- mission sheets ---------------------------------------------------------------

def test_mission_sheet_content(book: Any, cached: Any) -> None:
    report, _ = sample_report()
    ms = report.missions[0]
    ws, values = book[book.sheetnames[1]], cached[book.sheetnames[1]]
    assert ws["A1"].value == f"Mission 1 — {ms.mission.title}"
    assert ws["A4"].value == "Objectif" and ws["B4"].value == ms.mission.objective
    assert ws["A5"].value == "Description" and ws["B5"].value == ms.mission.description
    assert "B4:H4" in {str(r) for r in ws.merged_cells.ranges}
    # Merged text cannot auto-fit: the row is tall enough for the description.
    lines = wrapped_lines(ms.mission.description, mission_module.TEXT_WIDTH)
    assert ws.row_dimensions[5].height >= lines * 12
    assert [c.value for c in ws[MISSION_FIRST - 1]][:6] == [
        "Échéance", "Cible", "Réalisé", "Écart (pts)", "Statut", "Projection"]
    for index, line in enumerate(ms.timeline):
        row = MISSION_FIRST + index
        assert ws[f"A{row}"].value.date() == line.on
        assert ws[f"B{row}"].value == pytest.approx(line.target)
        assert values[f"D{row}"].value == (
            None if line.gap_points is None else pytest.approx(line.gap_points))
        assert values[f"E{row}"].value == line.status.value
        assert "DateComite" in ws[f"E{row}"].value
    assert [values[f"E{MISSION_FIRST + i}"].value for i in range(4)] == [
        "Conforme", "Conforme", "À venir", "À venir"]
    assert ws["A2"].value == "← Retour à la synthèse"
    assert ws["A2"].hyperlink.location == "Synthèse!A1"


def test_measurement_between_milestones_is_marked(book: Any) -> None:
    ws = book[book.sheetnames[3]]  # mission 3: a figure on 20 May
    row = MISSION_FIRST + 1
    assert ws[f"A{row}"].value.date() == date(2020, 5, 20)
    assert "(mesure)" in ws[f"A{row}"].number_format
    assert ws[f"A{row}"].font.i
    assert ws[f"B{row}"].value == pytest.approx(0.5 + 9 / 21 * 0.2)
    notes = [ws[f"A{MISSION_FIRST + 5 + i}"].value for i in range(2)]
    assert any("mesures intermédiaires" in (note or "") for note in notes)


def test_mission_comments_are_text_with_dashes_when_empty(book: Any) -> None:
    texts = {}
    for number, name in ((1, book.sheetnames[1]), (4, book.sheetnames[4])):
        ws = book[name]
        labels = {ws.cell(row, 1).value: ws.cell(row, 2).value for row in range(1, 40)}
        texts[number] = labels
    assert texts[1]["Commentaire"] == HOSTILE[1].comment
    assert texts[1]["Points d'attention"] == HOSTILE[1].attention
    assert texts[1]["Prochaines étapes"] == HOSTILE[1].next_steps
    assert texts[4]["Commentaire"] == "—"


def test_exactly_one_chart_per_mission_sheet(package: Package) -> None:
    sheets = package.sheets()
    names = list(sheets)
    for name in names[1:-2]:  # the missions, between Synthèse and Historique
        (chart,) = package.charts(sheets[name])
        xml = package.xml(chart)
        assert attribute(xml, ".//c:scatterChart/c:scatterStyle", "val") == "lineMarker"
        series = [s.findtext("c:tx//c:v", namespaces=NS) for s in xml.iter(tag("c", "ser"))]
        assert series in (["Cible", "Réalisé"], ["Cible", "Réalisé", "Projection"])
        assert attribute(xml, ".//c:dispBlanksAs", "val") == "span"
        formats = [f.get("formatCode") for f in xml.iter(tag("c", "numFmt"))]
        assert "dd/mm" in formats and "0 %" in formats
    assert package.charts(sheets["Paramètres"]) == []


def test_summary_chart_is_clustered_columns(package: Package) -> None:
    (chart,) = package.charts(package.sheets()["Synthèse"])
    xml = package.xml(chart)
    assert attribute(xml, ".//c:barChart/c:barDir", "val") == "col"
    assert attribute(xml, ".//c:barChart/c:grouping", "val") == "clustered"
    title = "".join(t.text or "" for t in xml.iterfind("c:chart/c:title//a:t", NS))
    assert title == "Cible et réalisé par mission"
    refs = [f.text for f in xml.iter(tag("c", "f"))]
    assert f"Synthèse!$A${FIRST}:$A${FIRST + 7}" in refs
    assert f"Synthèse!$D${FIRST}:$D${FIRST + 7}" in refs
    assert f"Synthèse!$E${FIRST}:$E${FIRST + 7}" in refs
    assert attribute(xml, ".//c:valAx/c:scaling/c:min", "val") == "0"
    assert attribute(xml, ".//c:valAx/c:scaling/c:max", "val") == "1"


# --- links and user text ----------------------------------------------------------

def test_summary_links_to_each_mission_sheet(book: Any) -> None:
    ws = book["Synthèse"]
    for index, name in enumerate(book.sheetnames[1:-2]):
        cell = ws[f"A{FIRST + index}"]
        assert cell.value == f"M{index + 1}"
        assert cell.hyperlink.location == f"'{name}'!A1"


def test_every_link_is_internal(package: Package) -> None:
    for name, part in package.sheets().items():
        for link in package.xml(part).iter(tag("m", "hyperlink")):
            assert link.get("location"), name
            assert link.get(tag("r", "id")) is None, name


def test_user_text_is_never_a_formula_or_link(book: Any, package: Package) -> None:
    strings = [si.findtext(".//m:t", namespaces=NS) or "" for si in
               package.xml("xl/sharedStrings.xml").findall("m:si", NS)]
    linked = {(name, link.get("ref")) for name, part in package.sheets().items()
              for link in package.xml(part).iter(tag("m", "hyperlink"))}
    found = set()
    for name, part in package.sheets().items():
        for ref, cell in package.cells(part).items():
            if cell.get("t") != "s":
                continue
            text = strings[int(cell.findtext("m:v", namespaces=NS) or "0")]
            text = text.replace("_x000D_", "\r")
            if text in HOSTILE_TEXTS:
                found.add(text)
                assert cell.find("m:f", NS) is None
                assert (name, ref) not in linked
                style = book[name][ref]
                assert style.data_type == "s"
                if not text.startswith("http"):
                    assert style.quotePrefix, (name, ref, text)
    assert found == set(HOSTILE_TEXTS)


# --- printing and properties -------------------------------------------------------

def test_print_setup_on_every_sheet(package: Package) -> None:
    workbook = package.xml("xl/workbook.xml")
    defined = {(d.get("name"), d.get("localSheetId")): d.text
               for d in workbook.findall("m:definedNames/m:definedName", NS)}
    for index, (name, part) in enumerate(package.sheets().items()):
        sheet = package.xml(part)
        setup = sheet.find("m:pageSetup", NS)
        assert setup is not None
        assert setup.get("orientation") == "landscape"
        assert setup.get("paperSize") == "9"
        assert setup.get("fitToWidth", "1") == "1"
        assert setup.get("fitToHeight") == "0"
        assert attribute(sheet, "m:sheetPr/m:pageSetUpPr", "fitToPage") == "1"
        assert attribute(sheet, "m:sheetViews/m:sheetView", "showGridLines") == "0"
        footer = sheet.findtext("m:headerFooter/m:oddFooter", namespaces=NS) or ""
        assert TITLE in footer and "Page &P / &N" in footer and "1er juin 2020" in footer
        assert ("_xlnm.Print_Area", str(index)) in defined, name
        # Synthèse's table fits its first page: its header has no page to repeat on,
        # and above the chart's own page it would head nothing.
        assert (("_xlnm.Print_Titles", str(index)) in defined) == (index > 0), name


def test_the_summary_header_repeats_when_the_table_runs_over_pages(tmp_path: Path) -> None:
    plan = load_plan()
    many = dataclasses.replace(plan, missions=tuple(
        dataclasses.replace(plan.missions[n % 8], number=n + 1) for n in range(30)))
    report, _ = sample_report(plan=many)
    package = Package(write_workbook(report, many, tmp_path / "long.xlsx"))
    defined = {(d.get("name"), d.get("localSheetId")): d.text for d in
               package.xml("xl/workbook.xml").findall("m:definedNames/m:definedName", NS)}
    assert defined[("_xlnm.Print_Titles", "0")] == f"Synthèse!${FIRST - 1}:${FIRST - 1}"


def test_document_properties(package: Package) -> None:
    core = package.xml("docProps/core.xml")
    assert core.findtext("dc:title", namespaces=NS) == TITLE
    assert core.findtext("dc:creator", namespaces=NS) == "Secrétariat général — SPES"
    assert core.findtext("dc:subject", namespaces=NS) == (
        "Taux de réalisation des missions au 1er juin 2020")
    assert core.findtext("dcterms:created", namespaces=NS) == "2020-06-01T00:00:00Z"
    app = package.parts["docProps/app.xml"].decode()
    assert "<Company>Secrétariat général — SPES</Company>" in app


def test_same_report_gives_byte_identical_files(tmp_path: Path) -> None:
    report, plan = sample_report()
    first = write_workbook(report, plan, tmp_path / "a.xlsx").read_bytes()
    second = write_workbook(report, plan, tmp_path / "b.xlsx").read_bytes()
    assert first == second


# --- atomic write --------------------------------------------------------------------

def test_failure_leaves_existing_file_and_no_temporary(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "comite.xlsx"
    target.write_bytes(b"previous workbook")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(mission_module, "write_mission", broken)
    report, plan = sample_report()
    with pytest.raises(RuntimeError, match="boom"):
        write_workbook(report, plan, target)
    assert target.read_bytes() == b"previous workbook"
    assert os.listdir(tmp_path) == ["comite.xlsx"]


def test_text_too_long_fails_cleanly(tmp_path: Path) -> None:
    report, plan = sample_report()
    ms = report.missions[0]
    long_notes = dataclasses.replace(ms.notes, comment="x" * 40_000)
    report = dataclasses.replace(
        report, missions=(dataclasses.replace(ms, notes=long_notes), *report.missions[1:]))
    with pytest.raises(WorkbookWriteError) as caught:
        write_workbook(report, plan, tmp_path / "comite.xlsx")
    assert (caught.value.place, caught.value.code) == ("Synthèse!M8", -2)
    assert os.listdir(tmp_path) == []


def test_success_replaces_file_and_leaves_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "comite.xlsx"
    target.write_bytes(b"previous workbook")
    report, plan = sample_report()
    assert write_workbook(report, plan, target) == target
    assert target.read_bytes()[:2] == b"PK"
    assert os.listdir(tmp_path) == ["comite.xlsx"]
    assert target.stat().st_mode & 0o777 != 0o600


# --- odd plan ----------------------------------------------------------------

def test_mission_without_milestones_and_odd_title(tmp_path: Path) -> None:
    report, plan = sample_report()
    odd = Mission(9, "Budget [2020] : suivi / bilan ? R&D * 'externes'", "Court.", "", ())
    plan = dataclasses.replace(plan, service="R&D",
                                      missions=(*plan.missions, odd))
    report, _ = sample_report(plan=plan)
    path = write_workbook(report, plan, tmp_path / "odd.xlsx")
    book = load(path)
    name = book.sheetnames[9]
    assert name == "M9 Budget 2020 suivi bilan R&D"
    assert book["Synthèse"][f"A{FIRST + 8}"].hyperlink.location == f"'{name}'!A1"
    assert book[name][f"A{MISSION_FIRST}"].value == "Aucune échéance ni mesure pour cette mission."
    package = Package(path)
    assert len(package.charts(package.sheets()[name])) == 1
    footer = package.xml(package.sheets()[name]).findtext("m:headerFooter/m:oddFooter",
                                                          namespaces=NS) or ""
    assert "R&&D — Comité" in footer


# --- imports --------------------------------------------------------------------------

def test_writers_never_import_openpyxl() -> None:
    folder = Path(mission_module.__file__).parent
    for source in folder.glob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            assert not any(m.startswith("openpyxl") for m in modules), source.name


def test_package_import_does_not_load_xlsxwriter() -> None:
    code = "import sys, spes_report; assert 'xlsxwriter' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_summary_flags_a_realise_older_than_its_reference_echeance(tmp_path: Path) -> None:
    # Reported at the committee of 1 July, M1 last measured on 1 June, M3 on 1 June too.
    report, plan = sample_report(date(2020, 7, 1))
    assert summary.stale_actuals_note(report) == (
        "Réalisé mesuré avant l'échéance de référence pour les missions "
        "M1 (01/06/2020), M2 (01/06/2020), M3 (01/06/2020), M4 (01/06/2020), "
        "M6 (01/06/2020), M7 (01/06/2020), M8 (01/06/2020) : c'est le dernier taux saisi."
    )
    sheet = load(write_workbook(report, plan, tmp_path / "w.xlsx"))["Synthèse"]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert summary.stale_actuals_note(report) in texts
    fresh, _ = sample_report()
    assert summary.stale_actuals_note(fresh) is None
    one, _ = sample_report(date(2020, 7, 1), extra=tuple(
        Measurement(n, date(2020, 7, 1), 0.9) for n in (1, 2, 3, 4, 6, 7)))
    assert summary.stale_actuals_note(one) == (
        "Réalisé mesuré avant l'échéance de référence pour la mission M8 (01/06/2020) : "
        "c'est le dernier taux saisi."
    )
