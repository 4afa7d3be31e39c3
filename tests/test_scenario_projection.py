"""Projections and weather through the real commands, on the committed sample: the
Synthèse's new columns, key figures and rules, the mission sheet's Projection column
and dotted line, Paramètres, and the email, all read back from the files."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from support import SAMPLE, run
from support.archive import JULY, JUNE, RATES, edit_manifest
from support.mail import attachments, bodies, emailed_sample, parse
from support.plans import plan_toml
from support.workbooks import NS, Package, load, tag

from spes_report import load_plan
from spes_report.archive.manifest import read_manifest
from spes_report.french import NBSP

BOOK = "SPES_COPIL_2020-06-01.xlsx"
FIRST = 8  # first mission row of the Synthèse table
HEADERS = ("Trajectoire", "Projection au 01/09/2020", "Rythme actuel (pts/mois)",
           "Rythme nécessaire (pts/mois)", "Météo")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample built and its email drafted, in a staff folder."""
    return emailed_sample(tmp_path_factory.mktemp("service"))


@pytest.fixture(scope="module")
def projected(built: Path) -> Any:
    return load(built / BOOK)


@pytest.fixture(scope="module")
def projected_values(built: Path) -> Any:
    return load(built / BOOK, data_only=True)


def columns(ws: Any) -> dict[str, str]:
    """Header text -> column letter, from the Synthèse's header row."""
    return {cell.value: cell.column_letter for cell in ws[FIRST - 1] if cell.value}


def test_synthese_shows_the_trajectory_beside_the_status(projected: Any) -> None:
    ws = projected["Synthèse"]
    col = columns(ws)
    headers = list(col)
    assert headers.index("Trajectoire") == headers.index("Statut") + 1
    assert all(header in col for header in HEADERS)
    rows = {ws[f"A{r}"].value: r for r in range(FIRST, FIRST + 8)}
    m5, m1 = rows["M5"], rows["M1"]
    # M5: 70 % on 11 May, 74 % on 1 June: 4 points in 21 days, 5.8 a month, 91.5 %
    # by 1 September against 100 %: off trajectory while its pilot says « Soleil ».
    assert ws[f"{col['Trajectoire']}{m5}"].value == "Hors trajectoire"
    projection = ws[f"{col['Projection au 01/09/2020']}{m5}"]
    assert projection.value == pytest.approx(0.74 + 0.04 / 21 * 92)
    assert projection.number_format == "0.0 %"
    pace = ws[f"{col['Rythme actuel (pts/mois)']}{m5}"]
    assert pace.value == pytest.approx(4 / 21 * 365.25 / 12, abs=1e-6)
    assert pace.number_format == "+0.0;-0.0;0.0"
    needed = ws[f"{col['Rythme nécessaire (pts/mois)']}{m5}"]
    assert needed.value == pytest.approx(26 / 92 * 365.25 / 12, abs=1e-6)
    assert needed.number_format == "0.0"
    weather = ws[f"{col['Météo']}{m5}"]
    assert weather.value == "☀ Soleil\n(optimiste ?)"
    assert weather.fill.fgColor.rgb == "FFFFEB9C"
    # M1 on track, its projection capped at 100 %.
    assert ws[f"{col['Trajectoire']}{m1}"].value == "En bonne voie"
    assert ws[f"{col['Projection au 01/09/2020']}{m1}"].value == 1.0
    assert ws[f"{col['Météo']}{m1}"].value == "☀ Soleil"


def test_trajectory_cells_are_coloured_by_conditional_rules(projected: Any) -> None:
    ws = projected["Synthèse"]
    letter = columns(ws)["Trajectoire"]
    rules = {str(cf.sqref): list(cf.rules) for cf in ws.conditional_formatting}
    table = rules[f"{letter}{FIRST}:{letter}{FIRST + 7}"]
    colours = {r.formula[0]: (r.dxf.fill.bgColor.rgb, r.dxf.font.color.rgb) for r in table}
    assert colours == {
        '"En bonne voie"': ("FFC6EFCE", "FF006100"),
        '"À surveiller"': ("FFFFEB9C", "FF9C5700"),
        '"Hors trajectoire"': ("FFFFC7CE", "FF9C0006"),
        '"Non projetable"': ("FFD9D9D9", "FF404040"),
    }


def test_key_figures_count_missions_per_trajectory(projected: Any, projected_values: Any) -> None:
    ws, values = projected["Synthèse"], projected_values["Synthèse"]
    letter = columns(ws)["Trajectoire"]
    start = ws[f"{letter}4"].column
    labels = [ws.cell(4, start + i).value for i in range(4)]
    assert labels == ["En bonne voie", "À surveiller", "Hors trajectoire", "Non projetable"]
    assert [values.cell(5, start + i).value for i in range(4)] == [7, 0, 1, 0]
    assert ws.cell(5, start).value == (
        f"=COUNTIF(${letter}${FIRST}:${letter}${FIRST + 7},{letter}4)")


