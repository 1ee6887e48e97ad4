"""The deep profile's stateful test of SP-STATE-005: random write/read sequences, shrunk on failure."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from contracts.clauses._stateful import run_sequences
from contracts.engine.client import Exchange
from contracts.engine.config import load_config
from contracts.engine.verdicts import Violation
from contracts.runner import Run


def _run(mutant: str | None, tmp_path: Path, *, profile: str = "deep") -> Run:
    cfg = load_config(env={}, seed=4, report_dir=tmp_path, mutant=mutant, example_db="none", profile=profile)
    return Run(cfg)


@pytest.mark.slow
def test_a_stale_read_is_found_and_shrunk_to_a_short_sequence(tmp_path: Path) -> None:
    with _run("stale-get", tmp_path) as run:
        run.client.recorder.clause = "SP-STATE-005"
        start = run.client.recorder.total
        with pytest.raises(Violation) as caught:
            run_sequences(run.session, "SP-STATE-005", examples=20)
        spent = run.client.recorder.total - start
    steps = [line for line in (caught.value.example or "").splitlines() if line.startswith("curl")]
    # Two PUTs of different bodies and a GET are the least that shows a GET answering the older one.
    # Hypothesis stops generating by time as well as by count, so on a loaded machine the first failure
    # may come from a sequence its replay cannot reproduce (the mock's "previous" profile differs): then
    # the shortest failing sequence seen is reported, which must still be short.
    assert 2 <= len(steps) <= 6, steps
    assert "-X GET" in steps[-1]
    assert "shrunk" in caught.value.message or "not reproducible to shrink" in caught.value.message
    assert spent <= run.cfg.budget  # within the run's budget (a share of what was left)


@pytest.mark.slow
def test_the_faithful_mock_survives_the_sequences(tmp_path: Path) -> None:
    with _run(None, tmp_path) as run:
        run.client.recorder.clause = "SP-STATE-005"
        run_sequences(run.session, "SP-STATE-005", examples=10)
        assert run.session.monitor.seen.get("SP-STATE-005", []) == []


@pytest.mark.slow
def test_only_the_deep_profile_runs_them(tmp_path: Path) -> None:
    clause = next(c for c in Run(load_config(env={}, report_dir=tmp_path)).clauses if c.id == "SP-STATE-005")
    counts = {}
    for profile in ("quick", "deep"):
        with _run(None, tmp_path / profile, profile=profile) as run:
            result = run.run(clause)
        counts[profile] = result.requests
        assert result.verdict == "pass"
    assert counts["quick"] <= 3 < counts["deep"]  # quick: one GET (plus the rehearsal's PUT and GET)


@pytest.mark.slow
def test_the_sequences_are_the_seeds_not_chance(tmp_path: Path) -> None:
    """Two runs with one seed send the same sequences (the seed reaches the machine, not a wrapper)."""
    sent = []
    for n in range(2):
        with _run(None, tmp_path / str(n)) as run:
            run.client.recorder.clause = "SP-STATE-005"
            seen: list[tuple[str, str]] = []
            watch = run.client.on_exchange

            def record(ex: Exchange, watch: Callable[[Exchange], None] = watch,
                       seen: list[tuple[str, str]] = seen) -> None:
                seen.append((ex.method, str(ex.request_dict().get("body"))))
                watch(ex)

            run.client.on_exchange = record
            run_sequences(run.session, "SP-STATE-005", examples=5)
            sent.append(seen)
    assert sent[0] == sent[1]
    assert len(sent[0]) > 10
