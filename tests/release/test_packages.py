"""What `make dist` writes: the client's wheel and sdist at the client's own version with the
metadata the spec gives, installable offline into fresh virtualenvs, by uv and by plain pip
(which also installs the client's folder); the bundled spec; the docs archive; SHA256SUMS;
and all of it byte-identical from one build to the next."""

from __future__ import annotations

import email.parser
import hashlib
import json
import os
import shutil
import tarfile
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from contract.errors import UsageError
from contract.generate.client_names import client_version
from contract.layout import GENERATED_DIR, LICENSE
from contract.release import build
from tests.support.fresh_venv import install, pip_install, run, unmet_requirements, uv, venv
from tests.support.spec_facts import SPEC

EPOCH = 1_700_000_000
INFO = SPEC["info"]
API_VERSION = INFO["version"]
VERSION = client_version()  # the packages', apart from the API's


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], list[Path]]:
    """The same sources built twice: from generated/ itself, then from a copy elsewhere whose
    files all carry another time, built under another umask."""
    folder = tmp_path_factory.mktemp("dist")
    first = build(folder / "one", GENERATED_DIR, EPOCH)
    copy = Path(shutil.copytree(GENERATED_DIR, folder / "elsewhere" / "generated"))
    for path in copy.rglob("*"):
        os.utime(path, (EPOCH + 12_345, EPOCH + 12_345))
    umask = os.umask(0o077)
    try:
        second = build(folder / "two", copy, EPOCH)
    finally:
        os.umask(umask)
    return first, second


@pytest.fixture(scope="module")
def files(builds: tuple[list[Path], list[Path]]) -> dict[str, Path]:
    """The first build's files by kind."""
    found: dict[str, Path] = {}
    for path in builds[0]:
        kind = next(
            k for k in (".whl", ".tar.gz", ".yaml", ".json", "SUMS") if path.name.endswith(k)
        )
        kind = "docs" if path.name.endswith(".docs.tar.gz") else kind
        assert kind not in found, f"two files of one kind: {found.get(kind)}, {path}"
        found[kind] = path
    return found


def test_two_builds_are_byte_identical(builds: tuple[list[Path], list[Path]]) -> None:
    one, two = builds

    assert [p.name for p in one] == [p.name for p in two]
    assert [p.read_bytes() for p in one] == [p.read_bytes() for p in two]


def test_the_build_writes_each_kind_of_file_once(files: dict[str, Path]) -> None:
    assert sorted(files) == [".json", ".tar.gz", ".whl", ".yaml", "SUMS", "docs"]


def test_the_packages_carry_the_client_version_and_the_spec_and_docs_the_api_version(
    files: dict[str, Path],
) -> None:
    assert VERSION != API_VERSION, "the test tells the two apart only while they differ"
    for kind, path in files.items():
        if kind in (".whl", ".tar.gz"):
            assert path.name.startswith(f"customer_interface_client-{VERSION}"), path.name
        elif kind != "SUMS":
            assert f"-{API_VERSION}." in path.name, path.name
            assert f"-{VERSION}" not in path.name, path.name


def test_sha256sums_lists_every_other_file_with_its_digest(files: dict[str, Path]) -> None:
    lines = [line.split("  ", 1) for line in files["SUMS"].read_text("utf-8").splitlines()]
    listed = {name: digest for digest, name in lines}

    others = {path.name: path for kind, path in files.items() if kind != "SUMS"}
    assert sorted(listed) == sorted(others)
    for name, digest in listed.items():
        assert digest == hashlib.sha256(others[name].read_bytes()).hexdigest(), name


def test_the_bundled_spec_is_the_generated_one(files: dict[str, Path]) -> None:
    assert files[".yaml"].read_bytes() == (GENERATED_DIR / "openapi.yaml").read_bytes()
    assert json.loads(files[".json"].read_bytes()) == SPEC


def test_the_docs_archive_holds_the_site_under_one_folder_stamped_with_the_epoch(
    files: dict[str, Path],
) -> None:
    with tarfile.open(files["docs"]) as tar:
        members = tar.getmembers()
        top = files["docs"].name.removesuffix(".tar.gz")
        page = tar.extractfile(f"{top}/index.html")
        spec = tar.extractfile(f"{top}/openapi.yaml")
        assert page is not None
        assert spec is not None
        assert b"<html" in page.read()[:2000].lower()
        assert spec.read() == (GENERATED_DIR / "openapi.yaml").read_bytes()

    assert {m.name.split("/")[0] for m in members} == {top}
    assert {m.mtime for m in members} == {EPOCH}
    assert {(m.uid, m.gid, m.uname, m.gname) for m in members} == {(0, 0, "", "")}


