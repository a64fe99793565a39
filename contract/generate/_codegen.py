"""Run the two Python generators on the bundled spec into a folder that the caller chose, so
`make check-generated` can regenerate into a temporary folder. openapi-python-client writes the
client package's operations; datamodel-code-generator writes its one set of models, the
module `models.py` inside that package, which the operations import and validate with."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from contract.errors import ToolError
from contract.generate._client_input import client_input
from contract.generate._template_declarations import templates_with_declarations
from contract.generate.client_names import client_package
from contract.layout import CLIENT_CONFIG, LICENSE, PYPROJECT, REPO_ROOT, display_path
from contract.spec.source import read_yaml

SCRIPTS_DIR = Path(__file__).resolve().parent
CLIENT_TEMPLATES = SCRIPTS_DIR / "client_templates"
CLIENT_RUNTIME = SCRIPTS_DIR / "client_runtime" / "runtime.py"
MODELS_MODULE = "models.py"


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


def generate_models(spec: Path, target: Path, base_class: str = "pydantic.BaseModel") -> Path:
    """Pydantic v2 models with datamodel-code-generator into the module `target`, each a
    subclass of `base_class`; the other options are in pyproject.toml."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # From the repository root, where it finds its options; the header names only the file.
    arguments = ("--input", str(spec), "--output", str(target), "--base-class", base_class)
    _run("datamodel-codegen", *arguments, cwd=REPO_ROOT)
    return target


def generate_client(spec: Path, output_dir: Path, config: Path = CLIENT_CONFIG) -> Path:
    """An installable client package: the operations by openapi-python-client with our
    templates (README, pyproject.toml, the high-level facade, given the spec's behaviour
    declarations and info), the Pydantic models by datamodel-code-generator in place of
    openapi-python-client's attrs classes, the handwritten runtime the facade calls and the
    repository's licence. `config` holds openapi-python-client's settings."""
    if output_dir.exists():
        shutil.rmtree(output_dir)
    with tempfile.TemporaryDirectory() as scratch:
        document = read_yaml(spec)
        templates = templates_with_declarations(CLIENT_TEMPLATES, document, Path(scratch))
        # What both generators read, named as the bundle is: the models' header names it.
        generator_input = Path(scratch) / "input" / spec.name
        generator_input.parent.mkdir()
        generator_input.write_text(json.dumps(client_input(document), indent=1), "utf-8")
        _run(
            "openapi-python-client",
            "generate",
            "--path",
            str(generator_input),
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
            where = display_path(output_dir)
            raise ToolError(f"openapi-python-client wrote no project into {where}")
        # The package's models are the Pydantic ones; the attrs classes are not shipped.
        shutil.rmtree(package / "models")
        base = f"{package.name}._runtime.ApiModel"
        models = generate_models(generator_input, package / MODELS_MODULE, base)
        # Sorted as `make typecheck` checks the package in generated/, not in this scratch one.
        lint = ("--no-cache", "--quiet", "--config", str(PYPROJECT), str(models))
        _run("ruff", "check", "--fix-only", *lint, cwd=REPO_ROOT)
    check_model_names(package)
    shutil.copyfile(CLIENT_RUNTIME, package / "_runtime.py")
    shutil.copyfile(LICENSE, output_dir / LICENSE.name)
    return output_dir


def check_model_names(package: Path) -> None:
    """Refuse a package whose operations import a model name that the models module does not
    define: the two generators name each schema, and a spec where they differ must fail here,
    with the names, not at a user's import."""
    tree = ast.parse((package / MODELS_MODULE).read_text("utf-8"))
    defined = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    missing: set[tuple[str, str]] = set()
    for module in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(module.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level and node.module == "models":
                where = module.relative_to(package.parent).as_posix()
                missing |= {(where, a.name) for a in node.names if a.name not in defined}
    if missing:
        names = ", ".join(f"{name} (in {where})" for where, name in sorted(missing))
        raise ToolError(
            f"openapi-python-client names models that datamodel-code-generator does not: {names}"
        )
