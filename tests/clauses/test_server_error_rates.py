"""SP-PROTO-010 end to end: every 5xx is data. A service that answers 500 to one PUT in eight (its replay
succeeds) fails a quick run against a faithful baseline with one root cause naming the rate, and passes
without a baseline but says so in the verdict line and in every format; faithful against faithful is quiet."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest

from contracts import report
from contracts.engine.config import load_config
from contracts.report._summary import server_error_note
from contracts.runner import execute
from contracts.terminal import result_lines

SEED = 3
MUTANT = "put-500-one-in-eight"


@functools.cache
def _run(tmp: str, mutant: str | None) -> str:
    cfg = load_config(env={}, seed=SEED, report_dir=Path(tmp), example_db="none", mutant=mutant)
    return json.dumps(execute(cfg).doc)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str | None, dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("rates")
    return {m: json.loads(_run(str(tmp / (m or "faithful")), m)) for m in (None, MUTANT)}


def test_a_faithful_run_against_a_faithful_baseline_raises_nothing(runs: dict[str | None, Any]) -> None:
    doc = report.finish(runs[None], baseline=runs[None]).dump()
    assert doc["exit_code"] == 0 and doc["root_causes"] == []
    observed = {o["id"]: o["value"] for o in doc["observations"] if o["clause"] == "SP-PROTO-010"}
    assert set(observed) == {"OBS-PROTO-5XX-GET", "OBS-PROTO-5XX-PUT", "OBS-PROTO-5XX-OTHER"}
    assert all(v["server_errors"] == 0 and v["unavailable"] == 0 for v in observed.values())
    assert observed["OBS-PROTO-5XX-PUT"]["requests"] > 60  # every PUT of the run is counted
    assert "server error" not in result_lines(doc, {}, snapshot=Path("s"))[0][1]


def test_one_put_in_eight_fails_against_the_baseline_with_one_cause_naming_the_rate(
        runs: dict[str | None, Any]) -> None:
    doc = report.finish(runs[MUTANT], baseline=runs[None]).dump()
    assert doc["exit_code"] == 1
    assert not [c["id"] for c in doc["clauses"] if c["verdict"] == "fail"]  # every replay succeeded
    [cause] = doc["root_causes"]
    put = next(o["value"] for o in doc["observations"] if o["id"] == "OBS-PROTO-5XX-PUT")
    assert cause["observations"] == ["OBS-PROTO-5XX-PUT"]
    # one PUT in eight fails, and each failure's replay is a PUT too: about one in nine of all PUTs
    assert re.match(rf"1 in [89] PUTs answers 500 \({put['server_errors']} of {put['requests']}\)",
                    cause["summary"]), cause["summary"]
    assert put["recovered"] == put["server_errors"] > 0


def test_without_a_baseline_it_passes_but_says_so_everywhere(runs: dict[str | None, Any],
                                                               tmp_path: Path) -> None:
    doc = report.finish(runs[MUTANT]).dump()
    assert doc["exit_code"] == 0
    errors = doc["health"]["operations"]["PUT"]["server_errors"]
    assert errors > 0 and doc["health"]["server_errors"][0]["request"]["method"] == "PUT"
    verdict = result_lines(doc, {}, snapshot=tmp_path / "s")[0][1]
    assert verdict.startswith("PASS") and f"{errors} server errors (5xx) seen" in verdict
    paths = report.write_all(doc, tmp_path, history=False)
    for name in ("markdown", "html", "junit"):
        assert f"{errors} server errors (5xx) seen: PUT {errors} of" in paths[name].read_text(), name
    written = json.loads(paths["json"].read_text())
    assert written["health"]["operations"]["PUT"]["server_errors"] == errors


def test_the_health_says_which_server_errors_are_outside_the_rates(runs: dict[str | None, Any]) -> None:
    """The health counts every 5xx, the restore's included; the rate counts the clauses' traffic only: the
    difference is said, so '23 seen' beside '22 of 186' is no puzzle."""
    doc = report.finish(runs[MUTANT]).dump()
    health = doc["health"]
    in_rates = sum(o["value"]["server_errors"] + o["value"]["unavailable"] for o in doc["observations"]
                   if o["clause"] == "SP-PROTO-010")
    seen = sum(o["server_errors"] + o["unavailable"] for o in health["operations"].values())
    assert seen - in_rates == health["outside_clauses"]
    said = "to the restore's own requests (not in the rates)" in server_error_note(doc)
    assert said == (health["outside_clauses"] > 0)
