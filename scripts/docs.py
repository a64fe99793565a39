"""`make docs`: the command line of contract.docs (options, exit codes) and nothing else."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import contract.docs as core
from contract import cli
from contract.docs import build_site
from contract.layout import SITE_DIR, display_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.docs", description=core.__doc__)
    parser.add_argument("--output", type=Path, default=SITE_DIR, help="site folder")
    args = parser.parse_args(argv)

    def command() -> None:
        started = time.perf_counter()
        page = build_site(output=args.output)
        seconds = time.perf_counter() - started
        files = ", ".join(
            f"{p.name} ({p.stat().st_size:,} bytes)" for p in sorted(page.parent.iterdir())
        )
        print(f"built {display_path(page.parent)}/ in {seconds:.1f} s: {files}")

    return cli.run(command)


if __name__ == "__main__":
    sys.exit(main())
