"""Zero false alarms: servers that are correct but differ from our mock in every way the docs allow pass.

Each variant wraps the faithful mock's transport and changes its answers only where the documentation
leaves room: extra response members, other spellings of the JSON content type, a fresh project whose
fields are all null, rate limits answered 429 without Retry-After, a load balancer's HTML 503 in front,
identifiers already held by projects the suite cannot see. Each must pass (exit 0), restore what it
changed, and say nothing failed. Regressions are the mutants' business (tests/clauses); this is the other
half of the bargain.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.engine.config import load_config
from contracts.mock import MockConfig, MockSpace
from contracts.runner import execute

#: (request, the mock's answer — computed only when called, request number) -> the answer the client gets.
Rewrite = Callable[[httpx.Request, Callable[[], httpx.Response], int], httpx.Response]


class Wrapped(httpx.BaseTransport):
    """The mock's in-process transport, with each answer passed through ``rewrite``."""

    def __init__(self, space: MockSpace, rewrite: Rewrite) -> None:
        self.inner = space.transport()
        self.rewrite = rewrite
        self.count = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.count += 1

        def answer() -> httpx.Response:
            response = self.inner.handle_request(request)
            response.read()
            return response

        return self.rewrite(request, answer, self.count)


def _json(response: httpx.Response, body: Any, **headers: str) -> httpx.Response:
    merged = {k: v for k, v in response.headers.items() if k.lower() not in ("content-length",)}
    merged.update(headers)
    return httpx.Response(response.status_code, headers=merged, content=json.dumps(body).encode())


def extra_members(request: httpx.Request, call: Callable[[], httpx.Response], n: int) -> httpx.Response:
    response = call()
    try:
        body = response.json()
    except ValueError:
        return response
    if isinstance(body, dict) and "default_codecs" in body:
        body = {**body, "created_at": "2026-01-01T00:00:00Z", "project_id": "p", "links": {"self": "/x"}}
    elif isinstance(body, dict) and isinstance(body.get("errors"), list):
        body = {**body, "request_id": "r-1",
                "errors": [{**e, "source": {"pointer": "/x"}} for e in body["errors"] if isinstance(e, dict)]}
    elif isinstance(body, dict) and "error" in body:
        body = {**body, "request_id": "r-1"}
    return _json(response, body)


def content_type_spelling(spelling: str) -> Rewrite:
    def rewrite(request: httpx.Request, call: Callable[[], httpx.Response], n: int) -> httpx.Response:
        response = call()
        if response.headers.get("content-type", "").startswith("application/json"):
            headers = {k: v for k, v in response.headers.items() if k.lower() != "content-type"}
            return httpx.Response(response.status_code, headers={**headers, "Content-Type": spelling},
                                  content=response.content)
        return response
    return rewrite


def rate_limited_without_retry_after(request: httpx.Request, call: Callable[[], httpx.Response],
                                     n: int) -> httpx.Response:
    # Every 9th request is refused before reaching the service (so it changes nothing), with no Retry-After.
    if n % 9 == 0:
        return httpx.Response(429, headers={"Content-Type": "application/json"},
                              content=b'{"error": "Too Many Requests"}')
    return call()


def html_503(request: httpx.Request, call: Callable[[], httpx.Response], n: int) -> httpx.Response:
    if n % 11 == 0:  # the load balancer answers: the service never sees the request
        return httpx.Response(503, headers={"Content-Type": "text/html"},
                              content=b"<html><body><h1>503 Service Temporarily Unavailable</h1></body>")
    return call()


def _identity(request: httpx.Request, call: Callable[[], httpx.Response], n: int) -> httpx.Response:
    return call()


def _fresh_space() -> MockSpace:
    """A project never configured: every field of its profile null (the page: each "or null")."""
    space = MockSpace()
    service = space._service  # the documented public API has no way to null an identifier
    nulls = {f: None for f in ("domain", "domain_identifier", "default_codecs", "default_ciphers",
                               "default_encryption", "default_send_as")}
    for key in list(service._initial):
        service._initial[key] = dict(nulls)
    service.reset()
    return space


def _others_hold_identifiers() -> MockSpace:
    """A space where projects the suite cannot see already hold a fifth of all identifiers (422 "taken")."""
    return MockSpace(MockConfig(taken_by_others=0.2))


VARIANTS: dict[str, tuple[Callable[[], MockSpace], Rewrite]] = {
    "extra-response-members": (MockSpace, extra_members),
    "content-type-charset": (MockSpace, content_type_spelling("application/json; charset=utf-8")),
    "content-type-upper-case": (MockSpace, content_type_spelling("Application/JSON;charset=UTF-8")),
    "fresh-project-all-null": (_fresh_space, _identity),
    "429-without-retry-after": (MockSpace, rate_limited_without_retry_after),
    "load-balancer-html-503": (MockSpace, html_503),
    "identifiers-taken-by-others": (_others_hold_identifiers, _identity),
}


@pytest.mark.slow
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_a_correct_but_different_server_passes(variant: str, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    make, rewrite = VARIANTS[variant]
    space = make()
    before = {who: space.profile(who) for who in ("primary", "secondary")}
    # No real waiting for the 429/503 retries: the client's backoff is what is under test, not the clock.
    monkeypatch.setattr("time.sleep", lambda s: None)
    cfg = load_config(env={}, seed=3, report_dir=tmp_path, example_db="none")
    doc = execute(cfg, transport=Wrapped(space, rewrite)).doc
    bad = {c["id"]: f"{c['verdict']}: {c['reason']}" for c in doc["clauses"]
           if c["verdict"] not in ("pass", "skipped")}
    assert bad == {}, variant
    assert doc["restore"]["status"] == "restored", doc["restore"]
    assert {who: space.profile(who) for who in ("primary", "secondary")} == before


@pytest.fixture(scope="module")
def faithful_baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    cfg = load_config(env={}, seed=3, report_dir=tmp_path_factory.mktemp("faithful"), example_db="none")
    return execute(cfg).doc


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["429-without-retry-after", "load-balancer-html-503"])
def test_busy_answers_are_no_regression_against_a_faithful_baseline(
        variant: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        faithful_baseline: dict[str, Any]) -> None:
    """Counted and shown (run health), never a drift: a busy account is not a server bug (SP-PROTO-010)."""
    from contracts import report

    make, rewrite = VARIANTS[variant]
    monkeypatch.setattr("time.sleep", lambda s: None)
    cfg = load_config(env={}, seed=3, report_dir=tmp_path, example_db="none")
    doc = report.finish(execute(cfg, transport=Wrapped(make(), rewrite)).doc,
                        baseline=faithful_baseline).dump()
    assert doc["exit_code"] == 0 and doc["root_causes"] == [], doc["root_causes"]
    health = doc["health"]
    seen = health["busy"].get("429", 0) + sum(o["unavailable"] for o in health["operations"].values())
    assert seen > 0  # counted all the same
