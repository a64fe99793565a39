"""Credentials: none, malformed ones, empty parts, the right password under another user
name and edits of the user name and of the password (from the edit grammar) get 401 with a
Basic challenge and the error body, on every operation; the forms HTTP makes equal to the
right credentials (the scheme in any case, more spaces, the header's name in any case) are let
in. The edits are sent to the first operation only: a server compares credentials in one
place, and what differs per operation is whether it asks for them at all."""

from __future__ import annotations

import shlex
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import httpx

from contract.conformance._contract import Subject, body_ids, header_ids, response_ids
from contract.conformance._credentials import SHELL_TRANSFORMS, Credential, credentials
from contract.conformance._edits import Cell, Variant
from contract.conformance._findings import Attribution, Evidence
from contract.conformance._listing import detail_path, unused_key
from contract.conformance._probe import Request
from contract.conformance._registry import Context, check
from contract.conformance._replays import Expectation
from contract.conformance._rules import declared_headers, header_problems, required_headers
from contract.conformance.checks._shared import body_exercised, charged, error_body


def speaks_for_operation(operation: Mapping[str, Any]) -> set[str]:
    return response_ids(operation, 401) | body_ids(operation, 401) | header_ids(operation, 401)


def speaks_for(subject: Subject) -> set[str]:
    return speaks_for_operation(subject.list_operation) | speaks_for_operation(
        subject.detail_operation
    )


def operations(context: Context) -> list[tuple[str, Mapping[str, Any]]]:
    """The list path and a detail path (of a listed item, else of a key nobody has)."""
    subject = context.subject
    resource = subject.resource
    everything = context.everything()
    key = everything[0][resource.detail.key] if everything else unused_key(subject.key_schema, [])
    found = [(resource.path, subject.list_operation)]
    if key is not None:
        found.append((detail_path(resource, key), subject.detail_operation))
    return found


def note_edits(context: Context, sent: Sequence[Credential]) -> None:
    """The cells the edits of the user name and of the password covered (no value kept)."""
    probe = context.probe
    for part, real in (("user", probe.username), ("password", probe.password)):
        stand_in = "\0" * len(real)  # the cells need its length, never its value
        edits = [
            Variant("", stand_in, (c.edit,))
            for c in sent
            if c.edit is not None and c.label.startswith(f"{part} ")
        ]
        context.note_near_misses(f"credentials ({part})", [real], edits, replayable_cell)


def replayable_cell(cell: Cell) -> bool:
    return cell[1] != "transform" or cell[0] in SHELL_TRANSFORMS


def shown(context: Context, path: str, credential: Credential) -> str:
    """The curl line that sends `credential`, rebuilt from $AUTH."""
    option = credential.recipe.shell()
    return " ".join(filter(None, ("curl -si", option, shlex.quote(context.probe.url(path)))))


@check("auth", speaks_for)
def check_auth(context: Context) -> Iterator[Evidence]:
    probe = context.probe
    for index, (path, operation) in enumerate(operations(context)):
        sent = credentials(probe.username, probe.password, context.seed, edits=index == 0)
        if index == 0:
            note_edits(context, sent)
        requests = [
            Request(
                path,
                authorization=c.recipe.value(probe.username, probe.password),
                header_name=c.recipe.header_name,
            )
            for c in sent
        ]
        ids = speaks_for_operation(operation)
        answers = (
            probe.send([Request(path), *requests])
            if index == 0
            else context.send_or_skip(ids, [Request(path), *requests])
        )
        if not answers:
            continue
        plain = answers[0].status_code
        for credential, response in zip(sent, answers[1:], strict=True):
            if credential.accepted:
                yield from judge_accepted(context, path, credential, response, plain)
            else:
                yield from judge_refused(context, path, operation, credential, response)


def judge_refused(
    context: Context,
    path: str,
    operation: Mapping[str, Any],
    credential: Credential,
    response: httpx.Response,
) -> Iterator[Evidence]:
    ids = response_ids(operation, 401)
    context.exercise(ids)
    documented = (operation.get("responses") or {}).get("401") or {}
    expect = Expectation(
        path,
        authorization=credential.recipe,
        statuses=(401,),
        headers=required_headers(documented),
        header_schemas=declared_headers(documented),
    )
    command = shown(context, path, credential)
    if response.status_code != 401:
        why = (
            Attribution()
            if response.status_code >= 500
            else charged(ids, "a request without the right credentials must get 401")
        )
        challenges = response.headers.get_list("WWW-Authenticate")
        yield Evidence(
            f"{credential.label}: {path} got {response.status_code}, WWW-Authenticate "
            f"{', '.join(challenges)!r}; expected 401",
            command,
            why,
            expect,
        )
        return
    context.exercise(header_ids(operation, 401))
    for name, problem in header_problems(documented, response.headers.get_list):
        yield Evidence(
            f"{credential.label}: {path} got 401, but its {name} header {problem}",
            command,
            charged(header_ids(operation, 401, name) or ids, f"the rule of the {name} header"),
            expect,
        )
        return
    body_exercised(context, operation, 401)
    yield from error_body(operation, response, command, expect)


def judge_accepted(
    context: Context, path: str, credential: Credential, response: httpx.Response, plain: int
) -> Iterator[Evidence]:
    """A form HTTP makes equal to the right credentials gets what they get."""
    if response.status_code != plain:
        yield Evidence(
            f"{credential.label}: {path} got {response.status_code}, where the same request "
            f"with `Basic <token>` got {plain}; HTTP makes the two forms equal "
            "(RFC 9110 11.1, 11.4; RFC 7617)",
            shown(context, path, credential),
            Attribution(),
            Expectation(path, authorization=credential.recipe, statuses=(plain,)),
        )
