"""The conformance suite as pytest items: one test per clause of the catalogue.

`pytest tests/contract` runs the same engine as `sip-contracts run`, against the target the SIGNALWIRE_*
variables name (or the embedded mock when none is set), and fails the items whose clause failed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from contracts.catalogue import CATALOGUE
from contracts.engine.config import load_config
from contracts.runner import execute


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    seed = int(os.environ.get("SIP_CONTRACTS_SEED", "1"))
    report_dir = Path(os.environ.get("SIP_CONTRACTS_REPORT_DIR", tmp_path_factory.mktemp("reports")))
    cfg = load_config(seed=seed, report_dir=report_dir,
                      profile=os.environ.get("SIP_CONTRACTS_PROFILE", "quick"))
    doc = execute(cfg).doc
    return {row["id"]: row for row in doc["clauses"]}


@pytest.mark.parametrize("clause_id", [c.id for c in CATALOGUE])
def test_clause(outcome: dict[str, Any], clause_id: str) -> None:
    row = outcome[clause_id]
    if row["verdict"] == "skipped":
        pytest.skip(row["reason"])
    if row["verdict"] == "inconclusive":
        pytest.skip(f"inconclusive: {row['reason']}")
    failures = "\n".join(f"- {f['message']}\n  expected: {f['expected']}\n  actual: {f['actual']}\n"
                         f"  reproduce: {f.get('reproducer', '')}" for f in row["failures"])
    assert row["verdict"] == "pass", f"{clause_id} {row['verdict']}: {row['reason']}\n{failures}"
