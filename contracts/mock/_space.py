"""MockSpace: one SignalWire space with several projects, its ASGI app, and the logs tests read."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import httpx

from ..env import MOCK_BASE_URL
from ..spec import load_spec
from ._asgi import MockApp
from ._config import DEFAULT_PROJECTS, MockConfig, Project
from ._faults import FaultInjector, FaultKind, Faults
from ._fields import Profile
from ._mutants import MUTANTS, Mutant
from ._service import Service
from ._transport import InProcessTransport

__all__ = ["MockSpace"]


def _initial_profiles(projects: tuple[Project, ...]) -> dict[str, Profile]:
    """Distinct first profiles (``domain`` is derived by the service), so tests can tell projects apart.

    Codecs and ciphers are slices of the fragment's vocabularies (never names written here), so a change
    of vocabulary cannot leave the mock starting from a profile it would itself reject.
    """
    spec = load_spec()
    encryption = "optional"
    if encryption not in spec.encryption_values:
        raise RuntimeError(f"the fragment no longer lists encryption value {encryption!r}")
    ids = {p.name: p.project_id for p in projects}
    profiles: dict[str, Profile] = {}
    for project_id, identifier, codecs, ciphers in (
        (ids["primary"], "primary-sip", spec.codecs[:3], spec.ciphers[:2]),
        (ids["secondary"], "secondary-sip", spec.codecs[2:4], spec.ciphers[2:4]),
    ):
        profiles[project_id] = {
            "domain_identifier": identifier,
            "default_codecs": list(codecs), "default_ciphers": list(ciphers),
            "default_encryption": encryption, "default_send_as": None,
        }
    return profiles


class MockSpace:
    """The embedded mock target. ``MockSpace(mutant="name")`` breaks it in one documented way.

    Projects: ``primary`` and ``secondary`` (Voice scope, each its own project and profile) and
    ``novoice``, a second token of the *primary* project without the Voice scope. ``projects`` replaces
    their IDs and tokens (names ``primary``, ``secondary``, ``novoice``): a space whose identifiers have
    another shape than the mock's own.
    """

    def __init__(self, config: MockConfig | None = None, *, mutant: str | None = None,
                 faults: Faults | None = None, seed: int = 0,
                 projects: tuple[Project, ...] | None = None) -> None:
        # Read at call time, not bound as a default: tests swap the module's DEFAULT_PROJECTS (sentinel
        # tokens) and every space made afterwards must hold them.
        projects = DEFAULT_PROJECTS if projects is None else projects
        self.config = config or MockConfig()
        self.mutant: Mutant | None = MUTANTS.get(mutant) if mutant is not None else None
        if mutant is not None and self.mutant is None:
            raise ValueError(f"unknown mutant {mutant!r}; known: {', '.join(sorted(MUTANTS))}")
        self.faults = faults or Faults()
        self.seed = seed
        names = sorted(p.name for p in projects)
        if names != ["novoice", "primary", "secondary"]:
            raise ValueError(f"MockSpace projects are named {names}; expected novoice, primary, secondary")
        self.projects: Mapping[str, Project] = MappingProxyType({p.name: p for p in projects})
        self._service = Service(self.config, projects, mutant, _initial_profiles(projects))
        self._injector = FaultInjector(self.faults, seed)
        self._log_lock = threading.Lock()
        self._request_log: list[tuple[str, str, int]] = []
        self.app = MockApp(self._service, self._injector, self._record)

    @property
    def base_url(self) -> str:
        """Base URL for in-process clients: ``.invalid`` can never resolve, so nothing leaves the process."""
        return MOCK_BASE_URL

    def transport(self) -> httpx.BaseTransport:
        return InProcessTransport(self.app)

    def reset(self) -> None:
        """Back to the initial state: profiles, request and fault logs, fault counters and random seed."""
        self._service.reset()
        self._injector.reset()
        with self._log_lock:
            self._request_log.clear()

    def profile(self, name: str) -> dict[str, Any]:
        """The stored profile of the project behind credentials ``name`` (a copy; not what GET renders)."""
        return self._service.profile(self.projects[name].project_id)

    @property
    def request_log(self) -> list[tuple[str, str, int]]:
        """``(method, path, status)`` of every request answered (dropped and hanging ones are not)."""
        with self._log_lock:
            return list(self._request_log)

    @property
    def fault_log(self) -> list[tuple[int, FaultKind]]:
        """``(request number, fault)`` of every fault injected, latency included."""
        return self._injector.entries()

    def release_hangs(self) -> None:
        """End requests left hanging by ``Faults.stop_after`` (their connections are dropped)."""
        self._injector.release()

    def _record(self, method: str, path: str, status: int) -> None:
        with self._log_lock:
            self._request_log.append((method, path, status))

    def __repr__(self) -> str:
        mutant = f", mutant={self.mutant.name!r}" if self.mutant else ""
        return f"MockSpace(space={self.config.space!r}{mutant}, faults={self.faults!r})"

