"""Recorded exchanges in, a run document out: every check of the suite that needs no new request.

Each exchange of ``/api/relay/rest/sip_profile`` (any host) becomes the suite's own
:class:`~contracts.engine.client.Exchange` and is judged by a :class:`RecordedSession` — one per recorded
sequence, i.e. per file and project ID, so that each project's model of the profile is seeded by its first
answer in that file (two files are two recordings, never one sequence). Cassettes have no timestamps: their
order is the file's, the order vcrpy recorded the answers in. HAR entries are taken in ``startedDateTime``
order; a violation of the model at an exchange whose place in the sequence is not settled (another one of
that sequence started at the same time or while it was under way, by the entries' ``time``, or some of
them carry no timestamp) is reported as an ambiguous ordering, never as a failure.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from contracts import __version__
from contracts.catalogue import CATALOGUE
from contracts.clauses._traffic import TRAFFIC_CLAUSES, RecordedSession, classify, request_body
from contracts.document import Conformance, judge
from contracts.engine.client import TRANSIENT_STATUSES, Exchange
from contracts.engine.verdicts import Violation
from contracts.recorded import Recorded
from contracts.spec import PATH, load_spec

__all__ = ["Judge", "Verdict", "is_endpoint", "judge_traffic"]

#: The project key of exchanges whose credentials were not recorded (vcrpy's filter_headers).
UNNAMED = "(no project ID recorded)"
MAX_FAILURES = 5
_AUTH_REF = '"$SIGNALWIRE_PROJECT_ID:$SIGNALWIRE_API_TOKEN"'


def is_endpoint(rec: Recorded) -> bool:
    return urlsplit(rec.url).path.rstrip("/").endswith(PATH)


def exchange_of(rec: Recorded, principal: str) -> Exchange:
    """The suite's exchange type for a recorded one (credential values are already redacted)."""
    has_auth = any(name.lower() == "authorization" for name, _ in rec.request_headers)
    return Exchange(
        method=rec.method, url=rec.url,
        headers={name: value for name, value in rec.request_headers if not name.startswith(":")},  # HTTP/2
        body=request_body(rec.request_body),
        auth_ref=_AUTH_REF if has_auth and rec.principal else "", status=rec.status,
        response_headers={name.lower(): value for name, value in rec.response_headers},
        text=rec.response_body, principal=principal)


@dataclass(frozen=True)
class Verdict:
    """What one exchange came to: the clauses it was judged under and the violations among them."""

    where: str
    method: str
    status: int
    judged: tuple[str, ...]
    violations: tuple[tuple[str, str], ...]  #: (clause ID, message)
    ambiguous: bool = False

    @property
    def word(self) -> str:
        if not self.judged:
            return "not judged"
        if self.ambiguous:
            return "ambiguous order"
        return "violation" if self.violations else "ok"


@dataclass
class _Clause:
    evidence: int = 0
    failures: list[dict[str, Any]] = field(default_factory=list)
    failed: int = 0
    ambiguous: list[str] = field(default_factory=list)


