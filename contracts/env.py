"""The one owner of the environment vocabulary: ``SIGNALWIRE_*`` names, credential pairs, URL and loopback
rules, and the embedded mock's fixed credentials.

Conventions follow SignalWire's own SDK clients (see the README's comparison table):
``SIGNALWIRE_REST_BASE_URL`` (a full URL) wins over ``SIGNALWIRE_SPACE``; a loopback space
(``127.0.0.1:8080``) is reached over plain ``http://``; any other space over ``https://``; a space that
starts with ``http`` is taken as a full URL.

Credentials in clear text: HTTP Basic sends the project ID and token base64-encoded, i.e. readable by
anyone on the path. Plain ``http://`` is therefore only accepted for a loopback host — exactly 127.0.0.0/8,
``::1`` or ``localhost`` (never a prefix test: ``127.example.com`` is a public name) — unless the user
passes ``--insecure-http``.
"""

from __future__ import annotations

import ipaddress
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from .errors import ConfigError

__all__ = [
    "ALLOW_WRITES",
    "BASE_URL",
    "MOCK_BASE_URL",
    "MOCK_HOST",
    "MOCK_PROJECTS",
    "MOCK_SPACE",
    "PAIRS",
    "SPACE",
    "TEST_NUMBERS",
    "TOKEN_VARIABLES",
    "MockProject",
    "Who",
    "base_url_from_env",
    "env_block",
    "is_loopback_host",
    "names_target",
]

Who = Literal["primary", "secondary", "novoice"]

SPACE = "SIGNALWIRE_SPACE"
BASE_URL = "SIGNALWIRE_REST_BASE_URL"
TEST_NUMBERS = "SIGNALWIRE_TEST_NUMBERS"
ALLOW_WRITES = "SIP_CONTRACTS_ALLOW_WRITES"

#: Who -> (project variable, token variable, what the pair is for).
PAIRS: Mapping[Who, tuple[str, str, str]] = {
    "primary": ("SIGNALWIRE_PROJECT_ID", "SIGNALWIRE_API_TOKEN", "the project under test"),
    "secondary": ("SIGNALWIRE_SECONDARY_PROJECT_ID", "SIGNALWIRE_SECONDARY_API_TOKEN", "the second project"),
    "novoice": ("SIGNALWIRE_NOVOICE_PROJECT_ID", "SIGNALWIRE_NOVOICE_API_TOKEN",
                "the token without the Voice scope"),
}
#: Every variable whose value is a credential (scrubbed from every output). SIGNALWIRE_TOKEN is what some
#: older SignalWire examples call the token.
TOKEN_VARIABLES: tuple[str, ...] = (*(token for _, token, _ in PAIRS.values()), "SIGNALWIRE_TOKEN")

#: The names that make a run target a real space instead of the embedded mock.
_TARGET_VARIABLES = (PAIRS["primary"][0], PAIRS["primary"][1], SPACE, BASE_URL)

#: The host name the write guard and the reports use for the in-process mock (it has no address).
MOCK_HOST = "embedded-mock"
#: The in-process mock's base URL: ``.invalid`` can never resolve, so nothing leaves the process.
MOCK_BASE_URL = "http://mock.invalid"
#: The mock's space name: the ``servers`` default of the fragment, so the derived ``domain`` looks real.
MOCK_SPACE = "example"


@dataclass(frozen=True)
class MockProject:
    """One fixed credential pair of the embedded mock (not secrets: ``sip-contracts mock`` prints them)."""

    who: Who
    project_id: str
    token: str
    voice: bool


# Readable, fixed values: a user can paste them once. The ids are valid UUIDs (like real project ids); the
# tokens are deliberately unlike real SignalWire tokens so no secret scanner or human mistakes them for one.
# The no-Voice token belongs to the *primary* project: on a real account one creates a second API token in
# the same project without the Voice scope, so the check is about the scope and nothing else.
MOCK_PROJECTS: tuple[MockProject, ...] = (
    MockProject("primary", "11111111-1111-4111-8111-111111111111", "mock-token-primary", True),
    MockProject("secondary", "22222222-2222-4222-8222-222222222222", "mock-token-secondary", True),
    MockProject("novoice", "11111111-1111-4111-8111-111111111111", "mock-token-novoice", False),
)


def names_target(env: Mapping[str, str]) -> bool:
    """True when the environment names a real target (else the run uses the embedded mock)."""
    return any(env.get(name, "").strip() for name in _TARGET_VARIABLES)


def is_loopback_host(hostname: str) -> bool:
    """Exactly ``localhost``, 127.0.0.0/8 or ``::1`` (brackets allowed); never a prefix match."""
    name = hostname.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _space_host(space: str) -> str:
    """The host part of a bare ``SIGNALWIRE_SPACE`` value (``host``, ``host:port``, ``[::1]:port``)."""
    try:
        return urlsplit(f"//{space}").hostname or ""
    except ValueError:
        return ""


def check_url(url: str, variable: str, *, insecure_http: bool = False) -> str:
    """A usable base URL, or a one-line ConfigError naming the variable (never echoing a secret)."""
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
    if parts.scheme == "http" and not is_loopback_host(parts.hostname) and not insecure_http:
        raise ConfigError(f"{variable} has value {shown!r}: plain http to a host that is not loopback would "
                          "send the Basic credentials in clear text; use https, or pass --insecure-http")
    return url.rstrip("/")


def base_url_from_env(env: Mapping[str, str], *, insecure_http: bool = False) -> str:
    """SDK conventions: REST_BASE_URL wins; a loopback SPACE is plain http; an http… SPACE is a URL."""
    if env.get(BASE_URL, "").strip():
        return check_url(env[BASE_URL].strip(), BASE_URL, insecure_http=insecure_http)
    space = env.get(SPACE, "").strip()
    if not space:
        raise ConfigError(f"{PAIRS['primary'][0]} is set but neither {SPACE} nor {BASE_URL} says where the "
                          "space is")
    if space.startswith("http"):
        return check_url(space, SPACE, insecure_http=insecure_http)
    if "/" in space or " " in space:
        raise ConfigError(f"{SPACE} has value {space!r}: expected a host such as example.signalwire.com")
    if is_loopback_host(_space_host(space)):
        return check_url(f"http://{space}", SPACE)
    host = space if "." in space or ":" in space else f"{space}.signalwire.com"
    return check_url(f"https://{host}", SPACE)


def env_block(base_url: str, projects: Mapping[Who, tuple[str, str]]) -> list[str]:
    """``export`` lines that point the suite (or an SDK) at a target. Never grants write permission:
    that is the user's separate decision (``--allow-writes HOST``)."""
    lines = [f"export {BASE_URL}={shlex.quote(base_url)}"]
    for who, (project_id, token) in projects.items():
        project_var, token_var, _ = PAIRS[who]
        lines += [f"export {project_var}={shlex.quote(project_id)}",
                  f"export {token_var}={shlex.quote(token)}"]
    return lines
