"""The protocol monitors (SP-PROTO-004, SP-PROTO-007): clauses judged on every answer of the run.

Each is declared like any clause, with a small check of its own (so it is exercised even in a read-only
run), and carries a ``watches`` judgement that the runner installs in the session: it sees every answer
of every clause. The third monitor, SP-ID-001's "domain follows domain_identifier", lives with its clause
in ``identifier.py``.

SP-PROTO-010 (observed) is their record: every 5xx of every attempt, also the ones a replay recovered
(which SP-PROTO-004 does not fail), counted per operation and compared with the baseline as a rate.
"""

from __future__ import annotations

from typing import Any

from contracts.engine.client import Exchange, Recorder
from contracts.engine.session import Session
from contracts.engine.verdicts import Violation

from ._common import monitor_get
from ._registry import clause, watches

__all__ = ["SERVER_ERROR_OBSERVATIONS", "record_server_errors", "server_error_values"]

_SCHEMA_FOR_STATUS = {401: "Error", 500: "Error", 422: "ErrorList"}
#: Operation -> its observation; every method but GET and PUT (the probes of SP-PROTO-008) is "OTHER".
SERVER_ERROR_OBSERVATIONS = {"GET": "OBS-PROTO-5XX-GET", "PUT": "OBS-PROTO-5XX-PUT",
                             "OTHER": "OBS-PROTO-5XX-OTHER"}


@clause("SP-PROTO-004", area="protocol",
        title="No input is answered with a server error (5xx)",
        doc="/components/responses/ServerError",
        reading="A 500 reports a fault of the service, never the documented answer to a request's "
                "content: any 5xx seen in the run fails this clause.",
        needs=("write",))
def no_server_error(s: Session) -> None:
    monitor_get(s)


@watches("SP-PROTO-004")
def server_error_seen(s: Session, ex: Exchange) -> Violation | None:
    """Every answer of the run, observed clauses and setup included: a 5xx is never a documented answer."""
    if ex.status < 500:
        return None
    return Violation(f"{ex.method} answered {ex.status} (seen in {ex.clause or 'setup'})",
                     expected="a 2xx or documented 4xx answer", actual=f"{ex.status}: {ex.text[:300]}",
                     exchange=ex)


@clause("SP-PROTO-007", area="protocol",
        title="Every answer is JSON and matches the schema documented for its status",
        doc="/components/schemas/SipProfile",
        reading="Every answer with a documented status is JSON in the schema documented for it; each "
                'profile field may be null (the page: "or null").')
def json_in_schema(s: Session) -> None:
    # A profile and a 401 must be among the answers judged: the 401 comes later in a whole run, from
    # SP-AUTH-001; without that clause in the run, it is sent here.
    monitor_get(s)
    if "SP-AUTH-001" not in s.planned_ids:
        s.send("GET", creds=None)


@watches("SP-PROTO-007")
def answer_off_schema(s: Session, ex: Exchange) -> Violation | None:
    """Answers of documented clauses with a documented status: JSON, in the schema of that status."""
    if not s.documented_traffic(ex):
        return None
    media = ex.content_type.split(";")[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        return Violation(f"{ex.method} {ex.status} answered with content type {ex.content_type!r}",
                         expected="application/json", actual=ex.content_type or "(none)", exchange=ex)
    name = _SCHEMA_FOR_STATUS.get(ex.status, "SipProfile")
    errors = s.schema_errors(name, ex.json())
    if not errors:
        return None
    return Violation(f"{ex.method} {ex.status} body does not match the documented {name} schema",
                     expected=f"components/schemas/{name}", actual=f"{errors[0]} — body {ex.text[:300]}",
                     exchange=ex)


@clause("SP-PROTO-010", area="protocol", kind="observed",
        title="Server errors per operation, recovered on replay or not: count and rate against the baseline",
        reading="Every 5xx is data: a 500 that a replay recovered fails no clause (SP-PROTO-004 fails on one "
                "that repeats), but one write in eight failing is what users most need to hear. Each "
                "operation's 5xx count and rate is recorded; a significant rise since the baseline is a "
                "regression (the rule: contracts/report/_rates.py, reports/README.md). A 503 without "
                "Retry-After is counted here but is busy, never a regression; 429 and 503 with "
                "Retry-After are a busy account: counted in the run health.",
        observes=tuple(SERVER_ERROR_OBSERVATIONS.values()))
def server_error_rates(s: Session) -> None:
    monitor_get(s)
    record_server_errors(s)


def record_server_errors(s: Session) -> None:
    """Record (or, at the end of the run, re-record with every clause's traffic) the rate observations."""
    ids = set(SERVER_ERROR_OBSERVATIONS.values())
    s.observations[:] = [o for o in s.observations if o.id not in ids]
    for op, value in server_error_values(s.client.recorder).items():
        errors, unavailable, n = value["server_errors"], value["unavailable"], value["requests"]
        summary = f"{errors} of {n} {op} requests answered 5xx"
        if unavailable:
            summary += f", {unavailable} answered 503 without Retry-After"
        if value["recovered"]:
            summary += f" ({value['recovered']} recovered on replay)"
        s.observe(SERVER_ERROR_OBSERVATIONS[op], "SP-PROTO-010",
                  f"How often does {'a ' + op if op != 'OTHER' else 'another method'} answer a server error?",
                  None, value, summary)


def server_error_values(rec: Recorder) -> dict[str, dict[str, Any]]:
    """The observed values: per operation, the recorder's counts (the methods of "OTHER" summed)."""
    out: dict[str, dict[str, Any]] = {
        op: {"measure": "5xx-rate", "operation": op, "requests": 0, "server_errors": 0, "unavailable": 0,
             "recovered": 0, "by_status": {}} for op in SERVER_ERROR_OBSERVATIONS}
    for method, counts in rec.operations().items():
        value = out["GET" if method == "GET" else "PUT" if method == "PUT" else "OTHER"]
        for key in ("requests", "server_errors", "unavailable", "recovered"):
            value[key] += counts[key]
        for status, n in counts["by_status"].items():
            value["by_status"][status] = value["by_status"].get(status, 0) + n
    return out
