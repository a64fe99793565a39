"""The report of `make breaking` in the formats CI reads (FORMAT=...): `text` for a person at
a terminal, `json` for tools (its schema: contract/breaking/report.schema.json), `markdown`
for a pull-request comment or a job summary, `junit` for test dashboards, and `github` for
workflow annotations on the changed lines. Every format gives each change its rule id,
verdict, JSON pointer, reason and the file and line in the split spec, and then each problem
`make lint` finds in the new side (a compatible change CI would still reject)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from xml.etree import ElementTree

from contract.breaking._compare import Report
from contract.breaking.changes import Change, Verdict
from contract.layout import display_path
from contract.lint import Problem

FORMATS = ("text", "json", "markdown", "junit", "github")


def render(report: Report, fmt: str, summary: str) -> str:
    """The report in format `fmt` (one of FORMATS); `summary` is the closing line."""
    renderers: dict[str, Callable[[Report, str], str]] = {
        "text": _text,
        "json": _json,
        "markdown": _markdown,
        "junit": _junit,
        "github": _github,
    }
    return renderers[fmt](report, summary)


def _text(report: Report, summary: str) -> str:
    del summary  # the command prints it last, on stderr when it fails
    lines = [f"{change}\n" for change in report.changes]
    if report.lint:
        lines.append(f"\n`make lint` of the new side: {len(report.lint)} problem(s)\n")
        lines += [f"{problem}\n" for problem in report.lint]
    return "".join(lines)


def _problem(problem: Problem) -> dict[str, object]:
    return {
        "file": display_path(problem.location.file),
        "line": problem.line,
        "pointer": problem.location.pointer,
        "rule": problem.rule,
        "message": problem.message,
    }


def _source(change: Change) -> dict[str, object] | None:
    if change.source is None:
        return None
    return {"file": change.source.file, "line": change.source.line, "side": change.source.side}


def _json(report: Report, summary: str) -> str:
    document = {
        "summary": summary,
        "accepted": report.accepted,
        "passed": report.lands,
        "base_version": report.base_version,
        "head_version": report.head_version,
        "major_bump": report.major_bump,
        "lint": None if report.lint is None else [_problem(p) for p in report.lint],
        "counts": {verdict.value: 0 for verdict in Verdict}
        | {verdict.value: sum(c.verdict is verdict for c in report.changes) for verdict in Verdict},
        "changes": [
            {
                "rule": change.rule,
                "verdict": change.verdict.value,
                "kind": change.kind.value,
                "pointer": change.pointer,
                "reason": change.reason,
                "source": _source(change),
            }
            for change in report.changes
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(report: Report, summary: str) -> str:
    mark = "✅" if report.lands else "❌"
    lines = [f"### {mark} Breaking changes", "", _cell(summary), ""]
    if report.changes:
        lines += ["| Verdict | Rule | Where | Change |", "|---|---|---|---|"]
    for change in report.changes:
        where = f"`{_cell(change.pointer or '/')}`"
        if change.source is not None:
            where += f"<br>{_cell(str(change.source))}"
        lines.append(
            f"| {change.verdict.value} | `{change.rule}` | {where} | {_cell(change.reason)} |"
        )
    if report.lint:
        lines += ["", "#### `make lint` of the new side", ""]
        lines += ["| Rule | Where | Problem |", "|---|---|---|"]
        for problem in report.lint:
            where = f"`{_cell(display_path(problem.location.file))}"
            where += f":{problem.line}`" if problem.line is not None else "`"
            where += f"<br>`{_cell(problem.location.pointer or '/')}`"
            lines.append(f"| `{problem.rule}` | {where} | {_cell(problem.message)} |")
    return "\n".join(lines) + "\n"


# What XML 1.0 cannot hold at all, even escaped: most control characters.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return NOT_XML.sub("\ufffd", text)


def _junit(report: Report, summary: str) -> str:
    """One test case per change: a breaking change that no major bump accepts fails, one to
    review is skipped with its reason, the rest pass."""
    suite = ElementTree.Element(
        "testsuite",
        name="make breaking",
        tests=str(len(report.changes)),
        failures=str(0 if report.accepted else len(report.breaking)),
        skipped=str(len(report.review)),
    )
    for change in report.changes:
        case = ElementTree.SubElement(
            suite, "testcase", classname=change.rule, name=change.pointer or "/"
        )
        if change.source is not None:
            case.set("file", change.source.file)
            if change.source.line is not None:
                case.set("line", str(change.source.line))
        if change.verdict is Verdict.BREAKING and not report.accepted:
            failure = ElementTree.SubElement(case, "failure", message=change.reason)
            failure.text = summary
        elif change.verdict is Verdict.REVIEW:
            ElementTree.SubElement(case, "skipped", message=change.reason)
        else:
            ElementTree.SubElement(case, "system-out").text = change.reason
    suites = ElementTree.Element("testsuites")
    suites.append(suite)
    if report.lint is not None:
        linted = ElementTree.SubElement(
            suites, "testsuite", name="make lint (new side)",
            tests=str(max(1, len(report.lint))), failures=str(len(report.lint)),
        )  # fmt: skip
        for problem in report.lint:
            case = ElementTree.SubElement(
                linted, "testcase", classname=problem.rule, name=problem.location.pointer or "/",
                file=display_path(problem.location.file),
            )  # fmt: skip
            if problem.line is not None:
                case.set("line", str(problem.line))
            ElementTree.SubElement(case, "failure", message=problem.message)
        if not report.lint:
            ElementTree.SubElement(linted, "testcase", classname="make lint", name="new side")
    ElementTree.indent(suites)
    for element in suites.iter():
        element.text = _xml_text(element.text) if element.text else element.text
        for name, value in element.attrib.items():
            element.set(name, _xml_text(value))
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _escape_data(text: str) -> str:
    """A workflow command's message: %, CR and LF escaped (GitHub's own escaping)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github(report: Report, summary: str) -> str:
    """Workflow commands: the verdict first (GitHub shows only the first few annotations of
    each kind in a step), then an error on each breaking change (a notice once a major bump
    accepts it), a warning on each to review, a notice on each compatible one."""
    level = "notice" if report.lands else "error"
    lines = [f"::{level} title=make breaking::{_escape_data(summary)}"]
    for change in report.changes:
        if change.verdict is Verdict.BREAKING:
            level = "notice" if report.accepted else "error"
        else:
            level = "warning" if change.verdict is Verdict.REVIEW else "notice"
        properties = [f"title={_escape_property(f'{change.verdict.value}: {change.rule}')}"]
        if change.source is not None and change.source.side == "head":
            properties.insert(0, f"file={_escape_property(change.source.file)}")
            if change.source.line is not None:
                properties.insert(1, f"line={change.source.line}")
        message = f"{change.reason} ({change.pointer or '/'})"
        if change.source is not None and change.source.side == "base":
            message += f", removed from {change.source}"
        lines.append(f"::{level} {','.join(properties)}::{_escape_data(message)}")
    for problem in report.lint or ():
        properties = [
            f"file={_escape_property(display_path(problem.location.file))}",
            f"title={_escape_property(f'make lint: {problem.rule}')}",
        ]
        if problem.line is not None:
            properties.insert(1, f"line={problem.line}")
        message = f"{problem.message} ({problem.location.pointer or '/'})"
        lines.append(f"::error {','.join(properties)}::{_escape_data(message)}")
    return "\n".join(lines) + "\n"
