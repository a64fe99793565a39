"""Property checks of our own, for what a schema cannot say: paging partitions the result,
`total_items` counts every match, sorting and filters follow the spec's rules, the detail
operation agrees with the list, and every kind of bad credentials gets 401.

They run against any live server over HTTP. Parameter names, sort fields and bounds are read
from the bundled spec; responses are parsed with the generated Pydantic models."""

from __future__ import annotations

import base64
import shlex
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from pydantic import ValidationError

from generated.models.customer_interface import EventGroup, EventGroupListResponse
from scripts.client_view import client_view
from scripts.errors import BudgetExhaustedError, ContractError
from scripts.spec_source import read_yaml

Params = Sequence[tuple[str, str]]

# What the checks test: these operations, with the semantics the spec's x-assumptions give
# these parameters. The checks refuse to run against a spec without them.
LIST_OPERATION, DETAIL_OPERATION = "listEventGroups", "getEventGroup"
LIST_PARAMETERS = ("count", "offset", "sort_field", "sort_direction", "name", "text_id")
AUTH_VARIABLE = "$AUTH"
WRONG_PASSWORD = "not-the-password"


@dataclass(frozen=True)
class Finding:
    """A broken property, with a command that replays the request that shows it."""

    check: str
    message: str
    reproduce: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.message}\n    reproduce: {self.reproduce}"


@dataclass(frozen=True)
class ListContract:
    """What the checks need to know of the spec, read from the bundled document."""

    list_path: str
    detail_path: str
    parameters: dict[str, dict[str, Any]]

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> ListContract:
        operations = {
            operation.get("operationId"): (path, operation)
            for path, item in client_view(spec).get("paths", {}).items()
            if isinstance(operation := item.get("get"), dict)
        }
        if not {LIST_OPERATION, DETAIL_OPERATION} <= set(operations):
            raise ContractError(f"the spec lacks {LIST_OPERATION} or {DETAIL_OPERATION}")
        list_path, list_operation = operations[LIST_OPERATION]
        parameters = {p["name"]: p["schema"] for p in list_operation.get("parameters", [])}
        missing = set(LIST_PARAMETERS) - set(parameters)
        if missing:
            raise ContractError(f"{LIST_OPERATION} lacks the parameters {sorted(missing)}")
        return cls(list_path, operations[DETAIL_OPERATION][0], parameters)

    @property
    def max_count(self) -> int:
        return int(self.parameters["count"].get("maximum", 100))

    @property
    def sort_fields(self) -> list[str]:
        return [str(v) for v in self.parameters["sort_field"]["enum"]]

    @property
    def directions(self) -> list[str]:
        return [str(v) for v in self.parameters["sort_direction"]["enum"]]


@dataclass
class Probe:
    """HTTP access to the server under test, within a request budget and a rate limit."""

    base_url: str
    username: str
    password: str
    max_requests: int = 2000
    requests_per_second: float = 0.0
    timeout: float = 10.0
    sent: int = 0
    _client: httpx.Client = field(init=False, repr=False)
    _last: float = field(default=0.0, init=False, repr=False)

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        self._client = httpx.Client(timeout=self.timeout)

    def close(self) -> None:
        self._client.close()

    def get(
        self, path: str, params: Params = (), *, authorization: str | None = None, auth: bool = True
    ) -> httpx.Response:
        if self.sent >= self.max_requests:
            raise BudgetExhaustedError(f"request budget of {self.max_requests} spent")
        if self.requests_per_second > 0:
            pause = self._last + 1 / self.requests_per_second - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            self._last = time.monotonic()
        headers = {}
        if authorization is not None:
            headers["Authorization"] = authorization
        elif auth:
            headers["Authorization"] = basic(self.username, self.password)
        self.sent += 1
        return self._client.get(self.url(path, params), headers=headers)

    def url(self, path: str, params: Params = ()) -> str:
        query = urlencode(list(params))
        return f"{self.base_url}{path}" + (f"?{query}" if query else "")

    def curl(
        self, path: str, params: Params = (), authorization: str | None = AUTH_VARIABLE
    ) -> str:
        """A replayable command. The server's credentials stay out of it: by default the
        header reads them from $AUTH (`export AUTH="Basic ..."` first)."""
        if authorization == AUTH_VARIABLE:
            header = f'-H "Authorization: {AUTH_VARIABLE}" '
        elif authorization is not None:
            header = f"-H {shlex.quote('Authorization: ' + authorization)} "
        else:
            header = ""
        return f"curl -s {header}{shlex.quote(self.url(path, params))}"


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


Check = Callable[[Probe, ListContract], Iterator[Finding]]


