"""`make dist` and `make changelog`: ship what `make generate` makes. A release is a version
of the client (package_version_override), for the API version of the spec (info.version).
dist/ receives the client's wheel and sdist at the client version, the bundled spec as YAML
and JSON and the docs site as an archive at the API version, and a SHA256SUMS file, all
byte-identical from one build to the next; CHANGELOG.md receives the release's entry. Both
refuse a client version that is already tagged or not above the last release's, a changed
spec without a higher info.version, and a break of the contract or of the client's Python API
without a major bump."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from contract._git import changed_files, extract_folder, last_commit_time, repository_of
from contract.docs import build_site
from contract.errors import ContractError, ReleaseError, ToolError, UsageError
from contract.generate import CACHE_DIRS
from contract.generate import check as check_generated
from contract.layout import (
    CLIENT_PROJECT,
    GENERATED_DIR,
    REDOCLY_CONFIG,
    REPO_ROOT,
    UV,
    display_path,
)
from contract.release._archive import CHECKSUMS, read_checksums, tar_folder, write_checksums
from contract.release._changelog import render_entry, with_entry
from contract.release._release import Release, plan_release
from contract.spec.source import read_yaml

__all__ = [
    "Release",
    "build",
    "changelog",
    "client_project_at",
    "dist",
    "plan_release",
    "source_date_epoch",
]

EARLIEST_EPOCH, LATEST_EPOCH = 315_532_800, 2**32 - 1
# Caches that tools and imports leave beside the generated client; no package ships them.
IGNORED = shutil.ignore_patterns(*CACHE_DIRS)


def client_project_at(ref: str, target: Path, repo: Path = REPO_ROOT) -> Path | None:
    """The generated client's project folder as commit `ref` holds it, written under `target`
    (at the same relative path); None where this clone lacks it (shallow, or before it)."""
    return extract_folder(repo, ref, CLIENT_PROJECT.relative_to(REPO_ROOT).as_posix(), target)


def source_date_epoch(repo_folder: Path) -> int:
    """SOURCE_DATE_EPOCH when it is set (the reproducible-builds convention), else the time
    of the last commit: the same sources give the same timestamps on any machine."""
    given = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if given:
        if not given.isdigit() or not EARLIEST_EPOCH <= int(given) <= LATEST_EPOCH:
            raise UsageError(
                f"SOURCE_DATE_EPOCH must be seconds since 1970, from {EARLIEST_EPOCH} (1980,"
                f" the earliest time a wheel's zip holds) to {LATEST_EPOCH} (gzip's last),"
                f" not {given!r}"
            )
        return int(given)
    return last_commit_time(repository_of(repo_folder))


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "api"


def _check_replaceable(output: Path) -> None:
    """`output` may be replaced: it does not exist, is empty, or holds a build, which is the
    files its SHA256SUMS lists and nothing else. Anything else may be someone's work."""
    if output.is_symlink() or (output.exists() and not output.is_dir()):
        raise UsageError(f"{display_path(output)} is not a folder: choose a folder for the build")
    if not output.exists():
        return
    names = {p.name for p in output.iterdir()}
    listed = read_checksums(output / CHECKSUMS) if (output / CHECKSUMS).is_file() else {}
    strangers = sorted(
        name
        for name in names - {CHECKSUMS}
        if name not in listed or not (output / name).is_file() or (output / name).is_symlink()
    )
    if strangers:
        raise UsageError(
            f"{display_path(output)} holds what no build listed in its {CHECKSUMS}"
            f" ({', '.join(strangers)}): choose an empty or new folder"
        )


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
    """Write the release files of `generated` into `output` and return them, SHA256SUMS
    last: the client's packages carry its version, the spec and the docs the API's. The files
    are made in a folder beside `output` that replaces it only when all are there: a failed
    build leaves the last good one. `epoch` stamps the archives that are ours to stamp."""
    spec = read_yaml(generated / "openapi.yaml")
    info = spec.get("info") or {}
    name = f"{_slug(str(info.get('title', '')))}-{info.get('version')}"
    _check_replaceable(output)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-", dir=output.parent))
        staging.chmod(0o755)  # mkdtemp's 0700 would become dist/'s own
    except OSError as exc:
        raise ToolError(f"cannot write beside {display_path(output)}: {exc.strerror}") from exc
    try:
        with tempfile.TemporaryDirectory() as folder:
            scratch = Path(folder)
            files = _build_client(generated / "client", staging, epoch, scratch)
            for suffix in ("yaml", "json"):
                spec_file = staging / f"{name}.openapi.{suffix}"
                files.append(Path(shutil.copyfile(generated / f"openapi.{suffix}", spec_file)))
            site = scratch / "site"
            build_site(generated, site, REDOCLY_CONFIG)
            files.append(tar_folder(site, staging / f"{name}.docs.tar.gz", f"{name}.docs", epoch))
        files.append(write_checksums(files, staging / CHECKSUMS))
        _check_replaceable(output)
        if output.exists():
            shutil.rmtree(output)
        staging.rename(output)
    except OSError as exc:
        raise ToolError(f"cannot write {display_path(output)}: {exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [output / path.name for path in files]


def dist(
    spec_root: Path,
    generated: Path,
    output: Path,
    *,
    first_release: bool = False,
    allow_dirty: bool = False,
) -> tuple[Release, list[Path]]:
    """Check that the spec is a release, that the work tree is its commit (unless
    `allow_dirty`: a draft) and that `generated` is what the spec makes; then build it,
    stamped with the last commit's time."""
    release = plan_release(spec_root, first_release)
    repo = repository_of(spec_root.resolve().parent)
    edited = changed_files(repo)
    if edited and not allow_dirty:
        shown = ", ".join(edited[:5]) + (f" and {len(edited) - 5} more" if len(edited) > 5 else "")
        raise ReleaseError(
            f"the work tree has uncommitted changes ({shown}): a release is built from a commit,"
            " whose time it carries; commit them, or build a draft (ALLOW_DIRTY=1, --allow-dirty)"
        )
    check_generated(spec_root, generated)
    return release, build(output, generated, source_date_epoch(spec_root.resolve().parent))


def changelog(
    spec_root: Path, target: Path, *, first_release: bool = False
) -> tuple[Release, bool]:
    """Write the entry of the release the spec in the work tree would be into `target`;
    also say whether it replaced an entry of the same version."""
    release = plan_release(spec_root, first_release)
    try:
        old = target.read_text("utf-8") if target.exists() else None
        text, replaced = with_entry(old, render_entry(release), release.version)
        target.write_text(text, "utf-8")
    except OSError as exc:
        raise ContractError(f"{display_path(target)}: {exc.strerror}") from exc
    return release, replaced
