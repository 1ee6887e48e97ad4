"""Request shapes (SP-SHAPE-*): the API answers its users' clients as it answers the suite.

The suite's own requests are one dialect (``Accept: application/json``, ``Content-Type`` exactly
``application/json``, compact bodies). The users' clients speak others: the Python SDK sends a
Content-Type on every GET and Python's default separators, curl sends ``Accept: */*``, Java adds
``;charset=UTF-8``, provisioning code sends every field at once. The same documented request in another
shape must get the canonical answer: the documented status, the same profile (the model of SP-STATE-005
judges every answer, so a shape whose body is not applied shows there too), the documented error list.

Each shape is sent once per operation and the answer is kept for the run: the client rows (SP-SHAPE-006)
and the client matrix reuse the very requests the shape clauses sent (the python-sdk GET *is* the
"Content-Type on GET" shape). What is not settled — chunked bodies (RFC 9112 allows 411), an ``Accept``
that admits no JSON (406 is allowed) — is observed (SP-SHAPE-007); so is what the API does with members a
body must not set (SP-SHAPE-008, OWASP API3:2023).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any

from contracts.engine.client import Exchange
from contracts.engine.session import Session
from contracts.engine.verdicts import Violation
from contracts.engine.wire import Op, Shape, encode
from contracts.errors import SkipClause

from .. import generators as gen
from ._clients import CLIENTS, SHAPES, Client
from ._common import echo_mismatch
from ._registry import clause

__all__ = ["READ_ONLY", "client_matrix", "readonly_domain", "send_shape"]

OK = "✓"
NOT_APPLICABLE = "—"
NOT_SENT = "not sent"  #: a write the run could not send (writes not allowed, or the rehearsal refused)
_OPS: tuple[Op, ...] = ("get", "put", "invalid")
_OP_WORDS = {"get": "GET", "put": "a valid PUT", "invalid": "an invalid PUT"}
#: Two invalid members, no mutant's widened vocabulary holds either: every shape's 422 is the same.
_INVALID = {"default_codecs": ["NOT-A-CODEC"], "default_encryption": "sometimes"}
#: Members of the profile that are not request fields, with the value sent beside a valid change.
READ_ONLY = ("domain", "id", "project_id", "created_at")
_NIL_UUID = "00000000-0000-0000-0000-000000000000"


@dataclass
class _Sent:
    exchanges: dict[tuple[str, Op], Exchange] = field(default_factory=dict)
    cells: dict[tuple[str, Op], str] = field(default_factory=dict)  #: OK, the problem, or "observed: …"
    readonly_domain: Exchange | None = None


_STATE: weakref.WeakKeyDictionary[Session, _Sent] = weakref.WeakKeyDictionary()


def _sent(s: Session) -> _Sent:
    return _STATE.setdefault(s, _Sent())


def _shapes(s: Session) -> dict[str, Shape]:
    har = s.cfg.client_shape
    return {**SHAPES, **({har.name: har} if har is not None else {})}


def _clients(s: Session) -> list[Client]:
    har = s.cfg.client_shape
    extra = [Client("har", har.source, get="har" if "get" in har.ops else None,
                    put="har" if "put" in har.ops else None)] if har is not None else []
    return [*CLIENTS, *extra]


# -- the bodies --------------------------------------------------------------------------------------------

def _change(s: Session, n: int) -> dict[str, Any]:
    """A valid change of two members, another one per shape, so that a body that is not applied shows.
    The audio codecs only: the largest body holds every codec already."""
    codecs, values = s.spec.codecs[:4], s.spec.encryption_values
    return {"default_codecs": [codecs[n % len(codecs)], codecs[(n + 1) % len(codecs)]],
            "default_encryption": values[n % len(values)]}


def _number(s: Session, longest: bool) -> str | None:
    """A number the target may take: an owned one, the table's extremes on the mock, else "random"."""
    if s.target.numbers:
        return max(s.target.numbers, key=len) if longest else s.target.numbers[0]
    if s.target.kind == "mock":
        return gen.e164_extremes()[1 if longest else 0]
    return None  # null: "randomly choose a purchased or verified number" (documented)


