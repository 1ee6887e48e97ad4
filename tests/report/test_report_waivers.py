from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from contracts.report import ReportError, Waiver, apply_waivers, compare_baseline, finish, load_waivers

from . import _factory as F
from .conftest import TODAY

KNOWN = F.ids(F.doc()) | {"OBS-CODEC-CASE"}


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "waivers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _error(tmp_path: Path, text: str) -> str:
    with pytest.raises(ReportError) as info:
        load_waivers(_file(tmp_path, text), KNOWN)
    assert "\n" not in str(info.value)
    return str(info.value)


def test_load_a_waiver_file(tmp_path: Path) -> None:
    waivers = load_waivers(_file(tmp_path, """
waivers:
  - id: SP-PROTO-002            # a clause
    reason: "staging answers 200, ticket SW-1234"
    expires: 2027-01-31
  - id: OBS-CODEC-CASE
    reason: accepted drift, SW-99
    expires: "2026-12-01"
"""), KNOWN)
    assert waivers == [
        Waiver("SP-PROTO-002", "staging answers 200, ticket SW-1234", dt.date(2027, 1, 31)),
        Waiver("OBS-CODEC-CASE", "accepted drift, SW-99", dt.date(2026, 12, 1)),
    ]


def test_empty_file_and_empty_list_mean_no_waivers(tmp_path: Path) -> None:
    assert load_waivers(_file(tmp_path, ""), KNOWN) == []
    assert load_waivers(_file(tmp_path, "waivers: []\n"), KNOWN) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("waivers:\n  - {id: SP-NOPE-001, reason: x, expires: 2027-01-31}", "SP-NOPE-001: unknown clause"),
    ("waivers:\n  - {id: SP-PROTO-002, expires: 2027-01-31}", "missing 'reason'"),
    ("waivers:\n  - {id: SP-PROTO-002, reason: '  ', expires: 2027-01-31}", "missing 'reason'"),
    ("waivers:\n  - {id: SP-PROTO-002, reason: x}", "missing 'expires'"),
    ("waivers:\n  - {id: SP-PROTO-002, reason: x, expires: 2027-02-30}", "'2027-02-30' is not a valid date"),
    ("waivers:\n  - {id: SP-PROTO-002, reason: x, expires: next week}", "'next week' is not a valid date"),
    ("waivers:\n  - {id: SP-PROTO-002, reason: x, expiry: 2027-01-01}", "unknown key 'expiry'"),
    ("waivers:\n  - {reason: x, expires: 2027-01-01}", "waiver #1: missing 'id'"),
    ("waivers:\n  - SP-PROTO-002", "waiver #1: expected a mapping"),
    ("- id: SP-PROTO-002", "expected a top-level 'waivers:' list"),
    ("waivers: {id: SP-PROTO-002}", "expected a top-level 'waivers:' list"),
    ("waivers: [\n  - {", "not valid YAML"),
    ("waivers:\n  - {id: SP-PROTO-002, reason: x, expires: 2027-01-01}\n"
     "  - {id: SP-PROTO-002, reason: y, expires: 2027-01-01}", "SP-PROTO-002 appears more than once"),
])
def test_bad_waiver_files(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in _error(tmp_path, text)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="waiver file not found"):
        load_waivers(tmp_path / "nope.yaml", KNOWN)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="cannot be read"):
        load_waivers(tmp_path, KNOWN)  # a directory


def test_a_live_waiver_waives_a_failing_clause_and_keeps_its_failures() -> None:
    d = F.failing()
    apply_waivers(d, [Waiver("SP-PROTO-002", "SW-1234", dt.date(2027, 1, 31))], TODAY)
    clause = next(c for c in d["clauses"] if c["id"] == "SP-PROTO-002")
    assert clause["verdict"] == "waived"
    assert clause["waiver"] == {"reason": "SW-1234", "expires": "2027-01-31"}
    assert len(clause["failures"]) == 2
    assert d["waivers"]["applied"] == [{"id": "SP-PROTO-002", "reason": "SW-1234", "expires": "2027-01-31"}]
    assert d["counts"]["waived"] == 1 and d["counts"]["fail"] == 1


def test_a_waiver_is_live_on_its_expiry_day() -> None:
    d = F.failing()
    apply_waivers(d, [Waiver("SP-PROTO-002", "r", TODAY)], TODAY)
    assert d["counts"]["waived"] == 1


def test_an_expired_waiver_no_longer_applies_and_is_listed() -> None:
    d = F.failing()
    apply_waivers(d, [Waiver("SP-PROTO-002", "r", TODAY - dt.timedelta(days=1))], TODAY)
    assert next(c for c in d["clauses"] if c["id"] == "SP-PROTO-002")["verdict"] == "fail"
    assert d["waivers"]["expired"] == [{"id": "SP-PROTO-002", "reason": "r", "expires": "2025-03-03"}]
    assert d["waivers"]["applied"] == []
    d = finish(d).dump()
    assert d["exit_code"] == 1


def test_a_waiver_for_a_passing_clause_is_unused() -> None:
    d = F.passing()
    apply_waivers(d, [Waiver("SP-PROTO-002", "r", dt.date(2027, 1, 1))], TODAY)
    assert d["counts"]["waived"] == 0
    assert [w["id"] for w in d["waivers"]["unused"]] == ["SP-PROTO-002"]


def test_waiving_every_failure_makes_the_run_pass() -> None:
    d = F.failing()
    apply_waivers(d, [Waiver("SP-PROTO-002", "r", dt.date(2027, 1, 1)),
                      Waiver("SP-CODEC-003", "r", dt.date(2027, 1, 1))], TODAY)
    d = finish(d).dump()
    assert (d["verdict"], d["exit_code"]) == ("pass", 0)


def test_a_waiver_covers_drift_of_an_observation() -> None:
    now, base = F.baseline_pair()
    compare_baseline(now, base)
    apply_waivers(now, [Waiver("OBS-CODEC-CASE", "accepted, SW-9", dt.date(2027, 1, 1))], TODAY)
    [changed] = now["baseline"]["observations"]["changed"]
    assert changed["waived"] is True
    assert changed["waiver"] == {"reason": "accepted, SW-9", "expires": "2027-01-01"}
    assert [w["id"] for w in now["waivers"]["applied"]] == ["OBS-CODEC-CASE"]


def test_a_waived_regression_does_not_fail_the_run() -> None:
    now = F.doc(verdicts={"SP-CODEC-003": "fail"}, observations=[])
    compare_baseline(now, F.doc(observations=[]))
    apply_waivers(now, [Waiver("SP-CODEC-003", "r", dt.date(2027, 1, 1))], TODAY)
    now = finish(now).dump()
    assert (now["verdict"], now["exit_code"]) == ("pass", 0)
