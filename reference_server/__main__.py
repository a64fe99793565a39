"""`python -m reference_server`: serve the contract with uvicorn. Prints the base URL (with the
spec's path prefix), the user name and where the password is first, so a client or harness can
be pointed at it.

The password never travels on the command line (other users can read it in `ps`) and is never
printed: it comes from $API_PASSWORD or from the first line of --password-file (refused when
the group or others may access it, as ssh does with a private key). Without one, a random
password is written to a new file only its owner can read (--password-file when that file does
not exist yet, else a temporary file), and the banner names that file. Not even on a terminal
is a generated password printed: scrollback, terminal logs and screen sharing would keep it."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from contract.errors import ContractError
from contract.layout import BUNDLED_SPEC, display_path
from contract.secret_file import read_secret_file, write_secret_file
from reference_server import logs
from reference_server.app import create_app
from reference_server.auth import DEFAULT_USER, Credentials, check_user_name
from reference_server.data import Item, documented_items, load_items, synthetic_items
from reference_server.errors import DataError, SetupError
from reference_server.spec_rules import SpecRules, load_rules
from reference_server.store import Store
from reference_server.tables import noun

LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")
USER_VARIABLE = "API_USER"
PASSWORD_VARIABLE = "API_PASSWORD"
# How the parent of --workers tells each worker process what to serve.
SPEC_VARIABLE = "REFERENCE_SERVER_SPEC"
DB_VARIABLE = "REFERENCE_SERVER_DB"


def port_number(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a TCP port (0 to 65535)")
    return value


def item_count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative")
    return value


def worker_count(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a number of processes (1 or more)")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m reference_server",
        description="Reference server of the contract: serves every list resource the spec "
        "declares, and the detail operation each list links to.",
    )
    parser.add_argument(
        "--spec",
        type=Path,
        default=BUNDLED_SPEC,
        help=f"bundled spec to serve (default: {display_path(BUNDLED_SPEC)})",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=port_number, default=8080, help="TCP port")
    parser.add_argument(
        "--user",
        default=os.environ.get(USER_VARIABLE) or DEFAULT_USER,
        help=f"HTTP Basic user name (default: ${USER_VARIABLE}, else {DEFAULT_USER})",
    )
    parser.add_argument(
        "--password-file",
        type=Path,
        metavar="PATH",
        help=f"the HTTP Basic password is this file's first line; the file must be readable by "
        f"its owner only. Without it: ${PASSWORD_VARIABLE}. Without either, or when PATH does "
        "not exist, a random password is written to a new 0600 file (PATH, else a temporary "
        "file) and only that file's path is printed",
    )
    parser.add_argument(
        "--db",
        type=Path,
        help="SQLite file to keep the items in (created when missing; one that already "
        "holds items is served as it is). Default: in memory",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--load",
        type=Path,
        metavar="FILE",
        help="serve the items of this JSON file: a list of items (a spec with one resource) "
        "or an object {resource name: [items]}",
    )
    source.add_argument(
        "--synthetic",
        type=item_count,
        metavar="N",
        help="serve N generated items per resource (deterministic, see --seed)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of --synthetic (default 0)")
    parser.add_argument(
        "--workers",
        type=worker_count,
        default=1,
        metavar="N",
        help="serve from N processes (default 1); above 1 needs --db, the file they share",
    )
    parser.add_argument("--log-level", choices=LOG_LEVELS, default="info")
    parser.add_argument(
        "--access-log",
        metavar="FILE",
        help="write a line for each request (and each malformed one) to FILE, or to this"
        " terminal with -; off by default, so a server in the background stays quiet",
    )
    return parser


def summary(totals: dict[str, int]) -> str:
    return ", ".join(f"{total} {noun(name)}s" for name, total in totals.items())


def chosen_items(
    args: argparse.Namespace, rules: SpecRules
) -> tuple[Mapping[str, Iterable[Item]], str]:
    """The items to serve by resource name, and where they come from."""
    if args.load is not None:
        return load_items(args.load, rules.resources), str(args.load)
    if args.synthetic is not None:
        items = {r.name: synthetic_items(r, args.synthetic, args.seed) for r in rules.resources}
        return items, f"synthetic, seed {args.seed}"
    return {r.name: documented_items(rules, r) for r in rules.resources}, "documented examples"


def open_store(args: argparse.Namespace, rules: SpecRules) -> tuple[Store, str]:
    """The store to serve and a line saying what it holds."""
    store = Store.open(rules.resources, args.db)
    held = {resource.name: store.total(resource.name) for resource in rules.resources}
    chosen = args.load is not None or args.synthetic is not None
    if any(held.values()) and chosen:
        store.close()
        raise DataError(
            f"{args.db} already holds {summary(held)}; "
            "leave out --load/--synthetic to serve them, or use another file"
        )
    if any(held.values()):
        return store, f"{summary(held)} from {store.where}"
    try:
        items, origin = chosen_items(args, rules)
        added = {name: store.add_all(name, found) for name, found in items.items()}
    except SetupError:
        store.close()
        raise
    place = "memory" if args.db is None else str(args.db)
    return store, f"{summary(added)} ({origin}) in {place}"


def chosen_password(password_file: Path | None) -> tuple[str, str]:
    """The password and where it came from, for the banner. An explicit --password-file comes
    before $API_PASSWORD, as a command-line option comes before the environment."""
    if password_file is not None and password_file.exists():
        return read_secret_file(password_file), f"from {password_file}"
    if password_file is None and os.environ.get(PASSWORD_VARIABLE):
        return os.environ[PASSWORD_VARIABLE], f"from ${PASSWORD_VARIABLE}"
    password = secrets.token_urlsafe(18)
    return password, f"generated, in {write_secret_file(password, password_file)}"


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.workers > 1 and args.db is None:
        parser.error("--workers above 1 needs --db: the processes share the items through it")
    try:
        rules = load_rules(args.spec.resolve())
        check_user_name(args.user)  # before a password file is written for nothing
        password, origin = chosen_password(args.password_file)
        credentials = Credentials(args.user, password)
        store, holdings = open_store(args, rules)
        app = create_app(credentials, store, rules)
    except (SetupError, ContractError) as exc:  # 2, as for the contract's commands
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{rules.title} {rules.version}: reference server")
    print(f"  base URL:    http://{url_host(args.host)}:{args.port}{rules.prefix}")
    print(f"  user:        {credentials.user} (HTTP Basic)")
    print(f"  password:    {origin}")
    print(f"  data:        {holdings}")
    print(f"  access log:  {logs.describe(args.access_log)}")
    log_options = {
        "log_level": args.log_level,
        "access_log": args.access_log is not None,
        "log_config": logs.log_config(args.access_log),
    }
    if args.workers == 1:
        print("  processes:   1", flush=True)
        uvicorn.run(app, host=args.host, port=args.port, **log_options)
        return 0
    store.close()
    print(f"  processes:   {args.workers}, sharing {args.db}", flush=True)
    # Each worker process opens the file itself; what it needs goes through its environment,
    # which, unlike the command line, other users cannot read.
    os.environ.update(
        {
            SPEC_VARIABLE: str(args.spec.resolve()),
            DB_VARIABLE: str(args.db.resolve()),
            USER_VARIABLE: credentials.user,
            PASSWORD_VARIABLE: password,
        }
    )
    uvicorn.run(
        "reference_server.__main__:worker_app",
        factory=True,
        workers=args.workers,
        host=args.host,
        port=args.port,
        **log_options,
    )
    return 0


def worker_app() -> Starlette:
    """The app of one worker process of `--workers`: the spec and the SQLite file the parent
    prepared, and its credentials, read from the environment the parent set."""
    rules = load_rules(Path(os.environ[SPEC_VARIABLE]))
    store = Store.open(rules.resources, Path(os.environ[DB_VARIABLE]))
    credentials = Credentials(os.environ[USER_VARIABLE], os.environ[PASSWORD_VARIABLE])
    return create_app(credentials, store, rules)


if __name__ == "__main__":
    sys.exit(main())
