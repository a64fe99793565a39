"""Why the server cannot start: one exception tree, so the command line can print one clear
message and exit non-zero instead of showing a traceback."""

from __future__ import annotations


class SetupError(Exception):
    """Base of every problem found before the server accepts a request."""


class SpecRulesError(SetupError):
    """The bundled spec asks for something this server cannot derive rules for."""


class StoreError(SetupError):
    """The SQLite database cannot be opened or cannot hold the given groups."""


class DataError(SetupError):
    """The groups to serve (a JSON file, synthetic options) are unusable."""
