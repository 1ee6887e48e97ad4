"""Small builders of conformance documents (schema "1") for the report tests.

Every part is built through the models of :mod:`contracts.document` (so a builder cannot drift from the
shape) and returned as plain JSON data, which the tests then bend into the case they need.
"""

from __future__ import annotations

import copy
from typing import Any

from contracts.catalogue import CATALOGUE
from contracts.document import Clause, Conformance, Failure, HttpRequest, HttpResponse, Observation, judge

BASE_URL = "http://127.0.0.1:8080"
URL = f"{BASE_URL}/api/relay/rest/sip_profile"
SENTINEL = "SENTINEL-TOKEN-7f3a9c21d4"
REPRO = (
    "curl -sS -X PUT -u \"$SIGNALWIRE_PROJECT_ID:$SIGNALWIRE_API_TOKEN\" -H 'Content-Type: application/json' "
    "--data '{\"default_codecs\":[\"G729\"]}' \"$SIGNALWIRE_REST_BASE_URL/api/relay/rest/sip_profile\""
)


def failure(message: str = "PUT with an unsupported codec was accepted", *, body: Any = None,
            expected: Any = "422 with an errors list", actual: Any = "201",
            reproducer: str = REPRO, auth: str | None = None) -> dict[str, Any]:
    headers = {"Content-Type": "application/json"}
    if auth is not None:
        headers["Authorization"] = auth
    return Failure(
        message=message, expected=expected, actual=actual,
        request=HttpRequest(method="PUT", url=URL, headers=headers,
                            body=body if body is not None else {"default_codecs": ["G729"]}),
        response=HttpResponse(status=201, headers={"content-type": "application/json"},
                              body='{"domain": null, "default_codecs": ["G729"]}'),
        reproducer=reproducer, seed=123, example="{'default_codecs': ['G729']}",
    ).dump()


def clause(cid: str, verdict: str = "pass", *, failures: list[dict[str, Any]] | None = None,
           reason: str = "", area: str | None = None, title: str | None = None) -> dict[str, Any]:
    known = {c.id: c for c in CATALOGUE}.get(cid)
    return Clause.model_validate({
        "id": cid,
        "title": title or (known.title if known else f"Title of {cid}"),
        "area": area or (known.area if known else "protocol"),
        "kind": known.kind if known else "documented",
        "source": known.source if known else "A documented sentence.",
        "where": known.where if known else "ENDPOINT.md",
        "check": f"contracts.clauses.x:{cid.lower().replace('-', '_')}",
        "verdict": verdict,
        "reason": reason,
        "requests": 7,
        "first_failure_after": 3 if verdict == "fail" else None,
        "duration_s": 0.4,
        "failures": failures if failures is not None else ([failure()] if verdict == "fail" else []),
        "waiver": None,
    }).dump()


def observation(oid: str, value: Any = None, *, status: int = 422, clause_id: str = "SP-CODEC-005",
                summary: str | None = None) -> dict[str, Any]:
    return Observation(
        id=oid, clause=clause_id, question=f"What happens for {oid}?",
        request=HttpRequest(method="PUT", url=URL, body={"default_codecs": ["opus"]}),
        status=status, value=value if value is not None else {"accepted": False},
        summary=summary or f"{oid}: status {status}",
    ).dump()


