"""`make proxy`: the command line of contract.conformance.proxy (options, exit codes) and
nothing else."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import contract.conformance.proxy as core
from contract import cli
from contract.conformance import load_contract
from contract.conformance.traffic import TrafficJudge
from contract.layout import BUNDLED_SPEC, REPO_ROOT

DEFAULT_PORT = 8081


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.proxy", description=core.__doc__)
    env = os.environ.get
    parser.add_argument(
        "--target", default=env("TARGET"), help="the server to forward to, e.g. "
        "http://127.0.0.1:8080/rest-api/customer-interface/v1.0 ($TARGET)",
    )  # fmt: skip
    parser.add_argument(
        "--port", type=int, default=int(env("PROXY_PORT") or DEFAULT_PORT),
        help="loopback port to listen on ($PROXY_PORT; default: %(default)s)",
    )  # fmt: skip
    parser.add_argument(
        "--har", type=Path, default=Path(env("HAR") or REPO_ROOT / "reports" / "proxy.har"),
        help="where the session's HAR goes when the proxy stops ($HAR; default: %(default)s)",
    )  # fmt: skip
    parser.add_argument(
        "--strict", action="store_true", default=bool(env("STRICT")),
        help="answer a response that breaks the contract with 502 ($STRICT)",
    )  # fmt: skip
    parser.add_argument("--spec", type=Path, default=BUNDLED_SPEC, help="bundled spec")
    args = parser.parse_args(argv)
    if not args.target:
        parser.error("name the server to forward to: make proxy TARGET=http://host:port/prefix")

    def command() -> int:
        args.har.parent.mkdir(parents=True, exist_ok=True)
        with args.har.open("w", encoding="utf-8") as har:
            proxy = core.ValidatingProxy(args.target, TrafficJudge(load_contract(args.spec)), har,
                                         args.strict, har_name=str(args.har))  # fmt: skip
            core.serve_proxy(proxy, args.port)
        return cli.OK

    return cli.run(command)


if __name__ == "__main__":
    sys.exit(main())
