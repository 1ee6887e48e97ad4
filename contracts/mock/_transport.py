"""A synchronous httpx transport that drives the ASGI app in-process: no sockets, thread-safe.

httpx's own ASGITransport is async only. Here one private event loop runs in a daemon thread and every
request becomes a task on it, so calls from many threads run concurrently (as against a server) while
each caller blocks on its own result. The request's read timeout is honoured, so a client with a short
timeout sees httpx.ReadTimeout from a hanging or slow mock exactly as over HTTP; an injected drop becomes
httpx.RemoteProtocolError. Any other exception of the app is re-raised as is, traceback included.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from typing import Any

import httpx

from ._asgi import ASGIApp, Message
from ._faults import ConnectionDropped

__all__ = ["InProcessTransport"]


class InProcessTransport(httpx.BaseTransport):
    def __init__(self, app: ASGIApp) -> None:
        self._app = app
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="mock-transport", daemon=True)
        self._thread.start()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        future = asyncio.run_coroutine_threadsafe(self._call(request, request.read()), self._loop)
        timeout = request.extensions.get("timeout", {}).get("read")
        try:
            status, headers, content = future.result(timeout=timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()  # like a client giving up: the request's task is cancelled
            raise httpx.ReadTimeout("timed out waiting for the in-process mock", request=request) from None
        except ConnectionDropped as exc:
            raise httpx.RemoteProtocolError(f"incomplete answer: {exc}", request=request) from None
        return httpx.Response(status, headers=headers, content=content, request=request)

    async def _call(self, request: httpx.Request, body: bytes) -> tuple[int, list[Any], bytes]:
        url = request.url
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": request.method,
                 "scheme": url.scheme, "path": url.path, "raw_path": url.raw_path.split(b"?")[0],
                 "query_string": url.query, "root_path": "", "headers": list(request.headers.raw),
                 "client": ("127.0.0.1", 0), "server": (url.host, url.port or 80)}
        pending = [{"type": "http.request", "body": body, "more_body": False}]
        started: Message = {}
        chunks: list[bytes] = []

        async def receive() -> Message:
            if pending:
                return pending.pop()
            await asyncio.Event().wait()  # the client stays connected until the task is cancelled
            raise AssertionError("unreachable")

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(bytes(message.get("body", b"")))

        await self._app(scope, receive, send)
        if not started:
            raise ConnectionDropped("the app returned without answering")
        return int(started["status"]), list(started.get("headers", [])), b"".join(chunks)

    def close(self) -> None:
        if self._loop.is_closed():
            return
        asyncio.run_coroutine_threadsafe(_cancel_all(), self._loop).result(timeout=5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()


async def _cancel_all() -> None:
    tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
