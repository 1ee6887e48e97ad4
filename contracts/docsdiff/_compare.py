"""Comparing the fragment's slice with the upstream slice: one :class:`Difference` per point that differs.

Each difference has a stable id (``statuses:updateSipProfile``, ``nullable:SipProfileResponse.domain`` …)
so that the fragment can record it as known, and both sides as short strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from contracts.docsdiff import _shapes as sh
from contracts.docsdiff._config import Config
from contracts.docsdiff._slice import Operation, Side
from contracts.docsdiff._text import scopes_in, values_in

__all__ = ["Difference", "compare"]

ABSENT = "(absent)"


@dataclass(frozen=True)
class Difference:
    id: str
    what: str
    upstream: str
    fragment: str


def _join(values: Iterable[str]) -> str:
    return ", ".join(values) or "(none)"


def _set_change(noun: str, upstream: Iterable[str], fragment: Iterable[str]) -> str:
    up, frag = set(upstream), set(fragment)
    parts = []
    if up - frag:
        parts.append(f"{noun} added upstream: {_join(sorted(up - frag))}")
    if frag - up:
        parts.append(f"{noun} removed upstream: {_join(sorted(frag - up))}")
    return "; ".join(parts) or f"{noun}: same members, different order"


def _diff(id: str, what: str, upstream: str, fragment: str) -> Iterator[Difference]:
    if upstream != fragment:
        yield Difference(id, what, upstream, fragment)


def _description(doc: sh.Doc, node: Any) -> str:
    return " ".join(str(v.get("description") or v.get("x-doc") or "") for v in doc.variants(node))


def _values(doc: sh.Doc, node: Any) -> tuple[str, ...] | None:
    """A field's vocabulary: the enum (of the items for an array), else the "Currently supported" sentence."""
    items = [v["items"] for v in doc.variants(node) if "items" in v]
    target = items[0] if items else node
    return sh.enum_values(doc, target) or values_in(_description(doc, node) + " " + _description(doc, target))


def _object(label: str, up: Side, up_node: Any, fr: Side, fr_node: Any) -> Iterator[Difference]:
    u, f = up.doc, fr.doc
    up_props, fr_props = sh.properties(u, up_node), sh.properties(f, fr_node)
    yield from _diff(f"fields:{label}", _set_change(f"{label} fields", up_props, fr_props),
                     _join(sorted(up_props)), _join(sorted(fr_props)))
    yield from _diff(f"required:{label}", f"{label}: required fields differ",
                     _join(sorted(sh.required(u, up_node))), _join(sorted(sh.required(f, fr_node))))
    yield from _diff(f"closed:{label}", f"{label}: closed model (unknown members not allowed)",
                     "closed" if sh.closed(u, up_node) else "open",
                     "closed" if sh.closed(f, fr_node) else "open")
    for name in sorted(set(up_props) & set(fr_props)):
        un, fn = up_props[name], fr_props[name]
        where = f"{label}.{name}"
        yield from _diff(f"type:{where}", f"{where}: type", sh.describe_type(u, un), sh.describe_type(f, fn))
        yield from _diff(f"nullable:{where}", f"{where}: null allowed",
                         "nullable" if sh.nullable(u, un) else "not nullable",
                         "nullable" if sh.nullable(f, fn) else "not nullable")
        up_values, fr_values = _values(u, un), _values(f, fn)
        if up_values is not None or fr_values is not None:
            yield from _diff(f"values:{where}", f"{where}: " + _set_change("value(s)", up_values or (),
                                                                            fr_values or ()),
                             _join(up_values or ()), _join(fr_values or ()))


def _error_value(doc: sh.Doc, response: Mapping[str, Any], schema: Any) -> str:
    """The documented ``error`` string of an error body: an enum, ``x-error-value`` or the example."""
    values = sh.enum_values(doc, sh.properties(doc, schema).get("error"))
    if values:
        return _join(values)
    if "x-error-value" in response:
        return str(response["x-error-value"])
    media = (response.get("content") or {}).get("application/json") or {}
    example = media.get("example")
    return str(example["error"]) if isinstance(example, Mapping) and "error" in example else ABSENT


def _schema_of(response: Mapping[str, Any]) -> Any:
    content = response.get("content") if isinstance(response, Mapping) else None
    media = (content or {}).get("application/json") if isinstance(content, Mapping) else None
    return media.get("schema") if isinstance(media, Mapping) else None


def _label(up_schema: Any, fallback: str) -> str:
    return sh.ref_name(up_schema) or fallback


