"""A run's shared context for clauses: the client, the spec, who is who, and the monitors' record.

Clauses talk to the target only through ``Session.get``/``Session.put``/``Session.send``. Every answer
also passes the monitors the runner installs (``watchers``): per-answer judgements declared beside their
clauses in ``contracts.clauses`` (no 5xx, JSON in the documented schema, domain follows identifier).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from statistics import median
from typing import Any, Literal

from jsonschema import Draft202012Validator

from contracts.engine.client import Client, Exchange
from contracts.engine.config import Credentials, RunConfig
from contracts.engine.explore import Explorer
from contracts.engine.safety import Refusal
from contracts.engine.verdicts import Observation, Violation
from contracts.errors import SkipClause
from contracts.generators import canonical
from contracts.spec import PATH, Spec

__all__ = ["Session", "Who"]

Who = Literal["primary", "secondary", "novoice"]

#: A median PUT slower than this makes the run explore less (``Session.examples``): a write path 2.5 s
#: slower must cost a nightly job minutes, not a quarter of an hour.
SLOW_PUT_S = 1.0
SLOW_WINDOW = 9  #: the last PUTs the median is taken over
SLOW_MIN_PUTS = 3  #: no judgement on fewer PUTs than this


@dataclass
class Monitor:
    """Violations the monitors saw, per clause ID, in the order they happened."""

    seen: dict[str, list[Violation]] = field(default_factory=dict)
    first_at: dict[str, int] = field(default_factory=dict)  #: request count at the first violation
    requests: int = 0

    def add(self, clause: str, violation: Violation) -> None:
        self.seen.setdefault(clause, []).append(violation)
        self.first_at.setdefault(clause, self.requests)


class Session:
    def __init__(self, cfg: RunConfig, spec: Spec, client: Client) -> None:
        self.cfg = cfg
        self.spec = spec
        self.client = client
        self.target = cfg.target
        self.effort = cfg.effort
        self.explorer = Explorer(seed=cfg.seed, example_db=cfg.example_db)
        self.monitor = Monitor()
        self.observations: list[Observation] = []
        self.space_name = cfg.target.space_name
        self.written: set[str] = set()  #: projects this run wrote to (restored at the end)
        self.snapshot_hook: Any = None  #: set by the runner: called before the first write to a project
        #: projects the run must not write to (the rehearsal found the service refuses or alters its own
        #: profile): who -> the rehearsal's Refusal (why, its exchange, whether it is a violation); their
        #: write clauses are skipped
        self.read_only: dict[str, Refusal] = {}
        #: (clause ID, judge) pairs called on every answer; installed by the runner from the declarations
        self.watchers: list[tuple[str, Callable[[Session, Exchange], Violation | None]]] = []
        self.observed_ids: frozenset[str] = frozenset()  #: traffic of these clauses is not judged
        #: the clauses this run runs (set by the runner): a monitor's own probe is not sent when another
        #: clause of the run sends that request anyway
        self.planned_ids: frozenset[str] = frozenset()
        #: clause ID -> what a passing clause met on the way that a reader should know (the runner puts it
        #: in the clause's reason): e.g. identifiers another project held
        self.notes: dict[str, list[str]] = {}
        #: PUT bodies of the primary project answered 4xx (429 aside), by canonical JSON: a clause that
        #: needs the answer to a body another clause already had refused reads it here (one request per
        #: distinct invalid value per run, not per clause)
        self.refused: dict[str, Exchange] = {}
        #: ``{field: value}`` pairs (canonical JSON) a valid PUT of the primary project answered 201 and
        #: echoed, shared by the clauses that each need one value of a vocabulary accepted: one PUT that
        #: changes codecs, ciphers and encryption at once serves three clauses
        self.accepted: dict[str, Exchange] = {}
        self.sent_together: set[str] = set()  #: the combined bodies already sent
        #: one-field invalid bodies (canonical JSON) shown refused inside a combined body whose 422 named
        #: that field (``contracts.clauses._combined``); read only by the rejection clauses, never by an
        #: observation, which needs the answer to the value alone
        self.refused_together: dict[str, Exchange] = {}
        self.to_combine: dict[str, list[Any]] | None = None  #: field -> fixed invalid values not yet sent
        self.combine_refusals = True  #: False once a combined body's 422 named no field: singles from then
        #: one-field PUT bodies (canonical JSON) answered 2xx and read back by a GET at once: (PUT, GET), for
        #: a later clause that needs the same pair (what null and "" for default_send_as read back as)
        self.read_back: dict[str, tuple[Exchange, Exchange]] = {}
        self.put_seconds: list[float] = []  #: how long each PUT of the run took to answer
        #: when and why the run began spending fewer exploratory examples (``examples``), or None
        self.examples_reduced: str | None = None
        # Identifiers are unique in the space: a prefix of the seed *and* the project, so that two projects
        # of one space tested at once with the same seed (a CI matrix) never ask for the same identifier.
        key = f"{cfg.seed}:{cfg.target.primary.project_id}"
        self.id_prefix = "sipc" + hashlib.blake2b(key.encode(), digest_size=3).hexdigest()
        self._validators = {name: self._validator(name) for name in ("SipProfile", "Error", "ErrorList")}
        client.on_exchange = self._watch

    # -- people -----------------------------------------------------------------------------------------

    def creds(self, who: Who = "primary") -> Credentials:
        found = getattr(self.target, who)
        if found is None:
            names = {"secondary": "SIGNALWIRE_SECONDARY_PROJECT_ID/_API_TOKEN",
                     "novoice": "SIGNALWIRE_NOVOICE_PROJECT_ID/_API_TOKEN"}
            raise SkipClause(f"needs {names.get(who, who)} (not set)")
        return found  # type: ignore[no-any-return]

    def examples(self, default: int) -> int:
        """How many examples an exploratory search may draw: the profile's, unless the answers got slow.

        On a slow account (the median of the last PUTs over ``SLOW_PUT_S``) every search draws one example
        from then on: the fixed representatives are still all sent and the latency is still observed
        (SP-PROTO-009), but the run spends fewer requests instead of more minutes. ``--max-examples``
        wins over both.
        """
        if self.cfg.max_examples:
            return self.cfg.max_examples
        recent = self.put_seconds[-SLOW_WINDOW:]
        if self.examples_reduced is None and len(recent) >= SLOW_MIN_PUTS and median(recent) > SLOW_PUT_S:
            self.examples_reduced = (
                f"answers were slow (median PUT {median(recent):.1f} s, over {SLOW_PUT_S:g} s, after "
                f"{self.client.recorder.total} requests): every exploratory search drew 1 example from then "
                "on")
        return min(default, 1) if self.examples_reduced else default

    # -- requests ---------------------------------------------------------------------------------------

    def get(self, who: Who = "primary") -> Exchange:
        return self.client.request("GET", creds=self.creds(who))

    def put(self, body: Any, who: Who = "primary") -> Exchange:
        self.before_write(who)
        ex = self.client.request("PUT", creds=self.creds(who), body=body)
        if who == "primary" and 400 <= ex.status < 500 and ex.status != 429:
            self.refused.setdefault(canonical(body), ex)
        return ex

    def send(self, method: str, *, creds: Credentials | None, who: Who = "primary",
             **kwargs: Any) -> Exchange:
        """A hand-made request (auth probes, raw bodies, other methods)."""
        if method.upper() in {"PUT", "POST", "PATCH", "DELETE"}:
            self.before_write(who)
        return self.client.request(method, creds=creds, **kwargs)

    def before_write(self, who: Who) -> None:
        if who not in self.written and who not in self.read_only and self.snapshot_hook is not None:
            self.snapshot_hook(who)  # the snapshot, then the rehearsal (which may mark it read-only)
        if who in self.read_only:
            raise SkipClause(f"no write to the {who} project: {self.read_only[who].why} (SP-STATE-006)")
        self.written.add(who)

    # -- expectations -------------------------------------------------------------------------------------

    def expect_status(self, ex: Exchange, wanted: int | set[int], what: str) -> None:
        allowed = {wanted} if isinstance(wanted, int) else wanted
        if ex.status not in allowed:
            raise Violation(f"{what}: answered {ex.status}", expected=f"status {_fmt(allowed)}",
                            actual=f"status {ex.status}: {ex.text[:300]}", exchange=ex)

    def expect_profile(self, ex: Exchange, what: str) -> dict[str, Any]:
        """A 200/201 with a JSON object body; schema conformance itself is the monitors' job."""
        body = ex.json()
        if not isinstance(body, dict):
            raise Violation(f"{what}: the answer is not a JSON object", expected="a JSON profile object",
                            actual=ex.text[:300], exchange=ex)
        return body

    def expect_rejected(self, ex: Exchange, what: str) -> None:
        """Documented rejection: 422 with the error list (format checked by expect_error_list)."""
        self.expect_status(ex, 422, what)
        self.expect_error_list(ex, what)

    def expect_error_list(self, ex: Exchange, what: str) -> None:
        errors = self._schema_errors("ErrorList", ex.json())
        body = ex.json()
        if not errors and body["errors"] and any(item.get("status") != "422" for item in body["errors"]):
            errors = ['an item\'s "status" is not the string "422"']
        if errors:
            raise Violation(f"{what}: the 422 body is not in the documented error format",
                            expected='{"errors": [{"detail", "status": "422", "title", "code"} …], '
                                     "all strings", actual=f"{errors[0]} — body {ex.text[:300]}",
                            exchange=ex)

    def expect_unauthorized(self, ex: Exchange, what: str) -> None:
        self.expect_status(ex, 401, what)
        body = ex.json()
        wanted = {"error": self.spec.unauthorized_error}
        if not isinstance(body, dict) or body.get("error") != wanted["error"]:
            raise Violation(f"{what}: the 401 body is not the documented one", expected=wanted,
                            actual=ex.text[:300], exchange=ex)

    def note(self, text: str) -> None:
        """Something the current clause met that is no violation but worth a line in its result."""
        self.notes.setdefault(self.client.recorder.clause or "", []).append(text)

    # -- observations -------------------------------------------------------------------------------------

    def observe(self, obs_id: str, clause: str, question: str, ex: Exchange | None, value: Any,
                summary: str) -> None:
        self.observations.append(Observation(
            id=obs_id, clause=clause, question=question, status=ex.status if ex else None, value=value,
            summary=summary, request=ex.request_dict() if ex else None))

    # -- monitors ---------------------------------------------------------------------------------------

    def _watch(self, ex: Exchange) -> None:
        """Every answer of the run passes every monitor the runner installed (declared in the clauses)."""
        self.monitor.requests = self.client.recorder.total
        if ex.method == "PUT":
            self.put_seconds.append(ex.elapsed_s)
        for clause_id, judge in self.watchers:
            violation = judge(self, ex)
            if violation is not None:
                self.monitor.add(clause_id, violation)

    def documented_traffic(self, ex: Exchange) -> bool:
        """An answer of a documented clause, on the path, to GET/PUT with a documented status."""
        clause = ex.clause or ""
        if not clause.startswith("SP-") or clause in self.observed_ids or not ex.url.endswith(PATH):
            return False
        return ex.method in ("GET", "PUT") and ex.status in self.spec.documented_statuses(ex.method)

    def schema_errors(self, name: str, body: Any) -> list[str]:
        """The first problems of ``body`` against ``components/schemas/<name>`` of the fragment."""
        return self._schema_errors(name, body)

    def _validator(self, name: str) -> Draft202012Validator:
        schema = {"$ref": f"#/components/schemas/{name}", "components": self.spec.as_dict()["components"]}
        return Draft202012Validator(schema)

    def _schema_errors(self, name: str, body: Any) -> list[str]:
        found = sorted(self._validators[name].iter_errors(body), key=lambda e: list(e.absolute_path))
        return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in found[:3]]


def _fmt(statuses: set[int]) -> str:
    return " or ".join(str(s) for s in sorted(statuses))
