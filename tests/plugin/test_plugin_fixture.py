"""The ``sip_profile_mock`` fixture, used here exactly as a user would: through the pytest11 entry point."""

from __future__ import annotations

import importlib.metadata
import ipaddress
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import httpx
import pytest

from contracts.env import PAIRS, base_url_from_env
from contracts.mock import Faults, MockSpace
from contracts.pytest_plugin import SipProfileMock
from contracts.spec import PATH

pytestmark = pytest.mark.http

ENV_NAMES = {
    "SIGNALWIRE_PROJECT_ID", "SIGNALWIRE_API_TOKEN", "SIGNALWIRE_SPACE", "SIGNALWIRE_REST_BASE_URL",
    "SIGNALWIRE_SECONDARY_PROJECT_ID", "SIGNALWIRE_SECONDARY_API_TOKEN",
    "SIGNALWIRE_NOVOICE_PROJECT_ID", "SIGNALWIRE_NOVOICE_API_TOKEN",
}


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    """One keep-alive client: a new httpx client costs ~50 ms (its TLS context), a request ~2 ms."""
    with httpx.Client(timeout=5) as client:
        yield client


def _get(http: httpx.Client, mock: SipProfileMock, project_id: str | None = None,
         token: str | None = None) -> httpx.Response:
    """A GET with the given credentials, by default the primary project's."""
    return http.get(mock.base_url + PATH, auth=(project_id or mock.project_id, token or mock.api_token))


def _put(http: httpx.Client, mock: SipProfileMock, body: dict[str, object]) -> httpx.Response:
    return http.put(mock.base_url + PATH, json=body, auth=(mock.project_id, mock.api_token))


def test_the_entry_point_names_the_plugin_package() -> None:
    [entry] = [e for e in importlib.metadata.entry_points(group="pytest11") if e.name == "sip_contracts"]
    assert entry.value == "contracts.pytest_plugin"


def test_base_url_is_plain_http_on_loopback(sip_profile_mock: SipProfileMock) -> None:
    parts = urlsplit(sip_profile_mock.base_url)
    assert parts.scheme == "http" and parts.path == ""
    assert ipaddress.ip_address(parts.hostname or "").is_loopback
    assert sip_profile_mock.host == parts.netloc


def test_each_credential_pair_is_the_mocks(http: httpx.Client, sip_profile_mock: SipProfileMock) -> None:
    m = sip_profile_mock
    projects = m.mock_space.projects
    assert (m.project_id, m.api_token) == (projects["primary"].project_id, projects["primary"].token)
    assert _get(http, m).json()["domain_identifier"] == "primary-sip"
    secondary = _get(http, m, m.secondary.project_id, m.secondary.api_token)
    assert secondary.json()["domain_identifier"] == "secondary-sip"
    assert _get(http, m, m.novoice.project_id, m.novoice.api_token).status_code == 401
    assert m.api_token not in repr(m.secondary) and m.secondary.api_token not in repr(m.secondary)


def test_env_names_the_mock_and_never_grants_writes(sip_profile_mock: SipProfileMock) -> None:
    env = dict(sip_profile_mock.env)
    assert set(env) == ENV_NAMES
    assert "SIP_CONTRACTS_ALLOW_WRITES" not in env
    assert env["SIGNALWIRE_REST_BASE_URL"] == sip_profile_mock.base_url
    assert f"http://{env['SIGNALWIRE_SPACE']}" == sip_profile_mock.base_url
    assert env["SIGNALWIRE_SECONDARY_API_TOKEN"] == sip_profile_mock.secondary.api_token
    assert env["SIGNALWIRE_NOVOICE_API_TOKEN"] == sip_profile_mock.novoice.api_token
    with pytest.raises(TypeError):
        sip_profile_mock.env["SIGNALWIRE_SPACE"] = "example.signalwire.com"  # type: ignore[index]


def test_env_reads_back_as_the_mock_under_the_suites_own_rules(sip_profile_mock: SipProfileMock) -> None:
    env = dict(sip_profile_mock.env)
    assert base_url_from_env(env) == sip_profile_mock.base_url
    # Either variable alone leads to the same place (the TypeScript SDK reads one, the Python SDK the other).
    assert base_url_from_env({"SIGNALWIRE_SPACE": env["SIGNALWIRE_SPACE"]}) == sip_profile_mock.base_url
    for who, (project_var, token_var, _) in PAIRS.items():
        p = sip_profile_mock.mock_space.projects[who]
        assert (env[project_var], env[token_var]) == (p.project_id, p.token)


