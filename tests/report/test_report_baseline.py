from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from contracts.report import ReportError, compare_baseline, load_conformance

from . import _factory as F


@pytest.fixture
def result() -> dict[str, Any]:
    now, base = F.baseline_pair()
    return compare_baseline(now, base, path="prev/conformance.json")


def test_result_is_stored_in_the_document() -> None:
    now, base = F.baseline_pair()
    result = compare_baseline(now, base, path=Path("prev/conformance.json"))
    assert now["baseline"] is result
    assert result["path"] == "prev/conformance.json"
    assert result["baseline_started_at"] == "2025-03-03T02:00:00Z"
    assert result["baseline_target"] == "127.0.0.1:8080"


def test_clause_classification(result: dict[str, Any]) -> None:
    clauses = result["clauses"]
    assert set(clauses["regression"]) == {"SP-CODEC-003", "SP-CIPHER-003", "SP-NEW-001"}
    assert clauses["still-failing"] == ["SP-PROTO-002"]
    assert clauses["fixed"] == ["SP-ENC-001"]
    assert "SP-NEW-002" in clauses["unchanged"] and "SP-AUTH-001" in clauses["unchanged"]
    assert set(clauses["new"]) == {"SP-NEW-001", "SP-NEW-002"}
    assert clauses["gone"] == ["SP-ID-004"]


def test_every_current_clause_is_in_exactly_one_bucket(result: dict[str, Any]) -> None:
    now, _ = F.baseline_pair()
    buckets = [result["clauses"][k] for k in ("regression", "fixed", "still-failing", "unchanged")]
    flat = [cid for bucket in buckets for cid in bucket]
    assert sorted(flat) == sorted(c["id"] for c in now["clauses"])


@pytest.mark.parametrize(("before", "now", "bucket"), [
    ("pass", "fail", "regression"),
    ("waived", "fail", "regression"),
    ("skipped", "fail", "regression"),
    ("inconclusive", "fail", "regression"),
    ("fail", "fail", "still-failing"),
    ("fail", "pass", "fixed"),
    ("fail", "waived", "unchanged"),
    ("fail", "skipped", "unchanged"),
    ("pass", "pass", "unchanged"),
    ("pass", "error", "unchanged"),
])
def test_transition(before: str, now: str, bucket: str) -> None:
    result = compare_baseline(F.doc(verdicts={"SP-ENC-002": now}), F.doc(verdicts={"SP-ENC-002": before}))
    assert "SP-ENC-002" in result["clauses"][bucket]


def test_observation_classification(result: dict[str, Any]) -> None:
    obs = result["observations"]
    assert obs["unchanged"] == ["OBS-CODEC-ORDER"]
    assert obs["new"] == ["OBS-NEW"]
    assert obs["gone"] == ["OBS-GONE"]
    [changed] = obs["changed"]
    assert changed["id"] == "OBS-CODEC-CASE"
    assert changed["before"] == {"status": 422, "value": {"accepted": False}, "summary": "'opus' rejected"}
    assert changed["after"] == {"status": 201, "value": {"accepted": True}, "summary": "'opus' accepted"}
    assert changed["waived"] is False


def test_observations_compare_by_canonical_json_not_summary_or_key_order() -> None:
    before = F.doc(observations=[F.observation("OBS-A", {"a": 1, "b": [1, 2]}, summary="one wording")])
    now = F.doc(observations=[F.observation("OBS-A", {"b": [1, 2], "a": 1}, summary="other wording")])
    assert compare_baseline(now, before)["observations"]["unchanged"] == ["OBS-A"]


def test_a_status_change_alone_is_drift() -> None:
    before = F.doc(observations=[F.observation("OBS-A", {"a": 1}, status=422)])
    now = F.doc(observations=[F.observation("OBS-A", {"a": 1}, status=400)])
    assert [c["id"] for c in compare_baseline(now, before)["observations"]["changed"]] == ["OBS-A"]


def test_list_order_in_a_value_is_drift() -> None:
    before = F.doc(observations=[F.observation("OBS-A", {"order": ["OPUS", "PCMU"]})])
    now = F.doc(observations=[F.observation("OBS-A", {"order": ["PCMU", "OPUS"]})])
    assert len(compare_baseline(now, before)["observations"]["changed"]) == 1


def test_no_warning_for_the_same_target_and_spec(result: dict[str, Any]) -> None:
    assert result["warnings"] == []


def test_warnings_for_another_host_spec_or_profile() -> None:
    now = F.doc(host="staging.signalwire.com", spec_sha256="cd" * 32, profile="deep")
    warnings = compare_baseline(now, F.doc())["warnings"]
    assert len(warnings) == 3
    assert "127.0.0.1:8080" in warnings[0] and "staging.signalwire.com" in warnings[0]
    assert "abababababab -> cdcdcdcdcdcd" in warnings[1]
    assert "'quick'" in warnings[2]


@pytest.mark.parametrize(("content", "expected"), [
    (None, "file not found"),
    ("{\"schema_version\": ", "not valid JSON"),
    (json.dumps({**F.passing(), "schema_version": "0"}), "schema_version '0' is not supported"),
    (json.dumps({"schema_version": "1", "suite": {}}), "missing key"),
])
def test_unusable_baseline_is_a_one_line_report_error(
        tmp_path: Path, content: str | None, expected: str) -> None:
    path = tmp_path / "baseline.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ReportError) as info:
        load_conformance(path)
    assert expected in str(info.value)
    assert "\n" not in str(info.value)


def test_a_key_only_one_suite_asks_about_is_new_not_a_change() -> None:
    """A newer suite adds a probe to an observed point (case-mixed beside case-lower): the first night
    after an upgrade is no drift; a change of a key both runs asked about still is."""
    from contracts.report._baseline import _drifted

    old = {"status": 201, "value": {"case-lower": "rejected"}}
    assert not _drifted(old, {"status": 201, "value": {"case-lower": "rejected", "case-mixed": "accepted"}})
    assert _drifted(old, {"status": 201, "value": {"case-lower": "accepted", "case-mixed": "accepted"}})
    assert _drifted({"status": 200, "value": {"allow": "GET,PUT"}}, {"status": 200, "value": {"allow": None}})
    assert _drifted({"status": 200, "value": {"a": 1}}, {"status": 200, "value": {"b": 1}})
