"""Documented-invalid values of several fields in one PUT: one request for several rejection clauses.

"422 … one item per problem" (asserted by SP-PROTO-003): a body that carries one documented-invalid value
of each of several fields is answered with an item per problem. An item that names exactly one of the
body's fields (in its detail, or any member) shows that field's value refused, so one request stands for as
many single-field rejections as it has fields. Whatever such a body does not show — a field no item names
(a refusal that lists only the first problem, details that name no field, a value the service now accepts),
another status — is sent alone and judged alone, by its own clause: a regression is never hidden behind
another field's problem. A target whose answer to a combined body names no field at all gets no more
combined bodies in the run (one request spent finding out).

The values combined are each rejection clause's fixed representatives (``clause(rejects=…)``), never
hypothesis draws: a draw goes out alone, as before.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from contracts.engine.client import Exchange
from contracts.engine.session import Session

from ..generators import canonical
from ._registry import REGISTRY

__all__ = ["named_fields", "refused_together"]


def _pending(s: Session) -> dict[str, list[Any]]:
    """Field -> its fixed invalid values not yet sent in a combined body (built on first use)."""
    if s.to_combine is None:
        plan: dict[str, dict[str, Any]] = {}
        for declared in REGISTRY.values():
            if declared.rejects is not None:
                field, fixed = declared.rejects
                for lab in fixed(s):
                    plan.setdefault(field, {}).setdefault(canonical(lab.value), lab.value)
        s.to_combine = {field: list(values.values()) for field, values in plan.items()}
    return s.to_combine


def _forms(field: str) -> tuple[str, ...]:
    """How an error item may spell a field: as sent, in words ("default codecs"), run together."""
    return field, field.replace("_", " "), field.replace("_", "")


def named_fields(ex: Exchange, fields: Iterable[str]) -> set[str]:
    """The fields of ``fields`` that a 422's error items each name alone (an item naming two names none)."""
    body = ex.json() if ex.status == 422 else None
    items = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(items, list):
        return set()
    wanted = list(fields)
    named: set[str] = set()
    for item in items:
        text = json.dumps(item, ensure_ascii=False).lower()
        hits = [f for f in wanted if any(form in text for form in _forms(f))]
        if len(hits) == 1:
            named.add(hits[0])
    return named


def refused_together(s: Session, body: Mapping[str, Any]) -> Exchange | None:
    """The refusal that shows the one-field ``body`` refused inside a combined body, or None (send it alone).

    The first call for a planned value sends it together with the next planned value of every other field.
    """
    if len(body) != 1:
        return None
    key = canonical(dict(body))
    if key in s.refused_together or not s.combine_refusals:
        return s.refused_together.get(key)
    (field, value), = body.items()
    pending = _pending(s)
    mine = pending.get(field, [])
    at = next((i for i, v in enumerate(mine) if canonical(v) == canonical(value)), None)
    if at is None:
        return None
    combined: dict[str, Any] = {field: mine.pop(at)}
    for other, values in pending.items():
        while values and canonical({other: values[0]}) in s.refused:
            values.pop(0)  # already refused alone (e.g. by SP-PROTO-003): its clause reads that answer
        if other != field and values:
            combined[other] = values.pop(0)
    if len(combined) == 1:
        return None  # nothing left to combine with: the clause sends it alone, as any single value
    ex = s.put(combined)
    named = named_fields(ex, combined)
    if not named:
        s.combine_refusals = False
    for name in named:
        s.refused_together[canonical({name: combined[name]})] = ex
    return s.refused_together.get(key)
