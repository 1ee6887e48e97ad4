"""What the two servers of the suite share (the mock's and the validating proxy's): the ASGI lifespan
answers and a uvicorn server whose blocking ``run()`` returns on SIGINT/SIGTERM, so that the caller can
tidy up — restore nothing, write its reports — and exit 0."""

from __future__ import annotations

import signal
from collections.abc import Awaitable, Callable, MutableMapping
from types import FrameType
from typing import Any

import uvicorn

__all__ = ["ReturningServer", "lifespan"]

Message = MutableMapping[str, Any]


async def lifespan(receive: Callable[[], Awaitable[Message]],
                   send: Callable[[Message], Awaitable[None]]) -> None:
    """Answer an ASGI lifespan scope: nothing to start, nothing to stop."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


class ReturningServer(uvicorn.Server):
    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        # uvicorn re-raises a caught signal after its graceful shutdown; a blocking serve() should return
        # instead, so the caller can tidy up. A second Ctrl-C still forces the exit.
        if self.should_exit and sig == signal.SIGINT:
            self.force_exit = True
        else:
            self.should_exit = True
