"""``pytest --sip-contracts`` in an empty folder outside the repository, against the embedded mock.

Each case is a real pytest process (the plugin is loaded through its ``pytest11`` entry point, as a user
gets it), with no SIGNALWIRE_* in its environment.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from contracts.catalogue import CATALOGUE

REPO = Path(__file__).resolve().parents[2]
FORMATS = ("conformance.json", "junit.xml", "summary.md", "report.html")


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SIGNALWIRE_", "PYTEST_"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _pytest(folder: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "--sip-contracts", "-p", "no:randomly",
                           "-p", "no:cacheprovider", "--sip-seed", "1", *args],
                          cwd=folder, env=_env(), capture_output=True, text=True, timeout=timeout)


def _document(folder: Path, report_dir: str = "reports") -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / report_dir / "conformance.json").read_text())
    return data


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    folder = tmp_path / "empty"
    folder.mkdir()
    assert REPO not in folder.parents
    return folder


@pytest.fixture(scope="module")
def full_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    folder = tmp_path_factory.mktemp("full")
    return folder, _pytest(folder, "-v", "--junitxml=junit-pytest.xml", "--sip-report-dir", "out")


def test_full_run_collects_every_clause_and_passes_against_the_mock(
        full_run: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    _, proc = full_run
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    for clause in CATALOGUE:
        assert f"sip_profile::{clause.id} PASSED" in proc.stdout
    assert f"{len(CATALOGUE)} passed" in proc.stdout


def test_full_run_writes_the_four_reports_to_the_report_dir(
        full_run: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    folder, _ = full_run
    assert all((folder / "out" / name).is_file() for name in FORMATS)
    doc = _document(folder, "out")
    assert doc["verdict"] == "pass" and doc["exit_code"] == 0
    assert {c["id"] for c in doc["clauses"]} == {c.id for c in CATALOGUE}
    assert doc["restore"]["status"] == "restored"
    assert doc["run"]["command"].startswith("pytest --sip-contracts")


def test_junitxml_has_one_testcase_per_clause_and_observed_values(
        full_run: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    folder, _ = full_run
    cases = ET.parse(folder / "junit-pytest.xml").getroot().iter("testcase")
    by_name = {case.get("name"): case for case in cases}
    assert set(by_name) == {c.id for c in CATALOGUE}
    observed = next(c for c in CATALOGUE if not c.documented)
    names = {p.get("name") for p in by_name[observed.id].iter("property")}
    assert "verdict" in names and len(names - {"verdict", "requests"}) >= 1  # the recorded values


def test_k_selects_exactly_one_clause_and_the_document_covers_it(empty: Path) -> None:
    proc = _pytest(empty, "-v", "-k", "SP-CODEC-003", "--junitxml=j.xml")
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "1 passed" in proc.stdout and "sip_profile::SP-CODEC-003 PASSED" in proc.stdout
    cases = list(ET.parse(empty / "j.xml").getroot().iter("testcase"))
    assert [c.get("name") for c in cases] == ["SP-CODEC-003"]
    doc = _document(empty)
    assert [c["id"] for c in doc["clauses"]] == ["SP-CODEC-003"]
    assert doc["restore"]["status"] == "restored"


def test_x_against_a_mutant_stops_at_the_first_failure_and_still_restores(empty: Path) -> None:
    proc = _pytest(empty, "-x", "--sip-mutant", "codec-accepts-g729")
    assert proc.returncode == 1, proc.stdout[-3000:]
    assert "stopping after 1 failures" in proc.stdout
    assert "expected:" in proc.stdout and "reproduce: curl" in proc.stdout  # the longrepr
    doc = _document(empty)
    assert doc["restore"]["status"] == "restored"
    assert doc["run"]["interrupted"].startswith("stopped by pytest")
    verdicts = [c["verdict"] for c in doc["clauses"]]
    assert verdicts.count("fail") >= 1 and "inconclusive" in verdicts  # the rest never ran
    assert doc["target"]["mutant"] == "codec-accepts-g729"


def test_sigint_mid_run_restores_the_profile(empty: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "pytest", "--sip-contracts", "-p", "no:randomly",
                             "-p", "no:cacheprovider", "-v", "--sip-seed", "1"],
                            cwd=empty, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    assert proc.stdout is not None
    seen = []
    deadline = time.monotonic() + 120
    for line in proc.stdout:  # interrupt once write clauses have run (the profile has been changed)
        seen.append(line)
        if "SP-CODEC-002" in line or time.monotonic() > deadline:
            break
    proc.send_signal(signal.SIGINT)
    rest, _ = proc.communicate(timeout=120)
    output = "".join(seen) + rest
    assert proc.returncode == 2, output[-3000:]  # pytest's "interrupted"
    doc = _document(empty)
    assert doc["run"]["interrupted"], output[-2000:]
    assert doc["restore"]["status"] == "restored"
    assert "inconclusive" in {c["verdict"] for c in doc["clauses"]}


def test_an_unreachable_target_is_inconclusive_exit_3(empty: Path) -> None:
    env = {**_env(), "SIGNALWIRE_REST_BASE_URL": "http://127.0.0.1:9",
           "SIGNALWIRE_PROJECT_ID": "p-unreachable-1", "SIGNALWIRE_API_TOKEN": "PTunreachable0123456789"}
    proc = subprocess.run([sys.executable, "-m", "pytest", "--sip-contracts", "-p", "no:randomly",
                           "-p", "no:cacheprovider", "-rs"], cwd=empty, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 3, proc.stdout[-3000:]
    assert "INCONCLUSIVE:" in proc.stdout and "failed" not in proc.stdout.splitlines()[-1]
    assert "PTunreachable0123456789" not in proc.stdout + (empty / "reports/conformance.json").read_text()
    assert _document(empty)["verdict"] == "inconclusive"


def test_a_bad_option_is_a_usage_error_before_any_request(empty: Path) -> None:
    proc = _pytest(empty, "--sip-mutant", "no-such-mutant")
    assert proc.returncode == pytest.ExitCode.USAGE_ERROR
    assert "unknown mutant" in proc.stderr
    assert not (empty / "reports" / "conformance.json").exists()


def test_without_the_option_nothing_is_collected(empty: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:randomly", "-p", "no:cacheprovider"],
                          cwd=empty, env=_env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == pytest.ExitCode.NO_TESTS_COLLECTED
    assert "sip_profile" not in proc.stdout


def test_lf_reruns_only_the_clauses_that_failed(empty: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pytest", "--sip-contracts", "-p", "no:randomly", "-q",
                               "--sip-seed", "1", "--sip-mutant", "codec-accepts-g729", *args],
                              cwd=empty, env=_env(), capture_output=True, text=True, timeout=300)

    first = run()
    failed = {line.split()[1] for line in first.stdout.splitlines() if line.startswith("FAILED ")}
    assert first.returncode == 1 and "sip_profile::SP-CODEC-003" in failed
    again = run("--lf")
    assert {line.split()[1] for line in again.stdout.splitlines() if line.startswith("FAILED ")} == failed
    assert f"{len(failed)} failed, {len(CATALOGUE) - len(failed)} deselected" in again.stdout
    assert {c["id"] for c in _document(empty)["clauses"]} == {f.split("::")[1] for f in failed}
