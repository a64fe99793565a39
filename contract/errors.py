"""One exception tree for every tool of the contract, so each command can turn it into a clear
message and a non-zero exit instead of a traceback (contract/cli.py): a FindingsError means
the command found what it looks for (exit 1), any other ContractError that it could not do its
job (exit 2)."""

from __future__ import annotations


class ContractError(Exception):
    """Base of every error the contract tools report to a user."""


class FindingsError(ContractError):
    """What a command looks for is there: lint problems, stale output, a breaking change."""

    prefix = "error: "  # before the message on stderr


class UsageError(ContractError):
    """A command was given what it cannot use: a credentials file, an option's value."""


class SpecLoadError(ContractError):
    """A spec file cannot be read, parsed or resolved."""


class LintError(FindingsError):
    """The spec breaks one or more rules; the message lists each problem."""

    prefix = ""  # each line starts with file:line, which editors and CI annotations read


class ToolError(ContractError):
    """An external tool (Node, Redocly, a generator) is missing or failed unexpectedly."""


class StaleOutputError(FindingsError):
    """Committed generated output no longer matches what the spec produces."""


class SetupError(UsageError):
    """What a run was pointed at cannot be tested: the server is unreachable, refuses the
    credentials, or answers nowhere under the URL. The message names the variable to fix; it
    is never a finding about the contract."""


class BudgetExhaustedError(ContractError):
    """A conformance run spent its request budget; the remaining checks did not run."""


class GitRefError(ContractError):
    """A git reference does not exist, or holds no spec to compare with."""


class BreakingChangeError(FindingsError):
    """The spec breaks its clients and info.version does not say so with a major bump."""


class ReleaseError(FindingsError):
    """The work tree is no release: its version is taken or too low, or it breaks clients
    without a major bump."""


class BenchmarkError(ContractError):
    """A benchmark could not run, or the output of its load generator could not be read."""


class DeclarationError(ContractError):
    """The spec's behaviour declarations (x-pagination, x-filter, ...) are missing or invalid."""
