"""Install a package into a fresh virtualenv the way a consumer would, but offline: uv, or
plain pip, installs the package alone, and a .pth file lends it this repository's locked
virtualenv for its dependencies, which must then satisfy the package's requirements. (Offline
with an empty uv cache there is no other source of them. The price: an import of a package the
client does not declare would still succeed here if the locked virtualenv holds it.)"""

from __future__ import annotations

import json
import os
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
    lend_locked_packages(python)
    return python


def lend_locked_packages(python: Path) -> None:
    """Make this repository's locked packages importable in `python`'s virtualenv."""
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "locked_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")


def venv(folder: Path, *, with_pip: bool = False) -> Path:
    """A new virtualenv in `folder` made by `python -m venv`, as a consumer makes one; returns
    its python. Bootstrapping pip takes seconds, so it is left out unless asked for."""
    subprocess.run(
        [sys.executable, "-m", "venv", *([] if with_pip else ["--without-pip"]), str(folder)],
        check=True,
        capture_output=True,
    )
    return folder / "bin" / "python"


def pip_install(pip: Path, package: Path, folder: Path) -> Path:
    """A new virtualenv in `folder` into which plain pip (the one in `pip`'s virtualenv, see
    venv()) installs `package`; returns its python. Offline, so pip builds with what it finds
    in that virtualenv rather than in an isolated one: the locked uv_build, lent as the locked
    packages are, and its uv-build program on PATH as an activated virtualenv has it. pip
    checks that they meet the package's build requirement."""
    python = venv(folder)
    lend_locked_packages(python)
    (folder / "bin" / "uv-build").symlink_to(Path(sysconfig.get_paths()["scripts"]) / "uv-build")
    result = subprocess.run(
        [
            str(pip),
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-index",
            "--no-build-isolation",
            "--check-build-dependencies",
            "--no-deps",
            "--no-cache-dir",
            "--disable-pip-version-check",
            str(package),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=folder,
        env={"PATH": f"{folder / 'bin'}:/usr/bin:/bin", "PIP_CONFIG_FILE": os.devnull},
    )
    if result.returncode != 0:
        raise AssertionError(f"pip install {package} failed:\n{result.stdout}{result.stderr}")
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
