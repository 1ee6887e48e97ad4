"""The ``sip_profile_mock`` fixture: the faithful mock over HTTP on loopback, a fresh space per test.

One uvicorn server per session (per xdist worker) and a new :class:`~contracts.mock.MockSpace` per test.
Starting and stopping uvicorn costs about 0.2 s (mostly its shutdown), a new space about 0.3 ms;
so the server is started once and routes every request to the space of the test that is running.
A fresh space per test, rather than ``reset()`` of one, is what lets each test choose its own mutant,
faults and configuration.

Heavy imports (the mock pulls in uvicorn, httpx, the spec) are deferred to the first use of the fixture:
this module is imported by every pytest run in an environment where the package is installed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

import pytest

from contracts.env import BASE_URL, PAIRS, SPACE

if TYPE_CHECKING:
    from contracts.mock import Faults, MockConfig, MockSpace
    from contracts.mock._asgi import Receive, Scope, Send

__all__ = ["MARKER", "Credentials", "SipProfileMock", "sip_profile_mock", "sip_profile_mock_server"]

MARKER = "sip_profile_mock"
MARKER_HELP = (f"{MARKER}(mutant=None, faults=None, config=None, seed=0): run this test's sip_profile_mock "
               "with one of contracts.mock.MUTANTS planted, Faults (or a dict of its fields) and a "
               "MockConfig (or a dict of its fields)")
_OPTIONS = frozenset({"mutant", "faults", "config", "seed"})


@dataclass(frozen=True)
class Credentials:
    """One project-and-token pair of the mock space."""

    project_id: str
    api_token: str = field(repr=False)


class _Router:
    """The session server's ASGI app: forwards each request to the space of the test now running.

    It quacks like the part of ``MockSpace`` that ``serving()`` uses (``app``, ``release_hangs``), so the
    mock's own server code (loopback binding, TCP_NODELAY, quiet drops) serves it unchanged.
    """

    def __init__(self, space: MockSpace) -> None:
        self.current = space

    @property
    def app(self) -> _Router:
        return self

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.current.app(scope, receive, send)

    def release_hangs(self) -> None:
        self.current.release_hangs()


class SipProfileMock:
    """What the ``sip_profile_mock`` fixture gives a test. Credentials are the mock's fixed ones."""

    def __init__(self, router: _Router, base_url: str) -> None:
        self._router = router
        self.base_url = base_url  #: ``http://127.0.0.1:<port>``, no trailing slash
        self.host = base_url.split("://", 1)[1]  #: ``127.0.0.1:<port>``: what the SDKs call the space

    @property
    def mock_space(self) -> MockSpace:
        """The :class:`~contracts.mock.MockSpace` answering now (``profile()``, ``fault_log`` …)."""
        return self._router.current

    @property
    def space(self) -> str:
        """The SignalWire space name the mock plays (``{space}-{identifier}.sip.signalwire.com``)."""
        return self.mock_space.config.space

    def _credentials(self, name: str) -> Credentials:
        project = self.mock_space.projects[name]
        return Credentials(project.project_id, project.token)

    @property
    def project_id(self) -> str:
        return self._credentials("primary").project_id

    @property
    def api_token(self) -> str:
        return self._credentials("primary").api_token

    @property
    def secondary(self) -> Credentials:
        """A second project of the same space, with its own profile."""
        return self._credentials("secondary")

    @property
    def novoice(self) -> Credentials:
        """A second token of the primary project, without the Voice scope (answered 401)."""
        return self._credentials("novoice")

    @property
    def env(self) -> Mapping[str, str]:
        """``SIGNALWIRE_*`` variables pointing SignalWire's SDKs, or this suite, at the mock.

        Both ``SIGNALWIRE_SPACE`` (a loopback ``host:port``, which the Python and recent TypeScript SDKs
        reach over plain http) and ``SIGNALWIRE_REST_BASE_URL`` (which wins where it is read). Write
        permission for the suite (``SIP_CONTRACTS_ALLOW_WRITES``) is deliberately not here: it is a
        separate decision a test must make explicitly.
        """
        variables = {SPACE: self.host, BASE_URL: self.base_url}
        for who, (project_var, token_var, _) in PAIRS.items():
            creds = self._credentials(who)
            variables[project_var], variables[token_var] = creds.project_id, creds.api_token
        return MappingProxyType(variables)

    @property
    def requests(self) -> list[tuple[str, str, int]]:
        """``(method, path, status)`` of every request answered so far in this test, in order."""
        return self.mock_space.request_log

    def use(self, *, mutant: str | None = None, faults: Faults | Mapping[str, Any] | None = None,
            config: MockConfig | Mapping[str, Any] | None = None, seed: int = 0) -> MockSpace:
        """From now on in this test, answer from a fresh space with this mutant, faults and config.

        The stored profiles and the request log start over. Returns the new space.
        """
        space = _new_space(mutant=mutant, faults=faults, config=config, seed=seed)
        previous, self._router.current = self._router.current, space
        previous.release_hangs()
        return space

    def __repr__(self) -> str:
        return f"SipProfileMock(base_url={self.base_url!r}, {self.mock_space!r})"


