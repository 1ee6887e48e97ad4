"""The request shapes the suite speaks, and the clients they come from (each cites its source).

The generic shapes vary one thing of the canonical request (``Accept: application/json``, ``Content-Type``
exactly ``application/json`` on PUT and none on GET, a compact body). Where a real client sends a shape,
the shape *is* that client's request, headers and all, so one request serves both rows of the matrix:
the python-sdk GET is the "Content-Type on GET" shape, curl's requests are the ``Accept: */*`` shape.
"""

from __future__ import annotations

from dataclasses import dataclass

from contracts.engine.wire import Op, Shape

__all__ = ["CLIENTS", "SHAPES", "Client"]

_SDK_PY = ("signalwire-sdk 3.7.5 (PyPI), signalwire/rest/_base.py: the requests.Session headers "
           "Content-Type and Accept application/json and User-Agent signalwire-python/<version> on every "
           "request, the body by requests' json= (json.dumps, default separators); requests adds "
           "Accept-Encoding and Connection (as captured on the wire against a local server)")
_SDK_TS = ("signalwire/signalwire-typescript src/rest/HttpClient.ts (2.0.x): Accept application/json, "
           "User-Agent @signalwire/sdk-ts/2.0.0, Content-Type only with a body, JSON.stringify (keys in "
           "the caller's order); Node 20's fetch (undici) adds accept-language *, sec-fetch-mode cors, "
           "accept-encoding gzip, deflate (as captured on the wire against a local server)")
_CURL = ("curl 7.88's own defaults (Accept: */*, User-Agent: curl/7.88.1) on the request the reference page "
         "shows (https://signalwire.com/docs/apis/rest/sip-profile/update-sip-profile.md: "
         "PUT …/api/relay/rest/sip_profile with Content-Type: application/json, Basic auth), as a user "
         "copies it into curl -u … "
         "-H 'Content-Type: application/json' -d '{…}'")

_PY_HEADERS = (("Accept", "application/json"), ("Content-Type", "application/json"),
               ("Accept-Encoding", "gzip, deflate"), ("User-Agent", "signalwire-python/3.7.5"))
_TS_GET = (("Accept", "application/json"), ("User-Agent", "@signalwire/sdk-ts/2.0.0"),
           ("accept-language", "*"), ("sec-fetch-mode", "cors"), ("accept-encoding", "gzip, deflate"))
_CURL_GET = (("Accept", "*/*"), ("User-Agent", "curl/7.88.1"))
_Q_LIST = "text/html;q=0.9, application/json;q=0.8"
_JSON = ("Content-Type", "application/json")

#: Every shape, by name, in the order they are sent (and shown).
SHAPES: dict[str, Shape] = {s.name: s for s in (
    # An Accept shape changes how answers are written, not what a body does: its GET (a profile) and its
    # invalid PUT (an error list) show both kinds of answer. curl's shape keeps all three (a client row).
    Shape("accept-absent", "requests without an Accept header", omit=("Accept",), ops=("get", "invalid"),
          source="RFC 9110, section 12.5.1: no Accept header means any media type is acceptable"),
    Shape("accept-any", "requests with Accept: */*", get_headers=_CURL_GET,
          put_headers=(*_CURL_GET, _JSON), source=_CURL),
    Shape("accept-q-values", "requests with an Accept list with q-values that admits JSON",
          get_headers=(("Accept", _Q_LIST),), put_headers=(("Accept", _Q_LIST), _JSON),
          ops=("get", "invalid"),
          source="RFC 9110, section 12.5.1: the highest-ranked acceptable type the server offers"),
    # A body shape changes how the body is read: its valid PUT, echoed and judged by the model, shows a body
    # that was not read as sent. The clients' body shapes keep their invalid PUT (a client row).
    Shape("charset-lower", "PUTs with Content-Type: application/json; charset=utf-8",
          put_headers=(("Content-Type", "application/json; charset=utf-8"),), ops=("put",),
          source="RFC 9110, section 8.3.1: parameters do not change the media type (most HTTP stacks)"),
    Shape("charset-upper", "PUTs with Content-Type: application/json;charset=UTF-8",
          put_headers=(("Content-Type", "application/json;charset=UTF-8"),), ops=("put",),
          source="Java's and .NET's HTTP clients (RFC 9110, section 8.3.1)"),
    Shape("content-type-on-get", "GETs with a Content-Type header (and no body)", get_headers=_PY_HEADERS,
          ops=("get",), source=_SDK_PY),
    Shape("python-separators", "bodies written with Python's default JSON separators", fmt="python",
          put_headers=_PY_HEADERS, ops=("put", "invalid"), source=_SDK_PY),
    Shape("pretty", "pretty-printed bodies over many lines", fmt="pretty", ops=("put",),
          source="RFC 8259, section 2: whitespace is allowed before or after any structural character"),
    Shape("reordered", "bodies with the members in another order (with typescript-sdk's headers)",
          fmt="reordered",
          put_headers=(*_TS_GET[:2], *_TS_GET[2:], _JSON), ops=("put", "invalid"), source=_SDK_TS),
    Shape("typescript-get", "GETs as Node's fetch sends them (sec-fetch-mode, accept-language)",
          get_headers=_TS_GET, ops=("get",), source=_SDK_TS),
    Shape("largest", "the largest documented-valid body", body="largest", ops=("put",),
          source="every field at its longest documented-valid value"),
    Shape("every-field", "a body with every field at once", body="every-field", ops=("put",),
          source="provisioning code that sends the whole profile"),
    Shape("chunked", "bodies sent with Transfer-Encoding: chunked", fmt="chunked", ops=("put",),
          documented=False, source="RFC 9112, section 6.3: a server may answer 411 instead"),
    Shape("accept-no-json", "requests whose Accept admits no JSON", get_headers=(("Accept", "text/html"),),
          ops=("get",), documented=False, source="RFC 9110, section 15.5.7: a server may answer 406"),
)}


@dataclass(frozen=True)
class Client:
    """A row of the client matrix: which shape the client's GET and PUTs are."""

    name: str
    source: str
    get: str | None
    put: str | None

    def shape(self, op: Op) -> str | None:
        return self.get if op == "get" else self.put


#: The real clients. The generic shapes are rows of their own too; the user's HAR adds ``har``.
CLIENTS: tuple[Client, ...] = (
    Client("python-sdk 3.7.5", _SDK_PY, get="content-type-on-get", put="python-separators"),
    Client("typescript-sdk 2.0.5", _SDK_TS, get="typescript-get", put="reordered"),
    Client("curl 7.88", _CURL, get="accept-any", put="accept-any"),
)
