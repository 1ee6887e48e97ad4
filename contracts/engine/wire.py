"""Request shapes: how a client puts a request on the wire (headers, body formatting, framing).

A :class:`Shape` is what a request looks like beyond its JSON: the headers a client sends (Authorization
aside), the headers it does not send at all, and how it writes the body (compact, Python's default
separators, pretty-printed, keys in another order, chunked). The same JSON sent in two shapes is the same
documented request; the clauses of area ``shape`` hold the API to that.

:func:`shape_from_traffic` derives the shape of a user's own client from a recording (HAR or cassette,
read by :mod:`contracts.recorded`): header names and values, the body's formatting and media type, never
a credential, a cookie or a value of a body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from contracts.recorded import Recorded
from contracts.redact import REDACTED, SECRET_HEADERS

__all__ = ["Format", "Op", "Shape", "encode", "shape_from_traffic"]

Format = Literal["compact", "python", "pretty", "reordered", "chunked"]
Op = Literal["get", "put", "invalid"]

#: Headers a shape never carries: credentials (sent by the run's own auth), and what the HTTP client
#: computes for each request (host, framing, connection management).
_NOT_SHAPE = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie", "host",
                        "content-length", "transfer-encoding", "connection", "keep-alive", "te",
                        "upgrade", "expect"}) | frozenset(h.lower() for h in SECRET_HEADERS)
#: Content codings httpx decodes without optional packages; a recorded br/zstd is dropped, not faked.
_CODINGS = frozenset({"gzip", "deflate", "identity"})
#: One chunk size for ``chunked``: several chunks for any real profile body.
_CHUNK = 16


@dataclass(frozen=True)
class Shape:
    """One way of putting GET and PUT requests on the wire.

    ``get_headers``/``put_headers`` are sent as given (Authorization aside); ``omit`` names headers the
    request must not carry (the suite's own defaults included); ``ops`` are the operations the shape is
    sent with; ``body`` picks the valid change (``change``, ``largest``, ``every-field``).
    """

    name: str
    what: str  #: the shape in words, as a root cause names it ("requests without an Accept header")
    get_headers: tuple[tuple[str, str], ...] = ()
    put_headers: tuple[tuple[str, str], ...] = (("Content-Type", "application/json"),)
    omit: tuple[str, ...] = ()
    fmt: Format = "compact"
    ops: tuple[Op, ...] = ("get", "put", "invalid")
    body: Literal["change", "largest", "every-field"] = "change"
    documented: bool = True  #: False: the answer is observed, never asserted
    source: str = ""  #: where the headers come from (a client's source, a capture, an RFC)

    def headers(self, op: Op) -> dict[str, str]:
        return dict(self.get_headers if op == "get" else self.put_headers)


def encode(body: Mapping[str, Any], fmt: Format) -> bytes | list[bytes]:
    """``body`` written as the shape writes it; a list of chunks for ``chunked``."""
    if fmt == "python":
        return json.dumps(dict(body)).encode()  # json.dumps' default separators: ", " and ": "
    if fmt == "pretty":
        return json.dumps(dict(body), indent=2).encode()
    if fmt == "reordered":
        return json.dumps(dict(reversed(list(body.items()))), separators=(",", ":")).encode()
    text = json.dumps(dict(body), separators=(",", ":")).encode()
    if fmt == "chunked":
        return [text[i:i + _CHUNK] for i in range(0, len(text), _CHUNK)]
    return text


def _format_of(text: str | None) -> Format:
    """How a recorded body was written (the values are not kept, only the layout)."""
    if not text or not text.lstrip().startswith("{"):
        return "compact"
    if "\n" in text.strip():
        return "pretty"
    return "python" if re.search(r'[,:] ', re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)) else "compact"


def _kept(headers: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for name, value in headers:
        low = name.lower()
        if low in _NOT_SHAPE or low.startswith(":") or REDACTED in value:
            continue
        if low == "accept-encoding":
            codings = [c.split(";")[0].strip().lower() for c in value.split(",")]
            value = ", ".join(c for c in codings if c in _CODINGS)
            if not value:
                continue
        if all(n.lower() != low for n, _ in out):
            out.append((name, value))
    return tuple(out)


def shape_from_traffic(records: Sequence[Recorded], *, path: str) -> Shape | None:
    """The request shape of the client that recorded ``records`` (its first GET and PUT to ``path``, or
    to any path when it made none), or None when it holds no GET or PUT at all."""
    def first(method: str) -> Recorded | None:
        mine = [r for r in records if r.method == method]
        on_path = [r for r in mine if r.url.split("?")[0].endswith(path)]
        found = on_path or mine
        return found[0] if found else None

    get, put = first("GET"), first("PUT")
    if get is None and put is None:
        return None
    ops: tuple[Op, ...] = (*(("get",) if get else ()), *(("put", "invalid") if put else ()))
    put_headers = _kept(put.request_headers) if put else ()
    if put and not any(n.lower() == "content-type" for n, _ in put_headers):
        put_headers = (*put_headers, ("Content-Type", "application/json"))
    omit = tuple(name for name in ("Accept", "User-Agent")
                 if get and not any(n.lower() == name.lower() for n, _ in get.request_headers))
    return Shape(name="har", what="requests shaped like the recorded client's",
                 get_headers=_kept(get.request_headers) if get else (), put_headers=put_headers,
                 omit=omit, fmt=_format_of(put.request_body if put else None), ops=ops,
                 source=f"recorded traffic ({len(records)} requests)")
