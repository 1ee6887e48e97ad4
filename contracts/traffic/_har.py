"""Writing what the proxy saw as a HAR 1.2 file that ``check-traffic`` (``contracts.recorded``) reads back.

The values written are :class:`~contracts.recorded.Recorded` ones, so no credential value can reach the
file: header names are kept, their values are ``"<redacted>"``. The project ID each request named is kept
in the entry's custom member ``PROJECT_FIELD`` (HAR 1.2 allows ``_``-prefixed members), so that the file
judged later falls into the same per-project sequences as the live judgement did.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from contracts import __version__
from contracts.recorded import PROJECT_FIELD, Recorded

__all__ = ["har_document", "write_har"]


def _headers(pairs: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in pairs]


def _media(pairs: Iterable[tuple[str, str]]) -> str:
    return next((v for n, v in pairs if n.lower() == "content-type"), "")


def _entry(rec: Recorded) -> dict[str, Any]:
    request: dict[str, Any] = {
        "method": rec.method, "url": rec.url, "httpVersion": "HTTP/1.1", "cookies": [],
        "headers": _headers(rec.request_headers),
        "queryString": [{"name": k, "value": v} for k, v in parse_qsl(urlsplit(rec.url).query)],
        "headersSize": -1, "bodySize": -1 if rec.request_body is None else len(rec.request_body.encode()),
    }
    if rec.request_body is not None:
        request["postData"] = {"mimeType": _media(rec.request_headers), "text": rec.request_body}
    entry: dict[str, Any] = {
        "startedDateTime": rec.started, "time": rec.duration_ms if rec.duration_ms is not None else -1,
        "request": request,
        "response": {"status": rec.status, "statusText": "", "httpVersion": "HTTP/1.1", "cookies": [],
                     "headers": _headers(rec.response_headers),
                     "content": {"size": len(rec.response_body.encode()),
                                 "mimeType": _media(rec.response_headers), "text": rec.response_body},
                     "redirectURL": "", "headersSize": -1, "bodySize": -1},
        "cache": {}, "timings": {"send": 0, "wait": 0, "receive": 0},
    }
    if rec.principal:
        entry[PROJECT_FIELD] = rec.principal
    return entry


def har_document(records: Iterable[Recorded]) -> dict[str, Any]:
    return {"log": {"version": "1.2", "creator": {"name": "sip-contracts proxy", "version": __version__},
                    "entries": [_entry(rec) for rec in records]}}


def write_har(records: Iterable[Recorded], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(har_document(records), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
