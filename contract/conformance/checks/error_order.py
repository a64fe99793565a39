"""The order of errors: a request with several problems gets the status of the first of them
in its operation's declared order (x-error-reporting). The probes combine the problems the
spec lets a client cause on purpose: no credentials (401, where the operation asks for
them), an invalid parameter value (400: a value just past an edge of its schema), and a key
no item has (404, on the detail operation; a key too long for its schema is both invalid
and unknown)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from contract.conformance._contract import Subject
from contract.conformance._findings import Evidence
from contract.conformance._listing import detail_path, unused_key
from contract.conformance._probe import Request
from contract.conformance._registry import Context, check
from contract.conformance._replays import WITHOUT_AUTH, Expectation
from contract.conformance.checks._shared import charged, short
from contract.conformance.checks.parameters import edges
from contract.spec.declarations import ErrorReporting

# A probe: what it sends (path, query, with credentials or not), the statuses its problems
# would each get, and how it is shown; and its control: the same request with only the
# problem that must answer first (path, query, with credentials or not), whose status shows
# that the server finds that problem at all (else the other checks' findings say why not).
Sent = tuple[str, tuple[tuple[str, str], ...], bool]
Probe = tuple[str, tuple[tuple[str, str], ...], bool, tuple[int, ...], str, Sent | None]


def speaks_for(subject: Subject) -> set[str]:
    resource = subject.resource
    return {
        ident
        for reporting in (resource.reporting, resource.detail.reporting)
        if reporting is not None
        for ident in reporting.assumptions
    }


def refused(schema: Mapping[str, Any]) -> str | None:
    """A value of a parameter that its schema refuses, non-empty (an empty path segment is
    another path)."""
    return next((value for value, allowed in edges(schema) if not allowed and value), None)


def list_probes(subject: Subject) -> Iterator[Probe]:
    """Without credentials, with a parameter out of its schema."""
    resource = subject.resource
    for name, schema in resource.parameters.items():
        value = refused(schema)
        if value is not None:
            control = (resource.path, (), False)
            shown = f"{name}={short(value)}"
            yield resource.path, ((name, value),), False, (401, 400), shown, control
            return


def detail_probes(subject: Subject, known: Sequence[Any]) -> Iterator[Probe]:
    """Without credentials, for a key no item has and for a key its schema refuses (unknown
    too, as no item can have it), with a listed key's request without credentials as the
    control; with credentials, a key its schema refuses: invalid and unknown at once, which
    no control can tell apart from a server that does not check the key (the parameters
    check charges both rules)."""
    resource = subject.resource
    control = (detail_path(resource, known[0]), (), False) if known else None
    unknown = unused_key(subject.key_schema, known)
    if unknown is not None:
        shown = f"the unknown key {short(str(unknown))}"
        yield detail_path(resource, unknown), (), False, (401, 404), shown, control
    invalid = refused(subject.key_schema)
    if invalid is not None and invalid not in map(str, known):
        shown = f"the key {short(invalid)}, outside its schema"
        yield detail_path(resource, invalid), (), False, (401, 400, 404), shown, control


def request(sent: Sent) -> Request:
    path, params, authorized = sent
    return Request(path, params) if authorized else Request(path, params, authorization=None)


@check("error-order", speaks_for, traffic=False)
def check_error_order(context: Context) -> Iterator[Evidence]:
    subject = context.subject
    resource = subject.resource
    known = [item[resource.detail.key] for item in context.everything()]
    secured = {op.kind: op.secured for op in context.contract.operations if op.subject is subject}
    planned: list[tuple[Probe, ErrorReporting]] = []
    for kind, reporting, probes in (
        ("list", resource.reporting, list_probes(subject)),
        ("detail", resource.detail.reporting, detail_probes(subject, known)),
    ):
        if reporting is not None:
            planned += [(p, reporting) for p in probes if p[2] or secured.get(kind, True)]
    planned = [(p, reporting) for p, reporting in planned if p[5] is not None]
    requests = [
        request(sent)
        for (path, params, authorized, _, _, control), _ in planned
        for sent in ((path, params, authorized), control)
        if sent is not None
    ]
    answers = context.send_or_skip(speaks_for(subject), requests)
    for index, ((path, params, authorized, statuses, shown, _), reporting) in enumerate(planned):
        if 2 * index + 1 >= len(answers):
            break
        response, control = answers[2 * index], answers[2 * index + 1]
        caused = tuple(status for status in statuses if status in reporting.order)
        if len(caused) < 2:
            continue
        due = reporting.first(caused)
        if control.status_code != due:
            continue  # the server does not find that problem at all: other checks say so
        context.exercise(reporting.assumptions)
        if response.status_code == due or response.status_code >= 500:
            continue  # a 5xx is the documented contract's finding, of other checks
        problems = " and ".join([*([] if authorized else ["no credentials"]), shown])
        order = ", ".join(map(str, reporting.order))
        yield Evidence(
            f"{path}: {problems} gave {response.status_code}, not {due} (declared order: {order})",
            context.probe.curl(path, params)
            if authorized
            else context.probe.curl(path, params, authorization=None),
            charged(reporting.assumptions, "the declared order of errors"),
            Expectation(
                path, params, authorization=None if authorized else WITHOUT_AUTH, statuses=(due,)
            ),
        )
