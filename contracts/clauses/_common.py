"""Helpers shared by the area modules: accept/reject expectations and probe adapters."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from contracts.engine.client import Exchange
from contracts.engine.session import Session, Who
from contracts.engine.verdicts import Violation
from contracts.spec import RANDOM_SEND_AS

from ..generators import Labeled, canonical, core_ladder
from ._combined import refused_together
from ._registry import REGISTRY

__all__ = ["accepted", "accepts", "accepts_each", "answer_to", "echo_mismatch", "expect_full_profile",
           "monitor_get", "observed_together", "probe", "put_valid", "rejects", "rejects_every",
           "send_as_matches", "stored_equal"]

#: Fresh identifiers tried after a documented-valid PUT was refused because its identifier may be taken.
TAKEN_RETRIES = 3
_IDENTIFIER = "domain_identifier"


def monitor_get(s: Session) -> None:
    """A monitor clause's own GET, sent only when the run has sent none: the monitor judges every answer
    of the run, so its own request matters only to a run of that clause alone (or of a read-only subset)."""
    if not s.client.recorder.by_method["GET"]:
        s.get()


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
    _record_accepted(s, body, ex)
    return ex, profile


def _together(s: Session) -> list[dict[str, Any]]:
    """The i-th supported value of every vocabulary field in one body (as many bodies as the longest
    vocabulary has values): each value of each field is in exactly one of them. The identifiers SP-ID-001
    holds to "accepted, echoed, domain follows" (the length ladder's core) ride along, one per body, in
    order, so the domain is seen recomputed from one body to the next."""
    vocabularies: dict[str, list[Any]] = {"default_codecs": [[c] for c in s.spec.codecs],
                    "default_ciphers": [[c] for c in s.spec.ciphers],
                    "default_encryption": list(s.spec.encryption_values),
                    _IDENTIFIER: core_ladder(s.id_prefix)}
    longest = max(len(v) for v in vocabularies.values())
    return [{f: vals[i] for f, vals in vocabularies.items() if i < len(vals)} for i in range(longest)]


def accepts_each(s: Session, field: str, values: Iterable[Any]) -> None:
    """Every value of ``field`` is accepted and echoed (201, the full profile).

    Each value goes out first inside a combined body that carries one value of every vocabulary field
    (``_together``): a 201 whose echo matches a field counts for that field's clause too. Whatever such a
    body did not show (refused, another status, a field not echoed) is sent alone and judged alone, so a
    finding stays with the clause of the field it concerns.
    """
    for value in values:
        key = canonical({field: value})
        if key not in s.accepted:
            body = next((b for b in _together(s) if canonical(b.get(field)) == canonical(value)), None)
            if body is not None:
                _put_together(s, body)
        if key not in s.accepted:
            accepts(s, {field: value}, f"PUT {field}={value}")


def _record_accepted(s: Session, body: Mapping[str, Any], ex: Exchange) -> None:
    # Accepted and echoed is what the sharing clauses need; a profile short of a member is SP-PROTO-002's
    # and SP-PROTO-007's finding, and sending every value again alone would show nothing more.
    profile = ex.json() if ex.status == s.spec.success_status("PUT") else None
    if not isinstance(profile, dict):
        return
    for name, value in body.items():
        if echo_mismatch(s, {name: value}, profile) is None:
            s.accepted.setdefault(canonical({name: value}), ex)


def answer_to(s: Session, body: Mapping[str, Any]) -> Exchange:
    """The answer to a one-field PUT: the run's own when a clause already had that value accepted and
    echoed (``Session.accepted``) or that body refused (``Session.refused``), else a new PUT.

    Observed points share requests this way: every run still shows them the same fixed values, and a
    value another clause already sent costs nothing more.
    """
    key = canonical(dict(body))
    return s.accepted.get(key) or s.refused.get(key) or s.put(dict(body))


def observed_together(s: Session, bodies: Iterable[Mapping[str, Any]]) -> None:
    """Send the one-field observation bodies of several fields as one body, unless one is already known.

    A 2xx answer records, for every field whose echo matches what was sent (``echo_mismatch``: lists as
    sets, so a deduplicated or reordered list still counts and its shape is read from the echo), that
    field's answer for :func:`answer_to`. A refusal records nothing: it does not say which field it refused,
    so each body then goes out alone, as it would have without this.
    """
    singles = [dict(b) for b in bodies]
    if any(canonical(b) in s.accepted or canonical(b) in s.refused for b in singles):
        return
    union = {name: value for b in singles for name, value in b.items()}
    if len(union) > 1:
        _put_together(s, union)


def _put_together(s: Session, body: Mapping[str, Any]) -> None:
    """PUT a body that carries several clauses' values, once per run; record what its answer shows."""
    key = canonical(dict(body))
    if key not in s.sent_together:
        s.sent_together.add(key)
        _record_accepted(s, body, s.put(dict(body)))


def rejects(s: Session, body: Any, what: str) -> Exchange:
    """PUT a documented-invalid body: it must be refused with 422 (format: SP-PROTO-003/007).

    A body the run already sent and saw refused is judged on that answer (``Session.refused``): a
    documented-invalid value is invalid whatever the profile holds, so sending it twice tells nothing new.
    A fixed value may have been shown refused inside a combined body whose 422 named its field
    (``contracts.clauses._combined``); anything else goes out alone.
    """
    ex = s.refused.get(canonical(body)) or refused_together(s, body) or s.put(body)
    s.expect_status(ex, 422, what)
    return ex


def rejects_every(s: Session, key: str, more: Any, *,
                  unless: Callable[[Labeled], bool] = lambda lab: False) -> None:
    """Rejection clause ``key``: every fixed invalid value its declaration names (``clause(rejects=…)``, one
    per class), then ``profile.examples`` draws of ``more``.

    ``unless`` names drawn values the clause must not judge after all (e.g. ones the spec's own pattern
    accepts; the declared fixed values leave those out themselves).
    """
    declared = REGISTRY[key].rejects
    if declared is None:
        raise RuntimeError(f"{key} declares no rejects=(field, fixed values)")
    field, fixed_of = declared
    fixed: Iterable[Labeled] = fixed_of(s)

    judged: set[str] = set()
    shown: set[str] = set()  #: invalid classes a request of this clause has shown

    def check(lab: Labeled, *, drawn: bool = False) -> None:
        key = canonical(lab.value)
        if key in judged or (drawn and lab.cls in shown and not s.effort.repeat_classes):
            return  # each value is sent once; in quick a draw that only repeats a shown class is not sent
        judged.add(key)
        if not unless(lab):
            shown.add(lab.cls)
            rejects(s, {field: lab.value}, f"PUT {field} ({lab.cls}: {lab.note or lab.value!r})")

    s.explorer.each(fixed, probe(check))
    s.explorer.search(key, more, probe(lambda lab: check(lab, drawn=True)),
                      examples=s.examples(s.effort.examples), keyfn=canonical)


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
