"""The kill matrix: every row says how many root causes the run against its mutant gave."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from contracts import report
from contracts.runner.killmatrix import kill, matrix


def _judge(document: Any, baseline: dict[str, Any] | None) -> dict[str, Any]:
    return report.finish(document, baseline=baseline).dump()


def test_a_row_counts_the_root_causes() -> None:
    doc = {"clauses": [{"id": "SP-X-001", "verdict": "fail", "first_failure_after": 4}], "baseline": None,
           "exit_code": 1, "requests": {"total": 9}, "run": {"duration_s": 0.1},
           "root_causes": [{"id": "RC1"}, {"id": "RC2"}]}
    row = kill(doc, "m")
    assert (row["causes"], row["caught_by"], row["verdict"]) == (2, ["SP-X-001"], "killed")


def test_one_planted_change_is_one_cause_in_the_matrix(tmp_path: Path) -> None:
    faithful, rows = matrix(judge=_judge, report_dir=tmp_path, only=["sendas-stored-with-space",
                                                                     "put-500-one-in-eight"])
    assert faithful["exit_code"] == 0
    assert {r["mutant"]: (r["verdict"], r["causes"]) for r in rows} == {
        "put-500-one-in-eight": ("killed", 1), "sendas-stored-with-space": ("killed", 1)}
