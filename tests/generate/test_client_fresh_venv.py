"""The client as a consumer installs it, in a fresh virtualenv: looping over `list(...)` yields
every match across pages, and a type checker run against that installed package accepts the
calls the docs show and rejects misspelt enum values, parameters and key types."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from contract.conformance.live_server import LiveServer, start_live_server
from contract.layout import GENERATED_DIR
from contract.spec.source import read_yaml
from tests.support.fresh_venv import install

SYNTHETIC = 1200  # enough items that one name matches more than a default page holds
NAME = "cart"


@pytest.fixture(scope="module")
def python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install(GENERATED_DIR / "client", tmp_path_factory.mktemp("client") / "venv")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    logs = tmp_path_factory.mktemp("server")
    with start_live_server(logs, "--synthetic", str(SYNTHETIC)) as live:
        yield live


def matches(server: LiveServer) -> list[str]:
    """The ids of every group the server lists for the name, fetched here with httpx."""
    found: list[str] = []
    while True:
        page = httpx.get(
            f"{server.base_url}/event-groups",
            params={"name": NAME, "offset": len(found), "count": 1000},
            auth=server.auth,
            timeout=10,
        ).json()["data"]
        found += [group["event_group_id"] for group in page["event_groups"]]
        if len(found) >= page["total_items"] or not page["event_groups"]:
            return found


ITERATE = """
import json, os, sys
from customer_interface_client import CustomerInterface

user, _, password = os.environ["AUTH"].partition(":")
with CustomerInterface(os.environ["BASE_URL"], user, password) as api:
    ids = [group.event_group_id for group in api.event_groups.list(name=sys.argv[1])]
print(json.dumps({"file": sys.modules["customer_interface_client"].__file__, "ids": ids}))
"""


def test_looping_over_list_yields_every_match_across_pages(
    python: Path, server: LiveServer, tmp_path: Path
) -> None:
    parameters = read_yaml(GENERATED_DIR / "openapi.yaml")["components"]["parameters"]
    default_page = parameters["count"]["schema"]["default"]
    expected = matches(server)
    assert len(expected) > default_page, "the server should hold more matches than one page"

    result = subprocess.run(
        [str(python), "-c", ITERATE, NAME],
        env={"BASE_URL": server.base_url, "AUTH": f"{server.user}:{server.password}"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert Path(found["file"]).is_relative_to(python.parent.parent)
    assert found["ids"] == expected


# Each line marked `# rejected` must be an error of mypy --strict, and no other line.
TYPED = """
from collections.abc import Sequence
from typing import Any

from customer_interface_client import AsyncCustomerInterface, AsyncPage, CustomerInterface, Page
from customer_interface_client.models import EventGroup, EventGroupSortField, SortDirection


def synchronous(api: CustomerInterface) -> list[EventGroup]:
    by_value: Page[Any, EventGroup] = api.event_groups.list(
        sort_field="name", sort_direction="DESC", name="cart"
    )
    by_member = api.event_groups.list(
        sort_field=EventGroupSortField.TEXT_ID, sort_direction=SortDirection.ASC, count=10
    )
    items: Sequence[EventGroup] = by_value.items
    total: int = by_value.total + len(items)
    one: EventGroup = api.event_groups.retrieve("abc")
    api.event_groups.list(sort_field="nmae")  # rejected
    api.event_groups.list(sort_direction="descending")  # rejected
    api.event_groups.list(nmae="cart")  # rejected
    api.event_groups.retrieve(total)  # rejected
    api.event_groups.list_event_groups()  # rejected
    return [*by_value, *by_member, one]


async def asynchronous(api: AsyncCustomerInterface) -> list[EventGroup]:
    page: AsyncPage[Any, EventGroup] = await api.event_groups.list(count=2)
    every = [group async for group in api.event_groups.list(sort_field="state")]
    one: EventGroup = await api.event_groups.retrieve("abc")
    api.event_groups.list(sort_field="nmae")  # rejected
    wrong: Page[Any, EventGroup] = await api.event_groups.list()  # rejected
    return [*page.items, *every, one]
"""


def test_mypy_strict_accepts_the_documented_calls_and_rejects_misspelt_ones(
    python: Path, tmp_path: Path
) -> None:
    source = tmp_path / "calls.py"
    source.write_text(textwrap.dedent(TYPED), "utf-8")
    rejected = [n for n, line in enumerate(TYPED.splitlines(), 1) if line.endswith("# rejected")]

    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental",
         "--python-executable", str(python), "--config-file", "/dev/null", source.name],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip

    errors = sorted({int(line.split(":")[1]) for line in result.stdout.splitlines()
                     if line.startswith(f"{source.name}:") and ": error:" in line})  # fmt: skip
    assert errors == rejected, result.stdout
    assert '"nmae"' in result.stdout
