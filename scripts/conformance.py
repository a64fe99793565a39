"""`make conformance`: the command line of contract.conformance (options, exit codes) and
nothing else."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import contract.conformance as core
from contract import cli
from contract.conformance import TUNABLE, Settings, conformance
from contract.layout import BUNDLED_SPEC
from contract.secret_file import read_secret_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.conformance", description=core.__doc__)
    env = os.environ.get
    parser.add_argument(
        "--base-url",
        default=env("BASE_URL") or None,
        help="server to test, with the API's path prefix (default: start the reference server)",
    )
    parser.add_argument(
        "--auth-file",
        type=Path,
        metavar="PATH",
        default=Path(env("AUTH_FILE", "")) if env("AUTH_FILE") else None,
        help="user:password for --base-url on this file's first line (readable by its owner "
        "only); default: $AUTH_FILE, else $AUTH. Never on the command line, where `ps` shows "
        "it",
    )
    defaults = Settings()
    for name, variable, meaning in TUNABLE:
        default = getattr(defaults, name)
        kind = type(default)  # int, float or a Path
        parser.add_argument(
            "--" + name.replace("_", "-"),
            type=kind,
            default=kind(env(variable) or default),
            help=f"{meaning} (${variable}; default: %(default)s)",
        )
    parser.add_argument(
        "--spec",
        type=Path,
        default=Path(env("SPEC", "")) if env("SPEC") else BUNDLED_SPEC,
        help="bundled spec to test against ($SPEC; default: %(default)s)",
    )
    parser.add_argument(
        "--allow-partial",
        action="store_true",
        default=bool(env("ALLOW_PARTIAL")),
        help="pass even when some rules could not be checked (no data, budget spent)",
    )
    args = parser.parse_args(argv)
    tuned = {name: getattr(args, name) for name, _, _ in TUNABLE}
    settings = Settings(**tuned | {"reports": args.reports.resolve(), "spec": args.spec.resolve()})

    def command() -> int:
        auth = read_secret_file(args.auth_file) if args.auth_file else env("AUTH") or None
        source = "AUTH_FILE" if args.auth_file else "AUTH"
        passed = conformance(args.base_url, auth, settings, args.allow_partial, source)
        return cli.OK if passed else cli.FINDINGS

    return cli.run(command)


if __name__ == "__main__":
    sys.exit(main())
