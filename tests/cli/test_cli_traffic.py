"""``sip-contracts check-traffic``: exit codes 0/1/2/3, the four reports, and no token in any output."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.traffic import _har as H

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SIGNALWIRE_", "SIP_CONTRACTS_"))}
    return subprocess.run([sys.executable, "-m", "contracts", "check-traffic", *args], capture_output=True,
                          text=True, timeout=120, env=env, cwd=cwd or ROOT)


def test_the_examples_pass_and_the_four_reports_are_written(tmp_path: Path) -> None:
    examples = ("examples/traffic/sdk-mock.har", "examples/traffic/sdk-mock.yaml")
    proc = _run(*examples, "--report-dir", str(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("traffic: 14 of 14 exchanges judged in 2 file(s)")
    written = {p.name for p in tmp_path.iterdir()}
    assert {"conformance.json", "junit.xml", "summary.md", "report.html"} <= written
    doc = json.loads((tmp_path / "conformance.json").read_text())
    assert doc["verdict"] == "pass" and doc["requests"]["total"] == 0


@pytest.mark.parametrize("text,problem", [
    ('{"log": {"entries": [{"request": {"method": "GET"}}]}}', "log.entries.0.request.url: Field required"),
    ("{not json", "neither JSON nor YAML"),
    ("[]", "neither a HAR 1.2 file"),
])
def test_a_malformed_file_exits_2_in_one_line_naming_file_and_problem(tmp_path: Path, text: str,
                                                                      problem: str) -> None:
    good = H.write(tmp_path / "good.har", H.entry("GET", 200, H.profile()))
    bad = tmp_path / "bad.har"
    bad.write_text(text)
    proc = _run(str(good), str(bad), "--report-dir", str(tmp_path / "r"))
    assert proc.returncode == 2 and proc.stdout == ""
    [line] = proc.stderr.splitlines()
    assert line.startswith(f"sip-contracts: error: {bad}: ") and problem in line


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    proc = _run(str(tmp_path / "nope.har"), "--report-dir", str(tmp_path))
    assert proc.returncode == 2 and proc.stderr.strip().endswith("nope.har: no such file")


def test_no_exchange_of_the_endpoint_exits_3(tmp_path: Path) -> None:
    other = H.write(tmp_path / "other.har", H.entry("GET", 200, "{}", url="https://example.signalwire.com/api/x"))
    proc = _run(str(other), "--report-dir", str(tmp_path / "r"))
    assert proc.returncode == 3 and "no exchange of /api/relay/rest/sip_profile was found" in proc.stdout


def test_a_violation_exits_1_and_names_its_entry(tmp_path: Path) -> None:
    path = H.write(tmp_path / "app.har", H.entry("GET", 200, H.profile()),
                   H.entry("PUT", 200, H.profile(default_encryption="required"),
                           sent={"default_encryption": "required"}))
    proc = _run(str(path), "--report-dir", str(tmp_path / "r"))
    assert proc.returncode == 1
    assert f"{path}#1 PUT /api/relay/rest/sip_profile 200 violation" in proc.stderr
    assert f"RC1: PUT answers 200 instead of 201 (first at {path}#1)" in proc.stdout


def test_a_real_looking_token_is_in_no_output_and_no_file(tmp_path: Path) -> None:
    cookie = ("Cookie", "session=" + H.TOKEN)
    path = H.write(tmp_path / "leak.har",
                   H.entry("GET", 200, H.profile(), extra_headers=(cookie, ("X-Api-Key", H.TOKEN))),
                   H.entry("PUT", 201, json.dumps({**H.profile(), "echo": H.TOKEN}),
                           sent={"default_codecs": ["G729"]}),
                   H.entry("GET", 401, H.UNAUTHORIZED, url=H.URL + "?api_token=" + H.TOKEN))
    reports = tmp_path / "reports"
    proc = _run(str(path), "--report-dir", str(reports))
    assert proc.returncode == 1  # the G729 answer is a finding, so every failure detail is written out
    needles = (H.TOKEN, H.basic().split()[1])
    for text in [proc.stdout, proc.stderr, *(p.read_text(errors="replace") for p in reports.rglob("*"))]:
        assert not any(needle in text for needle in needles)
    assert base64.b64decode(H.basic().split()[1]).decode().endswith(H.TOKEN)  # the needle is the real one
