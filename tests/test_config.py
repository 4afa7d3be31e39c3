"""spes-report.toml: a value of the wrong type is quoted as written in the file."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest

from spes_report import InputError
from spes_report.config import as_written, load_config

EMAIL = '[email]\nfrom = "spes@exemple.gouv.fr"\nto = ["copil@exemple.gouv.fr"]\n'


def problems_of(tmp_path: Path, text: str) -> list[tuple[str, str, str]]:
    path = tmp_path / "spes-report.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_config(path, need_smtp=True)
    return [(p.code, p.place.removeprefix(str(path)), p.value) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("line", "key", "found"),
    [
        ('timeout = "30"', "timeout", '"30"'),
        ("timeout = -1", "timeout", "-1"),
        ("timeout = true", "timeout", "true"),
        ('port = "587"', "port", '"587"'),
        ("port = 587.5", "port", "587.5"),
        ("port = [587]", "port", "[587]"),
        ('security = "tls"', "security", '"tls"'),
        ('host = ""', "host", '""'),
        ("host = 25", "host", "25"),
        ('host = "a\\nb"', "host", '"a\\nb"'),
    ],
)
def test_wrong_types_show_the_value_as_written(tmp_path: Path, line: str, key: str,
                                               found: str) -> None:
    smtp = {"host": 'host = "relais"', key: line}
    text = EMAIL + "[smtp]\n" + "\n".join(smtp.values()) + "\n"
    (problem,) = problems_of(tmp_path, text)
    assert problem[1:] == (f" [smtp] {key}", found)


def test_the_quotes_tell_a_text_from_a_number(tmp_path: Path) -> None:
    path = tmp_path / "spes-report.toml"
    path.write_text(EMAIL + '[smtp]\nhost = "relais"\ntimeout = "30"\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_config(path, need_smtp=True)
    assert '(valeur trouvée : "30" ; attendu : un nombre de secondes positif (ex. 30))' in str(
        caught.value)


def test_a_value_where_a_section_belongs(tmp_path: Path) -> None:
    assert problems_of(tmp_path, 'email = "spes@exemple.gouv.fr"\n') == [
        ("config-not-a-section", " [email]", '"spes@exemple.gouv.fr"'),
        ("config-missing-section", " [smtp]", ""),
    ]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("30", '"30"'),
        ('dit "oui"\\', '"dit \\"oui\\"\\\\"'),
        ("é", '"é"'),
        (True, "true"),
        (False, "false"),
        (30, "30"),
        (30.5, "30.5"),
        (float("inf"), "inf"),
        ([], "[]"),
        ([1, "a", [True]], '[1, "a", [true]]'),
        ({}, "{}"),
        ({"a": 1, "b c": "d"}, '{ a = 1, "b c" = "d" }'),
        (date(2020, 6, 1), "2020-06-01"),
        (datetime(2020, 6, 1, 10, 30), "2020-06-01T10:30:00"),
        (time(10, 30), "10:30:00"),
    ],
)
def test_as_written(value: object, written: str) -> None:
    assert as_written(value) == written
