"""The documented contract as a pure function: ``handle(method, path, headers, body) -> Answer``.

No I/O and no asyncio: the ASGI layer feeds it and sends what it returns. State (one profile per project)
sits behind one lock, held for a whole PUT so that validation (uniqueness) and the write are atomic.

Order of checks, outermost first, as a real stack would do them: routing (404, 405), the size limit of the
front proxy (413), authentication and scope (401), then for PUT the media type (415), JSON syntax (400),
and the attributes (422, one error item per problem; nothing is stored unless every field is valid).
Vocabularies, the E.164 pattern, the error text of 401 and the domain template come from the OpenAPI
fragment through ``load_spec()``; nothing here repeats them.
"""

from __future__ import annotations

import base64
import binascii
import copy
import hmac
import json
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import phonenumbers

from ..spec import PATH, load_spec
from ._answers import Answer, error, json_answer
from ._config import MockConfig, Project
from ._mutants import MUTANTS

__all__ = ["Service"]

ALLOW = "GET, PUT"
Profile = dict[str, Any]
Outcome = tuple[Any, list[str]]  # (value to store, problems): a field is valid when problems is empty

# Names used only by mutants: the faithful vocabularies come from the spec, these are the regressions.
_EXTRA_CODEC = "G729"
_EXTRA_CIPHER = "AES_128_GCM"
_EXTRA_ENCRYPTION = "none"
_VIDEO_CODECS = frozenset({"VP8", "H264"})
_GCM8_CIPHER = "AEAD_AES_256_GCM_8"


class _InternalError(Exception):
    """A mutant's simulated crash; answered 500 with the documented body."""


class Hooks:
    """Where a mutant switches on. ``on()`` refuses unknown names so a typo cannot silently do nothing."""

    def __init__(self, mutant: str | None) -> None:
        if mutant is not None and mutant not in MUTANTS:
            raise ValueError(f"unknown mutant {mutant!r}; known: {', '.join(sorted(MUTANTS))}")
        self.mutant = mutant

    def on(self, name: str) -> bool:
        if name not in MUTANTS:
            raise KeyError(f"hook for unknown mutant {name!r}")
        return self.mutant == name


def _json_type(value: object) -> str:
    for kind, name in ((bool, "boolean"), (str, "string"), (int, "number"), (float, "number"),
                       (list, "array"), (dict, "object")):
        if isinstance(value, kind):
            return name
    return "null"


