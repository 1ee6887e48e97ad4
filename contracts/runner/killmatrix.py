"""The kill matrix: the quick suite against every mutant of the embedded mock.

A mutant is *killed* when the run against it does not pass: a documented clause fails, or (for mutants of
undocumented behaviour) an observation drifts from the baseline taken on the faithful mock in the same
matrix run. The per-request timeout is short here (the mock answers in-process in milliseconds), so a
"slow responses" mutant is caught as an unhealthy target (exit 3) within seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from contracts.document import Conformance
from contracts.engine.config import load_config
from contracts.runner._run import execute

__all__ = ["Judge", "kill", "matrix"]

MATRIX_TIMEOUT_S = 1.0


#: Finishes a run's document against an optional baseline (the CLI passes ``contracts.report.finish``:
#: the kill matrix judges drift like any run, but the runner builds no report itself).
Judge = Callable[[Conformance, dict[str, Any] | None], dict[str, Any]]


def _run(mutant: str | None, *, profile: str, seed: int, report_dir: Path,
         baseline: dict[str, Any] | None, judge: Judge) -> dict[str, Any]:
    cfg = load_config(env={}, profile=profile, seed=seed, report_dir=report_dir, mutant=mutant,
                      timeout_s=MATRIX_TIMEOUT_S, example_db="none")
    return judge(execute(cfg).document, baseline)


def kill(doc: dict[str, Any], mutant: str) -> dict[str, Any]:
    """One row of the matrix, from the run's document."""
    failing = [c for c in doc["clauses"] if c["verdict"] == "fail"]
    drift = [o["id"] for o in ((doc.get("baseline") or {}).get("observations", {}).get("changed", []))]
    caught = [c["id"] for c in sorted(failing, key=lambda c: c["first_failure_after"] or 10**9)]
    caught += [f"drift:{d}" for d in drift]
    if not caught and doc["exit_code"] == 3:
        caught = ["inconclusive: " + next((c["reason"] for c in doc["clauses"]
                                           if c["verdict"] == "inconclusive"), "")[:60]]
    firsts = [c["first_failure_after"] for c in failing if c["first_failure_after"]]
    return {
        "mutant": mutant,
        "verdict": "killed" if doc["exit_code"] != 0 else "survived",
        "exit_code": doc["exit_code"],
        "caught_by": caught,
        "requests_to_first_failure": min(firsts) if firsts else None,
        # one planted change should read as one root cause (contracts.report._causes); more is noise
        "causes": len(doc.get("root_causes") or []),
        "requests": doc["requests"]["total"],
        "duration_s": doc["run"]["duration_s"],
    }


def matrix(*, judge: Judge, profile: str = "quick", seed: int = 1, report_dir: Path,
           only: list[str] | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The faithful run's document and one row per mutant (the caller prints and writes them)."""
    from contracts.mock import MUTANTS

    faithful = _run(None, profile=profile, seed=seed, report_dir=report_dir / "faithful", baseline=None,
                    judge=judge)
    rows = []
    for name in sorted(MUTANTS):
        if only and name not in only:
            continue
        doc = _run(name, profile=profile, seed=seed, report_dir=report_dir / "mutant", baseline=faithful,
                   judge=judge)
        rows.append(kill(doc, name))
    return faithful, rows
