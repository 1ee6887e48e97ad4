"""pytest plugin of sip-profile-contracts (entry point ``pytest11``: ``sip_contracts``).

Loaded by every pytest run where the package is installed, so it stays cheap: it registers the
``sip_profile_mock`` fixture and its marker, and the ``--sip-*`` options; ``pytest --sip-contracts``
collects the suite's clauses (``_collect``); ``--sip-check-traffic`` judges the session's VCR.py cassettes
at its end (``_traffic``). Nothing heavy is imported until a test or that option uses it.
"""

from __future__ import annotations

import pytest

from . import _collect
from ._collect import configure_collection
from ._fixture import (
    MARKER,
    MARKER_HELP,
    Credentials,
    SipProfileMock,
    sip_profile_mock,
    sip_profile_mock_server,
)
from ._traffic import add_options, configure_traffic

__all__ = ["Credentials", "SipProfileMock", "pytest_addoption", "sip_profile_mock", "sip_profile_mock_server"]


def pytest_addoption(parser: pytest.Parser) -> None:
    _collect.pytest_addoption(parser)
    add_options(parser)  # --sip-check-traffic


def pytest_configure(config: pytest.Config) -> None:
    # Registered here so that users' --strict-markers runs accept @pytest.mark.sip_profile_mock.
    config.addinivalue_line("markers", f"{MARKER}: {MARKER_HELP}")
    configure_collection(config)  # off unless --sip-contracts
    configure_traffic(config)  # off unless --sip-check-traffic
