"""SP-AUTH-006: every near-miss credential is sent and judged; a real target is paced between them."""

from __future__ import annotations

import base64
import time
from pathlib import Path

import httpx
import pytest

from contracts.catalogue import Clause
from contracts.clauses import auth
from contracts.engine.config import Credentials, Target, load_config
from contracts.env import PAIRS
from contracts.mock import MockSpace, serving
from contracts.runner import Run


class Auths(httpx.BaseTransport):
    def __init__(self, space: MockSpace) -> None:
        self.inner = space.transport()
        self.seen: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        header = request.headers.get("authorization", "")
        if header.startswith("Basic "):
            self.seen.append(base64.b64decode(header[6:]).decode())
        return self.inner.handle_request(request)


def _clause(run: Run) -> Clause:
    return next(c for c in run.clauses if c.id == "SP-AUTH-006")


def test_every_variant_is_sent_and_judged(tmp_path: Path) -> None:
    space = MockSpace()
    transport = Auths(space)
    with Run(load_config(env={}, seed=1, report_dir=tmp_path, example_db="none"), transport=transport) as run:
        expected = [f"{user}:{password}" for _, user, password in auth._near_misses(run.session)]
        result = run.run(_clause(run))
    assert result.verdict == "pass"
    assert transport.seen == expected  # each once, in order, nothing else
    assert len(expected) >= 8


@pytest.mark.parametrize("mutant", ["auth-token-prefix", "auth-token-stripped", "auth-empty-password"])
def test_a_variant_accepted_fails_the_clause(mutant: str, tmp_path: Path) -> None:
    cfg = load_config(env={}, seed=1, report_dir=tmp_path, mutant=mutant, example_db="none")
    with Run(cfg) as run:
        result = run.run(_clause(run))
    assert result.verdict == "fail"


def test_a_loopback_target_is_not_paced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pauses: list[float] = []
    real_sleep = time.sleep

    def sleep(seconds: float) -> None:  # time is shared: only the clause's own pauses are skipped
        if seconds == auth.NEAR_MISS_PACE_S:
            pauses.append(seconds)
        else:
            real_sleep(seconds)

    monkeypatch.setattr(time, "sleep", sleep)
    space = MockSpace()
    with serving(space) as url:
        env = {"SIGNALWIRE_REST_BASE_URL": url}
        for who in ("primary", "secondary"):
            project_var, token_var, _ = PAIRS[who]
            env[project_var], env[token_var] = space.projects[who].project_id, space.projects[who].token
        with Run(load_config(env=env, seed=1, report_dir=tmp_path, example_db="none")) as run:
            assert run.cfg.target.kind != "mock"
            result = run.run(_clause(run))
    assert result.verdict == "pass"
    assert pauses == [], "a loopback target holds no account a lock-out could close"


def test_a_remote_target_is_paced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pauses: list[float] = []
    monkeypatch.setattr(time, "sleep", lambda seconds: pauses.append(seconds))
    space = MockSpace()
    p = space.projects
    target = Target(kind="http", base_url=space.base_url, host="staging.test",
                    primary=Credentials(p["primary"].project_id, p["primary"].token),
                    secondary=Credentials(p["secondary"].project_id, p["secondary"].token,
                                          *PAIRS["secondary"][:2]))
    cfg = load_config(env={}, target=target, seed=1, report_dir=tmp_path, example_db="none", pace_rps=0)
    with Run(cfg, transport=space.transport()) as run:
        tries = len(auth._near_misses(run.session))
        result = run.run(_clause(run))
    assert result.verdict == "pass"
    assert pauses.count(auth.NEAR_MISS_PACE_S) == tries - 1
