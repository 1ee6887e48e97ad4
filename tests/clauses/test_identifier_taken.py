"""An identifier another project holds is answered 422 by a correct service ("must be unique"): the suite
tries fresh ones and says so, never failing a clause for it; a service that refuses every one still fails."""

from __future__ import annotations

from pathlib import Path

from contracts.engine.config import load_config
from contracts.mock import MockConfig, MockSpace
from contracts.runner import Run


def _run_id_001(share: float, tmp_path: Path) -> tuple[str, str, list[tuple[str, str, int]]]:
    space = MockSpace(MockConfig(taken_by_others=share))
    cfg = load_config(env={}, seed=1, report_dir=tmp_path, example_db="none")
    with Run(cfg, transport=space.transport()) as run:
        result = run.run(next(c for c in run.clauses if c.id == "SP-ID-001"))
    return result.verdict, result.reason, space.request_log


def test_identifiers_taken_by_others_are_retried_and_noted(tmp_path: Path) -> None:
    verdict, reason, log = _run_id_001(0.2, tmp_path)
    assert verdict == "pass", reason
    assert "taken by another project?" in reason
    refused = [entry for entry in log if entry[0] == "PUT" and entry[2] == 422]
    assert refused, "with a fifth of the identifiers taken some PUT must have met one"


def test_a_service_that_refuses_every_identifier_still_fails(tmp_path: Path) -> None:
    verdict, reason, _ = _run_id_001(0.9999, tmp_path)
    assert verdict == "fail"
    assert "answered 422" in reason
