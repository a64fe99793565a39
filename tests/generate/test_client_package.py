from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from contract.layout import GENERATED_DIR, REPO_ROOT
from tests.support.spec_facts import server_url

CLIENT_DIR = GENERATED_DIR / "client"


def test_client_package_is_typed_and_named_after_the_api() -> None:
    assert (CLIENT_DIR / "customer_interface_client" / "py.typed").exists()
    assert 'name = "customer-interface-client"' in (CLIENT_DIR / "pyproject.toml").read_text()


def test_client_readme_shows_basic_auth_and_the_spec_base_url_with_its_path_prefix() -> None:
    readme = (CLIENT_DIR / "README.md").read_text("utf-8")

    assert "HTTP Basic" in readme
    assert f"`{server_url()}`" in readme


def test_client_installs_into_a_fresh_virtualenv_and_imports(tmp_path: Path) -> None:
    uv = REPO_ROOT / ".tools" / "bin" / "uv"  # the pinned uv that `make venv` installs
    if not uv.exists():
        pytest.fail("the pinned uv is missing: run `make venv` first")
    venv = tmp_path / "venv"
    subprocess.run([uv, "venv", "--quiet", "--python", "python3", str(venv)], check=True)
    subprocess.run(
        [
            uv,
            "pip",
            "install",
            "--quiet",
            "--python",
            str(venv / "bin" / "python"),
            str(CLIENT_DIR),
        ],
        check=True,
    )

    result = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import customer_interface_client as c;"
            "from customer_interface_client.api.event_groups import list_event_groups;"
            "print(c.Client.__name__, list_event_groups.sync.__name__)",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )

    assert result.stdout.split() == ["Client", "sync"]
