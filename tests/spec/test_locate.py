"""locate() finds where a change is written: through references into other files, and into
the path item for a parameter that the client view appends to each operation."""

from __future__ import annotations

from contract.layout import SPEC_ROOT
from contract.spec.source import line_of, locate

DETAIL = "/paths/~1event-groups~1{event_group_id}/get"
ITEM = (
    "/paths/~1event-groups/get/responses/200/content/application~1json/schema"
    "/properties/data/properties/event_groups/items"
)


def test_a_pointer_through_references_lands_in_the_file_that_writes_the_node() -> None:
    found = locate(SPEC_ROOT, f"{ITEM}/properties/state")

    assert found is not None
    assert found.file.name == "EventGroup.yaml"
    assert found.pointer == "/properties/state"
    assert line_of(found) == 1 + found.file.read_text("utf-8").splitlines().index("  state:")


def test_a_parameter_appended_from_the_path_item_is_found_there() -> None:
    found = locate(SPEC_ROOT, f"{DETAIL}/parameters/0/schema")

    assert found is not None
    assert found.file.name == "event_group_id.yaml"
    assert found.pointer == "/schema"


def test_a_pointer_that_leads_nowhere_is_none() -> None:
    assert locate(SPEC_ROOT, f"{DETAIL}/parameters/5") is None
    assert locate(SPEC_ROOT, "/paths/~1nowhere") is None
