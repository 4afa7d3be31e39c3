"""The pilots of a plan, their file names, and the figures already known (spes_report.collect)."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from spes_report.collect import (
    file_names,
    known_rates,
    pilots,
    returns_folder,
    safe_stem,
    unpiloted,
)
from spes_report.loader import LoadedInput
from spes_report.model import InputData, Measurement, Plan, SourceInfo
from spes_report.plan import load_plan


def with_pilots(names: dict[int, tuple[str, str]]) -> Plan:
    plan = load_plan()
    return dataclasses.replace(plan, missions=tuple(
        dataclasses.replace(m, pilot=names.get(m.number, ("", ""))[0],
                            pilot_email=names.get(m.number, ("", ""))[1])
        for m in plan.missions))


def test_missions_are_grouped_by_pilot_in_plan_order() -> None:
    plan = with_pilots({2: ("Paul Durand", ""), 1: ("Jeanne Martin", ""),
                        5: (" jeanne   MARTIN ", "jm@exemple.gouv.fr"),
                        3: ("Paul Durand", "pd@exemple.gouv.fr")})
    found = pilots(plan)
    assert [(p.name, p.email, p.missions) for p in found] == [
        ("Jeanne Martin", "jm@exemple.gouv.fr", (1, 5)),
        ("Paul Durand", "pd@exemple.gouv.fr", (2, 3)),
    ]
    assert unpiloted(plan) == (4, 6, 7, 8)


def test_the_embedded_plan_has_no_pilot() -> None:
    assert pilots(load_plan()) == ()
    assert unpiloted(load_plan()) == (1, 2, 3, 4, 5, 6, 7, 8)


@pytest.mark.parametrize(("name", "stem"), [
    ("Jeanne Martin", "Jeanne Martin"),
    ("Hélène Lefèvre-Œuvray", "Hélène Lefèvre-Œuvray"),
    ("He\u0301le\u0300ne", "Hélène"),  # decomposed accents (macOS) composed
    ("Martin/Dupont", "Martin-Dupont"),
    ('a<b>c:d"e\\f|g?h*i', "a-b-c-d-e-f-g-h-i"),
    ("Tab\there", "Tab-here"),
    ("J. Martin.", "J. Martin"),
    ("  Jeanne   Martin  ", "Jeanne Martin"),
    ("..", "pilote"),
    ("", "pilote"),
    ("CON", "CON-"),
    ("nul.x", "nul.x-"),
    ("Console", "Console"),
    ("x" * 300, "x" * 80),
])
def test_a_name_becomes_a_safe_file_name(name: str, stem: str) -> None:
    assert safe_stem(name) == stem


def test_names_that_clash_get_distinct_files() -> None:
    assert file_names(["A/B", "A:B", "a-b", "C"]) == (
        "A-B.xlsx", "A-B (2).xlsx", "a-b (3).xlsx", "C.xlsx")


def test_the_returns_folder_is_the_committee_month() -> None:
    assert returns_folder(date(2020, 7, 1)) == Path("inputs/returns/2020-07")


def test_known_rates_are_those_before_the_committee() -> None:
    measurements = (Measurement(1, date(2020, 6, 1), 0.5), Measurement(1, date(2020, 7, 1), 0.6),
                    Measurement(2, date(2020, 6, 30), 0.7))
    loaded = LoadedInput(InputData(None, measurements), SourceInfo("input.xlsx", ""), "Saisie",
                         ())
    assert known_rates(loaded, date(2020, 7, 1)) == {
        (1, date(2020, 6, 1)): 0.5, (2, date(2020, 6, 30)): 0.7}
    assert known_rates(None, date(2020, 7, 1)) == {}
