"""Schemathesis over both operations (SP-PROTO-005 positive, SP-PROTO-006 negative).

Schemathesis generates the cases from the fragment; we send them through the suite's client (write guard,
budget, retries) and judge them:

* positive mode: schemathesis' built-in ``positive_data_acceptance``, ``status_code_conformance``,
  ``content_type_conformance`` and ``response_schema_conformance``, after *sanitising* each body so it
  holds only what the docs settle: no unknown keys (their handling is undocumented), lists de-duplicated
  and non-empty, ``domain_identifier`` replaced by a run-specific DNS label (character rules are
  undocumented and a real value could collide with another project's), ``default_send_as`` restricted to
  numbers the project may use.
* negative mode: a case is sent only when it holds at least one value the docs settle as invalid (our
  classifier, not the schema alone: e.g. ``null`` lists or case variants violate the schema but are
  undocumented); it must then be refused with a 4xx. The built-in ``negative_data_rejection`` is not used
  because it would also judge those undocumented negations.

Excluded built-ins: ``ignored_auth`` (two extra requests per 2xx case; SP-AUTH-* cover it directly),
``unsupported_method`` (404 vs 405 for undeclared methods is undocumented; observed in SP-PROTO-008),
``use_after_free``/``ensure_resource_availability``/``object_level_authorization`` (no create/delete
operations or links in this API), ``response_headers_conformance`` (no documented headers),
``missing_required_header`` (no documented request headers), ``not_a_server_error`` (SP-PROTO-004 monitors
every answer of the run, these included).
"""

from __future__ import annotations

import functools
import hashlib
from typing import Any

from contracts.engine.session import Session
from contracts.engine.verdicts import Violation

from .. import generators as gen
from ..spec import Spec
from ._common import put_valid
from ._registry import clause

_SEND_AS = "default_send_as"


@functools.cache
def _operations(numbers: tuple[str, ...] | None) -> dict[str, Any]:
    """Schemathesis operations, built once per set of usable numbers (the e164 format depends on it)."""
    import schemathesis

    from ..spec import load_spec

    gen.register_formats(numbers if numbers else None)
    config = schemathesis.Config.from_dict({
        "generation": {"with-security-parameters": False},
        "analysis": {"constants": {"enabled": False}},
    })
    schema = schemathesis.openapi.from_dict(load_spec().as_dict(), config=config)
    schema.config.update(base_url="http://sip-contracts.invalid")
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    return {op.method.upper(): op for op in operations}


def _ops(s: Session) -> dict[str, Any]:
    return _operations(s.target.numbers)


def _label(s: Session, raw: Any) -> str:
    digest = hashlib.blake2b(gen.canonical(raw).encode(), digest_size=3).hexdigest()
    return f"{s.id_prefix}-{digest}"


