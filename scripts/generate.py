"""`make generate`: the command line of contract.generate (options, exit codes) and nothing else."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import contract.generate as core
from contract import cli
from contract.generate import check, generate, refresh_doc_tables
from contract.layout import GENERATED_DIR, SPEC_ROOT, display_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.generate", description=core.__doc__)
    parser.add_argument("--spec", type=Path, default=SPEC_ROOT, help="root spec file")
    parser.add_argument("--output", type=Path, default=GENERATED_DIR, help="output folder")
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)

    def command() -> None:
        if args.check:
            check(args.spec, args.output)
            print(f"{display_path(args.output)} is up to date with {display_path(args.spec)}")
            return
        generate(args.spec, args.output)
        if args.output.resolve() == GENERATED_DIR:
            refresh_doc_tables(args.output)
        print(f"generated {display_path(args.output)}/ from {display_path(args.spec)}")

    return cli.run(command)


if __name__ == "__main__":
    sys.exit(main())
