"""domain_identifier (SP-ID-*): DNS-label values, the derived domain, uniqueness in the space."""

from __future__ import annotations

from typing import Any

from contracts.engine.session import SUFFIX, Session
from contracts.engine.verdicts import Violation

from .. import generators as gen
from . import implements
from ._common import accepts, probe, rejects_every

FIELD = "domain_identifier"


def _accept_with_domain(s: Session, ident: str) -> None:
    ex, profile = accepts(s, {FIELD: ident}, f"PUT {FIELD}={ident}")
    domain = profile.get("domain")
    tail = f"-{ident}{SUFFIX}"
    expected = f"{s.space_name}{tail}" if s.space_name else f"{{space}}{tail}"
    if not isinstance(domain, str) or not domain.endswith(tail) or (s.space_name and domain != expected):
        raise Violation("domain does not follow the new domain_identifier", expected=expected,
                        actual=repr(domain), exchange=ex)


@implements("SP-ID-001")
def dns_labels(s: Session) -> None:
    # Two fixed values first, so that the domain is seen to be *recomputed*, then random ones.
    fixed = [f"{s.id_prefix}a", f"{s.id_prefix}-b2"]
    check = probe(lambda ident: _accept_with_domain(s, ident))
    s.explorer.each(fixed, check)
    s.explorer.search("SP-ID-001", gen.dns_labels(s.id_prefix), check,
                      examples=s.examples(max(1, s.effort.examples // 2)))


@implements("SP-ID-002")
def unique_in_space(s: Session) -> None:
    theirs = s.get("secondary")
    s.expect_status(theirs, 200, "GET the second project's profile")
    taken = (theirs.json() or {}).get(FIELD)
    if not taken:
        taken = f"{s.id_prefix}-sec"
        ex = s.put({FIELD: taken}, who="secondary")
        s.expect_status(ex, 201, "PUT an identifier on the second project")
    ex = s.put({FIELD: taken})
    s.expect_status(ex, 422, f"PUT the second project's {FIELD} {taken!r} on the first project")
    mine = s.get()
    if (mine.json() or {}).get(FIELD) == taken:
        raise Violation("two projects of the space now share one domain_identifier",
                        expected="the identifier stays unique", actual=taken, exchange=mine)


@implements("SP-ID-003")
def wrong_types(s: Session) -> None:
    rejects_every(s, "SP-ID-003", FIELD, gen.representatives("identifier_types"),
                  gen.invalid_identifier_types())


@implements("SP-ID-004")
def character_rules(s: Session) -> None:
    for lab in gen.identifier_variants(s.id_prefix):
        ex = s.put({FIELD: lab.value})
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
