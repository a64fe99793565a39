"""`make breaking`: the command line of contract.breaking (options, exit codes) and nothing else."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import contract.breaking as core
from contract import cli
from contract.breaking import check, summary
from contract.errors import BreakingChangeError
from contract.layout import SPEC_ROOT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.breaking", description=core.__doc__)
    parser.add_argument(
        "--base", help="git reference of the released spec (default: latest release tag, else main)"
    )
    parser.add_argument(
        "--spec", type=Path, default=SPEC_ROOT, help="root spec file in the work tree"
    )
    args = parser.parse_args(argv)

    def command() -> None:
        ref, report = check(args.spec, args.base)
        for change in report.changes:
            print(change)
        if not report.accepted:
            raise BreakingChangeError(summary(ref, report, args.spec))
        print(summary(ref, report, args.spec))

    return cli.run(command)


if __name__ == "__main__":
    sys.exit(main())
