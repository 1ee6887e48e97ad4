"""Helpers shared by the area modules: accept/reject expectations and probe adapters."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from contracts.engine.client import Exchange
from contracts.engine.session import Session, Who
from contracts.engine.verdicts import Violation
from contracts.spec import RANDOM_SEND_AS

from ..generators import Labeled, canonical

__all__ = ["accepted", "accepts", "echo_mismatch", "expect_full_profile", "probe", "put_valid", "rejects",
           "rejects_every", "send_as_matches", "stored_equal"]

#: Fresh identifiers tried after a documented-valid PUT was refused because its identifier may be taken.
TAKEN_RETRIES = 3
_IDENTIFIER = "domain_identifier"


def probe(fn: Callable[[Any], object]) -> Callable[[Any], Violation | None]:
    """Turn a raising check into an explorer probe (value -> Violation | None)."""

    def run(value: Any) -> Violation | None:
        try:
            fn(value)
        except Violation as violation:
            return violation
        return None

    return run


def send_as_matches(s: Session, sent: Any, got: Any) -> bool:
    if sent in RANDOM_SEND_AS:
        # "null or an empty string … randomly choose a purchased or verified number": the answer may show
        # null, "" or the number picked.
        return got in RANDOM_SEND_AS or (isinstance(got, str) and bool(s.spec.e164_pattern.match(got)))
    return bool(got == sent)


def echo_mismatch(s: Session, body: Mapping[str, Any], profile: Mapping[str, Any]) -> str | None:
    for name, sent in body.items():
        if name not in s.spec.update_fields:
            continue
        got = profile.get(name)
        if name == "default_send_as":
            ok = send_as_matches(s, sent, got)
        elif isinstance(sent, list):
            # Order and duplicates are undocumented (observed elsewhere): compare as sets here.
            ok = isinstance(got, list) and set(got) == set(sent)
        else:
            ok = got == sent
        if not ok:
            return f"{name}: sent {sent!r}, answered {got!r}"
    return None


def _fresh_identifier(s: Session, taken: str, attempt: int) -> str:
    digest = hashlib.blake2b(f"{taken}:{attempt}".encode(), digest_size=3).hexdigest()
    return f"{s.id_prefix}-t{attempt}{digest}"


def put_valid(s: Session, body: Mapping[str, Any], who: Who = "primary") -> tuple[Exchange, dict[str, Any]]:
    """PUT a documented-valid body; returns the final exchange and the body it carried.

    "domain_identifier … must be unique": another project of the space (not one the run knows) may hold an
    identifier the run made up, and a correct service then refuses the body with 422. Such a refusal is
    retried with fresh identifiers (up to TAKEN_RETRIES); one that is accepted shows the first was taken
    (a note on the clause, no finding). A service that refuses every fresh one too keeps its 422, which the
    caller judges as before.
    """
    sent = dict(body)
    ex = s.put(sent, who)
    ident = sent.get(_IDENTIFIER)
    if ex.status != 422 or not isinstance(ident, str) or not ident.startswith(s.id_prefix):
        return ex, sent
    for attempt in range(1, TAKEN_RETRIES + 1):
        retry = {**sent, _IDENTIFIER: _fresh_identifier(s, ident, attempt)}
        again = s.put(retry, who)
        if again.status != 422:
            s.note(f"domain_identifier {ident!r} was refused (taken by another project?); "
                   f"{retry[_IDENTIFIER]!r} was accepted")
            return again, retry
    return ex, sent  # every fresh identifier refused too: the first refusal is the finding


def accepts(s: Session, body: Mapping[str, Any], what: str) -> tuple[Exchange, dict[str, Any]]:
    """PUT a documented-valid body: 201 and the full profile echoing what was sent."""
    ex, sent = put_valid(s, body)
    return accepted(s, ex, sent, what)


def accepted(s: Session, ex: Exchange, body: Mapping[str, Any], what: str) -> tuple[Exchange, dict[str, Any]]:
    """The checks of :func:`accepts` on a PUT of ``body`` already sent."""
    s.expect_status(ex, s.spec.success_status("PUT"), what)
    profile = s.expect_profile(ex, what)
    mismatch = echo_mismatch(s, body, profile)
    if mismatch:
        raise Violation(f"{what}: the answer does not echo what was sent", expected=dict(body),
                        actual=mismatch, exchange=ex)
    return ex, profile


def rejects(s: Session, body: Any, what: str) -> Exchange:
    """PUT a documented-invalid body: it must be refused with 422 (format: SP-PROTO-003/007)."""
    ex = s.put(body)
    s.expect_status(ex, 422, what)
    return ex


def rejects_every(s: Session, key: str, field: str, fixed: Iterable[Labeled], more: Any, *,
                  unless: Callable[[Labeled], bool] = lambda lab: False) -> None:
    """A rejection clause: every fixed invalid value (one per class), then ``profile.examples`` draws.

    ``unless`` names values the clause must not judge after all (e.g. ones the spec's own pattern accepts).
    """

    judged: set[str] = set()

    def check(lab: Labeled) -> None:
        key = canonical(lab.value)
        if key in judged:
            return  # each value is sent once: a draw equal to a value already judged costs no request
        judged.add(key)
        if not unless(lab):
            rejects(s, {field: lab.value}, f"PUT {field} ({lab.cls}: {lab.note or lab.value!r})")

    s.explorer.each(fixed, probe(check))
    s.explorer.search(key, more, probe(check), examples=s.examples(s.effort.examples), keyfn=canonical)


def expect_full_profile(s: Session, ex: Exchange, profile: Mapping[str, Any], what: str) -> None:
    missing = [f for f in s.spec.profile_fields if f not in profile]
    if missing:
        raise Violation(f"{what}: the answer is not the full profile", expected=list(s.spec.profile_fields),
                        actual=f"missing {missing}", exchange=ex)


def stored_equal(s: Session, sent: Mapping[str, Any] | None, before: Mapping[str, Any],
                 after: Mapping[str, Any]) -> str | None:
    """Compare two profiles field by field; default_send_as leniently when it was set to 'random'."""
    for name in s.spec.profile_fields:
        a, b = before.get(name), after.get(name)
        if name == "default_send_as" and sent is not None and sent.get(name, 0) in RANDOM_SEND_AS:
            continue
        if a != b:
            return f"{name}: {a!r} then {b!r}"
    return None
