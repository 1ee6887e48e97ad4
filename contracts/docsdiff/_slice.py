"""The slice: the operations on one path and what they reach, built the same way for both documents.

Only the path item is walked (references followed on demand), so the rest of the 2 MB upstream document
is never looked at after parsing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from contracts.docsdiff._shapes import Doc

__all__ = ["METHODS", "Operation", "Side", "build_side"]

METHODS = ("get", "put", "post", "patch", "delete", "head", "options", "trace")


@dataclass(frozen=True)
class Operation:
    method: str
    operation_id: str
    responses: Mapping[str, Any]  #: status -> response object (references followed)
    request_schema: Any
    request_required: bool
    security: tuple[str, ...]  #: the names of the security schemes that apply
    description: str


@dataclass(frozen=True)
class Side:
    doc: Doc
    operations: Mapping[str, Operation]  #: by upper-case method
    security_schemes: Mapping[str, Any]
    servers: tuple[str, ...]
    texts: tuple[str, ...] = field(default=())  #: every description/summary the slice reaches


def _json_schema(doc: Doc, holder: Any) -> Any:
    content = doc.deref(holder).get("content") if isinstance(doc.deref(holder), Mapping) else None
    if not isinstance(content, Mapping) or not content:
        return None
    media = content.get("application/json") or next(iter(content.values()))
    return media.get("schema") if isinstance(media, Mapping) else None


def _security(raw: Mapping[str, Any], op: Mapping[str, Any]) -> tuple[str, ...]:
    requirements = op.get("security", raw.get("security")) or []
    return tuple(sorted({name for req in requirements if isinstance(req, Mapping) for name in req}))


def _operation(doc: Doc, method: str, op: Mapping[str, Any]) -> Operation:
    body = doc.deref(op.get("requestBody")) or {}
    responses = {str(code): doc.deref(resp) for code, resp in (op.get("responses") or {}).items()}
    return Operation(
        method=method.upper(), operation_id=str(op.get("operationId", "")), responses=responses,
        request_schema=_json_schema(doc, body) if body else None,
        request_required=bool(body.get("required")) if isinstance(body, Mapping) else False,
        security=_security(doc.raw, op), description=str(op.get("description") or ""),
    )


def _walk_texts(doc: Doc, node: Any, seen: set[int]) -> Iterator[str]:
    if isinstance(node, Mapping):
        if isinstance(node.get("$ref"), str):
            target = doc.pointer(node["$ref"])
            if id(target) not in seen:
                seen.add(id(target))
                yield from _walk_texts(doc, target, seen)
        for key, value in node.items():
            if key in ("description", "summary", "title") and isinstance(value, str):
                yield value
            elif key not in ("examples", "example"):
                yield from _walk_texts(doc, value, seen)
    elif isinstance(node, list):
        for item in node:
            yield from _walk_texts(doc, item, seen)


def build_side(raw: Mapping[str, Any], path: str) -> Side | None:
    """The slice of ``raw`` for ``path`` (``None`` when the document does not describe the path)."""
    doc = Doc(raw)
    item = doc.deref((raw.get("paths") or {}).get(path))
    if not isinstance(item, Mapping):
        return None
    operations = {m.upper(): _operation(doc, m, op) for m, op in item.items()
                  if m in METHODS and isinstance(op, Mapping)}
    all_schemes = ((raw.get("components") or {}).get("securitySchemes") or {})
    used = {name for op in operations.values() for name in op.security}
    schemes = {name: doc.deref(all_schemes[name]) for name in sorted(used) if name in all_schemes}
    servers = tuple(str(s.get("url", "")) for s in raw.get("servers") or () if isinstance(s, Mapping))
    texts = tuple(_walk_texts(doc, item, set())) + tuple(_walk_texts(doc, schemes, set()))
    return Side(doc=doc, operations=operations, security_schemes=schemes, servers=servers, texts=texts)
