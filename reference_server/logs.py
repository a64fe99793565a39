"""Where the reference server logs: uvicorn's own lines (start, stop, errors) on the terminal,
and one line a request only where `--access-log` says (a file, or `-` for the terminal). A
server started with `&` in the shell a user works in must not print between the lines of the
commands they run next: `make conformance` alone sends some thousand requests, and a few of
them on purpose malformed, which uvicorn reports one by one as "Invalid HTTP request
received". Those reports are request lines too, and go where the access log goes."""

from __future__ import annotations

import copy
import logging
from typing import Any

import uvicorn.config

TERMINAL = "-"
MALFORMED = "Invalid HTTP request received"


class MalformedRequests(logging.Filter):
    """Passes uvicorn's reports of malformed requests only (`keep=True`), or all but them."""

    def __init__(self, keep: bool = False) -> None:
        super().__init__()
        self.keep = keep

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage().startswith(MALFORMED) == self.keep


def log_config(access_log: str | None) -> dict[str, Any]:
    """uvicorn's logging configuration, with the request lines sent to `access_log` (a path,
    TERMINAL, or None for nowhere)."""
    config: dict[str, Any] = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    name = f"{__name__}.{MalformedRequests.__name__}"
    config["filters"] = {
        "not_malformed": {"()": name, "keep": False},
        "malformed": {"()": name, "keep": True},
    }
    if access_log == TERMINAL:
        return config
    config["handlers"]["default"]["filters"] = ["not_malformed"]
    if access_log is None:
        return config
    target = {"class": "logging.FileHandler", "filename": access_log, "encoding": "utf-8"}
    config["handlers"]["access"] = {**target, "formatter": "access"}
    config["handlers"]["malformed"] = {**target, "formatter": "default", "filters": ["malformed"]}
    config["loggers"]["uvicorn.error"]["handlers"] = ["default", "malformed"]
    config["loggers"]["uvicorn.error"]["propagate"] = False
    return config


def describe(access_log: str | None) -> str:
    """What the banner says of the access log."""
    if access_log is None:
        return "off (--access-log FILE, or --access-log - for this terminal)"
    return "this terminal" if access_log == TERMINAL else access_log
