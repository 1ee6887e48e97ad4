"""The run's verdict and exit code, recomputed from clause verdicts, baseline drift and restore status."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from contracts.report._causes import root_causes as _root_causes

__all__ = ["EXIT", "drift", "finalize", "live_regressions", "recount", "unwaived_drift"]

COUNT_KEYS = ("pass", "fail", "inconclusive", "error", "skipped", "waived")

#: Exit status of ``sip-contracts`` per run verdict (2, usage error, never comes from a document).
#: A bug in the suite (4) is kept apart from an unreachable target (3): neither is the target's fault.
EXIT = {"pass": 0, "fail": 1, "inconclusive": 3, "error": 4}


def recount(doc: dict[str, Any]) -> dict[str, int]:
    counts = dict.fromkeys(COUNT_KEYS, 0)
    for clause in doc["clauses"]:
        counts[clause["verdict"]] = counts.get(clause["verdict"], 0) + 1
    doc["counts"] = counts
    return counts


def live_regressions(doc: Mapping[str, Any]) -> list[str]:
    """Clause IDs that regressed since the baseline and still fail now (a waiver takes them out)."""
    baseline = doc.get("baseline") or {}
    verdicts = {c["id"]: c["verdict"] for c in doc["clauses"]}
    return [cid for cid in baseline.get("clauses", {}).get("regression", []) if verdicts.get(cid) == "fail"]


def drift(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every changed observation (waived or not), as stored by ``compare_baseline``."""
    baseline = doc.get("baseline") or {}
    changed: list[dict[str, Any]] = baseline.get("observations", {}).get("changed", [])
    return changed


def unwaived_drift(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [d for d in drift(doc) if not d.get("waived")]


def restore_failed(doc: Mapping[str, Any]) -> bool:
    return bool((doc.get("restore") or {}).get("status") == "failed")


def finalize(doc: dict[str, Any]) -> None:
    """Recompute ``counts``, ``verdict`` and ``exit_code``.

    Order: a failing clause, a regression or unwaived drift -> ``fail`` (1); else an erroring clause ->
    ``error`` (4, a bug in the suite); else an inconclusive one -> ``inconclusive`` (3); else ``pass``
    (0). A run in which no clause could be checked at all (none passed, failed or was waived) is
    ``inconclusive`` (3). A failed restore of the profile overrides everything: ``error`` with exit 1,
    because a live project was left modified.
    """
    counts = recount(doc)
    doc["root_causes"] = _root_causes(doc)  # until the document's finishing function calls it
    if counts["fail"] or live_regressions(doc) or unwaived_drift(doc):
        verdict = "fail"
    elif counts["error"]:
        verdict = "error"
    elif counts["inconclusive"] or not (counts["pass"] or counts["waived"]):
        verdict = "inconclusive"
    else:
        verdict = "pass"
    doc["verdict"] = verdict
    doc["exit_code"] = EXIT[verdict]
    if restore_failed(doc):
        doc["verdict"] = "error"
        doc["exit_code"] = 1