def wheel_metadata(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return email.parser.Parser().parsestr(archive.read(name).decode("utf-8"))


def test_the_wheel_metadata_says_what_the_spec_and_the_client_project_say(
    files: dict[str, Path],
) -> None:
    meta = wheel_metadata(files[".whl"])
    project = tomllib.loads((GENERATED_DIR / "client" / "pyproject.toml").read_text("utf-8"))

    assert meta["Name"] == project["project"]["name"]
    assert meta["Version"] == VERSION
    assert INFO["title"] in meta["Summary"]
    assert INFO["summary"] in meta["Summary"]
    assert meta["License-Expression"] == INFO["license"]["identifier"]
    assert meta["Requires-Python"] == project["project"]["requires-python"]
    assert sorted(meta.get_all("Project-URL") or []) == [
        f"Documentation, {SPEC['externalDocs']['url']}",
        f"Homepage, {INFO['contact']['url']}",
    ]
    assert meta.get_payload() == (GENERATED_DIR / "client" / "README.md").read_text("utf-8")
    with zipfile.ZipFile(files[".whl"]) as archive:
        licence = next(n for n in archive.namelist() if n.endswith("/licenses/LICENSE"))
        assert archive.read(licence) == LICENSE.read_bytes()


def test_the_sdist_rebuilds_the_same_wheel(files: dict[str, Path], tmp_path: Path) -> None:
    """From the unpacked sdist, as a consumer's installer builds it: uv builds a source
    folder (not an sdist file) with its own backend, offline."""
    with tarfile.open(files[".tar.gz"]) as sdist:
        sdist.extractall(tmp_path / "src", filter="data")
    (source,) = (tmp_path / "src").iterdir()
    uv("build", "--wheel", "--out-dir", str(tmp_path / "out"), str(source))

    (rebuilt,) = (tmp_path / "out").glob("*.whl")
    assert rebuilt.name == files[".whl"].name
    assert rebuilt.read_bytes() == files[".whl"].read_bytes()


IMPORT_CHECK = """
import importlib.metadata, json
import customer_interface_client
from customer_interface_client import CustomerInterface
api = CustomerInterface("https://api.example.com/v1", "user", "secret")
print(json.dumps({
    "file": customer_interface_client.__file__,
    "version": importlib.metadata.version("customer-interface-client"),
    "exported": [customer_interface_client.__version__, customer_interface_client.API_VERSION],
}))
"""


@pytest.mark.parametrize("kind", [".whl", ".tar.gz"])
def test_the_package_installs_into_a_fresh_virtualenv_and_imports(
    kind: str, files: dict[str, Path], tmp_path: Path
) -> None:
    python = install(files[kind], tmp_path / "venv")

    assert_imports_from(python, tmp_path)


def assert_imports_from(python: Path, tmp_path: Path) -> None:
    """The client imports from the virtualenv in tmp_path/venv, at the client's version, which
    it also exports beside the API's, and the locked packages meet its requirements."""
    result = run(python, IMPORT_CHECK, tmp_path)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert Path(found["file"]).is_relative_to(tmp_path / "venv")
    assert found["version"] == VERSION
    assert found["exported"] == [VERSION, API_VERSION]
    assert unmet_requirements("customer-interface-client", python, tmp_path) == []


@pytest.fixture(scope="module")
def pip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a virtualenv with the pip that `python -m venv` gives, made once: it
    installs into fresh virtualenvs without pip, which take a fraction of the time to make."""
    return venv(tmp_path_factory.mktemp("pip") / "venv", with_pip=True)


WHEEL_GENERATOR = """
import importlib.metadata, email.parser
wheel = importlib.metadata.distribution("customer-interface-client").read_text("WHEEL")
print(email.parser.Parser().parsestr(wheel)["Generator"])
"""


@pytest.mark.parametrize("kind", ["folder", ".tar.gz", ".whl"])
def test_plain_pip_installs_the_client_offline_and_builds_it_with_the_locked_uv_build(
    kind: str, files: dict[str, Path], pip: Path, tmp_path: Path
) -> None:
    """What a consumer without uv gets: pip, not uv, builds the folder and the sdist with the
    uv_build package (the PEP 517 backend pip fetches from the index), not the pinned uv's own
    backend, and installs them and the wheel."""
    package = GENERATED_DIR / "client" if kind == "folder" else files[kind]

    python = pip_install(pip, package, tmp_path / "venv")

    assert_imports_from(python, tmp_path)
    if kind != ".whl":
        built_by = run(python, WHEEL_GENERATOR, tmp_path).stdout.strip()
        assert built_by == f"uv {metadata.version('uv-build')}"


@pytest.mark.parametrize(
    "strangers",
    [["notes.txt"], ["config.json", "settings.yaml"], ["customer_interface_client-9.9.9.tar.gz"]],
)
def test_a_build_refuses_to_replace_a_folder_with_files_no_build_listed(
    tmp_path: Path, strangers: list[str]
) -> None:
    for name in strangers:
        (tmp_path / name).write_text("mine")

    with pytest.raises(UsageError, match=r"holds what no build listed in its SHA256SUMS"):
        build(tmp_path, GENERATED_DIR, EPOCH)

    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(strangers)


def test_a_build_refuses_an_output_that_is_a_file_or_a_link(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("mine")
    (tmp_path / "real").mkdir()
    (tmp_path / "a-link").symlink_to(tmp_path / "real")

    for name in ("a-file", "a-link"):
        with pytest.raises(UsageError, match="is not a folder"):
            build(tmp_path / name, GENERATED_DIR, EPOCH)

    assert (tmp_path / "a-file").read_text() == "mine"
    assert (tmp_path / "real").exists()
