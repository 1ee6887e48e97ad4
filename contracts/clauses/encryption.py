"""default_encryption (SP-ENC-*): the documented enum, read from the fragment."""

from __future__ import annotations

from contracts.engine.session import Session

from .. import generators as gen
from . import implements
from ._common import accepts, probe, rejects_every

FIELD = "default_encryption"


@implements("SP-ENC-001")
def both_values(s: Session) -> None:
    s.explorer.each(s.spec.encryption_values, probe(lambda v: accepts(s, {FIELD: v}, f"PUT {FIELD}={v}")))


@implements("SP-ENC-002")
def other_values(s: Session) -> None:
    rejects_every(s, "SP-ENC-002", FIELD, gen.representatives("encryption"), gen.invalid_encryption())


@implements("SP-ENC-003")
def null_value(s: Session) -> None:
    for lab in gen.undocumented_encryption():
        ex = s.put({FIELD: lab.value})
        accepted = 200 <= ex.status < 300
        stored = (ex.json() or {}).get(FIELD, "absent") if accepted else None
        value = {"accepted": accepted, "status": ex.status, "stored": stored if accepted else None}
        s.observe("OBS-ENC-NULL", "SP-ENC-003", "Is null accepted for default_encryption?", ex, value,
                  f"null {'accepted, stored ' + repr(stored) if accepted else 'rejected'} ({ex.status})")
