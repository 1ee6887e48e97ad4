"""Helpers of the safety tests: the mock over real HTTP, runs in-process and as a CLI subprocess.

A run here is pointed at the mock the way a user points it at a staging space: SIGNALWIRE_* variables with
``SIGNALWIRE_REST_BASE_URL`` set to the served mock, ``--allow-writes 127.0.0.1:PORT``. Every assertion
about what reached the target reads the mock's own logs (``space.request_log``, ``space.fault_log``),
never the suite's account of itself.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contracts import report
from contracts.engine.config import load_config
from contracts.mock import MockSpace
from contracts.runner import RunOutcome, execute

WRITES = frozenset({"PUT", "POST", "PATCH", "DELETE"})
#: The projects whose stored profile a run may touch (``novoice`` is a token of the primary project).
PROJECTS = ("primary", "secondary")
#: Short waits so that a target that does not answer costs seconds, not minutes.
TIMEOUT_S = 0.15


def host_of(url: str) -> str:
    return url.removeprefix("http://").removeprefix("https://")


def http_env(space: MockSpace, url: str) -> dict[str, str]:
    """The SIGNALWIRE_* variables of a staging account, pointing at the served mock."""
    p = space.projects
    return {
        "SIGNALWIRE_PROJECT_ID": p["primary"].project_id, "SIGNALWIRE_API_TOKEN": p["primary"].token,
        "SIGNALWIRE_REST_BASE_URL": url,
        "SIGNALWIRE_SECONDARY_PROJECT_ID": p["secondary"].project_id,
        "SIGNALWIRE_SECONDARY_API_TOKEN": p["secondary"].token,
        "SIGNALWIRE_NOVOICE_PROJECT_ID": p["novoice"].project_id,
        "SIGNALWIRE_NOVOICE_API_TOKEN": p["novoice"].token,
    }


def profiles(space: MockSpace) -> dict[str, dict[str, Any]]:
    """What the mock has stored for every project (not what a GET renders)."""
    return {name: space.profile(name) for name in PROJECTS}


def writes_seen(space: MockSpace) -> list[tuple[str, str, int]]:
    return [entry for entry in space.request_log if entry[0] in WRITES]


def requests_seen(space: MockSpace) -> int:
    """Requests that reached the mock, answered or not: the fault log numbers every one when latency is on."""
    numbers = {n for n, _ in space.fault_log}
    assert space.faults.latency_s > 0, "requests_seen needs Faults(latency_s > 0) to number every request"
    return max(numbers, default=0)


@dataclass
class Run:
    doc: dict[str, Any]
    outcome: RunOutcome

    @property
    def verdicts(self) -> dict[str, str]:
        return {c["id"]: c["verdict"] for c in self.doc["clauses"]}

    def with_verdict(self, *verdicts: str) -> dict[str, str]:
        return {c["id"]: c["reason"] for c in self.doc["clauses"] if c["verdict"] in verdicts}

    @property
    def reserve(self) -> int:
        return self.outcome.session.client.reserve


def run_http(space: MockSpace, url: str, report_dir: Path, *, writes: bool = True, seed: int = 1,
             **options: Any) -> Run:
    """One run in-process (config, engine, verdict as the CLI computes it) against the served mock."""
    options.setdefault("timeout_s", 2.0)
    cfg = load_config(env=http_env(space, url), seed=seed, report_dir=report_dir,
                      allow_writes=host_of(url) if writes else None, example_db="none",
                      **options)
    outcome = execute(cfg)
    return Run(doc=report.finish(outcome.document).dump(), outcome=outcome)


def clean_env(extra: Mapping[str, str] = {}) -> dict[str, str]:
    """This process' environment without any SIGNALWIRE_*/SIP_CONTRACTS_* variable, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SIGNALWIRE_", "SIP_CONTRACTS_"))}
    env.update(extra)
    env["PYTHONUNBUFFERED"] = "1"
    env.setdefault("COLUMNS", "200")
    return env