def _body(s: Session, shape: Shape, n: int) -> dict[str, Any]:
    if shape.body == "largest":
        ident = (f"{s.id_prefix}-largest-").ljust(gen.IDENTIFIER_MAX_LENGTH, "x")
        return {"domain_identifier": ident, "default_codecs": list(s.spec.codecs),
                "default_ciphers": list(s.spec.ciphers),
                "default_encryption": max(s.spec.encryption_values, key=len),
                "default_send_as": _number(s, longest=True)}
    if shape.body == "every-field":  # SP-PROTO-002's full body: one request serves both clauses
        return {"domain_identifier": f"{s.id_prefix}-full", "default_codecs": list(s.spec.codecs[:3]),
                "default_ciphers": list(s.spec.ciphers[:2]),
                "default_encryption": s.spec.encryption_values[0], "default_send_as": None}
    return _change(s, n)


# -- sending and judging ---------------------------------------------------------------------------------

def _send(s: Session, shape: Shape, op: Op) -> Exchange:
    sent = _sent(s)
    key = (shape.name, op)
    if key in sent.exchanges:
        return sent.exchanges[key]  # one request per shape and operation, whoever asks
    ex = _request(s, op, headers=shape.headers(op), omit=shape.omit,
                  body=_body(s, shape, len(sent.exchanges)) if op == "put" else dict(_INVALID),
                  fmt=shape.fmt)
    sent.exchanges[key] = ex
    sent.cells[key] = f"observed: {ex.status}" if not shape.documented else _cell(s, op, ex)
    return ex


def _request(s: Session, op: Op, *, headers: Any = None, omit: tuple[str, ...] = (),
             body: dict[str, Any] | None = None, fmt: Any = None) -> Exchange:
    if op == "get":
        return s.send("GET", creds=s.creds(), headers=headers, omit=omit)
    content = encode(body, fmt) if fmt is not None and body is not None else None
    return s.send("PUT", creds=s.creds(), body=body, content=content, headers=headers, omit=omit)


def _canonical(s: Session, op: Op) -> Exchange:
    """The suite's own request of ``op`` (its headers, a compact body): what every shape is compared to.

    One per run and operation. Comparing with it, not with the documented answer alone, keeps one change
    one cause: a 422 body off the documented format, or a PUT answering 200, is what the canonical request
    gets too — the format and status clauses' finding, not a shape's.
    """
    sent = _sent(s)
    key = ("canonical", op)
    if key not in sent.exchanges:
        body = _change(s, len(sent.exchanges)) if op == "put" else dict(_INVALID)
        sent.exchanges[key] = _request(s, op, body=body)
    return sent.exchanges[key]


def _cell(s: Session, op: Op, ex: Exchange) -> str:
    """OK when the shape got the canonical request's answer; else what differs."""
    problem = _problem(s, op, ex)
    if problem is None:
        return OK
    canonical = _problem(s, op, _canonical(s, op))
    return OK if canonical is not None and canonical[0] == problem[0] else problem[1]


def send_shape(s: Session, name: str, op: Op) -> Exchange:
    """The answer to shape ``name``'s ``op`` request, sent now unless a clause already sent it."""
    return _send(s, _shapes(s)[name], op)


def _problem(s: Session, op: Op, ex: Exchange) -> tuple[tuple[Any, ...], str] | None:
    """How the answer differs from the documented one: ``(kind, words)``, or None."""
    wanted = _wanted(s, op)
    if ex.status != wanted:
        return ("status", ex.status), f"{_OP_WORDS[op]} answers {ex.status}"
    body = ex.json()
    if op == "invalid":
        errors = s.schema_errors("ErrorList", body)
        return (("format", *errors), "the 422 is not in the documented error format") if errors else None
    if not isinstance(body, dict):
        return ("no-json",), f"{_OP_WORDS[op]} answers no JSON profile"
    if op == "put" and isinstance(ex.body, dict):
        mismatch = echo_mismatch(s, ex.body, body)
        return (("not-applied", mismatch.split(":")[0]), f"a valid PUT is not applied ({mismatch})") \
            if mismatch else None
    return None


def _can_write(s: Session) -> bool:
    return s.cfg.allow_writes and "primary" not in s.read_only