def test_synthese_notes_give_the_rule_and_the_weather_to_question(projected: Any) -> None:
    ws = projected["Synthèse"]
    notes = [ws[f"A{r}"].value for r in range(FIRST + 9, FIRST + 20) if ws[f"A{r}"].value]
    assert any(note.startswith("Trajectoire : le rythme actuel prolongé") for note in notes)
    assert any("90 jours" in note and "au moins 2" in note for note in notes)
    assert ("Météo déclarée optimiste au regard de la trajectoire pour M5 (Soleil, "
            "hors trajectoire).") in notes


def test_the_mission_sheet_projects_future_échéances_and_draws_the_line(
        projected: Any, built: Path) -> None:
    name = projected.sheetnames[5]  # M5
    ws = projected[name]
    header = [c.value for c in ws[8]]
    assert header[:6] == ["Échéance", "Cible", "Réalisé", "Écart (pts)", "Statut",
                          "Projection"]
    days = {ws[f"A{r}"].value.date().isoformat(): r for r in range(9, 13)}
    assert ws[f"F{days['2020-05-11']}"].value is None  # the past is not projected
    # The latest rate, where the projection starts, marked as such.
    start = ws[f"F{days['2020-06-01']}"]
    assert (start.value, start.number_format) == (0.74, '0.0 %" (départ)"')
    assert ws[f"F{days['2020-07-01']}"].value == pytest.approx(0.74 + 0.04 / 21 * 30)
    assert ws[f"F{days['2020-09-01']}"].value == pytest.approx(0.74 + 0.04 / 21 * 92)
    assert ws[f"F{days['2020-09-01']}"].number_format == "0.0 %"
    note = next(ws[f"A{r}"].value for r in range(13, 17)
                if (ws[f"A{r}"].value or "").startswith("Trajectoire"))
    assert note.startswith("Trajectoire : Hors trajectoire. Projection : rythme actuel de "
                           f"+5,8{NBSP}pts/mois prolongé depuis le taux du 01/06/2020")
    assert (ws["A6"].value, ws["B6"].value) == (
        "Météo", "☀ Soleil — optimiste : la mission est hors trajectoire")

    package = Package(built / BOOK)
    sheet = package.sheets()[name]
    (chart,) = package.charts(sheet)
    xml = package.xml(chart)
    series = {s.findtext("c:tx//c:v", namespaces=NS): s for s in xml.iter(tag("c", "ser"))}
    line = series["Projection"]
    assert line.find(".//c:spPr/a:ln/a:prstDash", NS).get("val") == "sysDot"
    # From the latest rate to the final échéance, through the table's Projection column.
    quoted = f"'{name}'"
    assert line.findtext(".//c:xVal//c:f", namespaces=NS) == f"{quoted}!$A$10:$A$12"
    assert line.findtext(".//c:yVal//c:f", namespaces=NS) == f"{quoted}!$F$10:$F$12"


def test_a_mission_sheet_shows_its_pilot_and_weather_side_by_side(tmp_path: Path) -> None:
    plan = load_plan()
    piloted = tuple(dataclasses.replace(m, pilot="Jeanne Martin",
                                        pilot_email="jeanne.martin@exemple.gouv.fr")
                    if m.number == 5 else m for m in plan.missions)
    (tmp_path / "plan.toml").write_text(
        plan_toml(dataclasses.replace(plan, missions=piloted)), encoding="utf-8")

    out = tmp_path / "out"
    result = run("build", SAMPLE, "--plan", tmp_path / "plan.toml", "--output-dir", out,
                 "--no-archive")
    assert result.exit_code == 0, result.output
    book = load(out / BOOK)
    ws = book[book.sheetnames[5]]
    assert [ws[f"{col}6"].value for col in "ABEF"] == [
        "Pilote", "Jeanne Martin (jeanne.martin@exemple.gouv.fr)", "Météo",
        "☀ Soleil — optimiste : la mission est hors trajectoire"]
    assert {"B6:D6", "F6:H6"} <= {str(r) for r in ws.merged_cells.ranges}


def test_paramètres_writes_the_projection_rules(projected: Any) -> None:
    ws = projected["Paramètres"]
    rows = {ws[f"A{r}"].value: ws[f"B{r}"].value for r in range(1, ws.max_row + 1)}
    assert rows["Fenêtre du rythme"] == "90 jours avant la date du comité"
    assert rows["Mesures pour un rythme"] == "au moins 2, étalées sur 14 jours ou plus"
    for label in ("Rythme actuel", "Projection", "Rythme nécessaire", "En bonne voie",
                  "À surveiller", "Hors trajectoire", "Non projetable", "Météo"):
        assert rows[label], label
    assert f"de plus de 5{NBSP}points" in rows["Hors trajectoire"]


