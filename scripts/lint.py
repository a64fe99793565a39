"""`make lint`: the command line of contract.lint (options, exit codes) and nothing else."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import contract.lint as core
from contract import cli
from contract.errors import LintError, SpecLoadError
from contract.layout import SPEC_ROOT, display_path
from contract.lint import lint


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.lint", description=core.__doc__)
    parser.add_argument("spec", nargs="?", type=Path, default=SPEC_ROOT, help="root spec file")
    args = parser.parse_args(argv)

    def command() -> None:
        try:
            problems = lint(args.spec)
        except SpecLoadError as exc:  # a file that does not parse is a problem of the spec
            raise LintError(str(exc)) from exc
        if problems:
            raise LintError(
                "\n".join(map(str, problems))
                + f"\n{len(problems)} problem(s) in {display_path(args.spec)}"
            )
        print(f"{display_path(args.spec)}: valid OpenAPI 3.1, all house rules pass")

    return cli.run(command)


if __name__ == "__main__":
    sys.exit(main())
