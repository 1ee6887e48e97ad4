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
- ``("field-changed", field)``: a 2xx body whose field differs from the value the clause expected;
- ``("server-errors", method)``: an operation's 5xx rate rose since the baseline (SP-PROTO-010), named
  with the rate ("1 in 8 PUTs answers 500 (28 of 224); baseline 0 of 230");
- ``("schema", path, problem)``: the same schema problem of an answer (``errors/*/status: is not of type
  'string'``), whichever check found it; a required property missing is ``field-missing``;
- ``("value", field, item)``: a value the clause expected to be refused (4xx) but that was accepted (2xx),
  and every 2xx answer that carries it back;
- ``("slower", method)``: a latency measurement of that operation drifted;
- ``("read-back", "GET")``: a GET answered other values than the clause expected to read back (or a
  drifted observation's GET part changed).

Value changes (model, schema, echo and read-back all seeing one field answered otherwise) show up as
different facts in different checks: ``field-changed`` also comes from a check's own words
(``default_codecs: … then …``, ``omitted default_ciphers: held …``), from a schema problem at a profile
field of a 2xx answer, from a field a request sent and its answer carried otherwise, and from a drifted
observation whose changed value names a field. After the grouping, groups of value facts
(``field-changed``, ``value``, ``read-back``, and a status "4xx expected, 2xx came") that share a fact are
merged: one field written one way and answered another, a refused value accepted, or a read answering the
previous profile, is one cause.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from contracts.report._rates import is_rate, rate_phrase

__all__ = ["parse_value", "root_causes"]

Key = tuple[str, ...]

_STATUS = re.compile(r"^\s*status\s+(\d{3})\b")
#: A jsonschema problem as the checks quote it: ``<path>: <problem> — body …``.
_SCHEMA = re.compile(r"^(<root>|[\w/]+): (.+?) — body ", re.S)
_REQUIRED = re.compile(r"^'([^']+)' is a required property$")
#: A check's own words about one field: ``default_codecs: expected …``, ``omitted default_ciphers: held …``.
_FIELD_WORDS = re.compile(r"^(?:omitted )?([a-z][a-z_]*): ")
#: The kinds of fact that say "a value was answered otherwise"; their groups merge when they share one.
_VALUE_KINDS = frozenset({"field-changed", "value", "read-back"})


def _mergeable(key: Key) -> bool:
    """Value facts, and "a 4xx was expected, a 2xx came" (the status face of an accepted value)."""
    return key[0] in _VALUE_KINDS or (key[0] == "status" and key[2][0] == "4" and key[3][0] == "2")
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
    labels: dict[Key, str] = field(default_factory=dict)  #: a fact's summary, when the key cannot say it
    examples: dict[Key, str] = field(default_factory=dict)  #: an instance of a fact ("'+1' sent, '+ 1' …")


def _media_type(headers: Mapping[str, Any] | None) -> str | None:
    for name, value in (headers or {}).items():
        if str(name).lower() == "content-type":
            return str(value).split(";")[0].strip().lower()
    return None


def _profile_fields(doc: Mapping[str, Any]) -> set[str]:
    """Every field name the run saw in a 2xx dict body, or expected of one (a dict or a field list)."""
    seen: set[str] = set()
    for clause in doc.get("clauses") or []:
        for f in clause.get("failures") or []:
            response = f.get("response") or {}
            if not 200 <= int(response.get("status") or 0) < 300:
                continue  # an error body's members (401's "error") are no profile fields
            body = parse_value(response.get("body"))
            if isinstance(body, dict):
                seen.update(str(k) for k in body)
            expected = parse_value(f.get("expected"))
            if isinstance(expected, dict):
                seen.update(str(k) for k in expected)
            elif isinstance(expected, list) and expected and all(isinstance(x, str) for x in expected):
                seen.update(expected)
    return seen


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"


def _atoms(value: Any) -> list[str]:
    """A field's value as comparable items: each list item, or the value itself (canonical JSON)."""
    items = value if isinstance(value, list) else [value]
    return [json.dumps(item, sort_keys=True, ensure_ascii=False) for item in items]


def _accepted(doc: Mapping[str, Any]) -> set[tuple[str, str]]:
    """(field, item) of every request a clause expected to be refused (4xx) that was accepted (2xx)."""
    out: set[tuple[str, str]] = set()
    for clause in doc.get("clauses") or []:
        for f in clause.get("failures") or []:
            match = _STATUS.match(str(f.get("expected") or ""))
            status = (f.get("response") or {}).get("status")
            body = parse_value((f.get("request") or {}).get("body"))
            if match and match.group(1).startswith("4") and isinstance(status, int) \
                    and 200 <= status < 300 and isinstance(body, dict):
                out.update((str(k), atom) for k, v in body.items() for atom in _atoms(v))
    return out


def _failure_facts(finding: _Finding, f: Mapping[str, Any], fields: set[str],
                   accepted: set[tuple[str, str]]) -> None:
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
    success = isinstance(status, int) and 200 <= status < 300
    expected = parse_value(f.get("expected"))
    if isinstance(body, dict) and isinstance(expected, dict):
        finding.facts.update(("field-missing", str(k)) for k in expected if k not in body)
    _text_facts(finding, str(f.get("actual") or ""), fields, body if success else None, status)
    if not (success and isinstance(body, dict)):
        return
    finding.facts.update(("field-missing", name) for name in sorted(fields - set(body)))
    if isinstance(expected, dict):
        changed = [str(k) for k, v in expected.items() if k in body and body[k] != v]
        finding.facts.update(("field-changed", k) for k in changed)
        if changed and method == "GET":
            finding.facts.add(("read-back", "GET"))  # a read answers other values than were written
    finding.facts.update(("value", str(k), atom) for k, v in body.items() for atom in _atoms(v)
                         if (str(k), atom) in accepted)
    sent = parse_value(request.get("body"))
    if isinstance(sent, dict):  # sent one way, answered another (null and "" ask for a default: not here)
        for k, v in sent.items():
            if v not in (None, "") and k in body and body[k] != v:
                key = ("field-changed", str(k))
                finding.facts.add(key)
                example = f"{_short(v)} sent, {_short(body[k])} answered"
                finding.examples[key] = min(example, finding.examples.get(key, example))


def _text_facts(finding: _Finding, actual: str, fields: set[str], body: dict[str, Any] | None,
                status: Any) -> None:
    """Facts from a check's ``actual``: a schema problem it quotes, or the one field its words name."""
    schema = _SCHEMA.match(actual)
    if schema:
        path, problem = schema.group(1), schema.group(2).strip()
        required = _REQUIRED.match(problem)
        if required:
            finding.facts.add(("field-missing", required.group(1)))
            return
        top = path.split("/")[0]
        if body is not None and top in fields:
            finding.facts.add(("field-changed", top))  # a 2xx answer carries that field off the schema
        steps = "/".join("*" if part.isdigit() else part for part in path.split("/"))
        finding.facts.add(("schema", str(status), steps, problem[problem.find(" is "):].strip()
                           if " is " in problem else problem))
        return
    words = _FIELD_WORDS.match(actual)
    if words and words.group(1) in fields:
        finding.facts.add(("field-changed", words.group(1)))


def _clause_finding(clause: Mapping[str, Any], fields: set[str], accepted: set[tuple[str, str]]) -> _Finding:
    failures = clause.get("failures") or []
    message = failures[0].get("message") if failures else clause.get("reason")
    finding = _Finding("clause", str(clause["id"]), f"{clause['id']}: {message or 'fails'}")
    for f in failures:
        _failure_facts(finding, f, fields, accepted)
    return finding


def _changed_paths(before: Any, after: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The paths (dict keys) at which two observed values differ; a dict on one side only is walked."""
    if isinstance(before, dict) or isinstance(after, dict):
        if not (isinstance(before, dict | None) and isinstance(after, dict | None)):
            return [path]
        b, a = before or {}, after or {}
        return [p for k in sorted(set(b) | set(a), key=str)
                for p in _changed_paths(b.get(k), a.get(k), (*path, str(k)))]
    return [] if before == after else [path]


def _observed_field_facts(finding: _Finding, before: Any, after: Any, request: Mapping[str, Any],
                          fields: set[str]) -> None:
    """A drifted value names the field it is about (a key on the changed path). The fields a request set
    are no evidence: the PUT that probes omitted fields sets another field than the ones it is about."""
    paths = _changed_paths(before, after)
    named = {part for p in paths for part in p if part in fields}
    finding.facts.update(("field-changed", name) for name in named)
    if any(part.lower() == "get" for p in paths for part in p):
        finding.facts.add(("read-back", "GET"))  # the value's GET part changed: what a read answers


def _latency_fact(finding: _Finding, before: Any, after: Any) -> None:
    if not (isinstance(after, dict) and after.get("measure") == "median-ratio" and after.get("operation")):
        return
    key = ("slower", str(after["operation"]))
    finding.facts.add(key)
    was = before.get("ratio") if isinstance(before, dict) else None
    finding.labels[key] = (f"{after['operation']} answers became markedly slower than GETs (median "
                           f"{after.get('ratio')}x the GET median; baseline {was}x)")


def _observation_finding(change: Mapping[str, Any], obs: Mapping[str, Any] | None,
                         fields: set[str]) -> _Finding:
    before, after = change.get("before") or {}, change.get("after") or {}
    finding = _Finding("observation", str(change["id"]),
                       f"{change['id']}: {before.get('summary') or ''} → {after.get('summary') or ''}")
    request = (obs or {}).get("request") or {}
    method = str(request.get("method") or "").upper()
    b, a = before.get("status"), after.get("status")
    if method:
        finding.methods.add(method)
    if method and isinstance(b, int) and isinstance(a, int) and a != b:
        finding.facts.add(("status", method, str(b), str(a)))
    _latency_fact(finding, before.get("value"), after.get("value"))
    if not is_rate(after.get("value")) and not any(k[0] == "slower" for k in finding.facts):
        _observed_field_facts(finding, before.get("value"), after.get("value"), request,
                              fields | _request_fields(obs))
    if is_rate(after.get("value")):
        op = str(after["value"].get("operation") or "the API")
        key = ("server-errors", op)
        finding.facts.add(key)
        before_value = before.get("value") if is_rate(before.get("value")) else None
        finding.labels[key] = rate_phrase(op, after["value"], before_value)
    return finding


def _request_fields(obs: Mapping[str, Any] | None) -> set[str]:
    body = parse_value(((obs or {}).get("request") or {}).get("body"))
    return {str(k) for k in body} if isinstance(body, dict) else set()


def _findings(doc: Mapping[str, Any]) -> list[_Finding]:
    fields, accepted = _profile_fields(doc), _accepted(doc)
    found = [_clause_finding(c, fields, accepted) for c in doc.get("clauses") or []
             if c.get("verdict") == "fail"]
    observations = {o.get("id"): o for o in doc.get("observations") or []}
    changed = ((doc.get("baseline") or {}).get("observations") or {}).get("changed") or []
    found += [_observation_finding(ch, observations.get(ch.get("id")), fields) for ch in changed
              if not ch.get("waived")]
    return found


def _summary(key: Key, members: list[_Finding]) -> str:
    label = next((f.labels[key] for f in members if key in f.labels), None)
    if label:
        return label
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
        others = sorted({k[1] for f in members for k in f.facts if k[0] == "field-changed"} - {key[1]})
        examples = sorted(f.examples[key] for f in members if key in f.examples)
        notes = examples[:1] + ([f"also {', '.join(others[:4])}{' …' if len(others) > 4 else ''}"]
                                if others else [])
        return f"{methods} answers carry a different {key[1]} than expected" + (
            f" ({'; '.join(notes)})" if notes else "")
    if key[0] == "value":
        more = len({k[2] for f in members for k in f.facts if k[0] == "value" and k[1] == key[1]}) - 1
        return (f"{key[1]} {key[2]}{f' (and {plural_values(more)})' if more > 0 else ''} is accepted "
                "where a 422 was expected, and answered back")
    if key[0] == "read-back":
        fields = sorted({k[1] for f in members for k in f.facts if k[0] == "field-changed"})
        listed = f" ({', '.join(fields[:5])}{' …' if len(fields) > 5 else ''})" if fields else ""
        return f"GET answers other values than were written{listed}"
    if key[0] == "schema":
        return f"{methods} {key[1]} answers are off the documented schema at {key[2]} ({key[3]})"
    return members[0].fallback


def plural_values(n: int) -> str:
    return f"{n} other value{'s' if n != 1 else ''}"


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
    return _merge_values(groups, support)


def _merge_values(groups: dict[Key, list[_Finding]], support: dict[Key, int]) -> dict[Key, list[_Finding]]:
    """Groups of value facts that share one (a field, a value) are one change: the best-supported key
    names the merged group. Status, content-type and missing-field groups are left as they are."""
    merged: list[tuple[Key, list[_Finding], set[Key]]] = []
    for key, members in sorted(groups.items(), key=lambda kv: (-support.get(kv[0], 0), kv[0])):
        shared = {k for f in members for k in f.facts if _mergeable(k)}
        target = next((m for m in merged if _mergeable(key) and _mergeable(m[0]) and m[2] & shared), None)
        if target is None:
            merged.append((key, list(members), shared))
        else:
            target[1].extend(members)
            target[2].update(shared)
    return {key: members for key, members, _ in merged}


def _entry_key(where: str) -> tuple[str, int]:
    source, _, entry = where.rpartition("#")
    return (source, int(entry)) if entry.isdigit() else (where, -1)


def _entries(doc: Mapping[str, Any], members: list[_Finding]) -> list[str]:
    """Recorded traffic (``check-traffic``, the proxy): the ``file#entry`` of every exchange the cause's
    failures were seen on, in file order."""
    ids = {f.id for f in members if f.kind == "clause"}
    seen = {str(f["recorded"]) for c in doc.get("clauses") or [] if c.get("id") in ids
            for f in c.get("failures") or [] if f.get("recorded")}
    return sorted(seen, key=_entry_key)


def _at(entries: list[str]) -> str:
    if not entries:
        return ""
    more = len(entries) - 1
    return f" (first at {entries[0]}" + (f"; {more} more {'entry' if more == 1 else 'entries'})" if more
                                         else ")")


def root_causes(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The document's root causes, most explaining first: ``id``, ``summary``, ``clauses``, ``observations``.

    Failing clauses and unwaived changed observations are the findings; a faithful run has none and gets
    an empty list.
    """
    groups = _assign(_findings(doc))
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    out: list[dict[str, Any]] = []
    for n, (key, members) in enumerate(ordered, 1):
        entries = _entries(doc, members)
        cause: dict[str, Any] = {
            "id": f"RC{n}",
            "summary": _summary(key, members) + _at(entries),
            "clauses": [f.id for f in members if f.kind == "clause"],
            "observations": [f.id for f in members if f.kind == "observation"],
        }
        if entries:
            cause["entries"] = entries
        out.append(cause)
    return out
