"""The run: configuration in, conformance document out.

Order of work: build the client (in-process transport for the embedded mock, real HTTP otherwise), run
the documented clauses (read-only ones first, as the catalogue lists them), then the observed ones, then
judge the monitors, restore every profile written, and assemble the run document, judged (counts, verdict
and exit code follow from its clauses; ``contracts.report.finish`` adds the baseline and the waivers).
"""

from __future__ import annotations

import dataclasses
import platform
import re
import time
import traceback
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

import httpx

from contracts import __version__
from contracts.catalogue import CATALOGUE
from contracts.clauses import Clause
from contracts.clauses.shapes import client_matrix
from contracts.document import Conformance, judge
from contracts.engine.client import Client, Recorder
from contracts.engine.config import RunConfig
from contracts.engine.safety import (
    SnapshotStore,
    rehearse,
    restore_profiles,
    shielded,
    terminate_as_interrupt,
)
from contracts.engine.session import Session
from contracts.engine.verdicts import ClauseResult, Violation
from contracts.errors import NoAnswer, SkipClause, SuiteAbort, WriteBlocked
from contracts.runner._rerun import rerun_command
from contracts.spec import load_spec

__all__ = ["Run", "RunOutcome", "execute", "ordered_clauses"]

MAX_FAILURES_SHOWN = 3
Progress = Callable[[int, int, Clause, ClauseResult | None], None]


@dataclass
class RunOutcome:
    document: Conformance
    session: Session

    @property
    def doc(self) -> dict[str, Any]:
        """The document as plain JSON data (a fresh copy)."""
        return self.document.dump()


def ordered_clauses() -> list[Clause]:
    documented = [c for c in CATALOGUE if c.documented]
    observed = [c for c in CATALOGUE if not c.documented]
    return documented + observed


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def build_client(cfg: RunConfig, transport: httpx.BaseTransport | None) -> Client:
    return Client(base_url=cfg.target.base_url, transport=transport, allow_writes=cfg.allow_writes,
                  budget=cfg.budget, timeout_s=cfg.timeout_s, pace_rps=cfg.pace_rps, retries=cfg.retries,
                  max_retry_wait_s=cfg.max_retry_wait_s,
                  repro_base=repro_base(cfg))


def repro_base(cfg: RunConfig) -> str:
    """What reproducers put before ``/api/…``: they read ``$SIGNALWIRE_REST_BASE_URL`` as their header says.

    The in-process mock has no address (its reproducers target `sip-contracts mock`); a real target's URL,
    not a secret, is the default for a shell where the variable is not set.
    """
    url = cfg.target.base_url
    if cfg.target.kind == "mock" or not re.fullmatch(r"[A-Za-z0-9:/._~%\[\]-]+", url):
        return "$SIGNALWIRE_REST_BASE_URL"
    return f"${{SIGNALWIRE_REST_BASE_URL:-{url}}}"


def mock_transport(cfg: RunConfig) -> tuple[httpx.BaseTransport, Any]:
    from contracts.mock import MockConfig, MockSpace

    space = MockSpace(MockConfig(), mutant=cfg.mutant, seed=cfg.seed)
    return space.transport(), space


def _skip_reason(clause: Clause, cfg: RunConfig) -> str | None:
    if "write" in clause.needs and not cfg.allow_writes:
        return f"writes not allowed: pass --allow-writes {cfg.target.host} to run write clauses"
    return None


