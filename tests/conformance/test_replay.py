"""Every replay command a run prints works as printed: pasted into a shell with
AUTH=user:password exported, it gets the status the finding reports. Both kinds are run here
through bash and curl: the property checks' own, and schemathesis's as the harness rewrites
them."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from starlette.types import ASGIApp

from contract.conformance import Settings, Target, load_contract, schemathesis_phase
from contract.conformance._probe import Probe
from contract.conformance._runner import run_checks
from contract.conformance._schemathesis_output import filtered
from contract.layout import BUNDLED_SPEC
from tests.support.faults import ALL_FAULTS, LIBRARY, PASSWORD, USER, reference_app, serve

CONTRACT = load_contract(BUNDLED_SPEC)
# Faults whose findings come with a status, the check that finds them, and the status the
# replay must show: each kind of replay (list and detail, with $AUTH, without credentials,
# with a malformed header, under another user name, with edits of the user name and of the
# password, in a form HTTP makes equal, with hostile and percent-encoded values).
REPLAYED = {
    "410 for an unknown id": ("detail", 410),
    "404 for a key with a space": ("detail", 404),
    "auth is ignored": ("auth", 200),
    "malformed Basic header accepted": ("auth", 200),
    "any user accepted with the right password": ("auth", 200),
    "repeated parameter accepted": ("query-policy", 200),
    "maximum count rejected with 400": ("parameters", 400),
    "500 for NUL in a filter value": ("hostile-strings", 500),
    "password compared on its first 8 characters": ("auth", 200),
    "user name ignoring case": ("auth", 200),
    "key decoded twice": ("detail", 200),
    "name filter normalising (NFKC)": ("filters", 200),
    "password trimmed": ("auth", 200),
    "empty password accepted": ("auth", 200),
    "scheme compared case-sensitively": ("auth", 401),
    "text_id filter trimming control characters": ("filters", 200),
}
STATUS_LINE = re.compile(r"^HTTP/[0-9.]+ (\d{3})", re.MULTILINE)
STATUS_IN_MESSAGE = re.compile(
    r"\b(?:gave|status) (\d{3})\b|\bgot (\d{3}), (?:WWW-Authenticate|where)"
)


def replay(command: str, cwd: Path) -> int:
    """The status a pasted command gets, in a shell that only has AUTH exported."""
    result = subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env={"PATH": os.environ["PATH"], "AUTH": f"{USER}:{PASSWORD}"},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, f"{command}\n{result.stderr}"
    statuses = STATUS_LINE.findall(result.stdout)
    assert statuses, f"no status line from {command}"
    return int(statuses[-1])


@pytest.mark.parametrize("fault", list(REPLAYED))
def test_each_property_finding_replays_with_the_status_it_reports(
    fault: str, tmp_path: Path
) -> None:
    check, expected = REPLAYED[fault]
    app: ASGIApp = LIBRARY[fault].app()
    with serve(app) as base_url:
        probe = Probe(base_url, USER, PASSWORD)
        try:
            found = [
                (f.message, f.reproduce) for f in run_checks(CONTRACT, probe, {check}).findings
            ]
        finally:
            probe.close()
        replayed = [(message, command, replay(command, tmp_path)) for message, command in found]

    assert expected in [status for _, _, status in replayed], replayed
    for message, command, status in replayed:
        assert PASSWORD not in command
        said = STATUS_IN_MESSAGE.search(message)
        if said:
            assert status == int(said.group(1) or said.group(2)), (message, command)


def test_schemathesis_replays_work_as_printed(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with serve(ALL_FAULTS["500 at the maximum count"](reference_app())) as base_url:
        server = Target(base_url, USER, PASSWORD, is_reference=False)
        settings = Settings(max_examples=5, seed=1, reports=tmp_path)
        passed = schemathesis_phase(server, settings, CONTRACT)
        out = capfd.readouterr().out
        commands = [line.strip() for line in out.splitlines() if line.strip().startswith("curl ")]
        statuses = [replay(command, tmp_path) for command in commands]

    assert passed is False
    assert commands, out
    assert "[Filtered]" not in out
    assert "st replay" not in out
    assert statuses == [500] * len(commands)


STATEFUL_SECTION = """\
 ✅  Stateful (in 15.89s)

================================ Stateful tests ================================

Failed to extract data from response:

    1. Test Case ID: sfGPXc

    GET /event-groups -> [200] GetEventGroupById -> GET /event-groups/{event_group_id}

        Could not resolve parameter `event_group_id` via `$response.body#/data/event_groups/0/event_group_id`
        Path `#/data/event_groups/0/event_group_id` not found in response

        [200] curl -X GET -H 'Authorization: [Filtered]' 'http://127.0.0.1:1/event-groups?name=x'

        {"data":{"event_groups":[],"total_items":0}}

=================================== SUMMARY ====================================
"""  # noqa: E501


def test_links_that_found_an_empty_list_are_counted_in_one_line_not_shown_as_failures() -> None:
    out = "".join(filtered(STATEFUL_SECTION.splitlines(keepends=True)))

    assert "Failed to extract" not in out
    assert "1 stateful sequence(s) stopped at a list with no item" in out
    assert out.endswith("=== SUMMARY ====================================\n")


def test_any_other_extraction_failure_keeps_the_whole_section() -> None:
    other = STATEFUL_SECTION.replace("Path `#/data/event_groups/0/event_group_id` not found", "x")

    out = "".join(filtered(other.splitlines(keepends=True)))

    assert "Failed to extract data from response" in out
    assert """curl -si -X GET -u "$AUTH" 'http://127.0.0.1:1/""" in out


def test_schemathesis_hints_name_our_variables() -> None:
    hints = [
        "Check `--url`, and whether the schema describes everything these operations need\n",
        "Ensure valid authentication credentials are set via `--auth` or `-H`\n",
        "The schema declares a base path; try `--url http://h/rest-api`\n",
    ]

    out = "".join(filtered(hints))

    assert "--url" not in out
    assert "--auth" not in out
    assert "`BASE_URL`" in out
    assert "`AUTH` or `AUTH_FILE`" in out
    assert "try `BASE_URL=http://h/rest-api`" in out


@pytest.mark.parametrize(
    ("tested", "skipped", "says"),
    [
        (2, 4, "(4 skipped: the requests schemathesis's ignored_auth check sends"),
        (3, 6, "(6 skipped: the requests schemathesis's ignored_auth check sends"),
        (2, 5, "(5 skipped: answered requests schemathesis ran no check on; 4 of them would be"),
    ],
)
def test_the_skipped_count_says_what_was_skipped_as_far_as_the_tested_operations_tell(
    tested: int, skipped: int, says: str
) -> None:
    summary = [
        "API Operations:\n",
        f"  Selected: {tested}/{tested}\n",
        f"  Tested: {tested}\n",
        "Test cases:\n",
        f"  868 generated, 868 passed, {skipped} skipped\n",
    ]

    out = "".join(filtered(summary))

    assert says in out
    assert out.index(f"{skipped} skipped\n") < out.index(says)
