"""Compare a run with a baseline run: regressions, fixes, and drift in observed behaviour."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from contracts.report._rates import is_rate, rose

__all__ = ["canonical", "compare_baseline"]

def canonical(value: Any) -> str:
    """Canonical JSON: the form in which observed values are compared."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _key(obs: Mapping[str, Any]) -> str:
    return canonical([obs.get("status"), obs.get("value")])


#: A measured observation (latency) slower than the GET median by less than this is never drift.
MIN_EXTRA_MS = 5.0


def _measure(value: Any) -> bool:
    return isinstance(value, dict) and value.get("measure") == "median-ratio"


def _drifted(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Exact for values; for a measurement (latency), only a marked slow-down counts.

    A measurement is a ratio to the same run's GET median (see contracts.clauses.latency); it drifts when
    it grew by the run's ``factor`` or more and the operation is now at least MIN_EXTRA_MS slower than the
    GETs. Getting faster, noise, and what the network adds to every request are not drift.
    """
    before, now = old.get("value"), new.get("value")
    if is_rate(before) and is_rate(now):
        return rose(before, now)  # a server-error rate: only a significant rise (contracts.report._rates)
    if not (isinstance(before, dict) and isinstance(now, dict) and _measure(before) and _measure(now)):
        return _key(_asked_by_both(old, new)) != _key(_asked_by_both(new, old))
    if before["ratio"] is None or now["ratio"] is None or now["extra_ms"] is None:
        return False  # too few answers on one side: nothing to compare
    factor = float(now.get("factor") or 3.0)
    return bool(now["ratio"] >= max(before["ratio"], 1.0) * factor and now["extra_ms"] >= MIN_EXTRA_MS)


def _asked_by_both(obs: Mapping[str, Any], other: Mapping[str, Any]) -> Mapping[str, Any]:
    """``obs`` with its value cut to the keys the other run's value has too.

    A key that one side's value lacks is a question one of the two suites did not ask (a newer suite
    added ``case-mixed`` to a case observation): a first answer to it is new, never a change of the
    target. A value that shares no key with the other is compared whole.
    """
    value, theirs = obs.get("value"), other.get("value")
    if not (isinstance(value, dict) and isinstance(theirs, dict)):
        return obs
    shared = {k: v for k, v in value.items() if k in theirs}
    return {**obs, "value": shared} if shared else obs


def _observed(obs: Mapping[str, Any]) -> dict[str, Any]:
    return {"status": obs.get("status"), "value": obs.get("value"), "summary": obs.get("summary", "")}


def _classify(now: str, before: str | None) -> str:
    if now == "fail":
        return "still-failing" if before == "fail" else "regression"
    if now == "pass" and before == "fail":
        return "fixed"
    return "unchanged"


def _warnings(doc: Mapping[str, Any], base: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    host, base_host = doc["target"].get("host"), base["target"].get("host")
    if host != base_host:
        out.append(
            f"baseline was recorded against {base_host}, this run against {host}: "
            "differences may come from the target, not from a change of behaviour"
        )
    sha = doc["suite"].get("spec_sha256")
    base_sha = base["suite"].get("spec_sha256")
    if sha and base_sha and sha != base_sha:
        out.append(
            f"the OpenAPI fragment changed since the baseline (spec {base_sha[:12]} -> {sha[:12]}): "
            "clauses may have changed meaning"
        )
    profile, base_profile = doc["run"].get("profile"), base["run"].get("profile")
    if profile and base_profile and profile != base_profile:
        out.append(
            f"baseline used profile {base_profile!r}, this run {profile!r}: "
            "deep-only clauses and observations appear as new or gone"
        )
    return out


def compare_baseline(
    doc: dict[str, Any], baseline_doc: Mapping[str, Any], *, path: str | Path | None = None
) -> dict[str, Any]:
    """Classify every clause and observation of ``doc`` against ``baseline_doc``.

    Clauses: ``regression`` (fails now; did not fail before, or is new), ``fixed`` (failed before, passes
    now), ``still-failing``, ``unchanged`` (everything else). ``new`` / ``gone`` additionally list clauses
    present in only one of the two runs. Observations: ``changed`` (status or value differ, compared as
    canonical JSON; a latency measurement only when markedly slower: ``_drifted``), ``unchanged``, ``new``,
    ``gone``. The result is stored in ``doc["baseline"]`` and
    returned. Call it before :func:`apply_waivers`, so that waivers can cover drift.
    """
    before = {c["id"]: c["verdict"] for c in baseline_doc["clauses"]}
    now_ids = [c["id"] for c in doc["clauses"]]
    clauses: dict[str, list[str]] = {
        "regression": [], "fixed": [], "still-failing": [], "unchanged": [], "new": [], "gone": [],
    }
    for clause in doc["clauses"]:
        cid = clause["id"]
        clauses[_classify(clause["verdict"], before.get(cid))].append(cid)
        if cid not in before:
            clauses["new"].append(cid)
    clauses["gone"] = [cid for cid in before if cid not in set(now_ids)]

    base_obs = {o["id"]: o for o in baseline_doc.get("observations", [])}
    now_obs = {o["id"]: o for o in doc.get("observations", [])}
    observations: dict[str, list[Any]] = {"changed": [], "unchanged": [], "new": [], "gone": []}
    for oid, obs in now_obs.items():
        old = base_obs.get(oid)
        if old is None:
            observations["new"].append(oid)
        elif not _drifted(old, obs):
            observations["unchanged"].append(oid)
        else:
            observations["changed"].append({
                "id": oid,
                "clause": obs.get("clause"),
                "question": obs.get("question", ""),
                "before": _observed(old),
                "after": _observed(obs),
                "waived": False,
                "waiver": None,
            })
    observations["gone"] = [oid for oid in base_obs if oid not in now_obs]

    result: dict[str, Any] = {
        "path": str(path) if path is not None else None,
        "baseline_started_at": baseline_doc["run"].get("started_at"),
        "baseline_target": baseline_doc["target"].get("host"),
        "baseline_verdict": baseline_doc.get("verdict"),
        "clauses": clauses,
        "observations": observations,
        "warnings": _warnings(doc, baseline_doc),
    }
    doc["baseline"] = result
    return result
