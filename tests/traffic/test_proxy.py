"""The validating proxy: forwards unchanged (credentials included), judges each exchange, one line each,
writes the four reports and a HAR on SIGTERM, serves on loopback only, and lets no token out."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import signal
import subprocess
import sys
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.env import MOCK_PROJECTS
from contracts.recorded import load_traffic
from contracts.traffic import Proxy

from . import _har as H

PATH = "/api/relay/rest/sip_profile"
ANSWER = json.dumps(H.profile()).encode()


class _Upstream:
    """An ASGI upstream that keeps what it was sent."""

    def __init__(self) -> None:
        self.seen: dict[str, Any] = {}
        self.calls = 0

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        message = await receive()
        self.calls += 1
        self.seen = {"method": scope["method"], "path": scope["path"], "query": scope["query_string"],
                     "headers": [(k.decode(), v.decode()) for k, v in scope["headers"]],
                     "body": message.get("body", b"")}
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"), (b"x-request-id", b"req-1")]})
        await send({"type": "http.response.body", "body": ANSWER})


def _through(proxy: Proxy, method: str, url: str, **kwargs: Any) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=proxy)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8081") as client:
            response = await client.request(method, url, **kwargs)
        await proxy.aclose()
        return response

    return asyncio.run(go())


def test_a_request_is_forwarded_unchanged_and_judged(tmp_path: Path) -> None:
    upstream, lines = _Upstream(), []
    proxy = Proxy("https://example.signalwire.com", har_path=tmp_path / "t.har", say=lines.append,
                  transport=httpx.ASGITransport(app=upstream))
    body = b'{"default_encryption":  "required"}'  # odd spacing: the bytes, not a re-encoding
    answer = _through(proxy, "PUT", PATH + "?trace=1", content=body,
                      headers={"Authorization": H.basic(), "X-App": "portal", "Connection": "keep-alive"})
    seen = upstream.seen
    assert upstream.calls == 1  # the forwarded request only: judging sends nothing of its own
    headers = dict(seen["headers"])
    assert (seen["method"], seen["path"], seen["query"], seen["body"]) == ("PUT", PATH, b"trace=1", body)
    assert headers["authorization"] == H.basic() and headers["x-app"] == "portal"
    assert headers["host"] == "example.signalwire.com" and "connection" not in headers
    assert (answer.status_code, answer.content, answer.headers["x-request-id"]) == (200, ANSWER, "req-1")
    [line] = lines
    assert line.endswith("PUT /api/relay/rest/sip_profile?trace=1 200 violation (SP-ENC-001, SP-PROTO-002)")
    [rec] = proxy.records
    assert ("authorization", "<redacted>") in rec.request_headers and rec.principal == H.PRIMARY
    assert H.TOKEN not in repr(proxy.records) + "".join(lines)


def test_overlapping_exchanges_of_one_project_have_no_settled_order(tmp_path: Path) -> None:
    release, state = asyncio.Event(), {"default_encryption": "optional"}

    async def slow_put_fast_get(scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        await receive()
        if scope["method"] == "PUT":
            state["default_encryption"] = "required"  # stored at once, answered late: the GET in between
            await release.wait()  # already sees it and is answered first
        answer = json.dumps(H.profile(**state)).encode()
        await send({"type": "http.response.start", "status": 201 if scope["method"] == "PUT" else 200,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": answer})

    lines: list[str] = []
    proxy = Proxy("https://example.signalwire.com", har_path=tmp_path / "t.har", say=lines.append,
                  transport=httpx.ASGITransport(app=slow_put_fast_get))

    async def go() -> None:
        auth = {"Authorization": H.basic()}
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=proxy), base_url="http://p") as c:
            await c.get(PATH, headers=auth)  # seeds the model: optional
            put = asyncio.create_task(c.put(PATH, json={"default_encryption": "required"}, headers=auth))
            await asyncio.sleep(0.05)
            await c.get(PATH, headers=auth)
            release.set()  # only now may the PUT be answered
            await put
        await proxy.aclose()

    asyncio.run(go())
    # in the order the answers came: the first GET, the GET that saw the PUT, the PUT
    seen = [(v.method, v.ambiguous) for v in proxy.verdicts]
    assert seen == [("GET", False), ("GET", True), ("PUT", False)]
    assert [line.split(maxsplit=4)[-1] for line in lines] == ["ok", "ambiguous order", "ok"]


def test_an_unreachable_upstream_is_a_502_and_not_judged(tmp_path: Path) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    lines: list[str] = []
    proxy = Proxy("https://example.signalwire.com", har_path=tmp_path / "t.har", say=lines.append,
                  transport=httpx.MockTransport(refuse))
    assert _through(proxy, "GET", PATH).status_code == 502
    assert lines[0].endswith("GET /api/relay/rest/sip_profile no answer not judged")


def _proxy(report_dir: Path, upstream: str, *extra: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SIGNALWIRE_", "SIP_CONTRACTS_"))}
    return subprocess.Popen([sys.executable, "-m", "contracts", "proxy", "--upstream", upstream,
                             "--listen", "127.0.0.1:0", "--report-dir", str(report_dir), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


@pytest.mark.http
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_between_a_client_and_the_mock_a_signal_writes_reports_and_a_har_without_the_token(
        tmp_path: Path, stop: signal.Signals) -> None:
    from contracts.mock import MockConfig, MockSpace, serving

    primary = MOCK_PROJECTS[0]
    reports = tmp_path / "reports"
    with serving(MockSpace(MockConfig())) as mock_url:
        proc = _proxy(reports, mock_url, "--stop-after", "60")
        try:
            assert proc.stdout is not None
            url = proc.stdout.readline().split()[2]  # "sip-contracts proxy: http://127.0.0.1:PORT -> …"
            ok = httpx.get(url + PATH, auth=(primary.project_id, primary.token), timeout=10)
            refused = httpx.put(url + PATH, json={"default_codecs": ["OPUS"]}, timeout=10,
                                headers={"Authorization": H.basic(primary.project_id, H.TOKEN)})
            lines = [proc.stdout.readline().strip(), proc.stdout.readline().strip()]
        finally:
            proc.send_signal(stop)
            out, err = proc.communicate(timeout=30)
    assert (ok.status_code, refused.status_code) == (200, 401)  # the credentials reached the mock as sent
    assert lines[0].endswith("#0 GET /api/relay/rest/sip_profile 200 ok")
    assert lines[1].endswith("#1 PUT /api/relay/rest/sip_profile 401 ok")
    assert proc.returncode == 0, out + err
    written = {p.name for p in reports.iterdir()}
    assert {"conformance.json", "junit.xml", "summary.md", "report.html", "traffic.har"} <= written
    har = load_traffic(reports / "traffic.har")
    assert [r.status for r in har] == [200, 401] and har[0].principal == primary.project_id
    needles = (H.TOKEN, base64.b64encode(f"{primary.project_id}:{H.TOKEN}".encode()).decode())
    for text in [out, err, *(p.read_text(errors="replace") for p in reports.rglob("*") if p.is_file())]:
        assert not any(needle in text for needle in needles)


@pytest.mark.http
def test_the_proxy_stops_by_itself_and_with_nothing_seen_exits_3(tmp_path: Path) -> None:
    proc = _proxy(tmp_path, "https://example.signalwire.com", "--stop-after", "0.5")
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 3, out + err
    assert "no exchange of /api/relay/rest/sip_profile" in out and (tmp_path / "traffic.har").is_file()


@pytest.mark.parametrize("args,message", [
    (["--upstream", "http://example.com"], "--upstream has value 'http://example.com': plain http"),
    (["--upstream", "https://example.signalwire.com", "--listen", "0.0.0.0:8081"], "loopback only"),
    (["--upstream", "https://example.signalwire.com", "--listen", "127.0.0.1"], "expected HOST:PORT"),
])
def test_plain_http_to_a_public_upstream_and_a_public_listen_address_are_refused(
        args: list[str], message: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "contracts", "proxy", *args], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2 and message in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
