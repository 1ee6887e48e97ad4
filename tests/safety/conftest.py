"""Fixtures of the safety tests: a clean environment, and a mock served over real HTTP."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest

import contracts.mock._server as mock_server
from contracts.mock import MockSpace, serving


@pytest.fixture(autouse=True, scope="package")
def _nodelay() -> Iterator[None]:
    """Work around a bug of the mock's server: ``_bind`` creates its socket with protocol 0, so asyncio's
    transport never sets TCP_NODELAY on accepted connections and every answer (headers, then body) waits
    ~40 ms for the client's delayed ACK (reported; fixed by ``socket.socket(family, SOCK_STREAM,
    IPPROTO_TCP)``). Accepted sockets inherit the option from the listening one. Without this, each quick
    run over HTTP takes ~13 s instead of ~2 s; no assertion depends on it."""
    original = mock_server._bind

    def bind(host: str, port: int) -> socket.socket:
        sock = original(host, port)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    mock_server._bind = bind  # type: ignore[assignment]
    yield
    mock_server._bind = original  # type: ignore[assignment]


@pytest.fixture(autouse=True)
def _no_signalwire_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own SIGNALWIRE_* variables must never leak into a test run (nor a test into them)."""
    for name in list(os.environ):
        if name.startswith(("SIGNALWIRE_", "SIP_CONTRACTS_")):
            monkeypatch.delenv(name)


@pytest.fixture
def served() -> Callable[..., AbstractContextManager[str]]:
    """``with served(space, wrap=None) as url``: the space over HTTP; ``wrap(app)`` may put an ASGI wrapper
    (tests/safety/_helpers.Refuse, Hang) in front of the mock. Wrappers are switched off before the server
    stops, so nothing is left hanging."""

    @contextmanager
    def serve(space: MockSpace, wrap: Callable[[Any], Any] | None = None) -> Iterator[str]:
        wrapper = None
        if wrap is not None:
            wrapper = wrap(space.app)
            space.app = wrapper
        try:
            with serving(space) as url:
                try:
                    yield url
                finally:
                    if wrapper is not None:
                        wrapper.active = False
        finally:
            if wrapper is not None:
                space.app = wrapper.app

    return serve
