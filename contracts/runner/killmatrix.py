"""The kill matrix: the quick suite against every mutant of the embedded mock.

A mutant is *killed* when the run against it does not pass: a documented clause fails, or (for mutants of
undocumented behaviour) an observation drifts from the baseline taken on the faithful mock in the same
matrix run. The per-request timeout is short here (the mock answers in-process in milliseconds), so a
"slow responses" mutant is caught as an unhealthy target (exit 3) within seconds.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from contracts.engine.config import load_config
from contracts.runner import execute

__all__ = ["kill", "run_matrix", "show_list"]

MATRIX_TIMEOUT_S = 1.0


def _run(mutant: str | None, *, profile: str, seed: int, report_dir: Path,
         baseline: dict[str, Any] | None) -> dict[str, Any]:
    from contracts import report

    cfg = load_config(env={}, profile=profile, seed=seed, report_dir=report_dir, mutant=mutant,
                      timeout_s=MATRIX_TIMEOUT_S, example_db="none")
    return report.finish(execute(cfg).document, baseline=baseline).dump()


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
        "requests": doc["requests"]["total"],
        "duration_s": doc["run"]["duration_s"],
    }


def matrix(*, profile: str = "quick", seed: int = 1, report_dir: Path,
           only: list[str] | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    from contracts.mock import MUTANTS

    faithful = _run(None, profile=profile, seed=seed, report_dir=report_dir / "faithful", baseline=None)
    rows = []
    for name in sorted(MUTANTS):
        if only and name not in only:
            continue
        doc = _run(name, profile=profile, seed=seed, report_dir=report_dir / "mutant", baseline=faithful)
        rows.append(kill(doc, name))
    return faithful, rows


def run_matrix(*, profile: str, seed: int, report_dir: Path, only: list[str] | None) -> int:
    from contracts import report

    faithful, rows = matrix(profile=profile, seed=seed, report_dir=report_dir / "killmatrix", only=only)
    console = Console(file=sys.stdout, width=160)
    table = Table(title=f"Kill matrix ({profile}, seed {seed}); faithful mock: {faithful['verdict']}")
    for col in ("mutant", "verdict", "caught by", "req. to 1st failure", "requests", "s"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["mutant"], r["verdict"], ", ".join(r["caught_by"][:3]),
                      str(r["requests_to_first_failure"] or "-"), str(r["requests"]),
                      f"{r['duration_s']:.1f}")
    console.print(table)
    killed = sum(r["verdict"] == "killed" for r in rows)
    console.print(f"{killed}/{len(rows)} mutants killed")
    faithful["mutants"] = rows
    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / "killmatrix.json").write_text(json.dumps(rows, indent=2))
    report.write_all(faithful, report_dir / "killmatrix", history=False)
    ok = killed == len(rows) and faithful["exit_code"] == 0
    return 0 if ok else 1


def show_list() -> int:
    from contracts.mock import MUTANTS

    console = Console(width=160)
    table = Table(title=f"{len(MUTANTS)} mutants")
    for col in ("name", "area", "description", "expected to be caught by"):
        table.add_column(col, overflow="fold")
    for name, m in sorted(MUTANTS.items()):
        table.add_row(name, m.area, m.description, ", ".join(m.catches))
    console.print(table)
    return 0
