"""schemathesis's failures as findings that replay as tests. Its own pytest report asserts the
symptoms it saw (it passes while the server is broken) and holds the run's URL; ours asserts
what the spec promises instead. Each failure of its JUnit report names the request (its curl
line), the status it got and the checks it broke; the spec gives the rest: the documented
statuses, media type and schema of the operation's answer."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree

from contract.conformance._contract import Contract, Operation, below
from contract.conformance._findings import Finding
from contract.conformance._replays import WITHOUT_AUTH, Expectation
from contract.conformance._rules import declared_headers, required_headers
from contract.conformance._schemathesis_output import translate
from contract.spec.declarations import response_schema

CASE = re.compile(r"^\s*\d+\. Test Case ID: \S+\s*$", re.MULTILINE)
CODE = re.compile(r"^- (ST\d+) (.+)$", re.MULTILINE)
STATUS = re.compile(r"^\[(\d{3})\] ", re.MULTILINE)
ACCEPTED = (401, 403, 404)  # 4xx that do not say the request was invalid
REPRODUCE = re.compile(r"Reproduce with:\s*\n\s*(curl .+)$", re.MULTILINE)


def failures(junit: Path) -> Iterator[tuple[str, str]]:
    """(operation, the text of one failing case) for each case of the report."""
    if not junit.is_file():
        return
    for case in ElementTree.parse(junit).getroot().iter("testcase"):
        for failure in case.iter("failure"):
            for block in CASE.split(failure.text or "")[1:]:
                yield case.get("name", ""), block


def request_of(curl: str) -> tuple[str, str, bool]:
    """The method, URL and whether credentials were sent, of schemathesis's curl line."""
    words = shlex.split(curl)
    method = words[words.index("-X") + 1] if "-X" in words else "GET"
    url = next(word for word in reversed(words) if word.startswith(("http://", "https://")))
    headers = [words[i + 1] for i, word in enumerate(words[:-1]) if word == "-H"]
    return method, url, any(h.lower().startswith("authorization:") for h in headers)


def expectation(
    code: str, operation: Operation, relative: str, status: int, authorized: bool
) -> Expectation | None:
    """What a correct server answers to the request of one failed check; None for the checks
    whose rule a single request cannot show."""
    responses: Mapping[str, Any] = operation.spec.get("responses") or {}
    documented = tuple(sorted(int(s) for s in responses if str(s).isdigit()))
    base = Expectation(
        relative, authorization=None if authorized else WITHOUT_AUTH, method=operation.method
    )
    if code == "ST101":
        return base
    if code == "ST103":
        return replace(base, statuses=documented)
    if code in {"ST104", "ST105", "ST107", "ST108", "ST109"}:
        answer = responses.get(str(status)) or {}
        media = next(iter(answer.get("content") or {}), None)
        required = [n for n, h in (answer.get("headers") or {}).items() if h.get("required")]
        return replace(
            base,
            statuses=documented,
            when_status=status,
            media_type=media,
            headers=tuple(sorted(required)),
            body_schema=response_schema(operation.spec, status) if media else None,
        )
    if code == "ST201":
        return replace(base, statuses=tuple(s for s in documented if s >= 400))
    if code == "ST202":  # as schemathesis judges it: any documented status but a refusal
        return replace(base, statuses=tuple(s for s in documented if s < 400 or s in ACCEPTED))
    if code == "ST401":
        answer = responses.get("401") or {}
        return replace(
            base,
            authorization=WITHOUT_AUTH,
            statuses=(401,),
            headers=required_headers(answer),
            header_schemas=declared_headers(answer),
        )
    return None


def schemathesis_findings(junit: Path, contract: Contract, base_url: str) -> list[Finding]:
    """One finding per failed check of each failing case of schemathesis's JUnit report, with
    the expectation its replay asserts where a single request shows the rule. Each is charged
    to no assumption: schemathesis judges what the spec documents."""
    base_path = urlsplit(base_url).path.rstrip("/")
    found = []
    for name, block in failures(junit):
        reproduce, status = REPRODUCE.search(block), STATUS.search(block)
        codes = dict(CODE.findall(block))
        try:
            method, url, authorized = request_of(reproduce.group(1) if reproduce else "")
        except (ValueError, StopIteration, IndexError):  # no curl line, or an unreadable one
            found += [Finding(f"schemathesis {name}", f"{c} {t}", "") for c, t in codes.items()]
            continue
        assert reproduce is not None
        split = urlsplit(url)
        local = below(base_path, split.path) or split.path
        relative = local + (f"?{split.query}" if split.query else "")
        operation, _, _ = contract.route(method, local)
        for code, title in codes.items():
            expect = (
                None
                if operation is None or status is None
                else expectation(code, operation, relative, int(status.group(1)), authorized)
            )
            shown = translate(reproduce.group(1))  # as the run printed it: works as pasted
            found.append(
                Finding(f"schemathesis {name}", f"{code} {title}", shown, expectation=expect)
            )
    return found
