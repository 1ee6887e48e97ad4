"""The one HTTP client of the suite: httpx, with the write guard, pacing, retries and a request budget.

Every request of a run goes through :class:`Client`, which makes it the single place that enforces the
safety rules: no write without the user's consent, a hard cap on requests, bounded waits on 429/503
(``Retry-After``), bounded retries of connection errors and timeouts, and a record of every exchange with
credentials redacted. The same client talks to the in-process mock (an httpx transport) or a real space.
"""

from __future__ import annotations

import email.utils
import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx

from contracts import __version__
from contracts.engine.config import Credentials
from contracts.engine.stop import StopFlag
from contracts.errors import BudgetExhausted, NoAnswer, SuiteAbort, WriteBlocked
from contracts.redact import REDACTED
from contracts.spec import PATH

__all__ = ["NO_BODY", "Client", "Exchange", "Recorder", "ServerError"]

WRITE_METHODS = frozenset({"PUT", "POST", "PATCH", "DELETE"})
TRANSIENT_STATUSES = frozenset({429, 502, 503, 504})
NO_BODY: Any = object()
USER_AGENT = f"sip-profile-contracts/{__version__} (+https://github.com/)"
_BODY_TRIM = 2000


@dataclass
class Exchange:
    """One request and its final answer, safe to put in a report (no credential values)."""

    method: str
    url: str
    headers: dict[str, str]  #: request headers with Authorization redacted
    body: Any  #: the JSON body sent, or the raw text, or NO_BODY
    auth_ref: str  #: how credentials were given, e.g. '"$SIGNALWIRE_PROJECT_ID:$SIGNALWIRE_API_TOKEN"'
    status: int
    response_headers: dict[str, str]
    text: str
    attempts: int = 1
    clause: str | None = None
    elapsed_s: float = 0.0
    raw: httpx.Response | None = field(default=None, repr=False)
    repro_base: str | None = None  #: base URL to show in reproducers instead of the real one
    #: The project ID the credentials named (None without credentials): which profile a 2xx answer is of.
    #: Not a secret, and never written out (not in request_dict).
    principal: str | None = field(default=None, repr=False)
    omitted: tuple[str, ...] = ()  #: headers the request did not carry at all (the client's defaults too)

    @property
    def content_type(self) -> str:
        return self.response_headers.get("content-type", "")

    def json(self) -> Any:
        """The parsed body, or None when it is not JSON."""
        try:
            return json.loads(self.text)
        except ValueError:
            return None

    def request_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"method": self.method, "url": self.url, "headers": self.headers}
        if self.omitted:
            out["omitted_headers"] = list(self.omitted)
        if self.body is not NO_BODY:
            out["body"] = self.body
        return out

    def response_dict(self) -> dict[str, Any]:
        text = self.text if len(self.text) <= _BODY_TRIM else self.text[:_BODY_TRIM] + "…(trimmed)"
        return {"status": self.status, "headers": self.response_headers, "body": text}

    def curl(self) -> str:
        """A copy-pasteable reproducer that names the credential variables, never their values."""
        parts = ["curl -sS -i", f"-X {self.method}"]
        if self.auth_ref:
            parts.append(f"-u {self.auth_ref}")
        for name, value in self.headers.items():
            if name.lower() in {"authorization", "user-agent", "content-length", "accept-encoding",
                                "connection", "host"}:
                if name.lower() == "authorization" and not self.auth_ref:
                    parts.append(_shell_quote(f"{name}: {value}"))
                continue
            parts.append(f"-H {_shell_quote(f'{name}: {value}')}")
        parts += [f"-H {_shell_quote(name + ':')}" for name in self.omitted]  # curl: "Name:" removes it
        if self.body is not NO_BODY:
            data = self.body if isinstance(self.body, str) else _compact(self.body)
            parts.append(f"--data-raw {_shell_quote(data)}")
        if self.repro_base and "/api/" in self.url:
            parts.append(f'"{self.repro_base}/api/{self.url.split("/api/", 1)[1]}"')
        else:
            parts.append(_shell_quote(self.url))
        return " ".join(parts)


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _shell_quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


