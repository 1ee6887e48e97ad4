"""A sentinel API token never appears in any output: not in a report file, not on stdout or stderr, not as
the Basic credentials it becomes on the wire (base64 of "project:token"), whatever the run's outcome."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import contracts.mock._space as mock_space
from contracts.mock import Faults, MockSpace, Project

from ._helpers import host_of, http_env, run_args, run_cli

pytestmark = pytest.mark.http

SENTINELS = {name: f"SENTINEL-{name}-7f3c9b1e4d2a48c6a0b5e9d1c3f7a2b8" for name in ("primary", "secondary",
                                                                                     "novoice")}


@pytest.fixture
def sentinel_space(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., MockSpace]]:
    """MockSpaces whose projects' tokens are the sentinels (the mock's credentials are fixed module data)."""
    projects = tuple(Project(p.project_id, SENTINELS[p.name], p.voice, p.name)
                     for p in mock_space.DEFAULT_PROJECTS)
    monkeypatch.setattr(mock_space, "DEFAULT_PROJECTS", projects)

    def make(**kwargs: Any) -> MockSpace:
        space = MockSpace(**kwargs)
        assert {p.token for p in space.projects.values()} == set(SENTINELS.values())
        return space

    yield make


def _needles(space: MockSpace) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for name, p in space.projects.items():
        out[f"{name} token"] = p.token.encode()
        out[f"{name} token (lower case)"] = p.token.lower().encode()
        out[f"{name} Basic credentials"] = base64.b64encode(f"{p.project_id}:{p.token}".encode())
    return out


def _assert_nowhere(space: MockSpace, outputs: dict[str, str], report_dir: Path) -> None:
    haystacks = {name: text.encode() for name, text in outputs.items()}
    files = [f for f in report_dir.rglob("*") if f.is_file()] if report_dir.exists() else []
    haystacks.update({str(f): f.read_bytes() for f in files})
    for what, needle in _needles(space).items():
        for where, data in haystacks.items():
            assert needle not in data.lower() if needle.islower() else needle not in data, \
                f"the {what} appears in {where}"


@pytest.mark.parametrize(("mutant", "quiet"), [
    pytest.param(None, False, id="passing-run"),
    pytest.param("auth-any-token", False, id="failing-run-auth"),
    pytest.param("codec-accepts-g729", True, id="failing-run-codecs", marks=pytest.mark.slow),
])
def test_no_output_of_a_run_holds_a_token(mutant: str | None, quiet: bool, tmp_path: Path,
                                          sentinel_space: Callable[..., MockSpace],
                                          served: Callable[..., Any]) -> None:
    space = sentinel_space(mutant=mutant, faults=Faults(error_rate=0.03, retry_after_s=0.01))
    reports = tmp_path / "reports"
    with served(space) as url:
        done = run_cli(run_args(reports, url, quiet=quiet, history=True), http_env(space, url), tmp_path)
    assert done.returncode == (0 if mutant is None else 1), done.stderr
    for name in ("conformance.json", "junit.xml", "summary.md", "report.html", "history.sqlite"):
        assert (reports / name).is_file(), name
    _assert_nowhere(space, {"stdout": done.stdout, "stderr": done.stderr}, reports)


def test_no_output_of_a_failed_restore_holds_a_token(tmp_path: Path, sentinel_space: Callable[..., MockSpace],
                                                     served: Callable[..., Any]) -> None:
    """A run that cannot restore: the loud message, the kept snapshot.json and the later restore command."""
    from ._helpers import Refuse

    space = sentinel_space()
    reports = tmp_path / "reports"

    def wrap(app: Any) -> Refuse:
        return Refuse(app, lambda scope, n, body: n > 40, status=500, retry_after=None,
                      body=b'{"error": "Internal Server Error"}')

    with served(space, wrap) as url:
        env = http_env(space, url)
        done = run_cli(run_args(reports, url, "--budget", "40"), env, tmp_path)
        again = run_cli(["restore", str(reports / "snapshot.json"), "--allow-writes", host_of(url)], env,
                        tmp_path)
    assert done.returncode == 1 and (reports / "snapshot.json").is_file(), done.stderr
    assert again.returncode == 1  # still refused
    _assert_nowhere(space, {"stdout": done.stdout, "stderr": done.stderr, "restore stdout": again.stdout,
                            "restore stderr": again.stderr}, reports)


@pytest.mark.parametrize("case", ["allow-writes-other-host", "secondary-half", "url-with-credentials"])
def test_no_configuration_error_holds_a_token(case: str, tmp_path: Path,
                                              sentinel_space: Callable[..., MockSpace],
                                              served: Callable[..., Any]) -> None:
    space = sentinel_space()
    reports = tmp_path / "reports"
    with served(space) as url:
        env = http_env(space, url)
        args = run_args(reports, url)
        if case == "allow-writes-other-host":
            args = run_args(reports, None, "--allow-writes", "staging.signalwire.com")
        elif case == "secondary-half":
            del env["SIGNALWIRE_SECONDARY_PROJECT_ID"]
        elif case == "url-with-credentials":
            env["SIGNALWIRE_REST_BASE_URL"] = url.replace(
                "//", f"//{env['SIGNALWIRE_PROJECT_ID']}:{env['SIGNALWIRE_API_TOKEN']}@")
        done = run_cli(args, env, tmp_path)
    assert done.returncode == 2, done.stderr
    assert space.request_log == []
    _assert_nowhere(space, {"stdout": done.stdout, "stderr": done.stderr}, reports)


def test_a_token_pasted_into_the_url_is_not_echoed(tmp_path: Path, sentinel_space: Callable[..., MockSpace],
                                                   served: Callable[..., Any]) -> None:
    space = sentinel_space()
    with served(space) as url:
        env = http_env(space, url)
        env["SIGNALWIRE_REST_BASE_URL"] = f"{url}/?api_token={env['SIGNALWIRE_API_TOKEN']}"
        done = run_cli(run_args(tmp_path / "reports", url), env, tmp_path)
    assert done.returncode == 2
    assert space.request_log == []
    _assert_nowhere(space, {"stdout": done.stdout, "stderr": done.stderr}, tmp_path / "reports")
