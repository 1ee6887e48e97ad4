"""default_send_as (SP-SENDAS-*): E.164 numbers from many countries, null and "" as 'random'.

Whether the number must be one the project owns is undocumented. Positive tests therefore use the numbers
in SIGNALWIRE_TEST_NUMBERS; against the embedded mock (which accepts any valid number by configuration)
they use real numbers of many countries; against another target without that list SP-SENDAS-001 is
skipped and the acceptance of a format-valid number is only observed (SP-SENDAS-005).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from contracts.engine.session import Session
from contracts.engine.verdicts import Violation
from contracts.spec import RANDOM_SEND_AS

from .. import generators as gen
from ..errors import SkipClause
from ..generators import Labeled, canonical
from ._common import accepts, answer_to, probe, rejects_every
from ._registry import clause

FIELD = "default_send_as"


def _usable_numbers(s: Session) -> tuple[list[str], Any] | None:
    """Fixed numbers to try, plus a strategy for more; None when no number may be asserted."""
    if s.target.numbers:
        return list(s.target.numbers[:3]), st.sampled_from(s.target.numbers)
    if s.target.kind == "mock":
        return gen.e164_extremes(), gen.valid_e164()
    return None


#: Long-stable libphonenumber example numbers of major countries (valid in every metadata version for
#: years), used when the project's own numbers are unknown. All fictional, none can be owned.
WELL_KNOWN = ("+12015550123", "+447400123456", "+4915123456789", "+33612345678", "+61412345678",
              "+819012345678")


def _alike(s: Session) -> list[str]:
    """Numbers to hold to "treated alike": several numbering plans, and the shortest and the longest
    valid length of the example table (a length limit off by one shows only at the edges)."""
    return list(dict.fromkeys([*gen.e164_extremes(), *(n for n in WELL_KNOWN if gen.is_valid_e164(n))]))


def _consistency(s: Session) -> None:
    """Without SIGNALWIRE_TEST_NUMBERS nothing says which numbers the project may use, but valid E.164
    numbers must at least be treated alike: a target that requires owned numbers rejects all of these;
    one that accepts some and rejects other, equally valid, numbers breaks the documented format rule."""
    seen = []
    for number in _alike(s):
        ex = s.put({FIELD: number})
        seen.append((number, ex))
        if 200 <= ex.status < 300:
            s.get()  # every accepted number is read back: the model of the profile judges it
    accepted = [n for n, ex in seen if 200 <= ex.status < 300]
    refused = [(n, ex) for n, ex in seen if not 200 <= ex.status < 300]
    if not accepted:
        raise SkipClause("the target rejects every format-valid number: it likely requires numbers the "
                         "project owns; set SIGNALWIRE_TEST_NUMBERS to assert acceptance")
    for number, ex in seen:
        if number in accepted and (ex.json() or {}).get(FIELD) != number:
            raise Violation(f"PUT {FIELD}={number}: the answer does not echo it", expected=number,
                            actual=repr((ex.json() or {}).get(FIELD)), exchange=ex, example=number)
    if refused:
        number, ex = refused[0]
        raise Violation(f"valid E.164 {number} refused while {accepted[0]} was accepted",
                        expected="every valid E.164 number treated alike (201)",
                        actual=f"{ex.status}: {ex.text[:200]}", exchange=ex, example=number)


@clause("SP-SENDAS-001", area="send_as",
        title="A valid E.164 number the project may use is accepted and echoed",
        doc="/components/schemas/E164",
        needs=("write", "numbers"))
def valid_numbers(s: Session) -> None:
    usable = _usable_numbers(s)
    if usable is None:
        _consistency(s)
        return
    fixed, more = usable

    def read_back(number: str) -> None:
        accepts(s, {FIELD: number}, f"PUT {FIELD}={number}")
        s.get()  # judged by the model of the profile (SP-STATE-005): the number as stored

    s.explorer.each(fixed, probe(read_back))
    check = probe(lambda n: accepts(s, {FIELD: n}, f"PUT {FIELD}={n}"))
    s.explorer.search("SP-SENDAS-001", more, check, examples=s.examples(s.effort.examples))


@clause("SP-SENDAS-002", area="send_as",
        title='null and "" are accepted and mean a random number of the project',
        doc="/components/schemas/SendAs",
        needs=("write",))
def null_and_empty(s: Session) -> None:
    def check(value: Any) -> None:
        ex, _ = accepts(s, {FIELD: value}, f"PUT {FIELD}={value!r}")
        # read back at once: the model judges what it stored, and SP-SENDAS-005 records it without asking
        s.read_back[canonical({FIELD: value})] = (ex, s.get())

    s.explorer.each(list(RANDOM_SEND_AS), probe(check))


def _spec_pattern_accepts(s: Session, lab: Labeled) -> bool:
    # Never assert the rejection of a string the fragment's own pattern accepts (e.g. a trailing newline,
    # which `$` lets through): a regex-based server would be flagged for the spec's own rule.
    return isinstance(lab.value, str) and bool(s.spec.e164_pattern.match(lab.value))


@clause("SP-SENDAS-003", area="send_as",
        title="A string that is not E.164 is rejected with 422",
        doc="/components/schemas/E164",
        needs=("write",),
        rejects=(FIELD, lambda s: [lab for lab in gen.representatives("e164")
                                   if not _spec_pattern_accepts(s, lab)]))
def not_e164(s: Session) -> None:
    rejects_every(s, "SP-SENDAS-003", gen.invalid_e164(), unless=lambda lab: _spec_pattern_accepts(s, lab))


@clause("SP-SENDAS-004", area="send_as",
        title="A default_send_as that is not a string or null is rejected with 422",
        doc="/components/schemas/SendAs",
        needs=("write",),
        rejects=(FIELD, lambda s: gen.representatives("send_as_types")))
def wrong_types(s: Session) -> None:
    rejects_every(s, "SP-SENDAS-004", gen.invalid_send_as_types())


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if value == "":
        return "empty"
    return "number" if isinstance(value, str) else "other"


@clause("SP-SENDAS-005", area="send_as",
        title='Acceptance of format-valid numbers the project may not own; what null/"" read back as',
        kind="observed",
        reading="Undocumented: whether default_send_as must be a number owned by the project.",
        needs=("write",),
        observes=("OBS-SENDAS-UNOWNED", "OBS-SENDAS-NULL-READBACK", "OBS-SENDAS-EMPTY-READBACK"))
def observed(s: Session) -> None:
    owned = set(s.target.numbers or ())
    stranger = next(n for n in [*gen.e164_extremes(), "+14155550123"] if n not in owned)
    ex = answer_to(s, {FIELD: stranger})  # against the mock, SP-SENDAS-001's own first number
    ok = 200 <= ex.status < 300
    s.observe("OBS-SENDAS-UNOWNED", "SP-SENDAS-005",
              "Is a format-valid number the project may not own accepted?", ex,
              {"accepted": ok, "status": ex.status},
              f"a number outside SIGNALWIRE_TEST_NUMBERS {'accepted' if ok else 'rejected'} ({ex.status})")
    for sent, obs_id in ((None, "OBS-SENDAS-NULL-READBACK"), ("", "OBS-SENDAS-EMPTY-READBACK")):
        shared = s.read_back.get(canonical({FIELD: sent}))  # SP-SENDAS-002's PUT and the GET right after it
        ex, got = shared if shared is not None else (s.put({FIELD: sent}), None)
        put_kind = _kind((ex.json() or {}).get(FIELD)) if ex.status < 300 else f"status {ex.status}"
        got = got or s.get()
        get_kind = _kind((got.json() or {}).get(FIELD)) if got.status == 200 else f"status {got.status}"
        s.observe(obs_id, "SP-SENDAS-005", f"What does default_send_as={sent!r} read back as?", ex,
                  {"put": put_kind, "get": get_kind}, f"PUT answers {put_kind}, GET answers {get_kind}")
