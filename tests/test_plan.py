"""The embedded missions match the source document, and bad plan are reported."""

from __future__ import annotations

import re
from datetime import date

import pytest
from support import FIXTURES

from spes_report import InputError, load_plan
from spes_report.plan import parse_plan

SEED = FIXTURES / "document_source_spes.txt"
SEED_DATES = (date(2020, 5, 11), date(2020, 6, 1), date(2020, 7, 1), date(2020, 9, 1))


def seed_text() -> str:
    # The seed's line breaks come from a PDF: compare with whitespace folded.
    return " ".join(SEED.read_text(encoding="utf-8").split())


def seed_targets() -> dict[int, list[int]]:
    text = seed_text()
    blocks = re.split(r"(?=\b\d - Mission)", text)[1:]
    targets = {}
    for block in blocks:
        number = int(block.split(" ", 1)[0])
        rates = block.split("Taux de réalisation", 1)[1]
        targets[number] = [int(r) for r in re.findall(r"(\d+) ?%", rates)]
    return targets


def test_all_32_targets_match_the_source_document() -> None:
    plan = load_plan()
    expected = seed_targets()
    assert len(expected) == 8 and all(len(v) == 4 for v in expected.values())
    actual = {
        m.number: [round(ms.target * 100) for ms in m.milestones] for m in plan.missions
    }
    assert actual == expected
    assert actual[1] == [75, 85, 90, 100]
    assert actual[7][-1] == 80
    for mission in plan.missions:
        assert tuple(ms.due for ms in mission.milestones) == SEED_DATES


def test_texts_are_transcribed_faithfully() -> None:
    plan = load_plan()
    text = seed_text()
    for mission in plan.missions:
        for field in (mission.title, mission.objective, mission.description):
            assert field and field in text, field
    assert "’" in plan.missions[0].description  # typographic apostrophes kept
    assert plan.missions[1].title == (
        "Assurer et coordonner le pilotage des tutelles des opérateurs et des écoles"
    )
    assert plan.service == "SPES"


def test_nothing_assumes_eight_missions_or_four_deadlines() -> None:
    plan = parse_plan({
        "mission": [
            {"number": 12, "title": "Seule", "milestones": [
                {"due": date(2021, 1, 1), "target_percent": 40},
                {"due": date(2021, 3, 1), "target_percent": 60},
                {"due": date(2021, 6, 1), "target_percent": 80},
                {"due": date(2021, 9, 1), "target_percent": 90},
                {"due": date(2021, 12, 1), "target_percent": 100},
            ]},
        ]
    })
    assert [m.number for m in plan.missions] == [12]
    assert len(plan.milestone_dates) == 5


def test_every_problem_in_definitions_is_reported() -> None:
    with pytest.raises(InputError) as caught:
        parse_plan({"mission": [
            {"number": 1, "title": "A", "milestones": [{"due": date(2020, 1, 1),
                                                        "target_percent": 120}]},
            {"number": 1, "title": "B", "milestones": []},
            {"number": "x", "title": "C"},
        ]})
    codes = [p.code for p in caught.value.problems]
    assert codes == ["plan-target", "plan-number", "plan-duplicate-mission"]
