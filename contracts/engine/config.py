"""Run configuration: environment first (the SDK's SIGNALWIRE_* conventions), then CLI flags, then defaults.

Built once, validated up front (every problem is a one-line ``ConfigError`` naming the variable or flag),
immutable afterwards. Tokens never appear in a ``repr``.
"""

from __future__ import annotations

import ipaddress
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from .errors import ConfigError
from .profiles import PROFILES, Profile

__all__ = ["Credentials", "RunConfig", "Target", "load_config", "target_from_env"]

MOCK_HOST = "embedded-mock"


@dataclass(frozen=True)
class Credentials:
    """A project-and-token pair, plus the names of the variables that hold them (for reproducers)."""

    project_id: str
    token: str = field(repr=False)
    project_var: str = "SIGNALWIRE_PROJECT_ID"
    token_var: str = "SIGNALWIRE_API_TOKEN"

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

    @property
    def is_loopback(self) -> bool:
        hostname = urlsplit(self.base_url).hostname or ""
        if hostname == "localhost":
            return True
        try:
            return ipaddress.ip_address(hostname).is_loopback
        except ValueError:
            return False

    def secrets(self) -> tuple[str, ...]:
        creds = [c for c in (self.primary, self.secondary, self.novoice) if c is not None]
        return tuple(c.token for c in creds if c.token)


@dataclass(frozen=True, kw_only=True)
class RunConfig:
    target: Target
    profile: Profile
    seed: int
    report_dir: Path
    allow_writes: bool
    timeout_s: float = 10.0
    pace_rps: float = 0.0  #: 0 = no pacing
    budget: int = 300
    max_examples: int | None = None
    retries: int = 2
    max_retry_wait_s: float = 30.0
    baseline: Path | None = None
    waivers: Path | None = None
    example_db: Path | None = None
    mutant: str | None = None
    progress: bool = True


_LOOPBACK_NAMES = ("127.", "localhost", "[::1]", "::1")


def _is_loopback_space(space: str) -> bool:
    return space.startswith(_LOOPBACK_NAMES)


def _check_url(url: str, variable: str) -> str:
    try:
        parts = urlsplit(url)
        _ = parts.port
    except ValueError as exc:
        raise ConfigError(f"{variable} is not a valid URL: {exc}") from None
    # Only scheme://host[:port]/path is ever echoed: a query or userinfo may hold a pasted secret.
    shown = f"{parts.scheme}://{parts.hostname or ''}{parts.path}"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{variable} has value {shown!r}: not an http(s) URL with a host")
    if parts.username or parts.password:
        raise ConfigError(f"{variable} must not carry credentials; use SIGNALWIRE_PROJECT_ID/API_TOKEN")
    if parts.query or parts.fragment:
        raise ConfigError(f"{variable} ({shown!r}…): a base URL takes no query string or fragment")
    return url.rstrip("/")


def _base_url(env: Mapping[str, str]) -> str:
    """SDK conventions: REST_BASE_URL wins; a loopback SPACE is plain http; an http… SPACE is a URL."""
    if env.get("SIGNALWIRE_REST_BASE_URL"):
        return _check_url(env["SIGNALWIRE_REST_BASE_URL"].strip(), "SIGNALWIRE_REST_BASE_URL")
    space = env.get("SIGNALWIRE_SPACE", "").strip()
    if not space:
        raise ConfigError("SIGNALWIRE_PROJECT_ID is set but neither SIGNALWIRE_SPACE nor "
                          "SIGNALWIRE_REST_BASE_URL says where the space is")
    if space.startswith("http"):
        return _check_url(space, "SIGNALWIRE_SPACE")
    if _is_loopback_space(space):
        return _check_url(f"http://{space}", "SIGNALWIRE_SPACE")
    if "/" in space or " " in space:
        raise ConfigError(f"SIGNALWIRE_SPACE has value {space!r}: expected a host such as "
                          "example.signalwire.com")
    host = space if "." in space else f"{space}.signalwire.com"
    return _check_url(f"https://{host}", "SIGNALWIRE_SPACE")


