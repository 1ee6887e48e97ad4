"""Without --allow-writes, not a single write reaches the target, whatever else happens."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from contracts.mock import Faults, MockSpace

from ._helpers import conformance, host_of, http_env, profiles, run_args, run_cli, run_http, writes_seen

pytestmark = pytest.mark.http


@pytest.mark.parametrize("mutant", [None, "auth-any-token", "post-acts-as-put"])
def test_no_write_reaches_the_target_without_allow_writes(mutant: str | None, tmp_path: Path,
                                                          served: Callable[..., Any]) -> None:
    space = MockSpace(mutant=mutant, faults=Faults(drop_rate=0.05, error_rate=0.05, retry_after_s=0.01))
    before = profiles(space)
    with served(space) as url:
        run = run_http(space, url, tmp_path, writes=False)
    assert space.request_log, "the run sent nothing at all"
    assert writes_seen(space) == []
    assert {m for m, _, _ in space.request_log} <= {"GET", "HEAD", "OPTIONS"}
    assert run.doc["requests"]["by_method"].keys() <= {"GET", "HEAD", "OPTIONS"}
    # The write clauses say why they did not run; none stumbled on the write guard (that would be a bug).
    skipped = run.with_verdict("skipped")
    assert any("--allow-writes" in reason for reason in skipped.values())
    assert run.with_verdict("error") == {}
    assert run.doc["run"]["writes_allowed"] is False
    assert run.doc["restore"]["status"] == "not-needed"
    assert not (tmp_path / "snapshot.json").exists()
    assert profiles(space) == before
    if mutant is None:
        assert run.doc["verdict"] == "pass"


@pytest.mark.parametrize("allow", [None, ""])
def test_cli_without_allow_writes_sends_no_write(allow: str | None, tmp_path: Path,
                                                 served: Callable[..., Any]) -> None:
    """The CLI path, with the variable unset or set empty (as a CI template may leave it)."""
    space = MockSpace()
    with served(space) as url:
        env = http_env(space, url)
        if allow is not None:
            env["SIP_CONTRACTS_ALLOW_WRITES"] = allow
        done = run_cli(run_args(tmp_path / "r", None), env, tmp_path)
    assert done.returncode == 0, done.stderr
    assert space.request_log and writes_seen(space) == []
    assert conformance(tmp_path / "r")["run"]["writes_allowed"] is False


def test_allow_writes_from_the_environment_names_the_exact_host(tmp_path: Path,
                                                                served: Callable[..., Any]) -> None:
    """SIP_CONTRACTS_ALLOW_WRITES works like the flag: the exact host:port enables writes."""
    space = MockSpace()
    before = profiles(space)
    with served(space) as url:
        env = {**http_env(space, url), "SIP_CONTRACTS_ALLOW_WRITES": host_of(url)}
        done = run_cli(run_args(tmp_path / "r", None), env, tmp_path)
    assert done.returncode == 0, done.stderr
    assert writes_seen(space)
    assert profiles(space) == before
