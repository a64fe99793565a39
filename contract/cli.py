"""What every command (scripts/) does with its outcome, in one place: print a clear message
instead of a traceback and exit with a code CI can act on.

- 0: ok.
- 1: findings: what the command looks for is there (lint problems, stale output, a breaking
  change, a conformance failure).
- 2: usage or tool error: bad arguments (argparse exits 2 itself), an unreadable spec, file
  or git reference, a tool that is missing or failed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from contract.errors import ContractError, FindingsError

OK, FINDINGS, USAGE_OR_TOOL = 0, 1, 2


def run(command: Callable[[], int | None]) -> int:
    """Call `command` (argv already parsed) and turn its outcome into an exit code: what it
    returns (None is OK), FINDINGS for a FindingsError, USAGE_OR_TOOL for another
    ContractError. Anything else is a bug and keeps its traceback."""
    try:
        code = command()
    except FindingsError as exc:
        print(f"{exc.prefix}{exc}", file=sys.stderr)
        return FINDINGS
    except ContractError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USAGE_OR_TOOL
    return OK if code is None else code
