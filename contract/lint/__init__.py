"""`make lint`: check the spec with openapi-spec-validator, Redocly's rules and the house rules
in redocly.yaml, plus the shape of every assumption (`x-assumptions`). Each problem is printed as
`file:line #/json/pointer [rule] message`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema.exceptions import ValidationError
from openapi_spec_validator import OpenAPIV31SpecValidator

from contract._node_tools import run_node_tool
from contract.errors import SpecLoadError, ToolError
from contract.layout import REDOCLY_CONFIG, REPO_ROOT, SPEC_ROOT, display_path
from contract.spec.assumptions import assumption_errors
from contract.spec.declarations import declaration_problems
from contract.spec.lifecycle import lifecycle_problems
from contract.spec.source import (
    Location,
    PathKey,
    SourceMap,
    forget_lines,
    line_of,
    load_inlined,
    operations,
)

NON_BLANK = re.compile(r"\S")
# What Redocly prints on stderr, and nothing on stdout, for a document its rules cannot walk
# (no `openapi` member, a server that is null): it stops there, and lints no spec after it.
REDOCLY_CRASH = re.compile(
    r"Something went wrong when processing (?P<file>[^\n]+?):[ \t]*\n"
    r"(?:[ \t]*\n)*(?P<reasons>(?:[ \t]*- [^\n]*(?:\n|$))+)"
)


@dataclass(frozen=True, order=True)
class Problem:
    location: Location
    rule: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        place = display_path(self.location.file)
        if self.line is not None:
            place += f":{self.line}"
        return f"{place} #{self.location.pointer or '/'} [{self.rule}] {self.message}"


def redocly_problems(root: Path, config: Path = REDOCLY_CONFIG) -> list[Problem]:
    """Redocly's built-in and configured rules, reported at their source file and pointer."""
    (problems,) = redocly_reports([root], config)
    return problems


def redocly_reports(roots: Sequence[Path], config: Path = REDOCLY_CONFIG) -> list[list[Problem]]:
    """redocly_problems() of each spec in `roots`, from one Redocly run: it lints them in turn
    and prints one JSON report per spec, in the order given. A spec Redocly stops on (it
    crashed on the document, see REDOCLY_CRASH) gets one problem at its root, `redocly/crash`
    with Redocly's reason, and the specs after it are linted in a run of their own."""
    if not roots:
        return []
    result = run_node_tool(
        "redocly", "lint", *map(str, roots), "--config", str(config), "--format", "json"
    )
    try:
        reports = json_documents(result.stdout)
    except json.JSONDecodeError as exc:
        raise ToolError(f"redocly lint gave no report:\n{result.stderr.strip()}") from exc
    done = len(reports)
    if done < len(roots) and (crash := redocly_crash(result.stderr, roots[done])) is not None:
        return [
            *(report_problems(report, root) for root, report in zip(roots, reports, strict=False)),
            [crash],
            *redocly_reports(roots[done + 1 :], config),
        ]
    if len(reports) != len(roots):
        raise ToolError(
            f"redocly lint gave {len(reports)} report(s) for {len(roots)} spec(s):\n"
            f"{result.stderr.strip()}"
        )
    return [report_problems(report, root) for root, report in zip(roots, reports, strict=True)]


def redocly_crash(stderr: str, root: Path) -> Problem | None:
    """The problem of the spec at `root`, the one Redocly was linting when it stopped, given
    what it printed on `stderr`; None when that says no document stopped it (REDOCLY_CRASH),
    so the failure is the tool's."""
    match = REDOCLY_CRASH.search(stderr)
    if match is None or Path(match["file"].strip()).name != root.name:
        return None  # not this spec that it stopped on: the failure is the tool's
    reasons = (line.strip().removeprefix("- ") for line in match["reasons"].splitlines())
    reason = "; ".join(" ".join(text.split()) for text in reasons if text)
    message = f"Redocly stopped on this document ({reason}), so none of its rules ran"
    return at_line(Location(root.resolve(), ""), "redocly/crash", message)


