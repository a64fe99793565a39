"""The reference servers that several areas load: one serving the spec's documented groups,
one serving N synthetic groups from an SQLite file. Each starts on first use, the way a user
starts it (`python -m reference_server`), and stops when the run ends; the synthetic one is
seeded once and serves every scenario of every area."""

from __future__ import annotations

import time
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType

from contract.conformance.live_server import LiveServer, start_live_server


class Servers:
    def __init__(self, workdir: Path, groups: int) -> None:
        self.workdir = workdir
        self.groups = groups
        self.seed_seconds: float | None = None  # startup of the synthetic server, seeding included
        self._stack = ExitStack()
        self._documented: LiveServer | None = None
        self._synthetic: LiveServer | None = None
        self.database = workdir / f"synthetic-{groups}.sqlite"

    def __enter__(self) -> Servers:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stack.close()

    def documented(self) -> LiveServer:
        """The server's default data: the four groups of the spec's list example."""
        if self._documented is None:
            self._documented = self._stack.enter_context(start_live_server(self.workdir))
        return self._documented

    def synthetic(self) -> LiveServer:
        """`groups` synthetic groups in an SQLite file, written while the server starts."""
        if self._synthetic is None:
            start = time.perf_counter()
            self._synthetic = self._stack.enter_context(
                start_live_server(
                    self.workdir, "--synthetic", str(self.groups), "--db", str(self.database)
                )
            )
            self.seed_seconds = time.perf_counter() - start
        return self._synthetic
