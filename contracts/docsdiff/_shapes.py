"""Reading JSON-Schema nodes the same way on both sides: types, nullability, enums, closedness, shapes.

Both documents are plain mappings with local ``$ref``s; the fragment writes nullability as
``anyOf [..., {type: null}]`` or ``type: [string, "null"]``, the upstream (TypeSpec output) as plain types,
so everything here goes through :func:`variants`, which flattens ``$ref``/``anyOf``/``oneOf``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["Doc", "closed", "describe_type", "enum_values", "nullable", "properties", "ref_name",
           "required", "shape"]

_JSON_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number", type(None): "null",
               list: "array", dict: "object"}


class Doc:
    """A document whose local ``#/...`` references can be followed."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw

    def deref(self, node: Any) -> Any:
        seen = 0
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and seen < 32:
            node = self.pointer(node["$ref"])
            seen += 1
        return node

    def pointer(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            return {}  # an external reference: nothing to compare, seen as an empty schema
        node: Any = self.raw
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            node = node.get(part, {}) if isinstance(node, Mapping) else {}
        return node

    def variants(self, node: Any) -> Iterator[Mapping[str, Any]]:
        """The alternatives a value may match (``anyOf``/``oneOf`` flattened, references followed)."""
        node = self.deref(node)
        if not isinstance(node, Mapping):
            return
        alternatives = node.get("anyOf") or node.get("oneOf")
        if isinstance(alternatives, list):
            for alt in alternatives:
                yield from self.variants(alt)
        else:
            yield node


def ref_name(node: Any) -> str | None:
    """The schema name a ``$ref`` to ``#/components/schemas/<name>`` points at."""
    ref = node.get("$ref") if isinstance(node, Mapping) else None
    prefix = "#/components/schemas/"
    return ref[len(prefix):] if isinstance(ref, str) and ref.startswith(prefix) else None


def _types(node: Mapping[str, Any]) -> set[str]:
    declared = node.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return {str(t) for t in declared}
    if "const" in node:
        return {_JSON_TYPES.get(type(node["const"]), "string")}
    if isinstance(node.get("enum"), list):
        return {_JSON_TYPES.get(type(v), "string") for v in node["enum"]}
    return set()


def _all_types(doc: Doc, node: Any) -> set[str]:
    out: set[str] = set()
    for variant in doc.variants(node):
        out |= _types(variant)
    return out


def nullable(doc: Doc, node: Any) -> bool:
    return "null" in _all_types(doc, node)


def describe_type(doc: Doc, node: Any) -> str:
    """``string``, ``array<string>``, ``object`` … (null left out: nullability is compared on its own)."""
    names = []
    for t in sorted(_all_types(doc, node) - {"null"}):
        if t == "array":
            items = [v.get("items") for v in doc.variants(node) if "items" in v]
            names.append(f"array<{describe_type(doc, items[0]) if items else 'any'}>")
        else:
            names.append(t)
    return "|".join(names) or "any"


def enum_values(doc: Doc, node: Any) -> tuple[str, ...] | None:
    """The enum of a node (``None`` when none is declared); ``null`` alternatives are left out."""
    values: list[str] = []
    found = False
    for variant in doc.variants(node):
        if isinstance(variant.get("enum"), list):
            found = True
            values += [str(v) for v in variant["enum"] if v is not None]
    return tuple(values) if found else None


def properties(doc: Doc, node: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for variant in doc.variants(node):
        props = variant.get("properties")
        if isinstance(props, Mapping):
            out.update(props)
    return out


def required(doc: Doc, node: Any) -> frozenset[str]:
    out: set[str] = set()
    for variant in doc.variants(node):
        out |= {str(name) for name in variant.get("required") or ()}
    return frozenset(out)


def closed(doc: Doc, node: Any) -> bool:
    """A closed model, unknown members not allowed (TypeSpec: ``unevaluatedProperties: {not: {}}``)."""
    for variant in doc.variants(node):
        for key in ("unevaluatedProperties", "additionalProperties"):
            value = variant.get(key)
            if value is False or (isinstance(value, Mapping) and value.get("not") == {}):
                return True
    return False


def shape(doc: Doc, node: Any, depth: int = 0) -> str:
    """A compact structural signature: ``{errors!: array<{code!: string, …}>}`` (``!`` = required)."""
    if depth > 8:
        return "…"
    props = properties(doc, node)
    if props:
        req = required(doc, node)
        members = ", ".join(f"{name}{'!' if name in req else ''}: {shape(doc, sub, depth + 1)}"
                            for name, sub in sorted(props.items()))
        return "{" + members + "}"
    items = [v["items"] for v in doc.variants(node) if "items" in v]
    if items:
        return f"array<{shape(doc, items[0], depth + 1)}>"
    return describe_type(doc, node)
