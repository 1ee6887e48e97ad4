"""The one loader of recorded traffic: HAR 1.2 files and VCR.py cassettes, as :class:`Recorded` values.

Users' applications already record their exchanges with the API: browser devtools and mitmproxy write HAR
1.2 (JSON, ``log.entries``), ``vcrpy``/``pytest-recording`` write cassettes (YAML, ``interactions``; JSON
with ``serializer="json"``). :func:`load_traffic` reads either, told apart by content rather than by file
name, into one value type that the traffic judge (``check-traffic``) and anyone deriving a client's request
shape read.

Secrets never leave :func:`load_traffic`: credential header values (``redact.SECRET_HEADERS``) become
``"<redacted>"``, and every password a Basic header of the file carried is masked wherever else it appears
(URL, bodies, other headers), with the rest of ``redact``'s rules. The project ID a Basic header names is
kept as :attr:`Recorded.principal` (an ID, not a secret): it says which project's profile an answer is of.

The file shapes are pydantic models (only the members read here; the rest of a recording is ignored), so a
malformed file is one :class:`TrafficFileError` naming the file and the first problem's location.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import json
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from contracts.redact import REDACTED, SECRET_HEADERS, scrub_text

__all__ = ["Recorded", "TrafficFileError", "load_traffic"]

Headers = tuple[tuple[str, str], ...]


class TrafficFileError(Exception):
    """A file that is neither a readable HAR nor a cassette; ``str(e)`` is one line: ``<path>: <problem>``."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = " ".join(problem.split())  # one line, whatever the parser said
        super().__init__(f"{self.path}: {self.problem}")


@dataclass(frozen=True)
class Recorded:
    """One recorded request and its answer, with no credential value in it."""

    source: str  #: the file it came from (as given)
    entry: int  #: 0-based index in that file (HAR ``log.entries[i]``, cassette ``interactions[i]``)
    method: str  #: upper case
    url: str
    request_headers: Headers  #: as recorded (names' case kept); credential values are "<redacted>"
    request_body: str | None  #: the exact text sent (formatting kept); None when there was no body
    status: int  #: 0 when the recording holds no answer (HAR of a cancelled request)
    response_headers: Headers
    response_body: str
    principal: str | None  #: the project ID a Basic Authorization header named, else None
    started: str | None  #: HAR startedDateTime (cassettes record none)

    def where(self) -> str:
        """How a report points at this exchange: ``file#entry``."""
        return f"{self.source}#{self.entry}"


# ---------------------------------------------------------------- the two file shapes (what is read)

class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _HarHeader(_Loose):
    name: str
    value: str


class _HarParam(_Loose):
    name: str
    value: str = ""


class _HarPostData(_Loose):
    mimeType: str = ""
    text: str | None = None
    params: list[_HarParam] = Field(default_factory=list)


class _HarRequest(_Loose):
    method: str
    url: str
    headers: list[_HarHeader] = Field(default_factory=list)
    postData: _HarPostData | None = None


class _HarContent(_Loose):
    text: str | None = None
    encoding: str | None = None


class _HarResponse(_Loose):
    status: int
    headers: list[_HarHeader] = Field(default_factory=list)
    content: _HarContent = Field(default_factory=_HarContent)


class _HarEntry(_Loose):
    startedDateTime: str | None = None
    request: _HarRequest
    response: _HarResponse


class _HarLog(_Loose):
    entries: list[_HarEntry]


class _Har(_Loose):
    log: _HarLog


class _VcrRequest(_Loose):
    method: str
    uri: str
    headers: dict[str, list[str] | str] = Field(default_factory=dict)
    body: str | bytes | None = None


class _VcrBody(_Loose):
    string: str | bytes | None = None


class _VcrStatus(_Loose):
    code: int


class _VcrResponse(_Loose):
    status: _VcrStatus
    headers: dict[str, list[str] | str] = Field(default_factory=dict)
    body: _VcrBody = Field(default_factory=_VcrBody)


class _VcrInteraction(_Loose):
    request: _VcrRequest
    response: _VcrResponse


class _Cassette(_Loose):
    interactions: list[_VcrInteraction]


# ---------------------------------------------------------------- reading

def load_traffic(path: str | Path) -> list[Recorded]:
    """Every exchange of a HAR 1.2 file or a VCR.py cassette, in file order (the kind is told by content)."""
    source = str(path)
    data = _parse(source)
    try:
        if isinstance(data, dict) and "log" in data:
            return _from_har(source, _Har.model_validate(data))
        if isinstance(data, dict) and "interactions" in data:
            return _from_cassette(source, _Cassette.model_validate(data))
    except ValidationError as exc:
        raise TrafficFileError(source, _first_problem(exc)) from None
    raise TrafficFileError(source, "neither a HAR 1.2 file (no log.entries) nor a VCR.py cassette "
                                   "(no interactions)")