def cli_args(*args: str) -> list[str]:
    return [sys.executable, "-m", "contracts", *args]


def run_cli(args: list[str], env: Mapping[str, str], cwd: Path,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``sip-contracts ARGS`` in a subprocess (cwd ``cwd``, so no waivers file of the checkout applies)."""
    return subprocess.run(cli_args(*args), env=clean_env(env), cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, check=False)


def run_args(report_dir: Path, url: str | None, *extra: str, seed: int = 1, quiet: bool = True,
             history: bool = False) -> list[str]:
    """``run`` arguments; ``url`` gives ``--allow-writes HOST:PORT`` (None: no flag)."""
    args = ["run", "--report-dir", str(report_dir), "--seed", str(seed), "--example-db", "none"]
    if not history:
        args.append("--no-history")
    if quiet:
        args.append("--quiet")
    if url is not None:
        args += ["--allow-writes", host_of(url)]
    return [*args, *extra]


def conformance(report_dir: Path) -> dict[str, Any]:
    return json.loads((report_dir / "conformance.json").read_text())  # type: ignore[no-any-return]


def free_port() -> int:
    """A loopback port where nothing listens (bound, then closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def assert_no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text, text


# -- ASGI wrappers: faults Faults cannot express, switched on by a predicate on the request -----------

Scope = dict[str, Any]


def has_auth(scope: Scope) -> bool:
    return any(k.lower() == b"authorization" for k, _ in scope["headers"])


class Refuse:
    """Answer the requests ``when(scope, n, body)`` picks with ``status`` (n: 1-based request number),
    never passing them to the mock; every other request goes through. ``active = False`` switches it off."""

    def __init__(self, app: Any, when: Callable[[Scope, int, bytes], bool], status: int = 503,
                 retry_after: str | None = "0.01", body: bytes = b'{"error": "Service Unavailable"}') -> None:
        self.app, self.when, self.status, self.retry_after, self.body = app, when, status, retry_after, body
        self.active = True
        self.count = 0
        self.refused: list[tuple[str, int]] = []

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.count += 1
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if message["type"] != "http.request" or not message.get("more_body"):
                break
        body = b"".join(chunks)
        if not (self.active and self.when(scope, self.count, body)):
            replayed = False

            async def replay() -> dict[str, Any]:
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()  # type: ignore[no-any-return]

            await self.app(scope, replay, send)
            return
        self.refused.append((str(scope["method"]), self.count))
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(self.body)).encode())]
        if self.retry_after is not None:
            headers.append((b"retry-after", self.retry_after.encode()))
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": self.body})


class Hang:
    """Leave the requests ``when(scope, n)`` picks without an answer until the server stops."""

    def __init__(self, app: Any, when: Callable[[Scope, int], bool]) -> None:
        self.app, self.when = app, when
        self.active = True
        self.count = 0
        self.hung = 0

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.count += 1
            if self.active and self.when(scope, self.count):
                self.hung += 1
                while self.active:  # the client gives up long before; switched off, the mock answers
                    await asyncio.sleep(0.02)
        await self.app(scope, receive, send)


def basic(project_id: str, token: str) -> bytes:
    """The Authorization header value of these credentials."""
    import base64

    return b"Basic " + base64.b64encode(f"{project_id}:{token}".encode())


class ActAs:
    """A target with an authorisation bug: PUTs carrying ``seen`` credentials act as ``acting`` ones (e.g.
    a token without the Voice scope that may write anyway, or a token that decides the project whatever
    the id says). Counts how often it did."""

    def __init__(self, app: Any, seen: bytes, acting: bytes) -> None:
        self.app, self.seen, self.acting = app, seen, acting
        self.active = True
        self.hits = 0

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if self.active and scope["type"] == "http" and scope["method"] == "PUT" \
                and (b"authorization", self.seen) in scope["headers"]:
            self.hits += 1
            scope = {**scope, "headers": [(k, self.acting if k == b"authorization" else v)
                                          for k, v in scope["headers"]]}
        await self.app(scope, receive, send)