class Judge:
    """Judges recorded exchanges one by one (the proxy) or file by file (:func:`judge_traffic`)."""

    def __init__(self) -> None:
        self.spec = load_spec()
        catalogue = {c.id: c for c in CATALOGUE}
        self._watchers = [(cid, watch) for cid in TRAFFIC_CLAUSES
                          if (watch := catalogue[cid].watch) is not None]
        self._observed = frozenset(c.id for c in CATALOGUE if not c.documented)
        self._sessions: dict[tuple[str, str], RecordedSession] = {}
        self._clauses = {cid: _Clause() for cid in TRAFFIC_CLAUSES}
        #: per sequence, (method, request body, status) of every exchange judged, in order
        self._history: dict[tuple[str, str], list[tuple[str, str | None, int]]] = {}
        #: 5xx answers: (sequence, place in it, the failure); settled when the document is made
        self._server_errors: list[tuple[tuple[str, str], int, dict[str, Any]]] = []
        self.files: list[str] = []
        self.exchanges = 0
        self.judged = 0
        self.not_judged: dict[str, int] = {}
        self.ambiguous: list[str] = []

    def close(self) -> None:
        for session in self._sessions.values():
            session.close()

    def add(self, rec: Recorded, *, ambiguous: bool = False) -> Verdict:
        """Judge one exchange, after every earlier one of its sequence."""
        self.exchanges += 1
        if rec.source not in self.files:
            self.files.append(rec.source)
        why = None if is_endpoint(rec) else "other path"
        why = why or (None if rec.method in ("GET", "PUT") else "other method")
        why = why or (None if rec.status else "no answer")
        why = why or ("transient" if rec.status in TRANSIENT_STATUSES else None)
        why = why or ("compressed body" if _still_compressed(rec) else None)
        principal = rec.principal or UNNAMED
        if why == "transient":  # 429/502/503/504: the session lets its model forget, judges nothing
            self._session(rec, principal).judge(exchange_of(rec, principal), classify(self.spec, "GET", None))
        if why is not None:
            self.not_judged[why] = self.not_judged.get(why, 0) + 1
            return Verdict(rec.where(), rec.method, rec.status, (), ())
        self.judged += 1
        session = self._session(rec, principal)
        ex = exchange_of(rec, principal)
        results = session.judge(ex, classify(self.spec, rec.method, ex.body))
        history = self._history.setdefault((rec.source, principal), [])
        history.append((rec.method, rec.request_body, rec.status))
        return self._record(rec, results, ambiguous, ((rec.source, principal), len(history) - 1))

    def _session(self, rec: Recorded, principal: str) -> RecordedSession:
        key = (rec.source, principal)
        if key not in self._sessions:
            parts = urlsplit(rec.url)
            host = parts.hostname or ""
            space = host.split(".")[0] if host.endswith(".signalwire.com") else None
            self._sessions[key] = RecordedSession(
                self.spec, base_url=f"{parts.scheme}://{parts.netloc}", principal=principal,
                space_name=space, watchers=self._watchers, observed_ids=self._observed)
        return self._sessions[key]

    def _record(self, rec: Recorded, results: Sequence[tuple[str, Violation | None]], ambiguous: bool,
                place: tuple[tuple[str, str], int]) -> Verdict:
        violations = []
        unsettled = False
        for cid, violation in results:
            row = self._clauses[cid]
            row.evidence += 1
            if violation is None:
                continue
            if cid == "SP-STATE-005" and ambiguous:
                unsettled = True
                note = f"{rec.where()}: {violation.message}"
                row.ambiguous.append(note)
                self.ambiguous.append(note)
                continue
            message = f"{rec.where()}: {violation.message}"
            violations.append((cid, message))
            failure = violation.as_dict(0)
            failure.pop("seed", None)
            failure = {**failure, "message": message, "recorded": rec.where()}
            if cid == "SP-PROTO-004":
                self._server_errors.append((*place, failure))  # unless the same request later succeeds
                continue
            row.failed += 1
            if len(row.failures) < MAX_FAILURES:
                row.failures.append(failure)
        return Verdict(rec.where(), rec.method, rec.status, tuple(cid for cid, _ in results),
                       tuple(violations), unsettled)

    def _settle_server_errors(self) -> int:
        """A run replays a lone 500 and reports only one that repeats; a recording cannot replay, but a
        5xx followed in its sequence by the same request (method and body) answered without one was a
        passing fault: counted as flakiness, never a violation. Returns how many recovered."""
        row = self._clauses["SP-PROTO-004"]
        row.failed, row.failures, recovered = 0, [], 0
        for key, at, failure in self._server_errors:
            method, body, _ = self._history[key][at]
            if any(m == method and b == body and s < 500 for m, b, s in self._history[key][at + 1:]):
                recovered += 1
                continue
            row.failed += 1
            if len(row.failures) < MAX_FAILURES:
                row.failures.append(failure)
        return recovered

    def document(self, *, command: str, started_at: str) -> Conformance:
        """The run document of everything judged so far (before ``report.finish``)."""
        recovered = self._settle_server_errors()
        flaky = [{"kind": "500-recovered", "count": recovered, "recovered": True}] if recovered else []
        hosts = sorted({s.target.host for s in self._sessions.values()})
        data: dict[str, Any] = {
            "schema_version": "1",
            "suite": {"name": "sip-profile-contracts", "version": __version__,
                      "spec_sha256": self.spec.sha256},
            "target": {"kind": "http", "host": ", ".join(hosts) or "recorded traffic"},
            "run": {"profile": "traffic", "started_at": started_at, "finished_at": _now(), "duration_s": 0.0,
                    "command": command, "writes_allowed": False, "interrupted": None},
            "requests": {"total": 0, "by_method": {}, "retries": 0},
            "clauses": [self._row(cid) for cid in _in_catalogue_order(TRAFFIC_CLAUSES)],
            "observations": [],
            "flakiness": flaky,
            "restore": {"status": "not-needed", "projects": [],
                        "detail": "recorded traffic: nothing was sent"},
            "baseline": None,
            "waivers": {"applied": [], "expired": []},
            "traffic": {"files": self.files, "exchanges": self.exchanges, "judged": self.judged,
                        "not_judged": dict(sorted(self.not_judged.items())),
                        "projects": [f"{source}: {who}" for source, who in self._sessions],
                        "ambiguous": self.ambiguous},
        }
        counts, verdict, code = judge(data)
        return Conformance.model_validate({**data, "counts": counts, "verdict": verdict, "exit_code": code})

    def _row(self, cid: str) -> dict[str, Any]:
        clause = next(c for c in CATALOGUE if c.id == cid)
        row = self._clauses[cid]
        if row.failed:
            verdict, reason = "fail", f"{row.failures[0]['message']} ({row.failed} of {row.evidence} judged)"
        elif row.ambiguous:
            verdict, reason = "inconclusive", f"ambiguous ordering: {row.ambiguous[0]}"
        elif row.evidence:
            verdict, reason = "pass", f"held on {row.evidence} recorded exchange{'s' * (row.evidence != 1)}"
        else:
            verdict, reason = "skipped", "no recorded exchange spoke to it"
        return {"id": cid, "title": clause.title, "area": clause.area, "kind": clause.kind,
                "source": clause.source, "where": clause.where, "check": clause.check_name,
                "verdict": verdict, "reason": reason, "requests": 0, "failures": row.failures,
                "waiver": None}


