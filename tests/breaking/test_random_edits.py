"""`make breaking` never crashes: whatever an edit of the spec removes, adds or changes (any
keyword or value, declarations included), as long as the edited spec is still valid OpenAPI,
every difference gets a verdict with a JSON pointer, a reason and a rule of the table.
Hypothesis draws the edits."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate

from contract.breaking._catalog import RULES
from contract.breaking._compare import classify, compare_all
from contract.breaking.changes import Verdict
from contract.errors import SpecLoadError
from contract.spec.source import read_yaml
from tests.support.spec_edits import KEYS, WORDS, edit, edited
from tests.support.spec_facts import SPEC

PAIRS_PER_EXAMPLE = 12


def is_valid(document: Any) -> bool:
    """What openapi-spec-validator accepts; it raises many kinds of error for the rest (no
    version found, a reference that resolves nowhere, ...), each meaning the same here."""
    try:
        validate(document)
    except Exception:
        return False
    return True


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(edits=st.lists(edited(), min_size=PAIRS_PER_EXAMPLE, max_size=PAIRS_PER_EXAMPLE))
def test_every_valid_edit_gets_a_verdict_for_each_difference(
    edits: list[Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder: Path = tmp_path_factory.mktemp("edits")
    base = folder / "base.json"
    base.write_text(json.dumps(SPEC))
    heads = []
    for number, document in enumerate(d for d in edits if is_valid(d)):
        head = folder / f"head-{number}.json"
        head.write_text(json.dumps(document))
        heads.append(head)

    reports = compare_all([(base, head) for head in heads])

    for report in reports:
        for change in report.changes:
            assert change.verdict in tuple(Verdict)
            assert change.pointer == "" or change.pointer.startswith("/")
            assert change.reason.strip()
            assert change.verdict is RULES[change.rule].verdict, change


CORPUS = sorted(
    (Path(__file__).parents[2] / "benchmarks" / "oasdiff_cases" / "data").rglob("*.yaml")
)
SCHEMA_KEYS = (
    "prefixItems", "contains", "minContains", "if", "then", "else", "dependentRequired",
    "dependentSchemas", "patternProperties", "propertyNames", "unevaluatedProperties",
    "discriminator", "x-extensible-enum", "exclusiveMinimum", "properties", "not", "webhooks",
    "requestBody", "content", "schema", "parameters", "in", "name", "style", "explode",
)  # fmt: skip
ANY_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 1000) | st.floats(allow_nan=False)
    | st.sampled_from(WORDS),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(KEYS + SCHEMA_KEYS), inner, max_size=3)
    ),
    max_leaves=6,
)  # fmt: skip


@functools.cache
def corpus_spec(path: Path) -> Any:
    return read_yaml(path)


@st.composite
def corpus_edit(draw: st.DrawFn) -> tuple[Any, Any]:
    """A spec of oasdiff's test pairs (OpenAPI 3.0 and 3.1, every schema keyword) and the
    same spec with one node removed, added or changed, valid OpenAPI or not."""
    original = corpus_spec(draw(st.sampled_from(CORPUS)))
    document = edit(draw, original, KEYS + SCHEMA_KEYS, ANY_VALUES)
    return (original, document) if draw(st.booleans()) else (document, original)


@settings(max_examples=300, deadline=None)
@given(pair=corpus_edit())
def test_our_rules_judge_any_edit_of_any_spec_without_a_crash(pair: tuple[Any, Any]) -> None:
    """The classifier alone, on many more edits, of specs with every keyword, whether the
    edit leaves valid OpenAPI or not."""
    try:
        report = classify(pair[0], pair[1])
    except SpecLoadError as error:  # an edit that leaves a reference pointing nowhere
        if "reference target not found" not in str(error):
            raise
        return
    for change in report.changes:
        assert change.verdict in tuple(Verdict)
        assert change.pointer == "" or change.pointer.startswith("/")
        assert change.reason.strip()
        assert change.verdict is RULES[change.rule].verdict, change
