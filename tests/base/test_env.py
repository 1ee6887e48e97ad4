"""contracts.env: the SIGNALWIRE_* conventions, the exact loopback rule, and no credentials in clear text."""

from __future__ import annotations

import subprocess
import sys

import pytest

from contracts.engine.config import load_config, target_from_env
from contracts.env import base_url_from_env, env_block, is_loopback_host
from contracts.errors import ConfigError

CREDS = {"SIGNALWIRE_PROJECT_ID": "p", "SIGNALWIRE_API_TOKEN": "t0k3n-value"}


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "::1", "[::1]"])
def test_loopback_is_exactly_localhost_127_8_and_ipv6_one(host: str) -> None:
    assert is_loopback_host(host)


@pytest.mark.parametrize("host", ["localhost.example.com", "127.example.com", "127.0.0.1.nip.io",
                                  "example.com", "10.0.0.1", "::2", ""])
def test_names_that_only_look_like_loopback_are_not(host: str) -> None:
    assert not is_loopback_host(host)


@pytest.mark.parametrize(("space", "url"), [
    ("example.signalwire.com", "https://example.signalwire.com"),
    ("example", "https://example.signalwire.com"),
    ("127.0.0.1:8080", "http://127.0.0.1:8080"),
    ("localhost:8080", "http://localhost:8080"),
    ("[::1]:8080", "http://[::1]:8080"),
    ("localhost.example.com", "https://localhost.example.com"),
    ("127.example.com", "https://127.example.com"),
    ("https://example.signalwire.com", "https://example.signalwire.com"),
])
def test_the_space_is_reached_as_the_sdks_reach_it(space: str, url: str) -> None:
    assert base_url_from_env({**CREDS, "SIGNALWIRE_SPACE": space}) == url


def test_rest_base_url_wins_over_the_space() -> None:
    env = {**CREDS, "SIGNALWIRE_SPACE": "example.signalwire.com",
           "SIGNALWIRE_REST_BASE_URL": "http://127.0.0.1:9000/"}
    assert base_url_from_env(env) == "http://127.0.0.1:9000"


@pytest.mark.parametrize("variable,value", [
    ("SIGNALWIRE_REST_BASE_URL", "http://staging.example.com"),
    ("SIGNALWIRE_SPACE", "http://staging.example.com"),
    ("SIGNALWIRE_REST_BASE_URL", "http://localhost.example.com:8080"),
])
def test_plain_http_to_a_public_host_is_refused_without_the_flag(variable: str, value: str) -> None:
    env = {**CREDS, variable: value}
    with pytest.raises(ConfigError, match="clear text"):
        target_from_env(env)
    target = target_from_env(env, insecure_http=True)
    assert target is not None and target.insecure_http and target.base_url.startswith("http://")


def test_insecure_http_on_a_loopback_target_is_not_flagged() -> None:
    target = target_from_env({**CREDS, "SIGNALWIRE_REST_BASE_URL": "http://127.0.0.1:1"}, insecure_http=True)
    assert target is not None and not target.insecure_http


def test_the_cli_refuses_plain_http_to_a_public_host_with_exit_2_before_any_request(tmp_path: object) -> None:
    env = {**CREDS, "SIGNALWIRE_REST_BASE_URL": "http://staging.example.com", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-m", "contracts", "run", "--report-dir", str(tmp_path)],
                          env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "--insecure-http" in proc.stderr
    assert "t0k3n-value" not in proc.stderr + proc.stdout


def test_options_that_do_not_apply_to_the_embedded_mock_are_usage_errors() -> None:
    with pytest.raises(ConfigError, match="--allow-writes applies to a real target"):
        load_config(env={}, allow_writes="example.signalwire.com")
    with pytest.raises(ConfigError, match="--insecure-http applies to a real target"):
        load_config(env={}, insecure_http=True)


def test_the_export_block_never_grants_writes() -> None:
    lines = env_block("http://127.0.0.1:8080", {"primary": ("p", "t")})
    assert lines[0] == "export SIGNALWIRE_REST_BASE_URL=http://127.0.0.1:8080"
    assert not [line for line in lines if "ALLOW_WRITES" in line]
