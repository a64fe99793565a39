"""The families of property checks, one module each. Importing this package registers them
(contract/conformance/_registry.py) in the order a run takes them: a new family is a new
module, imported here."""

# isort: skip_file

from __future__ import annotations

from contract.conformance._registry import CHECKS, Check
from contract.conformance.checks import (  # noqa: F401  (each registers its checks)
    auth,
    paging,
    sorting,
    filters,
    query_policy,
    detail,
    parameters,
    error_order,
    hostile_strings,
    oracle,
    relations,
)

__all__ = ["CHECKS", "Check"]
