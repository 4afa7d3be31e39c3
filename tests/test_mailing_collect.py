"""The messages to the pilots: their variables, their address, their templates checked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from spes_report.collect import Pilot
from spes_report.mailing.collect import (
    COLLECT_TEMPLATES,
    check_collect_templates,
    pilot_address,
    pilot_context,
    sample_pilot_contexts,
)
from spes_report.mailing.render import render_email
from spes_report.plan import load_plan
from spes_report.problems import InputError

JUNE, JULY = date(2020, 6, 1), date(2020, 7, 1)


def test_the_context_gives_each_mission_its_last_known_rate_and_target() -> None:
    pilot = Pilot("Jeanne Martin", "jeanne.martin@exemple.gouv.fr", (1, 2))
    rates = {(1, date(2020, 5, 11)): 0.78, (1, JUNE): 0.87, (1, JULY): 0.95}
    context = pilot_context(load_plan(), pilot, JULY, date(2020, 6, 26), "Jeanne Martin.xlsx",
                            rates, "[SPES]")
    first, second = context["missions"]
    # The rate typed for the committee's own date is not « known » yet.
    assert (first["numero"], first["dernier_taux"], first["date_dernier_taux"]) == (
        1, "87\N{NO-BREAK SPACE}%", "01/06/2020")
    assert first["cible"] == "90\N{NO-BREAK SPACE}%"
    assert (second["dernier_taux"], second["date_dernier_taux"]) == ("", "")
    assert context["date_retour"] == "26 juin 2020"
    assert context["date_comite_courte"] == "01/07/2020"
    assert context["nombre_missions"] == 2
    assert context["pilote"] == "Jeanne Martin"


def test_no_target_is_due_before_the_first_echeance() -> None:
    pilot = Pilot("Jeanne Martin", "", (1,))
    context = pilot_context(load_plan(), pilot, date(2020, 5, 1), date(2020, 4, 28), "x.xlsx",
                            {}, "")
    assert context["missions"][0]["cible"] == ""


@pytest.mark.parametrize(("email", "shown"), [
    ("jeanne.martin@exemple.gouv.fr", "Jeanne Martin <jeanne.martin@exemple.gouv.fr>"),
    ("Madame Martin <jm@exemple.gouv.fr>", "Madame Martin <jm@exemple.gouv.fr>"),
])
def test_the_address_is_named_after_the_pilot(email: str, shown: str) -> None:
    address = pilot_address(Pilot("Jeanne Martin", email, (1,)))
    assert address is not None and str(address) == shown


def test_a_pilot_without_email_has_no_address() -> None:
    assert pilot_address(Pilot("Jeanne Martin", "", (1,))) is None


def test_the_packaged_templates_fill_every_sample() -> None:
    check_collect_templates(None)
    for context in sample_pilot_contexts():
        rendered = render_email(context, None, COLLECT_TEMPLATES)
        assert rendered.subject.startswith("[SPES] Taux de réalisation à transmettre")
        assert context["pilote"] not in rendered.subject


def test_a_template_that_fails_on_a_sample_is_named(tmp_path: Path) -> None:
    (tmp_path / "collecte_message.html").write_text(
        "{{ missions[5].titre }}\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        check_collect_templates(tmp_path)
    (problem,) = raised.value.problems
    assert problem.place == f"{tmp_path / 'collecte_message.html'}, ligne 1"
