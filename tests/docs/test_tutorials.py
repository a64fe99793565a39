"""The tutorials work as written: every `sh` block of a tutorial page, in order, runs as one
bash script in a fresh copy of the repository (its bootstrapped tools borrowed), and every
`text` block the page quotes as output is in what the script printed. The loopback ports the
page names are swapped for free ones, so the run takes nothing of the machine's."""

from __future__ import annotations

import re
import socket
import time
from pathlib import Path

import pytest

from contract.conformance.live_server import free_port
from contract.layout import DOCS_DIR, REPO_ROOT
from tests.support.pasted import run_pasted
from tests.support.scratch_repo import fresh_copy, git

MARKER = "<!-- tutorial: a test runs every sh block of this page, in order, as one script -->"
TUTORIALS = sorted(DOCS_DIR.glob("tutorial-*.md"))
PORT = re.compile(r"127\.0\.0\.1:(\d{4,5})\b")
MAKE_SERVE_PORT = "8080"  # the Makefile's PORT, which `make serve` listens on
GENERATE_STAMP = "build/generate.stamp"  # the Makefile's GENERATED: make generate has run


def fenced(page: Path, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", page.read_text("utf-8"), re.S | re.M)


def script_of(page: Path) -> str:
    return "\n".join(fenced(page, "sh"))


def port_is_free(port: str) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", int(port))) != 0


class Run:
    """A tutorial's script run to its end in `folder`: its output (stdout and stderr, in
    order) with the page's ports in place of the free ones it used."""

    def __init__(self, page: Path, folder: Path) -> None:
        script = script_of(page)
        self.ports = {port: str(free_port()) for port in sorted(set(PORT.findall(script)))}
        for page_port, port in self.ports.items():
            script = script.replace(f"127.0.0.1:{page_port}", f"127.0.0.1:{port}")
            script = script.replace(f"--port {page_port}", f"--port {port}")
        serve_port = self.ports.get(MAKE_SERVE_PORT, str(free_port()))
        with run_pasted(script, folder, 600, PORT=serve_port) as ran:
            # What the page's own last step stopped lets its port go; only then are the
            # leftovers killed.
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and not all(map(port_is_free, self.ports.values())):
                time.sleep(0.2)
            self.left_running = [p for p in self.ports.values() if not port_is_free(p)]
        out = ran.out
        for page_port, port in self.ports.items():
            out = out.replace(f"127.0.0.1:{port}", f"127.0.0.1:{page_port}")
        self.out = out
        self.folder = folder


def ran(page: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The page run in a fresh copy where `make generate` has run once, as the tutorials ask
    (generated/ is committed fresh, which `make test` checks first: only make's stamp says so)."""
    folder = fresh_copy(tmp_path_factory.mktemp("clone"))
    (folder / GENERATE_STAMP).parent.mkdir(parents=True, exist_ok=True)
    (folder / GENERATE_STAMP).touch()
    return Run(page, folder)


@pytest.mark.parametrize("page", TUTORIALS, ids=lambda page: page.stem)
def test_each_tutorial_is_marked_as_run_and_linked_from_the_readme(page: Path) -> None:
    assert MARKER in page.read_text("utf-8")
    assert f"(docs/{page.name})" in (REPO_ROOT / "README.md").read_text("utf-8")


def quoted_output_missing(page: Path, out: str) -> list[str]:
    """The lines of the page's `text` blocks that the run did not print."""
    printed = set(out.splitlines())
    return [
        line for block in fenced(page, "text") for line in block.splitlines() if line not in printed
    ]


def test_change_the_contract_safely_runs_as_written(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    page = DOCS_DIR / "tutorial-change-the-contract.md"
    run = ran(page, tmp_path_factory)
    out, tail = run.out, run.out[-4000:]

    assert not quoted_output_missing(page, out), tail
    assert "openapi/openapi.yaml: valid OpenAPI 3.1, all house rules pass" in out, tail
    assert "[response-property-added]" in out, tail
    assert "0 breaking, 2 compatible change(s)" in out, tail
    assert "without a major version bump" in out, tail
    assert "Client 3.1.0 for API 1.1.0." in out, tail
    assert "`customer_interface_client.models.EventGroup.description` (added)" in out, tail
    # the last step leaves the clone as it was
    assert git(run.folder, "status", "--porcelain") == ""
    assert git(run.folder, "tag") == ""


def test_test_a_server_runs_as_written(tmp_path_factory: pytest.TempPathFactory) -> None:
    page = DOCS_DIR / "tutorial-test-a-server.md"
    run = ran(page, tmp_path_factory)
    out, tail = run.out, run.out[-4000:]

    assert not quoted_output_missing(page, out), tail
    verdicts = re.findall(r"^Conformance (\w+):", out, re.M)
    assert verdicts == ["PASSED", "FAILED"], tail
    assert "CONTRADICTED  total-items-counts-all-matches" in out, tail
    assert "CHARGED TO NONE [within-listing EventGroup]" in out, tail
    assert out.count("Coverage below MIN_COVERAGE:") == 1, tail  # the buggy server's run
    # the replays fail against the buggy server and pass against the correct one
    summaries = re.findall(r"^(\d+ (?:passed|failed).*) in [\d.]+s$", out, re.M)
    assert len(summaries) == 2, tail
    assert re.fullmatch(r"\d+ failed", summaries[0]), summaries
    assert re.fullmatch(r"\d+ passed", summaries[1]), summaries
    # the page's last step stopped both servers, and they printed no request lines
    assert run.left_running == [], tail
    assert not re.search(r'"GET /rest-api/\S+ HTTP/1\.1" \d{3}', out), tail


@pytest.mark.parametrize("released", [False, True], ids=["no release tag", "a release tag"])
def test_the_change_tutorial_tags_only_a_clone_without_a_release_and_removes_only_its_tag(
    released: bool, tmp_path: Path
) -> None:
    """Its two lines that make and remove a release tag, run in a repository that has a
    release (annotated, as releases are tagged) and in one that has none."""
    lines = [
        line for line in script_of(DOCS_DIR / "tutorial-change-the-contract.md").splitlines()
        if "made_tag" in line
    ]  # fmt: skip
    assert len(lines) == 2, lines
    git(tmp_path, "init", "--quiet", "--initial-branch=main")
    git(tmp_path, "commit", "--quiet", "--allow-empty", "--message", "Start")
    if released:
        git(tmp_path, "tag", "--annotate", "--message", "Release 3.0.0", "v3.0.0")
    between = f'{lines[0]}\necho "between: $(git tag --list)"\n{lines[1]}\n'
    with run_pasted(between, tmp_path, 60) as ran:
        pass

    assert ran.returncode == 0, ran.out
    assert "between: v3.0.0" in ran.out  # the tag make changelog compares with
    assert git(tmp_path, "tag", "--list") == ("v3.0.0" if released else "")
    if released:
        assert git(tmp_path, "cat-file", "-t", "v3.0.0") == "tag"
