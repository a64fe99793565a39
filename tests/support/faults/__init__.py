"""Deliberately faulty variants of the reference server, to prove that the conformance harness
reports each kind of fault and charges it to the assumptions it breaks, and correct variants
it must pass. Each fault is a small ASGI wrapper (`Fault`) around a correct server that
rewrites the request or the response, or answers from that server's own data the way a faulty
implementation would; `serve()` runs an app under uvicorn in a thread on a free loopback port.

_asgi: the primitives; _apps: the correct servers; _broken, _declared, _policy, _lenient,
_strict, _relations, _timing: the fault families; _library: all of them as one table, with
what a run must report and the assumptions each breaks; _variants: the allowed variants."""

from __future__ import annotations

from tests.support.faults._apps import PASSWORD, USER, empty_app, reference_app
from tests.support.faults._asgi import Fault, rewrite_query, serve
from tests.support.faults._library import ALL_FAULTS, LIBRARY, Faulty
from tests.support.faults._timing import SLOW_VARIANTS, TIMING_FAULTS, cold_start
from tests.support.faults._variants import TROUBLESOME_VARIANTS, VARIANTS

__all__ = [
    "ALL_FAULTS",
    "LIBRARY",
    "PASSWORD",
    "SLOW_VARIANTS",
    "TIMING_FAULTS",
    "TROUBLESOME_VARIANTS",
    "USER",
    "VARIANTS",
    "Fault",
    "Faulty",
    "cold_start",
    "empty_app",
    "reference_app",
    "rewrite_query",
    "serve",
]
