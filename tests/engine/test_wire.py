"""Request shapes on the wire: each formatting is the same JSON, headers really are omitted, chunked
bodies are chunked, and a recorded body's layout is recognised without keeping its values."""

from __future__ import annotations

import json

import httpx
import pytest

from contracts.engine.client import Client
from contracts.engine.config import Credentials
from contracts.engine.wire import _format_of, encode

BODY = {"default_codecs": ["OPUS", "PCMU"], "default_encryption": "required"}


@pytest.mark.parametrize("fmt", ["compact", "python", "pretty", "reordered", "chunked"])
def test_every_format_is_the_same_json(fmt: str) -> None:
    wire = encode(BODY, fmt)  # type: ignore[arg-type]
    raw = b"".join(wire) if isinstance(wire, list) else wire
    assert json.loads(raw) == BODY
    assert (list(json.loads(raw)) == list(reversed(BODY))) == (fmt == "reordered")


def test_formats_differ_as_their_clients_write_them() -> None:
    assert encode(BODY, "python") == json.dumps(BODY).encode()  # ", " and ": "
    assert b"\n  " in encode(BODY, "pretty")  # type: ignore[operator]
    chunks = encode(BODY, "chunked")
    assert isinstance(chunks, list) and len(chunks) > 1


@pytest.mark.parametrize(("text", "fmt"), [
    ('{"a":1,"b":[1,2]}', "compact"), ('{"a": 1, "b": [1, 2]}', "python"),
    ('{\n  "a": 1\n}', "pretty"), ('{"a":"x, y: z"}', "compact"), (None, "compact"),
])
def test_a_recorded_layout_is_recognised_by_its_structure_not_its_strings(text: str | None, fmt: str) -> None:
    assert _format_of(text) == fmt


def test_the_client_omits_headers_and_frames_chunks() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return httpx.Response(201, json={})

    client = Client(base_url="http://127.0.0.1:9", transport=httpx.MockTransport(handler), allow_writes=True,
                    budget=10)
    creds = Credentials("p", "t", "P", "T")
    ex = client.request("PUT", creds=creds, body=BODY, content=encode(BODY, "chunked"), omit=("Accept",))
    request = seen[0]
    assert "accept" not in request.headers and request.headers["transfer-encoding"] == "chunked"
    assert "content-length" not in request.headers and json.loads(request.content) == BODY
    assert ex.body == BODY  # the model judges the JSON, whatever the framing
    assert "-H 'Accept:'" in ex.curl() and "Transfer-Encoding: chunked" in ex.curl()
