"""The client has a version of its own, `package_version_override` in openapi-python-client's
settings: the generated package carries it (pyproject.toml, `__version__`) beside the API's
info.version (`API_VERSION`, the summary), and `make generate` refuses a missing or malformed
one before it writes anything, since the generator would quietly fall back to info.version."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import customer_interface_client
import pytest
import yaml

import contract.generate
from contract.errors import LintError
from contract.generate import generate
from contract.generate.client_names import VERSION_KEY, client_config, client_version
from contract.layout import CLIENT_PROJECT, SPEC_ROOT
from scripts.generate import main as generate_main
from tests.support.spec_facts import SPEC

API = SPEC["info"]["version"]


def config_file(folder: Path, **changes: Any) -> Path:
    """A copy of the client's settings with `changes` (None removes a key)."""
    settings = client_config()
    for key, value in changes.items():
        if value is None:
            settings.pop(key, None)
        else:
            settings[key] = value
    path = folder / "openapi-python-client.yaml"
    path.write_text(yaml.safe_dump(settings, sort_keys=False), "utf-8")
    return path


def test_the_package_carries_the_configured_version_and_the_api_version_apart() -> None:
    project = tomllib.loads((CLIENT_PROJECT / "pyproject.toml").read_text("utf-8"))["project"]

    assert customer_interface_client.__version__ == client_version() == project["version"]
    assert customer_interface_client.API_VERSION == API
    assert {"__version__", "API_VERSION"} <= set(customer_interface_client.__all__)
    assert project["description"].endswith(f" For API version {API}.")


def test_the_version_is_read_from_the_file_it_names(tmp_path: Path) -> None:
    path = config_file(tmp_path, **{VERSION_KEY: "3.1.0rc1"})

    assert client_config(path)[VERSION_KEY] == "3.1.0rc1"
    assert client_version(path=path) == "3.1.0rc1"
    assert client_version({VERSION_KEY: "3.2.0"}) == "3.2.0"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, r"package_version_override is missing: set it to the client's own version"),
        ("", r"package_version_override is missing"),
        (2.0, r"package_version_override is 2\.0, not a string: quote it \(\"2\.0\"\)"),
        ("2.0.0-RC1", r"write '2\.0\.0-RC1' as '2\.0\.0rc1'"),
        ("2.0.0+build.7", r"has a local part"),
        ("the next one", r"not a version a package index accepts"),
    ],
)
def test_a_missing_or_malformed_version_is_refused_naming_the_file_and_the_key(
    tmp_path: Path, value: Any, message: str
) -> None:
    path = config_file(tmp_path, **{VERSION_KEY: value})

    with pytest.raises(LintError, match=message) as raised:
        client_version(path=path)

    assert str(raised.value).startswith(f"{path}: {VERSION_KEY}")


def test_generate_refuses_a_config_without_a_version_before_writing_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = config_file(tmp_path, **{VERSION_KEY: None})
    output = tmp_path / "generated"

    with pytest.raises(LintError, match="package_version_override is missing"):
        generate(SPEC_ROOT, output, bad)
    monkeypatch.setattr(contract.generate, "CLIENT_CONFIG", bad)
    code = generate_main(["--output", str(output)])

    assert code == 1
    assert "package_version_override is missing" in capsys.readouterr().err
    assert not output.exists()


def test_the_configured_version_not_info_version_is_the_packages(tmp_path: Path) -> None:
    output = tmp_path / "generated"

    generate(SPEC_ROOT, output, config_file(tmp_path, **{VERSION_KEY: "7.3.1"}))

    client = output / "client"
    project = tomllib.loads((client / "pyproject.toml").read_text("utf-8"))["project"]
    package = (client / "customer_interface_client" / "__init__.py").read_text("utf-8")
    facade = (client / "customer_interface_client" / "api" / "__init__.py").read_text("utf-8")
    assert project["version"] == "7.3.1"
    assert '__version__ = "7.3.1"' in package
    assert f'API_VERSION = "{API}"' in package
    assert f"customer-interface-client/7.3.1 (API {API}; python-httpx/" in facade