def _run_clause(s: Session, clause: Clause, fn: Callable[[Session], None]) -> ClauseResult:
    result = ClauseResult(id=clause.id)
    reason = _skip_reason(clause, s.cfg)
    if reason:
        result.verdict, result.reason = "skipped", reason
        return result
    rec = s.client.recorder
    rec.clause = clause.id
    started, before = time.monotonic(), rec.total
    try:
        fn(s)
    except Violation as v:
        result.verdict, result.reason = "fail", v.message
        result.failures.append(v.as_dict(s.cfg.seed))
        result.first_failure_after = rec.total
    except SkipClause as exc:
        result.verdict, result.reason = "skipped", str(exc)
    except SuiteAbort:
        raise
    except NoAnswer as exc:
        result.verdict, result.reason = "inconclusive", str(exc)
    except WriteBlocked as exc:
        result.verdict, result.reason = "error", f"suite bug: {exc}"
    except Exception as exc:  # a bug in the suite, never a verdict on the target
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        result.verdict = "error"
        result.reason = f"suite error: {type(exc).__name__}: {exc} ({frame.filename}:{frame.lineno})"
    finally:
        rec.clause = None
        result.requests = rec.total - before
        result.duration_s = round(time.monotonic() - started, 3)
    return result


def _note_observations(s: Session, clause: Clause, result: ClauseResult) -> None:
    """An observed clause that ran says what it recorded (its verdict only means "probed fine")."""
    seen = [o.summary for o in s.observations if o.clause == clause.id]
    if seen and result.verdict == "pass" and not result.reason:
        result.reason = "recorded: " + "; ".join(seen)
    notes = s.notes.get(clause.id)
    if notes and result.verdict == "pass":
        result.reason = "; ".join(filter(None, [result.reason, *dict.fromkeys(notes)]))


def _judge_monitors(s: Session, results: dict[str, ClauseResult]) -> None:
    for clause_id in (c.id for c in CATALOGUE if c.watch is not None):
        result = results.get(clause_id)
        if result is not None:
            _judge_monitor(s, clause_id, result)


def _judge_monitor(s: Session, clause_id: str, result: ClauseResult) -> None:
    """A monitor clause fails on the first answer its judgement rejected, whatever its own probe said."""
    seen = s.monitor.seen.get(clause_id, [])
    if not seen or result.verdict in ("skipped",):
        return
    if result.verdict != "fail":
        result.verdict, result.reason = "fail", seen[0].message
        result.first_failure_after = s.monitor.first_at.get(clause_id)
    room = MAX_FAILURES_SHOWN - len(result.failures)
    result.failures.extend(v.as_dict(s.cfg.seed) for v in seen[: max(0, room)])


