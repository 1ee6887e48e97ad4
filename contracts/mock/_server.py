"""Serving a MockSpace over real HTTP with uvicorn, on loopback only.

``serve()`` blocks (the CLI's ``mock`` command); ``serving()`` runs the server in a background thread for
tests and for the suite's self-check. Both bind the socket themselves, so ``port=0`` gives a free port
whose real number is known before the first request.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import uvicorn

from ..serving import ReturningServer
from ._faults import ConnectionDropped
from ._space import MockSpace

__all__ = ["serve", "serving"]


class _QuietDrops(logging.Filter):
    """Injected drops are the point of the exercise, not errors: keep their tracebacks out of the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], ConnectionDropped))


def _loopback(host: str) -> str:
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        raise ValueError(f"the mock serves on loopback only; host {host!r} is not a loopback address")
    return host


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted sockets inherit this: without it uvicorn's separate header and body writes meet the
    # client's delayed ACK and every keep-alive request takes ~40 ms on loopback.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    return sock


def _url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _server(space: MockSpace, *, access_log: bool) -> ReturningServer:
    config = uvicorn.Config(space.app, lifespan="on", log_level="info" if access_log else "warning",
                            access_log=access_log, timeout_graceful_shutdown=1)
    quiet = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _QuietDrops) for f in quiet.filters):
        quiet.addFilter(_QuietDrops())
    return ReturningServer(config)


def serve(space: MockSpace, *, host: str = "127.0.0.1", port: int = 8080,
          on_ready: Callable[[str], None] | None = None) -> None:
    """Serve until Ctrl-C or SIGTERM, then stop within about a second. ``on_ready`` gets the base URL."""
    sock = _bind(_loopback(host), port)
    server = _server(space, access_log=True)

    async def main() -> None:
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started and not task.done():
            await asyncio.sleep(0.01)
        if server.started and on_ready is not None:
            on_ready(_url(sock))
        await task

    try:
        asyncio.run(main())
    except KeyboardInterrupt:  # a Ctrl-C that arrived before uvicorn took over the signal
        pass
    finally:
        space.release_hangs()
        sock.close()


@contextmanager
def serving(space: MockSpace, host: str = "127.0.0.1") -> Iterator[str]:
    """Run the mock on a free port in a background thread; yield its base URL once it accepts connections."""
    sock = _bind(_loopback(host), 0)
    server = _server(space, access_log=False)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="mock-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise RuntimeError("the mock server did not start")
        time.sleep(0.01)
    try:
        yield _url(sock)
    finally:
        space.release_hangs()  # hanging requests would otherwise hold the graceful shutdown for its timeout
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
