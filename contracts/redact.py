"""The one scrubber: no credential value survives into any output, whatever put it there.

Used by every writer of the suite: the reports (``redact``), the terminal and one-line error messages
(``scrub_text``), and the run document before it is written (``scrub``). One rule set:

- every secret handed in, and every token variable of this process (``contracts.env.TOKEN_VARIABLES`` and
  any ``*_API_TOKEN``, which is how ``--targets`` files name theirs), when at least 4 characters long;
- the base64 ``project:token`` of every Basic pair handed in;
- header values named authorization / proxy-authorization / cookie / set-cookie / x-api-key, wholesale;
- in free text: ``Basic …``/``Bearer …`` tokens, ``user:secret@`` in URLs, literal ``curl -u user:secret``
  pairs, and ``--token …`` / ``api_token=…`` / ``password=…`` options.
"""

from __future__ import annotations

import base64
import copy
import os
import re
from collections.abc import Iterable
from typing import Any

from contracts.env import TOKEN_VARIABLES

__all__ = ["REDACTED", "redact", "scrub", "scrub_text"]

REDACTED = "<redacted>"
MIN_SECRET = 4  #: shorter values would mask ordinary words; no real token is that short

#: Headers whose value is a credential (compared case-insensitively).
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"})

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


def env_secrets() -> list[str]:
    """Every token the environment holds (a message may quote a user's input)."""
    return [value for name, value in os.environ.items()
            if (name in TOKEN_VARIABLES or name.endswith("_API_TOKEN")) and value]


def _needles(secrets: Iterable[str], basic_pairs: Iterable[tuple[str, str]] = (),
             use_env: bool = True) -> list[str]:
    found = {s for s in secrets if s and len(s) >= MIN_SECRET}
    found |= {base64.b64encode(f"{u}:{p}".encode()).decode() for u, p in basic_pairs if p}
    if use_env:
        found |= {s for s in env_secrets() if len(s) >= MIN_SECRET}
    return sorted(found, key=len, reverse=True)


def _scrub(text: str, needles: list[str]) -> str:
    for needle in needles:
        text = text.replace(needle, REDACTED)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def scrub_text(text: str, secrets: Iterable[str] = ()) -> str:
    """One string with every credential masked."""
    return _scrub(text, _needles(secrets))


def _walk(value: Any, needles: list[str]) -> Any:
    if isinstance(value, str):
        return _scrub(value, needles)
    if isinstance(value, list):
        return [_walk(v, needles) for v in value]
    if isinstance(value, dict):
        out: dict[Any, Any] = {}
        for key, item in value.items():
            if key == "headers" and isinstance(item, dict):
                out[key] = {h: REDACTED if str(h).lower() in SECRET_HEADERS else _walk(v, needles)
                            for h, v in item.items()}
            else:
                out[_scrub(str(key), needles)] = _walk(item, needles)
        return out
    return value


def scrub(value: Any, secrets: Iterable[str] = (), basic_pairs: Iterable[tuple[str, str]] = ()) -> Any:
    """A deep copy of a JSON-like value with every credential masked."""
    return _walk(value, _needles(secrets, basic_pairs))


def redact(doc: dict[str, Any], *, secrets: Iterable[str] = (), use_env: bool = True) -> dict[str, Any]:
    """A deep copy of a document with every credential masked (what every renderer writes)."""
    result: dict[str, Any] = _walk(copy.deepcopy(doc), _needles(secrets, use_env=use_env))
    return result
