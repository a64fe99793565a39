from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

from contract.conformance.live_server import LiveServer, start_live_server
from contract.docs import build_site
from contract.generate import generate
from contract.layout import SPEC_DIR
from reference_server.app import create_app
from reference_server.spec_rules import load_rules
from reference_server.store import Store
from tests.support.server_client import InProcessClient

SpecEditor = Callable[[str, Callable[[Any], Any]], None]
# A spec with a second resource whose declared rules differ from the event groups' (tests only).
TWO_RESOURCES = Path(__file__).parent / "fixtures" / "two_resources" / "openapi.yaml"


def copy_spec(folder: Path) -> Path:
    """Copy openapi/ into `folder`; returns the root file of the copy."""
    target = folder / "openapi"
    shutil.copytree(SPEC_DIR, target)
    return target / "openapi.yaml"


def edit_spec_file(root: Path, relative: str, change: Callable[[Any], Any]) -> None:
    """Edit one YAML file of the spec rooted at `root`: `change` mutates the parsed document
    in place, or returns a replacement."""
    path = root.parent / relative
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    replaced = change(document)
    path.write_text(
        yaml.safe_dump(document if replaced is None else replaced, sort_keys=False),
        encoding="utf-8",
    )


@pytest.fixture
def spec_copy(tmp_path: Path) -> Path:
    """A private copy of openapi/ that a test may break; returns its root file."""
    return copy_spec(tmp_path)


@pytest.fixture
def edit_spec(spec_copy: Path) -> SpecEditor:
    """Edit one YAML file of the spec copy: edit_spec("shared/x.yaml", lambda doc: ...).
    The function mutates the parsed document in place, or returns a replacement."""

    def edit(relative: str, change: Callable[[Any], Any]) -> None:
        edit_spec_file(spec_copy, relative, change)

    return edit


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The reference server as a real subprocess on 127.0.0.1 (a free port), serving the
    spec's documented groups. Yields its base URL (with the spec's path prefix) and the
    credentials it accepts; stops it at the end of the session."""
    with start_live_server(tmp_path_factory.mktemp("live-server")) as server:
        yield server


GroupsClient = Callable[[Sequence[Mapping[str, Any]]], InProcessClient]


@pytest.fixture
def api() -> InProcessClient:
    """The reference server in-process, with its defaults: the documented groups."""
    return InProcessClient(create_app())


@pytest.fixture
def api_with() -> GroupsClient:
    """The reference server in-process, serving the given groups in the given order."""

    def make(groups: Sequence[Mapping[str, Any]]) -> InProcessClient:
        (resource,) = load_rules().resources
        store = Store.open([resource])
        store.add_all(resource.name, groups)
        return InProcessClient(create_app(store=store))

    return make


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The docs site built once from generated/, in a folder of its own; returns its page."""
    return build_site(output=tmp_path_factory.mktemp("docs") / "site")


@pytest.fixture(scope="session")
def two_resources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two-resource spec through the whole pipeline of `make generate`, once per session:
    the folder with its bundle (openapi.yaml), models and client."""
    output = tmp_path_factory.mktemp("two-resources") / "generated"
    generate(TWO_RESOURCES, output)
    return output


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the tests that drive a browser last: pytest-playwright keeps Playwright's event loop
    running until the session ends, and asyncio.run() fails in any test after it."""
    items.sort(key=lambda item: "playwright" in getattr(item, "fixturenames", ()))
