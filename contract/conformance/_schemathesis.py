"""Running the schemathesis CLI against a server: all checks, every phase, stateful through the
spec's links, with the run's credentials in its environment (never on a command line).

schemathesis fuzzes one operation at a time, one case after another (its `--workers` do not
split an operation's cases), so against a server one region away a run would wait for each
answer in turn. A large run is therefore split into shards that go out together: one process
with the examples, coverage and stateful phases, and up to FUZZ_SHARDS more that fuzz only,
each with its share of the examples and a seed of its own. The shards follow from the
settings alone (the examples asked for and the seed), never from the machine, so the same
seed sends the same cases; only the first shard's report is shown as it comes, the others
once they end (in full when they found something)."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
import tempfile
import threading
import tomllib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final
from xml.etree import ElementTree

from contract.conformance._schemathesis_output import filtered, spawn, stream
from contract.conformance._settings import Settings
from contract.conformance._target import Target
from contract.errors import ContractError, ToolError
from contract.layout import REPO_ROOT, display_path
from contract.secret_file import write_secret_file

SCHEMATHESIS_CONFIG: Final = REPO_ROOT / "schemathesis.toml"
SCHEMATHESIS_JUNIT: Final = "schemathesis-junit.xml"
HAR_NAME: Final = "schemathesis-{number}.har"  # one per shard, in the reports folder
USER_VARIABLE: Final = "CONFORMANCE_USER"
PASSWORD_VARIABLE: Final = "CONFORMANCE_PASSWORD"
ALL_PHASES: Final = "examples,coverage,fuzzing,stateful"
FIRST_PHASES: Final = "examples,coverage,stateful"
FUZZ_SHARDS: Final = 4  # fuzzing processes of a large run, at most
EXAMPLES_PER_SHARD: Final = 200  # a run asks for this many examples per fuzzing shard, at least
STATEFUL_DIVISOR: Final = 16  # examples of a large run per one of its stateful phase
GENERATED = re.compile(r"(\d+) generated")
# Appended to schemathesis.toml in the run's own config file. schemathesis fills in ${NAME}
# from its environment; its output and reports replace credentials with [Filtered].
CREDENTIALS_CONFIG: Final = f"""
[auth]
basic = {{ username = "${{{USER_VARIABLE}}}", password = "${{{PASSWORD_VARIABLE}}}" }}

[output.sanitization]
enabled = true
"""


@dataclass(frozen=True)
class Shard:
    """One schemathesis process of a run."""

    phases: str
    max_examples: int
    seed: int
    name: str  # "" for the first, whose report is shown as it comes

    @property
    def title(self) -> str:
        return self.name or "schemathesis"


def shards(max_examples: int, seed: int) -> list[Shard]:
    """The processes of a run asking for `max_examples` per operation and phase: a small run
    is one process with every phase; a large one splits the fuzzing into equal shares, each
    a process with seed + its number, beside a first that runs the other phases. Alone, the
    stateful phase runs about 1.3 scenarios per example asked for, where after fuzzing it
    ran 74 for 1000: the first process asks it for max_examples / STATEFUL_DIVISOR (80
    scenarios for 1000), as much stateful testing as one process with every phase did."""
    count = min(FUZZ_SHARDS, max_examples // EXAMPLES_PER_SHARD)
    if count <= 1:
        return [Shard(ALL_PHASES, max_examples, seed, "")]
    share = math.ceil(max_examples / count)
    return [
        Shard(FIRST_PHASES, max(1, max_examples // STATEFUL_DIVISOR), seed, ""),
        *(
            Shard("fuzzing", share, seed + number, f"fuzzing shard {number}/{count}")
            for number in range(1, count + 1)
        ),
    ]


def schemathesis_config() -> str:
    """The shared settings of schemathesis.toml and the credentials' placeholders."""
    text = SCHEMATHESIS_CONFIG.read_text("utf-8").rstrip("\n") + "\n" + CREDENTIALS_CONFIG
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ContractError(
            f"{display_path(SCHEMATHESIS_CONFIG)} cannot take the run's credentials settings "
            f"([auth], [output.sanitization]): {exc}"
        ) from exc
    return text


@contextmanager
def credentials_config(server: Target) -> Iterator[tuple[Path, dict[str, str]]]:
    """A temporary 0600 config file that names the credentials' variables, and the
    environment that holds them, valid for the block's duration."""
    with tempfile.TemporaryDirectory(prefix="conformance-") as folder:
        config = write_secret_file(schemathesis_config(), Path(folder) / "schemathesis.toml")
        env = {key: value for key, value in os.environ.items() if key != "AUTH"}
        env |= {USER_VARIABLE: server.user, PASSWORD_VARIABLE: server.password}
        yield config, env


