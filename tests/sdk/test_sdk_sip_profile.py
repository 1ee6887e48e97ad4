"""SignalWire's official Python SDK (``signalwire-sdk``) against the mock over HTTP.

What an application sees when it drives the SIP profile through ``RestClient(...).sip_profile``: the mock
must be indistinguishable from the documented service for it. Facts about the SDK used here (read from its
source, ``signalwire/rest/_base.py`` and ``namespaces/relay_rest_resources_generated.py``, 3.7.x): a
loopback ``host`` is reached over plain http, named arguments that are ``None`` are dropped from the body
(null goes through ``extras``), every non-2xx raises ``SignalWireRestError`` with the parsed JSON body.
"""

from __future__ import annotations

from typing import Any

import pytest
from signalwire.rest import RestClient, SignalWireRestError, SignalWireRestTransportError

from contracts.pytest_plugin import SipProfileMock
from contracts.spec import PATH, load_spec

pytestmark = pytest.mark.http

FIELDS = ("domain_identifier", "default_codecs", "default_ciphers", "default_encryption", "default_send_as")
NUMBER = "+14155552671"  # a valid, allocated US number (libphonenumber), written canonically


@pytest.fixture
def client(sip_profile_mock: SipProfileMock) -> RestClient:
    m = sip_profile_mock
    return RestClient(project=m.project_id, token=m.api_token, host=m.host)


def _request_body(profile: dict[str, Any]) -> dict[str, Any]:
    """The writable part of a profile as read: what a snapshot restores (``domain`` is derived)."""
    return {name: profile[name] for name in FIELDS}


def test_read_returns_the_stored_profile(client: RestClient, sip_profile_mock: SipProfileMock) -> None:
    profile = client.sip_profile.get()

    stored = sip_profile_mock.mock_space.profile("primary")
    assert _request_body(dict(profile)) == {name: stored[name] for name in FIELDS}
    assert profile["domain"] == f"{sip_profile_mock.space}-{stored['domain_identifier']}.sip.signalwire.com"
    assert sip_profile_mock.requests == [("GET", PATH, 200)]


def test_valid_update_returns_the_new_profile(client: RestClient, sip_profile_mock: SipProfileMock) -> None:
    spec = load_spec()
    codecs = [spec.codecs[3], spec.codecs[0]]  # an order unlike the initial one: the SIP preference order

    updated = client.sip_profile.update(default_codecs=codecs, default_encryption="required",
                                        default_send_as=NUMBER)

    assert updated["default_codecs"] == codecs
    assert updated["default_encryption"] == "required"
    assert updated["default_send_as"] == NUMBER
    assert client.sip_profile.get() == updated
    # The SDK cannot tell 201 from 200; the documented 201 is visible only on the wire.
    assert sip_profile_mock.requests == [("PUT", PATH, 201), ("GET", PATH, 200)]


def test_invalid_codec_raises_422_with_the_documented_body(client: RestClient,
                                                           sip_profile_mock: SipProfileMock) -> None:
    before = client.sip_profile.get()
    unsupported = "G729"
    assert unsupported not in load_spec().codecs

    with pytest.raises(SignalWireRestError) as caught:
        client.sip_profile.update(default_codecs=[unsupported])

    error = caught.value
    assert not isinstance(error, SignalWireRestTransportError)
    assert error.status_code == 422
    assert error.method == "PUT"
    items = error.body["errors"]
    assert isinstance(items, list) and items
    for item in items:
        assert set(item) == {"detail", "status", "title", "code"}
        assert all(isinstance(value, str) for value in item.values())
        assert item["status"] == "422" and item["code"] == "422"
    assert client.sip_profile.get() == before  # a rejected update changes nothing


def test_restore_with_null_send_as_goes_through_extras(client: RestClient) -> None:
    snapshot = client.sip_profile.get()
    assert snapshot["default_send_as"] is None
    client.sip_profile.update(domain_identifier="changed-by-test", default_send_as=NUMBER,
                              default_encryption="required")

    # The pitfall: a None named argument is dropped, so the number stays (the mock merges omitted fields).
    client.sip_profile.update(**_request_body(dict(snapshot)))
    assert client.sip_profile.get()["default_send_as"] == NUMBER

    # The whole snapshot through extras: null is sent, and a GET shows the profile exactly as it was.
    restored = client.sip_profile.update(extras=_request_body(dict(snapshot)))
    assert restored == snapshot
    assert client.sip_profile.get() == snapshot


@pytest.mark.parametrize("who", ["wrong token", "novoice"])
def test_bad_credentials_raise_401_unauthorized(sip_profile_mock: SipProfileMock, who: str) -> None:
    m = sip_profile_mock
    token = m.novoice.api_token if who == "novoice" else m.api_token + "-wrong"
    client = RestClient(project=m.project_id, token=token, host=m.host)

    for call in (client.sip_profile.get, lambda: client.sip_profile.update(default_encryption="required")):
        with pytest.raises(SignalWireRestError) as caught:
            call()
        assert caught.value.status_code == 401
        assert caught.value.body == {"error": "Unauthorized"}
    assert m.mock_space.profile("primary")["default_encryption"] != "required"


def test_client_from_the_fixture_env(sip_profile_mock: SipProfileMock,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """``RestClient()`` with no arguments reads SIGNALWIRE_* — the fixture's ``env`` is enough."""
    for name, value in sip_profile_mock.env.items():
        monkeypatch.setenv(name, value)

    assert RestClient().sip_profile.get()["domain_identifier"] == "primary-sip"


@pytest.mark.sip_profile_mock(mutant="put-answers-200")
def test_sdk_cannot_see_a_200_instead_of_201(client: RestClient, sip_profile_mock: SipProfileMock) -> None:
    """Why a contract suite is needed beside SDK tests: this regression passes unnoticed through the SDK."""
    updated = client.sip_profile.update(default_encryption="required")

    assert updated["default_encryption"] == "required"
    assert sip_profile_mock.requests == [("PUT", PATH, 200)]
