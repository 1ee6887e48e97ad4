"""The suite's own exception types: each maps to one honest verdict or exit code."""

from __future__ import annotations

__all__ = [
    "BudgetExhausted",
    "ConfigError",
    "NoAnswer",
    "SkipClause",
    "SuiteAbort",
    "WriteBlocked",
]


class ConfigError(Exception):
    """A usage or configuration problem (exit 2). The message is one line a user can act on."""


class NoAnswer(Exception):
    """The target gave no real answer (connection errors, timeouts, rate limits) even after retries.

    A clause that hits this is *inconclusive*, never failed.
    """


class BudgetExhausted(NoAnswer):
    """The run's hard request budget is spent; further clauses are inconclusive."""


class SuiteAbort(NoAnswer):
    """The target stopped answering altogether; the run ends early with exit 3."""


class WriteBlocked(Exception):
    """A write was about to be sent to a target the user did not allow writes to: a bug in the suite."""


class SkipClause(Exception):
    """The clause cannot run with this configuration (e.g. no secondary project); the message says why."""
