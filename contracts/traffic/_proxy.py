"""The validating proxy: uvicorn serves an ASGI app on loopback that forwards each request, unchanged, to
the upstream with httpx, and judges each exchange as it passes with the same :class:`Judge` as
``check-traffic``.

Why uvicorn + httpx and not a mitmproxy addon: both are already dependencies of the suite (the mock is
served by uvicorn, every request of a run is httpx), so the proxy adds no runtime dependency, and its tests
drive the ASGI app in-process as well as over a real socket. The user's application talks plain HTTP to
the proxy on loopback (as it would to ``sip-contracts mock``); TLS, HTTP/2 and connection pooling towards
the upstream stay in httpx. A reverse proxy for one API needs nothing mitmproxy's interception adds.

What "unchanged" means: the method, the path and query, every header but the hop-by-hop ones and
``Host`` (set to the upstream's, as any reverse proxy must) and the body bytes; credentials pass through
to the upstream. The answer goes back with its status, headers and body bytes as received (still
compressed when it was). What is kept and written is :class:`~contracts.recorded.Recorded` values only:
no credential value is printed, reported or written to the HAR.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import socket
import time
from collections.abc import Callable, MutableMapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from contracts.recorded import Recorded, body_text, recorded
from contracts.redact import scrub_text
from contracts.serving import ReturningServer, lifespan

from ._judge import Judge, Verdict

__all__ = ["HOP_BY_HOP", "Proxy", "serve_proxy"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]

#: RFC 9110 section 7.6.1: connection-specific fields a proxy must not forward; plus Host (the upstream's)
#: and Content-Length (recomputed for the bytes actually sent).
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
                        "upgrade", "host", "content-length"})
MAX_BODY = 10 * 1024 * 1024  #: a SIP profile is a few hundred bytes; anything this large is refused (413)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


class Proxy:
    """The ASGI app. ``records`` and ``verdicts`` grow, in arrival order, as exchanges pass."""

    def __init__(self, upstream: str, *, har_path: Path, say: Callable[[str], None] = print,
                 transport: httpx.AsyncBaseTransport | None = None, timeout_s: float = 30.0) -> None:
        self.upstream = upstream.rstrip("/")
        self.source = str(har_path)
        self.say = say
        self.judge = Judge()
        self.judge.files = [self.source]
        self.records: list[Recorded] = []
        self.verdicts: list[Verdict] = []
        self.started_at = _now()
        self._client = httpx.AsyncClient(transport=transport, timeout=timeout_s, follow_redirects=False)
        for name in list(self._client.headers):  # httpx's defaults would be added to what the app sent
            del self._client.headers[name]
        self._lock = asyncio.Lock()
        #: exchanges under way: id -> (whose credentials, whether another of the same ran meanwhile)
        self._active: dict[int, list[Any]] = {}
        self._ids = itertools.count()

    async def aclose(self) -> None:
        await self._client.aclose()
        self.judge.close()

    async def __call__(self, scope: Scope, receive: Callable[[], Any],
                       send: Callable[[Message], Any]) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        started, clock = _now(), time.monotonic()
        body = await _read_body(receive)
        if body is None:
            await _answer(send, 413, [(b"content-type", b"application/json")],
                          b'{"error": "sip-contracts proxy: request body too large"}')
            return
        method = str(scope["method"]).upper()
        url = self.upstream + (scope.get("raw_path") or scope["path"].encode()).decode("latin-1")
        if scope.get("query_string"):
            url += "?" + bytes(scope["query_string"]).decode("latin-1")
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]
                   if k.decode("latin-1").lower() not in HOP_BY_HOP]
        key = self._begin(headers)
        try:
            status, answer_headers, raw = await self._forward(method, url, headers, body)
        except httpx.HTTPError as exc:
            await self._note(key, (started, clock), method, url, headers, body, 0, [], b"")
            await _answer(send, 502, [(b"content-type", b"application/json")],
                          b'{"error": "sip-contracts proxy: no answer from the upstream (%s)"}'
                          % type(exc).__name__.encode())
            return
        await self._note(key, (started, clock), method, url, headers, body, status, answer_headers, raw)
        await _answer(send, status, [(k.encode("latin-1"), v.encode("latin-1")) for k, v in answer_headers],
                      raw)

    async def _forward(self, method: str, url: str, headers: list[tuple[str, str]],
                       body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        request = self._client.build_request(method, url, headers=headers, content=body or None)
        response = await self._client.send(request, stream=True)
        try:
            raw = b"".join([chunk async for chunk in response.aiter_raw()])
        finally:
            await response.aclose()
        kept = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw
                if k.decode("latin-1").lower() not in HOP_BY_HOP]
        return response.status_code, kept, raw

    def _begin(self, headers: list[tuple[str, str]]) -> int:
        """Note an exchange under way; exchanges of the same credentials that overlap have no settled
        order (the same rule check-traffic applies to the HAR's start times and durations)."""
        who = next((v for k, v in headers if k.lower() == "authorization"), None)
        key = next(self._ids)
        overlapping = [entry for entry in self._active.values() if entry[0] == who]
        for entry in overlapping:
            entry[1] = True
        self._active[key] = [who, bool(overlapping)]
        return key

    async def _note(self, key: int, when: tuple[str, float], method: str, url: str,
                    headers: list[tuple[str, str]], body: bytes, status: int,
                    answer_headers: list[tuple[str, str]], raw: bytes) -> None:
        started, clock = when
        async with self._lock:  # one sequence: judged in the order the answers came back
            overlapped = bool(self._active.pop(key)[1])
            rec = recorded(self.source, len(self.records), method=method, url=url,
                           request_headers=tuple(headers),
                           request_body=body.decode("utf-8", "replace") if body else None,
                           status=status, response_headers=tuple(answer_headers),
                           response_body=body_text(raw, tuple(answer_headers)), started=started,
                           duration_ms=round((time.monotonic() - clock) * 1000, 3))
            self.records.append(rec)
            verdict = self.judge.add(rec, ambiguous=overlapped)
            self.verdicts.append(verdict)
        self.say(line(verdict, rec))


def line(verdict: Verdict, rec: Recorded) -> str:
    """One line per exchange: method, path, status, verdict (and the clauses it broke)."""
    path = httpx.URL(rec.url).raw_path.decode("latin-1")
    status = str(rec.status) if rec.status else "no answer"
    broke = f" ({', '.join(sorted({cid for cid, _ in verdict.violations}))})" if verdict.violations else ""
    return scrub_text(f"{rec.where()} {rec.method} {path} {status} {verdict.word}{broke}")


async def _read_body(receive: Callable[[], Any]) -> bytes | None:
    chunks: list[bytes] = []
    size, more = 0, True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = bytes(message.get("body", b""))
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        more = bool(message.get("more_body", False))
    return b"".join(chunks)


async def _answer(send: Callable[[Message], Any], status: int, headers: list[tuple[bytes, bytes]],
                  body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [*headers, (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body, "more_body": False})


def bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no delayed-ACK stall per keep-alive request
    sock.bind((host, port))
    return sock


def serve_proxy(proxy: Proxy, sock: socket.socket, *, stop_after_s: float | None = None,
                on_ready: Callable[[str], None] | None = None,
                server_box: list[uvicorn.Server] | None = None) -> None:
    """Serve until SIGINT/SIGTERM (or ``stop_after_s``), then return; the caller writes the reports.

    ``server_box`` receives the server, so that a caller in another thread can stop it (tests)."""
    config = uvicorn.Config(proxy, lifespan="on", log_level="warning", access_log=False,
                            timeout_graceful_shutdown=2)
    server = ReturningServer(config)
    if server_box is not None:
        server_box.append(server)

    async def main() -> None:
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started and not task.done():
            await asyncio.sleep(0.01)
        if server.started and on_ready is not None:
            host, port = sock.getsockname()[:2]
            on_ready(f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}")
        if stop_after_s is not None:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(asyncio.shield(task), timeout=stop_after_s)
            server.should_exit = True
        await task
        await proxy.aclose()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:  # a Ctrl-C before uvicorn took over the signal
        pass
    finally:
        sock.close()