class Run:
    """One run, step by step, so the CLI and the pytest plugin share one code path (and one safety).

    ``start()`` installs the signal handling (SIGINT/SIGTERM -> KeyboardInterrupt, the stop flag),
    ``run(clause)`` runs one clause (the snapshot hook saves each profile before its first write),
    ``finish()`` restores every profile written, under the shield, then judges the monitors and builds the
    document. As a context manager, leaving the block finishes the run, also on Ctrl-C (recorded as the
    interruption and swallowed, as the CLI reports it) and on any other exception (re-raised after the
    restore). ``clauses`` are the clauses the document covers (default: the whole catalogue); one never run
    is inconclusive with the interruption as its reason.
    """

    def __init__(self, cfg: RunConfig, *, clauses: list[Clause] | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.cfg = cfg
        self.clauses = ordered_clauses() if clauses is None else clauses
        spec = load_spec()
        self.space = None
        if transport is None and cfg.target.kind == "mock":
            transport, self.space = mock_transport(cfg)
        self.client = client = build_client(cfg, transport)
        self.session = session = Session(cfg, spec, client)
        session.watchers = [(c.id, c.watch) for c in CATALOGUE if c.watch is not None]
        session.observed_ids = frozenset(c.id for c in CATALOGUE if not c.documented)
        session.planned_ids = frozenset(c.id for c in self.clauses)
        self.snapshots = snapshots = SnapshotStore(cfg.report_dir / "snapshot.json", cfg.target)

        def snapshot(who: str) -> None:
            if who == "novoice":
                return  # cannot be read by design; its writes are refused probes
            got = client.request("GET", creds=session.creds(who))  # type: ignore[arg-type]
            if got.status != 200 or not isinstance(got.json(), dict):
                raise NoAnswer(f"could not snapshot the {who} profile before writing (GET answered "
                               f"{got.status}); no write sent")
            snapshots.save(who, got.json())
            refused = rehearse(client, session.creds(who), got.json())  # type: ignore[arg-type]
            if refused is not None:  # leave that project as found: no further write
                session.read_only[who] = refused
                # A refused PUT changed nothing: no restore. A PUT that was taken (and perhaps altered the
                # profile) keeps the project in the restore, which says honestly whether it came back.
                if not refused.written:
                    snapshots.profiles.pop(who, None)

        session.snapshot_hook = snapshot
        self.results: dict[str, ClauseResult] = {}
        self.interrupted: str | None = None
        self.restore: dict[str, Any] = {"status": "not-needed", "projects": [],
                                        "detail": "nothing was written"}
        self._signals = ExitStack()
        self._started_at, self._t0 = _now(), time.monotonic()
        self._outcome: RunOutcome | None = None

    def start(self) -> Run:
        self._started_at, self._t0 = _now(), time.monotonic()
        self._signals.enter_context(terminate_as_interrupt(self.client.stop))
        return self

    def run(self, clause: Clause) -> ClauseResult:
        """Run one clause; SuiteAbort (the target stopped answering) propagates: see :meth:`abort`."""
        result = _run_clause(self.session, clause, clause.check)
        _note_observations(self.session, clause, result)
        self.results[clause.id] = result
        return result

    def judged(self, clause: Clause) -> ClauseResult:
        """A copy of the clause's result with its monitor judgement applied to the traffic sent so far.

        For a caller that reports clause by clause (the pytest plugin runs monitor clauses last, so this
        is their final verdict); :meth:`finish` judges the monitors once more, on the results themselves.
        """
        result = self.results[clause.id]
        copy = dataclasses.replace(result, failures=list(result.failures))
        if clause.watch is not None:
            _judge_monitor(self.session, clause.id, copy)
        return copy

    def abort(self, exc: SuiteAbort) -> None:
        self.interrupted = f"the target stopped answering: {exc}"

    def interrupt(self, exc: BaseException | None = None) -> None:
        self.interrupted = f"interrupted ({exc or 'Ctrl-C'})"

    @property
    def finished(self) -> bool:
        return self._outcome is not None

    def finish(self) -> RunOutcome:
        """Restore, judge, document; idempotent (the second call returns the first outcome)."""
        if self._outcome is not None:
            return self._outcome
        self._settle_server_errors()
        try:
            try:
                self.client.on_exchange = None  # restore traffic is not judged by the clause monitors
                with shielded(self.client.stop):
                    self.restore = restore_profiles(self.client, self.cfg.target, self.snapshots.profiles)
                    if self.restore["status"] == "restored":
                        self.snapshots.path.unlink(missing_ok=True)
            finally:
                self._signals.close()
        finally:
            self.client.close()
        for clause in self.clauses:
            self.results.setdefault(clause.id, ClauseResult(
                id=clause.id, verdict="inconclusive", reason=self.interrupted or "not run"))
        _judge_monitors(self.session, self.results)
        doc = _document(self.cfg, self.session, self.clauses, self.results, self._started_at,
                        time.monotonic() - self._t0, self.restore, self.interrupted)
        if self.space is not None:
            doc.target.mutant = self.cfg.mutant
        self._outcome = RunOutcome(document=doc, session=self.session)
        return self._outcome

    def _settle_server_errors(self) -> None:
        """SP-PROTO-010 ran before the clauses after it: its rates are re-recorded over all their traffic
        (the restore's own requests are in the run health only)."""
        from contracts.clauses.monitors import record_server_errors

        result = self.results.get("SP-PROTO-010")
        if result is None or result.verdict != "pass":
            return
        record_server_errors(self.session)
        result.reason = ""
        _note_observations(self.session, next(c for c in CATALOGUE if c.id == "SP-PROTO-010"), result)

    def __enter__(self) -> Run:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> bool:
        interrupted = kind is not None and issubclass(kind, KeyboardInterrupt)
        if interrupted:
            self.interrupt(exc)
        self.finish()
        return interrupted  # Ctrl-C is a recorded interruption, not an error


def execute(cfg: RunConfig, *, transport: httpx.BaseTransport | None = None,
            progress: Progress | None = None) -> RunOutcome:
    """Run every clause against the configured target and return the conformance document."""
    with Run(cfg, transport=transport) as run:
        clauses = run.clauses
        for i, clause in enumerate(clauses, 1):
            if progress:
                progress(i, len(clauses), clause, None)
            try:
                result = run.run(clause)
            except SuiteAbort as exc:
                run.abort(exc)
                break
            if progress:
                progress(i, len(clauses), clause, result)
    return run.finish()


#: How many 5xx answers the run health shows with their request (all are counted).
MAX_SERVER_ERRORS_SHOWN = 10


def _health(rec: Recorder) -> dict[str, Any]:
    """The run health: every 5xx per operation (recovered or not, restore included), busy answers."""
    shown = [{"method": e.method, "status": e.status, "clause": e.clause, "recovered": e.recovered,
              "request": e.request} for e in rec.server_errors[:MAX_SERVER_ERRORS_SHOWN]]
    outside = sum(e.clause is None for e in rec.server_errors)
    return {"operations": rec.operations(), "busy": dict(sorted(rec.busy.items())), "server_errors": shown,
            "outside_clauses": outside}


def _document(cfg: RunConfig, s: Session, clauses: list[Clause], results: dict[str, ClauseResult],
              started_at: str, duration: float,
              restore: dict[str, Any], interrupted: str | None) -> Conformance:
    rec = s.client.recorder
    rows = []
    for clause in sorted(clauses, key=lambda c: CATALOGUE.index(c)):
        r = results[clause.id]
        rows.append({
            "id": clause.id, "title": clause.title, "area": clause.area, "kind": clause.kind,
            "source": clause.source, "where": clause.where, "check": clause.check_name,
            "verdict": r.verdict, "reason": r.reason, "requests": r.requests,
            "first_failure_after": r.first_failure_after, "duration_s": r.duration_s,
            "failures": r.failures, "waiver": None,
        })
    flaky = [{"kind": k, "count": n, "recovered": True} for k, n in sorted(rec.flaky.items())]
    command = rerun_command(cfg)  # the CLI adds its own inputs (baseline, waivers …)
    data: dict[str, Any] = {
        "schema_version": "1",
        "suite": {"name": "sip-profile-contracts", "version": __version__, "spec_sha256": s.spec.sha256,
                  "python": platform.python_version()},
        "target": {"kind": cfg.target.kind, "host": cfg.target.host, "base_url": cfg.target.base_url,
                   "insecure_http": cfg.target.insecure_http},
        "run": {"seed": cfg.seed, "profile": cfg.effort.name, "started_at": started_at,
                "finished_at": _now(), "duration_s": round(duration, 3), "writes_allowed": cfg.allow_writes,
                "command": command, "interrupted": interrupted, "examples_reduced": s.examples_reduced},
        "requests": {"total": rec.total, "by_method": dict(sorted(rec.by_method.items())),
                     "budget": cfg.budget, "retries": rec.retries,
                     "flaky": dict(sorted(rec.flaky.items()))},
        "clauses": rows,
        "observations": [o.as_dict() for o in s.observations],
        "flakiness": flaky,
        "health": _health(rec),
        "restore": restore,
        "baseline": None,
        "waivers": {"applied": [], "expired": []},
    }
    matrix = client_matrix(s)
    if matrix:
        data["clients"] = matrix
    counts, verdict, code = judge(data)  # no placeholder: the verdict follows from the clauses
    return Conformance.model_validate({**data, "counts": counts, "verdict": verdict, "exit_code": code})
