"""Structured results of checks: detection stays apart from presentation (the report renders these)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from contracts.engine.client import Exchange

__all__ = ["ClauseResult", "Observation", "Verdict", "Violation"]

Verdict = Literal["pass", "fail", "inconclusive", "error", "skipped", "waived"]


class Violation(Exception):
    """A documented clause does not hold. Carries what was expected, what came, and the exchange."""

    def __init__(self, message: str, *, expected: Any, actual: Any, exchange: Exchange | None = None,
                 example: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.expected = expected
        self.actual = actual
        self.exchange = exchange
        self.example = example

    def as_dict(self, seed: int) -> dict[str, Any]:
        out: dict[str, Any] = {
            "message": self.message,
            "expected": self.expected if isinstance(self.expected, str) else repr(self.expected),
            "actual": self.actual if isinstance(self.actual, str) else repr(self.actual),
            "seed": seed,
            "example": self.example,
        }
        if self.exchange is not None:
            out["request"] = self.exchange.request_dict()
            out["response"] = self.exchange.response_dict()
            out["reproducer"] = self.exchange.curl()
        return out


@dataclass
class Observation:
    """A value seen for an undocumented point, normalised so that two runs on one server compare equal."""

    id: str
    clause: str
    question: str
    status: int | None
    value: Any
    summary: str
    request: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "clause": self.clause, "question": self.question, "request": self.request,
                "status": self.status, "value": self.value, "summary": self.summary}


@dataclass
class ClauseResult:
    id: str
    verdict: Verdict = "pass"
    reason: str = ""
    requests: int = 0
    first_failure_after: int | None = None
    duration_s: float = 0.0
    failures: list[dict[str, Any]] = field(default_factory=list)
