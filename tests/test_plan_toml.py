"""A plan written in TOML: the same Plan as its plan.xlsx twin, and its problems with their
places."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from support.plan_sheets import written_plan
from support.plans import plan_toml, toml_plan

from spes_report import InputError
from spes_report.model import Milestone, Mission, Plan
from spes_report.plan import load_plan, read_plan
from spes_report.problems import Problem

MARCH, SEPTEMBER, DECEMBER = date(2021, 3, 1), date(2021, 9, 1), date(2021, 12, 15)

TWIN = Plan(
    service="DREAL Bretagne",
    title="Plan de reprise 2021",
    missions=(
        Mission(
            number=1, title="Moderniser l’accueil du public",
            objective="Réduire l’attente au guichet", description="Deux sites pilotes",
            milestones=(Milestone(MARCH, 0.25), Milestone(SEPTEMBER, 0.875),
                        Milestone(DECEMBER, 1.0)),
            pilot="Marie-Hélène Dupont",
            pilot_email="marie-helene.dupont@developpement-durable.gouv.fr",
            revision_reason="Cible abaissée : recrutement reporté à l’automne"),
        # No target on 1 September 2021: absent from the TOML, an empty cell in plan.xlsx.
        Mission(
            number=2, title="Dématérialiser les demandes", objective="", description="",
            milestones=(Milestone(MARCH, 0.5), Milestone(DECEMBER, 0.9)),
            pilot="Jean Martin", pilot_email="jean.martin@developpement-durable.gouv.fr"),
        Mission(
            number=12, title="Former les agents", objective="", description="",
            milestones=(Milestone(SEPTEMBER, 0.6),),
            revision_reason="Mission ajoutée en juin"),
    ),
)


@pytest.mark.parametrize("plan", [TWIN, load_plan()], ids=["revised", "embedded"])
def test_toml_and_xlsx_give_equal_plans(tmp_path: Path, plan: Plan) -> None:
    from_toml = toml_plan(tmp_path / "plan.toml", plan)
    from_xlsx = read_plan(written_plan(tmp_path / "plan.xlsx", plan))
    assert from_toml.plan == from_xlsx.plan == plan
    assert from_toml.warnings == from_xlsx.warnings == ()
    assert (from_toml.suffix, from_xlsx.suffix) == (".toml", ".xlsx")
    assert from_toml.source.file_name == "plan.toml"
    assert from_toml.source.sha256 != from_xlsx.source.sha256


def test_both_forms_warn_of_a_lower_target_each_with_its_place(tmp_path: Path) -> None:
    lowered = Plan(service="SPES", title="", missions=(Mission(
        number=2, title="Tutelles", objective="", description="",
        milestones=(Milestone(MARCH, 0.9), Milestone(SEPTEMBER, 0.7))),))
    from_toml = toml_plan(tmp_path / "plan.toml", lowered)
    from_xlsx = read_plan(written_plan(tmp_path / "plan.xlsx", lowered))
    assert from_toml.plan == from_xlsx.plan == lowered
    assert [(w.code, w.place) for w in from_toml.warnings] == [
        ("plan-target-lower", "plan.toml (mission n° 2), échéance du 01/09/2021")]
    assert [(w.code, w.place) for w in from_xlsx.warnings] == [
        ("plan-target-lower", "Plan!H8")]
    assert from_toml.warnings[0].message == from_xlsx.warnings[0].message


def test_texts_are_folded_to_one_line_in_both_forms(tmp_path: Path) -> None:
    spread = Plan(service="  SPES \n", title="Plan\n2021", missions=(Mission(
        number=1, title="Deux\nlignes  et  des blancs", objective="", description="",
        milestones=(Milestone(MARCH, 0.5),), revision_reason="Motif\nsur deux lignes"),))
    from_toml = toml_plan(tmp_path / "plan.toml", spread).plan
    from_xlsx = read_plan(written_plan(tmp_path / "plan.xlsx", spread)).plan
    assert from_toml == from_xlsx
    assert (from_toml.service, from_toml.title) == ("SPES", "Plan 2021")
    assert from_toml.missions[0].title == "Deux lignes et des blancs"
    assert from_toml.missions[0].revision_reason == "Motif sur deux lignes"


def test_an_upper_case_suffix_is_still_toml(tmp_path: Path) -> None:
    path = tmp_path / "PLAN.TOML"
    path.write_text(plan_toml(TWIN), encoding="utf-8")
    assert read_plan(path).plan == TWIN


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_bytes(b"\xef\xbb\xbf" + plan_toml(TWIN).encode("utf-8"))
    assert read_plan(path).plan == TWIN


# --- problems ------------------------------------------------------------------------------

HEAD = '[document]\nservice = "SPES"\n'


def mission(number: str = "1", milestones: str = "[{ due = 2020-09-01, target_percent = 80 }]",
            extra: str = "") -> str:
    return (f'\n[[mission]]\nnumber = {number}\ntitle = "Une mission"\n{extra}'
            f"milestones = {milestones}\n")


def problems_in(tmp_path: Path, text: str | bytes) -> list[Problem]:
    path = tmp_path / "plan.toml"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    with pytest.raises(InputError) as caught:
        read_plan(path)
    return list(caught.value.problems)


def test_a_syntax_error_names_its_line_and_column(tmp_path: Path) -> None:
    text = HEAD + mission(milestones="[{ due = 2020-09-01, target_percent = }]")
    [problem] = problems_in(tmp_path, text)
    assert (problem.code, problem.place) == ("plan-syntax", "plan.toml, ligne 7, colonne 52")
    assert problem.message == "le plan est illisible : erreur de syntaxe TOML"


def test_an_unfinished_file_is_a_syntax_error(tmp_path: Path) -> None:
    [problem] = problems_in(tmp_path, HEAD + '\n[[mission]]\ntitle = "Sans fin')
    assert (problem.code, problem.place) == ("plan-syntax", "plan.toml, fin du fichier")


def test_a_file_not_in_utf8_is_refused_in_french(tmp_path: Path) -> None:
    [problem] = problems_in(tmp_path, (HEAD + mission()).replace("SPES", "Sécurité")
                            .encode("cp1252"))
    assert (problem.code, problem.place) == ("plan-syntax", "plan.toml")
    assert "UTF-8" in problem.message and "codec" not in problem.message


@pytest.mark.parametrize("number", ['"un"', "0", "-3", "2.0", "true"])
def test_a_bad_number_names_the_entry(tmp_path: Path, number: str) -> None:
    problems = problems_in(tmp_path, HEAD + mission("1") + mission(number))
    assert [(p.code, p.place) for p in problems] == [
        ("plan-number", "plan.toml ([[mission]] n° 2)")]
    assert problems[0].expected == "un entier positif"


def test_a_missing_number_names_the_entry(tmp_path: Path) -> None:
    text = HEAD + '\n[[mission]]\ntitle = "Sans numéro"\n'
    [problem] = problems_in(tmp_path, text)
    assert (problem.code, problem.place, problem.value) == (
        "plan-number", "plan.toml ([[mission]] n° 1)", "")


def test_a_duplicate_date_names_its_mission(tmp_path: Path) -> None:
    text = HEAD + mission("3", "[{ due = 2020-09-01, target_percent = 80 }, "
                               "{ due = 2020-09-01, target_percent = 90 }]")
    [problem] = problems_in(tmp_path, text)
    assert (problem.code, problem.place, problem.value) == (
        "plan-duplicate-date", "plan.toml (mission n° 3)", "01/09/2020")
    assert problem.message == "l'échéance du 01/09/2020 figure deux fois"


@pytest.mark.parametrize(("target", "shown"), [
    ("150", "150"), ("-5", "-5"), ("100.5", "100,5"), ('"80 %"', "80 %"), ("true", "VRAI"),
    ("nan", "nan"), ("inf", "inf")])
def test_a_target_out_of_range_names_its_mission(tmp_path: Path, target: str,
                                                 shown: str) -> None:
    text = HEAD + mission("4", f"[{{ due = 2020-09-01, target_percent = {target} }}]")
    [problem] = problems_in(tmp_path, text)
    assert (problem.code, problem.place) == ("plan-target", "plan.toml (mission n° 4)")
    assert problem.value.lower() == shown.lower()
    assert problem.message == "la cible de l'échéance du 01/09/2020 est invalide"


@pytest.mark.parametrize("target", ["0", "100", "87.5"])
def test_targets_at_the_edges_are_read(tmp_path: Path, target: str) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(HEAD + mission("1", f"[{{ due = 2020-09-01, target_percent = {target} }}]"),
                    encoding="utf-8")
    [milestone] = read_plan(path).plan.missions[0].milestones
    assert milestone == Milestone(date(2020, 9, 1), float(target) / 100)


def test_a_missing_target_says_so_without_none(tmp_path: Path) -> None:
    [problem] = problems_in(tmp_path, HEAD + mission("1", "[{ due = 2020-09-01 }]"))
    assert (problem.code, problem.place, problem.value) == (
        "plan-target", "plan.toml (mission n° 1)", "")
    assert "None" not in str(problem)
    assert problem.message == "la cible de l'échéance du 01/09/2020 manque (target_percent)"


@pytest.mark.parametrize("due", ['"01/09/2020"', "2020-09-01T10:00:00", "10:00:00"])
def test_a_bad_date_is_refused_without_also_no_target(tmp_path: Path, due: str) -> None:
    problems = problems_in(tmp_path, HEAD + mission("1", f"[{{ due = {due}, "
                                                         "target_percent = 80 }]"))
    assert [(p.code, p.place) for p in problems] == [("plan-date", "plan.toml (mission n° 1)")]


@pytest.mark.parametrize("milestones", ['"80 %"', "[80]", "{ due = 2020-09-01 }"])
def test_milestones_that_are_not_a_list_of_tables_are_refused(tmp_path: Path,
                                                              milestones: str) -> None:
    problems = problems_in(tmp_path, HEAD + mission("1", milestones))
    assert [(p.code, p.place) for p in problems] == [
        ("plan-milestones", "plan.toml (mission n° 1)")]


def test_a_duplicate_mission_and_no_target(tmp_path: Path) -> None:
    problems = problems_in(tmp_path, HEAD + mission("1") + mission("1") + mission("2", "[]"))
    # The entry's rank tells the two missions n° 1 apart.
    assert [(p.code, p.place) for p in problems] == [
        ("plan-duplicate-mission", "plan.toml ([[mission]] n° 2, mission n° 1)"),
        ("plan-no-target", "plan.toml ([[mission]] n° 3, mission n° 2)")]
    assert problems[0].message == (
        "la mission n° 1 figure déjà (plan.toml ([[mission]] n° 1, mission n° 1))")


def test_a_fraction_where_a_percentage_is_written_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(HEAD + mission("1", "[{ due = 2020-09-01, target_percent = 0.8 }]"),
                    encoding="utf-8")
    [warning] = read_plan(path).warnings
    assert (warning.code, warning.place) == (
        "plan-target-fraction", "plan.toml (mission n° 1), échéance du 01/09/2020")
    assert "target_percent s'écrit en pourcentage (80 pour 80\u00a0%)" in warning.message


def test_no_mission_at_all(tmp_path: Path) -> None:
    [problem] = problems_in(tmp_path, HEAD)
    assert (problem.code, problem.place) == ("plan-empty", "plan.toml")


def test_a_bad_pilot_email(tmp_path: Path) -> None:
    [problem] = problems_in(tmp_path, HEAD + mission(extra='pilot_email = "jean@"\n'))
    assert (problem.code, problem.place, problem.value) == (
        "plan-pilot-email", "plan.toml (mission n° 1)", "jean@")


def test_every_problem_is_collected_in_one_error(tmp_path: Path) -> None:
    text = (HEAD
            + mission("1", "[{ due = 2020-09-01, target_percent = 80 }, "
                           "{ due = 2020-09-01, target_percent = 90 }]")
            + mission('"deux"')
            + mission("3", '[{ due = 2020-06-01, target_percent = 120 }, { due = "juin" }]')
            + mission("1"))
    problems = problems_in(tmp_path, text)
    assert [(p.code, p.place) for p in problems] == [
        ("plan-duplicate-date", "plan.toml (mission n° 1)"),
        ("plan-number", "plan.toml ([[mission]] n° 2)"),
        ("plan-target", "plan.toml (mission n° 3)"),
        ("plan-date", "plan.toml (mission n° 3)"),
        ("plan-duplicate-mission", "plan.toml ([[mission]] n° 4, mission n° 1)"),
    ]


def test_an_empty_service_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text('[document]\nservice = ""\n' + mission(), encoding="utf-8")
    loaded = read_plan(path)
    assert [(w.code, w.place) for w in loaded.warnings] == [("plan-service-missing",
                                                             "plan.toml")]
    assert loaded.plan.service == "SPES"