def test_space_is_the_signalwire_space_name(http: httpx.Client, sip_profile_mock: SipProfileMock) -> None:
    domain = _get(http, sip_profile_mock).json()["domain"]
    assert domain.startswith(f"{sip_profile_mock.space}-")


@pytest.mark.parametrize("run", range(3))
def test_each_test_starts_from_a_fresh_space(http: httpx.Client,
                                             sip_profile_mock: SipProfileMock, run: int) -> None:
    """Whatever order these run in, each sees the first profile and only its own requests."""
    initial = MockSpace().profile("primary")
    assert sip_profile_mock.requests == []
    assert sip_profile_mock.mock_space.profile("primary") == initial

    assert _put(http, sip_profile_mock, {"domain_identifier": f"run-{run}"}).status_code == 201
    assert sip_profile_mock.requests == [("PUT", PATH, 201)]


@pytest.mark.sip_profile_mock(mutant="put-answers-200")
def test_the_marker_plants_a_mutant(http: httpx.Client, sip_profile_mock: SipProfileMock) -> None:
    assert sip_profile_mock.mock_space.mutant is not None
    assert _put(http, sip_profile_mock, {"default_encryption": "required"}).status_code == 200


@pytest.mark.sip_profile_mock(faults={"error_rate": 1.0, "retry_after_s": 0})
def test_the_marker_switches_on_faults_from_a_dict(http: httpx.Client,
                                                   sip_profile_mock: SipProfileMock) -> None:
    r = _get(http, sip_profile_mock)
    assert r.status_code == 503
    assert sip_profile_mock.mock_space.fault_log == [(1, "error")]


@pytest.mark.sip_profile_mock(faults=Faults(rate_limit_every=1), config={"space": "acme"})
def test_the_marker_takes_fault_objects_and_a_config(http: httpx.Client,
                                                     sip_profile_mock: SipProfileMock) -> None:
    assert sip_profile_mock.space == "acme"
    assert _get(http, sip_profile_mock).status_code == 429


def test_no_marker_means_the_faithful_mock(http: httpx.Client, sip_profile_mock: SipProfileMock) -> None:
    assert sip_profile_mock.mock_space.mutant is None
    assert sip_profile_mock.mock_space.faults == Faults()
    assert _put(http, sip_profile_mock, {"default_encryption": "required"}).status_code == 201


def test_use_switches_mid_test_to_a_fresh_space(http: httpx.Client, sip_profile_mock: SipProfileMock) -> None:
    assert _put(http, sip_profile_mock, {"default_encryption": "required"}).status_code == 201

    space = sip_profile_mock.use(mutant="put-answers-200")

    assert sip_profile_mock.mock_space is space
    assert sip_profile_mock.requests == []
    assert space.profile("primary")["default_encryption"] == "optional"
    assert _put(http, sip_profile_mock, {"default_encryption": "required"}).status_code == 200


@pytest.mark.sip_profile_mock(faults={"stop_after": 0})
def test_use_ends_requests_left_hanging(sip_profile_mock: SipProfileMock) -> None:
    """A hanging request must not outlive the space it hangs on (the fixture's teardown does the same)."""
    hanging = sip_profile_mock.mock_space
    with ThreadPoolExecutor(1) as pool:
        started = time.monotonic()
        future = pool.submit(httpx.get, sip_profile_mock.base_url + PATH, timeout=5)
        while not hanging.fault_log and time.monotonic() - started < 2:
            time.sleep(0.01)
        assert hanging.fault_log == [(1, "hang")]

        sip_profile_mock.use()

        with pytest.raises(httpx.RemoteProtocolError):  # dropped, long before the client's 5 s timeout
            future.result()
        assert time.monotonic() - started < 2


@pytest.mark.parametrize(("options", "message"), [
    ({"mutant": "no-such-mutant"}, "unknown mutant 'no-such-mutant'; known: "),
    ({"faults": {"latency": 1}}, "unexpected keyword argument 'latency'"),
    ({"faults": {"error_rate": 2}}, "Faults.error_rate has value 2"),
    ({"config": {"omitted": "sometimes"}}, "MockConfig.omitted has value 'sometimes'"),
])
def test_use_names_a_wrong_option(sip_profile_mock: SipProfileMock, options: dict[str, object],
                                  message: str) -> None:
    with pytest.raises(ValueError, match=r"^(sip_profile_mock: |MockConfig\.|Faults\.)") as caught:
        sip_profile_mock.use(**options)  # type: ignore[arg-type]
    assert message in str(caught.value)