class _Chunks:
    """Chunks of a body, iterable more than once (a replayed request sends them again)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self.chunks = tuple(chunks)

    def __iter__(self) -> Any:
        return iter(self.chunks)


def _wire(content: str | bytes | Iterable[bytes]) -> bytes | _Chunks:
    """What httpx sends: bytes (with a Content-Length) or chunks (``Transfer-Encoding: chunked``)."""
    if isinstance(content, str):
        return content.encode()
    if isinstance(content, bytes):
        return content
    return content if isinstance(content, _Chunks) else _Chunks(content)


def _text(content: str | bytes | Iterable[bytes]) -> str:
    if isinstance(content, str):
        return content
    raw = content if isinstance(content, bytes) else b"".join(content)
    return raw.decode("utf-8", "replace")


def _shown_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {k: (REDACTED if k.lower() == "authorization" else v) for k, v in headers.items()}


def _shown_request(method: str, url: str, headers: Mapping[str, str], body: Any,
                   content: Any) -> dict[str, Any]:
    """A request as a report shows it (the form of Exchange.request_dict), Authorization redacted."""
    out: dict[str, Any] = {"method": method, "url": url, "headers": _shown_headers(headers)}
    if body is not NO_BODY:
        out["body"] = body
    elif content is not None:
        out["body"] = _text(content)
    return out


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        return max(0.0, parsed.timestamp() - time.time()) if parsed else None


def _busy(response: httpx.Response) -> str | None:
    """The kind of a "busy account" answer (429, or 503 that says when to come back), else None.

    RFC 9110 §15.6.4: a 503 with Retry-After is the service telling us to wait; a 429 is our own pace.
    Neither is a fault of the service. A 503 *without* Retry-After is counted with the server errors (as
    "unavailable": often a load balancer's page, see contracts.clauses.monitors for how it is judged).
    """
    if response.status_code == 429:
        return "429"
    if response.status_code == 503 and response.headers.get("retry-after"):
        return "503-retry-after"
    return None


@dataclass(frozen=True)
class ServerError:
    """One 5xx answer of one attempt (a replay that recovered is still one): data, never explained away."""

    method: str
    status: int
    request: dict[str, Any]  #: as sent, Authorization redacted
    clause: str | None
    recovered: bool  #: the logical request's final answer (after replay or waits) was below 500

    @property
    def unavailable(self) -> bool:
        """A 503 without Retry-After: what a load balancer answers while a backend restarts."""
        return self.status == 503


class Recorder:
    """Counts requests per clause and per method, the faults that recovered on retry (flakiness), every
    5xx answer (recovered or not) and every busy answer (429, 503 with Retry-After)."""

    def __init__(self) -> None:
        self.by_method: Counter[str] = Counter()
        self.by_clause: Counter[str] = Counter()
        self.flaky: Counter[str] = Counter()
        self.busy: Counter[str] = Counter()
        self.server_errors: list[ServerError] = []
        self.retries = 0
        self.total = 0
        self.clause: str | None = None

    def count(self, method: str) -> None:
        self.total += 1
        self.by_method[method] += 1
        if self.clause:
            self.by_clause[self.clause] += 1

    def operations(self) -> dict[str, dict[str, Any]]:
        """Per method: requests sent (every attempt), 5xx answers (``server_errors``: all but 503;
        ``unavailable``: 503 without Retry-After), how many of them recovered, and the count per status."""
        out: dict[str, dict[str, Any]] = {}
        for method in sorted(self.by_method):
            seen = [e for e in self.server_errors if e.method == method]
            out[method] = {
                "requests": self.by_method[method],
                "server_errors": sum(not e.unavailable for e in seen),
                "unavailable": sum(e.unavailable for e in seen),
                "recovered": sum(e.recovered for e in seen),
                "by_status": {str(k): n for k, n in sorted(Counter(e.status for e in seen).items())},
            }
        return out


class Client:
    """Sends requests for clauses. Thread-safe enough for one run (a lock serialises pacing and counts)."""

    def __init__(
        self,
        *,
        base_url: str,
        transport: httpx.BaseTransport | None = None,
        allow_writes: bool,
        budget: int,
        timeout_s: float = 10.0,
        pace_rps: float = 0.0,
        retries: int = 2,
        max_retry_wait_s: float = 30.0,
        on_exchange: Callable[[Exchange], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        repro_base: str | None = None,
        stop: StopFlag | None = None,
    ) -> None:
        self.repro_base = repro_base
        self.stop = stop or StopFlag()  #: set by the run's signal handling; checked before every request
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(transport=transport, timeout=timeout_s, follow_redirects=False,
                                  headers={"User-Agent": USER_AGENT, "Accept": "application/json"})
        self.allow_writes = allow_writes
        self.budget = budget
        self.reserve = 0  #: requests allowed beyond the budget (restoring the snapshot)
        self.pace = 1.0 / pace_rps if pace_rps > 0 else 0.0
        self._base_pace = self.pace
        self.retries = retries
        self.max_retry_wait_s = max_retry_wait_s
        self.timeout_s = timeout_s
        self.recorder = Recorder()
        self.on_exchange = on_exchange
        self._sleep = sleep
        self._lock = threading.Lock()
        self._last_sent = 0.0
        self._dead_streak = 0

    def close(self) -> None:
        self._http.close()

    @property
    def url(self) -> str:
        return self.base_url + PATH

    def request(
        self,
        method: str,
        *,
        creds: Credentials | None,
        body: Any = NO_BODY,
        content: str | bytes | Iterable[bytes] | None = None,
        headers: Mapping[str, str] | None = None,
        auth_ref: str | None = None,
        url: str | None = None,
        omit: tuple[str, ...] = (),
    ) -> Exchange:
        """Send one logical request (with bounded retries) and return its final exchange.

        ``creds=None`` sends no credentials (unless ``headers`` carries a hand-made Authorization).
        ``body`` with ``content``: ``content`` is what goes on the wire (another formatting of the same
        JSON, or an iterable of chunks: ``Transfer-Encoding: chunked``) and ``body`` what the exchange
        records, so that the model still judges the request by its JSON. ``omit`` names headers the
        request must not carry at all, the client's own defaults (Accept, User-Agent) included.
        Raises NoAnswer when no real answer came, BudgetExhausted when the budget is spent, and
        WriteBlocked for a write the user did not allow.
        """
        method = method.upper()
        if method in WRITE_METHODS and not self.allow_writes:
            raise WriteBlocked(f"{method} blocked: writes to this target were not allowed")
        send_headers = dict(headers or {})
        kwargs: dict[str, Any] = {}
        if body is not NO_BODY:
            kwargs["content"] = _compact(body).encode() if content is None else _wire(content)
            send_headers.setdefault("Content-Type", "application/json")
        elif content is not None:
            kwargs["content"] = _wire(content)
        auth = (creds.project_id, creds.token) if creds else None
        ref = auth_ref if auth_ref is not None else (creds.curl_user() if creds else "")
        target = url or self.url
        recovered: list[str] = []
        errors: list[int] = []  #: the 5xx statuses of this request's attempts, recorded whatever the end
        final: httpx.Response | None = None
        try:
            final, attempts, started = self._attempts(method, target, send_headers, auth, kwargs, recovered,
                                                      errors, omit)
        finally:
            self._record_errors(method, target, send_headers, body, content, errors, final)
        for kind in recovered:
            self.recorder.flaky[kind] += 1
        self.recorder.retries += attempts - 1
        if isinstance(kwargs.get("content"), _Chunks):
            send_headers["Transfer-Encoding"] = "chunked"  # what httpx framed it with, for the record
        exchange = self._exchange(method, target, send_headers, body, content, ref, final, attempts,
                                  time.monotonic() - started, creds.project_id if creds else None)
        exchange.omitted = omit
        if self.on_exchange:
            self.on_exchange(exchange)
        return exchange

    def _attempts(self, method: str, target: str, send_headers: dict[str, str], auth: Any,
                  kwargs: dict[str, Any], recovered: list[str], errors: list[int],
                  omit: tuple[str, ...] = ()) -> tuple[httpx.Response, int, float]:
        """Send until a final answer: waits on busy answers, one replay round of a 500 on GET/PUT."""
        attempts = 0
        while True:
            attempts += 1
            self._take_slot(method)
            started = time.monotonic()
            try:
                response = self._send(method, target, send_headers, auth, kwargs, omit)
            except httpx.LocalProtocolError:
                raise  # the suite built a request HTTP cannot carry: a suite bug, never the target's fault
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                kind = "timeout" if isinstance(exc, httpx.TimeoutException) else "connect"
                if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
                    kind = "dropped"
                if attempts > self.retries:
                    self._dead_streak += 1
                    if self._dead_streak >= 3:
                        raise SuiteAbort(f"the target stopped answering ({kind}: {type(exc).__name__})") \
                            from None
                    raise NoAnswer(f"no answer after {attempts} attempts ({kind}: "
                                   f"{type(exc).__name__})") from None
                recovered.append(kind)
                self._backoff(attempts)
                continue
            self._dead_streak = 0
            self._note(response, errors)
            if response.status_code != 429 and self.pace > self._base_pace:
                self._speed_up()
            wait = self._transient_wait(response, attempts)
            if wait is not None:
                recovered.append(str(response.status_code))
                if response.status_code == 429:
                    self._slow_down()
                self._sleep(wait)
                continue
            if response.status_code >= 500 and attempts == 1 and method in {"GET", "PUT"}:
                # A 500 that does not come back on replay is not a contract violation (SP-PROTO-004 sees
                # only a 500 that repeats), but it is recorded all the same (``errors``): its rate per
                # operation is an observation compared with the baseline (SP-PROTO-010).
                for _ in range(max(1, self.retries)):
                    retry = self._replay_once(method, target, send_headers, auth, kwargs, omit)
                    attempts += 1
                    if retry is not None:
                        self._note(retry, errors)
                    if retry is not None and retry.status_code < 500:
                        recovered.append("500-recovered")
                        response = retry
                        break
            return response, attempts, started

    def _note(self, response: httpx.Response, errors: list[int]) -> None:
        busy = _busy(response)
        if busy:
            self.recorder.busy[busy] += 1
        elif response.status_code >= 500:
            errors.append(response.status_code)

    def _record_errors(self, method: str, url: str, headers: dict[str, str], body: Any, content: Any,
                       errors: list[int], final: httpx.Response | None) -> None:
        if not errors:
            return
        request = _shown_request(method, url, headers, body, content)
        recovered = final is not None and final.status_code < 500
        self.recorder.server_errors.extend(
            ServerError(method=method, status=status, request=request, clause=self.recorder.clause,
                        recovered=recovered) for status in errors)

    # -- internals --------------------------------------------------------------------------------------

    def _send(self, method: str, url: str, headers: dict[str, str], auth: Any, kwargs: dict[str, Any],
              omit: tuple[str, ...]) -> httpx.Response:
        request = self._http.build_request(method, url, headers=headers, **kwargs)
        for name in omit:  # after the client's defaults were merged in: absent means absent
            request.headers.pop(name, None)
        return self._http.send(request, auth=auth)

    def _replay_once(self, method: str, url: str, headers: dict[str, str], auth: Any,
                     kwargs: dict[str, Any], omit: tuple[str, ...] = ()) -> httpx.Response | None:
        try:
            self._take_slot(method)
            return self._send(method, url, headers, auth, kwargs, omit)
        except (httpx.TimeoutException, httpx.TransportError):
            return None

    def _transient_wait(self, response: httpx.Response, attempts: int) -> float | None:
        """How long to wait before retrying a 429/5xx-gateway answer, or None to accept the answer."""
        if response.status_code not in TRANSIENT_STATUSES:
            return None
        if attempts > self.retries + 3:
            raise NoAnswer(f"still {response.status_code} after {attempts} attempts")
        wait = _retry_after(response)
        if wait is None:
            wait = min(self.max_retry_wait_s, 0.5 * 2 ** (attempts - 1))
        if wait > self.max_retry_wait_s:
            raise NoAnswer(f"{response.status_code} with Retry-After {wait:.0f}s, beyond the "
                           f"{self.max_retry_wait_s:.0f}s the run may wait")
        return wait

    def _slow_down(self) -> None:
        """A 429 means our pace is too fast for this target: halve it (down to one request per 2 s)."""
        with self._lock:
            self.pace = min(2.0, max(self.pace * 2, 0.1))

    def _speed_up(self) -> None:
        """Answers without 429 again: creep back towards the configured pace (10% per answer)."""
        with self._lock:
            self.pace = max(self._base_pace, self.pace * 0.9)
            if self.pace < 0.01 and self._base_pace == 0:
                self.pace = 0.0

    def _backoff(self, attempts: int) -> None:
        self._sleep(min(self.max_retry_wait_s, 0.25 * 2 ** attempts))

    def _take_slot(self, method: str) -> None:
        if self.stop.is_set():
            raise KeyboardInterrupt("stop requested (signal)")
        with self._lock:
            if self.recorder.total >= self.budget + self.reserve:
                raise BudgetExhausted(f"request budget of {self.budget} spent")
            if self.pace:
                delay = self._last_sent + self.pace - time.monotonic()
                if delay > 0:
                    self._sleep(delay)
            self._last_sent = time.monotonic()
            self.recorder.count(method)

    def _exchange(self, method: str, url: str, headers: dict[str, str], body: Any, content: Any,
                  auth_ref: str, response: httpx.Response, attempts: int, elapsed: float,
                  principal: str | None) -> Exchange:
        shown = _shown_headers(headers)
        try:
            _ = response.elapsed
        except RuntimeError:  # transports that hand over a pre-read body never set it; schemathesis reads it
            response.elapsed = timedelta(seconds=elapsed)
        if body is NO_BODY and content is not None:
            body = _text(content)
        exchange = Exchange(
            method=method, url=url, headers=shown, body=body, auth_ref=auth_ref,
            status=response.status_code,
            response_headers={k.lower(): v for k, v in response.headers.items()},
            text=response.text, attempts=attempts, clause=self.recorder.clause, elapsed_s=elapsed,
            raw=response, repro_base=self.repro_base, principal=principal,
        )
        return exchange
