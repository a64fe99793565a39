"""schemathesis's report, passed through line by line and told in our terms: its curl replay
commands read the credentials from $AUTH (its own show `[Filtered]`, which no server accepts,
and its `st replay` lines are left out), its hints name our variables instead of its flags,
its skipped count says what was skipped, stateful sequences that stopped at an empty list
(the spec's link had no item to follow, which is no failure) are counted in one line instead
of a section titled "Failed to extract data", and a silent phase shows that it is still
running."""

from __future__ import annotations

import queue
import re
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Iterator

# (schemathesis's text, ours); the replay then works as printed once AUTH=user:password is
# exported, and -si shows the status line the finding reports.
REPLACEMENTS = (
    ("curl -X ", "curl -si -X "),
    ("-H 'Authorization: [Filtered]'", '-u "$AUTH"'),
    ("`--auth` or `-H`", "`AUTH` or `AUTH_FILE`"),
    ("try `--url ", "try `BASE_URL="),
    ("`--url`", "`BASE_URL`"),
)
BANNER = re.compile(r"^=+ (.+?) =+$")
EXTRACTION_SECTION = "Stateful tests"
EMPTY_LIST = re.compile(r"Path `[^`]*` not found in response")
CASE = re.compile(r"^\s+\d+\. Test Case ID: ")
# "868 generated, 868 passed, 4 skipped": schemathesis counts as skipped the answered requests
# it ran no check on. Its ignored_auth check sends two per tested operation, without and with
# wrong credentials, and judges their answers itself.
SKIPPED = re.compile(r"^\s+\d+ generated, .*?(\d+) skipped\s*$")
TESTED = re.compile(r"^\s+Tested: (\d+)\s*$")
AUTH_PROBES_PER_OPERATION = 2
# `st replay ID` replays crash files that schemathesis stored, with a tool not on PATH and
# credentials it was not given: the curl line above it is the replay that works as printed.
OWN_REPLAY = re.compile(r"^\s+st replay \S+\s*$")
HEARTBEAT_SECONDS = 15.0


def translate(line: str) -> str:
    for theirs, ours in REPLACEMENTS:
        line = line.replace(theirs, ours)
    return line


def filtered(lines: Iterable[str]) -> Iterator[str]:
    """The report with REPLACEMENTS applied and the extraction section summarised when every
    entry in it is a link that found no item; any other entry keeps the whole section."""
    section: list[str] | None = None
    tested = 0
    for line in lines:
        if found := TESTED.match(line):
            tested = int(found.group(1))
        banner = BANNER.match(line.rstrip("\n"))
        if section is not None and banner:
            yield from summarised(section)
            section = None
        if banner and banner.group(1) == EXTRACTION_SECTION:
            section = [line]
            continue
        if section is not None:
            section.append(line)
        elif not OWN_REPLAY.match(line):
            yield translate(line)
            if skipped := SKIPPED.match(line):
                yield skipped_note(int(skipped.group(1)), tested)
    if section is not None:
        yield from summarised(section)


def skipped_note(skipped: int, tested: int) -> str:
    """What the skipped requests were, as far as the operations tested tell."""
    probes = AUTH_PROBES_PER_OPERATION * tested
    what = (
        "the requests schemathesis's ignored_auth check sends without and with wrong "
        "credentials; that check judges their answers, no other check runs on them"
    )
    if skipped == probes:
        return f"  ({skipped} skipped: {what})\n"
    return (
        f"  ({skipped} skipped: answered requests schemathesis ran no check on; {probes} of "
        f"them would be {what})\n"
    )


def summarised(section: list[str]) -> Iterator[str]:
    entries = sum(bool(CASE.match(line)) for line in section)
    empty = sum(bool(EMPTY_LIST.search(line)) for line in section)
    if entries and empty == entries:
        yield (
            f"({entries} stateful sequence(s) stopped at a list with no item for the spec's "
            "link to follow: nothing to test there, not a failure)\n\n"
        )
    else:
        yield from (translate(line) for line in section)


def spawn(command: list[str], env: dict[str, str], cwd: str) -> subprocess.Popen[str]:
    """`command` running, its output and errors in one text pipe, unbuffered."""
    return subprocess.Popen(
        command,
        cwd=cwd,
        env=env | {"PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    )


def stream(command: list[str], env: dict[str, str], cwd: str, write: Callable[[str], None]) -> int:
    """Run `command`, writing its filtered output as it comes, and a line whenever it has
    been silent for HEARTBEAT_SECONDS; returns its exit code."""
    process = spawn(command, env, cwd)
    assert process.stdout is not None
    lines: queue.Queue[str | None] = queue.Queue()

    def read(source: Iterable[str]) -> None:
        for line in source:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, args=(process.stdout,), daemon=True).start()
    started = time.monotonic()

    def received() -> Iterator[str]:
        while True:
            try:
                line = lines.get(timeout=HEARTBEAT_SECONDS)
            except queue.Empty:
                write(f"  ... still testing ({time.monotonic() - started:.0f} s so far)\n")
                continue
            if line is None:
                return
            yield line

    for line in filtered(received()):
        write(line)
    return process.wait()
