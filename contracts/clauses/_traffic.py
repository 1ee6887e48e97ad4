"""Judging exchanges the suite did not send (recorded traffic, the validating proxy) with the suite's checks.

A user's application sends whatever it sends, so before a clause may judge an answer the request is
classified field by field, from the fragment (:func:`classify`): a value the docs settle as valid, one they
settle as invalid (``stateless.documented_invalid``, the classifier SP-PROTO-006 uses), or one whose
handling they leave open (the fragment's ``x-undocumented``: case variants, empty or duplicate lists, null,
unknown fields, identifier character rules). Only what the docs settle is judged:

- the status documented for the method, by the session's own expectations (``expect_status``,
  ``expect_error_list``, ``expect_unauthorized``), under the clause that asserts it in a run;
- a documented-invalid value must be refused with 422 (a 201 for an unsupported codec is SP-CODEC-003's
  finding), and a body of documented-valid codecs, ciphers and encryption only must be accepted;
- every answer also passes the run's monitors (SP-PROTO-004/007, SP-ID-001, the SP-STATE-005 model), each
  :class:`RecordedSession` being one project's recorded sequence over a client that never sends.

After an accepted write of an undocumented value the profile holds what the docs do not describe: until a
documented write sets that field again, the project's answers are not judged against the response schema
or the domain rule (the model still follows them).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import httpx

from contracts.engine.client import NO_BODY, TRANSIENT_STATUSES, Client, Exchange
from contracts.engine.config import Credentials, RunConfig, Target
from contracts.engine.effort import EFFORTS
from contracts.engine.session import Session
from contracts.engine.verdicts import Violation
from contracts.spec import PATH, Spec

from .. import generators as gen
from .model import model_of
from .stateless import documented_invalid

__all__ = ["TRAFFIC_CLAUSES", "RecordedSession", "RequestClass", "classify", "request_body"]

Kind = Literal["valid", "invalid", "undocumented"]

#: Per field: (clause that a documented-valid value must be accepted under, or None when acceptance is not
#: settled (uniqueness, ownership); clause for a documented-invalid value; clause for a wrong type).
_FIELD_CLAUSES: Mapping[str, tuple[str | None, str, str]] = {
    "default_codecs": ("SP-CODEC-002", "SP-CODEC-003", "SP-CODEC-004"),
    "default_ciphers": ("SP-CIPHER-002", "SP-CIPHER-003", "SP-CIPHER-004"),
    "default_encryption": ("SP-ENC-001", "SP-ENC-002", "SP-ENC-002"),
    "default_send_as": (None, "SP-SENDAS-003", "SP-SENDAS-004"),
    "domain_identifier": (None, "SP-ID-003", "SP-ID-003"),
}
#: RunConfig wants a report directory; a recorded session never writes one.
_NOWHERE = Path(os.devnull)
#: Every clause recorded traffic can speak to: the statuses and bodies per method, the 401 bodies, the
#: field clauses above, and the four monitors (SP-PROTO-004/007, SP-ID-001, SP-STATE-005).
TRAFFIC_CLAUSES: tuple[str, ...] = (
    "SP-PROTO-001", "SP-PROTO-002", "SP-PROTO-003", "SP-PROTO-004", "SP-PROTO-007", "SP-AUTH-001",
    "SP-AUTH-002", *sorted({c for row in _FIELD_CLAUSES.values() for c in row if c}), "SP-ID-001",
    "SP-STATE-005",
)


@dataclass(frozen=True)
class RequestClass:
    """What the docs settle about one request: per field, valid, invalid (with its clause) or open."""

    body: Any  #: the parsed JSON body, the raw text when it is not JSON, or NO_BODY
    valid: tuple[str, ...] = ()
    invalid: tuple[tuple[str, str, str], ...] = ()  #: (field, clause, why)
    undocumented: tuple[str, ...] = ()  #: fields (and unknown members) whose handling is not documented
    judged: bool = True  #: False: not a JSON object (malformed bodies are an observed point)


def request_body(text: str | None) -> Any:
    """A recorded body as the suite's exchanges hold it: the parsed JSON, else the text, else NO_BODY."""
    if text is None or text == "":
        return NO_BODY
    try:
        return json.loads(text)
    except ValueError:
        return text


def _is_strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _open_point(spec: Spec, name: str, value: Any) -> bool:
    """Whether the docs leave the handling of this (not documented-invalid) value open."""
    if name in ("default_codecs", "default_ciphers"):
        vocab = spec.codecs if name == "default_codecs" else spec.ciphers
        # null, empty, duplicates, a case variant: the fragment's x-undocumented points
        return (not value or len(set(value)) != len(value) or any(item not in vocab for item in value))
    if name == "default_encryption":
        return value is None
    if name == "domain_identifier":
        return not gen.is_conservative_label(value)
    return False  # default_send_as: null, "" and any E.164 string are documented (ownership is not judged)


def _field(spec: Spec, name: str, value: Any) -> tuple[Kind, str | None, str]:
    why = documented_invalid(spec, {name: value})
    if why is not None:
        _, for_value, for_type = _FIELD_CLAUSES[name]
        lists = name in ("default_codecs", "default_ciphers")
        typed = _is_strings(value) if lists else isinstance(value, str)
        return "invalid", for_value if typed else for_type, why
    return ("undocumented", None, "") if _open_point(spec, name, value) else ("valid", None, "")


def classify(spec: Spec, method: str, body: Any) -> RequestClass:
    if method != "PUT":
        return RequestClass(body=body)
    if not isinstance(body, dict):
        return RequestClass(body=body, judged=False)
    valid, invalid, open_ = [], [], []
    for name, value in body.items():
        if name not in spec.update_fields:
            open_.append(name)
            continue
        kind, clause_id, why = _field(spec, name, value)
        if kind == "invalid" and clause_id is not None:
            invalid.append((name, clause_id, why))
        elif kind == "undocumented":
            open_.append(name)
        else:
            valid.append(name)
    return RequestClass(body=body, valid=tuple(valid), invalid=tuple(invalid), undocumented=tuple(open_))


