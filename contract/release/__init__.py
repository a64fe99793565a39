"""`make dist` and `make changelog`: ship what `make generate` makes. dist/ receives the
client's wheel and sdist at the spec's info.version, the bundled spec as YAML and JSON, the
docs site as an archive and a SHA256SUMS file, all byte-identical from one build to the next;
CHANGELOG.md receives the release's entry. Both refuse a version that is already tagged and
a breaking change without a major bump."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from contract._git import last_commit_time, repository_of
from contract.docs import build_site
from contract.errors import ContractError, ToolError, UsageError
from contract.generate import check as check_generated
from contract.layout import GENERATED_DIR, REDOCLY_CONFIG, UV, display_path
from contract.release._archive import CHECKSUMS, tar_folder, write_checksums
from contract.release._changelog import render_entry, with_entry
from contract.release._release import Release, plan_release
from contract.spec.source import read_yaml

__all__ = ["Release", "build", "changelog", "dist", "plan_release", "source_date_epoch"]

# What a build writes, by the end of each file's name.
BUILT_SUFFIXES = (".whl", ".tar.gz", ".yaml", ".json", CHECKSUMS)
# Caches that tools and imports leave beside the generated client; no package ships them.
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".ruff_cache", ".mypy_cache")


def source_date_epoch(repo_folder: Path) -> int:
    """SOURCE_DATE_EPOCH when it is set (the reproducible-builds convention), else the time
    of the last commit: the same sources give the same timestamps on any machine."""
    given = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if given:
        if not given.isdigit():
            raise UsageError(f"SOURCE_DATE_EPOCH must be seconds since 1970, not {given!r}")
        return int(given)
    return last_commit_time(repository_of(repo_folder))


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "api"


def _empty_output(output: Path) -> None:
    """Start from an empty folder: files of an older build must not be published by mistake.
    Refuse to empty a folder that holds anything but files of a build."""
    if output.exists():
        strangers = sorted(
            p.name
            for p in output.iterdir()
            if not p.is_file() or not p.name.endswith(BUILT_SUFFIXES)
        )
        if strangers:
            raise UsageError(
                f"{display_path(output)} holds what no build writes ({', '.join(strangers)}):"
                " choose an empty or new folder"
            )
        shutil.rmtree(output)
    output.mkdir(parents=True)


def _build_client(client: Path, output: Path, epoch: int, scratch: Path) -> list[Path]:
    """The sdist, then the wheel built from that sdist, by the pinned uv's own build backend:
    offline, so a build never depends on what an index serves that day."""
    if not UV.is_file():
        raise ToolError(f"{display_path(UV)} is missing; run `make venv`")
    source = scratch / "client"
    shutil.copytree(client, source, ignore=IGNORED)
    built = scratch / "packages"
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    result = subprocess.run(
        [
            str(UV),
            "build",
            "--offline",
            "--no-config",
            "--quiet",
            "--out-dir",
            str(built),
            str(source),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    packages = sorted(built.glob("*.whl")) + sorted(built.glob("*.tar.gz"))
    if result.returncode != 0 or len(packages) != 2:
        raise ToolError(f"uv build failed (exit {result.returncode}):\n{result.stderr.strip()}")
    return [Path(shutil.copy2(package, output / package.name)) for package in packages]


def build(output: Path, generated: Path = GENERATED_DIR, epoch: int = 0) -> list[Path]:
    """Write the release files of `generated` into `output` (emptied first) and return them,
    SHA256SUMS last. `epoch` stamps the archives that are ours to stamp."""
    spec = read_yaml(generated / "openapi.yaml")
    info = spec.get("info") or {}
    name = f"{_slug(str(info.get('title', '')))}-{info.get('version')}"
    _empty_output(output)
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        files = _build_client(generated / "client", output, epoch, scratch)
        for suffix in ("yaml", "json"):
            spec_file = output / f"{name}.openapi.{suffix}"
            files.append(Path(shutil.copyfile(generated / f"openapi.{suffix}", spec_file)))
        site = scratch / "site"
        build_site(generated, site, REDOCLY_CONFIG)
        files.append(tar_folder(site, output / f"{name}.docs.tar.gz", f"{name}.docs", epoch))
    return [*files, write_checksums(files, output / CHECKSUMS)]


def dist(spec_root: Path, generated: Path, output: Path) -> tuple[Release, list[Path]]:
    """Check that the spec is a release and that `generated` is what it makes, then build
    it, stamped with the last commit's time."""
    release = plan_release(spec_root)
    check_generated(spec_root, generated)
    return release, build(output, generated, source_date_epoch(spec_root.resolve().parent))


def changelog(spec_root: Path, target: Path) -> Release:
    """Write the entry of the release the spec in the work tree would be into `target`."""
    release = plan_release(spec_root)
    try:
        old = target.read_text("utf-8") if target.exists() else None
        target.write_text(with_entry(old, render_entry(release)), "utf-8")
    except OSError as exc:
        raise ContractError(f"{display_path(target)}: {exc.strerror}") from exc
    return release
