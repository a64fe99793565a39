"""The one rule for a version that a package, a tag or a changelog heading carries: PEP 440,
in its normalised form (what a wheel's file name shows), without a local part (which package
indexes refuse). `make generate` holds the client's version to it, `make dist` and `make
changelog` the client's and the API's."""

from __future__ import annotations

from packaging.version import InvalidVersion, Version


def release_version(version: str) -> Version:
    """`version` parsed, or a ValueError whose message says what to write instead."""
    try:
        parsed = Version(version)
    except InvalidVersion as exc:
        raise ValueError(
            f"{version!r} is not a version a package index accepts (PEP 440, e.g. 1.2.0)"
        ) from exc
    if parsed.local is not None:
        raise ValueError(f"{version!r} has a local part (+...), which indexes refuse")
    if str(parsed) != version:
        raise ValueError(f"write {version!r} as {str(parsed)!r}, the form packages and tags carry")
    return parsed
