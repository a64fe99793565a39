"""The near misses the checks send: each differs from the value it is made from, and each
credential near miss replays as printed (the shell expression that reads $AUTH gives exactly
the user and password that were sent)."""

from __future__ import annotations

import os
import subprocess

import pytest

from contract.conformance._near_misses import (
    NEAR_MISSES,
    credential_near_misses,
    near_miss,
    other_case_name,
)
from contract.conformance.properties import bad_authorizations, basic


def test_every_kind_differs_from_the_value_it_is_made_from() -> None:
    for text in ("Shopping Cart", "Événements", "x", "86e05affc7a7abefcd513ab400", "ÜBER Straße"):
        for kind in NEAR_MISSES:
            value = near_miss(kind, text)
            assert value != text, (kind, text)


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("in another case", "Tasks", "tASKS"),
        ("without its last character", "Tasks", "Task"),
        ("without its first character", "Tasks", "asks"),
        ("with a trailing space", "Tasks", "Tasks "),
        ("with a leading space", "Tasks", " Tasks"),
        ("percent-encoded", "Tasks", "%54asks"),
        ("with a full-width letter", "_a1", "_\uff41" + "1"),
        ("decomposed (NFD)", "\u00c9v", "E\u0301v"),
        ("composed (NFC)", "E\u0301v", "\u00c9v"),
        ("with its accents removed", "\u00dcBER", "UBER"),
        ("with an accent added", "Cart", "C\u00e1rt"),
        ("with a no-break space", "Shopping Cart", "Shopping\u00a0Cart"),
        ("with a double space", "Shopping Cart", "Shopping  Cart"),
    ],
)
def test_each_kind_of_near_miss(kind: str, text: str, expected: str) -> None:
    assert near_miss(kind, text) == expected


def test_kinds_a_value_does_not_allow_give_nothing() -> None:
    assert near_miss("decomposed (NFD)", "plain") is None
    assert near_miss("with its accents removed", "plain") is None
    assert near_miss("with a double space", "nospace") is None
    assert near_miss("without its last character", "x") is None
    assert near_miss("with a full-width letter", "%%") is None


def test_a_parameter_name_in_another_case() -> None:
    assert other_case_name("sort_field") == "SORT_FIELD"
    assert other_case_name("ID") == "id"


CREDENTIALS = [
    ("fault-user", "fault-password"),
    ("Demo", "s3cret-Z"),
    ('u$er"`\\', "pass word 9"),
    ("ünï", "ends-with-!"),
]


@pytest.mark.parametrize(("user", "password"), CREDENTIALS)
def test_each_credential_replay_sends_what_the_check_sent(user: str, password: str) -> None:
    """The replay's `-u` argument, expanded by bash with only AUTH set, is the user and
    password of the near miss, and never holds the password itself."""
    variants = list(credential_near_misses(user, password))
    assert len(variants) >= 6
    for label, other_user, other_password, replay in variants:
        assert (other_user, other_password) != (user, password), label
        assert password not in replay, label
        expanded = subprocess.run(
            ["bash", "-c", f'printf %s "{replay}"'],
            env={"PATH": os.environ["PATH"], "AUTH": f"{user}:{password}", "LC_ALL": "C.UTF-8"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert expanded == f"{other_user}:{other_password}", (label, replay)


def test_the_near_misses_are_among_the_credentials_every_operation_must_refuse() -> None:
    refused = {bad.label: bad for bad in bad_authorizations("fault-user", "fault-password")}

    assert refused["password with a trailing space"].authorization == basic(
        "fault-user", "fault-password "
    )
    assert refused["user name in another case"].authorization == basic(
        "FAULT-USER", "fault-password"
    )
    assert all(bad.replay is None or "fault-password" not in bad.replay for bad in refused.values())
