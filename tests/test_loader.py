"""The loader reads the template and hand-made variants, and reports every problem with its cell."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from support.inputs import DATES, HEADER, make_input, mission_row

from spes_report import InputError, load_input, load_plan
from spes_report.loader import LoadedInput
from spes_report.model import Weather

JUNE = date(2020, 6, 1)
MAY = date(2020, 5, 11)


def load(path: Path) -> LoadedInput:
    return load_input(path, load_plan())


def rates(loaded: LoadedInput) -> dict[tuple[int, date], float]:
    return {(m.mission, m.on): round(m.rate, 6) for m in loaded.data.measurements}


def problems(path: Path) -> list[tuple[str, str]]:
    with pytest.raises(InputError) as caught:
        load(path)
    return [(p.code, p.place) for p in caught.value.problems]


def test_reads_a_plain_table(tmp_path: Path) -> None:
    path = make_input(tmp_path / "in.xlsx", [
        mission_row(1, 0.7, 0.8, comment="En bonne voie"),
        mission_row(2, 0.75),
    ], percent_columns=(3, 4, 5, 6))
    loaded = load(path)
    assert loaded.data.committee_date == JUNE
    assert rates(loaded) == {(1, MAY): 0.7, (1, JUNE): 0.8, (2, MAY): 0.75}
    assert loaded.data.notes[1].comment == "En bonne voie"
    assert loaded.sheet == "Saisie"
    assert loaded.dates == tuple(d.date() for d in DATES)
    assert len(loaded.source.sha256) == 64


@pytest.mark.parametrize(
    ("cell", "percent", "expected"),
    [
        (0.75, True, 0.75),
        (75, False, 0.75),
        (0.75, False, 0.75),
        ("75 %", False, 0.75),
        ("75%", False, 0.75),
        ("75,5 %", False, 0.755),
        ("75\u00a0%", False, 0.75),
        ("75\u202f%", False, 0.75),
    ],
)
def test_accepted_rate_forms(tmp_path: Path, cell: object, percent: bool,
                             expected: float) -> None:
    path = make_input(tmp_path / "in.xlsx", [mission_row(3, cell)],
                      percent_columns=(3,) if percent else ())
    assert rates(load(path)) == {(3, MAY): expected}


@pytest.mark.parametrize(
    "header",
    [
        ["n°", "MISSION", *DATES],
        ["No", "  mission ", *DATES],
        ["Numéro", "Mission", *DATES],
        ["NUMERO", "Missions", *DATES],
        ["N°", "Mission", "11/05/2020", "01/06/2020", "1er juillet 2020", "1er septembre 2020"],
        ["Mission", "N°", *DATES],  # columns in another order
    ],
)
def test_header_variants(tmp_path: Path, header: list[object]) -> None:
    number_first = header[0] != "Mission"
    row: list[object] = [4, "Simplifier", 0.8, 0.9] if number_first else [
        "Simplifier", 4, 0.8, 0.9]
    path = make_input(tmp_path / "in.xlsx", [row], header=header)
    assert rates(load(path)) == {(4, MAY): 0.8, (4, JUNE): 0.9}


def test_columns_in_any_order_extra_columns_and_blank_rows(tmp_path: Path) -> None:
    header = ["Observations", "Prochaines étapes", DATES[1], "Mission", "N°", "Commentaire",
              DATES[0]]
    path = make_input(tmp_path / "in.xlsx", [
        ["x", "Réunion", 0.9, "Titre", 2, "Bien", 0.8],
        [None] * 7,
        ["", "", "", "", "", "", ""],
        ["y", "", 0.5, "Titre", 5, "", None],
    ], header=header, header_row=8)
    loaded = load(path)
    assert rates(loaded) == {(2, JUNE): 0.9, (2, MAY): 0.8, (5, JUNE): 0.5}
    assert loaded.data.notes[2].next_steps == "Réunion"
    assert loaded.data.notes[2].comment == "Bien"


def test_intermediate_date_column_is_a_measurement(tmp_path: Path) -> None:
    header = ["N°", "Mission", DATES[0], DATES[1], "15/06/2020", DATES[2]]
    path = make_input(tmp_path / "in.xlsx", [[1, "M", 0.7, 0.8, 0.86, None]], header=header)
    assert rates(load(path))[(1, date(2020, 6, 15))] == 0.86


def test_mission_number_as_text(tmp_path: Path) -> None:
    path = make_input(tmp_path / "in.xlsx", [mission_row("M7", 0.5), mission_row("8", 0.4)])
    assert rates(load(path)) == {(7, MAY): 0.5, (8, MAY): 0.4}


def test_committee_date_as_text_or_absent(tmp_path: Path) -> None:
    loaded = load(make_input(tmp_path / "a.xlsx", [mission_row(1, 0.7)],
                             committee_date="1er juin 2020"))
    assert loaded.data.committee_date == JUNE
    loaded = load(make_input(tmp_path / "b.xlsx", [mission_row(1, 0.7)], committee_date=None))
    assert loaded.data.committee_date is None


def test_table_found_when_the_sheet_has_another_name(tmp_path: Path) -> None:
    path = make_input(tmp_path / "in.xlsx", [mission_row(1, 0.7)], sheet="Feuil1",
                      extra_sheets=["Notes"])
    loaded = load(path)
    assert loaded.sheet == "Feuil1"


def test_formula_cells_are_read_through_their_cached_values(tmp_path: Path) -> None:
    # openpyxl writes no cached value; a workbook saved by Excel or LibreOffice has one.
    # Build one by hand: a formula cell whose <v> holds 0.8.
    import zipfile

    source = make_input(tmp_path / "plain.xlsx", [mission_row(1, 0.8)])
    patched = tmp_path / "formula.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(patched, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                assert '<c r="C6" t="n"><v>0.8</v></c>' in text
                text = text.replace('<c r="C6" t="n"><v>0.8</v></c>',
                                    '<c r="C6"><f>0.5+0.3</f><v>0.8</v></c>')
                data = text.encode()
            zout.writestr(item, data)
    assert rates(load(patched)) == {(1, MAY): 0.8}


ERROR_CASES = [
    pytest.param([mission_row(9, 0.5)], HEADER, [("unknown-mission", "Saisie!A6")],
                 id="unknown mission"),
    pytest.param([mission_row(1, 0.5), mission_row(1, 0.6)], HEADER,
                 [("duplicate-mission", "Saisie!A7")], id="duplicate mission"),
    pytest.param([mission_row(1, 1.2, 150)], HEADER,
                 [("rate-out-of-range", "Saisie!D6")], id="rate above 100"),
    pytest.param([mission_row(1, -0.1)], HEADER,
                 [("rate-out-of-range", "Saisie!C6")], id="negative rate"),
    pytest.param([mission_row(2, "en cours")], HEADER,
                 [("rate-not-a-number", "Saisie!C6")], id="text that is not a rate"),
    pytest.param([mission_row(1, 0.5)],
                 ["N°", "Mission", "11/05/2020", "31/02/2020", "1er juinn 2020"],
                 [("date-header-unreadable", "Saisie!D5"), ("date-header-unreadable",
                                                            "Saisie!E5")],
                 id="unreadable date headers"),
    pytest.param([mission_row(1, 0.5)], ["N°", "Mission", DATES[0], "11/05/2020"],
                 [("duplicate-date-column", "Saisie!D5")], id="same date twice"),
    pytest.param([[None, "Sans numéro", 0.5]], HEADER,
                 [("mission-number-unreadable", "Saisie!A6")], id="missing number"),
]


@pytest.mark.parametrize(("rows", "header", "expected"), ERROR_CASES)
def test_each_error_names_its_cell(tmp_path: Path, rows: list[list[object]],
                                   header: list[object], expected: list[tuple[str, str]]) -> None:
    path = make_input(tmp_path / "in.xlsx", rows, header=header)
    assert problems(path) == expected


def test_all_problems_are_collected_together(tmp_path: Path) -> None:
    path = make_input(tmp_path / "in.xlsx", [
        mission_row(1, "abc", 250),
        mission_row(12, 0.5),
        mission_row(3, 0.5, "70 %"),
        mission_row(3, 0.5),
    ], committee_date="demain")
    assert problems(path) == [
        ("committee-date-unreadable", "Saisie!B3"),
        ("rate-not-a-number", "Saisie!C6"),
        ("rate-out-of-range", "Saisie!D6"),
        ("unknown-mission", "Saisie!A7"),
        ("duplicate-mission", "Saisie!A9"),
    ]


def test_messages_are_french_with_value_and_expectation(tmp_path: Path) -> None:
    path = make_input(tmp_path / "in.xlsx", [mission_row(1, "beaucoup")])
    with pytest.raises(InputError) as caught:
        load(path)
    (problem,) = caught.value.problems
    assert problem.value == "beaucoup"
    assert "taux" in problem.expected
    assert str(problem) == (
        "Saisie!C6 : mission n° 1, 11/05/2020 : ce texte n'est pas un taux "
        "(valeur trouvée : beaucoup ; attendu : un taux entre 0 % et 100 % "
        "(ex. 75 %, 75 ou 0,75))"
    )


def test_missing_table(tmp_path: Path) -> None:
    path = make_input(tmp_path / "in.xlsx", [[1, 2, 3]], header=["a", "b", "c"])
    assert problems(path) == [("missing-table", "in.xlsx")]


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "in.xlsx"
    path.write_text("N°;Mission\n1;0,75\n", encoding="utf-8")
    assert problems(path) == [("csv-or-text", "in.xlsx")]  # each kind: test_hostile_inputs


def test_stretched_used_range_is_read_within_bounds(tmp_path: Path) -> None:
    import openpyxl

    path = make_input(tmp_path / "in.xlsx", [mission_row(1, 0.7)])
    workbook = openpyxl.load_workbook(path)
    workbook["Saisie"]["XFD1048576"] = "x"
    workbook.save(path)
    assert rates(load(path)) == {(1, MAY): 0.7}


def test_dates_in_datetime_cells_with_time_part(tmp_path: Path) -> None:
    header = ["N°", "Mission", datetime(2020, 6, 1, 0, 0)]
    assert rates(load(make_input(tmp_path / "in.xlsx", [[1, "x", 0.9]], header=header))) == {
        (1, JUNE): 0.9
    }


def test_weather_column_is_optional_and_read_when_present(tmp_path: Path) -> None:
    header = [*HEADER, "Météo"]
    path = make_input(tmp_path / "in.xlsx", [
        [*mission_row(1, 0.7), "Soleil"],
        [*mission_row(2, 0.7), None],
        [*mission_row(3, 0.7), "⚡ Orage"],
    ], header=header)
    notes = load(path).data.notes
    assert (notes[1].weather, notes[2].weather, notes[3].weather) == (
        Weather.SOLEIL, None, Weather.ORAGE)
    # An input without the column (every file made before it) has no weather at all.
    plain = make_input(tmp_path / "plain.xlsx", [mission_row(1, 0.7)])
    assert load(plain).data.notes[1].weather is None


def test_an_unknown_weather_names_its_cell_with_the_other_problems(tmp_path: Path) -> None:
    header = [*HEADER, "Météo"]
    path = make_input(tmp_path / "in.xlsx", [
        [*mission_row(1, 0.7), "Beau temps"],
        [*mission_row(2, "beaucoup"), "Soleil"],
    ], header=header)
    with pytest.raises(InputError) as caught:
        load(path)
    found = {(p.code, p.place): p for p in caught.value.problems}
    assert set(found) == {("rate-not-a-number", "Saisie!C7"), ("weather-unreadable", "Saisie!J6")}
    weather = found[("weather-unreadable", "Saisie!J6")]
    assert weather.message == "mission n° 1 : météo inconnue"
    assert weather.value == "Beau temps"
    assert weather.expected == "Soleil, Nuageux, Couvert ou Orage (ou vide)"


def test_a_row_with_only_a_weather_is_a_mission_row(tmp_path: Path) -> None:
    header = [*HEADER, "Météo"]
    path = make_input(tmp_path / "in.xlsx", [[None, "", None, None, None, None, "", "", "",
                                              "Orage"]], header=header)
    assert problems(path) == [("mission-number-unreadable", "Saisie!A6")]
