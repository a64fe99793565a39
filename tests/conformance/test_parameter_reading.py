"""The reference server and the conformance checks read a parameter string the same way: for
any string, the server accepts it exactly when the checks say the schema allows it, so the
checks never expect a 400 that a correct server does not give (or the reverse)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contract.conformance._rules import parameter_allows
from reference_server.parameters import InvalidParametersError, ParameterRule
from tests.support.spec_facts import schema

AWKWARD = [
    "0", "-0", "007", "+1", "1e3", "1.0", " 1", "1 ", "", "-", "٣",  # Arabic-Indic three
    "0" * 5000 + "7", "9" * 5000, "-" + "9" * 5000, "1000", "1001", "-1",
]  # fmt: skip


def server_accepts(rule: ParameterRule, raw: str) -> bool:
    try:
        rule.parse(raw)
    except InvalidParametersError:
        return False
    return True


@pytest.mark.parametrize("name", ["count", "offset", "name", "sort_field"])
@pytest.mark.parametrize("raw", AWKWARD)
def test_awkward_strings_get_one_verdict(name: str, raw: str) -> None:
    rule = ParameterRule(name, "query", False, schema(name))

    assert server_accepts(rule, raw) == parameter_allows(schema(name), raw)


@given(raw=st.text(alphabet="-+0123456789 .e", max_size=12))
def test_any_numeric_looking_string_gets_one_verdict(raw: str) -> None:
    rule = ParameterRule("count", "query", False, schema("count"))

    assert server_accepts(rule, raw) == parameter_allows(schema("count"), raw)
