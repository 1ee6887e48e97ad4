"""An application's own tests, written against SignalWire's official Python SDK and the mock.

Copy this file into your project: with ``sip-profile-contracts`` and ``signalwire-sdk`` installed, the
``sip_profile_mock`` fixture is available to pytest without any import or conftest. Each test gets the
faithful SIP profile mock on 127.0.0.1 with a fresh profile; nothing here reaches the internet.

The "application" is ``prefer_opus_with_srtp``: a function a team might run when it provisions a project.
"""

from __future__ import annotations

from typing import Any

import pytest
from signalwire.rest import RestClient, SignalWireRestError

from contracts.pytest_plugin import SipProfileMock  # only for the type annotations


def prefer_opus_with_srtp(client: RestClient) -> dict[str, Any]:
    """Put OPUS first in the SIP preference order (keeping the others) and require SRTP."""
    profile = client.sip_profile.get()
    codecs = ["OPUS", *(c for c in profile["default_codecs"] or [] if c != "OPUS")]
    return dict(client.sip_profile.update(default_codecs=codecs, default_encryption="required"))


@pytest.fixture
def client(sip_profile_mock: SipProfileMock) -> RestClient:
    # The mock is a loopback host, which the SDK reaches over plain http.
    return RestClient(project=sip_profile_mock.project_id, token=sip_profile_mock.api_token,
                      host=sip_profile_mock.host)


def test_opus_comes_first_and_the_other_codecs_stay(client: RestClient) -> None:
    client.sip_profile.update(default_codecs=["PCMU", "OPUS", "G722"])

    profile = prefer_opus_with_srtp(client)

    assert profile["default_codecs"] == ["OPUS", "PCMU", "G722"]
    assert profile["default_encryption"] == "required"


def test_running_twice_changes_nothing(client: RestClient) -> None:
    first = prefer_opus_with_srtp(client)
    assert prefer_opus_with_srtp(client) == first


def test_configured_from_the_environment(sip_profile_mock: SipProfileMock,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # What a subprocess or a twelve-factor app would see: SIGNALWIRE_PROJECT_ID, _API_TOKEN, _SPACE, …
    for name, value in sip_profile_mock.env.items():
        monkeypatch.setenv(name, value)

    assert prefer_opus_with_srtp(RestClient())["default_codecs"][0] == "OPUS"


def test_a_rejected_update_surfaces_as_a_422(client: RestClient) -> None:
    with pytest.raises(SignalWireRestError) as caught:
        client.sip_profile.update(default_codecs=["G729"])  # not a supported codec

    assert caught.value.status_code == 422
    assert caught.value.body["errors"][0]["title"] == "Invalid Attribute"


@pytest.mark.sip_profile_mock(faults={"error_rate": 1.0})
def test_the_app_sees_an_outage(client: RestClient) -> None:
    # Faults (and the mock's planted regressions, mutant="…") are switched on per test with the marker.
    with pytest.raises(SignalWireRestError) as caught:
        prefer_opus_with_srtp(client)

    assert caught.value.status_code == 503
