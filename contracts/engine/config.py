"""Run configuration: environment first (the SDK's SIGNALWIRE_* conventions), then CLI flags, then defaults.

Built once, validated up front (every problem is a one-line ``ConfigError`` naming the variable or flag),
immutable afterwards. Tokens never appear in a ``repr``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from contracts import env as names
from contracts.engine.effort import EFFORTS, Effort
from contracts.engine.wire import Shape, shape_from_traffic
from contracts.env import MOCK_BASE_URL, MOCK_HOST, MOCK_PROJECTS, MOCK_SPACE, Who
from contracts.errors import ConfigError
from contracts.spec import PATH

__all__ = ["Credentials", "RunConfig", "Target", "load_config", "mock_target", "target_from_env"]


@dataclass(frozen=True)
class Credentials:
    """A project-and-token pair, plus the names of the variables that hold them (for reproducers)."""

    project_id: str
    token: str = field(repr=False)
    project_var: str = names.PAIRS["primary"][0]
    token_var: str = names.PAIRS["primary"][1]

    def curl_user(self) -> str:
        return f'"${self.project_var}:${self.token_var}"'


@dataclass(frozen=True)
class Target:
    kind: Literal["mock", "http"]
    base_url: str
    host: str  #: host[:port] as the write guard compares it; never holds credentials
    primary: Credentials
    secondary: Credentials | None = None
    novoice: Credentials | None = None
    numbers: tuple[str, ...] | None = None  #: numbers the project owns (SIGNALWIRE_TEST_NUMBERS)
    space_name: str | None = None  #: the {space} of {space}-{identifier}.sip.signalwire.com when known

    insecure_http: bool = False  #: the user allowed Basic credentials over plain http to a public host

    @property
    def is_loopback(self) -> bool:
        return names.is_loopback_host(urlsplit(self.base_url).hostname or "")

    def credentials(self) -> tuple[Credentials, ...]:
        return tuple(c for c in (self.primary, self.secondary, self.novoice) if c is not None)

    def secrets(self) -> tuple[str, ...]:
        return tuple(c.token for c in self.credentials() if c.token)

    def basic_pairs(self) -> tuple[tuple[str, str], ...]:
        return tuple((c.project_id, c.token) for c in self.credentials())


@dataclass(frozen=True, kw_only=True)
class RunConfig:
    target: Target
    effort: Effort
    seed: int
    report_dir: Path
    allow_writes: bool
    timeout_s: float = 10.0
    pace_rps: float = 0.0  #: 0 = no pacing
    budget: int = 300
    max_examples: int | None = None
    retries: int = 2
    max_retry_wait_s: float = 30.0
    example_db: Path | None = None
    mutant: str | None = None
    latency_factor: float = 3.0  #: latency drift: an operation this many times slower than in the baseline
    client_har: Path | None = None  #: ``--client-har FILE`` as given (for the re-run command)
    client_shape: Shape | None = None  #: the user's own client read from it: one more request shape


def _pair(env: Mapping[str, str], who: Who) -> Credentials | None:
    project_var, token_var, label = names.PAIRS[who]
    project, token = env.get(project_var, "").strip(), env.get(token_var, "").strip()
    if project and not token:
        raise ConfigError(f"{project_var} is set but {token_var} is missing ({label})")
    if token and not project:
        raise ConfigError(f"{token_var} is set but {project_var} is missing ({label})")
    if not project:
        return None
    return Credentials(project, token, project_var, token_var)


def _numbers(env: Mapping[str, str]) -> tuple[str, ...] | None:
    raw = env.get(names.TEST_NUMBERS, "").strip()
    if not raw:
        return None
    from contracts.generators import owned_numbers_from_env

    try:
        return owned_numbers_from_env(raw)
    except ValueError as exc:
        raise ConfigError(f"{names.TEST_NUMBERS}: {exc}") from None


def target_from_env(env: Mapping[str, str] | None = None, *, insecure_http: bool = False) -> Target | None:
    """The real target named by SIGNALWIRE_* variables, or None when none is set (use the mock)."""
    env = os.environ if env is None else env
    if not names.names_target(env):
        return None
    primary = _pair(env, "primary")
    if primary is None:
        project_var, token_var, _ = names.PAIRS["primary"]
        raise ConfigError(f"{names.SPACE}/{names.BASE_URL} is set but {project_var} and {token_var} are "
                          "missing")
    base_url = names.base_url_from_env(env, insecure_http=insecure_http)
    parts = urlsplit(base_url)
    host = parts.netloc
    space_name = None
    if parts.hostname and parts.hostname.endswith(".signalwire.com"):
        space_name = parts.hostname.split(".")[0]
    return Target(
        kind="http", base_url=base_url, host=host, primary=primary,
        secondary=_pair(env, "secondary"), novoice=_pair(env, "novoice"),
        numbers=_numbers(env), space_name=space_name,
        insecure_http=insecure_http and parts.scheme == "http"
        and not names.is_loopback_host(parts.hostname or ""),
    )


def mock_target() -> Target:
    """The embedded mock as a Target (its fixed credentials are owned by contracts.env)."""
    pairs = {p.who: Credentials(p.project_id, p.token, *names.PAIRS[p.who][:2]) for p in MOCK_PROJECTS}
    return Target(kind="mock", base_url=MOCK_BASE_URL, host=MOCK_HOST, primary=pairs["primary"],
                  secondary=pairs["secondary"], novoice=pairs["novoice"], numbers=None, space_name=MOCK_SPACE)


def resolve_effort(name: str) -> Effort:
    try:
        return EFFORTS[name]
    except KeyError:
        known = ", ".join(sorted(EFFORTS))
        raise ConfigError(f"unknown profile {name!r} (known: {known})") from None


def check_write_guard(target: Target, allow: str | None) -> bool:
    """Writes go only to the embedded mock or to the exact host the user named."""
    if target.kind == "mock":
        return True
    if not allow:
        return False
    wanted = allow.strip().removeprefix("https://").removeprefix("http://").rstrip("/")
    if wanted != target.host:
        raise ConfigError(f"--allow-writes/SIP_CONTRACTS_ALLOW_WRITES names {wanted!r} but the target is "
                          f"{target.host!r}; refusing to run")
    return True


def load_config(
    *,
    env: Mapping[str, str] | None = None,
    target: Target | None = None,
    profile: str = "quick",
    seed: int | None = None,
    report_dir: str | Path = "reports",
    allow_writes: str | None = None,
    timeout_s: float | None = None,
    pace_rps: float | None = None,
    budget: int | None = None,
    max_examples: int | None = None,
    example_db: str | None = None,
    mutant: str | None = None,
    insecure_http: bool = False,
    latency_factor: float | None = None,
    client_har: str | Path | None = None,
) -> RunConfig:
    env = os.environ if env is None else env
    effort = resolve_effort(profile)
    real = target or target_from_env(env, insecure_http=insecure_http)
    if real is None:
        real = mock_target()
        if allow_writes:
            raise ConfigError("--allow-writes applies to a real target; the embedded mock always allows "
                              "writes (set SIGNALWIRE_* to name a target)")
        if insecure_http:
            raise ConfigError("--insecure-http applies to a real target named by SIGNALWIRE_*; the embedded "
                              "mock is in-process")
    elif mutant:
        raise ConfigError("--mutant applies to the embedded mock only; unset the SIGNALWIRE_* variables")
    allow = allow_writes if allow_writes is not None else env.get(names.ALLOW_WRITES)
    writes = check_write_guard(real, allow)
    for name, value in (("--timeout", timeout_s), ("--pace", pace_rps)):
        if value is not None and not math.isfinite(value):
            raise ConfigError(f"{name} must be a finite number (got {value})")
        if value is not None and value < 0:
            raise ConfigError(f"{name} must not be negative (got {value})")
    if timeout_s is not None and timeout_s == 0:
        raise ConfigError("--timeout must be positive")
    for name, ivalue in (("--budget", budget), ("--max-examples", max_examples)):
        if ivalue is not None and ivalue < 1:
            raise ConfigError(f"{name} must be at least 1 (got {ivalue})")
    if latency_factor is not None and not (math.isfinite(latency_factor) and latency_factor > 1):
        raise ConfigError(f"--latency-factor must be a number above 1 (got {latency_factor})")
    default_pace = 0.0 if real.kind == "mock" or real.is_loopback else 4.0
    import random

    return RunConfig(
        target=real, effort=effort,
        seed=seed if seed is not None else random.SystemRandom().randrange(2**31),
        report_dir=Path(report_dir), allow_writes=writes,
        timeout_s=timeout_s or 10.0,
        pace_rps=default_pace if pace_rps is None else pace_rps,
        budget=budget or effort.budget, max_examples=max_examples,
        example_db=None if example_db in (None, "", "none") else Path(str(example_db)),
        mutant=mutant,
        latency_factor=3.0 if latency_factor is None else latency_factor,
        client_har=None if client_har is None else Path(client_har),
        client_shape=None if client_har is None else _client_shape(client_har),
    )


def _client_shape(path: str | Path) -> Shape:
    """The request shape of the user's client, from a HAR (or cassette) of its traffic; exit 2 on a file
    that cannot be read or holds no GET or PUT."""
    from contracts.recorded import TrafficFileError, load_traffic

    try:
        records = load_traffic(path)
    except TrafficFileError as exc:
        raise ConfigError(f"--client-har {exc}") from None
    except OSError as exc:
        raise ConfigError(f"--client-har {path}: {exc.strerror or exc}") from None
    shape = shape_from_traffic(records, path=PATH)
    if shape is None:
        raise ConfigError(f"--client-har {path}: no GET or PUT request in it")
    return shape
