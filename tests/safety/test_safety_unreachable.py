"""A target that does not answer: nothing listening, a server that accepts and then hangs, a target that
stops answering mid-run. The run ends by itself, in bounded time, with exit 3 (or 1 when a profile it
wrote could not be put back), and never calls silence a contract violation."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from contracts.mock import Faults, MockSpace

from ._helpers import (
    TIMEOUT_S,
    assert_no_traceback,
    conformance,
    free_port,
    http_env,
    profiles,
    run_args,
    run_cli,
    run_http,
    writes_seen,
)

pytestmark = pytest.mark.http

#: Per request at most retries+1 attempts of TIMEOUT_S plus the client's backoff (0.5 s + 1 s); the run
#: gives up after three requests in a row got no answer. Generous, yet far below a hung CI job.
BOUND_S = 30


def _assert_gave_up(doc: dict[str, Any]) -> None:
    assert doc["verdict"] == "inconclusive" and doc["exit_code"] == 3
    assert "stopped answering" in (doc["run"]["interrupted"] or "")
    verdicts = {c["verdict"] for c in doc["clauses"]}
    assert "fail" not in verdicts and "pass" not in verdicts, verdicts
    assert doc["restore"]["status"] == "not-needed"


def test_nothing_listening_exits_3_in_bounded_time(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = http_env(MockSpace(), url)
    started = time.monotonic()
    done = run_cli(run_args(tmp_path / "r", url, "--timeout", str(TIMEOUT_S)), env, tmp_path, timeout=120)
    elapsed = time.monotonic() - started
    assert_no_traceback(done.stdout, done.stderr)
    assert done.returncode == 3, done.stderr
    assert elapsed < BOUND_S, elapsed
    doc = conformance(tmp_path / "r")
    _assert_gave_up(doc)
    assert doc["requests"]["total"] <= 3 * 3  # three requests, each retried twice
    assert not (tmp_path / "r" / "snapshot.json").exists()


@pytest.mark.slow
def test_server_that_accepts_and_hangs_exits_3_in_bounded_time(tmp_path: Path,
                                                               served: Callable[..., Any]) -> None:
    space = MockSpace(faults=Faults(stop_after=0))
    before = profiles(space)
    with served(space) as url:
        started = time.monotonic()
        done = run_cli(run_args(tmp_path / "r", url, "--timeout", str(TIMEOUT_S)), http_env(space, url),
                       tmp_path, timeout=120)
        elapsed = time.monotonic() - started
    assert_no_traceback(done.stdout, done.stderr)
    assert done.returncode == 3, done.stderr
    assert elapsed < BOUND_S, elapsed
    _assert_gave_up(conformance(tmp_path / "r"))
    assert space.request_log == []  # every request hung: none was answered, so none was applied
    assert profiles(space) == before


@pytest.mark.slow
def test_target_that_stops_mid_run_is_reported_and_the_snapshot_kept(tmp_path: Path,
                                                                      served: Callable[..., Any]) -> None:
    """After 60 requests the mock hangs for good: clauses after that are inconclusive (never failed), the
    run ends early, the restore cannot reach the target, says so, and keeps snapshot.json."""
    space = MockSpace(faults=Faults(stop_after=60, latency_s=0.001))
    before = profiles(space)
    with served(space) as url:
        started = time.monotonic()
        run = run_http(space, url, tmp_path, timeout_s=TIMEOUT_S)
        elapsed = time.monotonic() - started
        assert writes_seen(space), "the mock stopped before the run wrote anything: move stop_after"
    doc = run.doc
    assert elapsed < BOUND_S, elapsed
    assert "stopped answering" in (doc["run"]["interrupted"] or "")
    assert run.with_verdict("fail", "error") == {}
    assert run.with_verdict("pass"), "nothing ran before the target stopped"
    assert run.with_verdict("inconclusive")
    assert doc["restore"]["status"] == "failed"
    assert doc["exit_code"] != 0
    snapshot = json.loads((tmp_path / "snapshot.json").read_text())
    stored = before["primary"]
    assert {k: v for k, v in snapshot["profiles"]["primary"].items() if k in stored} == stored
