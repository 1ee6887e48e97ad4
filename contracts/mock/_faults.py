"""Fault injection for resilience tests: a handful of composable switches, all off by default.

Every decision is drawn from one ``random.Random(seed)`` under a lock, in request order, so a test that
sends the same requests sees the same faults. Faults are decided before the service is called: a request
answered 429 or 503, dropped, or left hanging has not touched the stored profiles.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from dataclasses import dataclass, fields
from typing import Literal

from ._answers import Answer, error

__all__ = ["ConnectionDropped", "FaultInjector", "Faults", "Plan"]

FaultKind = Literal["latency", "rate_limit", "error", "drop", "hang"]

#: A hanging request gives up after this long, so a forgotten client cannot pin a task forever.
HANG_LIMIT_S = 600.0


@dataclass(frozen=True, kw_only=True)
class Faults:
    latency_s: float = 0.0  #: added to every answer
    put_latency_s: float = 0.0  #: added to every PUT answer on top (a write path that got slower)
    rate_limit_every: int = 0  #: every Nth request starts a burst of 429 answers (0: never)
    rate_limit_burst: int = 1  #: how many answers a burst lasts
    retry_after_s: float = 1  #: Retry-After of 429 and 503 answers
    error_rate: float = 0.0  #: fraction of requests answered 503
    drop_rate: float = 0.0  #: fraction of requests whose connection is dropped before the answer
    stop_after: int | None = None  #: after this many requests, every request hangs

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None and value < 0:
                raise ValueError(f"Faults.{f.name} has value {value!r}; expected >= 0")
        for name in ("error_rate", "drop_rate"):
            if getattr(self, name) > 1:
                raise ValueError(f"Faults.{name} has value {getattr(self, name)!r}; expected a fraction <= 1")
        if self.rate_limit_burst < 1:
            raise ValueError(f"Faults.rate_limit_burst has value {self.rate_limit_burst!r}; expected >= 1")


class ConnectionDropped(Exception):
    """Raised by the ASGI app after the answer has started: the client sees an incomplete answer."""


@dataclass(frozen=True)
class Plan:
    number: int  #: 1-based request number
    kind: FaultKind | None  #: the fault replacing the answer, if any
    latency_s: float


def retry_after(seconds: float) -> str:
    # RFC 9110 wants whole seconds; a fraction is kept as written so that tests can retry quickly.
    return str(int(seconds)) if float(seconds).is_integer() else f"{seconds:g}"


class FaultInjector:
    def __init__(self, faults: Faults, seed: int) -> None:
        self.faults = faults
        self._seed = seed
        self._lock = threading.Lock()
        self._generation = 0
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._rng = random.Random(self._seed)
            self._count = 0
            self._burst_left = 0
            self.log: list[tuple[int, FaultKind]] = []
            self._generation += 1  # a reset also releases requests left hanging

    def entries(self) -> list[tuple[int, FaultKind]]:
        with self._lock:
            return list(self.log)

    def release(self) -> None:
        """Let hanging requests end (their connection is then dropped); used when a server stops."""
        with self._lock:
            self._generation += 1

    def plan(self) -> Plan:
        f = self.faults
        with self._lock:
            self._count += 1
            n = self._count
            kind: FaultKind | None = None
            if f.rate_limit_every and n % f.rate_limit_every == 0:
                self._burst_left = f.rate_limit_burst
            # Draw every enabled rate on every request, so one switch does not shift the other's sequence.
            err = f.error_rate > 0 and self._rng.random() < f.error_rate
            drop = f.drop_rate > 0 and self._rng.random() < f.drop_rate
            if f.stop_after is not None and n > f.stop_after:
                kind = "hang"
            elif self._burst_left:
                self._burst_left -= 1
                kind = "rate_limit"
            elif err:
                kind = "error"
            elif drop:
                kind = "drop"
            if f.latency_s:
                self.log.append((n, "latency"))
            if kind:
                self.log.append((n, kind))
            return Plan(number=n, kind=kind, latency_s=f.latency_s)

    def answer(self, kind: FaultKind) -> Answer:
        headers = {"retry-after": retry_after(self.faults.retry_after_s)}
        if kind == "rate_limit":
            return error(429, "Too Many Requests", headers)
        return error(503, "Service Unavailable", headers)

    async def hang(self) -> None:
        # Short sleeps rather than one long one, so that release() (a server stopping) ends the wait soon.
        generation = self._generation
        deadline = time.monotonic() + HANG_LIMIT_S
        while self._generation == generation and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
