"""Defensive redaction: no renderer may print a credential, whatever the run engine put in the document."""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Iterable
from typing import Any

__all__ = ["REDACTED", "redact"]

REDACTED = "<redacted>"

#: Headers whose value is a credential (compared case-insensitively).
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"})
#: Environment variables whose value, if set in the rendering process, is scrubbed from every string.
SECRET_ENV = ("SIGNALWIRE_API_TOKEN", "SIGNALWIRE_TOKEN", "SIGNALWIRE_SECONDARY_API_TOKEN",
              "SIGNALWIRE_NOVOICE_API_TOKEN")

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # "Authorization: Basic abc…", "Bearer abc…" anywhere in free text (curl -H, logs, bodies): a token
    # of 12+ characters with a digit or base64 punctuation, so that prose ("Basic followed by") survives.
    (re.compile(r"(?i)\b(basic|bearer)\s+(?=[A-Za-z0-9+/=._~-]*[0-9+/=])[A-Za-z0-9+/=._~-]{12,}"),
     r"\1 " + REDACTED),
    # Credentials in a URL: https://user:secret@host
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s:@'\"]+:[^/\s@'\"]+@"), r"\1" + REDACTED + "@"),
    # curl -u 'user:secret' / --user user:secret, unless both halves are shell variables.
    (re.compile(r"""(?x)(\s(?:-u|--user)\s+)(['"]?)(?!\$)[^\s'"]+:(?!\$)[^\s'"]+\2"""),
     r"\1\2" + REDACTED + r"\2"),
    # --token xyz, --api-token=xyz, api_token=xyz, password=xyz
    (re.compile(r"(?i)(--(?:api-)?token[= ]|\b(?:api_token|password|secret)=)(?!\$)[^\s&'\"]+"),
     r"\1" + REDACTED),
)


def _env_secrets() -> list[str]:
    return [v for name in SECRET_ENV if len(v := os.environ.get(name, "")) >= 6]


def _scrub(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _walk(value: Any, secrets: list[str]) -> Any:
    if isinstance(value, str):
        return _scrub(value, secrets)
    if isinstance(value, list):
        return [_walk(v, secrets) for v in value]
    if isinstance(value, dict):
        out: dict[Any, Any] = {}
        for key, item in value.items():
            if key == "headers" and isinstance(item, dict):
                out[key] = {
                    h: REDACTED if str(h).lower() in SECRET_HEADERS else _walk(v, secrets)
                    for h, v in item.items()
                }
            else:
                out[key] = _walk(item, secrets)
        return out
    return value


def redact(doc: dict[str, Any], *, secrets: Iterable[str] = (), use_env: bool = True) -> dict[str, Any]:
    """Return a deep copy of ``doc`` with credentials replaced by ``<redacted>``.

    Header values named authorization / proxy-authorization / cookie / set-cookie / x-api-key are
    replaced wholesale; in every string, ``Basic …``/``Bearer …`` tokens, ``user:secret@`` in URLs, literal
    ``curl -u user:secret`` pairs, ``--token …`` options, the given ``secrets`` and (with ``use_env``) the
    values of the SignalWire token variables of this process are scrubbed.
    """
    known = sorted({s for s in secrets if s} | set(_env_secrets() if use_env else ()), key=len, reverse=True)
    result: dict[str, Any] = _walk(copy.deepcopy(doc), known)
    return result
