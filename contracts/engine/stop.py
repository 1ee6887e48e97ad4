"""The run's stop flag, set by SIGINT/SIGTERM.

Raising KeyboardInterrupt from a signal handler is not enough on its own: when the signal lands while the
interpreter runs a garbage-collector callback (hypothesis installs one), the exception is printed as
"ignored" and the run goes on writing to a live project. The flag survives that: the client refuses to
send another request once it is set, so the next request turns the interrupt into a restore.
"""

from __future__ import annotations

import threading

__all__ = ["clear_stop", "request_stop", "stop_requested"]

_STOP = threading.Event()


def request_stop() -> None:
    _STOP.set()


def stop_requested() -> bool:
    return _STOP.is_set()


def clear_stop() -> None:
    _STOP.clear()
