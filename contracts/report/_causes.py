"""Root causes: findings that share one distinguishing fact are one change, reported once.

One planted change (every PUT answering 200 instead of 201) fails a dozen clauses and changes a dozen
observations; listing 25 findings hides that it is one thing to fix. This module reads the evidence the
document already holds — each failure's request and response, each changed observation's before and
after — and derives *facts* from it, each a grouping key:

- ``("status", method, expected, actual)``: a failure whose expectation names a status (``status 201``)
  and whose response had another one, or an observation whose status changed since the baseline;
- ``("content-type", media type)``: a response that was not JSON (the API's only documented type);
- ``("field-missing", field)``: a 2xx profile body without a field that the run saw elsewhere (in other
  bodies or in what a clause expected);
- ``("field-changed", field)``: a 2xx body whose field differs from the value the clause expected.

A failure whose expectation does not name a status (schemathesis' "a documented answer") still shows
``(method, actual status)``; it joins a status cause with that method and actual status if one exists.
Each finding joins the cause of its best-supported fact (most findings, then key order); a finding that
shares nothing stays its own cause. Causes are ordered by how much they explain, then by key, so the
result is the same for the same document. Pure: reads the document dict, returns plain data.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["parse_value", "root_causes"]

Key = tuple[str, ...]

_STATUS = re.compile(r"^\s*status\s+(\d{3})\b")
_JSON_TYPES = ("application/json",)


def parse_value(value: Any) -> Any:
    """A value as data: JSON text and Python-literal text (``['OPUS']``, ``None``) are parsed."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text or text[0] not in "[{\"'0123456789-tfnNTF":
        return value
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return value


@dataclass
class _Finding:
    kind: str  #: "clause" or "observation"
    id: str
    fallback: str  #: the summary when it shares nothing
    facts: set[Key] = field(default_factory=set)
    partial: set[tuple[str, int]] = field(default_factory=set)  #: (method, actual status)
    methods: set[str] = field(default_factory=set)


def _media_type(headers: Mapping[str, Any] | None) -> str | None:
    for name, value in (headers or {}).items():
        if str(name).lower() == "content-type":
            return str(value).split(";")[0].strip().lower()
    return None


def _profile_fields(doc: Mapping[str, Any]) -> set[str]:
    """Every field name the run saw in a 2xx dict body or in a clause's expected dict / field list."""
    seen: set[str] = set()
    for clause in doc.get("clauses") or []:
        for f in clause.get("failures") or []:
            response = f.get("response") or {}
            body = parse_value(response.get("body"))
            if isinstance(body, dict) and 200 <= int(response.get("status") or 0) < 300:
                seen.update(str(k) for k in body)
            expected = parse_value(f.get("expected"))
            if isinstance(expected, dict):
                seen.update(str(k) for k in expected)
            elif isinstance(expected, list) and expected and all(isinstance(x, str) for x in expected):
                seen.update(expected)
    return seen


def _failure_facts(finding: _Finding, f: Mapping[str, Any], fields: set[str]) -> None:
    request, response = f.get("request") or {}, f.get("response") or {}
    if f.get("cause"):  # a request shape that breaks (and the clients it breaks), named by the clause:
        # on a tie with a status fact it wins by key order ("cause" < "status"); a status change of every
        # write still gathers the shapes' failures with everything else it explains
        finding.facts.add(("cause", str(f["cause"])))
    method = str(request.get("method") or "").upper()
    status = response.get("status")
    if method:
        finding.methods.add(method)
    if isinstance(status, int) and method:
        match = _STATUS.match(str(f.get("expected") or ""))
        if match and int(match.group(1)) != status:
            finding.facts.add(("status", method, match.group(1), str(status)))
        elif not match:
            finding.partial.add((method, status))
    media = _media_type(response.get("headers"))
    if media and media not in _JSON_TYPES and not media.endswith("+json"):
        finding.facts.add(("content-type", media))
    body = parse_value(response.get("body"))
    if not (isinstance(status, int) and 200 <= status < 300 and isinstance(body, dict)):
        return
    finding.facts.update(("field-missing", name) for name in sorted(fields - set(body)))
    expected = parse_value(f.get("expected"))
    if isinstance(expected, dict):
        finding.facts.update(("field-changed", str(k)) for k, v in expected.items()
                             if k in body and body[k] != v)


def _clause_finding(clause: Mapping[str, Any], fields: set[str]) -> _Finding:
    failures = clause.get("failures") or []
    message = failures[0].get("message") if failures else clause.get("reason")
    finding = _Finding("clause", str(clause["id"]), f"{clause['id']}: {message or 'fails'}")
    for f in failures:
        _failure_facts(finding, f, fields)
    return finding


def _observation_finding(change: Mapping[str, Any], obs: Mapping[str, Any] | None) -> _Finding:
    before, after = change.get("before") or {}, change.get("after") or {}
    finding = _Finding("observation", str(change["id"]),
                       f"{change['id']}: {before.get('summary') or ''} → {after.get('summary') or ''}")
    method = str(((obs or {}).get("request") or {}).get("method") or "").upper()
    b, a = before.get("status"), after.get("status")
    if method:
        finding.methods.add(method)
    if method and isinstance(b, int) and isinstance(a, int) and a != b:
        finding.facts.add(("status", method, str(b), str(a)))
    return finding


def _findings(doc: Mapping[str, Any]) -> list[_Finding]:
    fields = _profile_fields(doc)
    found = [_clause_finding(c, fields) for c in doc.get("clauses") or [] if c.get("verdict") == "fail"]
    observations = {o.get("id"): o for o in doc.get("observations") or []}
    changed = ((doc.get("baseline") or {}).get("observations") or {}).get("changed") or []
    found += [_observation_finding(ch, observations.get(ch.get("id"))) for ch in changed
              if not ch.get("waived")]
    return found


def _summary(key: Key, members: list[_Finding]) -> str:
    methods = "/".join(sorted({m for f in members for m in f.methods})) or "the API"
    if key[0] == "status":
        return f"{key[1]} answers {key[3]} instead of {key[2]}"
    if key[0] == "content-type":
        return f"{methods} answers with content type {key[1]}, not JSON"
    if key[0] == "field-missing":
        return f"{methods} answers lack the field {key[1]}"
    if key[0] == "cause":
        return key[1]
    if key[0] == "field-changed":
        return f"{methods} answers carry a different {key[1]} than expected"
    return members[0].fallback


def _assign(findings: Iterable[_Finding]) -> dict[Key, list[_Finding]]:
    findings = list(findings)
    support: dict[Key, int] = {}
    for f in findings:
        for key in f.facts:
            support[key] = support.get(key, 0) + 1
    groups: dict[Key, list[_Finding]] = {}
    for f in findings:
        candidates = sorted(f.facts, key=lambda k: (-support[k], k))
        if not candidates:
            # A status-blind failure (schemathesis) joins a status cause with its method and actual status.
            candidates = sorted((k for k in support if k[0] == "status" and (k[1], int(k[3])) in f.partial),
                                key=lambda k: (-support[k], k))
        key = candidates[0] if candidates else ("finding", f.kind, f.id)
        groups.setdefault(key, []).append(f)
    return groups


def root_causes(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The document's root causes, most explaining first: ``id``, ``summary``, ``clauses``, ``observations``.

    Failing clauses and unwaived changed observations are the findings; a faithful run has none and gets
    an empty list.
    """
    groups = _assign(_findings(doc))
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    out: list[dict[str, Any]] = []
    for n, (key, members) in enumerate(ordered, 1):
        out.append({
            "id": f"RC{n}",
            "summary": _summary(key, members),
            "clauses": [f.id for f in members if f.kind == "clause"],
            "observations": [f.id for f in members if f.kind == "observation"],
        })
    return out
