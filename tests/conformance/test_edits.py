"""The near misses the probes send come from a grammar of edits, not a list: a sample of a
value's edits covers every cell (class, operation, position) the value allows, each variant
differs from its source, and a seed decides the sample. Credentials almost right are rebuilt
in replays from $AUTH alone: the shell line and the Python lines give exactly the header the
probe sent, and never hold the password."""

from __future__ import annotations

import base64
import os
import random
import subprocess

import pytest

from contract.conformance._credentials import credentials, equivalent
from contract.conformance._edits import (
    CLASSES,
    Covered,
    case_mates,
    cells,
    kind_of,
    sample,
    transforms,
)

VALUES = ("Shopping Cart", "Événements", "x", "86e05affc7a7abefcd513ab400", "ÜBER Straße")


@pytest.mark.parametrize("value", VALUES)
def test_a_sample_covers_every_cell_its_value_allows_and_differs_from_it(value: str) -> None:
    drawn = sample([value], random.Random(1))

    single = {cell for cell in cells(value) if cell[1] != "transform"}
    assert {v.cell for v in drawn if len(v.edits) == 1} >= single
    assert {e.apply(value) for e in transforms(value)} <= {v.value for v in drawn}
    assert all(v.value != value for v in drawn)
    assert len(drawn) == len({v.value for v in drawn})


def test_sources_whose_edits_collide_still_cover_every_cell() -> None:
    sources = ["100", "1", "1000"]  # deleting the end of 100 gives what deleting inside gives
    drawn = sample(sources, random.Random(0), pairs=2)
    covered = Covered(set(), set(), 0)

    covered.add(sources, drawn)

    assert covered.possible - covered.sent == set()
    assert len(drawn) == len({v.value for v in drawn})
    assert not {v.value for v in drawn} & set(sources)


def test_the_seed_decides_the_sample() -> None:
    def values(seed: int) -> list[str]:
        return [v.value for v in sample(["Shopping Cart", "50% Cart"], random.Random(seed))]

    assert values(3) == values(3)
    assert values(3) != values(4)


def test_every_class_can_edit_a_plain_value() -> None:
    kinds = {cell[0] for cell in cells("Shop Cart a1")}

    assert set(CLASSES) <= kinds | {"percent"}, set(CLASSES) - kinds


def test_classes_are_narrow_and_case_mates_follow_full_case_folding() -> None:
    assert [kind_of(c) for c in (" ", "\u00a0", "\x00", "\x85", "\u200b", "-", "\u2013")] == [
        "ascii whitespace", "other whitespace", "c0 control", "c1 control", "invisible",
        "punctuation", "other punctuation",
    ]  # fmt: skip
    assert "\u212a" in case_mates("k")  # KELVIN SIGN folds to k
    assert "\u017f" in case_mates("s")  # LATIN SMALL LETTER LONG S
    assert "SS" in case_mates("ß")


PAIRS = [
    ("fault-user", "fault-password"),
    ("Demo", "s3cret-Z"),
    ('u$er"`\\', "pass word 9%"),
    ("ünï", "ends-with-!"),
]


@pytest.mark.parametrize(("user", "password"), PAIRS)
def test_each_credential_replays_from_auth_as_it_was_sent(user: str, password: str) -> None:
    """bash, with only AUTH set, makes the very header the probe sent from the shell line,
    and so do the Python lines of a replay file; neither holds the password."""
    sent = credentials(user, password, seed=0)
    assert len(sent) > 30
    for credential in sent:
        recipe, label = credential.recipe, credential.label
        value = recipe.value(user, password)
        shell, python = recipe.shell(), "\n".join(recipe.python())
        assert password not in shell, label
        assert password not in python, label
        assert base64.b64encode(f"{user}:{password}".encode()).decode() not in shell + python
        namespace: dict[str, object] = {"AUTH": (user, password), "base64": base64}
        exec(python, namespace)
        headers = namespace["headers"]
        assert headers == ({} if value is None else {recipe.header_name: value}), label
        if not shell:
            continue
        printed = subprocess.run(
            ["bash", "-c", f"printf '%s' {shell.removeprefix('-H ')}"],
            env={"PATH": os.environ["PATH"], "AUTH": f"{user}:{password}", "LC_ALL": "C.UTF-8"},
            capture_output=True, check=True,
        ).stdout  # fmt: skip
        assert printed.decode() == f"{recipe.header_name}: {value}", (label, shell)


def test_the_equivalent_forms_are_the_right_credentials_written_otherwise() -> None:
    plain = base64.b64encode(b"u:p").decode()

    forms = {c.label: c.recipe.value("u", "p") for c in equivalent()}

    assert forms["the scheme in lower case"] == f"basic {plain}"
    assert forms["two spaces after the scheme"] == f"Basic  {plain}"
    assert all(c.accepted for c in equivalent())