def fetch_page(probe: Probe, contract: ListContract, params: Params) -> EventGroupListResponse:
    response = probe.get(contract.list_path, params)
    if response.status_code != 200:
        raise UnexpectedResponseError(
            f"expected 200, got {response.status_code}", contract.list_path, params
        )
    try:
        return EventGroupListResponse.model_validate_json(response.content)
    except ValidationError as exc:
        raise UnexpectedResponseError(
            f"body does not match the schema: {exc.errors()[0]['msg']}", contract.list_path, params
        ) from exc


class UnexpectedResponseError(Exception):
    def __init__(self, message: str, path: str, params: Params) -> None:
        super().__init__(message)
        self.path, self.params = path, params


def fetch_all(probe: Probe, contract: ListContract, params: Params = ()) -> list[EventGroup]:
    """Every match, page by page with the largest page size."""
    groups: list[EventGroup] = []
    while True:
        page = fetch_page(
            probe,
            contract,
            [*params, ("count", str(contract.max_count)), ("offset", str(len(groups)))],
        )
        groups += page.data.event_groups
        if not page.data.event_groups or len(groups) >= page.data.total_items:
            return groups


def ids(groups: Sequence[EventGroup]) -> list[str]:
    return [g.event_group_id for g in groups]


MAX_PAGES = 60


