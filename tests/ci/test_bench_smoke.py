"""benches.bench: a fast smoke run (one run, one mutant) and its parsing and PASS/MISS logic. Not timed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benches.bench import Measurement, Row, goals, main, parse_args, parse_st_failures

ST_OUTPUT = """
=================================== FAILURES ===================================
_______________________ PUT /api/relay/rest/sip_profile ________________________
1. Test Case ID: CrCwly

- ST103 Undocumented status code

    Received: 415
    Documented: 201, 401, 422, 500

[415] Unsupported Media Type:

    `{"error":"Unsupported Media Type"}`

2. Test Case ID: a6XojX

- ST101 Server error
- ST103 Undocumented status code

[500] Internal Server Error:
_______________________ GET /api/relay/rest/sip_profile ________________________
1. Test Case ID: Zz0000

- ST108 Response violates schema

[200] OK:
=================================== SUMMARY ====================================
"""


def test_parse_st_failures() -> None:
    put, get = "PUT /api/relay/rest/sip_profile", "GET /api/relay/rest/sip_profile"
    assert parse_st_failures(ST_OUTPUT) == sorted([
        (put, "ST103", "415"), (put, "ST101", "500"), (put, "ST103", "500"), (get, "ST108", "200")])
    assert parse_st_failures("No issues found") == []


def _row(tool: str, target: str, wall: float, requests: int) -> Row:
    return Row(tool, target, [Measurement(wall, requests, 0)])


def _kills(killed: int, total: int) -> dict[str, int]:
    return {"killed": killed, "mutants": total}


def test_goals_pass_and_miss() -> None:
    rows = [_row("sip-contracts quick", "inproc", 3.0, 180),
            _row("sip-contracts quick", "latency", 40.0, 180),
            _row("st default", "http", 2.0, 200)]
    good = goals(rows, {"sip-contracts quick": _kills(43, 43), "st default": _kills(5, 43)})
    assert [g["result"] for g in good] == ["PASS", "PASS", "PASS"]
    rows[0] = _row("sip-contracts quick", "inproc", 20.0, 250)
    bad = goals(rows, {"sip-contracts quick": _kills(41, 43), "st default": _kills(5, 43)})
    assert [g["result"] for g in bad] == ["MISS", "MISS", "PASS"]
    assert goals([], {})[0]["result"] == "not measured"


def test_bad_flags_are_usage_errors() -> None:
    with pytest.raises(SystemExit) as info:
        parse_args(["--targets", "moon"])
    assert info.value.code == 2
    assert parse_args(["--no-deep", "--mutants", "stale-get"]).mutants == ["stale-get"]


@pytest.mark.http
@pytest.mark.slow
def test_smoke(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    assert main(["--runs", "1", "--no-deep", "--targets", "http", "--mutants", "get-text-plain",
                 "--out", str(out)]) == 0
    doc = json.loads(out.read_text())
    rows = {(r["tool"], r["target"]): r for r in doc["rows"]}
    assert set(rows) == {("sip-contracts quick", "http"), ("st default", "http"), ("st -n 50", "http")}
    for row in rows.values():
        assert row["runs"] == 1 and row["requests_median"] > 0 and row["wall_s_median"] > 0
    assert rows[("sip-contracts quick", "http")]["exit_codes"] == [0]
    assert doc["kills"]["sip-contracts quick"]["rows"]["get-text-plain"]["verdict"] == "killed"
    assert doc["kills"]["st default"]["mutants"] == 1
    assert rows[("st default", "http")]["killed"] == doc["kills"]["st default"]["killed"]
    assert {g["result"] for g in doc["targets"]} <= {"PASS", "MISS", "not measured"}
