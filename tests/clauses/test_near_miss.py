"""SP-AUTH-006: every near-miss credential is sent and judged, and none is the right credential; a real
target is paced between them."""

from __future__ import annotations

import base64
import time
from pathlib import Path

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.catalogue import Clause
from contracts.clauses import auth
from contracts.engine.config import Credentials, Target, load_config
from contracts.env import PAIRS
from contracts.mock import MockSpace, Project, serving
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


# -- near misses that are near misses: never the right credential ------------------------------------------

_CHARS = "0123456789abcdefABCDEFxX-_"
#: Variants that must differ from the right pair even to a service that compares case-insensitively.
_NOT_ABOUT_CASE = ("one character changed", "character added", "character removed", "empty password",
                   "another project's ID")


def _assert_near(pid: str, token: str, other: str | None = None) -> None:
    tries = auth.near_misses(pid, token, other_project_id=other)
    pairs = [(user, password) for _, user, password in tries]
    assert (pid, token) not in pairs, "a near miss that is the right credential"
    assert len(pairs) == len(set(pairs)), "the same pair sent twice"
    for what, user, password in tries:
        if any(k in what for k in _NOT_ABOUT_CASE) and other != pid:
            assert (user.lower(), password.lower()) != (pid.lower(), token.lower()), what


@pytest.mark.parametrize("last", list(_CHARS))
def test_every_last_character_gives_a_real_near_miss(last: str) -> None:
    pid, token = "11111111-1111-4111-8111-11111111111" + last, "PT" + "a" * 30 + last
    _assert_near(pid, token, other="22222222-2222-4222-8222-22222222222" + last)
    assert auth.one_changed(pid) != pid and auth.one_changed(pid).lower() != pid.lower()


@settings(derandomize=True, max_examples=300, database=None)
@given(pid=st.text(_CHARS, min_size=0, max_size=40), token=st.text(_CHARS, min_size=0, max_size=40),
       other=st.none() | st.text(_CHARS, min_size=1, max_size=40))
def test_no_near_miss_is_the_right_credential(pid: str, token: str, other: str | None) -> None:
    _assert_near(pid, token, other)


def _space_ending_in(digit: str) -> MockSpace:
    """A faithful space whose project IDs and tokens end in ``digit`` (the mock's own end in 1)."""
    return MockSpace(projects=(
        Project(f"0c7d5e2a-9b1f-4e3a-8d6c-5a4b3c2d1e{digit}{digit}", f"PT{'5e' * 20}{digit}", True,
                "primary"),
        Project(f"7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c{digit}{digit}", f"PT{'a7' * 20}{digit}", True,
                "secondary"),
        Project(f"0c7d5e2a-9b1f-4e3a-8d6c-5a4b3c2d1e{digit}{digit}", f"PT{'0b' * 20}{digit}", False,
                "novoice"),
    ))


def _target(space: MockSpace) -> Target:
    p = space.projects
    return Target(kind="http", base_url="http://127.0.0.1:9", host="127.0.0.1:9",
                  primary=Credentials(p["primary"].project_id, p["primary"].token),
                  secondary=Credentials(p["secondary"].project_id, p["secondary"].token,
                                        *PAIRS["secondary"][:2]),
                  novoice=Credentials(p["novoice"].project_id, p["novoice"].token, *PAIRS["novoice"][:2]))


@pytest.mark.parametrize("digit", list("0123456789abcdef"))
def test_a_faithful_space_whose_ids_end_in_any_hex_digit_passes_near_misses(digit: str,
                                                                              tmp_path: Path) -> None:
    space = _space_ending_in(digit)
    cfg = load_config(env={}, target=_target(space), seed=1, report_dir=tmp_path, example_db="none")
    with Run(cfg, transport=space.transport()) as run:
        result = run.run(_clause(run))
    assert result.verdict == "pass", result


@pytest.mark.slow
@pytest.mark.parametrize("digit", ["0", "f"])
def test_the_whole_suite_passes_a_faithful_space_whose_ids_end_in(digit: str, tmp_path: Path) -> None:
    space = _space_ending_in(digit)
    cfg = load_config(env={}, target=_target(space), seed=1, report_dir=tmp_path, example_db="none",
                      allow_writes="127.0.0.1:9")
    with Run(cfg, transport=space.transport()) as run:
        results = [run.run(c) for c in run.clauses]
    failed = [(r.clause, r.verdict) for r in results if r.verdict in {"fail", "error"}]
    assert failed == []
