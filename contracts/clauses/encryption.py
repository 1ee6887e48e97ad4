"""default_encryption (SP-ENC-*): the documented enum, read from the fragment."""

from __future__ import annotations

from contracts.engine.session import Session

from .. import generators as gen
from ._common import accepts_each, answer_to, rejects_every
from ._registry import clause

FIELD = "default_encryption"


@clause("SP-ENC-001", area="encryption",
        title="Both encryption values are accepted and echoed",
        doc="/components/schemas/Encryption",
        needs=("write",))
def both_values(s: Session) -> None:
    accepts_each(s, FIELD, s.spec.encryption_values)


@clause("SP-ENC-002", area="encryption",
        title="Any other default_encryption is rejected with 422",
        doc="/components/schemas/Encryption",
        needs=("write",),
        rejects=(FIELD, lambda s: gen.representatives("encryption", names=s.effort.unsupported_names)))
def other_values(s: Session) -> None:
    rejects_every(s, "SP-ENC-002", gen.invalid_encryption())


@clause("SP-ENC-003", area="encryption",
        title="null for default_encryption",
        kind="observed",
        reading="Undocumented: null for the lists or the enum.",
        needs=("write",),
        observes=("OBS-ENC-NULL",))
def null_value(s: Session) -> None:
    for lab in gen.undocumented_encryption():
        ex = answer_to(s, {FIELD: lab.value})  # SP-CODEC-005 may have sent it beside the lists' nulls
        accepted = 200 <= ex.status < 300
        stored = (ex.json() or {}).get(FIELD, "absent") if accepted else None
        value = {"accepted": accepted, "status": ex.status, "stored": stored if accepted else None}
        s.observe("OBS-ENC-NULL", "SP-ENC-003", "Is null accepted for default_encryption?", ex, value,
                  f"null {'accepted, stored ' + repr(stored) if accepted else 'rejected'} ({ex.status})")