def json_documents(text: str) -> list[Any]:
    """The JSON documents written one after the other in `text`."""
    decoder, documents, position = json.JSONDecoder(), [], 0
    while (start := NON_BLANK.search(text, position)) is not None:
        document, position = decoder.raw_decode(text, start.start())
        documents.append(document)
    return documents


def report_problems(report: Any, root: Path) -> list[Problem]:
    problems = []
    for item in report.get("problems", []):
        where = (item.get("location") or [{}])[0]
        source = where.get("source", {}).get("ref", str(root))
        problems.append(
            Problem(
                Location((REPO_ROOT / source).resolve(), where.get("pointer", "#").lstrip("#")),
                item.get("ruleId", "redocly"),
                " ".join(str(item.get("message", "")).split()),
                where.get("start", {}).get("line"),
            )
        )
    return problems


def validator_problems(document: Any, source_map: SourceMap) -> list[Problem]:
    """openapi-spec-validator on the inlined document, each error mapped to its source."""
    validator = OpenAPIV31SpecValidator(document, base_uri=source_map.locate(()).file.as_uri())
    problems: list[Problem] = []
    errors = validator.iter_errors()
    while True:
        try:
            error = next(errors)
        except StopIteration:
            return problems
        except Exception as exc:  # any error of its is a problem of the spec to report
            # Its checks past the schema assume a valid document (a parameter with a
            # name, a $ref that resolves): a crash after the schema errors that explain it
            # adds nothing.
            if problems:
                return problems
            message = f"the validator stopped on this document ({type(exc).__name__}: {exc})"
            return [at_line(source_map.locate(()), "openapi-spec-validator/crash", message)]
        path = list(error.absolute_path) if isinstance(error, ValidationError) else []
        keyword = error.validator if isinstance(error.validator, str) else "schema"
        problems.append(
            at_line(
                source_map.locate(path),
                f"openapi-spec-validator/{keyword}",
                str(error.message).splitlines()[0],
            )
        )


def missing_not_found(document: Any) -> Iterator[tuple[PathKey, str, str]]:
    """An operation on a path with a parameter (`/event-groups/{id}`) must say what an id
    that names nothing gives: a 404 response."""
    for route, method, _, operation in operations(document):
        if "{" in route and "404" not in (operation.get("responses") or {}):
            yield (
                ("paths", route, method, "responses"),
                "operation-404-for-path-parameters",
                f"{method.upper()} {route} has a path parameter but no 404 response",
            )


def house_problems(document: Any, source_map: SourceMap) -> list[Problem]:
    """Rules no external tool knows: the shape and uniqueness of assumptions (`x-assumptions`), the
    behaviour declarations, a 404 response wherever a path parameter can name nothing, and what
    a deprecation needs (contract/spec/lifecycle.py)."""
    found = [
        *assumption_errors(document, source_map.locate),
        *declaration_problems(document),
        *missing_not_found(document),
        *lifecycle_problems(document),
    ]
    return [at_line(source_map.locate(path), rule, message) for path, rule, message in found]


def at_line(location: Location, rule: str, message: str) -> Problem:
    return Problem(location, rule, message, line_of(location))


def lint(root: Path = SPEC_ROOT, config: Path = REDOCLY_CONFIG) -> list[Problem]:
    """Every problem of the spec rooted at `root`, sorted by place."""
    (problems,) = lint_each([root], config)
    return problems


def lint_each(roots: Sequence[Path], config: Path = REDOCLY_CONFIG) -> list[list[Problem]]:
    """lint() of each spec in `roots`, in that order, with one Redocly run for them all."""
    forget_lines()  # the files may have changed since the last call
    reports = redocly_reports(roots, config)
    return [checked(root, redocly) for root, redocly in zip(roots, reports, strict=True)]


def checked(root: Path, redocly: list[Problem]) -> list[Problem]:
    """Redocly's problems of the spec at `root` and those of the checks run here."""
    try:
        document, source_map = load_inlined(root)
    except SpecLoadError as exc:
        if redocly:
            return sorted(set(redocly))
        raise exc
    invalid = validator_problems(document, source_map)
    problems = [*redocly, *invalid]
    if not invalid:  # the house rules read a valid document: its declarations, its operations
        problems += house_problems(document, source_map)
    return sorted(set(problems))
