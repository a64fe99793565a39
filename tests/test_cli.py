"""Every command of scripts/ ends the same way (contract/cli.py): 0 when all is well, 1 when
it found what it looks for, 2 when it could not do its job, each with a message and no
traceback; anything else is a bug and keeps its traceback."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from contract import cli
from contract.errors import (
    BreakingChangeError,
    LintError,
    SpecLoadError,
    StaleOutputError,
    ToolError,
    UsageError,
)


def raising(error: Exception) -> Callable[[], None]:
    def command() -> None:
        raise error

    return command


@pytest.mark.parametrize(
    ("error", "code", "printed"),
    [
        (LintError("a.yaml:3 #/x [rule] message"), 1, "a.yaml:3 #/x [rule] message\n"),
        (StaleOutputError("generated/ is stale"), 1, "error: generated/ is stale\n"),
        (BreakingChangeError("1 breaking"), 1, "error: 1 breaking\n"),
        (SpecLoadError("a.yaml: not YAML"), 2, "error: a.yaml: not YAML\n"),
        (ToolError("node is missing"), 2, "error: node is missing\n"),
        (UsageError("auth: open to others"), 2, "error: auth: open to others\n"),
    ],
)
def test_findings_exit_1_and_what_could_not_be_done_exits_2_with_its_message(
    error: Exception, code: int, printed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.run(raising(error)) == code
    assert capsys.readouterr().err == printed


def test_a_command_that_returns_nothing_exits_0_and_its_own_code_is_kept() -> None:
    assert cli.run(lambda: None) == cli.OK
    assert cli.run(lambda: cli.FINDINGS) == 1


def test_a_bug_keeps_its_traceback() -> None:
    with pytest.raises(ZeroDivisionError):
        cli.run(lambda: 1 // 0)
