"""`make dist`: the command line of contract.release's build (options, exit codes), nothing else."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import contract.release as core
from contract import cli
from contract.layout import DIST_DIR, GENERATED_DIR, SPEC_ROOT, display_path
from contract.release import dist


def add_release_options(parser: argparse.ArgumentParser) -> None:
    """The options `make dist` and `make changelog` share: which spec, and whether a missing
    release tag is right."""
    parser.add_argument("--spec", type=Path, default=SPEC_ROOT, help="root spec file")
    parser.add_argument(
        "--first-release",
        action="store_true",
        help="there is no earlier release tag, and that is right: nothing to compare with",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.dist", description=core.__doc__)
    add_release_options(parser)
    parser.add_argument("--output", type=Path, default=DIST_DIR, help="folder of the release files")
    parser.add_argument(
        "--allow-dirty",
        action="store_true",
        help="build a draft from uncommitted changes (stamped with the last commit's time)",
    )
    args = parser.parse_args(argv)

    def command() -> None:
        release, files = dist(
            args.spec,
            GENERATED_DIR,
            args.output,
            first_release=args.first_release,
            allow_dirty=args.allow_dirty,
        )
        since = f"since {release.previous}" if release.previous else "first release"
        print(
            f"release {release.version} of the client, for API {release.api_version} ({since}),"
            f" in {display_path(args.output)}/:"
        )
        for path in files:
            print(f"  {path.name} ({path.stat().st_size:,} bytes)")

    return cli.run(command)


if __name__ == "__main__":
    sys.exit(main())
