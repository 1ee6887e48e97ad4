"""The shape every answer of the mock has: ``(status, headers, body)``, always JSON."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["Answer", "error", "json_answer"]

#: ``(status, headers with lower-case names, body bytes)``: plain data, so the service stays a pure function
#: of its input and the ASGI layer is the only place that knows about the wire.
Answer = tuple[int, dict[str, str], bytes]

JSON = "application/json"


def json_answer(status: int, payload: Any, headers: dict[str, str] | None = None) -> Answer:
    # ensure_ascii (the default) escapes lone surrogates a client may have sent inside a rejected value,
    # which UTF-8 could not encode: an error message must never turn into a crash.
    body = json.dumps(payload, separators=(",", ":")).encode("ascii")
    return status, {"content-type": JSON, **(headers or {})}, body


def error(status: int, message: str, headers: dict[str, str] | None = None) -> Answer:
    """The ``{"error": "..."}`` shape SignalWire documents for 401 and 500, reused for every non-422 error."""
    return json_answer(status, {"error": message}, headers)
