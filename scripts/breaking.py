"""`make breaking`: the command line of contract.breaking (options, exit codes) and nothing else."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import contract.breaking as core
from contract import cli
from contract.breaking import FORMATS, check, check_files, render, summary
from contract.errors import BreakingChangeError, UsageError
from contract.layout import SPEC_ROOT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.breaking", description=core.__doc__)
    parser.add_argument(
        "--base", help="git reference of the released spec (default: latest release tag, else main)"
    )
    parser.add_argument(
        "--spec", type=Path, default=SPEC_ROOT, help="root spec file in the work tree"
    )
    parser.add_argument(
        "--old", type=Path, help="compare two files instead: the spec clients were built from"
    )
    parser.add_argument("--new", type=Path, help="and the spec to check against it")
    parser.add_argument(
        "--format", choices=FORMATS, default="text", help="how to write the report (FORMAT)"
    )
    parser.add_argument(
        "--output", type=Path, help="write the report to this file instead of stdout (OUTPUT)"
    )
    args = parser.parse_args(argv)
    if (args.old is None) != (args.new is None):
        parser.error("--old and --new (OLD and NEW) go together")
    if args.old is not None and args.base is not None:
        parser.error("compare two files (--old, --new) or a git reference (--base), not both")

    def command() -> None:
        if args.old is not None:
            ref, spec, report = str(args.old), args.new, check_files(args.old, args.new)
        else:
            spec = args.spec
            ref, report = check(args.spec, args.base, lint_head=True)
        closing = summary(ref, report, spec)
        document = render(report, args.format, closing)
        if args.output is not None:
            try:  # a report into build/ of a fresh clone, where no build/ is yet
                args.output.parent.mkdir(parents=True, exist_ok=True)
                args.output.write_text(document, "utf-8")
            except OSError as exc:
                raise UsageError(f"OUTPUT={args.output}: cannot write the report ({exc})") from exc
        else:
            print(document, end="")
        if not report.lands:
            raise BreakingChangeError(closing)
        # the text report ends with its summary; the others keep stdout for the document
        print(
            closing,
            file=sys.stdout if args.format == "text" and args.output is None else sys.stderr,
        )

    return cli.run(command)


if __name__ == "__main__":
    sys.exit(main())
