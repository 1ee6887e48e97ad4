from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from contracts.report import compare_baseline, finish, redact, write_all

from . import _factory as F

BASIC = "Basic " + base64.b64encode(f"project-1234:{F.SENTINEL}".encode()).decode()


def _leaky_doc() -> dict[str, Any]:
    d = F.failing()
    clause = next(c for c in d["clauses"] if c["id"] == "SP-PROTO-002")
    clause["failures"][0]["request"]["headers"]["Authorization"] = f"Basic {F.SENTINEL}"
    clause["failures"][1]["request"]["headers"]["authorization"] = BASIC
    clause["failures"][1]["request"]["headers"]["Proxy-Authorization"] = F.SENTINEL
    clause["failures"][1]["response"]["headers"]["Set-Cookie"] = f"session={F.SENTINEL}"
    return d


def test_the_sentinel_token_never_reaches_any_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SIGNALWIRE_API_TOKEN", raising=False)
    d = _leaky_doc()
    compare_baseline(d, F.doc())
    d = finish(d).dump()
    paths = write_all(d, tmp_path)
    encoded = BASIC.split()[1]
    for key in ("json", "junit", "markdown", "html"):
        text = paths[key].read_text()
        assert F.SENTINEL not in text, key
        assert encoded not in text, key
    assert "<redacted>" in paths["json"].read_text()
    # the caller's document is left untouched
    assert d["clauses"][1]["failures"][0]["request"]["headers"]["Authorization"] == f"Basic {F.SENTINEL}"


def test_a_token_from_the_environment_is_scrubbed_everywhere(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIGNALWIRE_API_TOKEN", F.SENTINEL)
    d = F.failing()
    d["clauses"][0]["reason"] = f"the server echoed {F.SENTINEL} in an error"
    d["observations"][0]["summary"] = f"token {F.SENTINEL} seen"
    d["run"]["command"] = f"sip-contracts run --token {F.SENTINEL}"
    d = finish(d).dump()
    for path in write_all(d, tmp_path).values():
        if path.suffix != ".sqlite":
            assert F.SENTINEL not in path.read_text(), path.name


@pytest.mark.parametrize(("text", "expected"), [
    (f"curl -H 'Authorization: {BASIC}' http://x", "curl -H 'Authorization: Basic <redacted>' http://x"),
    ("Bearer abcdef0123456789xyz", "Bearer <redacted>"),
    ("https://proj:s3cr3t@example.signalwire.com/api", "https://<redacted>@example.signalwire.com/api"),
    ("curl -u 'proj:s3cr3t' https://x", "curl -u '<redacted>' https://x"),
    ("sip-contracts run --token abc123", "sip-contracts run --token <redacted>"),
    ("https://x/?api_token=abc123&a=1", "https://x/?api_token=<redacted>&a=1"),
])
def test_credential_patterns_in_free_text(text: str, expected: str) -> None:
    assert redact({"s": text}, use_env=False)["s"] == expected


@pytest.mark.parametrize("text", [
    F.REPRO,
    "The client sends HTTP requests with the Authorization header containing the word Basic followed by a "
    "space and a base64-encoded string of project_id:token.",
    "A token without the Voice scope can neither read nor write the profile",
    "http://127.0.0.1:8080/api/relay/rest/sip_profile",
])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert redact({"s": text}, use_env=False)["s"] == text


def test_explicit_secrets() -> None:
    assert redact({"a": ["x-hunter2-x"]}, secrets=["hunter2"], use_env=False) == {"a": ["x-<redacted>-x"]}