def _pair(env: Mapping[str, str], prefix: str, label: str) -> Credentials | None:
    project_var, token_var = f"{prefix}_PROJECT_ID", f"{prefix}_API_TOKEN"
    project, token = env.get(project_var, "").strip(), env.get(token_var, "").strip()
    if project and not token:
        raise ConfigError(f"{project_var} is set but {token_var} is missing ({label})")
    if token and not project:
        raise ConfigError(f"{token_var} is set but {project_var} is missing ({label})")
    if not project:
        return None
    return Credentials(project, token, project_var, token_var)


def _numbers(env: Mapping[str, str]) -> tuple[str, ...] | None:
    raw = env.get("SIGNALWIRE_TEST_NUMBERS", "").strip()
    if not raw:
        return None
    from .generators import owned_numbers_from_env

    try:
        return owned_numbers_from_env(raw)
    except ValueError as exc:
        raise ConfigError(f"SIGNALWIRE_TEST_NUMBERS: {exc}") from None


def target_from_env(env: Mapping[str, str] | None = None) -> Target | None:
    """The real target named by SIGNALWIRE_* variables, or None when none is set (use the mock)."""
    env = os.environ if env is None else env
    names = ("SIGNALWIRE_PROJECT_ID", "SIGNALWIRE_API_TOKEN", "SIGNALWIRE_SPACE", "SIGNALWIRE_REST_BASE_URL")
    if not any(env.get(n, "").strip() for n in names):
        return None
    primary = _pair(env, "SIGNALWIRE", "the project under test")
    if primary is None:
        raise ConfigError("SIGNALWIRE_SPACE/SIGNALWIRE_REST_BASE_URL is set but SIGNALWIRE_PROJECT_ID and "
                          "SIGNALWIRE_API_TOKEN are missing")
    base_url = _base_url(env)
    parts = urlsplit(base_url)
    host = parts.netloc
    space_name = None
    if parts.hostname and parts.hostname.endswith(".signalwire.com"):
        space_name = parts.hostname.split(".")[0]
    return Target(
        kind="http", base_url=base_url, host=host, primary=primary,
        secondary=_pair(env, "SIGNALWIRE_SECONDARY", "the second project"),
        novoice=_pair(env, "SIGNALWIRE_NOVOICE", "the token without the Voice scope"),
        numbers=_numbers(env), space_name=space_name,
    )


def resolve_profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
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
    baseline: str | None = None,
    waivers: str | None = None,
    example_db: str | None = None,
    mutant: str | None = None,
    progress: bool = True,
) -> RunConfig:
    env = os.environ if env is None else env
    prof = resolve_profile(profile)
    real = target or target_from_env(env)
    if real is None:
        from .mock_target import mock_target

        real = mock_target()
    elif mutant:
        raise ConfigError("--mutant applies to the embedded mock only; unset the SIGNALWIRE_* variables")
    allow = allow_writes if allow_writes is not None else env.get("SIP_CONTRACTS_ALLOW_WRITES")
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
    for name, path in (("--baseline", baseline), ("--waivers", waivers)):
        if path is not None and not Path(path).is_file():
            raise ConfigError(f"{name} {path}: no such file")
    default_pace = 0.0 if real.kind == "mock" or real.is_loopback else 4.0
    import random

    return RunConfig(
        target=real, profile=prof,
        seed=seed if seed is not None else random.SystemRandom().randrange(2**31),
        report_dir=Path(report_dir), allow_writes=writes,
        timeout_s=timeout_s or 10.0,
        pace_rps=default_pace if pace_rps is None else pace_rps,
        budget=budget or prof.budget, max_examples=max_examples,
        baseline=Path(baseline) if baseline else None,
        waivers=Path(waivers) if waivers else None,
        example_db=None if example_db in (None, "", "none") else Path(str(example_db)),
        mutant=mutant, progress=progress,
    )
