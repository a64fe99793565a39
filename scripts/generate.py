"""`make generate`: the command line of contract.generate (options, exit codes) and nothing else."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import contract.generate as core
from contract import _cli as cli
from contract.generate import check, generate
from contract.layout import GENERATED_DIR, README, SPEC_ROOT, display_path
from contract.spec import assumptions
from contract.spec.source import read_yaml


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
            # The README documents the contract, not a spec generated elsewhere (a fixture).
            table = assumptions.render_table(read_yaml(args.output / "openapi.yaml"))
            text = README.read_text("utf-8")
            README.write_text(assumptions.replace_block(text, table, README), "utf-8")
        print(f"generated {display_path(args.output)}/ from {display_path(args.spec)}")

    return cli.run(command)


if __name__ == "__main__":
    sys.exit(main())
