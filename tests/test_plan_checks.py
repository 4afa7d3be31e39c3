"""Checks every plan gets: the pilot's address, its fast path agreeing with the email package."""

from __future__ import annotations

import random
import string
from email.headerregistry import Address

import pytest

from spes_report.plan.checks import _PLAIN_ADDRESS, valid_email


@pytest.mark.parametrize(("text", "valid"), [
    ("prenom.nom@ministere.gouv.fr", True), ("a+tag@b.co.uk", True),
    ('"x y"@b.fr', False), ("a@b", False), ("x y@b.fr", False), ("<a@b.fr>", False),
    ("A <a@b.fr>", False), ("a@b.fr, c@d.fr", False), ("a@@b.fr", False),
    ("a@b..fr", False), ("a.@b.fr", False), ("", False), ("jean@exemple.gouv.fr\n", False),
])
def test_pilot_addresses(text: str, valid: bool) -> None:
    assert valid_email(text) is valid


def test_the_fast_path_accepts_only_what_the_email_package_accepts() -> None:
    """The plain form is taken without the parser (a thousand pilots): it must never let
    through an address the parser would refuse."""
    alphabet = string.ascii_letters[:6] + string.digits[:3] + ".-@_+!#$%&'*/=?^`{|}~"
    rng = random.Random(1)
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        if _PLAIN_ADDRESS.fullmatch(text):
            address = Address(addr_spec=text)
            assert address.username and "." in address.domain, text
