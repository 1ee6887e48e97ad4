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
