"""The deprecation lifecycle, as oasdiff and its users define it: `deprecated: true` with an
`x-sunset` date (RFC 3339 full-date) announces a removal, and `x-stability-level` (draft,
alpha, beta, stable) says how much an operation promises. Removing what was deprecated once
its sunset has passed (or that was deprecated without a date), or what was never more than
alpha, breaks no promise; removing it earlier does, and the reason names the date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from contract.spec.lifecycle import STABILITY, STABILITY_LEVELS, SUNSET, sunset_of

UNSTABLE = ("draft", "alpha")


def stability_of(operation: Any) -> str:
    """An operation's stability level; without one, stable (every promise holds)."""
    level = operation.get(STABILITY) if isinstance(operation, dict) else None
    return level if level in STABILITY_LEVELS else "stable"


def stated_stability(operation: Any) -> str | None:
    """The stability level an operation states, None where it states none or an invalid one."""
    level = operation.get(STABILITY) if isinstance(operation, dict) else None
    return level if level in STABILITY_LEVELS else None


def removal_rule(
    what: str, node: Any, operation: Any, today: dt.date | None = None
) -> tuple[str, str]:
    """The rule for removing `node` (an operation, or a parameter of `operation`), and the
    words to add to the reason: `<what>-removed`, `-removed-after-sunset`,
    `-removed-before-sunset` or `-removed-unstable`."""
    today = today or dt.date.today()
    level = stability_of(operation)
    if level in UNSTABLE:
        return f"{what}-removed-unstable", f" (x-stability-level {level})"
    deprecated = node.get("deprecated") is True or operation.get("deprecated") is True
    if not deprecated:
        return f"{what}-removed", ""
    sunset = sunset_of(node) or sunset_of(operation)
    raw = _raw_sunset(node) or _raw_sunset(operation)
    if sunset is None and raw is not None:
        return (
            f"{what}-removed-before-sunset",
            f" (deprecated, but its x-sunset {raw!r} is no date)",
        )
    if sunset is None:
        return f"{what}-removed-after-sunset", " (deprecated, without a sunset date)"
    if sunset <= today:
        return f"{what}-removed-after-sunset", f" (deprecated, sunset {sunset} has passed)"
    return f"{what}-removed-before-sunset", f" (deprecated, but its sunset {sunset} is ahead)"


# How long a deprecation must give clients before its sunset, by stability level (oasdiff's
# --deprecation-days-stable and --deprecation-days-beta, whose defaults are 0). Six months for
# a stable operation is about one release cycle of the SDKs that clients pin, so a client
# that upgrades twice a year meets the deprecation before the removal; beta, alpha and draft
# promise no notice.
NOTICE_DAYS = {"stable": 180, "beta": 0, "alpha": 0, "draft": 0}


def stability_problem(node: Any) -> str | None:
    """Why a node's `x-stability-level` is invalid, or None."""
    if not isinstance(node, dict) or STABILITY not in node:
        return None
    level = node[STABILITY]
    if level in STABILITY_LEVELS:
        return None
    return f"x-stability-level {level!r} is none of {', '.join(STABILITY_LEVELS)}"


def deprecation_findings(
    what: str,
    old: Any,
    new: Any,
    level: str,
    today: dt.date | None = None,
    *,
    declared: str = "stated",
) -> list[tuple[str, str, str]]:
    """(rule, key, words) for each lifecycle change of a node (an operation, a parameter or a
    property) whose stability level is `level`: deprecated (with or without a good sunset),
    no longer deprecated, or its sunset moved, removed or made unreadable. `key` is the
    member the finding is about (`deprecated` or `x-sunset`). A stable operation's
    deprecation needs a sunset date; a property's only where the operation states its level
    (`declared="unstated"` where it does not), as oasdiff has it."""
    today = today or dt.date.today()
    was, now = _deprecated(old), _deprecated(new)
    found: list[tuple[str, str, str]] = []
    raw_old, raw_new = _raw_sunset(old), _raw_sunset(new)
    sunset_old, sunset_new = sunset_of(old), sunset_of(new)
    if now and raw_new is not None and sunset_new is None and (raw_old != raw_new or not was):
        found.append(("sunset-invalid", SUNSET, f"x-sunset {raw_new!r} is no date (YYYY-MM-DD)"))
        return found
    if now and not was:
        notice = NOTICE_DAYS[level]
        if sunset_new is None:
            if NOTICE_DAYS[level] and declared != "unstated":
                words = f"{what} deprecated without an x-sunset date ({notice} days' notice)"
                found.append(("deprecated-without-sunset", "deprecated", words))
            else:
                found.append((f"{what}-deprecated", "deprecated", f"{what} deprecated ({level})"))
        elif sunset_new < today + dt.timedelta(days=notice):
            words = (
                f"{what} deprecated with sunset {sunset_new}, less than {notice} days ahead "
                f"({level})"
            )
            found.append(("sunset-too-soon", SUNSET, words))
        else:
            words = f"{what} deprecated, sunset {sunset_new}"
            found.append((f"{what}-deprecated", "deprecated", words))
    elif was and not now:
        found.append(("deprecation-withdrawn", "deprecated", f"{what} no longer deprecated"))
    elif was and now and raw_old != raw_new:
        if sunset_new is None:
            found.append(
                ("sunset-removed", SUNSET, f"x-sunset {raw_old} removed from a deprecated {what}")
            )
        elif sunset_old is None or sunset_new < sunset_old:
            words = f"x-sunset of a deprecated {what} moved from {raw_old} to {sunset_new}"
            found.append(("sunset-moved-earlier", SUNSET, words))
        else:
            words = f"x-sunset of a deprecated {what} moved from {sunset_old} to {sunset_new}"
            found.append(("sunset-moved-later", SUNSET, words))
    return found


def _deprecated(node: Any) -> bool:
    return isinstance(node, dict) and node.get("deprecated") is True


def _raw_sunset(node: Any) -> str | None:
    value = node.get(SUNSET) if isinstance(node, dict) else None
    return None if value is None else str(value)
