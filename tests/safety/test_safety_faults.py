"""Fault injection over real HTTP: a flaky but faithful target gives no false failure, the budget holds,
every fault that recovered is reported, and every profile ends exactly as it was found."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from contracts.mock import Faults, MockSpace

from ._helpers import (
    Refuse,
    assert_no_traceback,
    conformance,
    has_auth,
    http_env,
    profiles,
    requests_seen,
    run_args,
    run_cli,
    run_http,
)

pytestmark = pytest.mark.http

#: Every fault at once: 5% 503, 3% dropped connections, latency, and a 429 with Retry-After at request 100
#: (a quick run sends ~150). One 429 only: after a 429 the client slows itself down for the rest of the run
#: (0.1 s between requests, doubling with each further 429), and the mock's 429s come by request count, not
#: by rate, so slowing down would not make them rarer as it would on a real target. Retry-After is short so
#: the test stays fast; the client honours whatever the header says (drops cost a fixed 0.5 s backoff).
FLAKY = Faults(latency_s=0.002, rate_limit_every=100, rate_limit_burst=1, retry_after_s=0.02,
               error_rate=0.05, drop_rate=0.03)
BUDGET = 400  #: the quick profile's budget


def _fault_counts(space: MockSpace) -> Counter[str]:
    names = {"rate_limit": "429", "error": "503", "drop": "dropped"}
    return Counter(names[kind] for _, kind in space.fault_log if kind in names)


@pytest.mark.parametrize("seed", [1, pytest.param(2, marks=pytest.mark.slow)])
def test_flaky_target_passes_within_budget_and_is_restored_exactly(
        seed: int, tmp_path: Path, served: Callable[..., Any]) -> None:
    space = MockSpace(faults=FLAKY, seed=seed)
    before = profiles(space)
    with served(space) as url:
        run = run_http(space, url, tmp_path, seed=seed, budget=BUDGET)
    doc = run.doc

    # No false failures: every clause that could run passed, despite 429s, 503s and dropped connections.
    assert run.with_verdict("fail", "error", "inconclusive") == {}
    assert doc["verdict"] == "pass" and doc["exit_code"] == 0
    faults = _fault_counts(space)
    assert faults["429"] and faults["503"] and faults["dropped"], f"the faults did not fire: {faults}"

    # The budget: what reached the mock (its own count) is what the suite counted, clauses stayed within
    # the budget, and only the restore went beyond it, within its reserve.
    seen = requests_seen(space)
    assert seen == doc["requests"]["total"]
    assert sum(c["requests"] for c in doc["clauses"]) <= BUDGET
    assert seen <= BUDGET + run.reserve

    # Every fault recovered on retry, and the report lists each kind with the mock's own count.
    assert {f["kind"]: f["count"] for f in doc["flakiness"]} == dict(faults)
    assert all(f["recovered"] for f in doc["flakiness"])
    assert doc["requests"]["retries"] == sum(faults.values())

    # Restored exactly: every stored field of every project, domain included.
    assert doc["restore"]["status"] == "restored"
    assert profiles(space) == before
    assert not (tmp_path / "snapshot.json").exists()


def test_budget_is_a_hard_cap_and_a_flaky_restore_after_it_still_completes(
        tmp_path: Path, served: Callable[..., Any]) -> None:
    """The budget (60) runs out mid-run (a quick run needs ~260), and every request of the restore that
    follows needs four attempts (three 503s first). The restore must complete within its reserve."""
    budget = 60

    def wrap(app: Any) -> Refuse:
        return Refuse(app, lambda scope, n, body: n > budget and (n - budget) % 4 != 0, status=503)

    space = MockSpace()
    before = profiles(space)
    with served(space, wrap) as url:
        run = run_http(space, url, tmp_path, budget=budget)
        seen, refused = space.app.count, list(space.app.refused)
    doc = run.doc
    assert refused, "the restore met no 503: the budget was not spent"
    assert seen == doc["requests"]["total"]
    assert sum(c["requests"] for c in doc["clauses"]) <= budget
    assert seen <= budget + run.reserve
    spent = run.with_verdict("inconclusive")
    assert spent and all("budget" in reason for reason in spent.values()), spent
    assert run.with_verdict("fail", "error") == {}
    assert doc["restore"]["status"] == "restored", doc["restore"]
    assert profiles(space) == before


@pytest.mark.parametrize("status", [503, 504, 502])
def test_requests_never_answered_make_their_clause_inconclusive_not_failed(
        status: int, tmp_path: Path, served: Callable[..., Any]) -> None:
    """Every request without credentials gets a lasting 503 (or gateway error): SP-AUTH-001 never gets a
    real answer. It is inconclusive, nothing fails, and the unanswered 5xx are no SP-PROTO-004 violation.
    (A lasting 429 is the same path in the client, but slows the rest of the run to 2 s per request.)"""
    space = MockSpace()
    before = profiles(space)

    def wrap(app: Any) -> Refuse:
        return Refuse(app, lambda scope, n, body: not has_auth(scope), status=status)

    with served(space, wrap) as url:
        run = run_http(space, url, tmp_path)
        refused = space.app.refused
    assert refused, "no request without credentials was sent"
    inconclusive = run.with_verdict("inconclusive")
    assert "SP-AUTH-001" in inconclusive
    assert all(f"still {status}" in reason for reason in inconclusive.values()), inconclusive
    assert run.with_verdict("fail", "error") == {}
    assert run.verdicts["SP-PROTO-004"] == "pass"
    assert run.doc["verdict"] == "inconclusive" and run.doc["exit_code"] == 3
    # Answers that never came are not "recovered" flakiness.
    assert str(status) not in {f["kind"] for f in run.doc["flakiness"]}
    assert profiles(space) == before


def test_retry_after_beyond_the_wait_limit_is_inconclusive(tmp_path: Path,
                                                           served: Callable[..., Any]) -> None:
    """A Retry-After longer than the run may wait (30 s) is not waited out: the clause is inconclusive."""
    space = MockSpace()
    before = profiles(space)

    def wrap(app: Any) -> Refuse:
        return Refuse(app, lambda scope, n, body: not has_auth(scope), status=429, retry_after="3600")

    with served(space, wrap) as url:
        run = run_http(space, url, tmp_path)
    assert "Retry-After" in run.with_verdict("inconclusive")["SP-AUTH-001"]
    assert run.with_verdict("fail", "error") == {}
    assert run.doc["run"]["duration_s"] < 30
    assert profiles(space) == before


def test_cli_lists_recovered_faults_in_conformance_json(tmp_path: Path, served: Callable[..., Any]) -> None:
    """The same through `sip-contracts run`: the written conformance.json counts each kind of fault that
    recovered, exactly as often as the mock injected it, and the run exits 0."""
    space = MockSpace(faults=Faults(latency_s=0.001, error_rate=0.05, retry_after_s=0.01), seed=4)
    before = profiles(space)
    reports = tmp_path / "reports"
    with served(space) as url:
        done = run_cli(run_args(reports, url), http_env(space, url), tmp_path)
    assert_no_traceback(done.stdout, done.stderr)
    assert done.returncode == 0, done.stderr
    doc = conformance(reports)
    faults = _fault_counts(space)
    assert faults["503"], faults
    assert doc["flakiness"] == [{"kind": k, "count": n, "recovered": True} for k, n in sorted(faults.items())]
    assert doc["requests"]["total"] == requests_seen(space)
    assert profiles(space) == before
