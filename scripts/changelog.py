"""`make changelog`: the command line of contract.release's changelog (options, exit codes) and
nothing else."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from contract import cli
from contract.layout import CHANGELOG, display_path
from contract.release import changelog
from scripts.dist import add_release_options


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.changelog",
        description="Prepend the entry of the release the work tree would be to the changelog:"
        " the client version and the API version, each change of the spec since the last release"
        " tag, breaking or compatible, with its JSON pointer and reason, and each change of the"
        " client's Python API. Refuses what `make dist` refuses.",
    )
    add_release_options(parser)
    parser.add_argument("--changelog", type=Path, default=CHANGELOG, help="file to write")
    args = parser.parse_args(argv)

    def command() -> None:
        release, replaced = changelog(args.spec, args.changelog, first_release=args.first_release)
        done = "replaced (its own ### sections kept, the rest rewritten)" if replaced else "written"
        written = f"{display_path(args.changelog)}: entry {release.version} {done}"
        if release.previous is None:
            print(f"{written} (the first release)")
        else:
            print(f"{written}: the changes since {release.previous}")

    return cli.run(command)


if __name__ == "__main__":
    sys.exit(main())
