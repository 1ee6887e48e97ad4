"""A user's project: an empty folder outside this repository, the package installed, only the fixture.

pytest runs in a subprocess from that folder, so nothing of this checkout's configuration (pyproject's
pytest settings, ``pythonpath``, conftest files) helps: the fixture must come from the installed
``pytest11`` entry point alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.http
ROOT = Path(__file__).resolve().parents[2]

USER_TESTS = '''
import httpx
import pytest

PATH = "/api/relay/rest/sip_profile"


def put(mock, body):
    return httpx.put(mock.base_url + PATH, json=body, auth=(mock.project_id, mock.api_token))


@pytest.mark.parametrize("run", ["first", "second"])
def test_fresh_profile_every_test(sip_profile_mock, run):
    auth = (sip_profile_mock.project_id, sip_profile_mock.api_token)
    assert httpx.get(sip_profile_mock.base_url + PATH, auth=auth).json()["default_encryption"] == "optional"
    assert put(sip_profile_mock, {"default_encryption": "required"}).status_code == 201


@pytest.mark.sip_profile_mock(mutant="put-answers-200")
def test_mutant(sip_profile_mock):
    assert put(sip_profile_mock, {"default_encryption": "required"}).status_code == 200


@pytest.mark.sip_profile_mock(mutant="no-such-mutant")
def test_unknown_mutant(sip_profile_mock):
    pass


@pytest.mark.sip_profile_mock(colour="red")
def test_unknown_option(sip_profile_mock):
    pass
'''


def _clean_env() -> dict[str, str]:
    """The environment of a user's shell: no path into this checkout, no target, no pytest options."""
    drop = ("PYTHONPATH", "PYTEST_ADDOPTS", "PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT")
    return {k: v for k, v in os.environ.items()
            if k not in drop and not k.startswith(("SIGNALWIRE_", "SIP_CONTRACTS_"))}


def _pytest_in(folder: Path) -> subprocess.CompletedProcess[str]:
    assert not folder.resolve().is_relative_to(ROOT), "the user's folder must be outside the repository"
    command = [sys.executable, "-m", "pytest", "-rA", "--strict-markers", "-p", "no:cacheprovider"]
    return subprocess.run(command, cwd=folder, env=_clean_env(), capture_output=True, text=True, timeout=120)


def test_a_users_test_files_pass_with_only_the_fixture(tmp_path: Path) -> None:
    """One run (pytest's start-up here is ~3 s of schemathesis and hypothesis plugins): a user's file that
    talks plain HTTP, and the README's example that uses SignalWire's SDK."""
    (tmp_path / "test_my_app.py").write_text(USER_TESTS)
    shutil.copy(ROOT / "examples" / "test_app_with_sdk.py", tmp_path)

    result = _pytest_in(tmp_path)

    out = result.stdout
    hint = "(is the package installed, so that its pytest11 entry point is registered?)\n"
    assert "PASSED test_my_app.py::test_fresh_profile_every_test[first]" in out, hint + out + result.stderr
    assert "PASSED test_my_app.py::test_fresh_profile_every_test[second]" in out, out
    assert "PASSED test_my_app.py::test_mutant" in out, out
    # A mistake in a marker is an error at setup with one line that names it, not a plugin traceback.
    assert "ERROR test_my_app.py::test_unknown_mutant - Failed: " in out, out
    assert "\nsip_profile_mock: unknown mutant 'no-such-mutant'; known: " in out, out
    assert "auth-any-token" in out, out
    assert "ERROR test_my_app.py::test_unknown_option - Failed: " in out, out
    assert "\n@pytest.mark.sip_profile_mock: unknown option(s) colour; expected config, " in out, out
    assert "Traceback" not in out and "_fixture.py" not in out, out
    assert "FAILED" not in out and "test_app_with_sdk.py ....." in out, out
    assert "8 passed, 2 errors" in out, out
