"""The same mock over real HTTP (uvicorn on 127.0.0.1): serving(), serve(), describe()."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.mock import MockSpace, describe, serving
from contracts.spec import PATH

pytestmark = pytest.mark.http
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[MockSpace, str]]:
    space = MockSpace()
    with serving(space) as url:
        yield space, url


@pytest.fixture
def http(served: tuple[MockSpace, str], connect: Any) -> Any:
    space, url = served
    space.reset()
    return connect(space, base_url=url)


def test_serving_yields_a_loopback_url(served: tuple[MockSpace, str]) -> None:
    _, url = served
    assert url.startswith("http://127.0.0.1:") and int(url.rsplit(":", 1)[1]) > 0


def test_get_put_and_readback(http: Any, served: tuple[MockSpace, str]) -> None:
    space, _ = served
    assert http("GET").json() == space.profile("primary")
    r = http("PUT", {"default_codecs": ["H264", "OPUS"], "domain_identifier": "over-http"})
    assert r.status_code == 201 and r.headers["content-type"] == "application/json"
    assert http("GET").json() == r.json() == space.profile("primary")
    assert space.request_log[-3:] == [("GET", PATH, 200), ("PUT", PATH, 201), ("GET", PATH, 200)]


def test_sdk_style_request_over_http(served: tuple[MockSpace, str]) -> None:
    """Byte for byte what an SDK sends: Basic auth, Accept, User-Agent, compact JSON with its length."""
    space, url = served
    space.reset()
    p = space.projects["primary"]
    body = json.dumps({"default_encryption": "required", "default_send_as": "+12015550123"},
                      separators=(",", ":")).encode()
    import base64
    token = base64.b64encode(f"{p.project_id}:{p.token}".encode()).decode()
    host, port = url.removeprefix("http://").split(":")
    request = (f"PUT {PATH} HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Basic {token}\r\n"
               f"Accept: application/json\r\nUser-Agent: @signalwire/node/3.0.0\r\n"
               f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
               ).encode() + body
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(request)
        raw = b""
        while chunk := sock.recv(65536):
            raw += chunk
    head, _, payload = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 201 ")
    assert b"content-type: application/json" in head.lower()
    assert json.loads(payload)["default_send_as"] == "+12015550123"


def test_errors_over_http(http: Any, served: tuple[MockSpace, str]) -> None:
    r = http("GET", who=None)
    assert (r.status_code, r.json()) == (401, {"error": "Unauthorized"})
    r = http("DELETE")
    assert (r.status_code, r.headers["allow"]) == (405, "GET, PUT")
    r = http("PUT", content=b"{nope", headers={"Content-Type": "application/json"})
    assert (r.status_code, r.json()) == (400, {"error": "Bad Request"})
    r = http("PUT", content=b"{}", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415
    r = http("PUT", {"default_codecs": ["G729"]})
    assert r.status_code == 422 and r.json()["errors"][0]["status"] == "422"
    assert http("GET", path="/other").status_code == 404


def test_body_over_the_limit_is_413_over_http(http: Any, served: tuple[MockSpace, str]) -> None:
    space, _ = served
    big = b'{"pad":"' + b"x" * 200_000 + b'"}'
    r = http("PUT", content=big, headers={"Content-Type": "application/json"})
    assert (r.status_code, r.json()) == (413, {"error": "Payload Too Large"})
    assert space.profile("primary") == MockSpace().profile("primary")


def test_a_mutant_over_http(connect: Any) -> None:
    space = MockSpace(mutant="get-text-plain")
    with serving(space) as url:
        r = connect(space, base_url=url)("GET")
    assert (r.status_code, r.headers["content-type"]) == (200, "text/plain")


def test_serving_is_loopback_only() -> None:
    with pytest.raises(ValueError, match="loopback"), serving(MockSpace(), host="0.0.0.0"):
        pass


def test_serving_stops_on_exit() -> None:
    with serving(MockSpace()) as url:
        assert httpx.get(url + PATH).status_code == 401
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + PATH, timeout=1)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_serve_blocks_until_signalled_then_stops_cleanly(sig: int) -> None:
    code = ("import sys\nfrom contracts.mock import MockSpace, serve\n"
            "serve(MockSpace(), port=0, on_ready=lambda url: print(url, flush=True))\n"
            "print('stopped', flush=True)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, cwd=ROOT)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), proc.stderr.read() if proc.stderr else url
        assert httpx.get(url + PATH, timeout=5).status_code == 401
        start = time.monotonic()
        proc.send_signal(sig)
        out, _ = proc.communicate(timeout=10)
        assert time.monotonic() - start < 3
        assert proc.returncode == 0 and "stopped" in out
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_describe_names_everything_needed_to_point_the_suite_at_the_mock() -> None:
    space = MockSpace()
    text = describe(space, base_url="http://127.0.0.1:8080")
    for project in space.projects.values():
        assert project.project_id in text and project.token in text
    for var in ("SIGNALWIRE_PROJECT_ID", "SIGNALWIRE_API_TOKEN", "SIGNALWIRE_REST_BASE_URL",
                "SIGNALWIRE_SECONDARY_PROJECT_ID", "SIGNALWIRE_SECONDARY_API_TOKEN",
                "SIGNALWIRE_NOVOICE_PROJECT_ID", "SIGNALWIRE_NOVOICE_API_TOKEN"):
        assert f"export {var}=" in text
    # Pasting the export block must not turn writes on: the permission is a separate, commented line.
    exports = [line.strip() for line in text.splitlines() if line.strip().startswith("export ")]
    assert not [line for line in exports if "SIP_CONTRACTS_ALLOW_WRITES" in line]
    assert "#   sip-contracts run --allow-writes 127.0.0.1:8080" in text
    assert "export SIGNALWIRE_REST_BASE_URL=http://127.0.0.1:8080" in text
    assert "no Voice scope" in text and "faithful" in text


def test_describe_without_a_url_uses_a_placeholder_and_names_the_mutant() -> None:
    text = describe(MockSpace(mutant="stale-get"))
    assert "<host>:<port>" in text and "stale-get" in text


def test_describe_mentions_faults_when_some_are_on() -> None:
    from contracts.mock import Faults

    assert "faults" not in describe(MockSpace())
    assert "drop_rate=0.5" in describe(MockSpace(faults=Faults(drop_rate=0.5)))
