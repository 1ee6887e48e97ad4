from __future__ import annotations

import datetime as dt
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from contracts.document import Conformance
from contracts.report import ReportError, Waiver, apply_waivers, compare_baseline, finish
from contracts.report._verdict import finalize

from . import _factory as F
from .conftest import TODAY


def _final(d: dict[str, Any]) -> tuple[str, int]:
    done = finish(d, today=TODAY)
    return done.verdict, int(done.exit_code)


@pytest.mark.parametrize(("verdicts", "expected"), [
    ({}, ("pass", 0)),
    ({"SP-AUTH-004": "skipped", "SP-ENC-002": "waived"}, ("pass", 0)),
    ({"SP-CODEC-003": "fail"}, ("fail", 1)),
    ({"SP-CODEC-003": "fail", "SP-ENC-002": "inconclusive", "SP-ENC-001": "error"}, ("fail", 1)),
    ({"SP-ENC-002": "inconclusive"}, ("inconclusive", 3)),
    ({"SP-ENC-002": "error"}, ("error", 4)),
    ({"SP-ENC-002": "error", "SP-ENC-001": "inconclusive"}, ("error", 4)),
])
def test_exit_codes_from_clause_verdicts(verdicts: dict[str, str], expected: tuple[str, int]) -> None:
    assert _final(F.doc(verdicts=verdicts)) == expected


def test_counts_verdict_and_exit_code_are_recomputed() -> None:
    d = F.doc(verdicts={"SP-CODEC-003": "fail", "SP-AUTH-004": "skipped"})
    d["counts"], d["verdict"], d["exit_code"] = {"pass": 999}, "pass", 0
    done = finish(d, today=TODAY)
    assert done.counts == {
        "pass": len(d["clauses"]) - 2, "fail": 1, "inconclusive": 0, "error": 0, "skipped": 1, "waived": 0,
    }
    assert (done.verdict, done.exit_code) == ("fail", 1)


def test_nothing_checked_is_inconclusive() -> None:
    d = F.doc()
    for c in d["clauses"]:
        c["verdict"] = "skipped"
    assert _final(d) == ("inconclusive", 3)
    d["clauses"] = []
    assert _final(d) == ("inconclusive", 3)


def test_unwaived_drift_fails_a_run_whose_clauses_all_pass() -> None:
    before = F.doc(observations=[F.observation("OBS-A", {"a": 1})])
    now = F.doc(observations=[F.observation("OBS-A", {"a": 2})])
    done = finish(now, baseline=before, today=TODAY)
    assert (done.verdict, done.exit_code) == ("fail", 1)
    assert done.baseline is not None and [d.id for d in done.baseline.observations.changed] == ["OBS-A"]


def test_waived_drift_does_not_fail() -> None:
    before = F.doc(observations=[F.observation("OBS-A", {"a": 1})])
    now = F.doc(observations=[F.observation("OBS-A", {"a": 2})])
    done = finish(now, baseline=before, waivers=[Waiver("OBS-A", "r", dt.date(2027, 1, 1))], today=TODAY)
    assert (done.verdict, done.exit_code) == ("pass", 0)
    assert [w.id for w in done.waivers.applied] == ["OBS-A"]


def test_an_expired_waiver_waives_nothing() -> None:
    d = F.doc(verdicts={"SP-CODEC-003": "fail"})
    done = finish(d, waivers=[Waiver("SP-CODEC-003", "r", TODAY - dt.timedelta(days=1))], today=TODAY)
    assert (done.verdict, [w.id for w in done.waivers.expired]) == ("fail", ["SP-CODEC-003"])


def test_new_and_gone_observations_are_not_drift() -> None:
    before = F.doc(observations=[F.observation("OBS-GONE")])
    now = F.doc(observations=[F.observation("OBS-NEW")])
    assert finish(now, baseline=before, today=TODAY).verdict == "pass"


def test_regression_fails(regression_doc: dict[str, Any]) -> None:
    assert (regression_doc["verdict"], regression_doc["exit_code"]) == ("fail", 1)


@pytest.mark.parametrize("verdicts", [{}, {"SP-CODEC-003": "fail"}, {"SP-ENC-002": "inconclusive"}])
def test_a_failed_restore_is_an_error_with_exit_1(verdicts: dict[str, str]) -> None:
    assert _final(F.doc(verdicts=verdicts, restore="failed")) == ("error", 1)


def test_finish_is_idempotent(regression_doc: dict[str, Any]) -> None:
    again = finish(regression_doc, today=TODAY)
    assert (again.verdict, again.exit_code, again.counts) == (
        regression_doc["verdict"], regression_doc["exit_code"], regression_doc["counts"])


def test_finish_is_the_steps_in_order() -> None:
    """finish == compare_baseline, apply_waivers, finalize (what the CLI did by hand before)."""
    now, base = F.baseline_pair()
    waivers = [Waiver("SP-PROTO-002", "SW-1", dt.date(2027, 1, 1))]
    done = finish(now, baseline=base, baseline_path="prev/conformance.json", waivers=waivers, today=TODAY)
    by_hand = F.baseline_pair()[0]
    compare_baseline(by_hand, base, path="prev/conformance.json")
    apply_waivers(by_hand, waivers, TODAY)
    finalize(by_hand)
    assert done.dump() == Conformance.model_validate(by_hand).dump()
    assert done.baseline is not None and done.baseline.path == "prev/conformance.json"


def test_finish_rejects_a_malformed_document_or_baseline() -> None:
    d = F.passing()
    d["clauses"][0]["verdict"] = "maybe"
    with pytest.raises(ReportError, match=r"^run result: invalid at clauses\[0\]\.verdict"):
        finish(d)
    with pytest.raises(ReportError, match=r"^baseline: invalid at clauses\[0\]\.verdict"):
        finish(F.passing(), baseline=d)


def test_finish_groups_root_causes_with_the_hook_if_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def root_causes(doc: dict[str, Any]) -> list[dict[str, Any]]:
        seen.append(doc["verdict"])
        return [{"id": "RC1", "summary": "PUT answers 201 instead of 422", "clauses": ["SP-CODEC-003"],
                 "observations": []}]

    hook = types.ModuleType("contracts.report._causes")
    hook.root_causes = root_causes  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "contracts.report._causes", hook)
    done = finish(F.doc(verdicts={"SP-CODEC-003": "fail"}), today=TODAY)
    assert seen and [(c.id, c.clauses) for c in done.root_causes] == [("RC1", ["SP-CODEC-003"])]
    assert done.dump()["root_causes"][0]["summary"] == "PUT answers 201 instead of 422"


def test_finish_works_without_the_root_cause_hook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "contracts.report._causes", None)  # import fails: not installed
    done = finish(F.doc(verdicts={"SP-CODEC-003": "fail"}), today=TODAY)
    assert done.verdict == "fail" and "root_causes" not in done.dump()


def test_the_runner_hands_over_a_judged_document_not_a_placeholder(tmp_path: Path) -> None:
    from contracts.engine.config import load_config
    from contracts.runner import execute

    cfg = load_config(env={}, seed=1, report_dir=tmp_path, mutant="codec-accepts-g729", example_db="none")
    doc = execute(cfg).document
    assert (doc.verdict, doc.exit_code, doc.counts["fail"] > 0) == ("fail", 1, True)
    assert finish(doc).verdict == "fail"