def _breaks(shape: Shape, op: Op, clients: list[Client]) -> list[str]:
    return [c.name for c in clients if c.shape(op) == shape.name]


def _check(s: Session, names: tuple[str, ...]) -> None:
    """Send every shape of ``names`` with its operations; one violation naming what differs."""
    problems: list[tuple[Shape, Op, str]] = []
    sent = 0
    for name in names:
        shape = _shapes(s)[name]
        for op in shape.ops:
            if op != "get" and not _can_write(s):
                continue
            _send(s, shape, op)
            sent += 1
            cell = _sent(s).cells[(name, op)]
            if cell != OK:
                problems.append((shape, op, f"{shape.what}: {cell}"))
    if not sent:  # never a vacuous pass: every request of these shapes is a write no one may send
        raise SkipClause("no write to the primary project: the rehearsal refused it (SP-STATE-006)")
    _raise_first(s, problems)


def _raise_first(s: Session, problems: list[tuple[Shape, Op, str]]) -> None:
    """One violation for all of ``problems`` (shape, operation, what to say), led by the first."""
    if not problems:
        return
    shape, op, text = problems[0]
    ex = _sent(s).exchanges[(shape.name, op)]
    others = "; ".join(t for _, _, t in problems[1:])
    breaks = _breaks(shape, op, _clients(s))
    cause = f"{shape.what}: {_sent(s).cells[(shape.name, op)]}" + \
        (f" — breaks {', '.join(breaks)}" if breaks else "")
    raise ShapeViolation(text + (f" (also {others})" if others else ""),
                         expected=f"status {_wanted(s, op)}, the answer the canonical request gets",
                         actual=f"status {ex.status}: {ex.text[:300]}", exchange=ex, cause=cause)


def _wanted(s: Session, op: Op) -> int:
    return 422 if op == "invalid" else s.spec.success_status("GET" if op == "get" else "PUT")