def _parse(source: str) -> Any:
    try:
        text = Path(source).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TrafficFileError(source, "no such file") from None
    except UnicodeDecodeError:
        raise TrafficFileError(source, "not UTF-8 text (HAR and cassettes are)") from None
    except OSError as exc:
        raise TrafficFileError(source, exc.strerror or type(exc).__name__) from None
    if not text.strip():
        raise TrafficFileError(source, "empty file")
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        return yaml.safe_load(text)  # safe: a cassette is data; a python/object tag is refused
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise TrafficFileError(source, f"neither JSON nor YAML{where}: {problem}") from None


def _first_problem(exc: ValidationError) -> str:
    # loc and message only: pydantic's own text quotes the input, which may hold a secret.
    error = exc.errors()[0]
    loc = ".".join(str(p) for p in error["loc"]) or "(top level)"
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{loc}: {error['msg']}{more}"


def _from_har(source: str, har: _Har) -> list[Recorded]:
    entries = har.log.entries
    secrets = _passwords(h.value for e in entries for h in e.request.headers
                         if h.name.lower() in ("authorization", "proxy-authorization"))
    out = []
    for i, e in enumerate(entries):
        headers = tuple((h.name, h.value) for h in e.request.headers)
        out.append(_recorded(
            source, i, e.request.method, e.request.url, headers, _har_request_body(e.request.postData),
            e.response.status, tuple((h.name, h.value) for h in e.response.headers),
            _har_response_body(e.response.content), e.startedDateTime, secrets))
    return out


def _har_request_body(post: _HarPostData | None) -> str | None:
    if post is None:
        return None
    if post.text is not None:
        return post.text
    # HAR 1.2: "text and params fields are mutually exclusive" — a form is recorded as its params.
    return urlencode([(p.name, p.value) for p in post.params]) if post.params else None


def _har_response_body(content: _HarContent) -> str:
    if content.text is None:
        return ""
    if content.encoding == "base64":
        try:
            return base64.b64decode(content.text).decode("utf-8", errors="replace")
        except (binascii.Error, ValueError):
            return content.text
    return content.text


def _from_cassette(source: str, cassette: _Cassette) -> list[Recorded]:
    interactions = cassette.interactions
    flat = [(_flat(x.request.headers), _flat(x.response.headers)) for x in interactions]
    secrets = _passwords(v for req, _ in flat for n, v in req
                         if n.lower() in ("authorization", "proxy-authorization"))
    out = []
    for i, (x, (req_headers, resp_headers)) in enumerate(zip(interactions, flat, strict=True)):
        body = x.request.body
        out.append(_recorded(
            source, i, x.request.method, x.request.uri, req_headers,
            None if body is None or body == b"" else _text(body, ()),
            x.response.status.code, resp_headers, _text(x.response.body.string or "", resp_headers),
            None, secrets))
    return out


def _flat(headers: Mapping[str, list[str] | str]) -> Headers:
    # vcrpy records each header as a list of values (one per occurrence).
    return tuple((name, v) for name, values in headers.items()
                 for v in ([values] if isinstance(values, str) else values))


def _text(body: str | bytes, headers: Headers) -> str:
    if isinstance(body, str):
        return body
    encoding = next((v.lower() for n, v in headers if n.lower() == "content-encoding"), "")
    try:
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
    except (OSError, zlib.error, EOFError):
        pass  # recorded already decoded (decode_compressed_response=True): read as is
    return body.decode("utf-8", errors="replace")


# ---------------------------------------------------------------- credentials

def _basic_pair(value: str) -> tuple[str, str] | None:
    scheme, _, encoded = value.strip().partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        user, sep, password = base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, ValueError):
        return None
    return (user, password) if sep else None


def _passwords(values: Iterable[str]) -> list[str]:
    found: set[str] = set()
    for value in values:
        pair = _basic_pair(value)
        if pair is not None:
            found.add(pair[1])
        # A Bearer or any other scheme: its credential, whatever it is, is masked elsewhere too.
        _, _, rest = value.strip().partition(" ")
        found.add(rest.strip() or value.strip())
    return [s for s in found if s and s != REDACTED]


def _principal(headers: Headers) -> str | None:
    for name, value in headers:
        if name.lower() == "authorization":
            pair = _basic_pair(value)
            if pair is not None and pair[0]:
                return pair[0]
    return None


def _safe_headers(headers: Headers, secrets: list[str]) -> Headers:
    return tuple((name, REDACTED if name.lower() in SECRET_HEADERS else scrub_text(value, secrets))
                 for name, value in headers)


def _recorded(source: str, entry: int, method: str, url: str, request_headers: Headers,
              request_body: str | None, status: int, response_headers: Headers, response_body: str,
              started: str | None, secrets: list[str]) -> Recorded:
    return Recorded(
        source=source, entry=entry, method=method.upper(), url=scrub_text(url, secrets),
        request_headers=_safe_headers(request_headers, secrets),
        request_body=None if request_body is None else scrub_text(request_body, secrets),
        status=status, response_headers=_safe_headers(response_headers, secrets),
        response_body=scrub_text(response_body, secrets),
        principal=_principal(request_headers), started=started)
