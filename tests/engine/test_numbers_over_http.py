"""SIGNALWIRE_TEST_NUMBERS may name numbers libphonenumber thinks unallocated: they warn, never fail.

The documented rule for default_send_as is the E.164 format; SignalWire's own example number
+15551234567 is format-valid but not allocated. A run over HTTP against the served mock (which accepts every
format-valid number by default) with such numbers passes, and the mock accepts the docs' example number.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import httpx
import pytest

from contracts.engine.config import load_config
from contracts.env import PAIRS
from contracts.generators import UnallocatedNumberWarning
from contracts.mock import MockSpace, serving
from contracts.runner import execute

DOCS_EXAMPLE = "+15551234567"


def test_the_mock_accepts_the_documentation_example_number() -> None:
    space = MockSpace()
    p = space.projects["primary"]
    with httpx.Client(transport=space.transport(), base_url=space.base_url) as client:
        put = client.put("/api/relay/rest/sip_profile", json={"default_send_as": DOCS_EXAMPLE},
                         auth=(p.project_id, p.token))
        got = client.get("/api/relay/rest/sip_profile", auth=(p.project_id, p.token))
    assert put.status_code == 201
    assert got.json()["default_send_as"] == DOCS_EXAMPLE


@pytest.mark.slow
def test_a_run_with_unallocated_test_numbers_passes_over_http(tmp_path: Path) -> None:
    space = MockSpace()
    before = {who: space.profile(who) for who in ("primary", "secondary")}
    with serving(space) as url:
        env = {"SIGNALWIRE_REST_BASE_URL": url, "SIGNALWIRE_TEST_NUMBERS": f"{DOCS_EXAMPLE},+12015550123"}
        for who in ("primary", "secondary", "novoice"):
            project_var, token_var, _ = PAIRS[who]
            env[project_var], env[token_var] = space.projects[who].project_id, space.projects[who].token
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            cfg = load_config(env=env, seed=2, report_dir=tmp_path, example_db="none",
                              allow_writes=url)
        assert any(issubclass(w.category, UnallocatedNumberWarning) for w in seen)
        doc = execute(cfg).doc
    bad = {c["id"]: f"{c['verdict']}: {c['reason']}" for c in doc["clauses"]
           if c["verdict"] not in ("pass", "skipped")}
    assert bad == {}
    assert {c["id"]: c["verdict"] for c in doc["clauses"]}["SP-SENDAS-001"] == "pass"
    assert doc["restore"]["status"] == "restored"
    assert {who: space.profile(who) for who in before} == before
