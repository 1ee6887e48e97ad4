"""domain_identifier (SP-ID-*): DNS-label values, the derived domain, uniqueness in the space."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from contracts.engine.client import Exchange
from contracts.engine.session import Session
from contracts.engine.verdicts import Violation

from .. import generators as gen
from ..generators import canonical
from ._common import accepts, answer_to, probe, put_valid, rejects_every
from ._registry import clause, watches
from .shapes import readonly_domain

FIELD = "domain_identifier"


def _domain_tail(s: Session, ident: str) -> str:
    """``-{identifier}.sip.signalwire.com``: the fragment's ``x-derived`` template after ``{space}``."""
    template = s.spec.domain_template
    return template.replace("{domain_identifier}", ident).split("{space}", 1)[1]


def domain_problem(s: Session, profile: Mapping[str, Any]) -> tuple[str, str] | None:
    """(expected, actual) when the profile's domain does not follow its identifier and the run's space."""
    ident, domain = profile.get(FIELD), profile.get("domain")
    if not isinstance(ident, str) or not ident:
        return None  # a fresh profile (identifier null) has nothing to derive a domain from
    tail = _domain_tail(s, ident)
    expected = f"{s.space_name}{tail}" if s.space_name else f"{{space}}{tail}"
    if not isinstance(domain, str) or not domain.endswith(tail) or domain == tail[1:]:
        return expected, repr(domain)
    space = domain[: -len(tail)]
    if s.space_name is None:
        s.space_name = space  # learnt from the first profile when the target does not say
    elif space != s.space_name:
        return expected, domain
    return None


def _accept_with_domain(s: Session, ident: str, *, shared: bool = False) -> None:
    """Accepted, echoed, and the domain follows. ``shared``: the answer of an earlier PUT of the run that
    had ``ident`` accepted and echoed (the ladder rides in SP-CODEC-001's bodies) is judged instead."""
    earlier = s.accepted.get(canonical({FIELD: ident})) if shared else None
    ex, profile = (earlier, earlier.json()) if earlier is not None else \
        accepts(s, {FIELD: ident}, f"PUT {FIELD}={ident}")
    problem = domain_problem(s, profile)
    if problem:
        raise Violation("domain does not follow the new domain_identifier", expected=problem[0],
                        actual=f"domain: {problem[1]}", exchange=ex)


@clause("SP-ID-001", area="identifier",
        title="A DNS-label domain_identifier is accepted, echoed and drives domain",
        doc="/components/schemas/SipProfile/properties/domain",
        needs=("write",))
