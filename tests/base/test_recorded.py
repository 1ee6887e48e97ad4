"""contracts.recorded: HAR 1.2 and VCR.py cassettes read into one value type, with no secret left in it."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path

import pytest
import yaml

from contracts.recorded import Recorded, TrafficFileError, load_traffic

PROJECT = "6f1c2a4e-0b5d-4c1e-9a7f-3d2e1b0c9a8f"
TOKEN = "PT" + "0123456789abcdef" * 2 + "01234567"  # real-looking: PT + 40 hex
BASIC = "Basic " + base64.b64encode(f"{PROJECT}:{TOKEN}".encode()).decode()
URL = "https://example.signalwire.com/api/relay/rest/sip_profile"
PUT_BODY = '{"default_codecs": ["OPUS"],  "default_encryption": "required"}'  # odd spacing kept
PROFILE = '{"domain": null, "default_codecs": ["OPUS"]}'


def _har(*entries: dict[str, object]) -> dict[str, object]:
    return {"log": {"version": "1.2", "creator": {"name": "test", "version": "0"}, "entries": list(entries)}}


def _har_entry(method: str = "GET", body: str | None = None, status: int = 200,
               started: str = "2026-12-04T18:00:00.000Z") -> dict[str, object]:
    request: dict[str, object] = {
        "method": method.lower(), "url": URL, "httpVersion": "HTTP/1.1",
        "headers": [{"name": "Authorization", "value": BASIC},
                    {"name": "Accept", "value": "application/json"}],
    }
    if body is not None:
        request["postData"] = {"mimeType": "application/json", "text": body}
    return {"startedDateTime": started, "request": request,
            "response": {"status": status, "headers": [{"name": "Content-Type", "value": "application/json"}],
                         "content": {"mimeType": "application/json", "text": PROFILE}}}


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _no_secret(records: list[Recorded]) -> None:
    text = repr(records)
    assert TOKEN not in text
    assert BASIC.split()[1] not in text


def test_a_har_file_is_read_entry_by_entry(tmp_path: Path) -> None:
    path = _write(tmp_path, "app.har", json.dumps(_har(_har_entry(), _har_entry("PUT", PUT_BODY, 201))))
    first, second = load_traffic(path)
    assert (first.source, first.entry, first.method, first.url) == (str(path), 0, "GET", URL)
    assert first.request_body is None and first.status == 200 and first.response_body == PROFILE
    assert first.started == "2026-12-04T18:00:00.000Z"
    assert (second.entry, second.method, second.status, second.request_body) == (1, "PUT", 201, PUT_BODY)
    assert ("Accept", "application/json") in second.request_headers
    assert ("Content-Type", "application/json") in second.response_headers


def test_credentials_are_redacted_on_read_and_the_project_is_kept(tmp_path: Path) -> None:
    entry = _har_entry()
    entry["request"]["headers"].append({"name": "Cookie", "value": "session=abc123456"})  # type: ignore[index]
    entry["response"]["content"]["text"] = f'{{"echo": "{TOKEN}"}}'  # type: ignore[index]
    [rec] = load_traffic(_write(tmp_path, "a.har", json.dumps(_har(entry))))
    assert ("Authorization", "<redacted>") in rec.request_headers
    assert ("Cookie", "<redacted>") in rec.request_headers
    assert rec.principal == PROJECT
    assert TOKEN not in rec.response_body
    _no_secret([rec])


def test_a_har_base64_body_and_a_form_post_are_decoded(tmp_path: Path) -> None:
    entry = _har_entry("PUT")
    entry["request"]["postData"] = {"mimeType": "application/x-www-form-urlencoded",  # type: ignore[index]
                                    "params": [{"name": "a", "value": "1"}, {"name": "b", "value": "x y"}]}
    entry["response"]["content"] = {"text": base64.b64encode(PROFILE.encode()).decode(),  # type: ignore[index]
                                    "encoding": "base64"}
    [rec] = load_traffic(_write(tmp_path, "a.har", json.dumps(_har(entry))))
    assert rec.request_body == "a=1&b=x+y"
    assert rec.response_body == PROFILE


def _cassette(response_body: object, encoding: str | None = None) -> dict[str, object]:
    headers: dict[str, list[str]] = {"Content-Type": ["application/json"]}
    if encoding:
        headers["Content-Encoding"] = [encoding]
    return {"version": 1, "interactions": [
        {"request": {"method": "PUT", "uri": URL, "body": PUT_BODY,
                     "headers": {"Authorization": [BASIC], "Content-Type": ["application/json"]}},
         "response": {"status": {"code": 201, "message": "Created"}, "headers": headers,
                      "body": {"string": response_body}}},
        {"request": {"method": "GET", "uri": URL, "body": None, "headers": {"Accept": ["application/json"]}},
         "response": {"status": {"code": 200, "message": "OK"}, "headers": headers,
                      "body": {"string": response_body}}},
    ]}


def test_a_vcr_cassette_is_read_interaction_by_interaction(tmp_path: Path) -> None:
    put, get = load_traffic(_write(tmp_path, "c.yaml", yaml.safe_dump(_cassette(PROFILE))))
    assert (put.entry, put.method, put.status, put.request_body, put.response_body) == (
        0, "PUT", 201, PUT_BODY, PROFILE)
    assert put.principal == PROJECT and put.started is None
    assert ("Authorization", "<redacted>") in put.request_headers
    assert (get.entry, get.request_body, get.principal) == (1, None, None)
    _no_secret([put, get])


def test_a_gzipped_binary_cassette_body_is_decompressed(tmp_path: Path) -> None:
    text = yaml.dump(_cassette(gzip.compress(PROFILE.encode()), "gzip"))  # bytes: a !!binary node
    assert "!!binary" in text
    put, _ = load_traffic(_write(tmp_path, "c.yaml", text))
    assert put.response_body == PROFILE


def test_the_kind_is_told_by_content_not_by_name(tmp_path: Path) -> None:
    assert len(load_traffic(_write(tmp_path, "x.yaml", json.dumps(_har(_har_entry()))))) == 1
    assert len(load_traffic(_write(tmp_path, "x.json", json.dumps(_cassette(PROFILE))))) == 2


@pytest.mark.parametrize(("text", "problem"), [
    ("", "empty file"),
    ("{not json: [", "neither JSON nor YAML"),
    ('{"hello": 1}', "neither a HAR 1.2 file"),
    ("- a\n- b\n", "neither a HAR 1.2 file"),
    ('{"log": {"entries": [{"request": {"method": "GET"}}]}}', "log.entries.0.request.url: Field required"),
    ("interactions:\n- request: {method: GET, uri: x}\n  response: {status: {code: nope}}\n",
     "interactions.0.response.status.code"),
    ("!!python/object:os.system {}\n", "neither JSON nor YAML"),
])
def test_a_malformed_file_is_one_line_naming_file_and_problem(tmp_path: Path, text: str,
                                                              problem: str) -> None:
    path = _write(tmp_path, "bad.har", text)
    with pytest.raises(TrafficFileError) as info:
        load_traffic(path)
    assert info.value.path == str(path)
    assert problem in info.value.problem
    assert str(info.value) == f"{path}: {info.value.problem}"
    assert "\n" not in str(info.value)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(TrafficFileError, match="no such file"):
        load_traffic(tmp_path / "nope.har")


def test_a_secret_in_a_malformed_file_is_not_quoted(tmp_path: Path) -> None:
    bad = {"log": {"entries": [{"request": {"method": "GET", "url": URL, "headers": [
        {"name": "Authorization", "value": BASIC}]}, "response": {"status": TOKEN}}]}}
    with pytest.raises(TrafficFileError) as info:
        load_traffic(_write(tmp_path, "bad.har", json.dumps(bad)))
    assert TOKEN not in str(info.value) and "response.status" in str(info.value)