def _new_space(*, mutant: str | None, faults: Faults | Mapping[str, Any] | None,
               config: MockConfig | Mapping[str, Any] | None, seed: int) -> MockSpace:
    from contracts.mock import MUTANTS, Faults, MockConfig, MockSpace

    if mutant is not None and mutant not in MUTANTS:
        raise ValueError(f"sip_profile_mock: unknown mutant {mutant!r}; known: {', '.join(sorted(MUTANTS))}")
    try:
        if faults is not None and not isinstance(faults, Faults):
            faults = Faults(**faults)
        if config is not None and not isinstance(config, MockConfig):
            config = MockConfig(**config)
    except TypeError as exc:  # an unknown field name: say which switch was meant
        raise ValueError(f"sip_profile_mock: {exc}") from None
    return MockSpace(config, mutant=mutant, faults=faults, seed=seed)


def _marker_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker(MARKER)
    if marker is None:
        return {}
    expected = ", ".join(sorted(_OPTIONS))
    if marker.args:
        raise ValueError(f"@pytest.mark.{MARKER} takes keyword arguments only ({expected})")
    unknown = set(marker.kwargs) - _OPTIONS
    if unknown:
        raise ValueError(f"@pytest.mark.{MARKER}: unknown option(s) {', '.join(sorted(unknown))}; "
                         f"expected {expected}")
    return dict(marker.kwargs)


@pytest.fixture(scope="session")
def sip_profile_mock_server() -> Iterator[SipProfileMock]:
    """The session's server (one per xdist worker). Tests should take ``sip_profile_mock`` instead."""
    from contracts.mock import MockSpace, serving

    router = _Router(MockSpace())
    # serving() needs only .app and .release_hangs() of its space; the router provides both.
    with serving(cast("MockSpace", router)) as url:
        yield SipProfileMock(router, url)


@pytest.fixture
def sip_profile_mock(sip_profile_mock_server: SipProfileMock,
                     request: pytest.FixtureRequest) -> Iterator[SipProfileMock]:
    """The faithful SIP profile mock over HTTP on 127.0.0.1, with a fresh state for this test.

    ``@pytest.mark.sip_profile_mock(mutant=..., faults=..., config=...)`` or ``sip_profile_mock.use(...)``
    switch on one of the mock's planted regressions, faults or undocumented-choice settings.
    """
    mock = sip_profile_mock_server
    problem = None
    try:
        mock.use(**_marker_options(request))
    except ValueError as exc:
        problem = str(exc)
    if problem:  # a mistake in the test's marker: one line, not a traceback into the plugin
        pytest.fail(problem, pytrace=False)
    yield mock
    mock.mock_space.release_hangs()  # a request left hanging must not outlive its test
