"""Every error the reference server gives: 400 for invalid parameters, 404 for unknown ids and
paths, 405 for other methods, all with the spec's Error body; and the hardening cases that
crash naive servers. Bounds and allowed values are read from the spec, not restated."""

from __future__ import annotations

import sys
from typing import Any

import httpx
import jsonschema
import pytest

from reference_server.app import create_app
from reference_server.spec_rules import load_rules
from reference_server.store import Page, Query, Store
from tests.support import spec_facts
from tests.support.server_client import InProcessClient

INTEGERS = spec_facts.query_parameters_of_type("integer")
STRINGS = spec_facts.query_parameters_of_type("string")
FREE_STRINGS = [name for name in STRINGS if "enum" not in spec_facts.schema(name)]
ENUMS = [name for name in STRINGS if "enum" in spec_facts.schema(name)]
DIGIT_LIMIT = sys.get_int_max_str_digits()


def assert_error(response: httpx.Response, status: int) -> dict[str, Any]:
    """The response has `status`, is JSON and validates against the spec's Error schema."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    jsonschema.validate(body, spec_facts.error_schema())
    assert body["status"] == status
    assert "Traceback" not in response.text
    return body


def rejected(response: httpx.Response) -> dict[str, str]:
    body = assert_error(response, 400)
    reasons = {p["name"]: p["reason"] for p in body["invalid_params"]}
    assert body["detail"] == "; ".join(f"{n}: {r}" for n, r in reasons.items())
    return reasons


def valid_value(name: str) -> str:
    return str(spec_facts.list_parameter(name)["example"])


@pytest.mark.parametrize("name", INTEGERS)
def test_integers_outside_the_spec_bounds_are_rejected(api: InProcessClient, name: str) -> None:
    schema = spec_facts.schema(name)
    low, high = schema["minimum"], schema["maximum"]

    below = rejected(api.get("/event-groups", params={name: low - 1}))
    above = rejected(api.get("/event-groups", params={name: high + 1}))

    assert below == {name: f"must be at least {low}"}
    assert above == {name: f"must be at most {high}"}


def test_the_documented_bad_request_example_is_what_the_server_says(
    api: InProcessClient,
) -> None:
    too_large = spec_facts.schema("count")["maximum"] + 1
    response = api.get("/event-groups", params={"count": too_large, "sort_direction": "up"})
    example = spec_facts.resolve(spec_facts.SPEC["components"]["responses"]["BadRequest"])
    (documented,) = [
        e["value"] for e in example["content"]["application/json"]["examples"].values()
    ]

    assert assert_error(response, 400) == documented


@pytest.mark.parametrize("name", INTEGERS)
@pytest.mark.parametrize(
    "value",
    [
        "",
        " ",
        "abc",
        "1.5",
        "1e3",
        " 1",
        "1 ",
        "+1",
        "0x10",
        "1_000",
        "\u0661",
        "\u00b2",
        "--1",
        "-",
    ],
)
def test_values_that_are_not_decimal_integers_are_rejected(
    api: InProcessClient, name: str, value: str
) -> None:
    assert rejected(api.get("/event-groups", params={name: value})) == {name: "must be an integer"}


@pytest.mark.parametrize("name", INTEGERS)
def test_zero_and_negative_values_below_the_minimum_are_rejected(
    api: InProcessClient, name: str
) -> None:
    minimum = spec_facts.schema(name)["minimum"]
    for value in {0, -1, -(2**63)}:
        if value < minimum:
            reasons = rejected(api.get("/event-groups", params={name: value}))
            assert reasons == {name: f"must be at least {minimum}"}


@pytest.mark.parametrize("name", INTEGERS)
@pytest.mark.parametrize("digits", [DIGIT_LIMIT + 1, 60_000])
def test_integers_too_long_for_python_are_out_of_range_not_a_crash(
    api: InProcessClient, name: str, digits: int
) -> None:
    schema = spec_facts.schema(name)

    above = rejected(api.get(f"/event-groups?{name}={'9' * digits}"))
    below = rejected(api.get(f"/event-groups?{name}=-{'9' * digits}"))

    assert above == {name: f"must be at most {schema['maximum']}"}
    assert below == {name: f"must be at least {schema['minimum']}"}


def test_leading_zeros_do_not_count_towards_the_digit_limit(api: InProcessClient) -> None:
    response = api.get(f"/event-groups?count={'0' * (DIGIT_LIMIT + 10)}1")

    assert response.status_code == 200
    assert len(response.json()["data"]["event_groups"]) == 1


@pytest.mark.parametrize("name", ENUMS)
def test_values_outside_the_spec_enums_are_rejected(api: InProcessClient, name: str) -> None:
    allowed = spec_facts.schema(name)["enum"]
    near_misses = {v for a in allowed for v in (a.lower(), a.upper(), a + " ", "x" + a, "")}

    for value in sorted(near_misses - set(allowed)):
        reasons = rejected(api.get("/event-groups", params={name: value}))
        assert reasons == {name: "must be one of " + ", ".join(allowed)}, value


def test_an_invalid_direction_is_rejected_even_without_a_sort_field(
    api: InProcessClient,
) -> None:
    assert set(rejected(api.get("/event-groups", params={"sort_direction": "desc"}))) == {
        "sort_direction"
    }


@pytest.mark.parametrize("name", FREE_STRINGS)
def test_empty_and_too_long_strings_are_rejected(api: InProcessClient, name: str) -> None:
    schema = spec_facts.schema(name)
    minimum, maximum = schema["minLength"], schema["maxLength"]

    empty = rejected(api.get("/event-groups", params={name: "x" * (minimum - 1)}))
    long = rejected(api.get("/event-groups", params={name: "é" * (maximum + 1)}))

    assert empty == {name: f"must be at least {minimum} character{'s' * (minimum != 1)} long"}
    assert long == {name: f"must be at most {maximum} characters long"}


@pytest.mark.parametrize("name", STRINGS + INTEGERS)
def test_a_very_long_value_is_rejected_without_being_echoed(
    api: InProcessClient, name: str
) -> None:
    response = api.get("/event-groups", params={name: "7" * 60_000})

    assert set(rejected(response)) == {name}
    assert len(response.content) < 1000


@pytest.mark.parametrize("name", STRINGS + INTEGERS)
def test_a_defined_parameter_given_twice_is_rejected_even_with_equal_values(
    api: InProcessClient, name: str
) -> None:
    value = valid_value(name)

    assert api.get("/event-groups", params={name: value}).status_code == 200
    reasons = rejected(api.get("/event-groups", params=((name, value), (name, value))))
    assert reasons == {name: "must be given at most once"}


def test_repeated_empty_values_are_rejected_not_a_crash(api: InProcessClient) -> None:
    assert set(rejected(api.get("/event-groups?offset=null&offset=null&count&count"))) == {
        "count",
        "offset",
    }


def test_every_rejected_parameter_is_listed_at_once(api: InProcessClient) -> None:
    reasons = rejected(
        api.get("/event-groups?count=0&offset=x&sort_field=colour&name=&text_id=a&text_id=b")
    )

    assert list(reasons) == ["count", "offset", "sort_field", "name", "text_id"]


def test_an_unknown_id_gives_404_with_the_error_body(api: InProcessClient) -> None:
    body = assert_error(api.get("/event-groups/ffffffffffffffffffffffffff"), 404)

    assert body["detail"] == "No event group has the id 'ffffffffffffffffffffffffff'."


@pytest.mark.parametrize(
    "key", ["86E05AFFC7A7ABEFCD513AB400", "86e05affc7a7abefc513ab400", " ", "%25", "ü"]
)
def test_ids_match_exactly_even_the_documented_detail_id(api: InProcessClient, key: str) -> None:
    # The documented detail example's id has 25 characters; no listed group has it.
    assert_error(api.get(f"/event-groups/{key}"), 404)


def test_ids_longer_than_the_spec_allows_are_rejected(api: InProcessClient) -> None:
    (parameter,) = spec_facts.parameters(spec_facts.DETAIL_PATH)
    maximum = parameter["schema"]["maxLength"]

    assert_error(api.get(f"/event-groups/{'a' * maximum}"), 404)
    reasons = rejected(api.get(f"/event-groups/{'a' * (maximum + 1)}"))
    assert reasons == {parameter["name"]: f"must be at most {maximum} characters long"}


@pytest.mark.parametrize(
    "path",
    ["/", "/event-groups", "/rest-api", spec_facts.PREFIX, spec_facts.PREFIX + "/",
     spec_facts.PREFIX + "/event-groups/", spec_facts.PREFIX + "/event-groups/a/b",
     spec_facts.PREFIX + "/event-groups%2Fx", spec_facts.PREFIX.upper() + "/event-groups"],
)  # fmt: skip
def test_unknown_paths_give_404_with_the_error_body(api: InProcessClient, path: str) -> None:
    assert_error(api.get(path, prefix=""), 404)


@pytest.mark.parametrize("path", ["/event-groups", "/event-groups/86e05affc7a7abefcd513ab400"])
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "BREW"])
def test_other_methods_on_known_paths_give_405_with_allow(
    api: InProcessClient, path: str, method: str
) -> None:
    response = api.request(method, path)

    assert_error(response, 405)
    assert response.headers["allow"] == "GET, HEAD"


class BrokenStore(Store):
    def search(self, resource: str, query: Query) -> Page:
        raise RuntimeError("disk on fire")


def test_an_unexpected_failure_answers_a_json_500_without_a_traceback() -> None:
    store = BrokenStore.open(load_rules().resources)
    client = InProcessClient(create_app(store=store), raise_app_exceptions=False)

    body = assert_error(client.get("/event-groups"), 500)

    assert "disk on fire" not in body["detail"]