def _operation(cfg: Config, name: str, uo: Operation, fo: Operation, up: Side, fr: Side,
               pairs: dict[str, tuple[Any, Any]]) -> Iterator[Difference]:
    yield from _diff(f"statuses:{name}", f"{name} ({fo.method}): " + _set_change("status(es)", uo.responses,
                                                                                    fo.responses),
                     _join(sorted(uo.responses)), _join(sorted(fo.responses)))
    yield from _diff(f"request-required:{name}", f"{name}: request body required",
                     str(uo.request_required).lower(), str(fo.request_required).lower())
    if uo.request_schema is not None and fo.request_schema is not None:
        pairs.setdefault(_label(uo.request_schema, f"{name}.request"), (uo.request_schema, fo.request_schema))
    for status in sorted(set(uo.responses) & set(fo.responses)):
        u_schema, f_schema = _schema_of(uo.responses[status]), _schema_of(fo.responses[status])
        if u_schema is None or f_schema is None:
            continue
        up_name, fr_name = sh.ref_name(u_schema), sh.ref_name(f_schema)
        if up_name and fr_name:
            yield from _diff(f"schema:{name}.{status}", f"{name} {status}: schema name mapping (x-upstream)",
                             f"{up_name} -> {cfg.schemas.get(up_name, ABSENT)}", f"{up_name} -> {fr_name}")
        label = _label(u_schema, f"{name}.{status}")
        if status.startswith(("4", "5")):
            yield from _diff(f"error-body:{label}", f"{label}: error body shape",
                             sh.shape(up.doc, u_schema), sh.shape(fr.doc, f_schema))
            yield from _diff(f"error-value:{label}", f"{label}: the 'error' string",
                             _error_value(up.doc, uo.responses[status], u_schema),
                             _error_value(fr.doc, fo.responses[status], f_schema))
            yield from _diff(f"closed:{label}", f"{label}: closed model (unknown members not allowed)",
                             "closed" if sh.closed(up.doc, u_schema) else "open",
                             "closed" if sh.closed(fr.doc, f_schema) else "open")
        else:
            pairs.setdefault(label, (u_schema, f_schema))
    yield from _security(cfg, name, uo, fo, up, fr)


def _security(cfg: Config, name: str, uo: Operation, fo: Operation, up: Side,
              fr: Side) -> Iterator[Difference]:
    mapped = [cfg.security_schemes.get(s, f"{s} (unmapped)") for s in fo.security]
    yield from _diff(f"security:{name}", f"{name}: security scheme(s)", _join(uo.security),
                     _join(sorted(mapped)))
    up_scopes = scopes_in(uo.description)
    fr_scopes = sorted({str(fr.security_schemes.get(s, {}).get("x-required-scope", ""))
                        for s in fo.security} - {""})
    yield from _diff(f"scope:{name}", f"{name}: required token scope(s)",
                     _join(sorted(up_scopes or ())), _join(fr_scopes))


def _schemes(cfg: Config, up: Side, fr: Side) -> Iterator[Difference]:
    for frag_name, scheme in fr.security_schemes.items():
        up_name = cfg.security_schemes.get(frag_name, frag_name)
        u = up.security_schemes.get(up_name)
        kind = f"{scheme.get('type')} {str(scheme.get('scheme', '')).lower()}".strip()
        up_kind = f"{u.get('type')} {str(u.get('scheme', '')).lower()}".strip() if u else ABSENT
        yield from _diff(f"security-scheme:{frag_name}", f"security scheme {frag_name} = upstream {up_name}",
                         up_kind, kind)


def _server(url: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", url)


def compare(cfg: Config, up: Side, fr: Side) -> list[Difference]:
    """Every structural difference between the two slices (the quotes are checked in :mod:`_quotes`)."""
    out: list[Difference] = []
    pairs: dict[str, tuple[Any, Any]] = {}
    for method, fo in fr.operations.items():
        name = fo.operation_id or method
        uo = up.operations.get(method)
        if uo is None:
            out.append(Difference(f"operation:{name}", f"{method} {cfg.path} ({name}) removed upstream",
                                  ABSENT, method))
            continue
        expected = cfg.operations.get(fo.operation_id, ABSENT)
        out += _diff(f"operation-id:{name}", f"{name} ({method}): upstream operationId (x-upstream mapping)",
                     uo.operation_id, expected)
        out += _operation(cfg, name, uo, fo, up, fr, pairs)
    for method in sorted(set(up.operations) - set(fr.operations)):
        out.append(Difference(f"operation:{method}", f"{method} {cfg.path} added upstream "
                              f"({up.operations[method].operation_id})", method, ABSENT))
    for label, (u_schema, f_schema) in pairs.items():
        out += _object(label, up, u_schema, fr, f_schema)
    out += _schemes(cfg, up, fr)
    out += _diff("server", "server URL (variable names ignored)", _join(sorted(map(_server, up.servers))),
                 _join(sorted(map(_server, fr.servers))))
    # An error schema shared by two operations is compared twice; keep one difference per id.
    unique: dict[str, Difference] = {}
    for d in out:
        unique.setdefault(d.id, d)
    return list(unique.values())
