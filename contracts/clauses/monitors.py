"""The protocol monitors (SP-PROTO-004, SP-PROTO-007): clauses judged on every answer of the run.

Each is declared like any clause, with a small check of its own (so it is exercised even in a read-only
run), and carries a ``watches`` judgement that the runner installs in the session: it sees every answer
of every clause. The third monitor, SP-ID-001's "domain follows domain_identifier", lives with its clause
in ``identifier.py``.
"""

from __future__ import annotations

from contracts.engine.client import Exchange
from contracts.engine.session import Session
from contracts.engine.verdicts import Violation

from ._registry import clause, watches

_SCHEMA_FOR_STATUS = {401: "Error", 500: "Error", 422: "ErrorList"}


@clause("SP-PROTO-004", area="protocol",
        title="No input is answered with a server error (5xx)",
        doc="/components/responses/ServerError",
        reading="A 500 reports a fault of the service, never the documented answer to a request's "
                "content: any 5xx seen in the run fails this clause.",
        needs=("write",))
def no_server_error(s: Session) -> None:
    s.get()


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
    s.get()
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
