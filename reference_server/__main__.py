"""`python -m reference_server`: serve the contract with uvicorn. Prints the base URL (with the
spec's path prefix) and the credentials first, so a client or harness can be pointed at it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import uvicorn

from reference_server.app import create_app
from reference_server.auth import DEFAULT_PASSWORD, DEFAULT_USER, Credentials
from reference_server.data import documented_groups, load_groups, synthetic_groups
from reference_server.errors import DataError, SetupError
from reference_server.spec_rules import SpecRules, load_rules
from reference_server.store import EventGroupStore

LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")


def port_number(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a TCP port (0 to 65535)")
    return value


def group_count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m reference_server",
        description="Reference server of the event groups contract.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=port_number, default=8080, help="TCP port")
    parser.add_argument("--user", default=DEFAULT_USER, help="HTTP Basic user name")
    parser.add_argument("--password", default=DEFAULT_PASSWORD, help="HTTP Basic password")
    parser.add_argument(
        "--db",
        type=Path,
        help="SQLite file to keep the groups in (created when missing; one that already "
        "holds groups is served as it is). Default: in memory",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--load", type=Path, metavar="FILE", help="serve the groups of this JSON list"
    )
    source.add_argument(
        "--synthetic",
        type=group_count,
        metavar="N",
        help="serve N generated groups (deterministic, see --seed)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of --synthetic (default 0)")
    parser.add_argument("--log-level", choices=LOG_LEVELS, default="info")
    return parser


def open_store(args: argparse.Namespace, rules: SpecRules) -> tuple[EventGroupStore, str]:
    """The store to serve and a line saying what it holds."""
    store = EventGroupStore.open(args.db)
    held = store.count()
    chosen = args.load is not None or args.synthetic is not None
    if held and chosen:
        store.close()
        raise DataError(
            f"{args.db} already holds {held} event groups; "
            "leave out --load/--synthetic to serve them, or use another file"
        )
    if held:
        return store, f"{held} event groups from {store.where}"
    try:
        if args.load is not None:
            origin = str(args.load)
            added = store.add_all(load_groups(args.load))
        elif args.synthetic is not None:
            origin = f"synthetic, seed {args.seed}"
            added = store.add_all(synthetic_groups(args.synthetic, args.seed))
        else:
            origin = "the spec's documented example"
            added = store.add_all(documented_groups(rules))
    except SetupError:
        store.close()
        raise
    place = "memory" if args.db is None else str(args.db)
    return store, f"{added} event groups ({origin}) in {place}"


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        rules = load_rules()
        credentials = Credentials(args.user, args.password)
        store, holdings = open_store(args, rules)
        app = create_app(credentials, store, rules)
    except SetupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{rules.title} {rules.version}: reference server")
    print(f"  base URL:    http://{url_host(args.host)}:{args.port}{rules.prefix}")
    print(f"  credentials: {credentials.user} / {credentials.password} (HTTP Basic)")
    print(f"  data:        {holdings}", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0


if __name__ == "__main__":
    sys.exit(main())
