"""The run's stop flag, set by SIGINT/SIGTERM and handed to the client that checks it.

Raising KeyboardInterrupt from a signal handler is not enough on its own: when the signal lands while the
interpreter runs a garbage-collector callback (hypothesis installs one), the exception is printed as
"ignored" and the run goes on writing to a live project. The flag survives that: the client refuses to
send another request once it is set, so the next request turns the interrupt into a restore. Each run has
its own flag (an object, not a module global), so runs in one process cannot stop each other.
"""

from __future__ import annotations

import threading

__all__ = ["StopFlag"]


class StopFlag:
    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()

    def clear(self) -> None:
        self._event.clear()
