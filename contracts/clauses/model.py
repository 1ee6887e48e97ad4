"""The model of the profile (SP-STATE-005): every answer of the run is judged against what it must be.

The session's expected profile starts from the first profile the run reads (the snapshot), takes the
documented effect of every accepted PUT, and is left unchanged by every refused one. Every answer the run
receives anyway — each PUT's echo, each GET — is checked against it on the documented fields, at no extra
request. A mismatch is a read-after-write, echo or atomicity violation; its reproducer is the sequence of
requests since the model last agreed with the service.

What the model does not know it does not assert: after a 5xx, a write with other credentials that was
accepted, or another method that was accepted, it forgets and takes the next GET as the truth. Omitted
fields may be kept (merge) or reset (replace) — the docs do not settle it — but a run sees one semantics:
once observed, it holds. ``default_send_as`` set to null or "" may read back as a picked number.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from contracts.engine.client import Exchange
from contracts.engine.session import Session
from contracts.engine.verdicts import Violation
from contracts.errors import SkipClause
from contracts.spec import PATH, RANDOM_SEND_AS

from ._common import monitor_get, send_as_matches
from ._registry import clause, watches

__all__ = ["ProfileModel", "model_of"]

_UNSET: Any = object()

#: Requests kept for a reproducer: the sequence since the model last agreed with the service.
MAX_SEQUENCE = 8


@dataclass
class ProfileModel:
    expected: dict[str, Any] | None = None  #: None: unknown, the next GET is taken as the truth
    semantics: str | None = None  #: "merge" or "replace", once a PUT that omits a set field shows it
    sequence: list[str] = field(default_factory=list)  #: curl reproducers since the last agreement

    def forget(self) -> None:
        self.expected, self.sequence = None, []

    def agree(self, profile: dict[str, Any], ex: Exchange) -> None:
        held = (self.expected or {}).get("default_send_as", _UNSET)
        sent = ex.body.get("default_send_as", _UNSET) if ex.method == "PUT" and isinstance(ex.body, dict) \
            else _UNSET
        if sent in RANDOM_SEND_AS:
            held = sent  # this PUT asked for "random" itself
        elif sent is not _UNSET:
            held = _UNSET  # a number was sent: from now on the number it answered is what a GET must show
        if held in RANDOM_SEND_AS and profile.get("default_send_as") not in RANDOM_SEND_AS:
            # "random" may read back as the number picked, and another one next time: keep "random"
            profile = {**profile, "default_send_as": held}
        self.expected, self.sequence = profile, [ex.curl()]

    def step(self, ex: Exchange) -> None:
        self.sequence = [*self.sequence[-(MAX_SEQUENCE - 1):], ex.curl()]


_MODELS: weakref.WeakKeyDictionary[Session, ProfileModel] = weakref.WeakKeyDictionary()


def model_of(s: Session) -> ProfileModel:
    return _MODELS.setdefault(s, ProfileModel())


@clause("SP-STATE-005", area="state",
        title="Every answer agrees with the model of the profile (read-after-write, echo, atomicity)",
        doc="/paths/~1api~1relay~1rest~1sip_profile/get",
        reading="The profile is one stored object per project: a GET retrieves what the last accepted PUT "
                "answered, a refused PUT changes nothing, and a PUT's answer is the profile with what it "
                "sent applied (fields it omits kept or reset, one way for the whole run).")
def profile_model(s: Session) -> None:
    monitor_get(s)
    if s.effort.name == "deep" and s.cfg.allow_writes:
        with contextlib.suppress(SkipClause):
            s.before_write("primary")  # the snapshot and rehearsal, if no clause has written yet
        if "primary" in s.read_only:
            return  # SP-STATE-006 says why; the monitor still judges every answer
        from ._stateful import run_sequences  # hypothesis' stateful machinery, for the deep profile only

        run_sequences(s, "SP-STATE-005", examples=s.examples(s.effort.state_examples))


def _primary(s: Session, ex: Exchange) -> bool:
    """An answer to the primary project's credentials (by project ID: reproducers may name the same
    variables for several pairs, and a hand-made Authorization header names none)."""
    return ex.principal is not None and ex.principal == s.target.primary.project_id


@watches("SP-STATE-005")
def disagrees_with_model(s: Session, ex: Exchange) -> Violation | None:
    model = model_of(s)
    accepted = 200 <= ex.status < 300
    if not ex.url.endswith(PATH) or ex.method not in ("GET", "PUT") or not _primary(s, ex):
        if accepted and ex.method != "GET":
            model.forget()  # some write was accepted that the model cannot place: re-learn from a GET
        return None
    body = ex.json()
    if ex.status >= 500 or (accepted and not isinstance(body, dict)):
        model.forget()
        return None
    if ex.method == "GET":
        return _judge_get(s, model, ex, body) if accepted else None
    if not accepted:
        if model.expected is not None:
            model.step(ex)  # refused: the model is unchanged, the request is history
        return None
    return _judge_put(s, model, ex, body)


def _judge_get(s: Session, model: ProfileModel, ex: Exchange, body: dict[str, Any]) -> Violation | None:
    expected = model.expected
    model.step(ex)
    diff = None if expected is None else _diff(s, expected, body)
    violation = None
    if diff:
        violation = _violation(model, f"GET does not answer the profile the model expects ({diff})",
                               expected, diff, ex)
    model.agree(body, ex)  # report one disagreement once, then follow the service
    return violation


def _judge_put(s: Session, model: ProfileModel, ex: Exchange, echo: dict[str, Any]) -> Violation | None:
    expected, sent = model.expected, ex.body
    model.step(ex)
    problem = None
    if expected is not None and isinstance(sent, dict):
        problem = _echo_problem(s, model, expected, sent, echo, judge_sent=s.documented_traffic(ex))
    violation = None
    if problem:
        violation = _violation(model, f"the PUT's answer disagrees with the model ({problem})",
                               expected, problem, ex)
    model.agree(echo, ex)
    return violation


def _echo_problem(s: Session, model: ProfileModel, expected: Mapping[str, Any], sent: Mapping[str, Any],
                  echo: Mapping[str, Any], *, judge_sent: bool) -> str | None:
    """What is wrong with a PUT's answer given the model before it and what it sent, or None."""
    if judge_sent:  # values sent by observed clauses may be normalised (undocumented): not judged
        for name in s.spec.update_fields:
            if name in sent and not _same_sent(s, name, sent[name], echo.get(name)):
                return f"{name}: sent {sent[name]!r}, answered {echo.get(name)!r}"
    omitted = [n for n in s.spec.update_fields if n not in sent and expected.get(n) not in (None, "")]
    if not omitted:
        return None
    kept = [n for n in omitted if _same(s, n, expected.get(n), echo.get(n))]
    reset = [n for n in omitted if echo.get(n) is None]
    seen = "merge" if len(kept) == len(omitted) else "replace" if len(reset) == len(omitted) else None
    if seen is None:
        odd = next((n for n in omitted if n not in kept and n not in reset), None)
        if odd is None:  # each field kept or reset, but not all the same way: two semantics in one answer
            return f"omitted fields: {', '.join(kept)} kept, {', '.join(reset)} reset by the same PUT"
        return (f"omitted {odd}: held {expected.get(odd)!r}, answered {echo.get(odd)!r} "
                "(neither kept nor reset)")
    if model.semantics not in (None, seen):
        return (f"omitted fields were {model.semantics}d earlier in the run, now {seen}d "
                f"({', '.join(omitted)})")
    model.semantics = seen
    return None


def _same_sent(s: Session, name: str, sent: Any, got: Any) -> bool:
    if name == "default_send_as":
        return send_as_matches(s, sent, got)
    if isinstance(sent, list):  # order and duplicates are undocumented in the echo: compare as sets
        return isinstance(got, list) and set(map(str, got)) == set(map(str, sent))
    return bool(got == sent)


def _same(s: Session, name: str, held: Any, got: Any) -> bool:
    if name == "default_send_as" and held in RANDOM_SEND_AS:
        return send_as_matches(s, held, got)  # "random": may read back as the number picked
    return bool(held == got)


def _diff(s: Session, expected: Mapping[str, Any], got: Mapping[str, Any]) -> str | None:
    for name in s.spec.profile_fields:
        if not _same(s, name, expected.get(name), got.get(name)):
            return f"{name}: expected {expected.get(name)!r}, answered {got.get(name)!r}"
    return None


def _violation(model: ProfileModel, message: str, expected: Any, actual: str, ex: Exchange) -> Violation:
    steps = model.sequence[-MAX_SEQUENCE:]
    return Violation(message, expected=expected, actual=actual, exchange=ex,
                     example="requests since the model last agreed, in order:\n" + "\n".join(steps))
