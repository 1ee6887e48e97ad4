"""The client's own rules, on a scripted transport: stray 500s, swallowed interrupts, pacing."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator

import httpx
import pytest

from contracts.engine.client import Client
from contracts.engine.config import Credentials
from contracts.engine.safety import terminate_as_interrupt

CREDS = Credentials("project", "token")


def scripted(statuses: list[int]) -> tuple[httpx.MockTransport, list[str]]:
    seen: list[str] = []
    answers: Iterator[int] = iter(statuses)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        status = next(answers)
        headers = {"retry-after": "0"} if status in (429, 503) else {}
        return httpx.Response(status, json={"status": status}, headers=headers)

    return httpx.MockTransport(handler), seen


def client(transport: httpx.BaseTransport, **kwargs: object) -> Client:
    return Client(base_url="http://target.test", transport=transport, allow_writes=True, budget=50,
                  sleep=lambda s: None, **kwargs)  # type: ignore[arg-type]


def test_a_stray_500_is_flakiness_not_a_verdict() -> None:
    transport, seen = scripted([500, 200])
    c = client(transport)
    ex = c.request("GET", creds=CREDS)
    assert ex.status == 200 and len(seen) == 2
    assert c.recorder.flaky["500-recovered"] == 1


def test_a_500_that_keeps_coming_back_is_reported() -> None:
    transport, seen = scripted([500, 500, 500])
    c = client(transport)
    assert c.request("PUT", creds=CREDS, body={}).status == 500
    assert len(seen) == 3  # the first answer and `retries` (2) replays
    assert not c.recorder.flaky


def test_429_slows_the_pace_and_answers_speed_it_up_again() -> None:
    transport, _ = scripted([429, 200] + [200] * 40)
    c = client(transport)
    c.request("GET", creds=CREDS)
    assert c.pace > 0
    for _ in range(40):
        c.request("GET", creds=CREDS)
    assert c.pace == 0.0


def test_budget_is_a_hard_cap() -> None:
    from contracts.errors import BudgetExhausted

    transport, seen = scripted([200] * 10)
    c = Client(base_url="http://target.test", transport=transport, allow_writes=True, budget=3)
    for _ in range(3):
        c.request("GET", creds=CREDS)
    with pytest.raises(BudgetExhausted):
        c.request("GET", creds=CREDS)
    assert len(seen) == 3


def test_an_interrupt_swallowed_by_a_gc_callback_still_stops_the_next_request() -> None:
    transport, seen = scripted([200] * 3)
    c = client(transport)
    with terminate_as_interrupt(c.stop):
        # What CPython does when SIGINT lands in a gc callback: the exception goes to the unraisable hook.
        info = types.SimpleNamespace(exc_type=KeyboardInterrupt, exc_value=KeyboardInterrupt(),
                                     exc_traceback=None, err_msg=None, object=None)
        sys.unraisablehook(info)  # type: ignore[arg-type]
        with pytest.raises(KeyboardInterrupt):
            c.request("GET", creds=CREDS)
    assert seen == []


def _answers(*answers: tuple[int, dict[str, str]]) -> httpx.MockTransport:
    it = iter(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        status, headers = next(it)
        return httpx.Response(status, text="<html>busy</html>" if status == 503 else "{}", headers=headers)

    return httpx.MockTransport(handler)


def test_a_recovered_500_is_still_recorded_with_its_request() -> None:
    c = client(_answers((500, {}), (201, {})))
    assert c.request("PUT", creds=CREDS, body={"default_encryption": "required"}).status == 201
    [error] = c.recorder.server_errors
    assert (error.method, error.status, error.recovered, error.unavailable) == ("PUT", 500, True, False)
    assert error.request["body"] == {"default_encryption": "required"}
    assert CREDS.token not in repr(error.request)  # credentials travel as httpx auth, never in the record
    assert c.recorder.operations()["PUT"] == {"requests": 2, "server_errors": 1, "unavailable": 0,
                                              "recovered": 1, "by_status": {"500": 1}}


def test_a_500_that_repeats_is_recorded_as_not_recovered() -> None:
    c = client(_answers((500, {}), (502, {}), (500, {})))
    assert c.request("GET", creds=CREDS).status == 500
    assert [(e.status, e.recovered) for e in c.recorder.server_errors] == [(500, False), (502, False),
                                                                          (500, False)]


def test_busy_answers_are_counted_apart_and_a_503_without_retry_after_is_unavailable() -> None:
    c = client(_answers((429, {}), (503, {"retry-after": "0"}), (503, {}), (200, {})))
    assert c.request("GET", creds=CREDS).status == 200
    assert dict(c.recorder.busy) == {"429": 1, "503-retry-after": 1}
    [lb] = c.recorder.server_errors
    assert lb.unavailable and lb.recovered
    assert c.recorder.operations()["GET"]["server_errors"] == 0
    assert c.recorder.operations()["GET"]["unavailable"] == 1


def test_a_503_that_never_ends_is_recorded_before_the_request_gives_up() -> None:
    from contracts.errors import NoAnswer

    c = client(_answers(*[(503, {})] * 6))
    with pytest.raises(NoAnswer):
        c.request("GET", creds=CREDS)
    assert len(c.recorder.server_errors) == 6 and not any(e.recovered for e in c.recorder.server_errors)
