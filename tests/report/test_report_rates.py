"""The 5xx-rate rule (SP-PROTO-010): a rise is a regression only when it is real, never for a transient."""

from __future__ import annotations

import math
from typing import Any

import pytest

from contracts.report._baseline import compare_baseline
from contracts.report._causes import root_causes
from contracts.report._rates import ALPHA, fisher_greater, rate_phrase, rose


def rate(errors: int, requests: int, *, unavailable: int = 0, recovered: int = 0,
         op: str = "PUT") -> dict[str, Any]:
    by_status = {**({"500": errors} if errors else {}), **({"503": unavailable} if unavailable else {})}
    return {"measure": "5xx-rate", "operation": op, "requests": requests, "server_errors": errors,
            "unavailable": unavailable, "recovered": recovered, "by_status": by_status}


def test_fisher_matches_the_hypergeometric_tail_by_hand() -> None:
    # 3 errors in all, all of them in this run's 24 of 224 requests: C(24,3) / C(224,3).
    assert fisher_greater(3, 24, 0, 200) == pytest.approx(math.comb(24, 3) / math.comb(224, 3))
    assert fisher_greater(0, 24, 0, 200) == 1.0 and fisher_greater(5, 24, 0, 0) == 1.0


@pytest.mark.parametrize("errors", [1, 2])
def test_one_or_two_transients_never_alarm(errors: int) -> None:
    assert not rose(rate(0, 224), rate(errors, 10))


@pytest.mark.parametrize(("errors", "requests"), [(4, 32), (5, 40), (28, 224), (30, 240)])
def test_one_put_in_eight_over_a_few_dozen_always_alarms(errors: int, requests: int) -> None:
    assert rose(rate(0, 200), rate(errors, requests, recovered=errors))


def test_the_same_rate_as_the_baseline_is_no_regression() -> None:
    assert not rose(rate(28, 224), rate(30, 240))
    assert not rose(rate(30, 240), rate(3, 240))  # getting better is never a regression


@pytest.mark.parametrize("n503", [1, 5, 10, 40, 224])
def test_503_without_retry_after_is_busy_never_a_regression(n503: int) -> None:
    # a load balancer's page during a redeploy; one that never ends makes clauses inconclusive instead
    assert not rose(rate(0, 224), rate(0, 224, unavailable=n503, recovered=n503))


def test_a_service_with_a_steady_rate_rarely_alarms() -> None:
    """The false-alarm bound, exactly: for a service whose true rate is 1 in 100 both nights (230 PUTs each),
    the probability that the rule fires is below ALPHA (summed over every outcome of both nights)."""
    n, p = 230, 0.01

    def pmf(k: int) -> float:
        return math.comb(n, k) * p**k * (1 - p) ** (n - k)

    fired = sum(pmf(k_base) * pmf(k) for k_base in range(0, 20) for k in range(0, 40)
                if rose(rate(k_base, n), rate(k, n)))
    assert fired < ALPHA


def _doc(value: dict[str, Any]) -> dict[str, Any]:
    obs = {"id": "OBS-PROTO-5XX-PUT", "clause": "SP-PROTO-010", "question": "q", "status": None,
           "value": value, "summary": "s"}
    return {"target": {"host": "h"}, "suite": {}, "run": {}, "clauses": [], "observations": [obs]}


def test_a_rise_is_one_root_cause_that_names_the_rate() -> None:
    doc = _doc(rate(28, 224, recovered=28))
    compare_baseline(doc, _doc(rate(0, 230)))
    [cause] = root_causes(doc)
    assert cause["summary"] == ("1 in 8 PUTs answers 500 (28 of 224), 28 recovered on replay; "
                                "baseline 0 of 230")
    assert cause["observations"] == ["OBS-PROTO-5XX-PUT"]


def test_rate_phrase_without_a_baseline() -> None:
    assert rate_phrase("GET", rate(3, 30, op="GET")) == "1 in 10 GETs answers 500 (3 of 30)"