def doc(*, verdicts: dict[str, str] | None = None, observations: list[dict[str, Any]] | None = None,
        started_at: str = "2025-03-04T02:00:00Z", host: str = "127.0.0.1:8080",
        restore: str = "restored", spec_sha256: str = "ab" * 32, profile: str = "quick") -> dict[str, Any]:
    """A whole document: every catalogue clause passes unless ``verdicts`` says otherwise; extra IDs in
    ``verdicts`` are added as new clauses; a verdict of ``"-"`` removes the clause."""
    verdicts = dict(verdicts or {})
    clauses = []
    for known in CATALOGUE:
        v = verdicts.pop(known.id, "pass")
        if v != "-":
            clauses.append(clause(known.id, v, reason="" if v in ("pass", "fail") else f"why {v}"))
    clauses += [clause(cid, v) for cid, v in verdicts.items()]
    data: dict[str, Any] = {
        "schema_version": "1",
        "suite": {"name": "sip-profile-contracts", "version": "0.1.0", "spec_sha256": spec_sha256},
        "target": {"kind": "mock", "host": host, "base_url": BASE_URL},
        "run": {"seed": 123, "profile": profile, "started_at": started_at, "finished_at": started_at,
                "duration_s": 12.3, "writes_allowed": True,
                "command": "sip-contracts run --profile quick --seed 123"},
        "requests": {"total": 212, "by_method": {"GET": 80, "PUT": 130, "POST": 2}, "budget": 300,
                     "retries": 3, "flaky": {"429": 2, "503": 1, "connect": 0, "timeout": 0, "dropped": 0,
                                             "500-recovered": 0}},
        "clauses": clauses,
        "observations": copy.deepcopy(observations) if observations is not None else [
            observation("OBS-CODEC-CASE", summary="lower-case 'opus' rejected (422)"),
            observation("OBS-CODEC-ORDER", {"kept": True}, status=201, summary="order kept"),
        ],
        "flakiness": [{"kind": "503", "count": 1, "recovered": True}],
        "restore": {"status": restore, "projects": ["primary"], "detail": "profile put back as found"},
        "baseline": None,
        "waivers": {"applied": [], "expired": []},
    }
    counts, verdict, code = judge(data)  # as the runner does: no placeholder verdict
    finished = {**data, "counts": counts, "verdict": verdict, "exit_code": code}
    return Conformance.model_validate(finished).dump()


def passing() -> dict[str, Any]:
    return doc()


def failing() -> dict[str, Any]:
    d = doc(verdicts={"SP-CODEC-003": "fail", "SP-PROTO-002": "fail", "SP-AUTH-004": "skipped"})
    proto = next(c for c in d["clauses"] if c["id"] == "SP-PROTO-002")
    proto["failures"] = [
        failure("A valid PUT answered 200 instead of 201", expected={"status": 201, "body": {"domain": None}},
                actual={"status": 200, "body": {"domain": None}}, body={"default_encryption": "optional"},
                reproducer=REPRO.replace("G729", "OPUS")),
        failure("A second valid PUT answered 200", expected="201", actual="200"),
    ]
    return d


def baseline_pair() -> tuple[dict[str, Any], dict[str, Any]]:
    """(current, baseline) covering every classification.

    Clauses: SP-CODEC-003 regression (pass -> fail), SP-PROTO-002 still-failing, SP-ENC-001 fixed,
    SP-NEW-001 new and failing (regression), SP-NEW-002 new and passing (unchanged), SP-ID-004 gone,
    SP-CIPHER-003 skipped before and failing now (regression).
    Observations: OBS-CODEC-CASE changed, OBS-CODEC-ORDER unchanged, OBS-NEW new, OBS-GONE gone.
    """
    base = doc(verdicts={"SP-PROTO-002": "fail", "SP-ENC-001": "fail", "SP-CIPHER-003": "skipped"},
               started_at="2025-03-03T02:00:00Z", observations=[
                   observation("OBS-CODEC-CASE", {"accepted": False}, status=422, summary="'opus' rejected"),
                   observation("OBS-CODEC-ORDER", {"kept": True}, status=201, summary="order kept"),
                   observation("OBS-GONE", {"x": 1}, status=201),
               ])
    now = doc(verdicts={"SP-CODEC-003": "fail", "SP-PROTO-002": "fail", "SP-ID-004": "-",
                        "SP-CIPHER-003": "fail", "SP-NEW-001": "fail", "SP-NEW-002": "pass"},
              observations=[
                  observation("OBS-CODEC-CASE", {"accepted": True}, status=201, summary="'opus' accepted"),
                  observation("OBS-CODEC-ORDER", {"kept": True}, status=201, summary="order kept"),
                  observation("OBS-NEW", {"y": 2}, status=201),
              ])
    return now, base


def ids(d: dict[str, Any]) -> set[str]:
    return {c["id"] for c in d["clauses"]} | {o["id"] for o in d["observations"]}
