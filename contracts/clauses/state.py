"""State of the singleton (SP-STATE-*): read-after-write, idempotence, atomic rejection, omitted fields."""

from __future__ import annotations

import contextlib
from typing import Any

from contracts.engine.session import Session
from contracts.engine.verdicts import Violation
from contracts.errors import SkipClause

from .. import generators as gen
from ._common import accepts, probe, put_valid, stored_equal
from ._registry import clause


def _bodies(s: Session) -> Any:
    numbers = s.target.numbers if s.target.numbers else None
    return gen.valid_bodies(s.id_prefix, numbers=numbers)


@clause("SP-STATE-001", area="state",
        title="GET after PUT returns what the PUT answered, list order included",
        doc="/paths/~1api~1relay~1rest~1sip_profile/get",
        reading="A GET after an accepted PUT retrieves the settings that PUT answered, list order "
                "included: the profile is one stored object per project.",
        needs=("write",))
def read_after_write(s: Session) -> None:
    def check(body: dict[str, Any]) -> None:
        _, written = accepts(s, body, "PUT a valid body")
        got = s.get()
        s.expect_status(got, 200, "GET after PUT")
        diff = stored_equal(s, body, written, s.expect_profile(got, "GET after PUT"))
        if diff:
            raise Violation("GET after PUT does not return what the PUT answered", expected=written,
                            actual=diff, exchange=got)

    # A fixed example first: both lists in reverse documented order, so that a server which reorders
    # what it stores (the SIP preference order!) cannot hide behind an already-sorted random draw.
    s.explorer.each([{"default_codecs": list(reversed(s.spec.codecs)),
                      "default_ciphers": list(reversed(s.spec.ciphers))}], probe(check))
    s.explorer.search("SP-STATE-001", _bodies(s), probe(check),
                      examples=s.examples(s.effort.state_examples))


@clause("SP-STATE-002", area="state",
        title="Repeating the same PUT gives the same result (idempotence)",
        reading="PUT is idempotent (RFC 9110, section 9.2.2): repeating the same PUT gives the same profile.",
        needs=("write",))
def idempotence(s: Session) -> None:
    def check(body: dict[str, Any]) -> None:
        _, first = accepts(s, body, "PUT a valid body")
        ex, second = accepts(s, body, "the same PUT again")
        diff = stored_equal(s, body, first, second)
        if diff:
            raise Violation("repeating the same PUT gave another result", expected=first, actual=diff,
                            exchange=ex)

    s.explorer.search("SP-STATE-002", _bodies(s), probe(check),
                      examples=s.examples(max(1, s.effort.state_examples - 1)))


@clause("SP-STATE-003", area="state",
        title="A rejected PUT changes nothing, also when it mixes valid and invalid fields",
        doc="/components/responses/InvalidAttribute",
        reading="A request that failed validation is refused as a whole: nothing of it is applied.",
        needs=("write",))
def atomic_rejection(s: Session) -> None:
    state: dict[str, Any] = {}

    def check(pair: tuple[dict[str, Any], Any]) -> None:
        body, bad = pair
        if "before" not in state:
            got = s.get()
            s.expect_status(got, 200, "GET before a rejected PUT")
            state["before"] = got.json()
        ex = s.put(body)
        if 200 <= ex.status < 300:
            # Accepting the invalid field is the area clause's finding, not this one's; re-read state.
            state.pop("before")
            return
        after = s.get()
        diff = stored_equal(s, None, state["before"], after.json() or {})
        if diff:
            expected, state["before"] = state["before"], after.json()  # re-baseline for shrinking
            raise Violation(f"a rejected PUT ({ex.status}, invalid {bad.cls}) changed the profile",
                            expected=expected, actual=diff, exchange=ex)

    s.explorer.search("SP-STATE-003", gen.mixed_invalid_bodies(s.id_prefix, numbers=s.target.numbers),
                      probe(check), examples=s.examples(s.effort.state_examples),
                      keyfn=lambda pair: gen.canonical(pair[0]))


@clause("SP-STATE-004", area="state",
        title="Omitted fields: merge or replace",
        kind="observed",
        reading="Whether omitted fields are kept or reset is therefore not settled by the docs.",
        needs=("write",),
        observes=("OBS-STATE-OMITTED",))
def omitted_fields(s: Session) -> None:
    values = s.spec.encryption_values
    full = {"default_codecs": list(s.spec.codecs[:2]), "default_ciphers": list(s.spec.ciphers[:1]),
            "default_encryption": values[0], "domain_identifier": f"{s.id_prefix}-omit"}
    first, full = put_valid(s, full)
    partial = s.put({"default_encryption": values[-1]})
    got = s.get()
    after = got.json() or {}
    value: dict[str, object]
    if first.status >= 300 or partial.status >= 300 or got.status != 200:
        kind = f"unclear (answers {first.status}/{partial.status}/{got.status})"
        value = {"semantics": kind}
    else:
        omitted = ("default_codecs", "default_ciphers", "domain_identifier")
        fates = {f: "kept" if after.get(f) == full[f] else "reset" if after.get(f) is None else "changed"
                 for f in omitted}
        kinds = set(fates.values())
        kind = "merge" if kinds == {"kept"} else "replace" if kinds == {"reset"} else "mixed"
        # "mixed" says which fields were not kept, so that a change names its field (report root causes);
        # merge and replace keep the value baselines recorded before the fields were added
        value = {"semantics": kind}
        if kind == "mixed":
            value["not_kept"] = {f: fate for f, fate in fates.items() if fate != "kept"}
    s.observe("OBS-STATE-OMITTED", "SP-STATE-004", "Are omitted fields kept (merge) or reset (replace)?",
              partial, value, f"omitted fields: {kind}")


@clause("SP-STATE-006", area="state",
        title="The service takes back the very profile it holds, unchanged",
        reading="The profile a GET answers is a valid request body: PUT back as read, it is accepted and "
                "changes nothing (the rehearsal before the run's first change; without it no profile could "
                "be restored, so the run then writes nothing more to that project).",
        needs=("write",))
def takes_own_profile(s: Session) -> None:
    with contextlib.suppress(SkipClause):
        s.before_write("primary")  # the rehearsal, if no clause has written yet
    for who in ("primary", "secondary"):  # the secondary is rehearsed only when a clause writes to it
        refusal = s.read_only.get(who)
        if refusal is not None and refusal.violation:
            raise Violation(f"{who} project: {refusal.why}", actual=refusal.why,
                            expected="the snapshot accepted and kept as read", exchange=refusal.exchange)
    # Refused only for nulls the docs leave open: not a violation, but nothing could be rehearsed.
    unclear = [f"{who} project: {r.why}" for who, r in sorted(s.read_only.items())]
    if unclear:
        raise SkipClause("; ".join(unclear))
