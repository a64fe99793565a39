"""`make proxy TARGET=url`: a validating reverse proxy on loopback. It forwards every request
to the target unchanged and judges each exchange as it passes, with the rules of `make
check-traffic` (one judge, shared with the property checks). A response that breaks the
contract goes on with an `X-Contract-Violations` header naming the broken checks, and each
finding is logged; with `strict`, it is answered with 502 and the spec's error body instead.
When the proxy stops, it writes the session as a HAR file (credentials redacted) and prints
the verdicts by assumption, as `make check-traffic` would on that file."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Final
from urllib.parse import urlsplit

import aiohttp
import httpx
import orjson
from starlette.types import Message, Receive, Scope, Send
from yarl import URL

from contract.conformance._findings import Finding
from contract.conformance._har import Exchange, HarWriter, entry
from contract.conformance._traffic import TrafficJudge
from contract.conformance._verdicts import summary
from contract.errors import SetupError

VIOLATIONS_HEADER: Final = "x-contract-violations"
# Hop-by-hop headers (RFC 9110 7.6.1), and those the forwarding client sets itself or undoes
# (it decodes gzip, so the judge reads the body the client meant).
NOT_FORWARDED: Final = frozenset(
    {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
     "upgrade", "host", "content-length", "accept-encoding", "content-encoding"}
)  # fmt: skip


def target_url(target: str) -> str:
    """`target` checked: an http(s) URL without credentials (SetupError naming TARGET)."""
    split = urlsplit(target)
    if split.scheme not in ("http", "https") or not split.netloc:
        raise SetupError(
            f"TARGET must be an http(s) URL such as http://127.0.0.1:8080/..., not {target!r}"
        )
    if "@" in split.netloc:
        raise SetupError("TARGET carries credentials (user:password@): clients send their own")
    return target.rstrip("/")


def error_body(status: int, title: str, detail: str) -> bytes:
    """A body of the spec's Error schema (status, title, detail)."""
    return orjson.dumps({"status": status, "title": title, "detail": detail})


