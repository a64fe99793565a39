"""HAR 1.2 files (what Chromium, Firefox, Playwright, mitmproxy and Postman export), read and
written one entry at a time so that a file larger than memory works both ways. Only what a
traffic check needs is kept of an entry: the request's method, URL and headers, the
response's status, headers and body."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import IO, Any, Final
from urllib.parse import parse_qsl, urlsplit

import httpx
import ijson
import orjson

from contract.errors import SetupError

Headers = tuple[tuple[str, str], ...]
CREATOR: Final = {"name": "event-groups-contract", "version": "1"}


@dataclass(frozen=True)
class Exchange:
    """One request and its response, as a HAR entry records them."""

    index: int  # the entry's position in the file, from 0
    method: str
    url: str
    request_headers: Headers
    status: int
    response_headers: Headers
    body: bytes

    @cached_property
    def path(self) -> str:
        return urlsplit(self.url).path

    @cached_property
    def query(self) -> list[tuple[str, str]]:
        """The query pairs as sent, repeated names and blank values kept."""
        return parse_qsl(urlsplit(self.url).query, keep_blank_values=True)

    def request_header(self, name: str) -> list[str]:
        return [v for k, v in self.request_headers if k.lower() == name.lower()]

    def response_header(self, name: str) -> list[str]:
        return [v for k, v in self.response_headers if k.lower() == name.lower()]

    @property
    def content_type(self) -> str:
        found = self.response_header("content-type")
        return found[0].split(";", 1)[0].strip().lower() if found else ""

    def json(self) -> Any:
        """The response body as JSON (ValueError if it is none)."""
        try:
            return orjson.loads(self.body)
        except orjson.JSONDecodeError:  # also integers beyond 64 bits, which json reads
            return json.loads(self.body)


def _headers(entries: Any) -> Headers:
    if not isinstance(entries, list):
        return ()
    return tuple(
        (str(h.get("name", "")), str(h.get("value", ""))) for h in entries if isinstance(h, dict)
    )


def _body(content: Any) -> bytes:
    if not isinstance(content, dict) or not isinstance(content.get("text"), str):
        return b""
    text: str = content["text"]
    if content.get("encoding") == "base64":
        try:
            return base64.b64decode(text, validate=False)
        except (binascii.Error, ValueError):
            return b""
    return text.encode()


def exchange(index: int, entry: Any) -> Exchange | None:
    """The exchange an entry records; None for an entry without a request or a response
    (a request that got no answer)."""
    request = entry.get("request") if isinstance(entry, dict) else None
    response = entry.get("response") if isinstance(entry, dict) else None
    if not isinstance(request, dict) or not isinstance(response, dict):
        return None
    status = response.get("status")
    if not isinstance(status, int) or status <= 0:
        return None
    return Exchange(
        index=index,
        method=str(request.get("method", "GET")).upper(),
        url=str(request.get("url", "")),
        request_headers=_headers(request.get("headers")),
        status=status,
        response_headers=_headers(response.get("headers")),
        body=_body(response.get("content")),
    )


def read_har(path: Path) -> Iterator[Exchange | None]:
    """Every entry of the HAR file at `path`, in order, parsed one at a time (None for an
    entry that holds no exchange). SetupError if the file cannot be read as HAR."""
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise SetupError(f"HAR: cannot read {path}: {exc.strerror or exc}") from exc
    with stream:
        try:
            for index, entry in enumerate(ijson.items(stream, "log.entries.item", use_float=True)):
                yield exchange(index, entry)
        except ijson.JSONError as exc:
            raise SetupError(f"HAR: {path} is no JSON file of HAR 1.2 ({exc})") from exc


def _named(pairs: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in pairs]


def without_credentials(headers: Headers) -> Headers:
    """`headers` with the credentials of an Authorization header replaced; its scheme stays,
    so a check still sees that credentials were sent."""
    return tuple(
        (name, value.split(" ", 1)[0] + " [redacted]" if name.lower() == "authorization" else value)
        for name, value in headers
    )


def from_httpx(index: int, response: httpx.Response) -> Exchange:
    """The exchange of an httpx response (its body read)."""
    request = response.request
    return Exchange(
        index=index,
        method=request.method,
        url=str(request.url),
        request_headers=tuple(request.headers.multi_items()),
        status=response.status_code,
        response_headers=tuple(response.headers.multi_items()),
        body=response.content,
    )


def entry(item: Exchange, started: str = "1970-01-01T00:00:00.000Z", time_ms: float = 0) -> Any:
    """The HAR entry of an exchange, credentials redacted (see without_credentials); a body
    that is no UTF-8 text is kept in base64."""
    split = urlsplit(item.url)
    try:
        content: dict[str, Any] = {"text": item.body.decode()}
    except UnicodeDecodeError:
        content = {"text": base64.b64encode(item.body).decode(), "encoding": "base64"}
    mime = (item.response_header("content-type") or ["application/octet-stream"])[0]
    return {
        "startedDateTime": started,
        "time": time_ms,
        "request": {
            "method": item.method,
            "url": item.url,
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": _named(without_credentials(item.request_headers)),
            "queryString": _named(parse_qsl(split.query, keep_blank_values=True)),
            "headersSize": -1,
            "bodySize": 0,
        },
        "response": {
            "status": item.status,
            "statusText": "",
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": _named(item.response_headers),
            "content": {"size": len(item.body), "mimeType": mime, **content},
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": len(item.body),
        },
        "cache": {},
        "timings": {"send": 0, "wait": time_ms, "receive": 0},
    }


class HarWriter:
    """Writes a HAR file entry by entry; the file is complete once `close()` ran."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._count = 0
        header = {"version": "1.2", "creator": CREATOR}
        self._stream.write('{"log": ' + json.dumps(header)[:-1] + ', "entries": [\n')

    def add(self, har_entry: Any) -> None:
        text = orjson.dumps(har_entry).decode()
        self._stream.write((",\n" if self._count else "") + text)
        self._count += 1

    def close(self) -> None:
        self._stream.write("\n]}}\n")
        self._stream.flush()


def write_har(path: Path, entries: Iterable[Any]) -> None:
    with path.open("w", encoding="utf-8") as stream:
        writer = HarWriter(stream)
        for har_entry in entries:
            writer.add(har_entry)
        writer.close()
