"""make breaking on a real API description of the size an API team's spec grows to:
DigitalOcean's (tests/fixtures/digitalocean/), where one commit replaced the disk type
`remote` with `boot`. Every operation that returns a disk, at any depth, gets the change;
nothing else is reported."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from typing import Any

from contract.breaking import classify
from contract.breaking.changes import Verdict
from contract.layout import REPO_ROOT

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "digitalocean"
DISK_TYPE = "/disk_info/items/properties/type"


def bundled(name: str) -> Any:
    return json.loads(gzip.decompress((FIXTURE / name).read_bytes()))


def test_the_disk_type_change_is_breaking_wherever_a_response_carries_it() -> None:
    report = classify(bundled("before.json.gz"), bundled("after.json.gz"))

    assert Counter((c.verdict, c.rule) for c in report.changes) == {
        (Verdict.BREAKING, "response-enum-changed"): 27,
        (Verdict.COMPATIBLE, "documentation"): 27,
    }
    for change in report.breaking:
        assert change.pointer.endswith(f"{DISK_TYPE}/enum"), change
        assert 'enum values ["remote"] removed and ["boot"] added' in change.reason
    operations = {c.pointer.split("/responses/")[0] for c in report.breaking}
    assert "/paths/~1v2~1sizes/get" in operations
    assert "/paths/~1v2~1droplets~1{droplet_id}/get" in operations
    assert len(operations) == 13
    assert not report.accepted