@dataclass
class ValidatingProxy:
    """The proxy as an ASGI app; `close()` ends the session (the HAR, the verdicts)."""

    target: str  # origin and path prefix the spec's server path maps to
    judge: TrafficJudge
    har: IO[str] | None = None
    strict: bool = False
    log: Callable[[str], None] = field(default=lambda line: print(line, flush=True))
    har_name: str = ""  # where the HAR goes, for the last line
    exchanges: int = 0
    _writer: HarWriter | None = field(default=None, init=False)
    _session: aiohttp.ClientSession | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.target = target_url(self.target)
        if self.har is not None:
            self._writer = HarWriter(self.har)

    def forwarded_url(self, path: str, query: str) -> str:
        """Where a request goes: the spec's server path is replaced by the target's."""
        prefix = self.judge.prefix
        local = path[len(prefix) :] if path == prefix or path.startswith(prefix + "/") else path
        return self.target + local + (f"?{query}" if query else "")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        await self.exchange(scope, body, send)

    async def lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def exchange(self, scope: Scope, body: bytes, send: Send) -> None:
        started = datetime.now(UTC)
        clock = time.perf_counter()
        query = scope["query_string"].decode("latin-1")
        path = scope.get("raw_path", b"").decode("latin-1") or scope["path"]
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        forwarded = [(k, v) for k, v in headers if k.lower() not in NOT_FORWARDED]
        try:
            status, received, content = await self.forward(scope["method"], path, query,
                                                            forwarded, body)  # fmt: skip
        except (aiohttp.ClientError, TimeoutError) as exc:
            detail = f"the proxy could not reach TARGET {self.target}: {type(exc).__name__}"
            self.log(f"error: {detail}")
            await self.answer(send, 502, [("content-type", "application/json")],
                              error_body(502, "Bad Gateway", detail))  # fmt: skip
            return
        host = dict((k.lower(), v) for k, v in headers).get("host", "127.0.0.1")
        url = f"http://{host}{path}" + (f"?{query}" if query else "")
        kept = [(k, v) for k, v in received if k.lower() not in NOT_FORWARDED]
        exchange = Exchange(
            self.exchanges, scope["method"], url, tuple(headers), status, tuple(kept), content
        )
        self.exchanges += 1
        found = self.judged(exchange)
        elapsed = round((time.perf_counter() - clock) * 1000, 3)
        if found and self.strict:
            detail = "The response broke the contract: " + "; ".join(
                f"[{f.check}] {f.message}" for f in found
            )
            await self.answer(send, 502, [("content-type", "application/json")],
                              error_body(502, "Contract violation", detail))  # fmt: skip
        else:
            if found:
                kept.append((VIOLATIONS_HEADER, "; ".join(dict.fromkeys(f.check for f in found))))
            await self.answer(send, status, kept, content)
        if self._writer is not None:  # once the client has its answer: no wait for the disk
            self._writer.add(entry(exchange, started.isoformat(timespec="milliseconds"), elapsed))

    async def forward(
        self, method: str, path: str, query: str, headers: list[tuple[str, str]], body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        """The target's status, headers and (decoded) body for the request. aiohttp, not
        httpx: its C parser halves the time a request spends in the proxy. The URL goes out
        as received (`encoded=True`), percent-escapes and all, and no header is added."""
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=30.0),
                skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding", "Content-Type"),
            )
        url = URL(self.forwarded_url(path, query), encoded=True)
        async with self._session.request(
            method, url, headers=headers, data=body or None, allow_redirects=False
        ) as response:
            content = await response.read()
            received = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.raw_headers]
            return response.status, received, content

    def judged(self, exchange: Exchange) -> list[Finding]:
        """The findings this exchange adds, logged."""
        self.judge.judge(exchange)
        found = self.judge.latest
        for finding in found:
            self.log(f"VIOLATION {finding}")
        return found

    @staticmethod
    async def answer(send: Send, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]
        raw.append((b"content-length", str(len(body)).encode()))
        start: Message = {"type": "http.response.start", "status": status, "headers": raw}
        await send(start)
        await send({"type": "http.response.body", "body": body})

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
        self.close()

    def close(self) -> None:
        """End the session: judge what only the whole traffic shows, finish the HAR, print
        the verdicts. This runs as the server shuts down: uvicorn ends the process with the
        signal that stopped it right after."""
        if self._writer is None:
            return
        self._writer.close()
        self._writer = None
        self.judge.latest = []
        self.judge.finish()
        for finding in self.judge.latest:
            self.log(f"VIOLATION {finding}")
        for line in self.report():
            self.log(line)
        if self.har_name:
            self.log(f"HAR: {self.har_name}")

    def report(self) -> list[str]:
        """The verdicts by assumption of the session, as lines."""
        findings, _ = self.judge.result()
        return [
            f"Proxied {self.exchanges} exchanges, {len(findings)} violation(s)",
            *summary(self.judge.verdicts(), findings),
        ]


def reachable(target: str) -> None:
    """SetupError naming TARGET when nothing answers HTTP there (any status will do)."""
    try:
        httpx.get(target, timeout=3.0)
    except httpx.HTTPError as exc:
        raise SetupError(
            f"TARGET: cannot reach {target}: {exc or type(exc).__name__}; is the server running?"
        ) from exc


def serve_proxy(proxy: ValidatingProxy, port: int) -> None:
    """Run `proxy` on 127.0.0.1:`port` until interrupted (its report is printed as it
    closes)."""
    import uvicorn  # the server is only needed here

    reachable(proxy.target)
    config = uvicorn.Config(proxy, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    proxy.log(f"Validating proxy on http://127.0.0.1:{port}{proxy.judge.prefix} -> {proxy.target}"
              f"{' (strict)' if proxy.strict else ''}; stop it with Ctrl-C or SIGTERM")  # fmt: skip
    server.run()
