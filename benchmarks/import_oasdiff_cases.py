"""Refresh benchmarks/oasdiff_cases/ from a checkout of oasdiff (github.com/oasdiff/oasdiff):
the spec pairs its checker tests compare, each with the level oasdiff gives what the tests
assert. `python -m benchmarks.import_oasdiff_cases PATH_TO_OASDIFF_CHECKOUT`

A test qualifies when it opens exactly two spec files and diffs them as they are (no edits
in memory, no configuration that hides changes). oasdiff's verdict on a pair is breaking
when a rule it asserts has the level ERR, "warn" when the highest is WARN (oasdiff calls
those changes possibly breaking, so they are not counted either way), and compatible when
every asserted rule is INFO or the test asserts that nothing is reported. Most tests run a
single check, so a pair can hold a change that another of oasdiff's checks reports:
CORRECTIONS names those pairs, what oasdiff reports when all checks run, and why. Our
verdicts (`ours`, and `why` where they differ) are kept across refreshes; a new pair gets
`ours: null`, which the agreement test refuses until someone decides it."""

from __future__ import annotations

import re
import shutil
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from benchmarks.agreement import CASES_DIR, MANIFEST, load_manifest

TEST = re.compile(r"^func (Test\w+)\(t \*testing\.T\) \{\n(.*?)^\}", re.S | re.M)
# How a test names a spec file: open("../data/x.yaml"), open(deprecationFile("x.yaml")) (a
# folder handle of helpers_test.go), l(t, 3) (data/openapi-test3.yaml), d(t, config, 1, 3)
# (two of those).
OPENED = re.compile(
    r'open\("\.\./(?P<path>data/[^"]+\.(?:ya?ml|json))"'
    r'|open\((?P<handle>\w+)\("(?P<name>[^"]+)"\)'
    r"|\bl\(t, (?P<one>\d+)"
    r"|\bd\(t, [^,()]+(?:\([^()]*\))?, (?P<first>\d+), (?P<second>\d+)"
)
HANDLE = re.compile(r'(\w+)\s*=\s*dataFileFn\("([\w-]+)"\)')
EDITED = re.compile(r"\.Spec\b|\.Delete\(|\.Set\(|Severity|\)\.With[A-Z]\w*\(")
ASSERTS_NOTHING = re.compile(r"require\.(Empty|Len)\(t, errs(, 0)?\)")
RULE = re.compile(r"newBackwardCompatibilityRule\((\w+Id),\s*(ERR|WARN|INFO)")
RULE_NAME = re.compile(r'^\s*(\w+Id)\s*=\s*"([a-z0-9-]+)"', re.M)
VERDICT = {"ERR": "breaking", "WARN": "warn", "INFO": "compatible"}

CORRECTIONS = {
    "TestBreaking_NoChangeToSunsetDeprecatedEndpoint": (
        "breaking",
        "the revision also replaces response 200 with 201, which oasdiff's "
        "response-success-status-removed (ERR) reports when all checks run",
    ),
    "TestRequestBodyDefaultValueChanged": (
        "breaking",
        "the revision also drops the request media type application/json, which oasdiff's "
        "request-body-media-type-removed (ERR) reports when all checks run",
    ),
    "TestBreaking_RequestParameterMaxItemsWithoutFlatten": (
        "breaking",
        "TestBreaking_RequestParameterMaxItemsWithFlatten compares the same files with the "
        "path-level parameters copied into each operation, as every client sees them, and "
        "asserts request-parameter-max-items-decreased (ERR)",
    ),
    "TestNewRequestNonPathParameter_DetectsNewPathsAndNewOperations": (
        "warn",
        "the revision also removes the parameters baseQueryParam and "
        "baseNotRequiredQueryParam, which oasdiff's request-parameter-removed (WARN) reports "
        "when all checks run",
    ),
}


def oasdiff_cases(checkout: Path) -> list[dict[str, Any]]:
    """The qualifying pairs of `checkout`'s checker tests, with oasdiff's verdicts."""
    sources = "\n".join(p.read_text("utf-8") for p in sorted(checkout.glob("checker/*.go")))
    levels = dict(RULE.findall(sources))
    names = dict(RULE_NAME.findall(sources))
    pairs: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {"rules": set(), "tests": [], "asserts_nothing": False}
    )
    folders = dict(HANDLE.findall(sources))
    for test_file in sorted(checkout.glob("checker/*_test.go")):
        for name, body in TEST.findall(test_file.read_text("utf-8")):
            opened = opened_files(body, folders)
            if opened is None:
                continue
            if len(opened) != 2 or opened[0] == opened[1] or EDITED.search(body):
                continue
            rules = set(re.findall(r"checker\.(\w+Id)\b", body))
            if not rules <= levels.keys():
                continue
            pair = pairs[(opened[0], opened[1])]
            pair["rules"] |= rules
            pair["tests"].append(f"{test_file.name}:{name}")
            pair["asserts_nothing"] |= not rules and bool(ASSERTS_NOTHING.search(body))
    cases = []
    for (base, revision), pair in sorted(pairs.items()):
        if not pair["rules"] and not pair["asserts_nothing"]:
            continue
        found = {levels[rule] for rule in pair["rules"]}
        level = next((lv for lv in ("ERR", "WARN") if lv in found), "INFO")
        case: dict[str, Any] = {
            "base": base,
            "revision": revision,
            "oasdiff": VERDICT[level],
            "rules": sorted(f"{names.get(r, r)} ({levels[r]})" for r in pair["rules"]),
            "tests": pair["tests"],
        }
        for test in pair["tests"]:
            correction = CORRECTIONS.get(test.partition(":")[2])
            if correction is not None:
                case["oasdiff"], case["correction"] = correction
        cases.append(case)
    return cases


def opened_files(body: str, folders: dict[str, str]) -> list[str] | None:
    """The spec files a test body opens, in order; None when it opens one this importer
    cannot name."""
    opened = []
    for match in OPENED.finditer(body):
        if match["path"]:
            opened.append(match["path"])
        elif match["handle"]:
            if match["handle"] not in folders:
                return None
            opened.append(f"data/{folders[match['handle']]}/{match['name']}")
        elif match["one"]:
            opened.append(f"data/openapi-test{match['one']}.yaml")
        else:
            opened += [f"data/openapi-test{match[k]}.yaml" for k in ("first", "second")]
    return opened


def refresh(checkout: Path) -> int:
    """Copy the files of every case and write the manifest; returns the number of cases."""
    known = {(c["base"], c["revision"]): c for c in load_manifest()} if MANIFEST.exists() else {}
    cases = oasdiff_cases(checkout)
    shutil.rmtree(CASES_DIR / "data", ignore_errors=True)
    for case in cases:
        for key in ("base", "revision"):
            target = CASES_DIR / case[key]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(checkout / case[key], target)
        before = known.get((case["base"], case["revision"]), {})
        case["ours"] = before.get("ours")
        if before.get("why"):
            case["why"] = before["why"]
    shutil.copyfile(checkout / "LICENSE", CASES_DIR / "LICENSE")
    text = yaml.safe_dump(cases, sort_keys=False, width=100, allow_unicode=True)
    MANIFEST.write_text(text, "utf-8")
    return len(cases)


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not (Path(argv[0]) / "checker" / "rules.go").is_file():
        print(__doc__.splitlines()[1].strip(), file=sys.stderr)
        print(
            "error: give the path of an oasdiff checkout (with checker/rules.go)", file=sys.stderr
        )
        return 2
    print(f"{refresh(Path(argv[0]))} cases written to {MANIFEST}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