def _still_compressed(rec: Recorded) -> bool:
    """A body recorded as sent on the wire in an encoding nobody decoded (the proxy forwards brotli as
    is): not the service's fault, not a body to judge. HAR tools and vcrpy store JSON decoded."""
    encoding = next((v for n, v in rec.response_headers if n.lower() == "content-encoding"), "identity")
    if encoding.strip().lower() in ("", "identity") or not rec.response_body:
        return False
    try:
        json.loads(rec.response_body)
    except ValueError:
        return True
    return False


def _in_catalogue_order(ids: Iterable[str]) -> list[str]:
    order = {c.id: i for i, c in enumerate(CATALOGUE)}
    return sorted(ids, key=order.__getitem__)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _started(rec: Recorded) -> datetime | None:
    if not rec.started:
        return None
    try:
        when = datetime.fromisoformat(rec.started)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def ordered(records: Sequence[Recorded]) -> list[tuple[Recorded, bool]]:
    """One recorded sequence in the order it happened, each with whether that place is unsettled."""
    times = [_started(r) for r in records]
    if all(t is None for t in times):
        return [(r, False) for r in records]  # a cassette: recorded in the order the answers came
    if any(t is None for t in times):
        return [(r, True) for r in records]  # some stamped, some not: no order can be told
    known = [t for t in times if t is not None]
    stamped = sorted(zip(known, range(len(records)), records, strict=True), key=lambda x: (x[0], x[1]))
    return list(zip([r for _, _, r in stamped], _overlaps(stamped), strict=True))


def _overlaps(stamped: Sequence[tuple[datetime, int, Recorded]]) -> list[bool]:
    """Which exchanges (sorted by start) started together with another, or while another was under way
    (HAR ``time``): the service may have handled them in either order."""
    unsettled = [False] * len(stamped)
    latest_end: datetime | None = None
    latest = -1
    for i, (start, _, rec) in enumerate(stamped):
        if i and start == stamped[i - 1][0]:
            unsettled[i] = unsettled[i - 1] = True
        if latest_end is not None and start < latest_end:
            unsettled[i] = unsettled[latest] = True
        end = start + timedelta(milliseconds=rec.duration_ms or 0)
        if latest_end is None or end > latest_end:
            latest_end, latest = end, i
    return unsettled


def sequences(records: Iterable[Recorded]) -> list[list[Recorded]]:
    """Records grouped by file and project ID (the first appearance of each group first)."""
    groups: dict[tuple[str, str | None], list[Recorded]] = {}
    for rec in records:
        groups.setdefault((rec.source, rec.principal), []).append(rec)
    return list(groups.values())


def judge_traffic(paths: Sequence[str], records: Iterable[Recorded]) -> tuple[Conformance, list[Verdict]]:
    """Judge every recorded exchange; the document and each exchange's verdict (file order)."""
    started = _now()
    judge_ = Judge()
    judge_.files = [str(p) for p in paths]
    records = list(records)
    try:
        # Exchanges of other paths take no place in a sequence (their timestamps settle nothing).
        place = {id(rec): i for i, rec in enumerate(records)}
        judged = [(place[id(rec)], judge_.add(rec)) for rec in records if not is_endpoint(rec)]
        for group in sequences(rec for rec in records if is_endpoint(rec)):
            judged += [(place[id(rec)], judge_.add(rec, ambiguous=unsettled))
                       for rec, unsettled in ordered(group)]
        verdicts = [verdict for _, verdict in sorted(judged, key=lambda pair: pair[0])]
        command = shlex.join(["sip-contracts", "check-traffic", *paths])
        return judge_.document(command=command, started_at=started), verdicts
    finally:
        judge_.close()
