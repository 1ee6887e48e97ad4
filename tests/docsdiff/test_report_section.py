"""The documentation section in all four formats, the run flag, and the cached copy when the fetch fails."""

from __future__ import annotations

import json
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from contracts import report
from contracts.docsdiff import docs_diff
from tests.report import _factory as F

from .conftest import IDENTICAL, closed_port

CODEC_ADDED = IDENTICAL.read_text(encoding="utf-8").replace("PCMA, VP8, H264.", "PCMA, VP8, H264, AV1.")


def _doc_with(section: dict[str, Any]) -> dict[str, Any]:
    doc = F.passing()
    doc["documentation"] = section
    doc = report.finish(doc).dump()
    return doc


@pytest.fixture
def stale_section(tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "upstream.yaml"
    path.write_text(CODEC_ADDED, encoding="utf-8")
    return docs_diff(str(path)).as_section()


def test_section_renders_in_all_four_formats(stale_section: dict[str, Any], tmp_path: Path) -> None:
    doc = _doc_with(stale_section)
    verdict = doc["verdict"]
    paths = report.write_all(doc, tmp_path / "out", history=False)
    stored = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert stored["documentation"]["status"] == "stale"
    assert stored["verdict"] == verdict == "pass"  # informational: never changes the run's verdict
    key = "values:UpdateSipProfileRequest.default_codecs"

    md = paths["markdown"].read_text(encoding="utf-8")
    assert "### Documentation" in md and key in md and "**stale**" in md and "AV1" in md

    suites = {s.get("name"): s for s in ET.parse(paths["junit"]).getroot()}
    docs = suites["sip_profile.documentation"]
    failed = {c.get("name"): c.find("failure") for c in docs if c.tag == "testcase"}
    assert failed[key] is not None and "AV1" in (failed[key].text or "")
    assert failed["closed:SipProfileResponse"] is None  # a known difference is not a failure

    html = paths["html"].read_text(encoding="utf-8")
    assert 'id="documentation"' in html and key in html and "AV1" in html and "b-fail" in html


def test_unavailable_section_validates_and_renders(tmp_path: Path) -> None:
    section = docs_diff(f"http://127.0.0.1:{closed_port()}/openapi.yaml", cache_dir=tmp_path).as_section()
    assert section["status"] == "unavailable" and section["exit_code"] == 3
    paths = report.write_all(_doc_with(section), tmp_path, history=False)
    assert "unavailable" in paths["markdown"].read_text(encoding="utf-8")
    assert "unavailable" in paths["html"].read_text(encoding="utf-8")
    suite = [s for s in ET.parse(paths["junit"]).getroot() if s.get("name") == "sip_profile.documentation"]
    assert suite[0].get("skipped") == "1"


def test_report_schema_rejects_a_bad_section() -> None:
    doc = F.passing()
    doc["documentation"] = {"status": "great", "upstream": "x", "differences": []}
    with pytest.raises(report.ReportError, match=r"invalid at documentation\.status"):
        report.validate_conformance(doc)
    with pytest.raises(report.ReportError, match=r"invalid at documentation\.status"):
        report.finish(doc)


@pytest.fixture
def served() -> Iterator[tuple[str, ThreadingHTTPServer]]:
    body = IDENTICAL.read_bytes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/openapi.yaml", server
    finally:
        server.shutdown()
        server.server_close()


def test_fetched_copy_is_cached_and_used_when_the_fetch_fails(served: tuple[str, ThreadingHTTPServer],
                                                              tmp_path: Path) -> None:
    url, server = served
    first = docs_diff(url, cache_dir=tmp_path)
    assert first.status == "ok" and first.loaded is not None and first.loaded.source == "network"
    assert first.loaded.fetched_at
    server.shutdown()
    server.server_close()
    second = docs_diff(url, cache_dir=tmp_path)
    assert second.status == "ok" and second.loaded is not None and second.loaded.source == "cache"
    assert second.loaded.fetched_at == first.loaded.fetched_at
    assert "using the copy cached" in second.as_section()["message"]