def page_sizes(total: int, max_count: int) -> list[int]:
    """Small, odd and large page sizes, each needing at most MAX_PAGES requests."""
    candidates = {1, 2, 3, 7, total // 10 + 1, total // 3 + 1, max_count}
    return sorted(n for n in candidates if 1 <= n <= max_count and total / n <= MAX_PAGES)


def check_paging(probe: Probe, contract: ListContract) -> Iterator[Finding]:
    """Pages at offset 0, n, 2n, ... partition the result: no duplicates, no gaps."""
    everything = fetch_all(probe, contract)
    wrong_total_seen = False
    for size in page_sizes(len(everything), contract.max_count):
        seen: list[EventGroup] = []
        while True:
            params = [("count", str(size)), ("offset", str(len(seen)))]
            page = fetch_page(probe, contract, params)
            if len(page.data.event_groups) > size:
                yield Finding(
                    "paging",
                    f"count={size} returned {len(page.data.event_groups)} groups",
                    probe.curl(contract.list_path, params),
                )
            if page.data.total_items != len(everything) and not wrong_total_seen:
                wrong_total_seen = True
                yield Finding(
                    "total-items",
                    f"total_items={page.data.total_items} on a page of "
                    f"count={size}, but {len(everything)} groups exist",
                    probe.curl(contract.list_path, params),
                )
            if not page.data.event_groups:
                break
            seen += page.data.event_groups
            if len(seen) > len(everything):
                break
        if ids(seen) != ids(everything):
            yield Finding(
                "paging",
                f"pages of {size} do not partition the {len(everything)} groups "
                f"(got {len(seen)}, {len(set(ids(seen)))} distinct)",
                probe.curl(contract.list_path, [("count", str(size)), ("offset", "0")]),
            )


def check_sorting(probe: Probe, contract: ListContract) -> Iterator[Finding]:
    """Every allowed sort field, both directions: ordered by (field, id); DESC reverses ASC."""
    ascending, descending = contract.directions[0], contract.directions[-1]
    for sort_field in contract.sort_fields:
        listed: dict[str, list[EventGroup]] = {}
        for direction in (ascending, descending):
            params = [("sort_field", sort_field), ("sort_direction", direction)]
            groups = fetch_all(probe, contract, params)
            listed[direction] = groups
            keys = [(getattr(g, sort_field), g.event_group_id) for g in groups]
            expected = sorted(keys, reverse=direction == descending)
            if keys != expected:
                yield Finding(
                    "sorting",
                    f"not ordered by {sort_field} {direction}, ties by id",
                    probe.curl(contract.list_path, params),
                )
        if ids(listed[descending]) != ids(listed[ascending])[::-1]:
            yield Finding(
                "sorting",
                f"{sort_field} {descending} is not the reverse of {ascending}",
                probe.curl(
                    contract.list_path, [("sort_field", sort_field), ("sort_direction", descending)]
                ),
            )


def matches_filter(parameter: str, value: str, group: EventGroup) -> bool:
    """The spec's matching rules: `name` is a case-insensitive substring (Unicode case
    folding), `text_id` an exact, case-sensitive match."""
    if parameter == "name":
        return value.casefold() in group.name.casefold()
    return group.text_id == value


def check_filters(probe: Probe, contract: ListContract) -> Iterator[Finding]:
    """`name` finds exactly the case-insensitive substring matches, `text_id` exact matches;
    `total_items` is the number of matches."""
    everything = fetch_all(probe, contract)
    probes: list[tuple[str, str]] = [("name", "no such group \u2603 %_")]
    for group in everything[:5]:
        name = group.name
        part = name[len(name) // 4 : max(len(name) // 4 + 1, 3 * len(name) // 4)]
        candidates = [("name", part.swapcase()), ("name", part.upper())]
        candidates += [("text_id", group.text_id), ("text_id", group.text_id.swapcase())]
        probes += [(parameter, value) for parameter, value in candidates if value]
    for parameter, value in dict.fromkeys(probes):
        params = [(parameter, value)]
        expected = [g for g in everything if matches_filter(parameter, value, g)]
        got = fetch_all(probe, contract, params)
        if ids(got) != ids(expected):
            yield Finding(
                "filters",
                f"{parameter}={value!r} returned {len(got)} groups, {len(expected)} match",
                probe.curl(contract.list_path, params),
            )
        page = fetch_page(probe, contract, [*params, ("count", "1")])
        if page.data.total_items != len(expected):
            yield Finding(
                "total-items",
                f"{parameter}={value!r}: total_items="
                f"{page.data.total_items}, {len(expected)} match",
                probe.curl(contract.list_path, [*params, ("count", "1")]),
            )


def check_detail(probe: Probe, contract: ListContract) -> Iterator[Finding]:
    """Every listed group comes back identical from the detail operation; an unknown id is 404."""
    everything = fetch_all(probe, contract)
    for group in everything[:50]:
        path = contract.detail_path.replace("{event_group_id}", group.event_group_id)
        response = probe.get(path)
        listed = group.model_dump()
        try:
            detail = response.json().get("data") if response.status_code == 200 else None
        except ValueError:
            detail = None
        if detail != listed:
            yield Finding(
                "detail",
                f"{group.event_group_id} differs from its list entry "
                f"(status {response.status_code})",
                probe.curl(path),
            )
    unknown = "no-such-group-" + "0" * 12
    while unknown in ids(everything):
        unknown += "0"
    path = contract.detail_path.replace("{event_group_id}", unknown)
    response = probe.get(path)
    if response.status_code != 404:
        yield Finding(
            "detail", f"unknown id gave {response.status_code}, not 404", probe.curl(path)
        )


def bad_authorizations(username: str) -> dict[str, str | None]:
    """Credentials a server must refuse; schemathesis never sends the malformed ones. None
    holds the real password, so findings can show them."""
    return {
        "no credentials": None,
        "wrong password": basic(username, WRONG_PASSWORD),
        "wrong user": basic(username + "-unknown", WRONG_PASSWORD),
        "not base64": "Basic !!!not-base64!!!",
        "no colon": "Basic " + base64.b64encode(username.encode()).decode(),
        "another scheme": "Bearer " + base64.b64encode(f"{username}:x".encode()).decode(),
        "empty": "",
        "scheme only": "Basic",
    }


def check_auth(probe: Probe, contract: ListContract) -> Iterator[Finding]:
    """No, wrong and malformed credentials get 401 with a Basic challenge."""
    for label, authorization in bad_authorizations(probe.username).items():
        response = probe.get(
            contract.list_path, authorization=authorization, auth=authorization is not None
        )
        challenge = response.headers.get("WWW-Authenticate", "")
        if response.status_code != 401 or not challenge.lower().startswith("basic"):
            yield Finding(
                "auth",
                f"{label}: got {response.status_code}, "
                f"WWW-Authenticate {challenge!r}; expected 401 with a Basic challenge",
                probe.curl(contract.list_path, authorization=authorization),
            )


CHECKS: dict[str, Check] = {
    "auth": check_auth,
    "paging": check_paging,
    "sorting": check_sorting,
    "filters": check_filters,
    "detail": check_detail,
}


def run_checks(probe: Probe, spec_path: Path) -> tuple[list[Finding], list[str]]:
    """Run every check; returns the findings and the names of the checks the request budget
    left unfinished. A check that cannot go on reports why instead of crashing the run."""
    contract = ListContract.from_spec(read_yaml(spec_path))
    findings: list[Finding] = []
    unfinished: list[str] = []
    for name, check in CHECKS.items():
        try:
            findings += list(check(probe, contract))
        except BudgetExhaustedError:
            unfinished.append(name)
        except UnexpectedResponseError as exc:
            findings.append(Finding(name, str(exc), probe.curl(exc.path, exc.params)))
        except httpx.HTTPError as exc:
            findings.append(Finding(name, f"request failed: {exc}", probe.base_url))
    return findings, unfinished
