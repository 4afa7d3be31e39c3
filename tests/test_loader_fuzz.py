"""Fuzzing: whatever workbook it is given, the loader loads it or says why in French.

Hypothesis builds workbooks with openpyxl (random cell types and values,
header spellings, empty and merged cells) and damages real packages byte by
byte; the only acceptable outcomes are a LoadedInput or our own InputError.
"""

from __future__ import annotations

import io
import math
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from support import SAMPLE

from spes_report import InputError, load_input, load_plan
from spes_report.loader import LoadedInput

DEFINITIONS = load_plan()
FUZZ = settings(max_examples=100, deadline=None,
                # One file per example, rewritten each time in the test's tmp_path.
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

HEADERS = [
    "N°", "n°", "No", "Numéro", "NUMERO", "num", "Mission", "MISSIONS", " mission ",
    "Commentaire", "Commentaires", "Points d'attention", "Prochaines étapes", "Date du comité",
    "01/06/2020", "1er juin 2020", "11/05/2020", "2020-07-01", "31/02/2020", "juin",
    "Observations", "", "%", "=A1", datetime(2020, 6, 1), datetime(2020, 9, 1, 12, 30),
    date(2020, 5, 11), 44000, 1.5, True, None,
]

texts = st.text(st.characters(blacklist_categories=["Cs"]), max_size=40).map(
    lambda s: ILLEGAL_CHARACTERS_RE.sub("", s))
values: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.integers(-10**12, 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    texts,
    st.sampled_from(["75 %", "75%", "0,75", "1 %", "150", "-3", "n/a", "—", "1er juin 2020",
                     "M3", "Mission 4", "n° 2", "=1+1", "@SUM(A1)", "\t", " "]),
    st.dates(date(1900, 3, 1), date(2100, 1, 1)),
    st.datetimes(datetime(1900, 3, 1), datetime(2100, 1, 1)),
    st.times(),
    st.timedeltas(timedelta(0), timedelta(days=1000)),
)
rates = st.one_of(st.floats(0, 1), st.integers(0, 100),
                  st.sampled_from(["75 %", "0,5", "100%", "12,5 %"]))
NUMBERS = {"N°", "n°", "No", "Numéro", "NUMERO"}
DATES = {"01/06/2020", "1er juin 2020", "11/05/2020", "2020-07-01", datetime(2020, 6, 1),
         datetime(2020, 9, 1, 12, 30), date(2020, 5, 11)}


@st.composite
def plausible_headers(draw: st.DrawFn) -> list[object]:
    """A header close to the template's: a number, a title, dates, notes, in any order."""
    header: list[object] = [
        draw(st.sampled_from(sorted(NUMBERS))),
        draw(st.sampled_from(["Mission", "MISSIONS", " mission "])),
        *draw(st.lists(st.sampled_from(sorted(DATES, key=str)), min_size=1, max_size=4,
                       unique_by=lambda day: str(day)[:10])),
        *draw(st.lists(st.sampled_from(["Commentaire", "Points d'attention",
                                        "Prochaines étapes", "Observations", None]),
                       max_size=4)),
    ]
    return draw(st.permutations(header))


FORMATS = ["General", "0%", "0.00%", "dd/mm/yyyy", "@", "0.0", "# ##0"]


@st.composite
def workbooks(draw: st.DrawFn) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = draw(st.sampled_from(["Saisie", "saisie", "SAISIE ", "Feuil1", "Données"]))
    if draw(st.booleans()):
        workbook.create_sheet(draw(st.sampled_from(["Mode d'emploi", "Cibles", "Saisie (2)"])),
                              draw(st.integers(0, 1)))
    header_row = draw(st.integers(1, 8))
    header = draw(st.one_of(st.lists(st.sampled_from(HEADERS), max_size=12), plausible_headers()))
    for column, value in enumerate(header, start=1):
        _put(sheet.cell(header_row, column), value)
    if draw(st.booleans()):
        sheet.cell(max(header_row - 2, 1), 1, "Date du comité")
        _put(sheet.cell(max(header_row - 2, 1), 2),
             draw(st.one_of(st.dates(date(2020, 1, 1), date(2021, 1, 1)), values)))
    rows = draw(st.integers(0, 12))
    width = max(len(header), 1) + draw(st.integers(0, 2))
    for row in range(header_row + 1, header_row + 1 + rows):
        for column in range(1, width + 1):
            if draw(st.integers(0, 3)) == 0:
                continue  # an empty cell
            cell = sheet.cell(row, column)
            kind = header[column - 1] if column <= len(header) else None
            if kind in NUMBERS:
                # Mostly the row's own mission, so that some workbooks load.
                _put(cell, draw(st.one_of(st.just(row - header_row), st.integers(1, 9),
                                          values)))
            elif kind in DATES:
                _put(cell, draw(st.one_of(rates, values)))
            else:
                _put(cell, draw(values))
            cell.number_format = draw(st.sampled_from(FORMATS))
    for _ in range(draw(st.integers(0, 3))):
        top, left = draw(st.integers(1, header_row + rows + 1)), draw(st.integers(1, width))
        sheet.merge_cells(start_row=top, start_column=left,
                          end_row=top + draw(st.integers(0, 2)),
                          end_column=left + draw(st.integers(0, 2)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _put(cell: Any, value: object) -> None:
    """Store ``value`` as a spreadsheet would hold it: "=..." stays text."""
    if isinstance(value, float) and not math.isfinite(value):
        value = str(value)  # Excel has no NaN or infinity; a crafted file has text
    if isinstance(value, time | timedelta) and not isinstance(value, datetime):
        cell.value = value
        return
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def outcome(path: Path) -> LoadedInput | InputError:
    """Load ``path``: any exception other than InputError fails the test."""
    try:
        loaded = load_input(path, DEFINITIONS)
    except InputError as error:
        assert error.problems, "an InputError always says what is wrong"
        for problem in error.problems:
            assert problem.code and problem.place and problem.message
        # Shown by --hypothesis-show-statistics: what the corpus exercised.
        event(f"refused: {error.problems[0].code}")
        return error
    event("loaded")
    return loaded


@FUZZ
@given(content=workbooks())
def test_generated_workbooks_load_or_fail_in_french(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "input.xlsx"
    path.write_bytes(content)
    outcome(path)


SAMPLE_PARTS = {info.filename: zipfile.ZipFile(SAMPLE).read(info)
                for info in zipfile.ZipFile(SAMPLE).infolist()}


@st.composite
def damaged_packages(draw: st.DrawFn) -> bytes:
    """The sample with one part's XML mangled: bytes replaced, cut or inserted."""
    part = draw(st.sampled_from(sorted(SAMPLE_PARTS)))
    data = bytearray(SAMPLE_PARTS[part])
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["replace", "cut", "insert"]))
        chunk = draw(st.binary(min_size=1, max_size=8))
        if action == "replace":
            data[at:at + len(chunk)] = chunk
        elif action == "cut":
            del data[at:at + draw(st.integers(1, 200))]
        else:
            data[at:at] = draw(st.sampled_from([b"<", b">", b"&", b"</row>", b'r="A0"',
                                                b't="s"', b"<v>99999</v>", chunk]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in SAMPLE_PARTS.items():
            archive.writestr(name, bytes(data) if name == part else content)
    return buffer.getvalue()


@FUZZ
@given(content=damaged_packages())
def test_damaged_packages_load_or_fail_in_french(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "input.xlsx"
    path.write_bytes(content)
    outcome(path)


@FUZZ
@given(content=st.binary(max_size=2048), prefix=st.sampled_from(
    [b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"%PDF-", b"\xef\xbb\xbf"]))
def test_arbitrary_bytes_load_or_fail_in_french(content: bytes, prefix: bytes,
                                                tmp_path: Path) -> None:
    path = tmp_path / "input.xlsx"
    path.write_bytes(prefix + content)
    assert isinstance(outcome(path), InputError)
