"""A raw HTTP server on 127.0.0.1 that answers each connection as a script says: a status
with headers and a body, a delay, or a reset connection. For the client's retry and timeout
tests, where a well-behaved server cannot misbehave on cue."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0  # seconds before answering
    reset: bool = False  # close the connection with a TCP reset instead


@dataclass
class ScriptedServer:
    """Answers the n-th request with script[n]; the last answer repeats."""

    script: list[Answer]
    requests: list[dict[str, str]] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    port: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def answer(self, connection: socket.socket) -> None:
        with connection:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = connection.recv(65536)
                if not chunk:
                    return
                data += chunk
            head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
            headers = dict(line.split(": ", 1) for line in head[1:] if ": " in line)
            self.requests.append({"request-line": head[0], **headers})
            self.times.append(time.monotonic())
            answer = self.script[min(len(self.requests), len(self.script)) - 1]
            time.sleep(answer.delay)
            if answer.reset:
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            lines = [f"HTTP/1.1 {answer.status} Scripted", f"Content-Length: {len(answer.body)}",
                     "Content-Type: application/json", "Connection: close",
                     *(f"{k}: {v}" for k, v in answer.headers)]  # fmt: skip
            with contextlib.suppress(OSError):  # the client may have given up waiting
                connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + answer.body)


@contextmanager
def scripted_server(*script: Answer) -> Iterator[ScriptedServer]:
    server = ScriptedServer(list(script))
    listener = socket.create_server(("127.0.0.1", 0))
    server.port = listener.getsockname()[1]
    stopping = threading.Event()

    def serve() -> None:
        listener.settimeout(0.1)
        while not stopping.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=server.answer, args=(connection,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        stopping.set()
        thread.join(5)
        listener.close()
