"""Server-error rates (SP-PROTO-010): when a rate rose enough since the baseline to be a regression.

An observation whose ``value`` carries ``"measure": "5xx-rate"`` counts, for one operation, the requests
sent (every attempt, replays included) and the 5xx answers among them, recovered on replay or not:
``server_errors`` (500, 502, 504 and any other 5xx but 503) and ``unavailable`` (503 without
Retry-After). It is compared with the baseline's by a one-sided Fisher exact test, never exactly:

- a rise of ``server_errors`` is a regression when there are at least :data:`MIN_SERVER_ERRORS` of them
  *and* a service as healthy as the baseline's would show that many (or more) with probability below
  :data:`ALPHA`. One or two transients never alarm, whatever the baseline; 1 PUT in 8 failing does over
  a few dozen PUTs against a clean baseline of a hundred or more (4 of 32: p = 0.0003).
- ``unavailable`` (503 without Retry-After) is counted and shown, and never a regression. A 503 is a busy
  answer by definition (RFC 9110 §15.6.4: "temporary overload or scheduled maintenance"); a load balancer
  answers it with an HTML page, often for dozens of requests in a row while a backend is redeployed, and
  the client has already waited and retried. A 503 that does not end makes its clause inconclusive
  (exit 3): that is the honest verdict for an unavailable service, not a violation (exit 1). Making a
  regression of it would cry wolf on every night that overlaps a deploy.

The test is exact (a hypergeometric tail, ``math.comb``: a few lines of the standard library, where scipy
would be a heavy dependency for one sum), conditional on the total number of errors of both runs, so it
needs no assumed "true" rate and is conservative for small counts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, TypeGuard

__all__ = [
    "ALPHA",
    "MEASURE",
    "MIN_SERVER_ERRORS",
    "fisher_greater",
    "is_rate",
    "rate_phrase",
    "rose",
]

MEASURE = "5xx-rate"
#: The false-alarm bound of one operation's test: below 1 in 1000 nights for a service that did not change.
ALPHA = 0.001
#: Fewer server errors than this are never a regression (one transient, or two, is not a trend).
MIN_SERVER_ERRORS = 3


def is_rate(value: Any) -> TypeGuard[dict[str, Any]]:
    return isinstance(value, dict) and value.get("measure") == MEASURE


def fisher_greater(k: int, n: int, k_base: int, n_base: int) -> float:
    """One-sided Fisher exact p-value: P(at least ``k`` of ``k + k_base`` errors fall in this run's ``n``
    requests, if both runs had the same rate). 1.0 when either side sent nothing."""
    if n <= 0 or n_base <= 0 or k <= 0:
        return 1.0
    total, errors = n + n_base, k + k_base
    drawn = math.comb(total, n)
    tail = sum(math.comb(errors, i) * math.comb(total - errors, n - i)
               for i in range(k, min(errors, n) + 1))
    return tail / drawn


def rose(before: Mapping[str, Any], now: Mapping[str, Any]) -> bool:
    """Whether the server-error rate of ``now`` rose significantly over ``before`` (``5xx-rate`` values)."""
    k, n = int(now.get("server_errors") or 0), int(now.get("requests") or 0)
    k_base, n_base = int(before.get("server_errors") or 0), int(before.get("requests") or 0)
    return k >= MIN_SERVER_ERRORS and fisher_greater(k, n, k_base, n_base) < ALPHA


def _statuses(value: Mapping[str, Any]) -> str:
    found = [s for s in (value.get("by_status") or {}) if s != "503"]
    return found[0] if len(found) == 1 else "5xx"


def rate_phrase(method: str, now: Mapping[str, Any], before: Mapping[str, Any] | None = None) -> str:
    """'1 in 8 PUTs answers 500 (28 of 224); baseline 0 of 230' (the regression's cause, in words)."""
    key = "server_errors"
    k, n = int(now.get(key) or 0), int(now.get("requests") or 0)
    one_in = f"1 in {max(1, round(n / k))}" if k else "none"
    text = f"{one_in} {method}s answers {_statuses(now)} ({k} of {n})"
    if int(now.get("recovered") or 0):
        text += f", {now['recovered']} recovered on replay"
    if before is not None:
        text += f"; baseline {int(before.get(key) or 0)} of {int(before.get('requests') or 0)}"
    return text
