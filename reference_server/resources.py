"""What a declared resource's requests mean, read from the spec's behaviour declarations: which
query parameters page, sort and filter, how each filter matches, the order a list promises and
how unknown parameters are treated. Every operation of the spec must be a declared list or the
detail it links to, so an operation the server cannot give a meaning stops it at startup."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from contract.spec.declarations import (
    ErrorReporting,
    ListResource,
    QueryPolicy,
    page_parameters,
)
from reference_server.errors import SpecRulesError
from reference_server.spec_rules import OperationRule, SpecRules
from reference_server.store import Condition, Query
from reference_server.tables import Order, declared_order


@dataclass(frozen=True)
class Resource:
    """A declared resource with the request rules of its two operations."""

    declared: ListResource
    list_rule: OperationRule
    detail_rule: OperationRule

    @property
    def name(self) -> str:
        return self.declared.name

    def parse_list(self, query: Sequence[tuple[str, str]]) -> dict[str, Any]:
        """The list parameters' values, as the list's query policy reads a query."""
        return read_request(self.list_rule, self.declared.policy, query, {})

    def parse_key(self, query: Sequence[tuple[str, str]], path_params: Mapping[str, str]) -> Any:
        """The detail key from the path, read as its parameter's schema types it; the query
        read as the detail operation's policy says."""
        detail = self.declared.detail
        values = read_request(self.detail_rule, detail.policy, query, path_params)
        return values[detail.parameter]

    def query(self, values: Mapping[str, Any]) -> Query:
        """The store query for the parsed parameters of one list request."""
        declared = self.declared
        conditions = tuple(
            Condition(f.property_name, f.match, f, values[f.parameter])
            for f in declared.filters
            if values[f.parameter] is not None
        )
        start, size = page_parameters(declared.paging)
        return Query(conditions, self.order(values), limit=values[size], skip=values[start])

    def order(self, values: Mapping[str, Any]) -> Order:
        """(property, descending) pairs giving the order the x-sorting declaration promises."""
        sorting = self.declared.sorting
        if sorting is None:
            return declared_order(None, None, False)
        descending = values[sorting.direction] == sorting.descending
        return declared_order(sorting, values[sorting.field], descending)


def read_request(
    rule: OperationRule,
    policy: QueryPolicy | None,
    query: Sequence[tuple[str, str]],
    path_params: Mapping[str, str],
) -> dict[str, Any]:
    """The parameters of one request as the operation's query policy reads them: unknown
    names rejected or ignored. (x-query-values allows one reading, which ParameterRule
    applies: an empty value is given, integers are `ascii-decimal`.)"""
    reject = policy is not None and policy.unknown == "reject"
    return rule.parse_request(query, path_params, reject_unknown=reject)


# The order in which this server finds a request's problems: credentials (middleware before
# routing), then parameters, then the lookup.
FINDS_PROBLEMS_IN: Final = (401, 400, 404)


def check_precedence(operation_id: str, reporting: ErrorReporting | None) -> None:
    """Refuse a spec whose error order this server cannot keep."""
    if reporting is None:
        return
    order = [status for status in FINDS_PROBLEMS_IN if status in reporting.order]
    if list(reporting.order) != order:
        raise SpecRulesError(
            f"{operation_id}: x-error-reporting orders {list(reporting.order)}; this server "
            f"answers {order}"
        )


def resource_of(declared: ListResource, rules: SpecRules) -> Resource:
    list_rule = rules.operation(declared.operation_id)
    detail_rule = rules.operation(declared.detail.operation_id)
    where = declared.detail.operation_id
    if detail_rule.names("query") or detail_rule.names("path") != [declared.detail.parameter]:
        raise SpecRulesError(f"{where}: expected one path parameter, the key, and no query")
    if declared.policy.repeated != "reject":
        raise SpecRulesError(f"{declared.operation_id}: repeated {declared.policy.repeated!r}")
    check_precedence(declared.operation_id, declared.reporting)
    check_precedence(where, declared.detail.reporting)
    if declared.filters and declared.combine != "and":
        raise SpecRulesError(f"{declared.operation_id}: filters combine by {declared.combine!r}")
    return Resource(declared, list_rule, detail_rule)


def served_resources(rules: SpecRules) -> tuple[Resource, ...]:
    """Every declared resource; SpecRulesError for an operation that is neither a declared
    list nor the detail one links to."""
    resources = tuple(resource_of(declared, rules) for declared in rules.resources)
    names = [r.name for r in resources]
    shared = sorted({name for name in names if names.count(name) > 1})
    if shared:
        raise SpecRulesError(
            f"several lists serve items named {shared}; this server keeps one table per item "
            "schema, so give each list an item schema with a title of its own"
        )
    served = {
        op for r in resources for op in (r.list_rule.operation_id, r.detail_rule.operation_id)
    }
    unserved = sorted(op.operation_id for op in rules.operations if op.operation_id not in served)
    if unserved:
        raise SpecRulesError(
            f"operations {unserved} are neither a list declared with x-pagination nor the "
            "detail operation such a list links to; this server cannot serve them"
        )
    return resources
