"""Hostile strings: quotes, SQL and LIKE syntax, backslashes, NUL, a very long value,
bidirectional text, emoji and combining marks, in every string parameter and in the detail
key: a server may refuse them, never fail on them (5xx). A failure is the documented
contract's (no status of the spec is a 5xx): it is charged to no assumption."""

from __future__ import annotations

from collections.abc import Iterator

from contract.conformance._contract import Subject
from contract.conformance._findings import Attribution, Evidence
from contract.conformance._listing import detail_path
from contract.conformance._probe import Request
from contract.conformance._registry import Context, check
from contract.conformance._replays import Expectation
from contract.conformance.checks._shared import short

# Single characters of these kinds are the edit grammar's (the filters, the key, the
# parameters get them as near misses): here what a parser or a query builder chokes on whole.
HOSTILE_STRINGS = (
    "' OR '1'='1", "; DROP TABLE x;", "%_%", "\\", "a\x00b", "x" * 10_000,
    "\u202eevil\u202c", "\U0001f600\U0001f4a9", "e\u0301\u0301\u0301", "${jndi:x}",
    "<script>", "'",
)  # fmt: skip


def speaks_for(subject: Subject) -> set[str]:
    return set()


@check("hostile-strings", speaks_for, traffic=False)
def check_hostile_strings(context: Context) -> Iterator[Evidence]:
    resource, probe = context.subject.resource, context.probe
    strings = [n for n, s in resource.parameters.items() if s.get("type") == "string"]
    sent: list[tuple[str, str, tuple[tuple[str, str], ...], str]] = [
        (name, resource.path, ((name, value),), value)
        for name in strings
        for value in HOSTILE_STRINGS
    ]
    if context.subject.key_schema.get("type") == "string":
        key = resource.detail.parameter
        sent += [(key, detail_path(resource, value), (), value) for value in HOSTILE_STRINGS]
    listed = [s for s in sent if s[1] == resource.path]
    answers = probe.send([Request(path, params) for _, path, params, _ in listed])
    answers += context.send_or_skip((), [Request(s[1], s[2]) for s in sent[len(listed) :]])
    for (name, path, params, value), response in zip(sent, answers, strict=False):
        if response.status_code >= 500:
            yield Evidence(
                f"{name}={short(value)!r} gave {response.status_code}",
                probe.curl(path, params),
                Attribution(),
                Expectation(path, params),
            )
