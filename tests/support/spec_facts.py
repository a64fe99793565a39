"""What the bundled spec says, read here independently of the reference server's own reading,
so tests check the server against the spec rather than against itself."""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import urlsplit

from contract.layout import BUNDLED_SPEC
from contract.spec.source import read_yaml

SPEC: dict[str, Any] = read_yaml(BUNDLED_SPEC)


def resolve(node: Any) -> Any:
    """Follow local references (`#/components/...`), deeply: a standalone copy."""
    while isinstance(node, dict) and "$ref" in node:
        target = SPEC
        for token in str(node["$ref"]).removeprefix("#/").split("/"):
            target = target[token]
        node = target
    if isinstance(node, dict):
        return {key: resolve(value) for key, value in node.items()}
    if isinstance(node, list):
        return [resolve(item) for item in node]
    return node


def server_url() -> str:
    """The spec's first server URL, with each variable set to its default."""
    server = SPEC["servers"][0]
    url = str(server["url"])
    for name, variable in server.get("variables", {}).items():
        url = url.replace("{" + name + "}", str(variable["default"]))
    return url


PREFIX = urlsplit(server_url()).path
LIST_PATH, DETAIL_PATH = "/event-groups", "/event-groups/{event_group_id}"


def parameters(path: str) -> list[dict[str, Any]]:
    item = SPEC["paths"][path]
    return [resolve(p) for p in [*item.get("parameters", []), *item["get"].get("parameters", [])]]


def list_parameter(name: str) -> dict[str, Any]:
    (parameter,) = [p for p in parameters(LIST_PATH) if p["name"] == name]
    return parameter


def schema(name: str) -> dict[str, Any]:
    """The resolved schema of a list parameter."""
    return dict(list_parameter(name)["schema"])


def query_parameters_of_type(kind: str) -> list[str]:
    return [p["name"] for p in parameters(LIST_PATH) if p["schema"]["type"] == kind]


def sort_fields() -> list[str]:
    return list(schema("sort_field")["enum"])


def documented_list() -> dict[str, Any]:
    return copy.deepcopy(resolve(SPEC["components"]["examples"]["event-group-list"])["value"])


def error_schema() -> dict[str, Any]:
    return dict(resolve(SPEC["components"]["schemas"]["Error"]))


def unauthorized_challenge() -> str:
    return str(resolve(SPEC["components"]["headers"]["WWW-Authenticate"])["example"])


# The list operation's behaviour declarations, read as plainly as the rest of this module, so
# the fault library names parameters and members as the spec does instead of repeating them.
LIST_OPERATION: dict[str, Any] = SPEC["paths"][LIST_PATH]["get"]


def request_parameter(expression: str) -> str:
    """The query parameter a declaration names as `$request.<name>`."""
    return expression.removeprefix("$request.")


def response_member(expression: str) -> tuple[str, str]:
    """(envelope, member) of a declaration's `$response.<envelope>.<member>`."""
    envelope, member = expression.removeprefix("$response.").split(".")
    return envelope, member


def detail_key() -> str:
    """The item property the detail path takes: the last token of the list's link to it."""
    (link,) = resolve(LIST_OPERATION["responses"]["200"])["links"].values()
    (expression,) = link["parameters"].values()
    return str(expression).rsplit("/", 1)[1]


def filter_matching(match: str) -> str:
    """The one filter parameter that compares this way (`contains`, `equals`)."""
    (name,) = [name for name, declared in FILTERS.items() if declared["match"] == match]
    return name


_PAGING, _SORTING = LIST_OPERATION["x-pagination"], LIST_OPERATION["x-sorting"]
OFFSET, COUNT = request_parameter(_PAGING["offset"]), request_parameter(_PAGING["step"])
ENVELOPE, RESULTS = response_member(_PAGING["results"])
_, TOTAL = response_member(_PAGING["total"])
MAXIMUM_COUNT: int = schema(COUNT)["maximum"]
DEFAULT_COUNT: int = schema(COUNT)["default"]
SORT_FIELD = request_parameter(_SORTING["field"])
SORT_DIRECTION = request_parameter(_SORTING["direction"])
ASCENDING: str = _SORTING["ascending"]
DESCENDING: str = _SORTING["descending"]
KEY = detail_key()
QUERY_PARAMETERS = frozenset(str(p["name"]) for p in parameters(LIST_PATH))
# Filter parameter -> its x-filter declaration (the item property, how it matches).
FILTERS: dict[str, dict[str, Any]] = {
    p["name"]: p["x-filter"] for p in parameters(LIST_PATH) if "x-filter" in p
}
# The filter that matches a case-folded substring (`name`) and the exact one (`text_id`).
CONTAINS_FILTER, EXACT_FILTER = filter_matching("contains"), filter_matching("equals")
