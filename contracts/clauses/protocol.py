"""Protocol-level clauses (SP-PROTO-*): documented statuses, error formats, undeclared behaviour.

The two monitors of the protocol area, SP-PROTO-004 (no 5xx) and SP-PROTO-007 (JSON in the documented
schema), are declared in ``monitors.py``.
"""

from __future__ import annotations

from typing import Any

from contracts.engine.session import Session
from contracts.engine.verdicts import Violation

from ..generators import canonical
from ._common import accepted, expect_full_profile
from ._registry import clause
from .shapes import send_shape


@clause("SP-PROTO-001", area="protocol",
        title="GET answers 200 with the profile in the documented schema",
        doc="/paths/~1api~1relay~1rest~1sip_profile/get/responses/200")
def get_profile(s: Session) -> None:
    ex = s.get()
    s.expect_status(ex, s.spec.success_status("GET"), "GET the profile")
    expect_full_profile(s, ex, s.expect_profile(ex, "GET the profile"), "GET the profile")


@clause("SP-PROTO-002", area="protocol",
        title="A valid PUT answers 201 with the full profile in the documented schema",
        doc="/paths/~1api~1relay~1rest~1sip_profile/put/responses/201",
        needs=("write",))
def put_full_profile(s: Session) -> None:
    # The same request is the "every field at once" shape of SP-SHAPE-005: sent once, judged by both.
    ex = send_shape(s, "every-field", "put")
    ex, profile = accepted(s, ex, ex.body, "PUT a full valid body")
    expect_full_profile(s, ex, profile, "PUT a full valid body")


@clause("SP-PROTO-003", area="protocol",
        title="A rejected PUT answers 422 in the documented error format",
        doc="/components/responses/InvalidAttribute",
        needs=("write",))
def error_format(s: Session) -> None:
    # One problem, then two. Every other 422 of the run (each rejection clause's, several fields' values at
    # once) is held to the documented schema by SP-PROTO-007's monitor, so one single-problem body is enough
    # here; the rejection clauses rely on "one item per problem" checked below.
    single = {"default_codecs": ["G729"]}
    ex = s.put(single)
    s.expect_rejected(ex, f"PUT {single}")
    double = {"default_codecs": ["G729"], "default_encryption": "none"}
    ex = s.put(double)
    s.expect_rejected(ex, f"PUT {double}")
    if len((ex.json() or {}).get("errors", [])) < 2:
        # Why fewer: the other member alone tells whether it is now accepted (that change's finding, one
        # cause with its own clause's) or refused too (then the error list itself is short).
        for name, value in double.items():
            s.expect_rejected(s.refused.get(canonical({name: value})) or s.put({name: value}),
                              f"PUT {{{name!r}: {value!r}}}")
        raise Violation("a body with two invalid fields got fewer than two error items",
                        expected="one item per problem (2)", actual=ex.text[:300], exchange=ex)


def _status(s: Session, obs_id: str, question: str, method: str, **kwargs: Any) -> None:
    ex = s.send(method, creds=s.creds(), **kwargs)
    value: dict[str, Any] = {"status": ex.status}
    if method == "OPTIONS":  # always the key, so that an Allow header that goes away is a change (null)
        allow = ex.response_headers.get("allow")
        value["allow"] = ",".join(sorted(m.strip().upper() for m in allow.split(","))) if allow else None
    s.observe(obs_id, "SP-PROTO-008", question, ex, value, f"{method} answered {ex.status}")


@clause("SP-PROTO-008", area="protocol",
        title="Behaviour of undeclared methods, unknown fields and malformed bodies",
        kind="observed",
        reading="Undocumented: unknown extra fields; other methods on the path.",
        observes=("OBS-PROTO-UNKNOWN-FIELD", "OBS-PROTO-POST", "OBS-PROTO-PATCH", "OBS-PROTO-OPTIONS",
                  "OBS-PROTO-MALFORMED-JSON", "OBS-PROTO-TEXT-PLAIN", "OBS-PROTO-ARRAY-BODY"))
def undeclared(s: Session) -> None:
    _status(s, "OBS-PROTO-OPTIONS", "How does OPTIONS on the path answer?", "OPTIONS")
    if not s.cfg.allow_writes:
        return
    # DELETE is never sent: on a live account it could destroy the profile the run must restore.
    _status(s, "OBS-PROTO-POST", "How does POST on the path answer?", "POST", body={})
    _status(s, "OBS-PROTO-PATCH", "How does PATCH on the path answer?", "PATCH", body={})
    _status(s, "OBS-PROTO-MALFORMED-JSON", "How is a malformed JSON body answered?", "PUT",
            content='{"default_codecs": [', headers={"Content-Type": "application/json"})
    _status(s, "OBS-PROTO-TEXT-PLAIN", "How is a text/plain body answered?", "PUT",
            content="default_encryption=required", headers={"Content-Type": "text/plain"})
    _status(s, "OBS-PROTO-ARRAY-BODY", "How is a JSON array body answered?", "PUT", body=[])
    ex = s.put({"default_encryption": s.spec.encryption_values[0], "x_sip_contracts_unknown": 1})
    s.observe("OBS-PROTO-UNKNOWN-FIELD", "SP-PROTO-008", "Are unknown extra fields ignored or rejected?", ex,
              {"status": ex.status}, f"an unknown field: {'ignored' if ex.status < 300 else 'rejected'} "
              f"({ex.status})")
