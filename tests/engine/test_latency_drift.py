"""Latency drift (SP-PROTO-009): a markedly slower operation drifts; the network's share never does.

Runs against the in-process mock, each compared with a baseline run on the faithful mock without
latency: the slow-put mutant drifts; a uniform +100 ms, a noisy link, 429 bursts and 503s do not.
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.engine.config import load_config
from contracts.errors import ConfigError
from contracts.mock import Faults, MockSpace
from contracts.report import compare_baseline, finish
from contracts.runner import execute
from contracts.runner._rerun import rerun_argv

LATENCY = ("OBS-LATENCY-PUT", "OBS-LATENCY-PUT-422")


class Noisy(httpx.BaseTransport):
    """A link whose delay varies from request to request (0-30 ms, seeded)."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner, self.rng = inner, random.Random(7)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        time.sleep(self.rng.uniform(0.0, 0.03))
        return self.inner.handle_request(request)


def _run(tmp_path: Path, *, mutant: str | None = None, faults: Faults | None = None, noisy: bool = False,
         baseline: dict[str, Any] | None = None, factor: float | None = None) -> dict[str, Any]:
    cfg = load_config(env={}, seed=1, report_dir=tmp_path, mutant=mutant, example_db="none",
                      latency_factor=factor)
    transport: httpx.BaseTransport | None = None
    if faults is not None or noisy:
        transport = MockSpace(mutant=mutant, faults=faults or Faults(), seed=1).transport()
        transport = Noisy(transport) if noisy else transport
    return finish(execute(cfg, transport=transport).document, baseline=baseline).dump()


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _run(tmp_path_factory.mktemp("baseline"))


def _drift(doc: dict[str, Any]) -> list[str]:
    return [o["id"] for o in doc["baseline"]["observations"]["changed"]]


def test_every_run_times_its_puts_at_no_extra_request(baseline: dict[str, Any]) -> None:
    values = {o["id"]: o["value"] for o in baseline["observations"] if o["id"] in LATENCY}
    assert set(values) == set(LATENCY)
    for value in values.values():
        assert value["measure"] == "median-ratio" and value["samples"] >= 5 and value["ratio"] > 0


@pytest.mark.slow
def test_a_slow_write_path_drifts(baseline: dict[str, Any], tmp_path: Path) -> None:
    doc = _run(tmp_path, mutant="slow-put", baseline=baseline)
    assert _drift(doc) == list(LATENCY)
    assert doc["exit_code"] == 1


@pytest.mark.slow
def test_a_factor_above_the_slow_down_hides_it(baseline: dict[str, Any], tmp_path: Path) -> None:
    doc = _run(tmp_path, mutant="slow-put", baseline=baseline, factor=1000)
    assert _drift(doc) == []


@pytest.mark.slow
@pytest.mark.parametrize(("faults", "noisy"), [
    (Faults(latency_s=0.1), False),  # every request 100 ms slower
    (None, True),  # a noisy link
    (Faults(rate_limit_every=20, rate_limit_burst=2, retry_after_s=0.01), False),  # 429 bursts
    (Faults(error_rate=0.05, retry_after_s=0.01), False),  # 503s
], ids=["uniform-100ms", "noisy", "429-bursts", "503s"])
def test_the_network_is_not_drift(faults: Faults | None, noisy: bool, baseline: dict[str, Any],
                                  tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if faults is not None and not faults.latency_s:
        # No real waiting for Retry-After and the slowed pace: what the client times is the answer only.
        import contracts.runner._run as run_module

        build = run_module.build_client

        def quick_client(*args: Any) -> Any:
            client = build(*args)
            client._sleep = lambda s: None
            return client

        monkeypatch.setattr(run_module, "build_client", quick_client)
    doc = _run(tmp_path, faults=faults, noisy=noisy, baseline=baseline)
    assert _drift(doc) == []
    assert doc["exit_code"] == 0


def _obs(ratio: float | None, extra_ms: float | None, factor: float = 3.0) -> dict[str, Any]:
    value = {"measure": "median-ratio", "ratio": ratio, "extra_ms": extra_ms, "factor": factor, "samples": 9}
    return {"id": "OBS-LATENCY-PUT", "clause": "SP-PROTO-009", "status": None, "value": value}


def _doc(obs: dict[str, Any]) -> dict[str, Any]:
    return {"clauses": [], "observations": [obs], "target": {"host": "h"}, "suite": {}, "run": {}}


@pytest.mark.parametrize(("before", "after", "drift"), [
    (_obs(1.1, 0.1), _obs(3.4, 30.0), True),  # three times slower and 30 ms
    (_obs(1.1, 0.1), _obs(3.2, 30.0), False),  # under the factor
    (_obs(0.2, -5.0), _obs(2.9, 20.0), False),  # the factor applies to at least parity with a GET
    (_obs(1.0, 0.0), _obs(9.0, 4.0), False),  # nine times, but 4 ms: noise of a fast target
    (_obs(9.0, 80.0), _obs(1.0, 0.0), False),  # faster is no drift
    (_obs(None, None), _obs(9.0, 80.0), False),  # nothing to compare with
    (_obs(1.0, 0.0), _obs(9.0, 80.0, factor=10), False),  # the run's own factor decides
    (_obs(1.0, 0.0), _obs(9.0, 80.0, factor=2), True),
])
def test_a_measurement_drifts_only_when_markedly_slower(before: dict[str, Any], after: dict[str, Any],
                                                        drift: bool) -> None:
    result = compare_baseline(_doc(after), _doc(before))
    assert bool(result["observations"]["changed"]) is drift


def test_the_factor_is_validated_and_carried_by_the_rerun_command(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--latency-factor"):
        load_config(env={}, latency_factor=1.0)
    cfg = load_config(env={}, seed=1, latency_factor=4.5)
    assert "--latency-factor 4.5" in " ".join(rerun_argv(cfg))
