"""Hand-made HAR files for the traffic tests: one entry per exchange, in the shape devtools writes."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from contracts.env import MOCK_PROJECTS

URL = "https://example.signalwire.com/api/relay/rest/sip_profile"
PRIMARY = MOCK_PROJECTS[0].project_id
SECOND = MOCK_PROJECTS[1].project_id
#: A real-looking token: PT + 40 hex characters.
TOKEN = "PT" + "3f9c1e7a" * 5


def basic(project: str = PRIMARY, token: str = TOKEN) -> str:
    return "Basic " + base64.b64encode(f"{project}:{token}".encode()).decode()


def profile(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"domain": "example-app.sip.signalwire.com", "domain_identifier": "app",
                            "default_codecs": ["OPUS"], "default_ciphers": ["AES_CM_128_HMAC_SHA1_80"],
                            "default_encryption": "optional", "default_send_as": None}
    base.update(fields)
    if "domain_identifier" in fields and "domain" not in fields and fields["domain_identifier"]:
        base["domain"] = f"example-{fields['domain_identifier']}.sip.signalwire.com"
    return base


def entry(method: str, status: int, answer: Any, *, sent: Any = None, project: str | None = PRIMARY,
          started: str | None = None, url: str = URL, content_type: str = "application/json",
          extra_headers: tuple[tuple[str, str], ...] = ()) -> dict[str, Any]:
    headers = [{"name": "Accept", "value": "application/json"}]
    if project is not None:
        headers.append({"name": "Authorization", "value": basic(project)})
    headers += [{"name": n, "value": v} for n, v in extra_headers]
    request: dict[str, Any] = {"method": method, "url": url, "httpVersion": "HTTP/1.1", "headers": headers}
    if sent is not None:
        request["postData"] = {"mimeType": "application/json",
                               "text": sent if isinstance(sent, str) else json.dumps(sent)}
    out: dict[str, Any] = {
        "request": request,
        "response": {"status": status, "headers": [{"name": "Content-Type", "value": content_type}],
                     "content": {"mimeType": content_type,
                                 "text": answer if isinstance(answer, str) else json.dumps(answer)}},
    }
    if started is not None:
        out["startedDateTime"] = started
    return out


def write(path: Path, *entries: dict[str, Any]) -> Path:
    """A HAR whose entries are stamped one second apart unless they carry their own stamp."""
    stamped = [{"startedDateTime": f"2026-12-04T18:00:{i:02d}.000Z", **e} for i, e in enumerate(entries)]
    path.write_text(json.dumps({"log": {"version": "1.2", "creator": {"name": "t", "version": "0"},
                                        "entries": stamped}}), encoding="utf-8")
    return path


UNAUTHORIZED = {"error": "Unauthorized"}
INVALID = {"errors": [{"detail": "G729 is not a supported codec", "status": "422",
                       "title": "Invalid Attribute", "code": "422"}]}
