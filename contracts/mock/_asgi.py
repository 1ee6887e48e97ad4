"""The ASGI face of the mock: read the request, apply faults, ask the service, send the answer.

Both transports (uvicorn over HTTP, and the in-process httpx transport) drive this one app, so faults and
mutants behave the same way on either.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, NoReturn

from ..serving import lifespan
from ._answers import Answer
from ._faults import ConnectionDropped, FaultInjector
from ._service import Service

__all__ = ["ASGIApp", "MockApp", "Receive", "Scope", "Send"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class MockApp:
    def __init__(self, service: Service, faults: FaultInjector,
                 record: Callable[[str, str, int], None]) -> None:
        self._service = service
        self._faults = faults
        self._record = record

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        if scope["type"] != "http":  # no websockets here
            return
        method, path = str(scope["method"]), str(scope["path"])
        # One byte over the limit is enough for the service to answer 413; reading on would let a client
        # make the mock buffer an arbitrary amount.
        body = await _read_body(receive, self._service.config.max_body_bytes + 1)
        plan = self._faults.plan()
        latency = plan.latency_s + self._service.latency_for(method)
        if method == "PUT":
            latency += self._faults.faults.put_latency_s
        if latency:
            await asyncio.sleep(latency)
        if plan.kind == "hang":
            await self._faults.hang()
            await _drop(send)
        if plan.kind == "drop":
            await _drop(send)
        if plan.kind in ("rate_limit", "error"):
            answer = self._faults.answer(plan.kind)
        else:
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
            answer = self._service.handle(method, path, headers, body)
        self._record(method, path, answer[0])
        await _send(send, answer)


async def _read_body(receive: Receive, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    more = True
    while more and size < limit:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = bytes(message.get("body", b""))
        chunks.append(chunk)
        size += len(chunk)
        more = bool(message.get("more_body", False))
    return b"".join(chunks)[:limit]


async def _send(send: Send, answer: Answer) -> None:
    status, headers, body = answer
    raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
    raw.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def _drop(send: Send) -> NoReturn:
    """Start an answer that promises a body, then abort: the client sees an incomplete response."""
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"64")]})
    raise ConnectionDropped("connection dropped by fault injection")
