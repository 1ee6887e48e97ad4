"""The rehearsal before the first change: the profile PUT back exactly as read, nulls included.

A service that refuses its own profile makes that project read-only (write clauses skip with the reason,
the account is left as found). SP-STATE-006 fails only when the refusal concerns values the docs allow;
a refusal explained by nulls the docs leave open (a fresh project) is a skip, never a failure.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.engine.config import load_config
from contracts.mock import MockSpace
from contracts.runner import execute

NULLS = {f: None for f in ("domain_identifier", "default_codecs", "default_ciphers", "default_encryption",
                           "default_send_as")}


def _space(mutant: str | None = None, **fields: Any) -> MockSpace:
    """A mock whose projects start with ``fields`` (the documented API cannot null an identifier)."""
    space = MockSpace(mutant=mutant)
    service = space._service
    for key in list(service._initial):
        service._initial[key] = {**service._initial[key], **fields}
    service.reset()
    return space


class Recording(httpx.BaseTransport):
    """The mock's transport; ``refuse_put`` answers 422 to every PUT, keeping the service untouched."""

    def __init__(self, space: MockSpace, *, refuse_put: bool = False) -> None:
        self.inner = space.transport()
        self.refuse_put = refuse_put
        self.puts: list[Any] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            self.puts.append(json.loads(request.content or b"null"))
            if self.refuse_put:
                body = {"errors": [{"detail": "no", "status": "422", "title": "Invalid Attribute",
                                    "code": "422"}]}
                return httpx.Response(422, json=body)
        response = self.inner.handle_request(request)
        response.read()
        return response


def _run(space: MockSpace, tmp_path: Path, **kw: bool) -> tuple[dict[str, Any], Recording]:
    transport = Recording(space, **kw)
    cfg = load_config(env={}, seed=3, report_dir=tmp_path, example_db="none")
    return execute(cfg, transport=transport).doc, transport


def _verdicts(doc: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {c["id"]: (c["verdict"], c["reason"] or "") for c in doc["clauses"]}


def _as_found(space: MockSpace, before: dict[str, Any]) -> None:
    assert {who: space.profile(who) for who in before} == before


@pytest.mark.slow
def test_fresh_project_refusing_its_nulls_is_read_only_and_nothing_fails(tmp_path: Path) -> None:
    space = _space(**NULLS)  # the mock refuses null for domain_identifier, as a real service may
    before = {who: space.profile(who) for who in ("primary", "secondary")}
    doc, transport = _run(space, tmp_path)
    assert transport.puts[0] == NULLS  # the rehearsal PUT: exactly as read, nulls included
    verdicts = _verdicts(doc)
    assert verdicts["SP-STATE-006"][0] == "skipped"
    assert "null" in verdicts["SP-STATE-006"][1]
    assert {v for v, _ in verdicts.values()} <= {"pass", "skipped"}
    assert "SP-STATE-006" in verdicts["SP-STATE-001"][1]  # write clauses say why they skipped
    assert doc["restore"]["status"] == "restored"
    _as_found(space, before)


@pytest.mark.slow
def test_null_the_service_takes_is_put_back_by_the_restore(tmp_path: Path) -> None:
    # default_codecs null is accepted (MockConfig.null_values="reset"): the run writes codecs and the
    # restore must bring the null back, which only a rehearsal-as-read proves possible.
    space = _space(default_codecs=None)
    before = {who: space.profile(who) for who in ("primary", "secondary")}
    doc, transport = _run(space, tmp_path)
    assert transport.puts[0]["default_codecs"] is None
    verdicts = _verdicts(doc)
    assert verdicts["SP-STATE-006"][0] == "pass"
    assert verdicts["SP-STATE-001"][0] == "pass"
    assert doc["restore"]["status"] == "restored"
    _as_found(space, before)


@pytest.mark.slow
def test_refusal_of_documented_values_fails_and_leaves_the_account_as_found(tmp_path: Path) -> None:
    space = _space(**NULLS)
    before = {who: space.profile(who) for who in ("primary", "secondary")}
    doc, transport = _run(space, tmp_path, refuse_put=True)
    # Without its undocumented nulls the body is {"default_send_as": null}: documented, still refused.
    assert transport.puts[:2] == [NULLS, {"default_send_as": None}]
    verdicts = _verdicts(doc)
    assert verdicts["SP-STATE-006"][0] == "fail"
    assert verdicts["SP-STATE-001"][0] == "skipped"
    _as_found(space, before)


@pytest.mark.slow
def test_service_refusing_its_own_identifier_fails_and_writes_nothing_more(tmp_path: Path) -> None:
    space = MockSpace(mutant="identifier-taken-by-itself")
    before = {who: space.profile(who) for who in ("primary", "secondary")}
    doc, transport = _run(space, tmp_path)
    verdicts = _verdicts(doc)
    assert verdicts["SP-STATE-006"][0] == "fail"
    assert verdicts["SP-STATE-001"][0] == "skipped"
    assert "SP-STATE-006" in verdicts["SP-STATE-001"][1]
    assert len(transport.puts) == 1  # the rehearsal's own PUT, nothing after it
    _as_found(space, before)
