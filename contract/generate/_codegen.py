"""Run the two Python generators on the bundled spec. Each writes into a folder that the
caller chose, so `make check-generated` can regenerate into a temporary folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from contract.errors import ToolError
from contract.generate._template_declarations import templates_with_declarations
from contract.generate.client_names import client_package
from contract.layout import CLIENT_CONFIG, LICENSE, REPO_ROOT, display_path
from contract.spec.source import read_yaml

SCRIPTS_DIR = Path(__file__).resolve().parent
CLIENT_TEMPLATES = SCRIPTS_DIR / "client_templates"
CLIENT_RUNTIME = SCRIPTS_DIR / "client_runtime" / "runtime.py"
MODELS_MODULE = "customer_interface.py"


def _run(tool: str, *args: str, cwd: Path) -> None:
    """Run a tool installed in this virtualenv; its post-hooks find ruff on PATH."""
    bin_dir = Path(sys.executable).parent
    executable = bin_dir / tool
    if not executable.exists():
        raise ToolError(f"{tool} is not installed in {bin_dir}; run `make venv`")
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        [str(executable), *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()
        raise ToolError(f"{tool} failed (exit {result.returncode}):\n{output}")


def generate_models(spec: Path, output_dir: Path) -> Path:
    """Pydantic v2 models with datamodel-code-generator; its options are in pyproject.toml."""
    output_dir.mkdir(parents=True, exist_ok=True)
    target = output_dir / MODELS_MODULE
    # From the repository root, where it finds its options; the header names only the file.
    _run("datamodel-codegen", "--input", str(spec), "--output", str(target), cwd=REPO_ROOT)
    return target


def generate_client(spec: Path, output_dir: Path, config: Path = CLIENT_CONFIG) -> Path:
    """An installable client package with openapi-python-client, our templates (README,
    pyproject.toml, the high-level facade, given the spec's behaviour declarations and info),
    the handwritten runtime the facade calls and the repository's licence. `config` holds
    openapi-python-client's settings."""
    if output_dir.exists():
        shutil.rmtree(output_dir)
    with tempfile.TemporaryDirectory() as scratch:
        templates = templates_with_declarations(CLIENT_TEMPLATES, read_yaml(spec), Path(scratch))
        _run(
            "openapi-python-client",
            "generate",
            "--path",
            str(spec),
            "--config",
            str(config),
            "--custom-template-path",
            str(templates),
            "--meta",
            "uv",
            "--output-path",
            str(output_dir),
            "--overwrite",
            "--fail-on-warning",
            cwd=REPO_ROOT,
        )
    package = output_dir / client_package(read_yaml(config))
    if not (output_dir / "pyproject.toml").exists() or not package.is_dir():
        raise ToolError(f"openapi-python-client wrote no project into {display_path(output_dir)}")
    shutil.copyfile(CLIENT_RUNTIME, package / "_runtime.py")
    shutil.copyfile(LICENSE, output_dir / LICENSE.name)
    return output_dir
