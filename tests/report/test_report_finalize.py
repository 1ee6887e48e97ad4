from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from contracts.report import Waiver, apply_waivers, compare_baseline, finalize

from . import _factory as F
from .conftest import TODAY


def _final(d: dict[str, Any]) -> tuple[str, int]:
    finalize(d)
    return d["verdict"], d["exit_code"]


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


def test_counts_are_recomputed() -> None:
    d = F.doc(verdicts={"SP-CODEC-003": "fail", "SP-AUTH-004": "skipped"})
    d["counts"] = {"pass": 999}
    finalize(d)
    assert d["counts"] == {
        "pass": len(d["clauses"]) - 2, "fail": 1, "inconclusive": 0, "error": 0, "skipped": 1, "waived": 0,
    }


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
    compare_baseline(now, before)
    assert _final(now) == ("fail", 1)


def test_waived_drift_does_not_fail() -> None:
    before = F.doc(observations=[F.observation("OBS-A", {"a": 1})])
    now = F.doc(observations=[F.observation("OBS-A", {"a": 2})])
    compare_baseline(now, before)
    apply_waivers(now, [Waiver("OBS-A", "r", dt.date(2027, 1, 1))], TODAY)
    assert _final(now) == ("pass", 0)


def test_new_and_gone_observations_are_not_drift() -> None:
    before = F.doc(observations=[F.observation("OBS-GONE")])
    now = F.doc(observations=[F.observation("OBS-NEW")])
    compare_baseline(now, before)
    assert _final(now) == ("pass", 0)


def test_regression_fails(regression_doc: dict[str, Any]) -> None:
    assert (regression_doc["verdict"], regression_doc["exit_code"]) == ("fail", 1)


@pytest.mark.parametrize("verdicts", [{}, {"SP-CODEC-003": "fail"}, {"SP-ENC-002": "inconclusive"}])
def test_a_failed_restore_is_an_error_with_exit_1(verdicts: dict[str, str]) -> None:
    assert _final(F.doc(verdicts=verdicts, restore="failed")) == ("error", 1)


def test_finalize_is_idempotent(regression_doc: dict[str, Any]) -> None:
    before = (regression_doc["verdict"], regression_doc["exit_code"], dict(regression_doc["counts"]))
    finalize(regression_doc)
    assert (regression_doc["verdict"], regression_doc["exit_code"], regression_doc["counts"]) == before