def _never_send(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"a traffic judge tried to send {request.method} {request.url}")  # a suite bug


class RecordedSession(Session):
    """One project's recorded sequence, judged by the run's checks over a client that never sends."""

    def __init__(self, spec: Spec, *, base_url: str, principal: str, space_name: str | None,
                 watchers: list[tuple[str, Callable[[Session, Exchange], Violation | None]]],
                 observed_ids: frozenset[str]) -> None:
        host = httpx.URL(base_url).netloc.decode() or "recorded"
        target = Target(kind="http", base_url=base_url, host=host,
                        primary=Credentials(principal, ""), space_name=space_name)
        cfg = RunConfig(target=target, effort=EFFORTS["quick"], seed=0, report_dir=_NOWHERE,
                        allow_writes=False, budget=0)
        client = Client(base_url=base_url, transport=httpx.MockTransport(_never_send), allow_writes=False,
                        budget=0)
        super().__init__(cfg, spec, client)
        self.watchers = watchers
        self.observed_ids = observed_ids
        self._open: set[str] = set()  #: fields holding a value the docs do not describe (accepted)
        self._open_request: Exchange | None = None  #: the exchange being judged, if its request has an
        #: undocumented point (the monitors ask documented_traffic about it while it is judged)

    def close(self) -> None:
        self.client.close()

    def documented_traffic(self, ex: Exchange) -> bool:
        """A recorded answer is judged like a documented clause's when its request and the profile it
        reports on hold nothing the docs leave open."""
        if ex is self._open_request or self._open or not ex.url.split("?", 1)[0].endswith(PATH):
            return False
        return ex.method in ("GET", "PUT") and ex.status in self.spec.documented_statuses(ex.method)

    def judge(self, ex: Exchange, rc: RequestClass) -> list[tuple[str, Violation | None]]:
        """Every judgement of one exchange, in order: (clause ID, violation or None when it held).

        The monitors' findings are kept in ``self.monitor`` as in a run; their verdicts are returned too,
        for the clauses they spoke to.
        """
        if ex.status in TRANSIENT_STATUSES:
            # A run would have waited and retried; a recording cannot. Not an answer to judge, but the
            # write may or may not have happened: the model re-learns from the next GET.
            model_of(self).forget()
            return []
        self._open_request = ex if rc.undocumented or not rc.judged else None
        found = list(self._statuses(ex, rc))
        before = {cid: len(self.monitor.seen.get(cid, [])) for cid, _ in self.watchers}
        applies = {"SP-PROTO-004": True, "SP-PROTO-007": self.documented_traffic(ex),
                   "SP-ID-001": self.documented_traffic(ex) and ex.status < 300,
                   "SP-STATE-005": ex.method in ("GET", "PUT")}
        self._watch(ex)
        for cid, _ in self.watchers:
            seen = self.monitor.seen.get(cid, [])
            if len(seen) > before[cid]:
                found.append((cid, seen[-1]))
            elif applies.get(cid, False):
                found.append((cid, None))
        self._follow(ex, rc)
        return found

    def _follow(self, ex: Exchange, rc: RequestClass) -> None:
        if ex.method == "PUT" and 200 <= ex.status < 300 and rc.judged:
            self._open = (self._open - set(rc.valid)) | {f for f in rc.undocumented
                                                          if f in self.spec.update_fields}

    def _statuses(self, ex: Exchange, rc: RequestClass) -> Iterator[tuple[str, Violation | None]]:
        if ex.status == 401:
            anonymous = not any(k.lower() == "authorization" for k in ex.headers)
            yield _held("SP-AUTH-001" if anonymous else "SP-AUTH-002",
                        lambda: self.expect_unauthorized(ex, f"{ex.method} answered 401"))
        elif ex.method == "GET" and 200 <= ex.status < 300:
            yield _held("SP-PROTO-001", lambda: self._accepted(ex, "GET", "GET the profile"))
        elif ex.method == "PUT" and rc.judged and ex.status < 500 and ex.status != 429:
            yield from self._put(ex, rc)

    def _put(self, ex: Exchange, rc: RequestClass) -> Iterator[tuple[str, Violation | None]]:
        for _, clause_id, why in rc.invalid:
            yield _held(clause_id, lambda why=why: self.expect_status(  # type: ignore[misc]
                ex, 422, f"PUT with a documented-invalid value ({why})"))
        if ex.status == 422:
            yield _held("SP-PROTO-003", lambda: self.expect_error_list(ex, "PUT answered 422"))
        if rc.invalid:
            return
        if 200 <= ex.status < 300:
            yield _held("SP-PROTO-002", lambda: self._accepted(ex, "PUT", "PUT a valid body"))
        accept = [_FIELD_CLAUSES[name][0] for name in rc.valid]
        if rc.valid and not rc.undocumented and all(accept) and ex.status != 401:
            # only fields whose documented-valid values no undocumented rule (uniqueness, ownership) may
            # refuse: such a PUT must be taken, with the documented 201
            yield _held(str(accept[0]), lambda: self.expect_status(
                ex, self.spec.success_status("PUT"), "PUT documented-valid values"))

    def _accepted(self, ex: Exchange, method: str, what: str) -> None:
        self.expect_status(ex, self.spec.success_status(method), what)
        self.expect_profile(ex, what)


def _held(clause_id: str, check: Callable[[], None]) -> tuple[str, Violation | None]:
    try:
        check()
    except Violation as violation:
        return clause_id, violation
    return clause_id, None
