"""What the list operation's parameters mean. The spec gives their names, types, defaults and
bounds (read by spec_rules), but their meaning only in prose, in its x-assumption objects:
which parameter sizes the page, which one sorts, how each filter matches. That meaning is
written here once and checked against the spec at startup, so a spec change it does not cover
stops the server instead of being served wrongly."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from generated.models.customer_interface import SortDirection
from reference_server import store
from reference_server.errors import SpecRulesError
from reference_server.spec_rules import OperationRule

PAGE_SIZE: Final = "count"
PAGE_START: Final = "offset"
SORT_FIELD: Final = "sort_field"
SORT_DIRECTION: Final = "sort_direction"
# x-assumption name-filter-matching: case-folded substring; text-id-filter-matching: exact.
CASEFOLDED_SUBSTRING_FILTERS: Final = frozenset({"name"})
EXACT_FILTERS: Final = frozenset({"text_id"})


def check(operation: OperationRule) -> None:
    """Fail unless the operation's query parameters are exactly the ones given a meaning here,
    every filter and sort field names a stored field, and the directions are the model's."""
    meant = {PAGE_SIZE, PAGE_START, SORT_FIELD, SORT_DIRECTION}
    meant |= CASEFOLDED_SUBSTRING_FILTERS | EXACT_FILTERS
    defined = set(operation.names("query"))
    if defined != meant:
        raise SpecRulesError(
            f"{operation.operation_id}: no meaning known for {sorted(defined - meant)}, "
            f"missing from the spec: {sorted(meant - defined)}"
        )
    bad_filters = (CASEFOLDED_SUBSTRING_FILTERS | EXACT_FILTERS) - set(store.TEXT_FIELDS)
    if bad_filters:
        raise SpecRulesError(f"filters {sorted(bad_filters)} name no text field of EventGroup")
    sort_fields = operation.parameter(SORT_FIELD).schema.get("enum", [])
    if not sort_fields or set(sort_fields) - set(store.FIELDS):
        raise SpecRulesError(f"sort fields {sort_fields} should all be fields of EventGroup")
    directions = operation.parameter(SORT_DIRECTION).schema.get("enum", [])
    if sorted(directions) != sorted(SortDirection):
        raise SpecRulesError(f"{operation.operation_id}: sort directions {directions} unknown")


def to_search(values: Mapping[str, Any]) -> store.Search:
    """The store query for the parsed parameters of one list request. Without a sort field the
    order is creation order and the direction is ignored (x-assumption sort-direction-rules)."""
    sort_field = values[SORT_FIELD]
    return store.Search(
        exact={name: values[name] for name in EXACT_FILTERS if values[name] is not None},
        contains_casefolded={
            name: values[name] for name in CASEFOLDED_SUBSTRING_FILTERS if values[name] is not None
        },
        order_by=sort_field,
        descending=sort_field is not None and values[SORT_DIRECTION] == SortDirection.DESC,
        limit=values[PAGE_SIZE],
        offset=values[PAGE_START],
    )
