"""Thread safety under concurrent PUTs, and no crash or 5xx for any JSON a client can send."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.mock import MockSpace, serving
from contracts.spec import PATH, load_spec

SPEC = load_spec()


def bodies(n: int) -> list[dict[str, Any]]:
    """n complete, valid, pairwise different bodies (so a mix of two would be recognisable)."""
    out = []
    for i in range(n):
        out.append({
            "domain_identifier": f"thread-{i}",
            "default_codecs": [SPEC.codecs[i % len(SPEC.codecs)], SPEC.codecs[(i + 1) % len(SPEC.codecs)]],
            "default_ciphers": [SPEC.ciphers[i % len(SPEC.ciphers)]],
            "default_encryption": SPEC.encryption_values[i % 2],
            "default_send_as": "+1201555" + f"{100 + i:04d}",
        })
    return out


def hammer(space: MockSpace, client: httpx.Client, threads: int = 8, rounds: int = 25) -> None:
    p = space.projects["primary"]
    sent = bodies(threads)
    barrier = threading.Barrier(threads)

    def worker(body: dict[str, Any]) -> list[dict[str, Any]]:
        barrier.wait()
        answers = []
        for _ in range(rounds):
            r = client.put(PATH, json=body, auth=(p.project_id, p.token))
            assert r.status_code == 201, r.text
            answers.append(r.json())
            seen = client.get(PATH, auth=(p.project_id, p.token)).json()
            assert {k: seen[k] for k in body} in sent  # a whole body, never a mix of two
        return answers

    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(worker, sent))
    for body, answers in zip(sent, results, strict=True):
        assert all({k: a[k] for k in body} == body for a in answers)  # each PUT answered its own body
    final = space.profile("primary")
    assert {k: final[k] for k in sent[0]} in sent
    assert len(space.request_log) == threads * rounds * 2


def test_concurrent_puts_in_process_never_corrupt_state() -> None:
    space = MockSpace()
    with httpx.Client(transport=space.transport(), base_url=space.base_url) as client:
        hammer(space, client)


def test_concurrent_puts_over_http_never_corrupt_state() -> None:
    space = MockSpace()
    with serving(space) as url, httpx.Client(base_url=url, limits=httpx.Limits(max_connections=8)) as client:
        hammer(space, client, rounds=10)


def test_racing_for_one_identifier_exactly_one_project_wins() -> None:
    space = MockSpace()
    with httpx.Client(transport=space.transport(), base_url=space.base_url) as client:
        for round_ in range(20):
            barrier = threading.Barrier(2)

            def claim(name: str, identifier: str = f"contested-{round_}",
                      barrier: threading.Barrier = barrier) -> int:
                p = space.projects[name]
                barrier.wait()
                r = client.put(PATH, json={"domain_identifier": identifier}, auth=(p.project_id, p.token))
                return r.status_code

            with ThreadPoolExecutor(2) as pool:
                assert sorted(pool.map(claim, ["primary", "secondary"])) == [201, 422]
            ids = [space.profile(n)["domain_identifier"] for n in ("primary", "secondary")]
            assert len(set(ids)) == 2


# -- any JSON: 201 or 422, never a crash, and a 422 changes nothing ---------------------------------------
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
    | st.sampled_from([*SPEC.codecs, *SPEC.ciphers, *SPEC.encryption_values, "", "+12015550123", "x-y"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=8,
)
BODY = st.dictionaries(st.sampled_from(SPEC.update_fields) | st.text(max_size=8), JSON, max_size=6)


@pytest.fixture(scope="module")
def shared() -> Iterator[tuple[MockSpace, httpx.Client]]:
    # Module-scoped: Hypothesis runs many examples per test, and one space reset per example is enough.
    space = MockSpace()
    with httpx.Client(transport=space.transport(), base_url=space.base_url) as client:
        yield space, client


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=BODY | JSON)
def test_any_json_body_is_answered_201_or_422(shared: tuple[MockSpace, httpx.Client], body: Any) -> None:
    space, client = shared
    space.reset()
    p = space.projects["primary"]
    before = space.profile("primary")
    r = client.put(PATH, content=json.dumps(body).encode(), auth=(p.project_id, p.token),
                    headers={"Content-Type": "application/json"})
    assert r.status_code in (201, 422) and r.headers["content-type"] == "application/json"
    if r.status_code == 422:
        assert space.profile("primary") == before
        assert all(isinstance(v, str) for e in r.json()["errors"] for v in e.values())
    else:
        assert client.get(PATH, auth=(p.project_id, p.token)).json() == r.json()


@settings(max_examples=150, deadline=None, database=None)
@given(content=st.binary(max_size=64), content_type=st.sampled_from(["application/json", "text/plain", ""]),
       method=st.sampled_from(["GET", "PUT", "POST", "PATCH", "DELETE", "OPTIONS"]))
def test_arbitrary_bytes_never_give_a_5xx(shared: tuple[MockSpace, httpx.Client], content: bytes,
                                          content_type: str, method: str) -> None:
    space, client = shared
    p = space.projects["primary"]
    r = client.request(method, PATH, content=content, auth=(p.project_id, p.token),
                        headers={"Content-Type": content_type} if content_type else {})
    assert r.status_code < 500 and r.headers["content-type"] == "application/json"
