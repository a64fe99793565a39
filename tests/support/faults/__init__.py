"""Deliberately faulty variants of the reference server, to prove that the conformance harness
reports each kind of fault, and correct variants it must pass. Each fault is a small ASGI
wrapper (`Fault`) around a correct server that rewrites the request or the response, or
answers from that server's own data the way a faulty implementation would; `serve()` runs an
app under uvicorn in a thread on a free loopback port.

_asgi: the primitives; _apps: the correct servers; _broken, _declared, _policy, _lenient: the
fault families; _variants: the allowed variants."""

from __future__ import annotations

from tests.support.faults._apps import PASSWORD, USER, empty_app, reference_app
from tests.support.faults._asgi import Fault, rewrite_query, serve
from tests.support.faults._broken import FAULTS
from tests.support.faults._declared import DECLARED_FAULTS, MORE_LIST_FAULTS, MORE_LIST_FINDINGS
from tests.support.faults._lenient import LENIENT_FAULTS, LENIENT_FINDINGS
from tests.support.faults._policy import EXPECTED_FINDINGS, FAULTED_APPS, POLICY_FAULTS
from tests.support.faults._variants import TROUBLESOME_VARIANTS, VARIANTS

__all__ = [
    "DECLARED_FAULTS",
    "EXPECTED_FINDINGS",
    "FAULTED_APPS",
    "FAULTS",
    "LENIENT_FAULTS",
    "LENIENT_FINDINGS",
    "MORE_LIST_FAULTS",
    "MORE_LIST_FINDINGS",
    "PASSWORD",
    "POLICY_FAULTS",
    "TROUBLESOME_VARIANTS",
    "USER",
    "VARIANTS",
    "Fault",
    "empty_app",
    "reference_app",
    "rewrite_query",
    "serve",
]