def schemathesis_command(
    server: Target,
    run: Settings,
    config: Path,
    shard: Shard,
    junit: Path,
    har: Path | None = None,
    shares: int = 1,
    excluded: Sequence[str] = (),
) -> list[str]:
    """The command line of one shard; the credentials are not on it but in the environment
    `config` reads them from (see credentials_config). No example database: a run depends on
    its seed alone, not on what earlier runs found (findings replay as tests instead)."""
    executable = Path(sys.executable).parent / "schemathesis"
    if not executable.exists():
        raise ToolError(f"schemathesis is not installed next to {sys.executable}; run `make venv`")
    command = [
        str(executable), "--config-file", str(config), "--no-color",
        "run", str(run.spec),
        "--url", server.base_url,
        "--checks", "all",
        "--phases", shard.phases,
        "--mode", "all",
        "--max-examples", str(shard.max_examples),
        "--seed", str(shard.seed),
        "--generation-database", "none",
        "--report", "junit" if har is None else "junit,har",
        "--report-junit-path", str(junit),
    ]  # fmt: skip
    if har is not None:
        command += ["--report-har-path", str(har)]
    if run.rate_limit > 0:
        command += ["--rate-limit", f"{run.rate_limit / shares:g}/s"]
    for operation_id in excluded:
        command += ["--exclude-operation-id", operation_id]
    if not server.is_reference:
        # This check sends the methods the spec does not define (POST, DELETE, ...): only the
        # reference server is known to be safe to send them to.
        command += ["--exclude-checks", "unsupported_method"]
    return command


@dataclass(frozen=True)
class Outcome:
    passed: bool
    hars: list[Path]  # of every shard, in order
    junit: Path


def run_schemathesis(
    server: Target,
    run: Settings,
    folder: Path,
    echo: Callable[[str], None],
    excluded: Sequence[str] = (),
) -> Outcome:
    """Run every shard (the first with its report shown as it comes; all at once unless the
    run's concurrency is 1), write one JUnit report of them all and each shard's HAR into
    `run.reports` (the later shards' own JUnit reports go to `folder`); whether all passed.
    `excluded`: operation ids left out."""
    planned = shards(run.max_examples, run.seed)
    junit = run.reports / SCHEMATHESIS_JUNIT
    run.reports.mkdir(parents=True, exist_ok=True)
    for stale in run.reports.glob(HAR_NAME.format(number="*")):  # an earlier run's shards
        stale.unlink()
    hars = [run.reports / HAR_NAME.format(number=n) for n in range(len(planned))]
    junits = [junit, *(folder / f"junit-{n}.xml" for n in range(1, len(planned)))]
    with credentials_config(server) as (config, env):
        commands = [
            schemathesis_command(
                server, run, config, shard, junits[n], hars[n], len(planned), excluded
            )
            for n, shard in enumerate(planned)
        ]
        if run.concurrency <= 1:
            codes = [stream(command, env, str(REPO_ROOT), echo) for command in commands]
            outputs = ["" for _ in commands[1:]]
        else:
            codes, outputs = run_together(commands, env, echo)
    for shard, code, out in zip(planned[1:], codes[1:], outputs, strict=True):
        if out:
            echo(shard_report(shard, code, out))
    bad = [code for code in codes if code not in (0, 1)]
    if bad:
        raise ToolError(f"schemathesis stopped with exit code {bad[0]}")
    if len(planned) > 1:
        merge_junit(junits)
    return Outcome(all(code == 0 for code in codes), [h for h in hars if h.is_file()], junit)


def run_together(
    commands: Sequence[list[str]], env: dict[str, str], echo: Callable[[str], None]
) -> tuple[list[int], list[str]]:
    """Start every shard but the first, stream the first's report, then collect the others'
    exit codes and output."""
    others = [spawn(command, env, str(REPO_ROOT)) for command in commands[1:]]
    outputs = [""] * len(others)

    def collect(number: int, process: subprocess.Popen[str]) -> None:
        outputs[number] = process.communicate()[0]

    readers = [
        threading.Thread(target=collect, args=(n, p), daemon=True) for n, p in enumerate(others)
    ]
    for reader in readers:
        reader.start()
    codes = [stream(commands[0], env, str(REPO_ROOT), echo)]
    for reader, process in zip(readers, others, strict=True):
        reader.join()
        codes.append(process.wait())
    return codes, outputs


def shard_report(shard: Shard, code: int, out: str) -> str:
    """One line for a shard that passed; its whole report, told in our terms, when not."""
    cases = GENERATED.search(out)
    count = f"{cases.group(1)} cases" if cases else "its cases"
    head = (
        f"{shard.title.capitalize()} (seed {shard.seed}, {shard.max_examples} examples per "
        f"operation): {count}, "
    )
    if code == 0:
        return head + "no issues found\n"
    return head + "issues found:\n" + "".join(filtered(out.splitlines(keepends=True))) + "\n"


def merge_junit(junits: Sequence[Path]) -> None:
    """Append the test suites of the later shards' reports to the first one's."""
    first = ElementTree.parse(junits[0])
    root = first.getroot()
    for path in junits[1:]:
        if path.is_file():
            for suite in ElementTree.parse(path).getroot():
                root.append(suite)
    first.write(junits[0], encoding="unicode", xml_declaration=True)
