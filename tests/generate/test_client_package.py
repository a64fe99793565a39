from __future__ import annotations

from pathlib import Path

import pytest

from contract.errors import LintError
from contract.generate._template_declarations import project_metadata
from contract.layout import GENERATED_DIR
from tests.support.fresh_venv import install, run, unmet_requirements
from tests.support.spec_facts import server_url

CLIENT_DIR = GENERATED_DIR / "client"


def test_client_package_is_typed_and_named_after_the_api() -> None:
    assert (CLIENT_DIR / "customer_interface_client" / "py.typed").exists()
    assert 'name = "customer-interface-client"' in (CLIENT_DIR / "pyproject.toml").read_text()


def test_client_readme_shows_basic_auth_and_the_spec_base_url_with_its_path_prefix() -> None:
    readme = (CLIENT_DIR / "README.md").read_text("utf-8")

    assert "HTTP Basic" in readme
    assert f"`{server_url()}`" in readme


def test_client_folder_installs_into_a_fresh_virtualenv_and_imports(tmp_path: Path) -> None:
    python = install(CLIENT_DIR, tmp_path / "venv")

    result = run(
        python,
        "import customer_interface_client as c;"
        "from customer_interface_client.api.event_groups import list_event_groups;"
        "print(c.__file__, c.Client.__name__, list_event_groups.sync.__name__)",
        tmp_path,
    )

    assert result.returncode == 0, result.stderr
    where, *names = result.stdout.split()
    assert Path(where).is_relative_to(tmp_path / "venv")
    assert names == ["Client", "sync"]
    assert unmet_requirements("customer-interface-client", python, tmp_path) == []


def test_the_metadata_of_a_spec_without_licence_contact_or_docs_is_one_line_and_no_urls() -> None:
    info = {"title": "Shop API", "summary": "Reads\n  the shop.", "version": "3.2.0"}
    meta = project_metadata({"info": info})

    assert (
        meta["summary"] == "Python client of the Shop API. Reads the shop. For API version 3.2.0."
    )
    assert meta["license"] == ""
    assert meta["urls"] == {}


def test_a_spec_licence_other_than_the_repository_one_is_a_finding() -> None:
    document = {"info": {"title": "Shop API", "license": {"name": "A", "identifier": "Apache-2.0"}}}

    with pytest.raises(LintError, match=r"info\.license\.identifier is 'Apache-2\.0'"):
        project_metadata(document)
