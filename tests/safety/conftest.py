"""Fixtures of the safety tests: a clean environment, and a mock served over real HTTP."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest

from contracts.mock import MockSpace, serving


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