class ShapeViolation(Violation):
    """A shape's answer differs; ``cause`` names the shape and the clients it breaks (one root cause)."""

    def __init__(self, message: str, *, cause: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.cause = cause

    def as_dict(self, seed: int) -> dict[str, Any]:
        return {**super().as_dict(seed), "cause": self.cause}


#: The shapes each shape clause sends; the other shapes only serve client rows.
_GROUPS: dict[str, tuple[str, ...]] = {
    "SP-SHAPE-001": ("accept-absent", "accept-any", "accept-q-values"),
    "SP-SHAPE-002": ("charset-lower", "charset-upper"),
    "SP-SHAPE-003": ("content-type-on-get",),
    "SP-SHAPE-004": ("python-separators", "pretty", "reordered"),
    "SP-SHAPE-005": ("largest", "every-field"),
}
_JUDGED_BY_SHAPE_CLAUSES = frozenset(name for names in _GROUPS.values() for name in names)


# -- the clauses -----------------------------------------------------------------------------------------

_GET_DOC = "/paths/~1api~1relay~1rest~1sip_profile/get/responses/200"
_BODY_DOC = "/paths/~1api~1relay~1rest~1sip_profile/put/responses/201"


@clause("SP-SHAPE-001", area="shape",
        title="An Accept that admits JSON (absent, */*, a q-value list) gets the canonical answer",
        doc=_GET_DOC,
        reading="The API answers JSON; RFC 9110 (section 12.5.1) reads a missing Accept as any type, and "
                "*/* or a list that ranks application/json as admitting it: GET, a valid PUT and an "
                "invalid PUT in these shapes get the answer the canonical request gets.")
def accept_headers(s: Session) -> None:
    _check(s, _GROUPS["SP-SHAPE-001"])


@clause("SP-SHAPE-002", area="shape",
        title="A PUT whose Content-Type carries a charset parameter gets the canonical answer",
        doc=_BODY_DOC,
        reading="application/json; charset=utf-8 and application/json;charset=UTF-8 are application/json "
                "(RFC 9110, section 8.3.1: parameters and case do not change the media type).",
        needs=("write",))
def content_type_parameters(s: Session) -> None:
    _check(s, _GROUPS["SP-SHAPE-002"])


@clause("SP-SHAPE-003", area="shape",
        title="A GET with a Content-Type header and no body gets the canonical answer",
        doc=_GET_DOC,
        reading="A GET has no content; a Content-Type header on it (SignalWire's Python SDK sends one on "
                "every request) describes nothing and changes nothing.")
def content_type_on_get(s: Session) -> None:
    _check(s, _GROUPS["SP-SHAPE-003"])


@clause("SP-SHAPE-004", area="shape",
        title="Body formatting (Python's separators, pretty-printed, another key order) changes nothing",
        doc=_BODY_DOC,
        reading="The body is a JSON object (RFC 8259): whitespace between tokens and the order of members "
                "carry no meaning, so the same members in another layout are the same request.",
        needs=("write",))
def body_formatting(s: Session) -> None:
    _check(s, _GROUPS["SP-SHAPE-004"])


@clause("SP-SHAPE-005", area="shape",
        title="The largest documented-valid body and a body with every field at once are accepted",
        doc=_BODY_DOC,
        reading="Every field is optional and may be sent together: every field present at its longest "
                "valid value (every codec and cipher once, a 40-character identifier — the conservative "
                "DNS-label core, since the identifier's length is undocumented — the longest number) is a "
                "valid request.",
        needs=("write",))
def large_bodies(s: Session) -> None:
    _check(s, _GROUPS["SP-SHAPE-005"])


@clause("SP-SHAPE-006", area="shape",
        title="Each client's requests (python-sdk, typescript-sdk, curl, the user's HAR) get the canonical "
              "answers",
        doc=_GET_DOC,
        reading="A client that sends the documented request in its own shape gets the documented answer: "
                "each profile's GET, valid PUT and invalid PUT, as its source shows it sending them.")
def clients(s: Session) -> None:
    problems: list[tuple[Shape, Op, str]] = []
    for client in _clients(s):
        for op in _OPS:
            name = client.shape(op)
            if name is None or (op != "get" and not _can_write(s)):
                continue
            shape = _shapes(s)[name]
            if op not in shape.ops:
                continue
            _send(s, shape, op)
            cell = _sent(s).cells[(name, op)]
            if cell != OK:
                problems.append((shape, op, f"{client.name}: {cell}"))
    # Lead with a shape a shape clause also judges: its failure then names the same cause (one root cause
    # for one break), and the client's own requests follow as "also".
    problems.sort(key=lambda p: p[0].name not in _JUDGED_BY_SHAPE_CLAUSES)
    _raise_first(s, problems)


@clause("SP-SHAPE-007", area="shape",
        title="Chunked bodies and an Accept without JSON",
        kind="observed",
        reading="Undocumented: RFC 9112 (section 6.3) lets a server refuse a body without Content-Length "
                "with 411, and RFC 9110 (section 15.5.7) lets it answer 406 to an Accept it cannot meet.",
        observes=("OBS-SHAPE-CHUNKED", "OBS-SHAPE-ACCEPT-NO-JSON"))
def undecided_shapes(s: Session) -> None:
    ex = _send(s, SHAPES["accept-no-json"], "get")
    kind = "json" if ex.status == 200 else "refused"
    s.observe("OBS-SHAPE-ACCEPT-NO-JSON", "SP-SHAPE-007", "How is a GET whose Accept admits no JSON "
              "answered?", ex, {"status": ex.status, "answer": kind}, f"Accept: text/html: {ex.status}")
    if not _can_write(s):
        return
    ex = _send(s, SHAPES["chunked"], "put")
    applied = 200 <= ex.status < 300 and isinstance(ex.body, dict) and isinstance(ex.json(), dict) \
        and echo_mismatch(s, ex.body, ex.json()) is None
    value = {"status": ex.status, "applied": applied}
    s.observe("OBS-SHAPE-CHUNKED", "SP-SHAPE-007", "Is a PUT body sent with Transfer-Encoding: chunked "
              "accepted?", ex, value, f"chunked PUT: {ex.status}{', applied' if applied else ''}")


# -- members a body must not set -------------------------------------------------------------------------

def _readonly_value(s: Session, member: str) -> str:
    # project_id is the project's own: a service that binds it could otherwise move the profile to
    # another project, and the run must never damage the account.
    return {"domain": f"{s.id_prefix}-readonly.example.invalid", "id": _NIL_UUID,
            "project_id": s.target.primary.project_id, "created_at": "2000-01-01T00:00:00Z"}[member]


def readonly_domain(s: Session) -> Exchange:
    """PUT a valid change with a ``domain`` that does not follow ``domain_identifier``: sent by SP-ID-001
    (documented), so its monitor judges the answer; SP-SHAPE-008 records what happened."""
    sent = _sent(s)
    if sent.readonly_domain is None:
        body = {"domain_identifier": f"{s.id_prefix}-ro", "domain": _readonly_value(s, "domain")}
        sent.readonly_domain = s.put(body)
    return sent.readonly_domain


@clause("SP-SHAPE-008", area="shape",
        title="Members a body must not set (domain, id, project_id, created_at)",
        kind="observed",
        reading="Undocumented: the request schema names five fields; domain is derived by the API, id, "
                "project_id and created_at are not request fields. Whether such a member is ignored, "
                "refused or stored is observed (OWASP API3:2023 Broken Object Property Level "
                "Authorization; OWASP WSTG 'Testing for Mass Assignment'); a stored domain that does not "
                "follow domain_identifier fails SP-ID-001.",
        needs=("write",),
        observes=tuple(f"OBS-BODY-{m.upper().replace('_', '-')}" for m in READ_ONLY))
def read_only_members(s: Session) -> None:
    if "primary" in s.read_only:
        raise SkipClause("no write to the primary project (SP-STATE-006)")
    others = [m for m in READ_ONLY if m != "domain"]
    # One body with every other member at once: answered 2xx, its echo shows each member ignored or stored.
    # A refusal does not say which member it refused, so each is then sent alone (beside its own change).
    together = s.put({**_change(s, 1), **{m: _readonly_value(s, m) for m in others}})
    for n, member in enumerate(READ_ONLY):
        value = _readonly_value(s, member)
        if member == "domain":
            ex = readonly_domain(s)
        elif 200 <= together.status < 300:
            ex = together
        else:
            ex = s.put({**_change(s, n), member: value})
        echo = ex.json() if 200 <= ex.status < 300 else None
        outcome = "refused" if echo is None else "stored" if isinstance(echo, dict) and \
            echo.get(member) == value and member != "project_id" else "ignored"
        s.observe(f"OBS-BODY-{member.upper().replace('_', '-')}", "SP-SHAPE-008",
                  f"Is a {member} member beside a valid change ignored, refused or stored?", ex,
                  # keyed by the member, so that a drift names the field it is about (one root cause with
                  # what else that member's value broke, e.g. SP-ID-001 for a stored domain)
                  {member: outcome, "status": ex.status}, f"{member}: {outcome} ({ex.status})")


# -- the client matrix -----------------------------------------------------------------------------------

def client_matrix(s: Session) -> list[dict[str, Any]]:
    """One row per generic shape and per client: GET / valid PUT / invalid PUT, ✓ or what breaks."""
    sent = _sent(s)
    if not sent.cells:
        return []
    shapes = _shapes(s)
    rows = [_row(sent, name, "shape", shape.source, {op: name for op in shape.ops}, shapes)
            for name, shape in SHAPES.items()]
    for c in _clients(s):
        kind = "har" if c.name == "har" else "client"
        ops = {op: c.shape(op) for op in _OPS if c.shape(op)}
        rows.append(_row(sent, c.name, kind, c.source, ops, shapes))
    return rows


def _row(sent: _Sent, name: str, kind: str, source: str, ops: dict[Op, str | None],
         shapes: dict[str, Shape]) -> dict[str, Any]:
    cells: dict[str, str] = {}
    for op in _OPS:
        shape_name = ops.get(op)
        shape = shapes.get(shape_name or "")
        if shape is None or op not in shape.ops:
            cells[op] = NOT_APPLICABLE
        else:
            cells[op] = sent.cells.get((shape.name, op), NOT_SENT)
    return {"profile": name, "kind": kind, "source": source, "get": cells["get"],
            "valid_put": cells["put"], "invalid_put": cells["invalid"]}