def test_the_email_names_the_mission_off_trajectory(built: Path) -> None:
    message = parse((built / "SPES_COPIL_2020-06-01.eml").read_bytes())
    text, html = bodies(message)
    sentence = (f"la mission 5 est hors trajectoire : 91,5{NBSP}% projetés au 1er septembre "
                f"2020 pour une cible de 100{NBSP}%.")
    assert sentence in text and sentence in html
    assert "Météo déclarée : ☀ Soleil (optimiste au regard de la trajectoire)" in text
    assert ">Trajectoire</th>" in html
    assert f"91,5{NBSP}% au 01/09/2020" in html
    assert attachments(message)[0].get_filename() == BOOK


def test_before_a_pace_exists_nothing_is_projected(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("build", SAMPLE, "--date", "11/05/2020", "--output-dir", out, "--no-archive")
    assert result.exit_code == 0, result.output
    ws = load(out / "SPES_COPIL_2020-05-11.xlsx")["Synthèse"]
    col = columns(ws)
    assert {ws[f"{col['Trajectoire']}{r}"].value for r in range(FIRST, FIRST + 8)} == {
        "Non projetable"}
    assert {ws[f"{col['Projection au 01/09/2020']}{r}"].value
            for r in range(FIRST, FIRST + 8)} == {"—"}
    notes = [ws[f"A{r}"].value for r in range(FIRST + 9, FIRST + 20) if ws[f"A{r}"].value]
    assert ("Non projetable : M1, M2, M3, M4, M5, M6, M7, M8 (moins de 2 taux sur les "
            "90 derniers jours).") in notes


# --- the archive: projections recorded, and checked at the next committee -----------------

def test_the_manifest_records_the_projections_shown(three_months: Path, out: Path) -> None:
    manifest = read_manifest(three_months / "2020-06")
    recorded = {p["mission"]: p for p in manifest["projections"]}
    ws = load(out / "archive" / "2020-06" / BOOK)["Synthèse"]
    col = columns(ws)
    for index in range(8):
        row, number = FIRST + index, index + 1
        assert recorded[number]["trajectory"] == ws[f"{col['Trajectoire']}{row}"].value
        at = {a["due"]: a["rate"] for a in recorded[number]["at"]}
        assert set(at) == {"2020-07-01", "2020-09-01"}
        assert at["2020-09-01"] == ws[f"{col['Projection au 01/09/2020']}{row}"].value
        pace = ws[f"{col['Rythme actuel (pts/mois)']}{row}"].value
        assert recorded[number]["pace_points"] == pace
    # May's committee had one rate per mission: nothing projected, and it says why.
    may = read_manifest(three_months / "2020-05")["projections"]
    assert {(p["trajectory"], p["reason"], tuple(p["at"])) for p in may} == {
        ("Non projetable", "too-few", ())}


def test_the_next_committee_shows_how_the_projection_turned_out(three_months: Path,
                                                                 out: Path) -> None:
    june = {p["mission"]: {a["due"]: a["rate"] for a in p["at"]}
            for p in read_manifest(three_months / "2020-06")["projections"]}
    ws = load(out / "SPES_COPIL_2020-07-01.xlsx")["Historique"]
    title_row = next(r for r in range(1, ws.max_row + 1)
                     if ws[f"A{r}"].value == "Projections passées et réalisé")
    rows = range(title_row + 3, title_row + 11)
    assert [ws[f"A{r}"].value for r in rows] == [f"M{n}" for n in range(1, 9)]
    for number, r in enumerate(rows, start=1):
        assert ws[f"B{r}"].value.date() == JULY
        assert ws[f"C{r}"].value == pytest.approx(june[number]["2020-07-01"])
        assert ws[f"D{r}"].value.date() == JUNE
        assert ws[f"E{r}"].value == pytest.approx(RATES[JULY][number - 1])
        assert ws[f"F{r}"].value == pytest.approx(
            (RATES[JULY][number - 1] - june[number]["2020-07-01"]) * 100, abs=1e-6)
    # July's own history keeps June's projections, so that verify can rebuild it.
    history = read_manifest(three_months / "2020-07")["history"]
    assert {(p["mission"], p["due"]) for p in history[-1]["projections"]} == {
        (n, due) for n in range(1, 9) for due in ("2020-07-01", "2020-09-01")}
    result = run("archive", "verify", "--output-dir", out)
    assert result.exit_code == 0, result.output


def test_a_projection_edited_in_the_archive_breaks_the_seal(three_months: Path,
                                                            out: Path) -> None:
    def raise_hopes(manifest: dict[str, Any]) -> None:
        at = manifest["projections"][4]["at"][0]
        assert at["rate"] < 0.99
        at["rate"] = 0.99

    edit_manifest(three_months / "2020-06", raise_hopes)
    result = run("archive", "verify", "--output-dir", out)
    assert result.exit_code == 1
    assert "2020-06" in result.output