def dns_labels(s: Session) -> None:
    # Fixed values first (one after the other, so that the domain is seen to be *recomputed*): the length
    # ladder's values within the conservative core, so a length limit that drifts below them is seen every
    # run; then random ones.
    fixed = gen.core_ladder(s.id_prefix)
    s.explorer.each(fixed, probe(lambda ident: _accept_with_domain(s, ident, shared=True)))
    check = probe(lambda ident: _accept_with_domain(s, ident))
    # A body that sets the read-only domain beside a new identifier: stored as sent, it would not follow
    # the identifier (mass assignment, OWASP API3:2023). Refused or ignored is fine; the monitor judges it.
    readonly_domain(s)
    s.explorer.search("SP-ID-001", gen.dns_labels(s.id_prefix), check,
                      examples=s.examples(max(1, s.effort.examples // 2)))


@watches("SP-ID-001")
def domain_follows_identifier(s: Session, ex: Exchange) -> Violation | None:
    """Every profile a documented clause is answered with: its domain follows its identifier."""
    if not s.documented_traffic(ex) or ex.status >= 300:
        return None
    profile = ex.json()
    if not isinstance(profile, dict) or s.schema_errors("SipProfile", profile):
        return None  # off-schema answers are SP-PROTO-007's finding
    problem = domain_problem(s, profile)
    if problem is None:
        return None
    return Violation("domain does not follow domain_identifier", expected=problem[0],
                     actual=f"domain: {problem[1]}",
                     exchange=ex)


@clause("SP-ID-002", area="identifier",
        title="domain_identifier is unique in the space",
        doc="/components/schemas/DomainIdentifier",
        needs=("write", "secondary"))
def unique_in_space(s: Session) -> None:
    theirs = s.get("secondary")
    s.expect_status(theirs, 200, "GET the second project's profile")
    taken = (theirs.json() or {}).get(FIELD)
    if not taken:
        ex, sent = put_valid(s, {FIELD: f"{s.id_prefix}-sec"}, who="secondary")
        s.expect_status(ex, 201, "PUT an identifier on the second project")
        taken = sent[FIELD]
    ex = s.put({FIELD: taken})
    s.expect_status(ex, 422, f"PUT the second project's {FIELD} {taken!r} on the first project")
    mine = s.get()
    if (mine.json() or {}).get(FIELD) == taken:
        raise Violation("two projects of the space now share one domain_identifier",
                        expected="the identifier stays unique", actual=taken, exchange=mine)


@clause("SP-ID-003", area="identifier",
        title="A domain_identifier that is not a string is rejected with 422",
        doc="/components/schemas/DomainIdentifier",
        needs=("write",),
        rejects=(FIELD, lambda s: gen.representatives("identifier_types")))
def wrong_types(s: Session) -> None:
    rejects_every(s, "SP-ID-003", gen.invalid_identifier_types())


@clause("SP-ID-004", area="identifier",
        title="Character rules and length of domain_identifier",
        kind="observed",
        reading="Undocumented: the character rules and length of domain_identifier.",
        needs=("write",),
        observes=("OBS-ID-UPPER", "OBS-ID-UNDERSCORE", "OBS-ID-DOT", "OBS-ID-LONG",
                  "OBS-ID-EMPTY", "OBS-ID-SPACE", "OBS-ID-NEWLINE", "OBS-ID-EMBEDDED-NEWLINE",
                  "OBS-ID-NULL", "OBS-ID-LENGTH"))
def character_rules(s: Session) -> None:
    _lengths(s)
    for lab in gen.identifier_variants(s.id_prefix):
        ex = answer_to(s, {FIELD: lab.value})
        ok = 200 <= ex.status < 300
        value: dict[str, Any] = {"accepted": ok, "status": ex.status}
        if ok:
            echo = (ex.json() or {}).get(FIELD)
            value["stored"] = ("as-sent" if echo == lab.value else
                               "lower-cased" if isinstance(lab.value, str) and echo == lab.value.lower()
                               else "changed")
        s.observe(f"OBS-ID-{lab.cls.upper()}", "SP-ID-004",
                  f"Is a domain_identifier with {lab.note or lab.cls} accepted?", ex, value,
                  f"{lab.cls}: {'accepted, stored ' + value['stored'] if ok else 'rejected'} ({ex.status})")


def _lengths(s: Session) -> None:
    """OBS-ID-LENGTH: which of the ladder's lengths are accepted (the core ones SP-ID-001 already sent)."""
    seen: dict[str, str] = {}
    shown: list[Exchange] = []
    for n in gen.LENGTH_LADDER:
        value = gen.identifier_of_length(s.id_prefix, n)
        if value is None:
            continue
        ex = answer_to(s, {FIELD: value})
        shown.append(ex)
        seen[str(n)] = "accepted" if 200 <= ex.status < 300 else f"refused ({ex.status})"
    accepted = [n for n, v in seen.items() if v == "accepted"]
    # The exchange shown (and compared by status with the baseline) is the first refusal: a service that
    # changes how it refuses (400 for 422) shows here as in every other refusal, one cause.
    shown_ex: Exchange | None = next((e for e in shown if e.status >= 300), shown[-1] if shown else None)
    s.observe("OBS-ID-LENGTH", "SP-ID-004", "Which domain_identifier lengths are accepted (the usual "
              "limits 16, 32, 63 and 64, and one more of each)?", shown_ex, seen,
              f"lengths accepted: {', '.join(accepted) or 'none'} of {', '.join(seen)}")
