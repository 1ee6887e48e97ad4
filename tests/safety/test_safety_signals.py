"""A run killed half-way (Ctrl-C, a CI cancellation's SIGTERM, an impatient double Ctrl-C) still puts every
profile back, reports, and exits non-zero without a traceback."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from contracts.mock import Faults, MockSpace

from ._helpers import (
    assert_no_traceback,
    clean_env,
    cli_args,
    conformance,
    http_env,
    profiles,
    run_args,
    writes_seen,
)

pytestmark = pytest.mark.http


@pytest.mark.parametrize(("signals", "after", "latency"), [
    pytest.param((signal.SIGINT,), 0, 0.05, id="SIGINT-early"),
    pytest.param((signal.SIGINT,), 120, 0.02, id="SIGINT-deep"),
    pytest.param((signal.SIGTERM,), 0, 0.05, id="SIGTERM-early"),
    pytest.param((signal.SIGINT, signal.SIGINT), 0, 0.05, id="SIGINT-twice"),
])
def test_run_killed_half_way_leaves_every_profile_restored(
        signals: tuple[signal.Signals, ...], after: int, latency: float, tmp_path: Path,
        served: Callable[..., Any]) -> None:
    """``after``: the signal comes once that many requests were answered (and the profile was changed).
    The second Ctrl-C of "twice" comes 60 ms after the first, while the restore (>= 3 answers of 50 ms)
    runs: it must not cut the restore short."""
    space = MockSpace(faults=Faults(latency_s=latency))
    before = profiles(space)
    reports = tmp_path / "reports"
    with served(space) as url:
        proc = subprocess.Popen(cli_args(*run_args(reports, url)), env=clean_env(http_env(space, url)),
                                cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            # Half-way: some writes went through and the stored profile is no longer the one found.
            deadline = time.monotonic() + 60
            while len(writes_seen(space)) < 3 or profiles(space) == before or len(space.request_log) < after:
                assert proc.poll() is None, "the run ended before it was interrupted"
                assert time.monotonic() < deadline, "no write reached the mock within 60 s"
                time.sleep(0.01)
            interrupted_at = len(space.request_log)
            for sig in signals:
                proc.send_signal(sig)
                time.sleep(0.06)
            out, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        after = profiles(space)
        seen = len(space.request_log)

    assert_no_traceback(out, err)
    assert proc.returncode == 3, (proc.returncode, err)
    assert after == before
    doc = conformance(reports)
    assert "interrupted" in (doc["run"]["interrupted"] or "")
    assert doc["restore"]["status"] == "restored"
    assert doc["verdict"] == "inconclusive"
    assert not [c for c in doc["clauses"] if c["verdict"] == "fail"]
    assert not (reports / "snapshot.json").exists()
    # It stopped: after the signal, only the request in flight, the restore and its check went out.
    assert seen - interrupted_at <= 1 + 3 * 2
