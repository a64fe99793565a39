"""`make check-traffic`: the command line of contract.conformance.traffic (options, exit
codes) and nothing else."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import contract.conformance.traffic as core
from contract import cli
from contract.layout import BUNDLED_SPEC, REPO_ROOT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.check_traffic", description=core.__doc__
    )
    env = os.environ.get
    parser.add_argument(
        "har", type=Path, nargs="?", default=env("HAR"), help="the HAR file to judge ($HAR)"
    )
    parser.add_argument(
        "--base-url",
        default=env("BASE_URL") or None,
        help="URL the traffic went to, with the API's path prefix (default: the spec's server)",
    )
    parser.add_argument("--spec", type=Path, default=BUNDLED_SPEC, help="bundled spec")
    parser.add_argument(
        "--reports", type=Path, default=Path(env("REPORTS") or REPO_ROOT / "reports"),
        help="folder of the JUnit report ($REPORTS; default: %(default)s)",
    )  # fmt: skip
    parser.add_argument(
        "--min-coverage", default=env("MIN_COVERAGE") or "",
        help="fail when the traffic's coverage map is below it: 90, or paging=100,statuses=90 "
        "($MIN_COVERAGE)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.har is None:
        parser.error("name the HAR file: make check-traffic HAR=path/to/file.har")

    def command() -> int:
        passed = core.check_traffic(
            args.har, args.spec.resolve(), args.base_url, args.reports, args.min_coverage
        )
        return cli.OK if passed else cli.FINDINGS

    return cli.run(command)


if __name__ == "__main__":
    sys.exit(main())