def _show(value: object) -> str:
    text = json.dumps(value)
    return text if len(text) <= 60 else text[:57] + "..."


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
        self._identifier = re.compile(config.identifier_pattern)
        self._validators: dict[str, Callable[[str, Any], Outcome]] = {
            "domain_identifier": self._domain_identifier,
            "default_codecs": self._codecs,
            "default_ciphers": self._ciphers,
            "default_encryption": self._encryption,
            "default_send_as": self._send_as,
        }
        if set(self._validators) != set(self._spec.update_fields):
            raise RuntimeError("the fragment's request fields changed; update the mock's validators")
        for number in config.owned_numbers or ():
            if not self._is_e164(number):
                raise ValueError(f"MockConfig.owned_numbers has {number!r}: not a valid E.164 number")
        self._initial = {pid: copy.deepcopy(dict(p)) for pid, p in initial.items()}
        for profile in self._initial.values():  # domain is always derived, never given
            profile["domain"] = self.domain(profile["domain_identifier"])
        self._lock = threading.Lock()
        self.reset()

    # -- state ----------------------------------------------------------------------------------------------
    def reset(self) -> None:
        with self._lock:
            self._profiles = copy.deepcopy(self._initial)
            self._previous: dict[str, Profile] = {}

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

    # -- the request --------------------------------------------------------------------------------------
    def handle(self, method: str, path: str, headers: Mapping[str, str], body: bytes) -> Answer:
        """Answer one request. ``headers`` has lower-case names; ``body`` may be cut at max_body_bytes + 1."""
        try:
            return self._handle(method.upper(), path, headers, body)
        except _InternalError:
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
        project_id = self._authenticate(method, headers)
        if not isinstance(project_id, str):
            return project_id
        if method == "GET":
            return self._get(project_id)
        return self._put(project_id, headers, body)

    def _too_large(self, headers: Mapping[str, str], body: bytes) -> bool:
        limit = self.config.max_body_bytes
        declared = headers.get("content-length", "").strip()
        return len(body) > limit or (declared.isdigit() and int(declared) > limit)

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
        of_project = [p for p in self._projects if p.project_id == user]
        if not of_project:
            return self._unauthorized()
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
        media_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != "application/json":
            return error(415, "Unsupported Media Type")
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):  # RecursionError: deeply nested arrays fit in 64 KiB
            if self.hooks.on("malformed-json-500"):
                raise _InternalError from None
            return error(400, "Bad Request")
        if not isinstance(data, dict):
            return self._invalid([f"the request body must be a JSON object, not {_json_type(data)}"])
        with self._lock:
            changes, problems = self._validate(project_id, data)
            if problems:
                if self.hooks.on("non-atomic-rejection"):
                    self._apply(project_id, changes)
                return self._invalid(problems)
            answer = self._apply(project_id, changes)
        if self.hooks.on("put-without-send-as"):
            del answer["default_send_as"]
        return json_answer(200 if self.hooks.on("put-answers-200") else 201, answer)

    def _invalid(self, problems: list[str]) -> Answer:
        status: str | int = 422 if self.hooks.on("error-status-number") else "422"
        items = [{"detail": detail, "status": status, "title": "Invalid Attribute", "code": "422"}
                 for detail in problems]
        return json_answer(400 if self.hooks.on("error-400-not-422") else 422, {"errors": items})

    def _validate(self, project_id: str, data: Mapping[str, Any]) -> tuple[Profile, list[str]]:
        changes: Profile = {}
        problems: list[str] = []
        if self.config.unknown_fields == "reject":
            problems += [f"unknown attribute {_show(k)}" for k in data if k not in self._validators]
        for name, validate in self._validators.items():
            if name in data:
                value, found = validate(project_id, data[name])
                if found:
                    problems += found
                else:
                    changes[name] = value
            elif self.config.omitted == "replace":
                changes[name] = None
        return changes, problems

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

    # -- the fields ---------------------------------------------------------------------------------------
    def _domain_identifier(self, project_id: str, value: Any) -> Outcome:
        if not isinstance(value, str):
            return None, [f"domain_identifier must be a string, not {_json_type(value)}"]
        candidate = value.replace("_", "-") if self.hooks.on("identifier-accepts-underscore") else value
        if not self._identifier.fullmatch(candidate):
            return None, [f"domain_identifier {_show(value)} is not allowed: it must match "
                          f"{self.config.identifier_pattern}"]
        if not self.hooks.on("identifier-not-unique") and any(
                pid != project_id and p["domain_identifier"] == value for pid, p in self._profiles.items()):
            return None, [f"domain_identifier {_show(value)} is already taken"]
        return value, []

    def _codecs(self, project_id: str, value: Any) -> Outcome:
        vocabulary = self._spec.codecs
        if self.hooks.on("codec-accepts-g729"):
            vocabulary += (_EXTRA_CODEC,)
        if self.hooks.on("codec-rejects-video"):
            vocabulary = tuple(c for c in vocabulary if c not in _VIDEO_CODECS)
        if self.hooks.on("codecs-non-list-500") and value is not None and not isinstance(value, list):
            raise _InternalError
        if self.hooks.on("codecs-empty-500") and value == []:
            raise _InternalError
        stored, problems = self._names("default_codecs", "codec", value, vocabulary,
                                       upper=self.hooks.on("codec-case-insensitive"))
        if problems or stored is None:
            return stored, problems
        if self.hooks.on("codecs-empty-rejected") and not stored:
            return None, ["default_codecs must not be empty"]
        if self.hooks.on("codecs-deduped"):
            stored = list(dict.fromkeys(stored))
        if self.hooks.on("codecs-sorted"):
            stored.sort()
        return stored, []

    def _ciphers(self, project_id: str, value: Any) -> Outcome:
        vocabulary = self._spec.ciphers
        if self.hooks.on("cipher-accepts-aes-128-gcm"):
            vocabulary += (_EXTRA_CIPHER,)
        if self.hooks.on("cipher-rejects-gcm8"):
            vocabulary = tuple(c for c in vocabulary if c != _GCM8_CIPHER)
        return self._names("default_ciphers", "cipher", value, vocabulary, upper=False)

    def _names(self, field: str, kind: str, value: Any, vocabulary: tuple[str, ...], *,
               upper: bool) -> Outcome:
        """A list of names from a vocabulary, shaped by the configured undocumented choices."""
        cfg = self.config
        if value is None:
            return None, ([] if cfg.null_values == "reset" else [f"{field} must not be null"])
        if not isinstance(value, list):
            return None, [f"{field} must be a list of strings, not {_json_type(value)}"]
        upper = upper or cfg.case_insensitive
        names: list[str] = []
        problems: list[str] = []
        for i, item in enumerate(value):
            if not isinstance(item, str):
                problems.append(f"{field}[{i}] must be a string, not {_json_type(item)}")
            elif (item.upper() if upper else item) not in vocabulary:
                problems.append(f"{field}[{i}] {_show(item)} is not a supported {kind}; supported: "
                                f"{', '.join(vocabulary)}")
            else:
                names.append(item.upper() if upper else item)
        if not value and not cfg.allow_empty_lists:
            problems.append(f"{field} must not be empty")
        if problems:
            return None, problems
        if cfg.dedupe:
            names = list(dict.fromkeys(names))
        if not cfg.keep_order:
            names.sort(key=vocabulary.index)
        return names, []

    def _encryption(self, project_id: str, value: Any) -> Outcome:
        allowed = self._spec.encryption_values
        if self.hooks.on("encryption-accepts-none"):
            allowed += (_EXTRA_ENCRYPTION,)
        if value is None:
            rejected = self.config.null_values == "reject"
            return None, (["default_encryption must not be null"] if rejected else [])
        if isinstance(value, str) and value in allowed:
            return value, []
        return None, [f"default_encryption {_show(value)} is not allowed: it must be one of "
                      f"{', '.join(allowed)}"]

    def _send_as(self, project_id: str, value: Any) -> Outcome:
        # null and "" mean the same thing (a random number of the project) and are both stored as null.
        if value is None or value == "":
            rejected = "sendas-null-rejected" if value is None else "sendas-empty-rejected"
            if self.hooks.on(rejected):
                return None, [f"default_send_as must not be {_show(value)}"]
            return ("" if self.hooks.on("sendas-null-reads-back-empty") else None), []
        if not isinstance(value, str):
            return None, [f"default_send_as must be a string or null, not {_json_type(value)}"]
        if not self._accepts_number(value):
            return None, [f"default_send_as {_show(value)} is not an E.164 number (such as +12015550123)"]
        if self.hooks.on("sendas-only-nanp") and not value.startswith("+1"):
            return None, [f"default_send_as {_show(value)} is not a North American number"]
        owned = self.config.owned_numbers
        if owned is not None and value not in owned:
            return None, [f"default_send_as {_show(value)} is not a purchased or verified number of "
                          "the project"]
        return value, []

    def _accepts_number(self, value: str) -> bool:
        if self.hooks.on("sendas-accepts-no-plus") and re.fullmatch(r"[0-9]+", value):
            value = "+" + value
        if self.hooks.on("sendas-accepts-16-digits") and re.fullmatch(r"\+[0-9]{16,}", value):
            return True
        if self.hooks.on("sendas-accepts-national-format") and self._is_number(value, region="US"):
            return True
        return self._is_e164(value)

    def _is_e164(self, value: str) -> bool:
        """The pattern of the fragment, then libphonenumber: a real number, written in canonical E.164."""
        if not self._spec.e164_pattern.fullmatch(value):
            return False
        return self._is_number(value, region=None, canonical=True)

    @staticmethod
    def _is_number(value: str, *, region: str | None, canonical: bool = False) -> bool:
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            return False
        if not phonenumbers.is_valid_number(number):
            return False
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        return not canonical or e164 == value
