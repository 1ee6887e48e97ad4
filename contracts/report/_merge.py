"""Several runs' finished documents in, one merged document out (``sip-contracts merge``).

A nightly CI matrix runs one job per staging project; the merge job turns their conformance.json files
into one report. The merged document is an ordinary schema-1 document, so every renderer reads it: its
clause, observation and root-cause IDs are prefixed with the run's name (``staging-eu/SP-CODEC-003``,
unique across runs), and ``targets`` holds one row per run. The verdict and exit code are the worst of the
runs' own (2 > 1 > 4 > 3 > 0, as ``sip-contracts run --targets``): a run's baseline, waivers and restore
were judged when it finished, and re-judging the union of its clauses would lose them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from contracts.document import Conformance, recount
from contracts.report._errors import ReportError

__all__ = ["SEVERITY", "merge", "worst_exit"]

#: Most severe first (the same order as contracts.runner.multi).
SEVERITY = (2, 1, 4, 3, 0)
_RESTORE_ORDER = ("failed", "restored", "not-needed")


def worst_exit(codes: Sequence[int]) -> int:
    known = [c if c in SEVERITY else 1 for c in codes]
    return min(known, key=SEVERITY.index) if known else 0


def merge(runs: Sequence[tuple[str, Conformance]], *, command: str | None = None) -> Conformance:
    """One document for ``runs`` (name, finished document), in the order given; names must be unique."""
    if not runs:
        raise ReportError("merge: no runs given")
    names = [name for name, _ in runs]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ReportError(f"merge: two runs are named {twice[0]!r}; give each its own directory")
    docs = [(name, doc.dump()) for name, doc in runs]
    code = worst_exit([int(d["exit_code"]) for _, d in docs])
    verdict = next(d["verdict"] for _, d in docs if int(d["exit_code"]) == code)
    first = docs[0][1]
    data: dict[str, Any] = {
        "schema_version": "1",
        "suite": first["suite"],
        "target": _target(docs),
        "run": _run(docs, command),
        "requests": _requests(docs),
        "clauses": [_prefixed_clause(n, c) for n, d in docs for c in d["clauses"]],
        "observations": [{**o, "id": f"{n}/{o['id']}", "clause": f"{n}/{o['clause']}", "target": n}
                         for n, d in docs for o in d["observations"]],
        "flakiness": _flakiness(docs),
        "restore": _restore(docs),
        "baseline": None,
        "waivers": {key: [{**w, "id": f"{n}/{w['id']}"} for n, d in docs for w in d["waivers"].get(key, [])]
                    for key in ("applied", "expired")},
        "root_causes": [{**r, "id": f"{n}/{r['id']}", "clauses": [f"{n}/{c}" for c in r.get("clauses", [])],
                         "observations": [f"{n}/{o}" for o in r.get("observations", [])]}
                        for n, d in docs for r in d.get("root_causes", [])],
        "targets": [_row(n, d) for n, d in docs],
        "verdict": verdict,
        "exit_code": code,
    }
    data["counts"] = recount(data)
    return Conformance.model_validate(data)


def _prefixed_clause(name: str, clause: dict[str, Any]) -> dict[str, Any]:
    # The renderers key rows by ID: the prefix keeps one clause of two targets apart.
    return {**clause, "id": f"{name}/{clause['id']}", "target": name}


def _target(docs: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    kinds = {d["target"]["kind"] for _, d in docs}
    hosts = sorted({d["target"]["host"] for _, d in docs})
    return {"kind": "http" if "http" in kinds else "mock",
            "host": f"{len(docs)} targets: " + ", ".join(hosts) if len(docs) > 1 else hosts[0]}


def _run(docs: list[tuple[str, dict[str, Any]]], command: str | None) -> dict[str, Any]:
    runs = [d["run"] for _, d in docs]
    profiles = sorted({r["profile"] for r in runs if r.get("profile")})
    out: dict[str, Any] = {
        "started_at": min(r["started_at"] for r in runs),
        "duration_s": round(sum(r.get("duration_s") or 0 for r in runs), 3),
        "writes_allowed": any(r.get("writes_allowed") for r in runs),
        "interrupted": "; ".join(f"{n}: {d['run']['interrupted']}" for n, d in docs
                                 if d["run"].get("interrupted")) or None,
    }
    finished = [r["finished_at"] for r in runs if r.get("finished_at")]
    if finished:
        out["finished_at"] = max(finished)
    if profiles:
        out["profile"] = "+".join(profiles)
    if command:
        out["command"] = command
    return out


def _requests(docs: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    by_method: Counter[str] = Counter()
    flaky: Counter[str] = Counter()
    for _, d in docs:
        by_method.update(d["requests"].get("by_method", {}))
        flaky.update(d["requests"].get("flaky", {}))
    return {"total": sum(d["requests"]["total"] for _, d in docs),
            "by_method": dict(sorted(by_method.items())),
            "retries": sum(d["requests"].get("retries") or 0 for _, d in docs),
            "flaky": dict(sorted(flaky.items()))}


def _flakiness(docs: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    counts: Counter[str] = Counter()
    for _, d in docs:
        for f in d.get("flakiness", []):
            counts[f["kind"]] += f["count"]
    return [{"kind": k, "count": n, "recovered": True} for k, n in sorted(counts.items())]


def _restore(docs: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    status = min((d["restore"]["status"] for _, d in docs), key=_RESTORE_ORDER.index)
    return {"status": status,
            "projects": [f"{n}:{p}" for n, d in docs for p in d["restore"].get("projects", [])],
            "detail": "; ".join(f"{n}: {d['restore']['status']}" for n, d in docs)}


def _row(name: str, doc: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "name": name, "kind": doc["target"]["kind"], "host": doc["target"]["host"],
        "verdict": doc["verdict"], "exit_code": doc["exit_code"], "counts": doc["counts"],
        "failing": [c["id"] for c in doc["clauses"] if c["verdict"] == "fail"],
        "restore": doc["restore"]["status"], "started_at": doc["run"]["started_at"],
    }
    if doc["target"].get("mutant"):
        row["mutant"] = doc["target"]["mutant"]
    return row
