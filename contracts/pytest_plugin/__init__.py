"""pytest plugin of sip-profile-contracts (entry point ``pytest11``: ``sip_contracts``).

Loaded by every pytest run where the package is installed, so it stays cheap: it registers the
``sip_profile_mock`` fixture and its marker, and imports nothing heavy until a test uses them.
"""

from __future__ import annotations

import pytest

from ._fixture import (
    MARKER,
    MARKER_HELP,
    Credentials,
    SipProfileMock,
    sip_profile_mock,
    sip_profile_mock_server,
)

__all__ = ["Credentials", "SipProfileMock", "sip_profile_mock", "sip_profile_mock_server"]


def pytest_configure(config: pytest.Config) -> None:
    # Registered here so that users' --strict-markers runs accept @pytest.mark.sip_profile_mock.
    config.addinivalue_line("markers", f"{MARKER}: {MARKER_HELP}")
