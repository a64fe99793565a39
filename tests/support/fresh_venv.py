"""Install a package into a fresh virtualenv the way a consumer would, but offline: uv
installs the package alone, and a .pth file lends it this repository's locked virtualenv for
its dependencies, which must then satisfy the package's requirements. (Offline with an empty
uv cache there is no other source of them. The price: an import of a package the client does
not declare would still succeed here if the locked virtualenv holds it.)"""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

from contract.layout import UV


def uv(*args: str) -> None:
    """The pinned uv, offline and blind to any user configuration."""
    if not UV.exists():
        raise AssertionError("the pinned uv is missing: run `make venv` first")
    subprocess.run(
        [str(UV), *args, "--offline", "--no-config", "--quiet"], check=True, capture_output=True
    )


def install(package: Path, folder: Path) -> Path:
    """A new virtualenv in `folder` with `package` (a wheel, an sdist or a project folder)
    installed; returns its python."""
    uv("venv", "--python", sys.executable, str(folder))
    python = folder / "bin" / "python"
    uv("pip", "install", "--no-deps", "--python", str(python), str(package))
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "locked_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def run(python: Path, code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`code` in that python, with nothing of this process's environment or folder."""
    return subprocess.run(
        [str(python), "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin"},
    )


def unmet_requirements(distribution: str, python: Path, cwd: Path) -> list[str]:
    """The requirements of `distribution` as installed there that the locked versions fail."""
    code = f"import importlib.metadata as m, json; print(json.dumps(m.requires({distribution!r})))"
    listed = run(python, code, cwd)
    if listed.returncode != 0:
        raise AssertionError(f"{distribution} is not installed: {listed.stderr}")
    requires: list[str] = json.loads(listed.stdout) or []
    return [
        text
        for text in requires
        if not Requirement(text).specifier.contains(metadata.version(Requirement(text).name))
    ]