def sanitise_positive(s: Session, body: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in (body or {}).items():
        if name not in s.spec.update_fields:
            continue
        if isinstance(value, list):
            value = list(dict.fromkeys(value))
            if not value:
                continue
        elif name == "domain_identifier":
            value = _label(s, value)
        elif name == _SEND_AS and isinstance(value, str) and value:
            if s.target.numbers:
                value = s.target.numbers[int(_label(s, value)[-6:], 16) % len(s.target.numbers)]
            elif s.target.kind != "mock":
                value = None
        out[name] = value
    return out or {"default_encryption": s.spec.encryption_values[0]}


def documented_invalid(spec: Spec, body: Any) -> str | None:
    """The first field whose value the docs settle as invalid, or None (the case says nothing)."""
    if not isinstance(body, dict):
        return "body is not an object"
    for name, value in body.items():
        if name in ("default_codecs", "default_ciphers"):
            vocab = spec.codecs if name == "default_codecs" else spec.ciphers
            if value is None:
                continue  # null lists: undocumented
            if not isinstance(value, list):
                return f"{name} is not a list"
            for item in value:
                if not isinstance(item, str):
                    return f"{name} holds a non-string"
                if item not in vocab and item.upper() not in vocab:
                    return f"{name} holds {item!r}"
        elif name == "default_encryption":
            if value is not None and value not in spec.encryption_values:
                return f"{name} is {value!r}"
        elif name == _SEND_AS:
            if value is None or value == "":
                continue
            if not isinstance(value, str):
                return f"{name} is not a string"
            if not spec.e164_pattern.match(value):
                return f"{name} {value!r} is not E.164"
        elif name == "domain_identifier" and value is not None and not isinstance(value, str):
            return f"{name} is not a string"
    return None


def _case_key(case: Any) -> str:
    body = case.body if case.method.upper() == "PUT" else None
    body = body.hex() if isinstance(body, bytes) else body
    return gen.canonical([case.method, body, case.media_type])


@clause("SP-PROTO-005", area="protocol",
        title="Schema-valid requests generated from the fragment are accepted (schemathesis, positive mode)",
        doc="/paths/~1api~1relay~1rest~1sip_profile/put/requestBody",
        reading="Every request field is optional: any body the fragment's request schema accepts must be "
                "accepted.",
        needs=("write",))
def positive(s: Session) -> None:
    from schemathesis import GenerationMode
    from schemathesis.core.failures import FailureGroup
    from schemathesis.specs.openapi import checks as oc

    ops = _ops(s)
    checks = [oc.positive_data_acceptance, oc.status_code_conformance, oc.content_type_conformance,
              oc.response_schema_conformance]

    def check(case: Any) -> Violation | None:
        if case.method.upper() == "PUT":
            ex, case.body = put_valid(s, sanitise_positive(s, case.body))
        else:
            ex = s.get()
        try:
            case.validate_response(ex.raw, checks=checks)
        except FailureGroup as group:
            failures = group.exceptions
            title = "; ".join(f"{getattr(f, 'title', type(f).__name__)}" for f in failures)
            return Violation(f"schemathesis (positive): {title}", expected="a documented answer to "
                             "schema-valid data", actual=f"{ex.status}: {ex.text[:300]}", exchange=ex)
        return None

    for method, count in (("GET", 2), ("PUT", s.effort.schemathesis_positive)):
        strategy = ops[method].as_strategy(generation_mode=GenerationMode.POSITIVE)
        s.explorer.search(f"SP-PROTO-005:{method}", strategy, check, examples=s.examples(count),
                          keyfn=_case_key, shrink=False)


@clause("SP-PROTO-006", area="protocol",
        title="Schema-violating requests generated from the fragment are rejected (schemathesis, negative "
              "mode)",
        doc="/components/responses/InvalidAttribute",
        reading="Only values the docs settle as invalid must be refused; the schema's other negations are "
                "undocumented points, observed elsewhere.",
        needs=("write",))
def negative(s: Session) -> None:
    from schemathesis import GenerationMode

    op = _ops(s)["PUT"]

    def check(case: Any) -> Violation | None:
        body = case.body
        if isinstance(body, dict):
            body = {k: v for k, v in body.items() if k in s.spec.update_fields}
        why = documented_invalid(s.spec, body) if not isinstance(body, bytes) else "malformed JSON bytes"
        if why is None:
            return None
        if isinstance(body, bytes):
            ex = s.send("PUT", creds=s.creds(), content=body, headers={"Content-Type": "application/json"})
        else:
            ex = s.put(body)
        if not 400 <= ex.status < 500:
            return Violation(f"schemathesis (negative): invalid data was not refused ({why})",
                             expected="a 4xx refusal (422 documented)",
                             actual=f"{ex.status}: {ex.text[:300]}",
                             exchange=ex)
        return None

    strategy = op.as_strategy(generation_mode=GenerationMode.NEGATIVE)
    s.explorer.search("SP-PROTO-006", strategy, check, examples=s.examples(s.effort.schemathesis_negative),
                      keyfn=_case_key, shrink=False)
