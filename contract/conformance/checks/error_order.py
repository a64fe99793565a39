"""The order of errors: a request with several problems gets the status of the first of them
in its operation's declared order (x-error-reporting). The probes combine the problems the
spec lets a client cause on purpose: no credentials (401, where the operation asks for
them), an invalid parameter value (400: a value just past an edge of its schema), and a key
no item has (404, on the detail operation; a key too long for its schema is both invalid
and unknown)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from contract.conformance._contract import Subject
from contract.conformance._findings import Evidence
from contract.conformance._listing import detail_path, unused_key
from contract.conformance._probe import Request
from contract.conformance._registry import Context, check
from contract.conformance._replays import WITHOUT_AUTH, Expectation
from contract.conformance.checks._shared import charged, short
from contract.conformance.checks.parameters import refused
from contract.spec.declarations import ErrorReporting

# A request: its path, its query and whether it carries the right credentials.
Sent = tuple[str, tuple[tuple[str, str], ...], bool]
# The combinations of problems probed, on the list and on the detail operation: 401 (no
# credentials), 400 (a value its schema refuses), 404 (a key no item has). A key the schema
# refuses is unknown too, so 400 comes with 404 on the detail operation.
COMBINATIONS: dict[str, tuple[frozenset[int], ...]] = {
    "list": (frozenset({401, 400}),),
    "detail": (frozenset({401, 404}), frozenset({401, 400, 404})),
}


def speaks_for(subject: Subject) -> set[str]:
    resource = subject.resource
    return {
        ident
        for reporting in (resource.reporting, resource.detail.reporting)
        if reporting is not None
        for ident in reporting.assumptions
    }


def built(
    subject: Subject, kind: str, problems: frozenset[int], known: Sequence[Any]
) -> tuple[Sent, str] | None:
    """The request with exactly these problems, and how they read; None when the spec and
    the data allow none."""
    resource = subject.resource
    said = [] if 401 not in problems else ["no credentials"]
    if kind == "list":
        params: tuple[tuple[str, str], ...] = ()
        if 400 in problems:
            found = next(
                ((n, v) for n, s in resource.parameters.items() if (v := refused(s)) is not None),
                None,
            )
            if found is None:
                return None
            params = (found,)
            said.append(f"{found[0]}={short(found[1])}")
        return (resource.path, params, 401 not in problems), " and ".join(said) or "nothing"
    key: Any
    if 400 in problems:
        key = refused(subject.key_schema)
        if key is None or key in map(str, known):
            return None
        said.append(f"the key {short(str(key))}, outside its schema")
    elif 404 in problems:
        key = unused_key(subject.key_schema, known)
        if key is None:
            return None
        said.append(f"the unknown key {short(str(key))}")
    elif known:
        key = known[0]
    else:
        return None
    sent = (detail_path(resource, key), (), 401 not in problems)
    return sent, " and ".join(said) or "a listed key"


def request(sent: Sent) -> Request:
    path, params, authorized = sent
    return Request(path, params) if authorized else Request(path, params, authorization=None)


@check("error-order", speaks_for, traffic=False)
def check_error_order(context: Context) -> Iterator[Evidence]:
    """Each combination of problems against the status the declared order puts first, with a
    control request that has that problem alone: a server that does not find it at all is
    the other checks' finding, not the order's. Where that problem cannot come alone (a key
    its schema refuses is unknown too) there is no control, and no probe: the parameters
    check charges a 404 for such a key to both rules."""
    subject = context.subject
    resource = subject.resource
    known = [item[resource.detail.key] for item in context.everything()]
    secured = {op.kind: op.secured for op in context.contract.operations if op.subject is subject}
    planned: list[tuple[Sent, str, Sent, int, ErrorReporting]] = []
    for kind, reporting in (("list", resource.reporting), ("detail", resource.detail.reporting)):
        for combination in COMBINATIONS[kind] if reporting is not None else ():
            assert reporting is not None
            problems = frozenset(
                s for s in combination if s in reporting.order and (s != 401 or secured.get(kind))
            )
            if len(problems) < 2:
                continue
            due = reporting.first(sorted(problems))
            alone = frozenset({due, 404} if (kind, due) == ("detail", 400) else {due})
            probe, control = (
                built(subject, kind, problems, known),
                built(subject, kind, alone, known),
            )
            if probe is not None and control is not None and alone != problems:
                planned.append((probe[0], probe[1], control[0], due, reporting))
    requests = [request(sent) for probe, _, control, _, _ in planned for sent in (probe, control)]
    answers = context.send_or_skip(speaks_for(subject), requests)
    for index, (sent, shown, _, due, reporting) in enumerate(planned):
        if 2 * index + 1 >= len(answers):
            break
        response, alone_answer = answers[2 * index], answers[2 * index + 1]
        if alone_answer.status_code != due:
            continue  # the server does not find that problem at all: other checks say so
        context.exercise(reporting.assumptions)
        if response.status_code == due or response.status_code >= 500:
            continue  # a 5xx is the documented contract's finding, of other checks
        path, params, authorized = sent
        order = ", ".join(map(str, reporting.order))
        yield Evidence(
            f"{path}: {shown} gave {response.status_code}, not {due} (declared order: {order})",
            context.probe.curl(path, params)
            if authorized
            else context.probe.curl(path, params, authorization=None),
            charged(reporting.assumptions, "the declared order of errors"),
            Expectation(
                path, params, authorization=None if authorized else WITHOUT_AUTH, statuses=(due,)
            ),
        )
