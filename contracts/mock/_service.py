"""The documented contract as a pure function: ``handle(method, path, headers, body) -> Answer``.

No I/O and no asyncio: the ASGI layer feeds it and sends what it returns. State (one profile per project)
sits behind one lock, held for a whole PUT so that validation (uniqueness) and the write are atomic.

Order of checks, outermost first, as a real stack would do them: routing (404, 405), the size limit of the
front proxy (413), authentication and scope (401), then for PUT the media type (415), JSON syntax (400),
and the attributes (422, one error item per problem, see ``_fields.py``; nothing is stored unless every
field is valid). The error text of 401 and the domain template come from the OpenAPI fragment.
"""

from __future__ import annotations

import base64
import binascii
import copy
import hmac
import json
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import replace

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from ..spec import PATH, load_spec
from ._answers import Answer, error, json_answer
from ._config import MockConfig, Project
from ._fields import Fields, Profile, json_type
from ._hooks import Hooks, InternalError

__all__ = ["Service", "basic_credentials"]

ALLOW = "GET, PUT"
#: The slow-put mutant's extra time per PUT: about 100 times an in-process GET (a fraction of a ms).
SLOW_PUT_S = 0.03
#: The large-body-413 mutant's lowered proxy limit: below the largest documented-valid profile body
#: (every codec and cipher, a 40-character identifier, a 15-digit number: about 330 bytes compact).
LOWERED_BODY_LIMIT = 300


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    """``(user, password)`` of an RFC 7617 Basic header, or None when it is missing or malformed."""
    scheme, _, param = (header or "").strip().partition(" ")
    if scheme.lower() != "basic" or not param.strip():
        return None
    try:
        decoded = base64.b64decode(param.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    user, sep, password = decoded.partition(":")
    return (user, password) if sep else None


class Service:
    def __init__(self, config: MockConfig, projects: Sequence[Project], mutant: str | None,
                 initial: Mapping[str, Profile]) -> None:
        self.hooks = Hooks(mutant)
        # Two mutants are the faithful mock under another undocumented choice: reuse the option.
        if self.hooks.on("omitted-fields-reset"):
            config = replace(config, omitted="replace")
        if self.hooks.on("unknown-fields-rejected"):
            config = replace(config, unknown_fields="reject")
        self.config = config
        self._spec = load_spec()
        self._projects = tuple(projects)
        self._initial = {pid: copy.deepcopy(dict(p)) for pid, p in initial.items()}
        first = frozenset(str(p["domain_identifier"]) for p in self._initial.values())
        self._fields = Fields(config, self.hooks, lambda: self._profiles, first)
        for profile in self._initial.values():  # domain is always derived, never given
            profile["domain"] = self.domain(profile["domain_identifier"])
        self._lock = threading.Lock()
        self.reset()

    # -- state ----------------------------------------------------------------------------------------------
    def reset(self) -> None:
        with self._lock:
            self._profiles = copy.deepcopy(self._initial)
            self._previous: dict[str, Profile] = {}
            self._puts = 0  #: PUTs answered (the put-500-one-in-eight mutant's clock)

    def profile(self, project_id: str) -> Profile:
        with self._lock:
            return copy.deepcopy(self._profiles[project_id])

    def domain(self, identifier: str | None) -> str | None:
        if identifier is None:
            return None
        return self._spec.domain_template.format(space=self.config.space, domain_identifier=identifier)

    @property
    def latency_s(self) -> float:
        return 2.0 if self.hooks.on("slow-responses") else 0.0

    def latency_for(self, method: str) -> float:
        """The mutants' added latency of one request: a slow write path is 100 times a GET's cost."""
        if method == "PUT" and self.hooks.on("slow-put"):
            return SLOW_PUT_S
        return self.latency_s

    # -- the request --------------------------------------------------------------------------------------
    def handle(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> Answer:
        """Answer one request. ``headers`` has lower-case names; ``body`` may be cut at max_body_bytes + 1."""
        try:
            return self._handle(method, path, headers, body)  # methods are case-sensitive (RFC 9110)
        except InternalError:
            return error(500, "Internal Server Error")

    def _handle(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> Answer:
        if path != PATH:
            return error(404, "Not Found")
        if method == "POST" and self.hooks.on("post-acts-as-put"):
            method = "PUT"
        # HEAD is answered 405 like every undeclared method: the fragment declares GET and PUT only.
        if method not in ("GET", "PUT"):
            return error(405, "Method Not Allowed", {"allow": ALLOW})
        if self._too_large(headers, body):
            return error(413, "Payload Too Large")
        refused = self._shape_refused(method, headers)
        if refused is not None:
            return refused
        project_id = self._authenticate(method, headers)
        if not isinstance(project_id, str):
            return project_id
        if method == "GET":
            return self._get(project_id)
        if self.hooks.on("put-500-one-in-eight") and self._eighth_put():
            return error(500, "Internal Server Error")  # before anything is stored: a replay applies it
        return self._put(project_id, headers, body)

    def _eighth_put(self) -> bool:
        """Counts the PUTs that reach the handler; True for every 8th (deterministic, no randomness)."""
        with self._lock:
            self._puts += 1
            return self._puts % 8 == 0

    def _too_large(self, headers: Mapping[str, str], body: bytes) -> bool:
        limit = self.config.max_body_bytes
        if self.hooks.on("large-body-413"):
            limit = min(limit, LOWERED_BODY_LIMIT)
        declared = headers.get("content-length", "").strip()
        return len(body) > limit or (declared.isdigit() and int(declared) > limit)

    # -- the request's shape: framing, negotiation, the front filters' rules --------------------------
    def _shape_refused(self, method: str, headers: Mapping[str, str]) -> Answer | None:
        """The answer refusing the request's shape (before authentication, as a front layer does)."""
        accept = headers.get("accept")
        chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        if chunked and "content-length" not in headers and self.config.chunked == "refuse":
            return error(411, "Length Required")
        if self.config.accept == "json" and not admits_json(accept):
            return error(406, "Not Acceptable")
        if self._accept_mutant(accept):
            return error(406, "Not Acceptable")
        if method == "GET" and "content-type" in headers and self.hooks.on("get-content-type-400"):
            return error(400, "Bad Request")
        if "sec-fetch-mode" in headers and self.hooks.on("fetch-metadata-403"):
            return error(403, "Forbidden")
        return None

    def _accept_mutant(self, accept: str | None) -> bool:
        if accept is None:
            return self.hooks.on("accept-absent-406")
        if self.hooks.on("accept-wildcard-406") and accept.strip() == "*/*":
            return True
        # A hand-rolled negotiation that only knows a bare media type: any parameter (q=…) fails it.
        return self.hooks.on("accept-q-values-406") and ";" in accept

    # -- authentication -----------------------------------------------------------------------------------
    def _unauthorized(self) -> Answer:
        key = "message" if self.hooks.on("auth-401-body-message") else "error"
        return json_answer(401, {key: self._spec.unauthorized_error})

    def _authenticate(self, method: str, headers: Mapping[str, str]) -> str | Answer:
        """The project id the request acts on, or the answer refusing it."""
        credentials = basic_credentials(headers.get("authorization"))
        if credentials is None:
            if method == "GET" and self.hooks.on("auth-get-without-credentials"):
                return next(p.project_id for p in self._projects if p.voice)
            return self._unauthorized()
        user, token = credentials
        if self.hooks.on("auth-swapped-accepted") and not any(p.project_id == user for p in self._projects):
            user, token = token, user
        if self.hooks.on("auth-project-id-prefix"):
            user = next((p.project_id for p in self._projects if p.project_id[:-1] == user[:-1]), user)
        of_project = [p for p in self._projects if p.project_id == user]
        if not of_project:
            return self._unauthorized()
        token = self._loosened(token, of_project)
        if self.hooks.on("auth-any-token"):
            return user
        if self.hooks.on("auth-cross-project") and any(p.voice and p.token == token for p in self._projects):
            return user
        # compare_digest: the mock may face a network, and it costs nothing to do this right.
        match = next((p for p in of_project if hmac.compare_digest(p.token, token)), None)
        if match is None:
            return self._unauthorized()
        if not match.voice and not self.hooks.on("auth-scope-ignored"):
            if self.hooks.on("auth-novoice-403"):
                return error(403, "Forbidden")
            return self._unauthorized()
        return match.project_id

    def _loosened(self, token: str, of_project: Sequence[Project]) -> str:
        """The loose comparisons of the credential mutants: the right token when the loose rule matches."""
        for p in of_project:
            loose = (
                (self.hooks.on("auth-token-case-insensitive") and token.lower() == p.token.lower())
                or (self.hooks.on("auth-token-prefix") and token[:len(p.token) - 1] == p.token[:-1])
                or (self.hooks.on("auth-token-stripped") and token.strip() == p.token)
                or (self.hooks.on("auth-empty-password") and token == "")
            )
            if loose:
                return p.token
        return token

    # -- GET ----------------------------------------------------------------------------------------------
    def _get(self, project_id: str) -> Answer:
        with self._lock:
            current = self._profiles[project_id]
            if self.hooks.on("stale-get"):
                current = self._previous.get(project_id, current)
            profile = self._render(current)
        if self.hooks.on("get-without-domain"):
            del profile["domain"]
        if self.hooks.on("codecs-sorted-on-read") and profile["default_codecs"] is not None:
            profile["default_codecs"] = sorted(profile["default_codecs"])
        sent_as = profile.get("default_send_as")
        if self.hooks.on("sendas-truncated-on-read") and isinstance(sent_as, str) and len(sent_as) > 15:
            profile["default_send_as"] = sent_as[:15]
        if self.hooks.on("get-ciphers-null"):
            profile["default_ciphers"] = None
        status, headers, body = json_answer(200, profile)
        if self.hooks.on("get-text-plain"):
            headers["content-type"] = "text/plain"
        return status, headers, body

    def _render(self, profile: Profile) -> Profile:
        return {name: copy.deepcopy(profile[name]) for name in self._spec.profile_fields}

    # -- PUT ----------------------------------------------------------------------------------------------
    def _put(self, project_id: str, headers: Mapping[str, str], body: bytes) -> Answer:
        content_type = headers.get("content-type", "")
        media_type = content_type.split(";")[0].strip().lower()
        if media_type != "application/json" or (";" in content_type and self.hooks.on("charset-415")):
            return error(415, "Unsupported Media Type")
        if self.hooks.on("spaced-json-400") and re.search(rb'[,:]\s', body):
            return error(400, "Bad Request")  # a hand-written parser that expects compact JSON
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):  # RecursionError: deeply nested arrays fit in 64 KiB
            if self.hooks.on("malformed-json-500"):
                raise InternalError from None
            return error(400, "Bad Request")
        if not isinstance(data, dict):
            return self._invalid([f"the request body must be a JSON object, not {json_type(data)}"])
        if self.hooks.on("reordered-keys-ignored"):
            data = _in_documented_order(data, self._spec.update_fields)
        with self._lock:
            changes, problems = self._fields.validate(project_id, data)
            if problems:
                if self.hooks.on("non-atomic-rejection"):
                    self._apply(project_id, changes)
                return self._invalid(problems)
            if self.hooks.on("full-put-sorts-ciphers") and set(self._spec.update_fields) <= set(data) \
                    and changes.get("default_ciphers"):
                changes["default_ciphers"] = sorted(changes["default_ciphers"])
            if self.hooks.on("sendas-stored-with-space"):
                changes = _spaced_send_as(changes)
            answer = self._apply(project_id, changes)
            if self.hooks.on("readonly-domain-stored") and isinstance(data.get("domain"), str):
                # mass assignment: the read-only member is bound to the stored object like any other
                self._profiles[project_id]["domain"] = answer["domain"] = data["domain"]
        if self.hooks.on("put-echo-omitted-null"):
            answer.update({name: None for name in self._spec.update_fields if name not in data})
            answer["domain"] = self.domain(answer["domain_identifier"])
        if self.hooks.on("put-without-send-as"):
            del answer["default_send_as"]
        return json_answer(200 if self.hooks.on("put-answers-200") else 201, answer)

    def _invalid(self, problems: list[str]) -> Answer:
        status: str | int = 422 if self.hooks.on("error-status-number") else "422"
        items = [{"detail": detail, "status": status, "title": "Invalid Attribute", "code": "422"}
                 for detail in problems]
        return json_answer(400 if self.hooks.on("error-400-not-422") else 422, {"errors": items})

    def _apply(self, project_id: str, changes: Profile) -> Profile:
        """Store the changes and return the profile to answer (caller holds the lock)."""
        profile = self._profiles[project_id]
        self._previous[project_id] = copy.deepcopy(profile)
        stored = dict(changes)
        if self.hooks.on("ciphers-not-persisted"):
            stored.pop("default_ciphers", None)
        profile.update(copy.deepcopy(stored))
        if "domain_identifier" in changes and not self.hooks.on("domain-not-recomputed"):
            profile["domain"] = self.domain(profile["domain_identifier"])
        answer = self._render(profile)
        if "default_ciphers" in changes:  # what the PUT echoes, stored or not
            answer["default_ciphers"] = copy.deepcopy(changes["default_ciphers"])
        return answer


def _spaced_send_as(changes: Profile) -> Profile:
    """The sendas-stored-with-space mutant: '+989601' becomes '+98 9601' (a +1 number is left alone)."""
    number = changes.get("default_send_as")
    if isinstance(number, str) and number.startswith("+") and not number.startswith("+1"):
        return {**changes, "default_send_as": f"{number[:3]} {number[3:]}"}
    return changes


def admits_json(accept: str | None) -> bool:
    """Whether an ``Accept`` header admits ``application/json`` (RFC 9110, section 12.5.1: absent admits
    everything; ``*/*`` and ``application/*`` match; ``q=0`` excludes)."""
    if accept is None or not accept.strip():
        return True
    return parse_accept_header(accept, MIMEAccept).best_match(["application/json"]) is not None


def _in_documented_order(data: dict[str, object], order: Sequence[str]) -> dict[str, object]:
    """The reordered-keys-ignored mutant: a streaming reader that only moves forward through the
    documented member order drops every member that comes after a later one."""
    kept: dict[str, object] = {}
    position = -1
    for name, value in data.items():
        if name in order:
            if order.index(name) < position:
                continue
            position = order.index(name)
        kept[name] = value
    return kept
