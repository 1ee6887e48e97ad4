"""Fault switches, in-process and over HTTP: reproducible, composable, and never touching state."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from contracts.mock import Faults, MockSpace, serving
from contracts.spec import PATH

PUT = {"default_encryption": "required"}


def statuses(call: Any, n: int) -> list[int]:
    return [call("GET").status_code for _ in range(n)]


@pytest.mark.parametrize("kwargs", [
    {"latency_s": -1}, {"error_rate": 1.5}, {"drop_rate": -0.1}, {"rate_limit_every": -1},
    {"rate_limit_burst": 0}, {"stop_after": -1}, {"retry_after_s": -1},
])
def test_faults_reject_bad_values_naming_the_switch(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        Faults(**kwargs)


def test_all_switches_are_off_by_default(connect: Any) -> None:
    space = MockSpace()
    assert space.faults == Faults()
    assert statuses(connect(space), 20) == [200] * 20
    assert space.fault_log == []


def test_latency_is_added_to_every_answer(connect: Any) -> None:
    space = MockSpace(faults=Faults(latency_s=0.15))
    call = connect(space)
    start = time.monotonic()
    assert call("GET").status_code == 200 and call("PUT", PUT).status_code == 201
    assert time.monotonic() - start >= 0.3
    assert space.fault_log == [(1, "latency"), (2, "latency")]


def test_latency_over_the_client_timeout_times_out(connect: Any) -> None:
    with pytest.raises(httpx.ReadTimeout):
        connect(MockSpace(faults=Faults(latency_s=1)), timeout=0.1)("GET")


def test_rate_limit_bursts_answer_429_with_retry_after(connect: Any) -> None:
    space = MockSpace(faults=Faults(rate_limit_every=3, rate_limit_burst=2, retry_after_s=0.5))
    call = connect(space)
    answers = [call("PUT", PUT) for _ in range(8)]
    assert [r.status_code for r in answers] == [201, 201, 429, 429, 201, 429, 429, 201]
    limited = answers[2]
    assert limited.json() == {"error": "Too Many Requests"} and limited.headers["retry-after"] == "0.5"
    assert limited.headers["content-type"] == "application/json"
    assert [k for _, k in space.fault_log] == ["rate_limit"] * 4


def test_retry_after_is_whole_seconds_when_it_can_be(connect: Any) -> None:
    r = connect(MockSpace(faults=Faults(rate_limit_every=1)))("GET")
    assert (r.status_code, r.headers["retry-after"]) == (429, "1")


def test_errors_answer_503_before_touching_state(connect: Any) -> None:
    space = MockSpace(faults=Faults(error_rate=1.0, retry_after_s=2))
    r = connect(space)("PUT", PUT)
    assert (r.status_code, r.json(), r.headers["retry-after"]) == (503, {"error": "Service Unavailable"}, "2")
    assert space.profile("primary")["default_encryption"] == "optional"
    assert space.request_log == [("PUT", PATH, 503)] and space.fault_log == [(1, "error")]


def test_random_faults_are_reproducible_from_the_seed(connect: Any) -> None:
    def run(seed: int) -> list[int]:
        return statuses(connect(MockSpace(faults=Faults(error_rate=0.5), seed=seed)), 40)

    first = run(7)
    assert first == run(7)
    assert 5 < first.count(503) < 35 and first != run(8)


def test_reset_replays_the_same_faults(connect: Any) -> None:
    space = MockSpace(faults=Faults(error_rate=0.5, rate_limit_every=4), seed=3)
    call = connect(space)
    first = statuses(call, 20)
    log = space.fault_log
    space.reset()
    assert statuses(call, 20) == first and space.fault_log == log


def test_drops_in_process_raise_remote_protocol_error_and_change_nothing(connect: Any) -> None:
    space = MockSpace(faults=Faults(drop_rate=1.0))
    with pytest.raises(httpx.RemoteProtocolError):
        connect(space)("PUT", PUT)
    assert space.profile("primary")["default_encryption"] == "optional"
    assert space.request_log == [] and space.fault_log == [(1, "drop")]


def test_stop_after_hangs_until_the_client_times_out(connect: Any) -> None:
    space = MockSpace(faults=Faults(stop_after=2))
    call = connect(space, timeout=0.2)
    assert statuses(call, 2) == [200, 200]
    start = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        call("PUT", PUT)
    assert time.monotonic() - start < 2
    assert space.profile("primary")["default_encryption"] == "optional"
    assert space.fault_log == [(3, "hang")]


def test_switches_compose(connect: Any) -> None:
    faults = Faults(latency_s=0.01, rate_limit_every=2, error_rate=0.3, drop_rate=0.3)
    space = MockSpace(faults=faults, seed=1)
    call = connect(space)
    seen: set[object] = set()
    for _ in range(30):
        try:
            seen.add(call("GET").status_code)
        except httpx.RemoteProtocolError:
            seen.add("drop")
    assert seen == {200, 429, 503, "drop"}
    assert {k for _, k in space.fault_log} == {"latency", "rate_limit", "error", "drop"}


# -- over HTTP ------------------------------------------------------------------------------------------
over_http = pytest.mark.http


@over_http
def test_http_drop_gives_an_incomplete_answer() -> None:
    space = MockSpace(faults=Faults(drop_rate=1.0))
    with serving(space) as url, pytest.raises(httpx.RemoteProtocolError):
        httpx.put(url + PATH, json=PUT, timeout=5)
    assert space.profile("primary")["default_encryption"] == "optional"


@over_http
def test_http_rate_limit_and_latency() -> None:
    space = MockSpace(faults=Faults(rate_limit_every=2, latency_s=0.1, retry_after_s=3))
    with serving(space) as url, httpx.Client(base_url=url, timeout=5) as client:
        start = time.monotonic()
        first, second = client.get(PATH), client.get(PATH)
        assert time.monotonic() - start >= 0.2
    # No credentials: the first request reaches the service (401), the second is stopped by the fault layer.
    assert first.status_code == 401
    assert (second.status_code, second.headers["retry-after"], second.json()) == (
        429, "3", {"error": "Too Many Requests"})


@over_http
def test_http_stop_after_times_out_the_client() -> None:
    space = MockSpace(faults=Faults(stop_after=1))
    start = time.monotonic()
    with serving(space) as url, httpx.Client(base_url=url, timeout=0.3) as client:
        assert client.get(PATH).status_code == 401
        with pytest.raises(httpx.ReadTimeout):
            client.get(PATH)
    assert time.monotonic() - start < 3  # the hanging request does not hold up the server's stop
