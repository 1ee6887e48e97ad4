"""``pytest --sip-check-traffic``: a user's session recorded with pytest-recording judges its cassettes at
the end and fails on a violation, from a folder outside this repository (the installed plugin alone)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.plugin.test_plugin_outside_repo import ROOT, _clean_env

pytestmark = pytest.mark.http

CONFTEST = '''
import pytest


@pytest.fixture(scope="module")
def vcr_config():
    return {"filter_headers": ["authorization"]}  # what pytest-recording users do
'''

USER_TESTS = '''
import pytest
from signalwire.rest import RestClient

MARK = {mark}


@pytest.mark.vcr
@pytest.mark.sip_profile_mock(**MARK)
def test_provision(sip_profile_mock):
    client = RestClient(project=sip_profile_mock.project_id, token=sip_profile_mock.api_token,
                        host=sip_profile_mock.host)
    client.sip_profile.update(default_codecs=["OPUS", "PCMU"], default_encryption="required")
    assert client.sip_profile.get()["default_encryption"] == "required"  # the SDK cannot tell 200 from 201
'''


def _session(folder: Path, mark: str) -> subprocess.CompletedProcess[str]:
    assert not folder.resolve().is_relative_to(ROOT)
    (folder / "conftest.py").write_text(CONFTEST)
    (folder / "test_app.py").write_text(USER_TESTS.format(mark=mark))
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--record-mode=all",
               "--sip-check-traffic", "--sip-report-dir", str(folder / "reports")]
    return subprocess.run(command, cwd=folder, env=_clean_env(), capture_output=True, text=True, timeout=180)


def test_the_cassettes_of_a_faithful_session_pass(tmp_path: Path) -> None:
    result = _session(tmp_path, "{}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "cassettes" / "test_app" / "test_provision.yaml").is_file()
    assert "sip-contracts check-traffic" in result.stdout and "PASS" in result.stdout
    assert json.loads((tmp_path / "reports" / "conformance.json").read_text())["verdict"] == "pass"


def test_a_violation_in_the_cassettes_fails_a_session_whose_tests_passed(tmp_path: Path) -> None:
    result = _session(tmp_path, '{"mutant": "put-answers-200"}')
    out = result.stdout
    assert "1 passed" in out, out + result.stderr
    assert result.returncode == 1, out
    assert "RC1: PUT answers 200 instead of 201 (first at " in out and "test_provision.yaml#0" in out, out
